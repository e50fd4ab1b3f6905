// The details a cord or optic measurement asks for right after the drag:
// what the form shows first, and what still stops it from being saved.
import { describe, expect, it } from 'vitest';
import type { LesionView, ObservationView } from '../../shared/contract';
import { detailsMissing, MIDLINE_MM, prefilledDetails, type RegionDetails } from '../../shared/region-details';
import { lesionView, observationView } from '../helpers/lesion-views';

const observation = (visitCode: string, overrides: Partial<ObservationView> = {}) => observationView(visitCode, { finding: { kind: 'measured', longestDiameterMm: 6 }, ...overrides });
const lesion = (region: LesionView['region'], side: LesionView['side'], observations: ObservationView[]) => lesionView(1, { label: 'S1', region, side, observations });

const cordLevels = (upper: string, lower: string) => ({ upper, lower, segments: null, longitudinallyExtensive: false });

describe('prefilledDetails', () => {
  it('asks a new cord lesion its levels, with none chosen', () => {
    expect(prefilledDetails(null, [0, 0, 0]).levels).toEqual({ upper: null, lower: null });
  });

  it('offers a known lesion its latest levels and extent', () => {
    const known = lesion('spinal_cord', null, [
      observation('W0', { levels: cordLevels('C2', 'C3') }),
      observation('W12', { levels: cordLevels('C2', 'C5') }),
      observation('W24', { finding: { kind: 'resolved' } }),
    ]);
    expect(prefilledDetails(known, [0, 0, 0]).levels).toEqual({ upper: 'C2', lower: 'C5' });
    expect(prefilledDetails(known, [0, 0, 0]).extentReason).toBe('');
    const optic = lesion('optic_nerve', 'right', [observation('W0', { opticExtent: { beyondHalfLength: true, involvesChiasm: false } })]);
    expect(prefilledDetails(optic, [40, 0, 0])).toMatchObject({ side: 'right', opticExtent: { beyondHalfLength: true, involvesChiasm: false } });
  });

  it('offers the reason the lesion\'s levels were last typed for, and none where they were measured', () => {
    const typed = { ends: null, rulerId: null, lengthMm: null, measuredLevels: null, traceId: null, fractionOfNerve: null, measuredOptic: null, source: 'typed' as const, overrideReason: 'motion on the sagittal' };
    const known = lesion('spinal_cord', null, [observation('W0', { levels: cordLevels('C2', 'C3'), extent: typed })]);
    expect(prefilledDetails(known, [0, 0, 0]).extentReason).toBe('motion on the sagittal');
    const ends: [[number, number, number], [number, number, number]] = [[0, 0, 0], [0, 0, -20]];
    const measured = lesion('spinal_cord', null, [observation('W0', { levels: cordLevels('C2', 'C3'), extent: { ...typed, ends, rulerId: 1, lengthMm: 20, measuredLevels: { upper: 'C2', lower: 'C3' }, source: 'image', overrideReason: null } })]);
    expect(prefilledDetails(measured, [0, 0, 0]).extentReason).toBe('');
  });

  it('takes a new optic lesion\'s side from the side of the midline its mark is on (LPS: x grows to the left)', () => {
    expect(prefilledDetails(null, [20, 0, 0]).side).toBe('left');
    expect(prefilledDetails(null, [-20, 0, 0]).side).toBe('right');
    expect(prefilledDetails(null, [MIDLINE_MM, 0, 0]).side).toBeNull();
    expect(prefilledDetails(null, [-MIDLINE_MM + 0.5, 0, 0]).side).toBeNull();
    expect(prefilledDetails(null, [0, 0, 0]).opticExtent).toEqual({ beyondHalfLength: false, involvesChiasm: false });
  });
});

describe('detailsMissing', () => {
  const details = (change: Partial<RegionDetails>): RegionDetails => ({ levels: { upper: null, lower: null }, extentReason: 'no sagittal cord series at this visit', side: null, opticExtent: { beyondHalfLength: false, involvesChiasm: false }, ...change });

  it('wants both cord levels, or the reader saying they cannot be told', () => {
    expect(detailsMissing('spinal_cord', details({}), true)).toMatch(/upper and lower/);
    expect(detailsMissing('spinal_cord', details({ levels: { upper: 'C2', lower: null } }), true)).toMatch(/upper and lower/);
    expect(detailsMissing('spinal_cord', details({ levels: { upper: 'C2', lower: 'C4' } }), true)).toBeNull();
    expect(detailsMissing('spinal_cord', details({ levels: { upper: 'C3', lower: 'C3' } }), false)).toBeNull();
    expect(detailsMissing('spinal_cord', details({ levels: null }), true)).toBeNull();
  });

  it('wants a reason for typed levels (they override the clicked ends), not for levels that cannot be told', () => {
    expect(detailsMissing('spinal_cord', details({ levels: { upper: 'C2', lower: 'C4' }, extentReason: '  ' }), true)).toBe('Say why the levels are typed rather than clicked, or save and click the lesion\'s ends.');
    expect(detailsMissing('spinal_cord', details({ levels: null, extentReason: '' }), true)).toBeNull();
    expect(detailsMissing('optic_nerve', details({ side: 'left', extentReason: '' }), true)).toBeNull();
  });

  it('refuses levels upside down', () => {
    expect(detailsMissing('spinal_cord', details({ levels: { upper: 'T2', lower: 'C4' } }), true)).toBe('The upper level (T2) must be at or above the lower one (C4).');
  });

  it('wants the side of a new optic lesion only', () => {
    expect(detailsMissing('optic_nerve', details({}), true)).toMatch(/side/);
    expect(detailsMissing('optic_nerve', details({ side: 'chiasm' }), true)).toBeNull();
    expect(detailsMissing('optic_nerve', details({}), false)).toBeNull();
  });

  it('asks nothing of the brain', () => {
    expect(detailsMissing('brain', details({}), true)).toBeNull();
  });
});
