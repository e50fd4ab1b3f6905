// Whether two readers' signed tracks of a participant go to an adjudicator,
// by the trial's rule, and the final counts where they do not. Pure: the
// services give each track's counts and counted lesions; the pairing of
// lesions across readers is shared/reader-pairing.ts.
import type { AdjudicationCall, AdjudicationRule, LesionView, Region } from './contract';
import { type ReaderPairing, pairReaderMarks } from './reader-pairing';
import type { Vec3 } from './vector';

/** One read's count in one track: the endpoint's new-or-enlarging lesions, and where each counted lesion was marked. */
export interface TrackCell {
  visitCode: string;
  region: Region;
  new: number;
  enlarging: number;
  newOrEnlarging: number;
  /** The counted (new or enlarging) lesions of this read, by label, with their marked centre where there is one. */
  counted: readonly { label: string; centre: Vec3 | null }[];
}

/** A read on which the readers differ, as the adjudicator sees it. */
export interface Disagreement {
  visitCode: string;
  region: Region;
  reader1: number;
  reader2: number;
  /** The counted lesions of this read, paired by position; a lesion without a mark is never paired. */
  pairing: ReaderPairing;
  /** Why this read is named: the rule that it breaks. */
  why: string;
}

export interface AdjudicationDecision {
  needed: boolean;
  /** Every read on which the readers differ in count or in counted lesions, whether or not the rule sends it to adjudication. */
  disagreements: Disagreement[];
  /**
   * Each read's count as both readers stand behind it: final for the whole
   * participant where adjudication is not needed, and for the reads the
   * readers do not differ on where it is.
   */
  agreedCounts: FinalCount[];
}

export interface FinalCount {
  visitCode: string;
  region: Region;
  new: number;
  enlarging: number;
  newOrEnlarging: number;
}

const key = (cell: { visitCode: string; region: Region }) => `${cell.visitCode}/${cell.region}`;

/** The counted (new or enlarging) lesions of one read among a track's lesions, by label, with their marked centre where there is one. */
export function countedLesions(lesions: readonly LesionView[], read: { visitCode: string; region: Region }): TrackCell['counted'] {
  return lesions
    .filter((lesion) => lesion.region === read.region)
    .flatMap((lesion) => lesion.observations.filter((observation) => observation.visitCode === read.visitCode && observation.counted).map((observation) => ({ label: lesion.label, centre: observation.marks?.centre ?? null })));
}

/** The counted lesions of one read of each reader, paired by their marks; a lesion without a mark is never paired. */
export function pairCountedLesions(first: TrackCell['counted'], second: TrackCell['counted'], toleranceMm: number): ReaderPairing {
  const marked = (lesions: TrackCell['counted']) => lesions.flatMap((lesion) => (lesion.centre ? [{ id: lesion.label, centre: lesion.centre }] : []));
  const unmarked = (lesions: TrackCell['counted']) => lesions.filter((lesion) => !lesion.centre).map((lesion) => lesion.label);
  const pairing = pairReaderMarks(marked(first), marked(second), toleranceMm);
  return { pairs: pairing.pairs, onlyFirst: [...pairing.onlyFirst, ...unmarked(first)], onlySecond: [...pairing.onlySecond, ...unmarked(second)] };
}

/**
 * The rule applied to two signed tracks' reads. count_differs and
 * difference_at_least compare the counts of each read; any_unmatched also
 * sends a participant when a counted lesion of one reader has no partner
 * among the other's counted lesions of that read. A read's agreed count is
 * the two readers' count, and where a difference below the threshold
 * remains, the lower one: a lesion counts only when both readers count it.
 * Of that count, as many are new as both readers call new, and the rest
 * enlarging (readers who agree on a count may still differ on which it is).
 * Reads come out in the order of reader 1's cells (visit order), then any
 * only reader 2 has.
 */
export function decideAdjudication(reader1: readonly TrackCell[], reader2: readonly TrackCell[], rule: AdjudicationRule, toleranceMm: number): AdjudicationDecision {
  const reads = new Map<string, { visitCode: string; region: Region }>();
  for (const cell of [...reader1, ...reader2]) reads.set(key(cell), { visitCode: cell.visitCode, region: cell.region });
  const first = new Map(reader1.map((cell) => [key(cell), cell]));
  const second = new Map(reader2.map((cell) => [key(cell), cell]));
  const disagreements: Disagreement[] = [];
  const agreedCounts: FinalCount[] = [];
  let needed = false;
  for (const [id, read] of reads) {
    const a = first.get(id);
    const b = second.get(id);
    const countA = a?.newOrEnlarging ?? 0;
    const countB = b?.newOrEnlarging ?? 0;
    const pairing = pairCountedLesions(a?.counted ?? [], b?.counted ?? [], toleranceMm);
    const unmatched = pairing.onlyFirst.length + pairing.onlySecond.length > 0;
    const breaks =
      rule.rule === 'count_differs'
        ? countA !== countB && 'the counts differ'
        : rule.rule === 'difference_at_least'
          ? Math.abs(countA - countB) >= rule.threshold && `the counts differ by ${rule.threshold} or more`
          : (countA !== countB || unmatched) && (countA !== countB ? 'the counts differ' : 'a counted lesion of one reader has no partner in the other read');
    if (breaks) needed = true;
    if (countA !== countB || unmatched) disagreements.push({ ...read, reader1: countA, reader2: countB, pairing, why: breaks || 'within the rule' });
    const agreed = Math.min(countA, countB);
    const agreedNew = Math.min(a?.new ?? 0, b?.new ?? 0, agreed);
    agreedCounts.push({ ...read, new: agreedNew, enlarging: agreed - agreedNew, newOrEnlarging: agreed });
  }
  return { needed, disagreements, agreedCounts };
}

/** The count an adjudicator's call makes final: one reader's count of the read as they signed it (zero where they counted nothing there), or the adjudicator's own. */
export function calledCount(call: AdjudicationCall, read: { visitCode: string; region: Region }, reader1: readonly TrackCell[], reader2: readonly TrackCell[]): FinalCount {
  if (call.choice === 'adjudicator') return { ...read, new: call.new, enlarging: call.enlarging, newOrEnlarging: call.new + call.enlarging };
  const cell = (call.choice === 'reader1' ? reader1 : reader2).find((item) => key(item) === key(read));
  return { ...read, new: cell?.new ?? 0, enlarging: cell?.enlarging ?? 0, newOrEnlarging: cell?.newOrEnlarging ?? 0 };
}
