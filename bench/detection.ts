// Assisted detection on a synthetic trial whose lesions are known: for every
// current/comparator pair of every region (W12/W0, W24/W12, W52/W24), the
// candidates of the aligned subtraction against truth.json's new and
// enlarging lesions, beside plain subtraction in scanner coordinates (no
// alignment) as the peer; and the time of the subtraction of a brain pair
// beside the alignment of that pair, with the memory it takes.
//
// The volumes are rendered straight from the generator (shared/synthetic/
// volume.ts): the same pixels the DICOM files hold, without writing and
// reading them again, which the alignment bench already measures.
import { alignVolumes, IDENTITY, type Volume } from '../shared/registration';
import { type Change, subtract } from '../shared/subtraction';
import { DEFAULT_CHARTER_RULES } from '../shared/synthetic/charter';
import { designParticipant } from '../shared/synthetic/design';
import { type LesionTruth, participantTruth, READING_SERIES } from '../shared/synthetic/truth';
import { REGIONS, type Region } from '../shared/synthetic/series';
import { renderVolume } from '../shared/synthetic/volume';
import { norm, sub } from '../shared/vector';
import { compare, emit, median, round } from './report';

const PAIRS = [
  [1, 0],
  [2, 1],
  [3, 2],
] as const;

/** A candidate finds a truth lesion when its centre lies within the lesion's half length and this margin (mm). */
const MATCH_MARGIN_MM = 3;

interface Tally {
  found: { new: number; enlarging: number };
  missed: { new: number; enlarging: number };
  falsePositives: number;
  pairs: number;
}

const emptyTally = (): Tally => ({ found: { new: 0, enlarging: 0 }, missed: { new: 0, enlarging: 0 }, falsePositives: 0, pairs: 0 });

/** Scores one pair's increases against the lesions new or enlarging at the current visit (previous-scan comparator, the charter's default). */
function score(tally: Tally, increases: readonly Change[], lesions: readonly LesionTruth[], visitIndex: number): void {
  const matched = new Set<Change>();
  for (const lesion of lesions) {
    const visit = lesion.visits[visitIndex]!;
    const status = visit.status.previous;
    if ((status !== 'new' && status !== 'enlarging') || !visit.location.inside) continue;
    const reach = visit.longestDiameterMm / 2 + MATCH_MARGIN_MM;
    const hits = increases.filter((change) => norm(sub(change.centre, visit.location.patientMm)) <= reach);
    hits.forEach((change) => matched.add(change));
    if (hits.length > 0) tally.found[status] += 1;
    else tally.missed[status] += 1;
  }
  tally.falsePositives += increases.filter((change) => !matched.has(change)).length;
  tally.pairs += 1;
}

const sensitivity = (tally: Tally, kind: 'new' | 'enlarging') => {
  const total = tally.found[kind] + tally.missed[kind];
  return total === 0 ? null : tally.found[kind] / total;
};

export async function benchDetection(subjects = 12): Promise<void> {
  const seed = 'detection-bench';
  const aligned: Record<Region, Tally> = { brain: emptyTally(), spinal_cord: emptyTally(), optic_nerve: emptyTally() };
  const unaligned: Record<Region, Tally> = { brain: emptyTally(), spinal_cord: emptyTally(), optic_nerve: emptyTally() };
  const alignMs: number[] = [];
  const subtractMs: number[] = [];
  for (let index = 0; index < subjects; index += 1) {
    const participant = designParticipant(seed, index);
    const truth = participantTruth(seed, participant);
    for (const region of REGIONS) {
      const volumes: Volume[] = [0, 1, 2, 3].map((visit) => renderVolume(seed, participant, visit, READING_SERIES[region]));
      const lesions = truth.lesions.filter((lesion) => lesion.region === region);
      for (const [currentVisit, comparatorVisit] of PAIRS) {
        const current = volumes[currentVisit]!;
        const comparator = volumes[comparatorVisit]!;
        const alignStart = performance.now();
        const { transform } = alignVolumes(current, comparator);
        const subtractStart = performance.now();
        const result = subtract(current, comparator, transform, DEFAULT_CHARTER_RULES);
        if (region === 'brain') {
          alignMs.push(subtractStart - alignStart);
          subtractMs.push(performance.now() - subtractStart);
        }
        score(aligned[region], result.changes.filter((change) => change.direction === 'increase'), lesions, currentVisit);
        const plain = subtract(current, comparator, IDENTITY, DEFAULT_CHARTER_RULES);
        score(unaligned[region], plain.changes.filter((change) => change.direction === 'increase'), lesions, currentVisit);
      }
    }
  }
  const name = `detection-${subjects}`;
  for (const region of REGIONS) {
    const ours = aligned[region];
    const peer = unaligned[region];
    for (const kind of ['new', 'enlarging'] as const) {
      const value = sensitivity(ours, kind);
      const peerValue = sensitivity(peer, kind);
      const lesions = ours.found[kind] + ours.missed[kind];
      if (value === null || peerValue === null) {
        emit({ case: name, metric: `${region}: lesion-wise sensitivity, ${kind} lesions (none in this trial)`, unit: 'fraction', value: 0, note: 'no such lesion in the trial' });
        continue;
      }
      emit({
        case: name,
        metric: `${region}: lesion-wise sensitivity, ${kind} lesions (${ours.found[kind]} of ${lesions})`,
        unit: 'fraction',
        value: round(value, 3),
        peer: 'plain subtraction without alignment',
        peer_value: round(peerValue, 3),
        ratio: peerValue > 0 ? round(value / peerValue, 3) : null,
      });
    }
    const falsePositives = ours.falsePositives / ours.pairs;
    const peerFalsePositives = peer.falsePositives / peer.pairs;
    emit({
      case: name,
      metric: `${region}: false positives per scan pair (${ours.pairs} pairs)`,
      unit: 'candidates',
      value: round(falsePositives, 2),
      peer: 'plain subtraction without alignment',
      peer_value: round(peerFalsePositives, 2),
      ratio: peerFalsePositives > 0 ? round(falsePositives / peerFalsePositives, 3) : null,
    });
  }
  compare({ case: name, metric: 'subtraction and candidates of one brain pair, median (one thread)', unit: 'ms', value: median(subtractMs) }, 'automatic alignment of the same pair, median (one thread)', median(alignMs));
  // The process's peak resident memory so far: with --only detection, this case's own peak (four volumes of a region, two subtractions).
  emit({ case: name, metric: 'peak resident memory of the bench process', unit: 'MB', value: round(process.resourceUsage().maxRSS / 1024) });
}
