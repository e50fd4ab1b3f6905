// The rules a trial's setup must keep, beyond the shape of each field, each
// broken rule a sentence about the field. The contract applies them to every
// request, and the setup screens show them as the user types, so a button
// that stays disabled says why.
import { CHARTER_RANGES } from './contract/settings';
import type { CharterSettings } from './counting';
import type { VisitSchedule } from './protocol';

/** Codes and weeks unique, weeks increasing down the list, the first visit the baseline at week 0. */
export function scheduleProblems(schedule: Pick<VisitSchedule, 'visits'>): string[] {
  const problems: string[] = [];
  const { visits } = schedule;
  const name = (visit: (typeof visits)[number]) => visit.label || visit.code || 'a visit without a name';
  if (visits.length > 0 && visits[0]!.week !== 0) problems.push(`The first visit, ${name(visits[0]!)}, must be the baseline at week 0.`);
  visits.forEach((visit, index) => {
    const earlier = visits.slice(0, index);
    const sameCode = earlier.find((other) => other.code === visit.code);
    if (sameCode) problems.push(`${name(visit)} has the same code (${visit.code}) as ${name(sameCode)}.`);
    const sameWeek = earlier.find((other) => other.week === visit.week);
    if (sameWeek) problems.push(`${name(visit)} has the same week as ${name(sameWeek)} (week ${visit.week}).`);
    else if (index > 0 && visit.week < visits[index - 1]!.week) problems.push(`${name(visit)} (week ${visit.week}) comes after ${name(visits[index - 1]!)} (week ${visits[index - 1]!.week}): list the visits in order of their weeks.`);
  });
  return problems;
}

/** The date (YYYY-MM-DD) where the workstation is: "today" for a reader in any time zone. */
export function localDay(now: Date): string {
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** No MRI scan of a participant can predate clinical MRI. */
export const EARLIEST_BASELINE = '1980-01-01';

/** A real calendar date, not before clinical MRI existed, not in the future (today: YYYY-MM-DD, the workstation's date). */
export function baselineDateProblem(date: string, today: string): string | null {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
    return `The baseline date ${date} is not a date of the calendar.`;
  }
  if (date < EARLIEST_BASELINE) return `The baseline date ${date} is before ${EARLIEST_BASELINE.slice(0, 4)}: no MRI of the trial can be that old.`;
  if (date > today) return `The baseline date ${date} is in the future (today is ${today}).`;
  return null;
}

/** The contract's ranges of the charter's numbers, said as the charter screen shows them. */
export const CHARTER_LIMITS = {
  minimumSizeMm: { ...CHARTER_RANGES.minimumSizeMm, label: 'The smallest lesion counted', shown: (value: number) => `${value} mm` },
  enlargingRelative: { ...CHARTER_RANGES.enlargingRelative, label: 'The relative growth for enlarging', shown: (value: number) => `${Math.round(value * 100)}%` },
  enlargingAbsoluteMm: { ...CHARTER_RANGES.enlargingAbsoluteMm, label: 'The growth in mm for enlarging', shown: (value: number) => `${value} mm` },
} as const;

export function charterProblems(charter: Pick<CharterSettings, 'id' | 'minimumSizeMm' | 'enlargingRelative' | 'enlargingAbsoluteMm'>): string[] {
  const problems: string[] = [];
  if (charter.id.trim() === '') problems.push('The charter needs an identifier: it is written into every signed read and export.');
  else if (charter.id.length > 64) problems.push('The charter identifier may be at most 64 characters.');
  for (const field of ['minimumSizeMm', 'enlargingRelative', 'enlargingAbsoluteMm'] as const) {
    const { min, max, label, shown } = CHARTER_LIMITS[field];
    const value = charter[field];
    if (!Number.isFinite(value) || value < min || value > max) problems.push(`${label} must be between ${shown(min)} and ${shown(max)}.`);
  }
  return problems;
}
