// The series list as a reader walks it: by participant (or by DICOM patient
// while the patient is linked to none), then by study, with a study's
// localizers set apart so that they can be folded into one row.
import type { SeriesSummary } from './contract';

type Groupable = Pick<SeriesSummary, 'id' | 'seriesNumber' | 'studyUid' | 'studyDate' | 'studyDescription' | 'patientId' | 'subjectCode' | 'localizer'>;

export interface StudyGroup<T extends Groupable> {
  studyUid: string;
  studyDate: string;
  description: string;
  /** Every series but the localizers, by series number. */
  series: T[];
  localizers: T[];
}

export interface PersonGroup<T extends Groupable> {
  /** Unique among the groups: a participant and a patient with the same text never merge. */
  key: string;
  kind: 'participant' | 'patient';
  /** The subject code, or the PatientID ('' when the files have none). */
  label: string;
  /** Studies by date (undated last), then by UID so that the order never changes between lists. */
  studies: StudyGroup<T>[];
}

const byText = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

function bySeriesNumber<T extends Groupable>(a: T, b: T): number {
  return (a.seriesNumber ?? Number.MAX_SAFE_INTEGER) - (b.seriesNumber ?? Number.MAX_SAFE_INTEGER) || a.id - b.id;
}

function byStudy<T extends Groupable>(a: StudyGroup<T>, b: StudyGroup<T>): number {
  return (a.studyDate === '' ? 1 : 0) - (b.studyDate === '' ? 1 : 0) || byText(a.studyDate, b.studyDate) || byText(a.studyUid, b.studyUid);
}

/** Participants by subject code first, then unlinked patients by PatientID. */
export function groupSeries<T extends Groupable>(all: readonly T[]): PersonGroup<T>[] {
  const people = new Map<string, PersonGroup<T> & { byUid: Map<string, StudyGroup<T>> }>();
  for (const item of all) {
    const kind = item.subjectCode === null ? 'patient' : 'participant';
    const label = item.subjectCode ?? item.patientId;
    const key = `${kind}:${label}`;
    let person = people.get(key);
    if (!person) {
      person = { key, kind, label, studies: [], byUid: new Map() };
      people.set(key, person);
    }
    let study = person.byUid.get(item.studyUid);
    if (!study) {
      study = { studyUid: item.studyUid, studyDate: item.studyDate, description: item.studyDescription, series: [], localizers: [] };
      person.byUid.set(item.studyUid, study);
      person.studies.push(study);
    }
    (item.localizer ? study.localizers : study.series).push(item);
  }
  return [...people.values()]
    .sort((a, b) => (a.kind === b.kind ? byText(a.label, b.label) : a.kind === 'participant' ? -1 : 1))
    .map(({ key, kind, label, studies }) => ({
      key,
      kind,
      label,
      studies: studies
        .map((study) => ({ ...study, series: study.series.sort(bySeriesNumber), localizers: study.localizers.sort(bySeriesNumber) }))
        .sort(byStudy),
    }));
}
