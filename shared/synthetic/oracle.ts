// The expected counts of the synthetic trial, computed from the designed
// lesion sizes alone, with rules written out here in the simplest way. This
// is an independent oracle: it shares no code with the app's counting.
import type { CharterRules, Comparator } from './charter';

/** What a lesion is at one visit, relative to the comparator scan. */
export type LesionStatus = 'baseline' | 'new' | 'enlarging' | 'stable' | 'shrinking' | 'resolved' | 'absent';

/**
 * Status of a lesion at a visit from its longest diameter now and on the
 * comparator scan (mm; 0 when not seen). `comparatorSize` is null at the baseline visit.
 */
export function lesionStatus(size: number, comparatorSize: number | null, rules: CharterRules): LesionStatus {
  const present = size >= rules.minLesionSizeMm;
  if (comparatorSize === null) return present ? 'baseline' : 'absent';
  const before = comparatorSize >= rules.minLesionSizeMm;
  if (!present) return before ? 'resolved' : 'absent';
  if (!before) return 'new';
  if (grew(comparatorSize, size, rules)) return 'enlarging';
  // Shrinking is enlarging backwards in time: today's lesion would have to grow into the comparator's.
  if (grew(size, comparatorSize, rules)) return 'shrinking';
  return 'stable';
}

/** Whether a longest diameter of `from` mm grew enough to `to` mm for the charter's enlarging rules. */
function grew(from: number, to: number, rules: CharterRules): boolean {
  const increase = to - from;
  const relativeOk = increase / from >= rules.enlarging.minRelativeIncrease;
  const absoluteOk = increase >= rules.enlarging.minAbsoluteIncreaseMm;
  return rules.enlarging.combine === 'both' ? relativeOk && absoluteOk : relativeOk || absoluteOk;
}

/** Index of the comparator visit of visit `index` (visits in schedule order, index 0 = baseline), or null for the baseline. */
export function comparatorIndex(index: number, comparator: Comparator): number | null {
  if (index === 0) return null;
  return comparator === 'previous' ? index - 1 : 0;
}

/** Statuses of one lesion at every visit, from its sizes at every visit. */
export function statusesOf(sizes: readonly number[], comparator: Comparator, rules: CharterRules): LesionStatus[] {
  return sizes.map((size, index) => {
    const reference = comparatorIndex(index, comparator);
    return lesionStatus(size, reference === null ? null : sizes[reference]!, rules);
  });
}

export interface CountRow<R extends string> {
  visit: string;
  week: number;
  region: R;
  comparatorVisit: string;
  new: number;
  enlarging: number;
  newOrEnlarging: number;
}

export interface CountResult<R extends string> {
  comparator: Comparator;
  rows: CountRow<R>[];
  /** Sum of new-or-enlarging over the endpoint weeks and all regions. */
  endpoint: number;
}

/**
 * Counts per follow-up visit and region, and the endpoint, for lesions given
 * by region and size per visit (visits as listed in `visits`, baseline first).
 */
export function countLesions<R extends string>(
  lesions: readonly { region: R; sizes: readonly number[] }[],
  visits: readonly { code: string; week: number }[],
  regions: readonly R[],
  comparator: Comparator,
  rules: CharterRules,
): CountResult<R> {
  const rows: CountRow<R>[] = [];
  let endpoint = 0;
  for (let index = 1; index < visits.length; index += 1) {
    const reference = comparatorIndex(index, comparator)!;
    for (const region of regions) {
      let newCount = 0;
      let enlargingCount = 0;
      for (const lesion of lesions) {
        if (lesion.region !== region) continue;
        const status = lesionStatus(lesion.sizes[index]!, lesion.sizes[reference]!, rules);
        if (status === 'new') newCount += 1;
        if (status === 'enlarging') enlargingCount += 1;
      }
      const visit = visits[index]!;
      rows.push({ visit: visit.code, week: visit.week, region, comparatorVisit: visits[reference]!.code, new: newCount, enlarging: enlargingCount, newOrEnlarging: newCount + enlargingCount });
      if (rules.endpointWeeks.includes(visit.week)) endpoint += newCount + enlargingCount;
    }
  }
  return { comparator, rows, endpoint };
}
