import { describe, expect, it } from 'vitest';
import { type SeriesFacts, DEFAULT_RULES, VERTEBRAL_LEVELS, classifyOrientation, dicomDateToDay, isLocalizer, isoDateToDay, segmentsSpanned, suggestRegion, suggestSequence, suggestVisit } from '../../shared/protocol';

const series = (overrides: Partial<SeriesFacts>): SeriesFacts => ({
  modality: 'MR',
  description: '',
  protocolName: '',
  bodyPart: '',
  orientation: 'axial',
  imageType: 'ORIGINAL\\PRIMARY',
  sliceCount: 40,
  ...overrides,
});

describe('dates', () => {
  it('reads DICOM and ISO dates as day numbers and refuses impossible ones', () => {
    expect(dicomDateToDay('19700102')).toBe(1);
    expect(isoDateToDay('2024-03-01')! - isoDateToDay('2024-02-28')!).toBe(2);
    for (const bad of ['', '2024', '20240230', '2024-13-01', 'yesterday']) {
      expect(dicomDateToDay(bad)).toBeNull();
      expect(isoDateToDay(bad)).toBeNull();
    }
  });
});

describe('suggestVisit', () => {
  it('picks the nearest scheduled week inside the window', () => {
    expect(suggestVisit('20240101', '2024-01-01')).toEqual({ kind: 'scheduled', visitCode: 'W0', dayOffset: 0, daysFromTarget: 0 });
    expect(suggestVisit('20240329', '2024-01-01')).toMatchObject({ kind: 'scheduled', visitCode: 'W12', dayOffset: 88, daysFromTarget: 4 });
    expect(suggestVisit('20241227', '2024-01-01')).toMatchObject({ kind: 'scheduled', visitCode: 'W52', dayOffset: 361, daysFromTarget: -3 });
  });

  it('accepts the window edges and calls anything beyond them unscheduled', () => {
    // Week 12 is day 84: days 70 and 98 are the edges of a ±14-day window.
    expect(suggestVisit('20240311', '2024-01-01')).toMatchObject({ kind: 'scheduled', visitCode: 'W12', dayOffset: 70 });
    expect(suggestVisit('20240408', '2024-01-01')).toMatchObject({ kind: 'scheduled', visitCode: 'W12', dayOffset: 98 });
    expect(suggestVisit('20240409', '2024-01-01')).toMatchObject({ kind: 'unscheduled', dayOffset: 99 });
    expect(suggestVisit('20240201', '2024-01-01')).toMatchObject({ kind: 'unscheduled', dayOffset: 31 });
  });

  it('says why it cannot suggest a visit', () => {
    expect(suggestVisit('', '2024-01-01')).toEqual({ kind: 'unknown', reason: 'the study has no valid date' });
    expect(suggestVisit('20240101', '')).toEqual({ kind: 'unknown', reason: 'the participant has no baseline date' });
  });

  it('follows a narrower window from the settings', () => {
    expect(suggestVisit('20240329', '2024-01-01', { visits: [{ code: 'W12', label: 'Week 12', week: 12, inEndpoint: true }], toleranceDays: 3 })).toMatchObject({ kind: 'unscheduled' });
  });
});

describe('classifyOrientation', () => {
  it('names the three planes and oblique', () => {
    expect(classifyOrientation([1, 0, 0, 0, 1, 0])).toBe('axial');
    expect(classifyOrientation([0, 1, 0, 0, 0, -1])).toBe('sagittal');
    expect(classifyOrientation([1, 0, 0, 0, 0, -1])).toBe('coronal');
    expect(classifyOrientation([1, 0, 0, 0, 0.9986, -0.0523])).toBe('axial'); // 3 degrees tilt
    expect(classifyOrientation([1, 0, 0, 0, 0.7071, -0.7071])).toBe('oblique');
  });

  it('has no answer without a usable orientation', () => {
    expect(classifyOrientation(null)).toBeNull();
    expect(classifyOrientation([1, 0, 0])).toBeNull();
    expect(classifyOrientation([1, 0, 0, 1, 0, 0])).toBeNull();
  });
});

