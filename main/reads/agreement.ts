// How far the two independent readers of a double-read trial agree, over
// the participants both have signed: the ICC of their new-or-enlarging counts
// per participant x visit, Cohen's kappa on "active" per participant x visit
// x region, the lesion-wise F1 of their counted lesions paired by position,
// the adjudication rate, and per reader the share of adjudicated reads
// decided against them. The statistics are shared/agreement.ts's.
import { type TrackCell, pairCountedLesions } from '../../shared/adjudication';
import { type Estimate, cohenKappa, iccAbsoluteAgreement, lesionF1, proportion } from '../../shared/agreement';
import type { AgreementReport, Region } from '../../shared/contract';
import { REGIONS } from '../../shared/protocol';
import { DEFAULT_PAIRING_TOLERANCE_MM } from '../../shared/reader-pairing';
import { ServiceError } from '../services/dispatch';
import type { Session } from '../services/session';
import type { Adjudication } from './adjudication';
import type { Tracks } from './tracks';

interface Tally {
  /** [reader 1, reader 2] per participant x visit: one region's counts, or all regions' summed. */
  counts: Map<string, [number, number]>;
  active: [boolean, boolean][];
  lesions: { paired: number; onlyFirst: number; onlySecond: number };
}

const emptyTally = (): Tally => ({ counts: new Map(), active: [], lesions: { paired: 0, onlyFirst: 0, onlySecond: 0 } });

export function createAgreement(
  session: Session,
  dependencies: { tracks: Tracks; adjudication: Adjudication; participantIds: () => number[] },
) {
  const { tracks, adjudication } = dependencies;

  return (): AgreementReport => {
    const design = tracks.design();
    if (design.design !== 'double') throw new ServiceError('conflict', 'Agreement is measured between the two readers of a double-read trial; this trial has one read per participant.');
    if (session.reader()?.role === 'reader') throw new ServiceError('forbidden', 'Agreement is seen by adjudicators and data managers: a reader is not told of the other read.');
    const tallies = new Map<Region | 'all', Tally>([...REGIONS, 'all' as const].map((region) => [region, emptyTally()]));
    let signed = 0;
    let adjudicated = 0;
    const against = new Map<string, { against: number; total: number }>();
    for (const participantId of dependencies.participantIds()) {
      const known = adjudication.standing(participantId);
      const { state, reports, cells } = known;
      if (!reports || !cells) continue;
      signed += 1;
      const endpoint = new Set(reports.reader1.slots.filter((slot) => slot.inEndpoint).map((slot) => slot.code));
      const cellsOf = (cells: TrackCell[]) => new Map(cells.filter((cell) => endpoint.has(cell.visitCode)).map((cell) => [`${cell.visitCode}/${cell.region}`, cell]));
      const [cells1, cells2] = [cellsOf(cells.reader1), cellsOf(cells.reader2)];
      const reads = [...new Set([...cells1.keys(), ...cells2.keys()])];
      for (const read of reads) {
        const [a, b] = [cells1.get(read), cells2.get(read)];
        const region = (a ?? b)!.region;
        const visitCode = (a ?? b)!.visitCode;
        const pair: [number, number] = [a?.newOrEnlarging ?? 0, b?.newOrEnlarging ?? 0];
        const pairing = pairCountedLesions(a?.counted ?? [], b?.counted ?? [], DEFAULT_PAIRING_TOLERANCE_MM);
        for (const tally of [tallies.get(region)!, tallies.get('all')!]) {
          const at = `${participantId}/${visitCode}`;
          const summed = tally.counts.get(at) ?? [0, 0];
          tally.counts.set(at, [summed[0] + pair[0], summed[1] + pair[1]]);
          tally.active.push([pair[0] > 0, pair[1] > 0]);
          tally.lesions.paired += pairing.pairs.length;
          tally.lesions.onlyFirst += pairing.onlyFirst.length;
          tally.lesions.onlySecond += pairing.onlySecond.length;
        }
      }
      if (state === 'needs_adjudication' || state === 'adjudicated') adjudicated += 1;
      if (state === 'adjudicated') {
        const names = new Map(tracks.takenBy(participantId).map((row) => [row.track, row.reader]));
        const final = new Map(adjudication.finalCells(participantId, known)!.map((cell) => [`${cell.visitCode}/${cell.region}`, cell.newOrEnlarging]));
        for (const read of reads) {
          const [count1, count2] = [cells1.get(read)?.newOrEnlarging ?? 0, cells2.get(read)?.newOrEnlarging ?? 0];
          if (count1 === count2) continue;
          const decided = final.get(read) ?? 0;
          for (const [track, own] of [['reader1', count1], ['reader2', count2]] as const) {
            const reader = names.get(track) ?? track;
            const tally = against.get(reader) ?? { against: 0, total: 0 };
            against.set(reader, { against: tally.against + (decided === own ? 0 : 1), total: tally.total + 1 });
          }
        }
      }
    }
    const estimate = (value: Estimate) => ({ value: value.value, low: value.low, high: value.high, n: value.n, ...(value.note ? { note: value.note } : {}) });
    return {
      participants: signed,
      regions: [...tallies].map(([region, tally]) => ({
        region,
        icc: estimate(iccAbsoluteAgreement([...tally.counts.values()])),
        kappa: estimate(cohenKappa(tally.active)),
        lesionF1: estimate(lesionF1(tally.lesions)),
      })),
      adjudicationRate: estimate(proportion(adjudicated, signed)),
      readers: [...against].sort(([a], [b]) => a.localeCompare(b)).map(([reader, tally]) => ({ reader, decidedAgainst: estimate(proportion(tally.against, tally.total)) })),
    };
  };
}
