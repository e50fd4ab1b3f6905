// The imaging-charter rules the synthetic trial's ground truth is computed
// under. They follow DOMAIN.md ("Counting rules"); the exact thresholds are
// a trial's setting, so these are the documented defaults, and the truth is
// computed for both comparator settings.

export type Comparator = 'previous' | 'baseline';
export const COMPARATORS: readonly Comparator[] = ['previous', 'baseline'];

export interface CharterRules {
  /** What each follow-up is compared with: the previous scan (default) or the baseline scan. */
  comparator: Comparator;
  enlarging: {
    /** Longest-diameter increase relative to the comparator, as a fraction (0.5 = +50%). */
    minRelativeIncrease: number;
    /** Longest-diameter increase in millimetres. */
    minAbsoluteIncreaseMm: number;
    /** 'both': both increases are needed (default); 'either': one of them is enough. */
    combine: 'both' | 'either';
  };
  /** A lesion whose longest diameter is below this is not counted (treated as absent). */
  minLesionSizeMm: number;
  /** Visits (weeks) whose new-or-enlarging counts add up to the endpoint. */
  endpointWeeks: readonly number[];
}

/**
 * Default charter rules of the synthetic trial:
 * - comparator: previous scan (week 12 vs 0, 24 vs 12, 52 vs 24), so the endpoint sum never counts a lesion twice;
 * - enlarging: longest diameter up by at least 50% AND at least 3 mm (the two numeric rules DOMAIN.md names, both required, the stricter reading of "unequivocal");
 * - minimum lesion size: 3 mm longest diameter;
 * - one lesion counts once per interval: new (absent on the comparator, present now) OR enlarging, never both;
 * - shrinking (descriptive, never counted): the mirror of enlarging under the same rules, as the app's charter
 *   has it: the comparator's diameter is at least 50% above today's AND at least 3 mm above it (either one with 'either');
 * - endpoint: sum of new-or-enlarging over weeks 12, 24 and 52 and all three regions.
 * The synthetic lesions are designed well clear of every threshold (enlarging by 1.75x or more and 4 mm or more,
 * shrinking by as much the other way, stable within ±10% and 2 mm, every lesion present at 4 mm or more), so the
 * truth is unambiguous under either way of combining the enlarging rules.
 */
export const DEFAULT_CHARTER_RULES: Readonly<CharterRules> = Object.freeze({
  comparator: 'previous',
  enlarging: Object.freeze({ minRelativeIncrease: 0.5, minAbsoluteIncreaseMm: 3, combine: 'both' as const }),
  minLesionSizeMm: 3,
  endpointWeeks: Object.freeze([12, 24, 52]),
});
