// What `lesiontrack pacs find` and `lesiontrack dicomweb find` share: the
// search options, the search they describe, and how studies and series print.
import type { Client } from '../../../shared/client';
import type { ImportSummary } from '../../../shared/contract';
import type { SeriesMatch, StudyMatch, StudySearch } from '../../network/pacs';
import { type CommandContext, integerOption, type Io, type OptionSpecs, UsageError } from '../command';

export const FIND_OPTIONS = {
  'patient-id': { type: 'string', valueName: 'ID', description: 'find: the patient ID (wildcards * and ? as the archive allows)' },
  name: { type: 'string', valueName: 'NAME', description: 'find: the patient name (DICOM form, e.g. DOE^J*)' },
  from: { type: 'string', valueName: 'YYYYMMDD', description: 'find: studies on or after this date' },
  to: { type: 'string', valueName: 'YYYYMMDD', description: 'find: studies on or before this date' },
  modality: { type: 'string', valueName: 'MODALITY', description: 'find: studies with this modality (MR, CT...)' },
  study: { type: 'string', valueName: 'UID', description: 'find: list this study\'s series; retrieve: the study to retrieve' },
  participant: { type: 'string', valueName: 'CODE', description: 'the studies of this participant\'s linked patient IDs (retrieve: those not in the store yet)' },
  timeout: { type: 'string', valueName: 'SECONDS', description: 'how long the archive may stay silent (default 30)' },
} as const satisfies OptionSpecs;

type FindValues = { [K in keyof typeof FIND_OPTIONS]?: string | undefined };

const date = (option: string, text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d{8}$/.test(text)) throw new UsageError(`${option} takes a date as YYYYMMDD, not "${text}".`);
  return text;
};

/** The study search the find options describe. */
export function studySearch(values: FindValues): StudySearch {
  return {
    ...(values['patient-id'] !== undefined ? { patientId: values['patient-id'] } : {}),
    ...(values.name !== undefined ? { patientName: values.name } : {}),
    ...(values.from !== undefined ? { studyDateFrom: date('--from', values.from) } : {}),
    ...(values.to !== undefined ? { studyDateTo: date('--to', values.to) } : {}),
    ...(values.modality !== undefined ? { modality: values.modality } : {}),
  };
}

export function timeoutMsOf(values: FindValues): number {
  return 1000 * (values.timeout === undefined ? 30 : integerOption('--timeout', values.timeout, 1, 3600));
}

export function studiesText(studies: readonly StudyMatch[], json: boolean): string {
  if (json) return `${JSON.stringify(studies)}\n`;
  return studies.map((study) => `${study.studyUid}  ${study.patientId}  ${study.studyDate}  ${study.modalities.join('/')}  ${study.studyDescription}  (${study.instances ?? '?'} instances)\n`).join('') || 'No study matches.\n';
}

export function seriesText(series: readonly SeriesMatch[], json: boolean): string {
  if (json) return `${JSON.stringify(series)}\n`;
  return series.map((item) => `${item.seriesUid}  ${item.modality}  #${item.seriesNumber ?? '-'}  ${item.seriesDescription}  (${item.instances ?? '?'} instances)\n`).join('');
}

/**
 * A participant's studies on the archive, found by the patient IDs the trial links to it, and how many of them the
 * store holds already: "fetch this participant's visits" retrieves the others.
 */
export async function participantStudies(client: Client, subjectCode: string, find: (search: StudySearch) => Promise<StudyMatch[]>): Promise<{ missing: StudyMatch[]; stored: StudyMatch[] }> {
  const setup = await client.trialSetup({});
  const participant = setup.participants.find((item) => item.subjectCode === subjectCode);
  if (!participant) throw new Error(`No participant ${subjectCode} in this trial.`);
  const patientIds = setup.patients.filter((patient) => patient.participantId === participant.id).map((patient) => patient.patientId);
  if (patientIds.length === 0) throw new Error(`Participant ${subjectCode} has no linked DICOM patient yet: link its patient ID in Trial setup, then fetch its visits.`);
  const found = (await Promise.all(patientIds.map((patientId) => find({ patientId })))).flat();
  const held = new Set((await client.listSeries({})).map((series) => series.studyUid));
  return { missing: found.filter((study) => !held.has(study.studyUid)), stored: found.filter((study) => held.has(study.studyUid)) };
}

export function participantText({ missing, stored }: { missing: readonly StudyMatch[]; stored: readonly StudyMatch[] }, json: boolean): string {
  if (json) return `${JSON.stringify({ missing, stored })}\n`;
  const line = (state: string) => (study: StudyMatch) => `${state}  ${study.studyUid}  ${study.studyDate}  ${study.modalities.join('/')}  ${study.studyDescription}  (${study.instances ?? '?'} instances)\n`;
  return [...missing.map(line('to fetch')), ...stored.map(line('in store'))].join('') || 'No study of this participant on the archive.\n';
}

/** What a retrieve's imports stored, summed over its folders. */
export interface Retrieved {
  added: number;
  duplicates: number;
  rejected: number;
}

export const NOTHING_RETRIEVED: Retrieved = { added: 0, duplicates: 0, rejected: 0 };

export function addImport(total: Retrieved, summary: ImportSummary): Retrieved {
  return { added: total.added + summary.instancesAdded, duplicates: total.duplicates + summary.duplicatesSkipped, rejected: total.rejected + summary.rejected.length };
}

/** An archive as `find` asks it: its studies matching a search, and a study's series. */
export interface Archive {
  studies(search: StudySearch): Promise<StudyMatch[]>;
  series(studyUid: string): Promise<SeriesMatch[]>;
}

/** `find`: a study's series (--study), a participant's studies by its linked patient IDs (--participant, opening the store), or a search's studies. */
export async function find(archive: Archive, values: FindValues, io: Io, json: boolean, withWorkstation: CommandContext<OptionSpecs>['withWorkstation']): Promise<number> {
  if (values.study !== undefined) {
    io.out(seriesText(await archive.series(values.study), json));
    return 0;
  }
  const participant = values.participant;
  if (participant !== undefined) {
    return withWorkstation(async ({ client }) => {
      io.out(participantText(await participantStudies(client, participant, (search) => archive.studies(search)), json));
      return 0;
    });
  }
  io.out(studiesText(await archive.studies(studySearch(values)), json));
  return 0;
}
