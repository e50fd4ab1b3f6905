// Reader agreement statistics against independent implementations: every
// figure (value and both bounds) within 1e-6 of R's psych and stats and
// Python's scikit-learn and statsmodels, on seeded realistic reads and on
// each degenerate case; where the references give no estimate, so does
// shared/agreement.ts, with a note that says why.
import { beforeAll, describe, expect, it } from 'vitest';
import { cohenKappa, type Estimate, iccAbsoluteAgreement, type LesionCounts, lesionF1, proportion } from '../../shared/agreement';
import { Rng } from '../../shared/synthetic/random';
import { agreementGolden, type Golden, type GoldenEstimate } from '../helpers/agreement-golden';

const repeat = <T>(item: T, times: number): T[] => Array.from({ length: times }, () => item);

/** New or enlarging lesion counts of two readers for `size` participant-visits: most with none, some with a few, each reader missing one now and then or counting one that is not there. */
function countPairs(seed: string, size: number): [number, number][] {
  const rng = new Rng(seed);
  return Array.from({ length: size }, () => {
    const truth = rng.chance(0.45) ? rng.int(1, 6) : 0;
    const read = () => Array.from({ length: truth }, () => rng.chance(0.85)).filter(Boolean).length + (rng.chance(0.15) ? 1 : 0);
    return [read(), read()];
  });
}

/** Two readers' "active" calls for `size` participant x visit x region reads: active in a share `prevalence`, each reader right nine times in ten. */
function callPairs(seed: string, size: number, prevalence: number): [boolean, boolean][] {
  const rng = new Rng(seed);
  return Array.from({ length: size }, () => {
    const active = rng.chance(prevalence);
    const call = () => (rng.chance(0.9) ? active : !active);
    return [call(), call()];
  });
}

/** `times` regions the readers call `first` and `second`. */
const calls = (first: boolean, second: boolean, times: number) => repeat<[boolean, boolean]>([first, second], times);
const PERFECT_CALLS = [...calls(true, true, 4), ...calls(false, false, 14)];
const OPPOSITE_CALLS = [...calls(true, false, 3), ...calls(false, true, 3)];

const SEEDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const EVERY_COUNT_THE_SAME = 'no variation: every count is the same';
const SAME_COUNTS = 'the readers agree on every count: the interval has no width';
const ZERO_WIDTH_KAPPA = 'the large-sample variance is zero here: the interval has no width';
const SAME_CALL_EVERYWHERE = 'undefined: both readers call every region the same, so agreement by chance is 1 and kappa 0/0';

const ICC_CASES: { name: string; pairs: [number, number][]; note?: string }[] = [
  ...SEEDS.map((seed) => ({ name: `18 participant-visits, seed ${seed}`, pairs: countPairs(`icc ${seed}`, 18) })),
  { name: '200 participant-visits', pairs: countPairs('icc large', 200) },
  { name: 'three participant-visits', pairs: [[0, 1], [2, 2], [5, 3]] },
  { name: 'two participant-visits', pairs: [[1, 2], [4, 3]] },
  {
    name: "two participant-visits where Satterthwaite's degrees of freedom are zero (psych: NaN bounds)",
    pairs: [[1, 4], [2, 3]],
    note: "the interval is undefined: Satterthwaite's degrees of freedom are zero",
  },
  { name: 'perfect agreement', pairs: [[0, 0], [1, 1], [3, 3], [0, 0], [7, 7], [2, 2]], note: SAME_COUNTS },
  { name: 'the second reader always finds one more', pairs: [[0, 1], [1, 2], [3, 4], [0, 1], [7, 8], [2, 3]] },
  { name: 'the first reader finds no lesions', pairs: [[0, 0], [0, 1], [0, 2], [0, 5], [0, 0], [0, 3]] },
  { name: 'every pair the same', pairs: repeat([0, 1], 6), note: 'every pair is the same: the interval has no width' },
  { name: 'two pairs with equal totals whose differences cancel (psych: -Inf)', pairs: [[1, 2], [2, 1]], note: 'undefined: two pairs with the same total and no difference between the readers on average' },
  { name: 'one pair (psych: an error)', pairs: [[2, 3]], note: 'at least two pairs are needed' },
  { name: 'no pairs', pairs: [], note: 'at least two pairs are needed' },
];

