// The setup rules, each broken one a sentence about the field.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHARTER } from '../../shared/counting';
import { DEFAULT_SCHEDULE } from '../../shared/protocol';
import { baselineDateProblem, charterProblems, scheduleProblems } from '../../shared/validation';

const visit = (code: string, week: number, label = `Week ${week}`) => ({ code, label, week, inEndpoint: week > 0 });

describe('scheduleProblems', () => {
  it('passes the default schedule', () => {
    expect(scheduleProblems(DEFAULT_SCHEDULE)).toEqual([]);
  });

  it('names a visit whose week repeats another, as when W24 is set to week 12', () => {
    expect(scheduleProblems({ visits: [visit('W0', 0), visit('W12', 12), visit('W24', 12, 'Week 24'), visit('W52', 52)] })).toEqual(['Week 24 has the same week as Week 12 (week 12).']);
  });

  it('names a repeated code, a baseline not at week 0, and weeks out of order', () => {
    expect(scheduleProblems({ visits: [visit('W0', 0), visit('W0', 12, 'Week 12')] })).toEqual(['Week 12 has the same code (W0) as Week 0.']);
    expect(scheduleProblems({ visits: [visit('W4', 4, 'Screening'), visit('W12', 12)] })).toEqual(['The first visit, Screening, must be the baseline at week 0.']);
    expect(scheduleProblems({ visits: [visit('W0', 0), visit('W24', 24), visit('W12', 12)] })).toEqual(['Week 12 (week 12) comes after Week 24 (week 24): list the visits in order of their weeks.']);
  });
});

describe('baselineDateProblem', () => {
  const today = '2026-11-30';
  it('accepts a real date between 1980 and today', () => {
    for (const date of ['1980-01-01', '2000-12-22', '2024-02-29', today]) expect(baselineDateProblem(date, today)).toBeNull();
  });

  it('refuses dates that are not in the calendar, too old, or in the future', () => {
    expect(baselineDateProblem('2023-02-29', today)).toBe('The baseline date 2023-02-29 is not a date of the calendar.');
    expect(baselineDateProblem('2024-13-01', today)).toBe('The baseline date 2024-13-01 is not a date of the calendar.');
    expect(baselineDateProblem('1900-01-01', today)).toBe('The baseline date 1900-01-01 is before 1980: no MRI of the trial can be that old.');
    expect(baselineDateProblem('2026-12-01', today)).toBe('The baseline date 2026-12-01 is in the future (today is 2026-11-30).');
  });
});

describe('charterProblems', () => {
  it('passes the default charter and its limits', () => {
    expect(charterProblems(DEFAULT_CHARTER)).toEqual([]);
    expect(charterProblems({ ...DEFAULT_CHARTER, minimumSizeMm: 0, enlargingRelative: 10, enlargingAbsoluteMm: 50 })).toEqual([]);
  });

  it('names each value out of range as the charter screen shows it', () => {
    expect(charterProblems({ ...DEFAULT_CHARTER, id: ' ', minimumSizeMm: -1, enlargingRelative: 11, enlargingAbsoluteMm: Number.NaN })).toEqual([
      'The charter needs an identifier: it is written into every signed read and export.',
      'The smallest lesion counted must be between 0 mm and 50 mm.',
      'The relative growth for enlarging must be between 0% and 1000%.',
      'The growth in mm for enlarging must be between 0 mm and 50 mm.',
    ]);
    expect(charterProblems({ ...DEFAULT_CHARTER, id: 'x'.repeat(65) })).toEqual(['The charter identifier may be at most 64 characters.']);
  });
});
