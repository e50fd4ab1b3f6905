import { describe, expect, it } from 'vitest';
import { type CharterSettings, type LesionHistory, suggestStatus, type VisitSlot } from '../../../shared/counting';
import { DEFAULT_CHARTER_RULES, type CharterRules } from '../../../shared/synthetic/charter';
import { countLesions, lesionStatus, statusesOf } from '../../../shared/synthetic/oracle';

const rules = DEFAULT_CHARTER_RULES;
const VISITS = [
  { code: 'W0', week: 0 },
  { code: 'W12', week: 12 },
  { code: 'W24', week: 24 },
  { code: 'W52', week: 52 },
];
const REGIONS = ['brain', 'spinal_cord', 'optic_nerve'] as const;

describe('default charter rules', () => {
  it('are the documented defaults', () => {
    expect(DEFAULT_CHARTER_RULES).toEqual({
      comparator: 'previous',
      enlarging: { minRelativeIncrease: 0.5, minAbsoluteIncreaseMm: 3, combine: 'both' },
      minLesionSizeMm: 3,
      endpointWeeks: [12, 24, 52],
    });
    expect(Object.isFrozen(DEFAULT_CHARTER_RULES)).toBe(true);
  });
});

describe('lesion status', () => {
  it('calls a lesion new when absent on the comparator and present now', () => {
    expect(lesionStatus(5, 0, rules)).toBe('new');
    expect(lesionStatus(5, null, rules)).toBe('baseline');
    expect(lesionStatus(0, null, rules)).toBe('absent');
  });

  it('treats a lesion below the minimum size as absent', () => {
    expect(lesionStatus(2.9, 0, rules)).toBe('absent');
    expect(lesionStatus(3, 0, rules)).toBe('new');
    // Below the minimum on the comparator, countable now: new, not enlarging.
    expect(lesionStatus(6, 2.5, rules)).toBe('new');
    expect(lesionStatus(2.5, 6, rules)).toBe('resolved');
  });

  it('needs both the relative and the absolute increase by default', () => {
    expect(lesionStatus(9, 6, rules)).toBe('enlarging'); // +50%, +3 mm
    expect(lesionStatus(8.9, 6, rules)).toBe('stable'); // +48%
    expect(lesionStatus(5.9, 3.9, rules)).toBe('stable'); // +51% but only +2 mm
    expect(lesionStatus(24, 20, rules)).toBe('stable'); // +4 mm but only +20%
  });

  it('accepts either increase when the charter says so', () => {
    const either: CharterRules = { ...rules, enlarging: { ...rules.enlarging, combine: 'either' } };
    expect(lesionStatus(5.9, 3.9, either)).toBe('enlarging');
    expect(lesionStatus(24, 20, either)).toBe('enlarging');
    expect(lesionStatus(21, 20, either)).toBe('stable');
  });

  it('calls shrinking the mirror of enlarging: the comparator 50% and 3 mm above today, by default', () => {
    expect(lesionStatus(6, 9, rules)).toBe('shrinking'); // 9 is +50% and +3 mm over 6, as 6 -> 9 is enlarging
    expect(lesionStatus(6.1, 9, rules)).toBe('stable'); // 9 is +48% over 6.1
    expect(lesionStatus(4, 6, rules)).toBe('stable'); // +50% but only 2 mm
    expect(lesionStatus(20, 24, rules)).toBe('stable'); // 4 mm but only +20%
    expect(lesionStatus(6, 10, rules)).toBe('shrinking');
    expect(lesionStatus(7.5, 10, rules)).toBe('stable'); // 10 is only +33% over 7.5
    expect(lesionStatus(0, 10, rules)).toBe('resolved');
  });

  it('calls shrinking on either decrease when the charter says so', () => {
    const either: CharterRules = { ...rules, enlarging: { ...rules.enlarging, combine: 'either' } };
    expect(lesionStatus(4, 6, either)).toBe('shrinking');
    expect(lesionStatus(20, 24, either)).toBe('shrinking');
    expect(lesionStatus(20, 21, either)).toBe('stable');
  });
});

