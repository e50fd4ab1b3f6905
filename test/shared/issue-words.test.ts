// Refusals in words: every kind of validation issue, through the contract's
// own schemas, reads as a sentence about a field a person can find.
import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { describeIssue, fieldName } from '../../shared/issue-words';

function refusal(name: keyof typeof contract, payload: unknown): string[] {
  const parsed = contract[name].request.safeParse(payload);
  if (parsed.success) throw new Error(`${name} accepted ${JSON.stringify(payload)}`);
  return parsed.error.issues.map(describeIssue);
}

const schedule = (weeks: number[]) => ({ visits: weeks.map((week, index) => ({ code: `V${index}`, label: `Visit ${index}`, week, inEndpoint: true })), toleranceDays: 14 });
const rules = { regions: [], sequences: [], ignorePattern: '' };

describe('refusals in words', () => {
  it('names the field as a person reads it', () => {
    expect(fieldName(['schedule', 'visits', 1, 'week'])).toBe('Schedule, visit 2, week');
    expect(fieldName(['observation', 'marks', 'diameter', 0])).toBe('Observation, marks, end 1');
    expect(fieldName(['charter', 'minimumSizeMm'])).toBe('Charter, smallest lesion counted');
    expect(fieldName(['baselineDate'])).toBe('Baseline date');
    expect(fieldName([])).toBe('The request');
  });

  it('says what is wrong with the value', () => {
    expect(refusal('saveProtocol', { schedule: schedule([0, -12]), rules })).toEqual([
      'Schedule, visit 2, week: must be 0 or more.',
      'Visit 1 (week -12) comes after Visit 0 (week 0): list the visits in order of their weeks.',
    ]);
    expect(refusal('saveParticipant', { subjectCode: '001', baselineDate: '1/1/2024' })).toEqual(['Baseline date: must be a date written YYYY-MM-DD.']);
    expect(refusal('saveParticipant', { subjectCode: '; DROP', baselineDate: '2024-01-01' })).toEqual(['Subject code: may hold only letters, digits, - and _.']);
    expect(refusal('saveParticipant', { subjectCode: 'x'.repeat(33), baselineDate: '2024-01-01' })).toEqual(['Subject code: must be at most 32 characters.']);
    expect(refusal('saveParticipant', { baselineDate: '2024-01-01' })).toEqual(['Subject code: is missing.']);
    expect(refusal('assignSeries', { seriesId: 1, region: 'liver', sequence: 'T2' })).toEqual(['Region: must be one of "brain", "spinal_cord", "optic_nerve".']);
    expect(refusal('seriesImages', { seriesId: 1.5 })).toEqual(['Series: must be a whole number.']);
    expect(refusal('listSeries', { extra: 1 })).toEqual(['The request: has a field it does not know: extra.']);
    expect(refusal('saveCharter', { charter: { id: 'x', comparator: 'previous', minimumSizeMm: 60, enlargingRelative: 0.5, enlargingAbsoluteMm: 3, enlargingRule: 'both' } })).toEqual([
      'Charter, smallest lesion counted: must be 50 or less.',
    ]);
  });

  it('gives the schedule rules as sentences about the visits', () => {
    expect(refusal('saveProtocol', { schedule: schedule([0, 12, 12]), rules })).toEqual(['Visit 2 has the same week as Visit 1 (week 12).']);
  });
});
