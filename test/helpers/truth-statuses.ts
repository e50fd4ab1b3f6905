// Every lesion's status at every visit, as truth.json has it and as the app
// shows it, in one vocabulary, so tests compare the statuses that are not
// counted (stable, shrinking, resolved, baseline) with truth as well as the
// counts. Where the words differ the mapping is explicit:
// - truth's 'baseline' is the app's 'stable' with no comparator: the baseline scan is the reference;
// - where a lesion is missing, the app shows the finding the reader recorded: 'resolved' at the first
//   visit it is gone, nothing after. That is truth's reading against the previous scan ('resolved',
//   then 'absent'), whatever the comparator, because the app's 'resolved' is a finding, not a comparison;
// - truth's 'absent' is no observation in the app.
import type { LesionView } from '../../shared/contract';
import type { LesionStatus as AppStatus } from '../../shared/counting';
import type { Comparator } from '../../shared/synthetic/charter';
import type { LesionStatus as TruthStatus } from '../../shared/synthetic/oracle';
import { REGION_PREFIX } from '../../shared/protocol';
import type { ParticipantTruth } from '../../shared/synthetic/truth';

export interface VisitStatus {
  status: AppStatus | null;
  comparatorVisit: string | null;
}

const APP_STATUS: Readonly<Record<TruthStatus, AppStatus | null>> = {
  baseline: 'stable',
  new: 'new',
  enlarging: 'enlarging',
  stable: 'stable',
  shrinking: 'shrinking',
  resolved: 'resolved',
  absent: null,
};

/** Truth's statuses by lesion label (e.g. "B2"), visit by visit in schedule order; null where the app has no observation. */
export function truthStatuses(participant: ParticipantTruth, comparator: Comparator): Record<string, (VisitStatus | null)[]> {
  return Object.fromEntries(
    participant.lesions.map((lesion) => [
      `${REGION_PREFIX[lesion.region]}${lesion.number}`,
      lesion.visits.map((visit, index) => {
        const status = APP_STATUS[visit.status[visit.present ? comparator : 'previous']];
        if (status === null) return null;
        const comparatorVisit = index === 0 ? null : lesion.visits[comparator === 'previous' ? index - 1 : 0]!.visit;
        return { status, comparatorVisit };
      }),
    ]),
  );
}

/** The app's final statuses by lesion label, at the given visits; null where a lesion has no observation. */
export function appStatuses(lesions: readonly LesionView[], visitCodes: readonly string[]): Record<string, (VisitStatus | null)[]> {
  return Object.fromEntries(
    lesions.map((lesion) => [
      lesion.label,
      visitCodes.map((code) => {
        const observation = lesion.observations.find((item) => item.visitCode === code);
        return observation ? { status: observation.finalStatus, comparatorVisit: observation.suggestion?.comparatorVisit ?? null } : null;
      }),
    ]),
  );
}
