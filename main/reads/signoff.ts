// Sign-off of a read (participant x visit x region): an electronic signature
// with its meaning, over a hash of what the read's counts depend on
// (read-content.ts). A read is signed only when it is complete: it has
// images, its comparator read is signed first (so the sizes its statuses
// were measured against are fixed), and every lesion known before this
// visit has a finding here. A signed read is locked; unlocking needs a
// reason and keeps the signed version retrievable.
import type { ParsedRequestOf, ReadKey, ReadReadiness, SignatureView, Track } from '../../shared/contract';
import { canonicalJson } from '../../shared/canonical-json';
import type { ParticipantReport } from '../lesions/lesions';
import type { Reader, Session } from '../services/session';
import { ServiceError } from '../services/dispatch';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';
import { CONTENT_VERSION, callContent, readContent } from './read-content';
import { sha256 } from './signed-reads';
import { type Signatures, readId, signatureView } from './signatures';
import type { TrackedRead } from './tracks';

export const SIGNATURE_MEANING = 'I confirm this read';
/** What an adjudicator's signature on a call means. */
export const CALL_MEANING = 'I decide this read';

export function createSignoff(
  db: Db,
  session: Session,
  dependencies: {
    verify: (readerId: number, secret: string, purpose: string) => Reader;
    signatures: Signatures;
    report: (participantId: number, track: Track | null) => ParticipantReport;
    /** The track this session reads (null: a reader's track not taken yet) and the one its changes go into. */
    viewTrack: (participantId: number, asked?: Track) => Track | null;
    changeTrack: (participantId: number) => Track;
    /** The readers' evaluations behind a read the adjudicator may call (reads/adjudication.ts). */
    disputedRead: (read: ReadKey) => { reader1: ParticipantReport; reader2: ParticipantReport };
  },
) {
  const { signatures, report } = dependencies;
  const now = () => new Date().toISOString();
  const insertSignature = db.prepare(
    `INSERT INTO signatures (participant_ref, track, visit_code, region, reader_ref, meaning, charter_id, content, content_sha256, signed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const supersedeSignature = db.prepare('UPDATE signatures SET superseded_at = ?, superseded_by = ?, superseded_reason = ? WHERE id = ?');

  /** Stores a signature over `content` and its audit entry, in one transaction. */
  function recordSignature(key: TrackedRead, reader: Reader, meaning: string, charterId: string, content: Record<string, unknown>, audit: { action: string; reason?: string; details?: Record<string, unknown> }): SignatureView {
    const json = canonicalJson(content);
    const hash = sha256(json);
    const id = db.transaction(() => {
      const created = Number(insertSignature.run(key.participantId, key.track, key.visitCode, key.region, reader.id, meaning, charterId, json, hash, now()).lastInsertRowid);
      appendAudit(db, { actor: session.actor(), action: audit.action, entity: 'read', entityId: readId(key), newValue: { signature: created, meaning, contentSha256: hash, charterId, ...audit.details }, reason: audit.reason });
      return created;
    })();
    return signatureView(signatures.rows(key).find((row) => row.id === id)!);
  }

  function requireReader(secret: string, purpose: string): Reader {
    const reader = session.reader();
    if (!reader) throw new ServiceError('conflict', 'Choose your reader profile first.');
    return dependencies.verify(reader.id, secret, purpose);
  }

  /**
   * What stands between this read and its signature, each in words the reader can act on, in the track of the
   * participant's evaluation (a reader's track not taken yet has nothing signed); from signatures read already when
   * the caller has them (the worklist reads them all at once).
   */
  function readiness(key: ReadKey, participant: ParticipantReport, isSigned = (read: TrackedRead) => signatures.active(read) !== null): ReadReadiness {
    const { track } = participant;
    const where = `${participant.subjectCode} ${key.visitCode} ${key.region.replace('_', ' ')}`;
    const problems: ReadReadiness['problems'] = [];
    if (participant.seriesOf(key.visitCode, key.region).length === 0) {
      problems.push({ kind: 'no_images', lesionId: null, message: `There are no ${key.region.replace('_', ' ')} images of ${participant.subjectCode} at ${key.visitCode}: there is nothing to sign.` });
    }
    const comparator = participant.comparatorOf(key.visitCode, key.region);
    // A comparator without images has no read to sign: its lesions are "absent", fixed already.
    if (comparator !== null && participant.seriesOf(comparator, key.region).length > 0 && !(track !== null && isSigned({ ...key, track, visitCode: comparator }))) {
      problems.push({ kind: 'comparator_unsigned', lesionId: null, message: `Sign the ${comparator} read first: the statuses of this read are measured against it.` });
    }
    const order = (visitCode: string) => participant.slots.find((slot) => slot.code === visitCode)?.order ?? Number.POSITIVE_INFINITY;
    const here = order(key.visitCode);
    for (const lesion of participant.views.filter((item) => item.region === key.region)) {
      if (lesion.observations.some((observation) => observation.visitCode === key.visitCode)) continue;
      const last = lesion.observations.filter((observation) => order(observation.visitCode) < here).sort((a, b) => order(b.visitCode) - order(a.visitCode))[0];
      // Still there when last seen: this visit must say what became of it.
      if (last && (last.finding.kind === 'measured' || last.finding.kind === 'not_evaluable')) {
        problems.push({ kind: 'unassessed', lesionId: lesion.id, message: `${lesion.label} (last seen at ${last.visitCode}) has no finding at ${key.visitCode}: measure it, or mark it resolved or not evaluable.` });
      }
    }
    return { ready: problems.length === 0, read: where, problems };
  }

  /** A read in the track this session sees, or asks for (where it may); a reader's track not taken yet (null) has no signatures. */
  const seen = ({ track: asked, ...read }: ParsedRequestOf<'signatures'>) => {
    const track = dependencies.viewTrack(read.participantId, asked);
    return track === null ? null : { ...read, track };
  };

  return {
    readiness,
    readReadiness: (read: ReadKey) => readiness(read, report(read.participantId, dependencies.viewTrack(read.participantId))),

    signRead({ secret, ...read }: ParsedRequestOf<'signRead'>): SignatureView {
      const reader = requireReader(secret, `sign ${read.visitCode} ${read.region}`);
      if (reader.role === 'data_manager') throw new ServiceError('forbidden', 'Reads are signed by readers and adjudicators.');
      const key = { ...read, track: dependencies.changeTrack(read.participantId) };
      if (key.track === 'final') throw new ServiceError('conflict', 'An adjudicator signs a call on each read the readers differ on (Double reads), not a read of their own.');
      if (signatures.active(key)) throw new ServiceError('conflict', 'This read is already signed.');
      const participant = report(key.participantId, key.track);
      const { problems, read: name } = readiness(key, participant);
      if (problems.length > 0) throw new ServiceError('conflict', `The ${name} read cannot be signed yet: ${problems.map((problem) => problem.message).join(' ')}`);
      return recordSignature(key, reader, SIGNATURE_MEANING, participant.charter.id, readContent(participant, key, CONTENT_VERSION), { action: 'read.sign' });
    },

    adjudicate({ secret, call, reason, ...read }: ParsedRequestOf<'adjudicate'>): SignatureView {
      const reader = requireReader(secret, `decide ${read.visitCode} ${read.region}`);
      if (reader.role !== 'adjudicator') throw new ServiceError('forbidden', 'Where the readers differ, an adjudicator decides.');
      const key = { ...read, track: dependencies.changeTrack(read.participantId) };
      const reports = dependencies.disputedRead(read);
      const signed = signatures.active(key);
      if (signed) throw new ServiceError('conflict', `${signed.reader_name} has decided this read already. Unlock the call, with a reason, to decide it again.`);
      const content = callContent(reports, key, { call, reason });
      return recordSignature(key, reader, CALL_MEANING, reports.reader1.charter.id, content, { action: 'read.adjudicate', reason, details: { call, counts: content.counts } });
    },

    unlockRead({ secret, reason, ...read }: ParsedRequestOf<'unlockRead'>): SignatureView {
      requireReader(secret, `unlock ${read.visitCode} ${read.region}`);
      const key = { ...read, track: dependencies.changeTrack(read.participantId) };
      const signature = signatures.active(key);
      if (!signature) throw new ServiceError('conflict', 'This read is not signed.');
      db.transaction(() => {
        supersedeSignature.run(now(), session.actor(), reason, signature.id);
        appendAudit(db, { actor: session.actor(), action: 'read.unlock', entity: 'read', entityId: readId(key), oldValue: { signature: signature.id, contentSha256: signature.content_sha256 }, reason });
      })();
      return signatureView(signatures.rows(key).find((row) => row.id === signature.id)!);
    },

    signatures: (read: ParsedRequestOf<'signatures'>) => {
      const key = seen(read);
      return key ? signatures.rows(key).map(signatureView) : [];
    },
  };
}
