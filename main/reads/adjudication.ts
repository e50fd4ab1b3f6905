// Where each participant's double read stands, and the values that become
// final: the readers' agreed counts where the trial's rule sends nothing to
// the adjudicator; where it does, the agreed counts of the reads they do not
// differ on and the adjudicator's signed call on each read they differ on.
// Readers are never told of the other read; a data manager sees progress
// only, until the values are final; the adjudicator sees the disagreements
// once both tracks are signed.
import { type AdjudicationDecision, type Disagreement, type TrackCell, calledCount, decideAdjudication } from '../../shared/adjudication';
import type { CountCell, ParticipantAdjudication, ReadKey, Region, SignedCall, Track } from '../../shared/contract';
import { DEFAULT_PAIRING_TOLERANCE_MM } from '../../shared/reader-pairing';
import type { ParticipantReport } from '../lesions/lesions';
import { ServiceError } from '../services/dispatch';
import type { Session } from '../services/session';
import { callTermsOf, trackCells } from './read-content';
import type { Signatures } from './signatures';
import { READER_TRACKS, type ReadsWithImages, type Tracks } from './tracks';

export interface Standing {
  state: ParticipantAdjudication['state'];
  decision: AdjudicationDecision | null;
  reports: { reader1: ParticipantReport; reader2: ParticipantReport } | null;
  /** The two tracks' reads as the rule compared them (trackCells of the reports). */
  cells: { reader1: TrackCell[]; reader2: TrackCell[] } | null;
}

const sameRead = (a: { visitCode: string; region: string }, b: { visitCode: string; region: string }) => a.visitCode === b.visitCode && a.region === b.region;

