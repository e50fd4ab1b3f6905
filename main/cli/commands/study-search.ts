// What `lesiontrack pacs find` and `lesiontrack dicomweb find` share: the
// search options, the search they describe, and how studies and series print.
import type { SeriesMatch, StudyMatch, StudySearch } from '../../network/pacs';
import { integerOption, type OptionSpecs, UsageError } from '../command';

export const FIND_OPTIONS = {
  'patient-id': { type: 'string', valueName: 'ID', description: 'find: the patient ID (wildcards * and ? as the archive allows)' },
  name: { type: 'string', valueName: 'NAME', description: 'find: the patient name (DICOM form, e.g. DOE^J*)' },
  from: { type: 'string', valueName: 'YYYYMMDD', description: 'find: studies on or after this date' },
  to: { type: 'string', valueName: 'YYYYMMDD', description: 'find: studies on or before this date' },
  modality: { type: 'string', valueName: 'MODALITY', description: 'find: studies with this modality (MR, CT...)' },
  study: { type: 'string', valueName: 'UID', description: 'find: list this study\'s series; retrieve: the study to retrieve' },
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
