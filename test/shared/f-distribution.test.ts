// F quantiles against R, over degrees of freedom whole and fractional from
// below 1 to thousands: the range Satterthwaite's degrees of freedom take in
// the ICC's interval (shared/agreement.ts), for trials of up to thousands of
// participant-visits. Two checks: R's qf gives the same quantile, and R's pf
// at our quantile gives back the probability. The second alone covers the
// far lower tail with a numerator below 1, where qf itself loses digits (its
// answer for p = 0.025 on 0.4 and 120.5 degrees of freedom has pf 0.0250000078).
import { beforeAll, describe, expect, it } from 'vitest';
import { fQuantile } from '../../shared/f-distribution';
import { agreementGolden, type Golden } from '../helpers/agreement-golden';

const DEGREES_OF_FREEDOM = [0.4, 1, 1.7, 3, 17, 120.5, 4000];
const grid = (probabilities: number[]) =>
  probabilities.flatMap((p) => DEGREES_OF_FREEDOM.flatMap((numerator) => DEGREES_OF_FREEDOM.map((denominator) => ({ p, numerator, denominator, ours: fQuantile(p, numerator, denominator) }))));
/** The interval of the ICC takes the 0.975 quantile. */
const AGAINST_QF = grid([0.5, 0.975]);
const AGAINST_PF = grid([0.025, 0.5, 0.975]);

let golden: Golden;
beforeAll(() => {
  golden = agreementGolden({ fQuantile: AGAINST_QF, fDistribution: AGAINST_PF.map(({ ours, numerator, denominator }) => ({ f: ours, numerator, denominator })) });
});

describe('fQuantile', () => {
  it('agrees with R qf to 1 part in 1e9', () => {
    const disagreeing = AGAINST_QF.filter((item, index) => {
      const expected = golden.fQuantile[index]!.value!;
      return !(Math.abs(item.ours - expected) <= 1e-9 * expected);
    });
    expect(disagreeing).toEqual([]);
  });

  it('is where R pf reaches the probability, to 1e-11', () => {
    const missed = AGAINST_PF.filter((item, index) => !(Math.abs(golden.fDistribution[index]!.value! - item.p) <= 1e-11));
    expect(missed).toEqual([]);
  });

  it('refuses a probability outside (0, 1) or degrees of freedom that are not positive', () => {
    expect(() => fQuantile(1, 3, 4)).toThrow('the probability must lie strictly between 0 and 1, not 1');
    expect(() => fQuantile(0.5, 0, 4)).toThrow('degrees of freedom must be positive and finite, not 0 and 4');
    expect(() => fQuantile(0.5, 3, Number.POSITIVE_INFINITY)).toThrow('degrees of freedom must be positive and finite, not 3 and Infinity');
  });
});
