// Where each participant's double read stands, and the values that become
// final: the readers' agreed counts where the trial's rule sends nothing to
// the adjudicator, else the adjudicator's own signed track. Readers are never
// told of the other read; a data manager sees progress only, until the
// values are final; the adjudicator sees the disagreements once both tracks
// are signed.
import { type TrackCell, decideAdjudication } from '../../shared/adjudication';
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

  /** The rule applied to both signed tracks. */
  function decide(participantId: number) {
    const design = tracks.design();
    if (design.design !== 'double') throw new Error('a single read has nothing to adjudicate');
    return decideAdjudication(trackCells(report(participantId, 'reader1')), trackCells(report(participantId, 'reader2')), design.adjudication, DEFAULT_PAIRING_TOLERANCE_MM);
  }

  function state(participantId: number): ParticipantAdjudication['state'] {
    if (tracks.design().design === 'single') return 'single_read';
    if (!tracks.bothSigned(participantId)) return 'reading';
    if (!decide(participantId).needed) return 'agreed';
    return tracks.complete(participantId, 'final') ? 'adjudicated' : 'needs_adjudication';
  }

  return {
    state,

    /**
     * A participant's final counts in a double read: the readers' agreed counts, or the adjudicator's signed
     * track; null while they are not final yet.
     */
    finalCells(participantId: number): CountCell[] | null {
      const now = state(participantId);
      if (now === 'adjudicated') return report(participantId, 'final').cells;
      if (now !== 'agreed') return null;
      const comparators = new Map(report(participantId, 'reader1').cells.map((cell) => [`${cell.visitCode}/${cell.region}`, cell.comparatorVisit]));
      return decide(participantId).finalCounts!.map((cell) => ({ ...cell, comparatorVisit: comparators.get(`${cell.visitCode}/${cell.region}`) ?? null }));
    },

    adjudication(participantIds: readonly number[]): ParticipantAdjudication[] {
      const role = session.reader()?.role;
      if (tracks.design().design === 'double' && role === 'reader') throw new ServiceError('forbidden', 'Adjudication is seen by adjudicators and data managers: a reader is not told of the other read.');
      return participantIds.map((participantId) => {
        const now = state(participantId);
        const taken = tracks.takenBy(participantId);
        const reads = dependencies.readsWithImages(participantId).length;
        const progress = now === 'single_read' ? [] : READER_TRACKS.map((track) => ({ track, reader: taken.find((row) => row.track === track)?.reader ?? null, signedReads: dependencies.signedReads(participantId, track), reads }));
        const final = now === 'agreed' || now === 'adjudicated';
        const seesContent = (role === 'adjudicator' && now !== 'reading' && now !== 'single_read') || final;
        const decision = seesContent ? decide(participantId) : null;
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
