// The signatures table as the rest of main asks about it: which reads are
// signed, what each signature says, and a read's status for the worklist.
// Plain queries with no knowledge of lesions, so that the lesion service,
// the trial organisation and sign-off can all use them without a cycle.
import type { ReadStatus, Region, SignatureView, Track } from '../../shared/contract';
import type { TrackedRead } from './tracks';
import { ServiceError } from '../services/dispatch';
import type { Db } from '../store/database';

export interface SignatureRow {
  id: number;
  participant_ref: number;
  subject_code: string;
  track: Track;
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

/** A read as a person names it: "001 W12 spinal cord", with its track in a double read ("001 W12 brain (reader1)"). */
export function readName(row: Pick<SignatureRow, 'subject_code' | 'visit_code' | 'region' | 'track'>): string {
  return `${row.subject_code} ${row.visit_code} ${row.region.replace('_', ' ')}${row.track === 'single' ? '' : ` (${row.track})`}`;
}

export function createSignatures(db: Db) {
  const ofRead = db.prepare<[number, string, string, Track], SignatureRow>(`${SELECT} WHERE s.participant_ref = ? AND s.visit_code = ? AND s.region = ? AND s.track = ? ORDER BY s.id`);
  const activeOfParticipant = db.prepare<[number], SignatureRow>(`${SELECT} WHERE s.superseded_at IS NULL AND s.participant_ref = ? ORDER BY s.id`);
  const allActive = db.prepare<[], SignatureRow>(`${SELECT} WHERE s.superseded_at IS NULL ORDER BY s.id`);
  const all = db.prepare<[], SignatureRow>(`${SELECT} ORDER BY s.id`);
  // Without the signed content: the worklist reads every signature at once.
  const allEvents = db.prepare<[], SignatureEvent>(
    'SELECT s.participant_ref, s.track, s.visit_code, s.region, r.name AS reader_name, s.signed_at, s.superseded_at, s.superseded_by FROM signatures s JOIN readers r ON r.id = s.reader_ref ORDER BY s.id',
  );

  const rows = (key: TrackedRead) => ofRead.all(key.participantId, key.visitCode, key.region, key.track);
  const active = (key: TrackedRead) => rows(key).find((row) => row.superseded_at === null) ?? null;

  return {
    rows,
    active,
    /** Signatures in force: of one participant, or of the whole trial. */
    activeSignatures: (participantId?: number) => (participantId === undefined ? allActive.all() : activeOfParticipant.all(participantId)),
    /** Every signature ever given, superseded ones too. */
    everySignature: () => all.all(),

    /** Refuses a change to a signed read itself. */
    assertUnlocked(key: TrackedRead): void {
      const signature = active(key);
      if (signature) throw new ServiceError('conflict', `The ${readName(signature)} read is signed (by ${signature.reader_name}). Unlock it, with a reason, to change it.`);
    },

    /** Every signature's who and when, by read (readId), oldest first. */
    eventsByRead(): Map<string, SignatureEvent[]> {
      const byRead = new Map<string, SignatureEvent[]>();
      for (const row of allEvents.all()) {
        const key = readId({ participantId: row.participant_ref, visitCode: row.visit_code, region: row.region, track: row.track });
        byRead.set(key, [...(byRead.get(key) ?? []), row]);
      }
      return byRead;
    },
  };
}

/** One signature of a read without what it covers: who signed it and when, and its unlock if any. */
export type SignatureEvent = Pick<SignatureRow, 'participant_ref' | 'track' | 'visit_code' | 'region' | 'reader_name' | 'signed_at' | 'superseded_at' | 'superseded_by'>;

/** A read as one string: the audit trail's entity id, and a map key ("1/W12/brain", "1/W12/brain/reader1" in a double read). */
export const readId = (key: TrackedRead): string => `${key.participantId}/${key.visitCode}/${key.region}${key.track === 'single' ? '' : `/${key.track}`}`;

/** A read's status from its signatures (oldest first) and whether any observation is recorded in it. */
export function readStatusOf(history: readonly Pick<SignatureRow, 'superseded_at'>[], observed: boolean): ReadStatus {
  if (history.some((row) => row.superseded_at === null)) return history.length > 1 ? 'amended' : 'signed';
  if (history.length > 0) return 'unlocked';
  return observed ? 'in_progress' : 'not_started';
}

export type Signatures = ReturnType<typeof createSignatures>;

export function signatureView(row: SignatureRow): SignatureView {
  return {
    id: row.id,
    participantId: row.participant_ref,
    track: row.track,
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
