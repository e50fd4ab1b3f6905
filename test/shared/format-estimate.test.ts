import { describe, expect, it } from 'vitest';
import { formatEstimate } from '../../shared/agreement';

describe('an estimate in words', () => {
  it('gives the value and its interval to two places, and n', () => {
    expect(formatEstimate({ value: 0.8234, low: 0.6149, high: 0.9351, n: 18 })).toBe('0.82 (0.61 to 0.94), n = 18');
  });

  it('says why there is no value, and leaves out an interval there is not', () => {
    expect(formatEstimate({ value: null, low: null, high: null, n: 3, note: 'no variation: every count is the same' })).toBe('– (no variation: every count is the same), n = 3');
    expect(formatEstimate({ value: 1, low: null, high: null, n: 1 })).toBe('1.00, n = 1');
  });

  it('says why an interval has no width', () => {
    expect(formatEstimate({ value: 0, low: 0, high: 0, n: 9, note: 'one reader gives every case the same call' })).toBe('0.00 (0.00 to 0.00), n = 9; one reader gives every case the same call');
  });
});
