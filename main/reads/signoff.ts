// Sign-off of a read (participant x visit x region): an electronic signature
// with its meaning, over a hash of exactly what was signed. A signed read is
// locked; unlocking needs a reason and keeps the signed version retrievable.
import { createHash } from 'node:crypto';
import type { ReadStatus, SignatureView } from '../../shared/contract';
import type { Region } from '../../shared/protocol';
import type { Reader, Session } from '../services/session';
import { ServiceError } from '../services/dispatch';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';

export const SIGNATURE_MEANING = 'I confirm this read';

interface SignatureRow {
  id: number;
  participant_ref: number;
  visit_code: string;
  region: Region;
  reader_ref: number;
  reader_name: string;
  meaning: string;
  charter_id: string;
  content: string;
  content_sha256: string;
  signed_at: string;
  superseded_at: string | null;
  superseded_by: string | null;
  superseded_reason: string | null;
}

export interface ReadKey {
  participantId: number;
  visitCode: string;
  region: Region;
}

/** Canonical JSON: keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function createSignoff(
  db: Db,
  session: Session,
  dependencies: {
    verify: (readerId: number, secret: string, purpose: string) => Reader;
    /** What a signature covers: the lesions and counts of this read as the reader sees them. */
    content: (key: ReadKey) => { charterId: string; content: unknown };
  },
) {
  const now = () => new Date().toISOString();
  const rows = (key: ReadKey) =>
    db
      .prepare<[number, string, string], SignatureRow>(
        `SELECT s.*, r.name AS reader_name FROM signatures s JOIN readers r ON r.id = s.reader_ref
          WHERE s.participant_ref = ? AND s.visit_code = ? AND s.region = ? ORDER BY s.id`,
      )
      .all(key.participantId, key.visitCode, key.region);
  const active = (key: ReadKey) => rows(key).find((row) => row.superseded_at === null) ?? null;

  function view(row: SignatureRow): SignatureView {
    return {
      id: row.id,
      participantId: row.participant_ref,
      visitCode: row.visit_code,
      region: row.region,
      reader: row.reader_name,
      meaning: row.meaning,
      charterId: row.charter_id,
      contentSha256: row.content_sha256,
      content: JSON.parse(row.content),
      signedAt: row.signed_at,
      supersededAt: row.superseded_at,
      supersededReason: row.superseded_reason,
    };
  }

  function requireReader(secret: string, purpose: string): Reader {
    const reader = session.reader();
    if (!reader) throw new ServiceError('conflict', 'Choose your reader profile first.');
    return dependencies.verify(reader.id, secret, purpose);
  }

  return {
    /** Refuses any change to a signed read: the lesions service calls this before every write. */
    assertUnlocked(key: ReadKey): void {
      if (active(key)) throw new ServiceError('conflict', `The ${key.region.replace('_', ' ')} read of ${key.visitCode} is signed. Unlock it, with a reason, to change it.`);
    },

    signRead({ secret, ...key }: ReadKey & { secret: string }): SignatureView {
      const reader = requireReader(secret, `sign ${key.visitCode} ${key.region}`);
      if (reader.role === 'data_manager') throw new ServiceError('forbidden', 'Reads are signed by readers and adjudicators.');
      if (active(key)) throw new ServiceError('conflict', 'This read is already signed.');
      const { charterId, content } = dependencies.content(key);
      const json = canonicalJson(content);
      const hash = createHash('sha256').update(json).digest('hex');
      const id = db.transaction(() => {
        const created = Number(
          db
            .prepare(
              `INSERT INTO signatures (participant_ref, visit_code, region, reader_ref, meaning, charter_id, content, content_sha256, signed_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(key.participantId, key.visitCode, key.region, reader.id, SIGNATURE_MEANING, charterId, json, hash, now()).lastInsertRowid,
        );
        appendAudit(db, { actor: session.actor(), action: 'read.sign', entity: 'read', entityId: `${key.participantId}/${key.visitCode}/${key.region}`, newValue: { signature: created, meaning: SIGNATURE_MEANING, contentSha256: hash, charterId } });
        return created;
      })();
      return view(rows(key).find((row) => row.id === id)!);
    },

    unlockRead({ secret, reason, ...key }: ReadKey & { secret: string; reason: string }): SignatureView {
      requireReader(secret, `unlock ${key.visitCode} ${key.region}`);
      const signature = active(key);
      if (!signature) throw new ServiceError('conflict', 'This read is not signed.');
      db.transaction(() => {
        db.prepare('UPDATE signatures SET superseded_at = ?, superseded_by = ?, superseded_reason = ? WHERE id = ?').run(now(), session.actor(), reason, signature.id);
        appendAudit(db, { actor: session.actor(), action: 'read.unlock', entity: 'read', entityId: `${key.participantId}/${key.visitCode}/${key.region}`, oldValue: { signature: signature.id, contentSha256: signature.content_sha256 }, reason });
      })();
      return view(rows(key).find((row) => row.id === signature.id)!);
    },

    signatures: (key: ReadKey) => rows(key).map(view),

    status(key: ReadKey, hasObservations: boolean): ReadStatus {
      const all = rows(key);
      const current = all.find((row) => row.superseded_at === null);
      if (current) return all.length > 1 ? 'amended' : 'signed';
      if (all.length > 0) return 'unlocked';
      return hasObservations ? 'in_progress' : 'not_started';
    },
  };
}