describe('the oracle and the app read sizes alike', () => {
  // Two implementations of one meaning (they share no code): the same status for every pair of sizes
  // from 3 to 20 mm in half millimetres, under both ways of combining the rules.
  const baseline: VisitSlot = { code: 'W0', order: 0, isBaseline: true, inEndpoint: false };
  const followUp: VisitSlot = { code: 'W12', order: 1, isBaseline: false, inEndpoint: true };
  const sizes = Array.from({ length: 35 }, (_, index) => 3 + index / 2);

  for (const combine of ['both', 'either'] as const) {
    it(`with ${combine} of the enlarging rules`, () => {
      const oracleRules: CharterRules = { ...rules, enlarging: { ...rules.enlarging, combine } };
      // The same charter in the app's words.
      const charter: CharterSettings = { id: 'oracle', comparator: 'previous', minimumSizeMm: rules.minLesionSizeMm, enlargingRelative: rules.enlarging.minRelativeIncrease, enlargingAbsoluteMm: rules.enlarging.minAbsoluteIncreaseMm, enlargingRule: combine };
      const seen = new Set<string>();
      for (const before of sizes) {
        for (const after of sizes) {
          const lesion: LesionHistory = { id: 'L1', region: 'brain', findings: new Map([['W0', { kind: 'measured', longestDiameterMm: before }], ['W12', { kind: 'measured', longestDiameterMm: after }]]) };
          const expected = lesionStatus(after, before, oracleRules);
          expect(suggestStatus(lesion, followUp, [baseline, followUp], charter)?.status, `${before} -> ${after} mm`).toBe(expected);
          seen.add(expected);
        }
      }
      expect([...seen].sort()).toEqual(['enlarging', 'shrinking', 'stable']);
    });
  }
});

describe('counts (hand-checked)', () => {
  // One participant: a lesion new at W12 that enlarges at W24, a baseline lesion
  // enlarging at W52, a cord lesion new at W24, a shrinking one, and an optic lesion
  // new at W12 that resolves at W52.
  const lesions = [
    { region: 'brain' as const, sizes: [0, 5, 10, 10] },
    { region: 'brain' as const, sizes: [6, 6, 6, 12] },
    { region: 'brain' as const, sizes: [12, 12, 6, 6] },
    { region: 'spinal_cord' as const, sizes: [0, 0, 40, 40] },
    { region: 'optic_nerve' as const, sizes: [0, 20, 20, 0] },
  ];

  it('compares with the previous scan: one lesion counts once per interval, new or enlarging', () => {
    const result = countLesions(lesions, VISITS, REGIONS, 'previous', rules);
    const cell = (visit: string, region: string) => result.rows.find((row) => row.visit === visit && row.region === region)!;
    expect(cell('W12', 'brain')).toMatchObject({ new: 1, enlarging: 0, newOrEnlarging: 1, comparatorVisit: 'W0' });
    expect(cell('W24', 'brain')).toMatchObject({ new: 0, enlarging: 1, newOrEnlarging: 1, comparatorVisit: 'W12' });
    expect(cell('W52', 'brain')).toMatchObject({ new: 0, enlarging: 1, newOrEnlarging: 1, comparatorVisit: 'W24' });
    expect(cell('W24', 'spinal_cord')).toMatchObject({ new: 1, newOrEnlarging: 1 });
    expect(cell('W52', 'spinal_cord')).toMatchObject({ new: 0, newOrEnlarging: 0 });
    expect(cell('W12', 'optic_nerve')).toMatchObject({ new: 1 });
    expect(cell('W52', 'optic_nerve')).toMatchObject({ new: 0, enlarging: 0 });
    expect(result.rows).toHaveLength(9);
    expect(result.endpoint).toBe(5);
  });

  it('compares with baseline: lesions absent at baseline count as new at every later visit', () => {
    const result = countLesions(lesions, VISITS, REGIONS, 'baseline', rules);
    const cell = (visit: string, region: string) => result.rows.find((row) => row.visit === visit && row.region === region)!;
    expect(cell('W12', 'brain')).toMatchObject({ new: 1, enlarging: 0, comparatorVisit: 'W0' });
    expect(cell('W24', 'brain')).toMatchObject({ new: 1, enlarging: 0, comparatorVisit: 'W0' });
    expect(cell('W52', 'brain')).toMatchObject({ new: 1, enlarging: 1 });
    expect(cell('W24', 'spinal_cord')).toMatchObject({ new: 1 });
    expect(cell('W52', 'spinal_cord')).toMatchObject({ new: 1 });
    expect(cell('W24', 'optic_nerve')).toMatchObject({ new: 1 });
    expect(cell('W52', 'optic_nerve')).toMatchObject({ new: 0 });
    expect(result.endpoint).toBe(8); // brain 3 + 1, cord 2, optic 2
  });

  it('gives statuses per visit for both comparators', () => {
    expect(statusesOf([0, 5, 10, 10], 'previous', rules)).toEqual(['absent', 'new', 'enlarging', 'stable']);
    expect(statusesOf([0, 5, 10, 10], 'baseline', rules)).toEqual(['absent', 'new', 'new', 'new']);
    expect(statusesOf([12, 12, 6, 6], 'previous', rules)).toEqual(['baseline', 'stable', 'shrinking', 'stable']);
    expect(statusesOf([8, 8, 0, 0], 'previous', rules)).toEqual(['baseline', 'stable', 'resolved', 'absent']);
    expect(statusesOf([8, 8, 0, 0], 'baseline', rules)).toEqual(['baseline', 'stable', 'resolved', 'resolved']);
  });
});
