// Reading layouts as data: which series a visit shows, and how a reader's pick changes their preference.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUTS, matchingSeries, preferredSeries, preferring } from '../../shared/hanging';

const visit = [
  { seriesId: 11, sequence: 'T2' as const },
  { seriesId: 12, sequence: 'FLAIR' as const },
  { seriesId: 13, sequence: 'STIR' as const },
];

describe('preferredSeries', () => {
  it('shows the series of the first preferred sequence the visit has', () => {
    expect(preferredSeries(visit, ['FLAIR', 'T2'])).toBe(12);
    expect(preferredSeries(visit, ['T1', 'STIR', 'FLAIR'])).toBe(13);
  });

  it('falls back to the visit\'s first series, and to nothing for a visit without series', () => {
    expect(preferredSeries(visit, ['T1'])).toBe(11);
    expect(preferredSeries(visit, [])).toBe(11);
    expect(preferredSeries([], ['FLAIR'])).toBeNull();
  });

  it('hangs FLAIR for the brain and STIR for the cord by default, two panes each', () => {
    expect(preferredSeries(visit, DEFAULT_LAYOUTS.brain.sequences)).toBe(12);
    expect(preferredSeries(visit, DEFAULT_LAYOUTS.spinal_cord.sequences)).toBe(13);
    expect(Object.values(DEFAULT_LAYOUTS).map((layout) => layout.layout)).toEqual(['two', 'two', 'two']);
  });
});

describe('matchingSeries', () => {
  const prior = [
    { seriesId: 21, description: 'AX T2 FLAIR' },
    { seriesId: 22, description: 'SAG 3D FLAIR' },
  ];

  it('finds the series of the description chosen at the visit read, whatever its case and spacing', () => {
    expect(matchingSeries(prior, { description: 'SAG 3D FLAIR' })).toBe(22);
    expect(matchingSeries(prior, { description: ' sag  3d flair' })).toBe(22);
    expect(matchingSeries(prior, { description: 'AX T2 FLAIR' })).toBe(21);
  });

  it('finds nothing without a choice or without a series of that description', () => {
    expect(matchingSeries(prior, undefined)).toBeNull();
    expect(matchingSeries(prior, { description: 'COR STIR ORBITS' })).toBeNull();
    expect(matchingSeries([], { description: 'SAG 3D FLAIR' })).toBeNull();
  });
});

describe('preferring', () => {
  it('puts the sequence picked first and keeps the others in their order', () => {
    expect(preferring({ layout: 'four', sequences: ['FLAIR', 'T2', 'STIR'] }, 'STIR')).toEqual({ layout: 'four', sequences: ['STIR', 'FLAIR', 'T2'] });
    expect(preferring({ layout: 'two', sequences: ['FLAIR'] }, 'FLAIR')).toEqual({ layout: 'two', sequences: ['FLAIR'] });
    expect(preferring({ layout: 'two', sequences: [] }, 'T1')).toEqual({ layout: 'two', sequences: ['T1'] });
  });

  it('keeps at most five sequences, as the contract does', () => {
    expect(preferring({ layout: 'two', sequences: ['FLAIR', 'T2', 'STIR', 'T1', 'other'] }, 'T1').sequences).toEqual(['T1', 'FLAIR', 'T2', 'STIR', 'other']);
  });
});