export function createAdjudication(
  session: Session,
  dependencies: {
    tracks: Tracks;
    signatures: Signatures;
    report: (participantId: number, track: Track) => ParticipantReport;
    readsWithImages: ReadsWithImages;
    signedReads: (participantId: number, track: Track) => number;
    subjectCode: (participantId: number) => string;
  },
) {
  const { tracks, report, signatures } = dependencies;

  /** The adjudicator's signed call on a read, with the count it makes final; null before it is made (or once unlocked). */
  function callOn(participantId: number, read: { visitCode: string; region: Region }, cells: NonNullable<Standing['cells']>): SignedCall | null {
    const signature = signatures.active({ participantId, visitCode: read.visitCode, region: read.region, track: 'final' });
    if (!signature) return null;
    const { call, reason } = callTermsOf(signature.content);
    const counts = calledCount(call, read, cells.reader1, cells.reader2);
    return { choice: call.choice, new: counts.new, enlarging: counts.enlarging, newOrEnlarging: counts.newOrEnlarging, reason, adjudicator: signature.reader_name, signedAt: signature.signed_at };
  }

  /**
   * Where a participant's read stands; once both tracks are signed, also the rule's decision and the two
   * tracks' evaluations it was made from, so that nobody evaluates them again.
   */
  function standing(participantId: number): Standing {
    const design = tracks.design();
    if (design.design === 'single') return { state: 'single_read', decision: null, reports: null, cells: null };
    if (!tracks.bothSigned(participantId)) return { state: 'reading', decision: null, reports: null, cells: null };
    const reports = { reader1: report(participantId, 'reader1'), reader2: report(participantId, 'reader2') };
    const cells = { reader1: trackCells(reports.reader1), reader2: trackCells(reports.reader2) };
    const decision = decideAdjudication(cells.reader1, cells.reader2, design.adjudication, DEFAULT_PAIRING_TOLERANCE_MM);
    const decided = (read: Disagreement) => signatures.active({ participantId, visitCode: read.visitCode, region: read.region, track: 'final' }) !== null;
    const state = !decision.needed ? 'agreed' : decision.disagreements.every(decided) ? 'adjudicated' : 'needs_adjudication';
    return { state, decision, reports, cells };
  }

  return {
    standing,

    /** Whether a participant's double read has its final values: agreed by the rule, or every disagreement called. */
    isFinal: (participantId: number) => ['agreed', 'adjudicated'].includes(standing(participantId).state),

    /**
     * A participant's final counts in a double read: the readers' agreed count of each read, or the adjudicator's
     * call where they differ; null while they are not final yet.
     */
    finalCells(participantId: number, known: Standing = standing(participantId)): CountCell[] | null {
      const { state, decision, reports, cells } = known;
      if (state !== 'agreed' && state !== 'adjudicated') return null;
      const comparators = new Map(reports!.reader1.cells.map((cell) => [`${cell.visitCode}/${cell.region}`, cell.comparatorVisit]));
      const calls = state === 'adjudicated' ? decision!.disagreements.map((read) => ({ read, call: callOn(participantId, read, cells!)! })) : [];
      return decision!.agreedCounts.map((cell) => {
        const called = calls.find(({ read }) => sameRead(read, cell))?.call;
        const counts = called ? { new: called.new, enlarging: called.enlarging, newOrEnlarging: called.newOrEnlarging } : { new: cell.new, enlarging: cell.enlarging, newOrEnlarging: cell.newOrEnlarging };
        return { visitCode: cell.visitCode, region: cell.region, ...counts, comparatorVisit: comparators.get(`${cell.visitCode}/${cell.region}`) ?? null };
      });
    },

    /** The two readers' evaluations behind a read the adjudicator may call: one the readers differ on, of a participant the rule sends to adjudication. */
    disputedRead(read: ReadKey): NonNullable<Standing['reports']> {
      const { state, decision, reports } = standing(read.participantId);
      const subject = dependencies.subjectCode(read.participantId);
      const notYet = {
        single_read: 'This trial has one read per participant: there is nothing to adjudicate.',
        reading: `${subject} is adjudicated once both readers have signed every read.`,
        agreed: `The readers of ${subject} agree under the trial's rule: there is nothing to adjudicate.`,
      };
      if (state in notYet) throw new ServiceError('conflict', notYet[state as keyof typeof notYet]);
      if (!decision!.disagreements.some((item) => sameRead(item, read))) {
        throw new ServiceError('conflict', `The readers agree on ${subject} ${read.visitCode} ${read.region.replace('_', ' ')}: there is nothing to decide there.`);
      }
      return reports!;
    },

    adjudication(participantIds: readonly number[]): ParticipantAdjudication[] {
      const role = session.reader()?.role;
      if (tracks.design().design === 'double' && role === 'reader') throw new ServiceError('forbidden', 'Adjudication is seen by adjudicators and data managers: a reader is not told of the other read.');
      return participantIds.map((participantId) => {
        const { state: now, decision: reached, cells } = standing(participantId);
        const taken = tracks.takenBy(participantId);
        const reads = dependencies.readsWithImages(participantId).length;
        const progress = now === 'single_read' ? [] : READER_TRACKS.map((track) => ({ track, reader: taken.find((row) => row.track === track)?.reader ?? null, signedReads: dependencies.signedReads(participantId, track), reads }));
        const final = now === 'agreed' || now === 'adjudicated';
        // The decision exists once both are signed; the adjudicator sees it from then, a data manager once the values are final.
        const decision = role === 'adjudicator' || final ? reached : null;
        return {
          participantId,
          subjectCode: dependencies.subjectCode(participantId),
          state: now,
          tracks: progress,
          disagreements: decision
            ? decision.disagreements.map(({ pairing, ...read }) => ({ ...read, pairs: pairing.pairs, onlyFirst: pairing.onlyFirst, onlySecond: pairing.onlySecond, call: callOn(participantId, read, cells!) }))
            : null,
          agreedCounts: decision && !decision.needed ? decision.agreedCounts : null,
          toleranceMm: DEFAULT_PAIRING_TOLERANCE_MM,
        };
      });
    },
  };
}

export type Adjudication = ReturnType<typeof createAdjudication>;