const KAPPA_CASES: { name: string; pairs: [boolean, boolean][]; note?: string }[] = [
  ...SEEDS.map((seed, index) => {
    const prevalence = [0.1, 0.3, 0.5][index % 3]!;
    return { name: `54 regions, ${prevalence * 100}% active, seed ${seed}`, pairs: callPairs(`kappa ${seed}`, 54, prevalence) };
  }),
  { name: '600 regions', pairs: callPairs('kappa large', 600, 0.2) },
  { name: 'three regions', pairs: [[true, true], [false, true], [false, false]] },
  { name: 'perfect agreement', pairs: PERFECT_CALLS, note: ZERO_WIDTH_KAPPA },
  { name: 'complete disagreement, each reader calling half active', pairs: OPPOSITE_CALLS, note: ZERO_WIDTH_KAPPA },
  { name: 'the first reader calls nothing active', pairs: [...calls(false, true, 4), ...calls(false, false, 14)], note: ZERO_WIDTH_KAPPA },
  { name: 'one region, the readers disagreeing', pairs: [[true, false]], note: ZERO_WIDTH_KAPPA },
  { name: 'both readers call everything inactive (scikit-learn: NaN)', pairs: calls(false, false, 54), note: SAME_CALL_EVERYWHERE },
  { name: 'both readers call everything active', pairs: calls(true, true, 5), note: SAME_CALL_EVERYWHERE },
  { name: 'no regions', pairs: [], note: 'no pairs' },
];

const F1_CASES: { name: string; counts: LesionCounts }[] = [
  ...SEEDS.map((seed) => {
    const rng = new Rng(`f1 ${seed}`);
    return { name: `seed ${seed}`, counts: { paired: rng.int(0, 40), onlyFirst: rng.int(0, 10), onlySecond: rng.int(0, 10) } };
  }),
  { name: 'perfect agreement', counts: { paired: 9, onlyFirst: 0, onlySecond: 0 } },
  { name: 'one lesion, both readers', counts: { paired: 1, onlyFirst: 0, onlySecond: 0 } },
  { name: 'the first reader marks none', counts: { paired: 0, onlyFirst: 0, onlySecond: 4 } },
  { name: 'the second reader marks none', counts: { paired: 0, onlyFirst: 3, onlySecond: 0 } },
];
/** scikit-learn says 0 here: its zero_division default standing in for 0/0. */
const NO_LESIONS: LesionCounts = { paired: 0, onlyFirst: 0, onlySecond: 0 };

const PROPORTION_CASES: { name: string; successes: number; total: number; note?: string }[] = [
  ...SEEDS.map((seed) => {
    const rng = new Rng(`proportion ${seed}`);
    const total = rng.int(1, 200);
    return { name: `seed ${seed}`, successes: rng.int(0, total), total };
  }),
  { name: 'none of 12', successes: 0, total: 12 },
  { name: 'all of 12', successes: 12, total: 12 },
  { name: 'one of one', successes: 1, total: 1 },
  { name: 'none of one', successes: 0, total: 1 },
  { name: 'no cases (prop.test: an error)', successes: 0, total: 0, note: 'no cases' },
];

let golden: Golden;
beforeAll(() => {
  golden = agreementGolden({
    icc: ICC_CASES.map((item) => item.pairs),
    kappa: KAPPA_CASES.map((item) => item.pairs),
    f1: [...F1_CASES.map((item) => item.counts), NO_LESIONS],
    proportion: PROPORTION_CASES,
  });
});

/** Each figure within 1e-6 of the reference's, and null where the reference has none. */
function expectAgreement(ours: Estimate, reference: GoldenEstimate): void {
  for (const figure of ['value', 'low', 'high'] as const) {
    const expected = reference[figure];
    if (expected === null) expect(ours[figure], figure).toBeNull();
    else expect(ours[figure], figure).toBeCloseTo(expected, 6);
  }
}