describe('suggestRegion', () => {
  it('recognises the three regions from typical series descriptions', () => {
    expect(suggestRegion(series({ description: 'AX T2 FLAIR', bodyPart: 'BRAIN' }))).toEqual({ kind: 'region', region: 'brain', sequence: 'FLAIR', ruleId: 'brain' });
    expect(suggestRegion(series({ description: 'SAG T2 C-T SPINE', orientation: 'sagittal' }))).toMatchObject({ region: 'spinal_cord', sequence: 'T2' });
    expect(suggestRegion(series({ description: 'COR STIR ORBITS', orientation: 'coronal' }))).toMatchObject({ region: 'optic_nerve', sequence: 'STIR' });
    expect(suggestRegion(series({ description: 't2_tse_sag', bodyPart: 'CSPINE', orientation: 'sagittal' }))).toMatchObject({ region: 'spinal_cord' });
  });

  it('prefers the specific region when a protocol also says brain or head', () => {
    expect(suggestRegion(series({ description: 'COR T2 FS ORBITS', protocolName: 'HEAD', orientation: 'coronal' }))).toMatchObject({ region: 'optic_nerve' });
  });

  it('flags, never guesses, a series that matches two specific regions', () => {
    expect(suggestRegion(series({ description: 'AX STIR SPINE + ORBITS', orientation: 'axial' }))).toMatchObject({ kind: 'ambiguous', candidates: ['optic_nerve', 'spinal_cord'] });
  });

  it('uses orientation: a sagittal series named for the orbits is not offered as an optic nerve series', () => {
    expect(suggestRegion(series({ description: 'ORBITS T2', orientation: 'sagittal' }))).toMatchObject({ kind: 'unmatched' });
  });

  it('ignores localizers, non-MR objects and one-slice series', () => {
    expect(suggestRegion(series({ description: 'LOCALIZER' }))).toMatchObject({ kind: 'ignored', reason: 'localizer or scout' });
    expect(suggestRegion(series({ description: 'AX T2', imageType: 'ORIGINAL\\PRIMARY\\LOCALIZER' }))).toMatchObject({ kind: 'ignored' });
    expect(suggestRegion(series({ modality: 'CT', description: 'Routine Brain' }))).toMatchObject({ kind: 'ignored', reason: 'CT modality, not MR' });
    expect(suggestRegion(series({ description: 'AX T2 BRAIN', sliceCount: 1 }))).toMatchObject({ kind: 'ignored' });
  });

  it('reports a series no rule knows', () => {
    expect(suggestRegion(series({ description: 'DWI b1000' }))).toEqual({ kind: 'unmatched', reason: 'no region rule matches this series' });
  });

  it('survives a broken rule pattern typed by a reader', () => {
    const rules = { ...DEFAULT_RULES, regions: [{ id: 'broken', region: 'brain' as const, pattern: '(' }, ...DEFAULT_RULES.regions] };
    expect(suggestRegion(series({ description: 'AX FLAIR BRAIN' }), rules)).toMatchObject({ region: 'brain', ruleId: 'brain' });
  });
});

describe('suggestSequence', () => {
  it.each([
    ['AX T2 FLAIR', 'FLAIR'],
    ['3D DARK FLUID', 'FLAIR'],
    ['t2_tirm_cor', 'STIR'],
    ['SAG STIR', 'STIR'],
    ['T2 TSE AX', 'T2'],
    ['T1 MPRAGE', 'T1'],
    ['DWI', 'other'],
  ])('%s is %s', (description, sequence) => {
    expect(suggestSequence({ description, protocolName: '' })).toBe(sequence);
  });
});

describe('vertebral levels', () => {
  it('counts segments spanned, both ends included, and refuses unknown or reversed ranges', () => {
    expect(VERTEBRAL_LEVELS).toHaveLength(20);
    expect(segmentsSpanned('C2', 'C6')).toBe(5);
    expect(segmentsSpanned('C7', 'T1')).toBe(2);
    expect(segmentsSpanned('T12', 'L1')).toBe(2);
    expect(segmentsSpanned('C3', 'C3')).toBe(1);
    expect(segmentsSpanned('C6', 'C2')).toBeNull();
    expect(segmentsSpanned('C8', 'T1')).toBeNull();
  });
});

describe('isLocalizer', () => {
  const facts = (description: string, protocolName = '', imageType = 'ORIGINAL\\PRIMARY\\M') => ({ description, protocolName, imageType });

  it('knows a localizer by the words scanners use, in any case', () => {
    for (const description of ['LOCALIZER', 'localiser', '3-plane loc', '3PLANE', 'Scout', 'AAHead_Scout_64ch', 'SURVEY', 'pilot sag', 'LOC'])
      expect(isLocalizer(facts(description)), description).toBe(true);
  });

  it('reads the protocol name and the image type too', () => {
    expect(isLocalizer(facts('', 'NMO 3-PLANE LOCALIZER'))).toBe(true);
    expect(isLocalizer(facts('T1 SAG', '', 'DERIVED\\PRIMARY\\OTHER\\LOCALIZER'))).toBe(true);
  });

  it('leaves reading series alone, even when a word only contains a localizer word', () => {
    for (const description of ['AX FLAIR BRAIN', 'SAG T2 C-SPINE', 'COR STIR ORBITS', 'T1 local shim', 'blocked', '']) expect(isLocalizer(facts(description)), description).toBe(false);
  });
});
