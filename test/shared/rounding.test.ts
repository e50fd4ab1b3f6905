// Rounding for storage and truth files: the same numbers as Math.round at
// the scale asked for, point by point.
import { describe, expect, it } from 'vitest';
import { roundPoint, roundTo } from '../../shared/rounding';

describe('roundTo', () => {
  it('keeps the decimals asked for', () => {
    expect(roundTo(12.3456, 2)).toBe(12.35);
    expect(roundTo(12.3456, 3)).toBe(12.346);
    expect(roundTo(0.123456, 4)).toBe(0.1235);
    expect(roundTo(7.5, 0)).toBe(8);
  });

  it('rounds halves as Math.round does, negatives towards positive infinity', () => {
    expect(roundTo(-1.005 * 1, 2)).toBe(Math.round(-1.005 * 100) / 100);
    expect(roundTo(-2.5, 0)).toBe(-2);
    expect(roundTo(2.675, 2)).toBe(Math.round(2.675 * 100) / 100);
  });

  it('gives exactly the values the generator and stores wrote before it was shared', () => {
    for (let i = 0; i < 2000; i += 1) {
      const value = Math.sin(i) * 10 ** (i % 5);
      expect(roundTo(value, 2)).toBe(Math.round(value * 100) / 100);
      expect(roundTo(value, 3)).toBe(Math.round(value * 1000) / 1000);
      expect(roundTo(value, 4)).toBe(Math.round(value * 10000) / 10000);
    }
  });
});

describe('roundPoint', () => {
  it('rounds each coordinate', () => {
    expect(roundPoint([1.23456, -9.87654, 0.00049], 3)).toEqual([1.235, -9.877, 0]);
    expect(roundPoint([1.23456, -9.87654, 100.005], 2)).toEqual([1.23, -9.88, Math.round(100.005 * 100) / 100]);
  });
});
