// What each evaluator of the double-read demo should have counted: truth.json
// for reader 1 and the final values, and truth.json changed by the second
// reader's script (shared/synthetic/second-reader.ts) for reader 2.
import type { TrialTruth } from '../../shared/synthetic/truth';

export interface ExpectedCount {
  new: number;
  enlarging: number;
}

export const countKey = (subject: string, visit: string, region: string) => `${subject}/${visit}/${region}`;

/** Per subject/visit/region (baseline too, where nothing counts): the counts truth.json gives, or those the second reader's script leaves. */
export function expectedCounts(truth: TrialTruth, evaluator: 'truth' | 'reader2'): Map<string, ExpectedCount> {
  const counts = new Map<string, ExpectedCount>();
  for (const participant of truth.participants) {
    for (const region of truth.regions) counts.set(countKey(participant.subject, truth.visits[0]!.code, region), { new: 0, enlarging: 0 });
    for (const row of participant.counts.previous) counts.set(countKey(participant.subject, row.visit, row.region), { new: row.new, enlarging: row.enlarging });
  }
  if (evaluator === 'truth') return counts;
  const script = truth.secondReader;
  if (!script) throw new Error('truth.json has no second reader: it was not read with --double.');
  for (const missed of script.missed) {
    const lesion = truth.participants.find((participant) => participant.subject === missed.subject)!.lesions.find((item) => item.id === missed.lesionId)!;
    for (const visit of lesion.visits) {
      const cell = counts.get(countKey(missed.subject, visit.visit, lesion.region))!;
      if (visit.status.previous === 'new') cell.new -= 1;
      if (visit.status.previous === 'enlarging') cell.enlarging -= 1;
    }
  }
  for (const added of script.added) counts.get(countKey(added.subject, added.visit, added.region))!.new += 1;
  return counts;
}
