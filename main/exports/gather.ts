// What every export needs, read through the contract like any client: the
// schedule, the counts, the lesions with their observations, the signatures
// and the study dates. Subject codes only: no PatientID or name leaves.
import type { Client } from '../../shared/client';
import type { CountsReport, LesionView, SignatureView, TrialSetup } from '../../shared/contract';
import type { Region } from '../../shared/protocol';

export interface ExportData {
  studyId: string;
  schedule: TrialSetup['schedule'];
  counts: CountsReport;
  lesions: ReadonlyMap<number, LesionView[]>;
  /** The signature in force per "participant/visit/region", if the read is signed. */
  signatures: ReadonlyMap<string, SignatureView>;
  /** Study date (YYYY-MM-DD) per "participant/visit". */
  studyDates: ReadonlyMap<string, string>;
}

export const readKey = (participantId: number, visitCode: string, region: Region | string) => `${participantId}/${visitCode}/${region}`;

/** The trial's identifier in SDTM and ODM; NCT05792462 unless a setting says otherwise. */
export const DEFAULT_STUDY_ID = 'NCT05792462';

export async function gatherExportData(client: Client, studyId = DEFAULT_STUDY_ID): Promise<ExportData> {
  const [setup, counts, assignments] = await Promise.all([client.trialSetup({}), client.counts({}), client.listAssignments({})]);
  const lesions = new Map<number, LesionView[]>();
  const signatures = new Map<string, SignatureView>();
  for (const participant of setup.participants) {
    lesions.set(participant.id, await client.listLesions({ participantId: participant.id }));
    const cells = counts.participants.find((item) => item.participantId === participant.id)?.cells ?? [];
    for (const cell of cells) {
      const active = (await client.signatures({ participantId: participant.id, visitCode: cell.visitCode, region: cell.region })).find((signature) => signature.supersededAt === null);
      if (active) signatures.set(readKey(participant.id, cell.visitCode, cell.region), active);
    }
  }
  const studyDates = new Map<string, string>();
  for (const study of assignments) {
    if (study.participantId === null || study.visitCode === null) continue;
    const date = /^\d{8}$/.test(study.studyDate) ? `${study.studyDate.slice(0, 4)}-${study.studyDate.slice(4, 6)}-${study.studyDate.slice(6)}` : '';
    studyDates.set(`${study.participantId}/${study.visitCode}`, date);
  }
  return { studyId, schedule: setup.schedule, counts, lesions, signatures, studyDates };
}

/** Visit number for SDTM/ODM: the position in the schedule (1 = baseline); unscheduled visits get 99. */
export function visitNumber(schedule: TrialSetup['schedule'], visitCode: string): number {
  const index = schedule.visits.findIndex((visit) => visit.code === visitCode);
  return index >= 0 ? index + 1 : 99;
}

export function visitLabel(schedule: TrialSetup['schedule'], visitCode: string): string {
  return schedule.visits.find((visit) => visit.code === visitCode)?.label ?? `Unscheduled ${visitCode.replace(/^UNS-/, '')}`;
}

export function visitWeek(schedule: TrialSetup['schedule'], visitCode: string): number | '' {
  return schedule.visits.find((visit) => visit.code === visitCode)?.week ?? '';
}
