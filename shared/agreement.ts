// Agreement between the two independent readers of a double read, with 95%
// confidence intervals: the ICC of their counts, Cohen's kappa on "active",
// the lesion-wise F1, and proportions (how often the adjudicator was needed,
// how often each reader was overruled). Each function is checked against an
// independent implementation (R's psych and stats, Python's scikit-learn and
// statsmodels; test/shared/agreement.test.ts). Every interval treats its
// units (participant-visits, regions, lesions) as independent; those of one
// participant are not quite, so the intervals lean narrow.
import { fQuantile } from './f-distribution';

export interface Estimate {
  /** Null when the statistic is undefined for these data (see `note`). */
  value: number | null;
  /** The 95% confidence interval; null where it is undefined. */
  low: number | null;
  high: number | null;
  /** What the estimate rests on: pairs of reads, lesions, or cases. */
  n: number;
  /** Why the value or its interval is missing, or why the interval has no width. */
  note?: string;
}

/** qnorm(0.975): the normal quantile of a two-sided 95% interval. */
const Z_95 = 1.959963984540054;
const UPPER_TAIL_95 = 0.975;
/** A double read has two readers; the adjudicator is not a rater of the ICC. */
const RATERS = 2;

function undefinedEstimate(n: number, note: string): Estimate {
  return { value: null, low: null, high: null, n, note };
}

function requireCount(count: number, what: string): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`${what} must be a whole number of 0 or more, not ${count}`);
}

function sumOfSquaredDeviations(values: readonly number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
}

/**
 * ICC of two readers' counts (one pair per participant x visit): two-way
 * random effects, absolute agreement, single rater: Shrout & Fleiss
 * ICC(2,1), McGraw & Wong ICC(A,1). The mean squares are the two-way
 * ANOVA's, as `psych::ICC(x, lmer = FALSE)` computes them (its default,
 * lmer = TRUE, takes REML variance components instead, which differ when
 * one would be negative), and the 95% interval is the one psych reports for
 * ICC2: McGraw & Wong's F bounds with Satterthwaite's degrees of freedom.
 */
export function iccAbsoluteAgreement(pairs: readonly (readonly [number, number])[]): Estimate {
  const n = pairs.length;
  if (pairs.some((pair) => !pair.every(Number.isFinite))) throw new RangeError('every count must be a finite number');
  if (n < 2) return undefinedEstimate(n, 'at least two pairs are needed');
  // With two raters the mean squares follow from each pair's sum and
  // difference; a residual that is zero (the readers differ by the same
  // amount everywhere) then comes out exactly zero, not as rounding noise.
  const differences = pairs.map(([first, second]) => first - second);
  const meanDifference = differences.reduce((sum, value) => sum + value, 0) / n;
  const subjects = sumOfSquaredDeviations(pairs.map(([first, second]) => first + second)) / (RATERS * (n - 1));
  const raters = (n * meanDifference ** 2) / RATERS;
  const residual = sumOfSquaredDeviations(differences) / (RATERS * (n - 1));
  if (subjects === 0 && raters === 0 && residual === 0) return undefinedEstimate(n, 'no variation: every count is the same');
  const denominator = subjects + (RATERS - 1) * residual + (RATERS * (raters - residual)) / n;
  // Reachable only with two pairs of equal totals whose differences cancel out (psych gives -Inf).
  if (denominator === 0) return undefinedEstimate(n, 'undefined: two pairs with the same total and no difference between the readers on average');
  const value = (subjects - residual) / denominator;

  // Satterthwaite's degrees of freedom; with no residual the raters' F ratio
  // is infinite and they tend to k - 1 (what psych's rounding noise gives).
  const ratersF = raters / residual;
  const degreesOfFreedom =
    residual === 0
      ? RATERS - 1
      : ((RATERS - 1) * (n - 1) * (RATERS * value * ratersF + n * (1 + (RATERS - 1) * value) - RATERS * value) ** 2) /
        ((n - 1) * RATERS ** 2 * value ** 2 * ratersF ** 2 + (n * (1 + (RATERS - 1) * value) - RATERS * value) ** 2);
  if (!(degreesOfFreedom > 0)) return { value, low: null, high: null, n, note: "the interval is undefined: Satterthwaite's degrees of freedom are zero" };
  const fUpper = fQuantile(UPPER_TAIL_95, n - 1, degreesOfFreedom);
  const fLower = fQuantile(UPPER_TAIL_95, degreesOfFreedom, n - 1);
  const ratersAndResidual = RATERS * raters + (RATERS * n - RATERS - n) * residual;
  // psych's bounds, with n multiplied in so that perfect agreement gives exactly 1 over 1.
  const low = (n * subjects - n * fUpper * residual) / (fUpper * ratersAndResidual + n * subjects);
  const high = (n * fLower * subjects - n * residual) / (ratersAndResidual + n * fLower * subjects);
  const noWidth = residual !== 0 ? null : raters === 0 ? 'the readers agree on every count' : subjects === 0 ? 'every pair is the same' : null;
  return noWidth === null ? { value, low, high, n } : { value, low, high, n, note: `${noWidth}: the interval has no width` };
}

