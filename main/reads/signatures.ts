// The signatures table as the rest of main asks about it: which reads are
// signed, what each signature says, and a read's status for the worklist.
// Plain queries with no knowledge of lesions, so that the lesion service,
// the trial organisation and sign-off can all use them without a cycle.
import type { ReadKey, ReadStatus, Region, SignatureView } from '../../shared/contract';
import { ServiceError } from '../services/dispatch';
import type { Db } from '../store/database';

export interface SignatureRow {
  id: number;
  participant_ref: number;
  subject_code: string;
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

const SELECT = `SELECT s.*, r.name AS reader_name, p.subject_code FROM signatures s
  JOIN readers r ON r.id = s.reader_ref JOIN participants p ON p.id = s.participant_ref`;

/** A read as a person names it: "001 W12 spinal cord". */
export function readName(row: Pick<SignatureRow, 'subject_code' | 'visit_code' | 'region'>): string {
  return `${row.subject_code} ${row.visit_code} ${row.region.replace('_', ' ')}`;
}

export function createSignatures(db: Db) {
  const ofRead = db.prepare<[number, string, string], SignatureRow>(`${SELECT} WHERE s.participant_ref = ? AND s.visit_code = ? AND s.region = ? ORDER BY s.id`);
  const activeOfParticipant = db.prepare<[number], SignatureRow>(`${SELECT} WHERE s.superseded_at IS NULL AND s.participant_ref = ? ORDER BY s.id`);
  const allActive = db.prepare<[], SignatureRow>(`${SELECT} WHERE s.superseded_at IS NULL ORDER BY s.id`);
  const all = db.prepare<[], SignatureRow>(`${SELECT} ORDER BY s.id`);
  const observed = db.prepare<[number, string, string], { n: number }>(
    'SELECT count(*) AS n FROM observations o JOIN lesions l ON l.id = o.lesion_ref WHERE l.participant_ref = ? AND o.visit_code = ? AND l.region = ?',
  );

  const rows = (key: ReadKey) => ofRead.all(key.participantId, key.visitCode, key.region);
  const active = (key: ReadKey) => rows(key).find((row) => row.superseded_at === null) ?? null;

  return {
    rows,
    active,
    /** Signatures in force: of one participant, or of the whole trial. */
    activeSignatures: (participantId?: number) => (participantId === undefined ? allActive.all() : activeOfParticipant.all(participantId)),
    /** Every signature ever given, superseded ones too. */
    everySignature: () => all.all(),

    /** Refuses a change to a signed read itself. */
    assertUnlocked(key: ReadKey): void {
      const signature = active(key);
      if (signature) throw new ServiceError('conflict', `The ${readName(signature)} read is signed (by ${signature.reader_name}). Unlock it, with a reason, to change it.`);
    },

    status(key: ReadKey): ReadStatus {
      const history = rows(key);
      const current = history.find((row) => row.superseded_at === null);
      if (current) return history.length > 1 ? 'amended' : 'signed';
      if (history.length > 0) return 'unlocked';
      return observed.get(key.participantId, key.visitCode, key.region)!.n > 0 ? 'in_progress' : 'not_started';
    },
  };
}

export type Signatures = ReturnType<typeof createSignatures>;

export function signatureView(row: SignatureRow): SignatureView {
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
