// What every export needs, read through the contract like any client: the
// schedule, the counts, the lesions with their observations, the signatures
// and the study dates. Subject codes only: no PatientID or name leaves.
import type { Client } from '../../shared/client';
import type { CountsReport, LesionView, SeriesImage, SeriesReferences, SignatureView, TrialSetup } from '../../shared/contract';
import type { Region } from '../../shared/protocol';

export interface ExportData {
  studyId: string;
  schedule: TrialSetup['schedule'];
  counts: CountsReport;
  lesions: ReadonlyMap<number, LesionView[]>;
  /** The signature in force per "participant/visit/region", if the read is signed. */
  signatures: ReadonlyMap<string, SignatureView>;
  /** Earlier signatures of a read, unlocked since, oldest first. */
  superseded: ReadonlyMap<string, SignatureView[]>;
  /** Study date (YYYY-MM-DD) per "participant/visit". */
  studyDates: ReadonlyMap<string, string>;
  /** What an export that references images needs (DICOM SR); null for the others. */
  imaging: ImagingData | null;
}

export interface ImagingData {
  /** The series read per "participant/visit/region", as the worklist assigns them. */
  readSeries: ReadonlyMap<string, readonly number[]>;
  /** UIDs of every series read or marked on. */
  series: ReadonlyMap<number, SeriesReferences>;
  /** Geometry of every image a lesion was marked on, per "instanceId/frame". */
  images: ReadonlyMap<string, SeriesImage>;
}

export const imageKey = (instanceId: number, frame: number) => `${instanceId}/${frame}`;

export const readKey = (participantId: number, visitCode: string, region: Region | string) => `${participantId}/${visitCode}/${region}`;

/** The trial's identifier in SDTM and ODM; NCT05792462 unless a setting says otherwise. */
export const DEFAULT_STUDY_ID = 'NCT05792462';

export async function gatherExportData(client: Client, withImaging: boolean, studyId = DEFAULT_STUDY_ID): Promise<ExportData> {
  const [setup, counts, assignments] = await Promise.all([client.trialSetup({}), client.counts({}), client.listAssignments({})]);
  const lesions = new Map<number, LesionView[]>();
  const signatures = new Map<string, SignatureView>();
  const superseded = new Map<string, SignatureView[]>();
  for (const participant of setup.participants) {
    lesions.set(participant.id, await client.listLesions({ participantId: participant.id }));
    const cells = counts.participants.find((item) => item.participantId === participant.id)?.cells ?? [];
    for (const cell of cells) {
      const all = await client.signatures({ participantId: participant.id, visitCode: cell.visitCode, region: cell.region });
      const key = readKey(participant.id, cell.visitCode, cell.region);
      const active = all.find((signature) => signature.supersededAt === null);
      if (active) signatures.set(key, active);
      const earlier = all.filter((signature) => signature.supersededAt !== null).sort((a, b) => a.id - b.id);
      if (earlier.length > 0) superseded.set(key, earlier);
    }
  }
  const studyDates = new Map<string, string>();
  for (const study of assignments) {
    if (study.participantId === null || study.visitCode === null) continue;
    const date = /^\d{8}$/.test(study.studyDate) ? `${study.studyDate.slice(0, 4)}-${study.studyDate.slice(4, 6)}-${study.studyDate.slice(6)}` : '';
    studyDates.set(`${study.participantId}/${study.visitCode}`, date);
  }
  const imaging = withImaging ? await gatherImaging(client, lesions) : null;
  return { studyId, schedule: setup.schedule, counts, lesions, signatures, superseded, studyDates, imaging };
}

async function gatherImaging(client: Client, lesions: ReadonlyMap<number, LesionView[]>): Promise<ImagingData> {
  const readSeries = new Map<string, number[]>();
  for (const row of (await client.worklist({})).rows) {
    for (const cell of row.cells) {
      readSeries.set(
        readKey(row.participantId, cell.visitCode, cell.region),
        cell.series.map((series) => series.seriesId),
      );
    }
  }
  const markedSeries = new Set<number>();
  for (const observation of [...lesions.values()].flat().flatMap((lesion) => lesion.observations)) {
    if (observation.image) markedSeries.add(observation.image.seriesId);
  }
  const series = new Map<number, SeriesReferences>();
  for (const seriesId of new Set([...[...readSeries.values()].flat(), ...markedSeries])) series.set(seriesId, await client.seriesReferences({ seriesId }));
  const images = new Map<string, SeriesImage>();
  for (const seriesId of markedSeries) {
    for (const image of (await client.seriesImages({ seriesId })).images) images.set(imageKey(image.instanceId, image.frame), image);
  }
  return { readSeries, series, images };
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
