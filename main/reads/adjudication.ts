// Where each participant's double read stands, and the values that become
// final: the readers' agreed counts where the trial's rule sends nothing to
// the adjudicator, else the adjudicator's own signed track. Readers are never
// told of the other read; a data manager sees progress only, until the
// values are final; the adjudicator sees the disagreements once both tracks
// are signed.
import { type AdjudicationDecision, type TrackCell, decideAdjudication } from '../../shared/adjudication';
import type { CountCell, ParticipantAdjudication, Track } from '../../shared/contract';
import { DEFAULT_PAIRING_TOLERANCE_MM } from '../../shared/reader-pairing';
import type { ParticipantReport } from '../lesions/lesions';
import { ServiceError } from '../services/dispatch';
import type { Session } from '../services/session';
import { READER_TRACKS, type ReadsWithImages, type Tracks } from './tracks';

/** A track's reads as the rule compares them: each read's count and its counted lesions with their marked centres. */
export function trackCells(report: ParticipantReport): TrackCell[] {
  return report.cells.map((cell) => ({
    visitCode: cell.visitCode,
    region: cell.region,
    new: cell.new,
    enlarging: cell.enlarging,
    newOrEnlarging: cell.newOrEnlarging,
    counted: report.views
      .filter((lesion) => lesion.region === cell.region)
      .flatMap((lesion) => lesion.observations.filter((observation) => observation.visitCode === cell.visitCode && observation.counted).map((observation) => ({ label: lesion.label, centre: observation.marks?.centre ?? null }))),
  }));
}

export interface Standing {
  state: ParticipantAdjudication['state'];
  decision: AdjudicationDecision | null;
  reports: { reader1: ParticipantReport; reader2: ParticipantReport } | null;
}

export function createAdjudication(
  session: Session,
  dependencies: {
    tracks: Tracks;
    report: (participantId: number, track: Track) => ParticipantReport;
    readsWithImages: ReadsWithImages;
    signedReads: (participantId: number, track: Track) => number;
    subjectCode: (participantId: number) => string;
  },
) {
  const { tracks, report } = dependencies;

  /**
   * Where a participant's read stands; once both tracks are signed, also the rule's decision and the two
   * tracks' evaluations it was made from, so that nobody evaluates them again.
   */
  function standing(participantId: number): Standing {
    const design = tracks.design();
    if (design.design === 'single') return { state: 'single_read', decision: null, reports: null };
    if (!tracks.bothSigned(participantId)) return { state: 'reading', decision: null, reports: null };
    const reports = { reader1: report(participantId, 'reader1'), reader2: report(participantId, 'reader2') };
    const decision = decideAdjudication(trackCells(reports.reader1), trackCells(reports.reader2), design.adjudication, DEFAULT_PAIRING_TOLERANCE_MM);
    const state = !decision.needed ? 'agreed' : tracks.complete(participantId, 'final') ? 'adjudicated' : 'needs_adjudication';
    return { state, decision, reports };
  }

  return {
    standing,

    /**
     * A participant's final counts in a double read: the readers' agreed counts, or the adjudicator's signed
     * track; null while they are not final yet.
     */
    finalCells(participantId: number): CountCell[] | null {
      const { state, decision, reports } = standing(participantId);
      if (state === 'adjudicated') return report(participantId, 'final').cells;
      if (state !== 'agreed') return null;
      const comparators = new Map(reports!.reader1.cells.map((cell) => [`${cell.visitCode}/${cell.region}`, cell.comparatorVisit]));
      return decision!.finalCounts!.map((cell) => ({ ...cell, comparatorVisit: comparators.get(`${cell.visitCode}/${cell.region}`) ?? null }));
    },

    adjudication(participantIds: readonly number[]): ParticipantAdjudication[] {
      const role = session.reader()?.role;
      if (tracks.design().design === 'double' && role === 'reader') throw new ServiceError('forbidden', 'Adjudication is seen by adjudicators and data managers: a reader is not told of the other read.');
      return participantIds.map((participantId) => {
        const { state: now, decision: reached } = standing(participantId);
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
          disagreements: decision ? decision.disagreements.map(({ pairing, ...read }) => ({ ...read, pairs: pairing.pairs, onlyFirst: pairing.onlyFirst, onlySecond: pairing.onlySecond })) : null,
          agreedCounts: decision?.finalCounts ?? null,
          toleranceMm: DEFAULT_PAIRING_TOLERANCE_MM,
        };
      });
    },
  };
}

export type Adjudication = ReturnType<typeof createAdjudication>;