describe('iccAbsoluteAgreement, against psych::ICC (ICC2, lmer = FALSE)', () => {
  it.each(ICC_CASES)('$name', (item) => {
    const ours = iccAbsoluteAgreement(item.pairs);
    expectAgreement(ours, golden.icc[ICC_CASES.indexOf(item)]!);
    expect(ours.n).toBe(item.pairs.length);
    expect(ours.note).toBe(item.note);
  });

  it('gives perfect agreement as exactly 1, from 1 to 1', () => {
    expect(iccAbsoluteAgreement([[0, 0], [4, 4], [1, 1]])).toEqual({ value: 1, low: 1, high: 1, n: 3, note: SAME_COUNTS });
  });

  it('is undefined when every count is the same, as when neither reader marks a lesion anywhere', () => {
    // psych's aov leaves rounding noise here (an ICC of 1e-16, bounds near ±0.95) where the mean squares are 0/0.
    const undefinedIcc = (n: number) => ({ value: null, low: null, high: null, n, note: EVERY_COUNT_THE_SAME });
    expect(iccAbsoluteAgreement(repeat([0, 0], 18))).toEqual(undefinedIcc(18));
    expect(iccAbsoluteAgreement(repeat([2, 2], 5))).toEqual(undefinedIcc(5));
  });

  it('refuses a count that is not a number', () => {
    expect(() => iccAbsoluteAgreement([[1, 2], [Number.NaN, 1]])).toThrow('every count must be a finite number');
  });
});

describe('cohenKappa, against scikit-learn (value) and psych::cohen.kappa (value and interval)', () => {
  it.each(KAPPA_CASES)('$name', (item) => {
    const ours = cohenKappa(item.pairs);
    const reference = golden.kappa[KAPPA_CASES.indexOf(item)]!;
    expectAgreement(ours, reference);
    expectAgreement(ours, { ...reference, value: reference.psychValue });
    expect(ours.n).toBe(item.pairs.length);
    expect(ours.note).toBe(item.note);
  });

  it('gives perfect agreement as exactly 1 and total disagreement on a balanced table as -1', () => {
    expect(cohenKappa(PERFECT_CALLS)).toEqual({ value: 1, low: 1, high: 1, n: 18, note: ZERO_WIDTH_KAPPA });
    expect(cohenKappa(OPPOSITE_CALLS)).toEqual({ value: -1, low: -1, high: -1, n: 6, note: ZERO_WIDTH_KAPPA });
  });
});

describe('lesionF1, against scikit-learn (value) and statsmodels (Wilson interval of paired / all lesions, mapped to F1)', () => {
  it.each(F1_CASES)('$name', (item) => {
    const ours = lesionF1(item.counts);
    expectAgreement(ours, golden.f1[F1_CASES.indexOf(item)]!);
    expect(ours.n).toBe(item.counts.paired + item.counts.onlyFirst + item.counts.onlySecond);
    expect(ours.note).toBeUndefined();
  });

  it('is the same whichever reader comes first', () => {
    expect(lesionF1({ paired: 6, onlyFirst: 1, onlySecond: 4 })).toEqual(lesionF1({ paired: 6, onlyFirst: 4, onlySecond: 1 }));
    expect(lesionF1({ paired: 3, onlyFirst: 1, onlySecond: 2 }).value).toBeCloseTo(6 / 9, 12);
  });

  it('is undefined when neither reader marks a lesion, where scikit-learn puts its zero_division default', () => {
    expect(golden.f1[F1_CASES.length]).toEqual({ value: 0, low: null, high: null });
    expect(lesionF1(NO_LESIONS)).toEqual({ value: null, low: null, high: null, n: 0, note: 'no lesions: neither reader marked one' });
  });

  it('refuses counts that are not whole numbers of 0 or more', () => {
    expect(() => lesionF1({ paired: -1, onlyFirst: 0, onlySecond: 0 })).toThrow('paired must be a whole number of 0 or more, not -1');
    expect(() => lesionF1({ paired: 1, onlyFirst: 0.5, onlySecond: 0 })).toThrow('onlyFirst must be a whole number of 0 or more, not 0.5');
  });
});

describe('proportion, against prop.test(correct = FALSE)', () => {
  it.each(PROPORTION_CASES)('$name', (item) => {
    const ours = proportion(item.successes, item.total);
    expectAgreement(ours, golden.proportion[PROPORTION_CASES.indexOf(item)]!);
    expect(ours.n).toBe(item.total);
    expect(ours.note).toBe(item.note);
  });

  it('refuses more successes than cases, or counts that are not whole numbers of 0 or more', () => {
    expect(() => proportion(5, 3)).toThrow('successes (5) cannot exceed the total (3)');
    expect(() => proportion(1, -2)).toThrow('total must be a whole number of 0 or more, not -2');
    expect(() => proportion(Number.NaN, 2)).toThrow('successes must be a whole number of 0 or more, not NaN');
  });
});
