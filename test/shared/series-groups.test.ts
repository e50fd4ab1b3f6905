import { describe, expect, it } from 'vitest';
import { groupSeries } from '../../shared/series-groups';

let nextId = 1;
function series(fields: { patientId?: string; subjectCode?: string | null; studyUid?: string; studyDate?: string; studyDescription?: string; seriesNumber?: number | null; localizer?: boolean }) {
  return {
    id: nextId++,
    patientId: fields.patientId ?? 'P1',
    subjectCode: fields.subjectCode ?? null,
    studyUid: fields.studyUid ?? '1.1',
    studyDate: fields.studyDate ?? '20240101',
    studyDescription: fields.studyDescription ?? 'MRI BRAIN',
    seriesNumber: fields.seriesNumber === undefined ? 1 : fields.seriesNumber,
    localizer: fields.localizer ?? false,
  };
}

/** Each group as text: "label: date [series numbers] +localizers" per study. */
function outline(groups: ReturnType<typeof groupSeries>) {
  return groups.map((group) => `${group.kind} ${group.label}: ${group.studies.map((study) => `${study.studyDate || '-'} [${study.series.map((item) => item.seriesNumber).join(',')}] +${study.localizers.length}`).join(' | ')}`);
}

describe('groupSeries', () => {
  it('puts participants first by subject code (numeric order), then unassigned patients by PatientID', () => {
    const groups = groupSeries([
      series({ patientId: 'ZED', studyUid: '9' }),
      series({ patientId: 'A-2', subjectCode: '010', studyUid: '2' }),
      series({ patientId: 'A-1', subjectCode: '002', studyUid: '1' }),
      series({ patientId: '', studyUid: '8' }),
    ]);
    expect(groups.map((group) => [group.kind, group.label])).toEqual([
      ['participant', '002'],
      ['participant', '010'],
      ['patient', ''],
      ['patient', 'ZED'],
    ]);
  });

  it('gathers two PatientIDs linked to one participant into one group, and never merges a patient with a participant of the same text', () => {
    const groups = groupSeries([
      series({ patientId: 'HOSP-1', subjectCode: '001', studyUid: '1', studyDate: '20240301' }),
      series({ patientId: 'OTHER-9', subjectCode: '001', studyUid: '2', studyDate: '20240101' }),
      series({ patientId: '001', studyUid: '3' }),
    ]);
    expect(outline(groups)).toEqual(['participant 001: 20240101 [1] +0 | 20240301 [1] +0', 'patient 001: 20240101 [1] +0']);
    expect(new Set(groups.map((group) => group.key)).size).toBe(2);
  });

  it('orders several studies by date, undated last, and series by number (unnumbered last)', () => {
    const groups = groupSeries([
      series({ studyUid: 'c', studyDate: '', seriesNumber: 4 }),
      series({ studyUid: 'b', studyDate: '20240601', seriesNumber: 3 }),
      series({ studyUid: 'b', studyDate: '20240601', seriesNumber: null }),
      series({ studyUid: 'b', studyDate: '20240601', seriesNumber: 2 }),
      series({ studyUid: 'a', studyDate: '20231201', seriesNumber: 7 }),
    ]);
    expect(outline(groups)).toEqual(['patient P1: 20231201 [7] +0 | 20240601 [2,3,] +0 | - [4] +0']);
    expect(groups[0]!.studies[1]!.description).toBe('MRI BRAIN');
  });

  it('sets a study\'s localizers apart from its reading series', () => {
    const groups = groupSeries([series({ localizer: true }), series({ seriesNumber: 2 }), series({ localizer: true }), series({ localizer: true }), series({ seriesNumber: 3 })]);
    expect(outline(groups)).toEqual(['patient P1: 20240101 [2,3] +3']);
    expect(groups[0]!.studies[0]!.localizers.every((item) => item.localizer)).toBe(true);
  });

  it('keeps a study of only localizers, with no reading series', () => {
    expect(outline(groupSeries([series({ localizer: true }), series({ localizer: true })]))).toEqual(['patient P1: 20240101 [] +2']);
  });

  it('gives nothing for nothing', () => {
    expect(groupSeries([])).toEqual([]);
  });
});