/**
 * Cohen's kappa of the two readers' "active" calls (any new or enlarging
 * lesion), one pair per participant x visit x region; the value is
 * scikit-learn's `cohen_kappa_score`. The 95% interval is psych's
 * `cohen.kappa` for unweighted kappa: kappa ± z·SE with the large-sample
 * variance of Fleiss, Cohen & Everitt (1969), clipped to [-1, 1].
 * Undefined when both readers give every pair the same call (all active or
 * all inactive): chance agreement is then 1 and kappa 0/0 (scikit-learn
 * returns NaN, psych NA). The interval has no width where that variance is
 * zero: perfect agreement, total disagreement on a balanced table, or one
 * reader giving every pair the same call (kappa is then 0 whatever the
 * other reader says).
 */
export function cohenKappa(pairs: readonly (readonly [boolean, boolean])[]): Estimate {
  const n = pairs.length;
  if (n === 0) return undefinedEstimate(0, 'no pairs');
  // The 2 x 2 table as proportions: rows the first reader's call, columns the second's; category 0 active, 1 inactive.
  const CATEGORIES = [0, 1];
  const categoryOf = (active: boolean) => (active ? 0 : 1);
  const p = CATEGORIES.map((row) => CATEGORIES.map((column) => pairs.filter(([first, second]) => categoryOf(first) === row && categoryOf(second) === column).length / n));
  const cell = (row: number, column: number) => p[row]![column]!;
  const rows = CATEGORIES.map((i) => cell(i, 0) + cell(i, 1));
  const columns = CATEGORIES.map((j) => cell(0, j) + cell(1, j));
  const observed = cell(0, 0) + cell(1, 1);
  const chance = rows[0]! * columns[0]! + rows[1]! * columns[1]!;
  if (chance === 1) return undefinedEstimate(n, 'undefined: both readers call every region the same, so agreement by chance is 1 and kappa 0/0');
  const value = (observed - chance) / (1 - chance);

  let agreeing = 0;
  let disagreeing = 0;
  for (const i of CATEGORIES) {
    for (const j of CATEGORIES) {
      if (i === j) agreeing += cell(i, i) * (1 - chance - (rows[i]! + columns[i]!) * (1 - observed)) ** 2;
      else disagreeing += cell(i, j) * (columns[i]! + rows[j]!) ** 2;
    }
  }
  const variance = (agreeing + (1 - observed) ** 2 * disagreeing - (observed * chance - 2 * chance + observed) ** 2) / (n * (1 - chance) ** 4);
  // A variance that is zero (perfect agreement, say) comes out as rounding
  // noise of either sign, some 1e-17: psych takes a negative one as zero; so
  // does this, and anything too small to be more than noise as well.
  const halfWidth = variance * n < 1e-12 ? 0 : Z_95 * Math.sqrt(variance);
  const low = Math.max(-1, value - halfWidth);
  const high = Math.min(1, value + halfWidth);
  if (halfWidth === 0) return { value, low, high, n, note: 'the large-sample variance is zero here: the interval has no width' };
  return { value, low, high, n };
}

/** Wilson's (1927) score interval for a binomial proportion: R's prop.test(correct = FALSE), statsmodels' "wilson". */
function wilsonInterval(successes: number, total: number): [number, number] {
  const z2 = Z_95 ** 2;
  const centre = (successes + z2 / 2) / (total + z2);
  const halfWidth = (Z_95 / (total + z2)) * Math.sqrt((successes * (total - successes)) / total + z2 / 4);
  return [Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth)];
}

export interface LesionCounts {
  /** Lesions both readers marked (paired by position, shared/reader-pairing.ts). */
  paired: number;
  onlyFirst: number;
  onlySecond: number;
}

/**
 * Lesion-wise F1 between the readers: 2·paired / (2·paired + onlyFirst +
 * onlySecond), scikit-learn's `f1_score` with the first reader as reference
 * (paired = true positives, onlySecond = false positives, onlyFirst = false
 * negatives). F1 is symmetric in the readers: swapping them swaps precision
 * and recall and leaves F1 as it is. It is also Dice's coefficient and the
 * positive specific agreement of Cicchetti & Feinstein (1990).
 *
 * 95% interval: Wilson's score interval for J = paired / (paired + onlyFirst
 * + onlySecond), carried to F1 by F1 = 2J / (1 + J), which is increasing. J
 * (Jaccard's index) is a binomial proportion: of the lesions either reader
 * marked, the share both marked. Chosen because (1) its unit is a lesion,
 * counted once: a Wilson interval on Dice itself would count each paired
 * lesion twice, as 2·paired successes in 2·paired + onlyFirst + onlySecond
 * trials, and come out too narrow; (2) it keeps a width at F1 = 1 or 0, where
 * a delta-method (Wald) interval collapses to a point; (3) anyone can
 * reproduce it with a stock Wilson interval (statsmodels' "wilson", R's
 * prop.test without correction) and the one map.
 */
export function lesionF1({ paired, onlyFirst, onlySecond }: LesionCounts): Estimate {
  requireCount(paired, 'paired');
  requireCount(onlyFirst, 'onlyFirst');
  requireCount(onlySecond, 'onlySecond');
  const lesions = paired + onlyFirst + onlySecond;
  // scikit-learn substitutes its zero_division default (0) here: a convention, not an estimate.
  if (lesions === 0) return undefinedEstimate(0, 'no lesions: neither reader marked one');
  const diceFromJaccard = (jaccard: number) => (2 * jaccard) / (1 + jaccard);
  const [low, high] = wilsonInterval(paired, lesions).map(diceFromJaccard) as [number, number];
  return { value: (2 * paired) / (2 * paired + onlyFirst + onlySecond), low, high, n: lesions };
}

/**
 * A proportion with Wilson's 95% score interval: the adjudication rate
 * (reads adjudicated of reads double-read), or a reader's share of
 * adjudicated disagreements decided against them.
 */
export function proportion(successes: number, total: number): Estimate {
  requireCount(successes, 'successes');
  requireCount(total, 'total');
  if (successes > total) throw new RangeError(`successes (${successes}) cannot exceed the total (${total})`);
  if (total === 0) return undefinedEstimate(0, 'no cases');
  const [low, high] = wilsonInterval(successes, total);
  return { value: successes / total, low, high, n: total };
}

/** An estimate as a person reads it: "0.82 (0.61 to 0.93), n = 18", or why there is no value, or why its interval has no width. */
export function formatEstimate(estimate: Estimate): string {
  const number = (value: number | null) => (value === null ? '–' : value.toFixed(2));
  if (estimate.value === null) return `– (${estimate.note ?? 'undefined'}), n = ${estimate.n}`;
  const interval = estimate.low === null || estimate.high === null ? '' : ` (${number(estimate.low)} to ${number(estimate.high)})`;
  return `${number(estimate.value)}${interval}, n = ${estimate.n}${estimate.note ? `; ${estimate.note}` : ''}`;
}
