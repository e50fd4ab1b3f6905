import { describe, expect, it } from 'vitest';
import { type InstanceGeometry, MIN_RECONSTRUCTABLE_SLICES, reconstructable } from '../../shared/reconstructable';
import { cross, PLANES, type Vec3 } from '../helpers/stack-geometry';

/** A regular stack of single-frame images, in shuffled order (the function must not rely on file order). */
function stack({ plane = PLANES.axial as { row: Vec3; column: Vec3 }, count = 20, spacing = 1, rows = 64, columns = 48, pixelSpacing = [0.9, 0.9] as [number, number] } = {}): InstanceGeometry[] {
  const normal = cross(plane.row, plane.column);
  const instances = Array.from({ length: count }, (_, index) => ({
    position: [10 + normal[0] * spacing * index, -20 + normal[1] * spacing * index, 30 + normal[2] * spacing * index],
    orientation: [...plane.row, ...plane.column],
    pixelSpacing,
    rows,
    columns,
    frames: 1,
  }));
  return instances.map((instance, index) => ({ instance, key: (index * 7) % count })).sort((a, b) => a.key - b.key).map(({ instance }) => instance);
}

function sortedByDepth(instances: InstanceGeometry[], normal: Vec3): InstanceGeometry[] {
  const depth = (instance: InstanceGeometry) => instance.position![0]! * normal[0] + instance.position![1]! * normal[1] + instance.position![2]! * normal[2];
  return [...instances].sort((a, b) => depth(a) - depth(b));
}

describe('reconstructable', () => {
  it.each(['axial', 'sagittal', 'coronal', 'doubleOblique'] as const)('accepts a regular %s stack', (name) => {
    expect(reconstructable(stack({ plane: PLANES[name] }))).toEqual({ ok: true });
  });

  it('accepts anisotropic spacing: thick 2D slices', () => {
    expect(reconstructable(stack({ spacing: 4, pixelSpacing: [0.4688, 0.4688] }))).toEqual({ ok: true });
  });

  it(`needs ${MIN_RECONSTRUCTABLE_SLICES} slices`, () => {
    expect(reconstructable(stack({ count: 3 }))).toEqual({ ok: true });
    expect(reconstructable(stack({ count: 2 }))).toEqual({ ok: false, reason: 'only 2 images: a volume needs at least 3 slices' });
    expect(reconstructable(stack({ count: 1 }))).toEqual({ ok: false, reason: 'only one image: a volume needs at least 3 slices' });
    expect(reconstructable([])).toEqual({ ok: false, reason: 'only 0 images: a volume needs at least 3 slices' });
  });

  it('refuses a gap where a slice is missing, and says how wide it is', () => {
    const sorted = sortedByDepth(stack({ count: 12, spacing: 4 }), [0, 0, 1]);
    sorted.splice(6, 1);
    expect(reconstructable(sorted)).toEqual({ ok: false, reason: 'the slices are not evenly spaced: 8 mm between slices 6 and 7 where the others are 4 mm apart (a slice is missing)' });
  });

  it('refuses uneven spacing, and tolerates the small jitter of rounded positions', () => {
    const sorted = sortedByDepth(stack({ count: 10, spacing: 2 }), [0, 0, 1]);
    const jittered = sorted.map((instance, index) => ({ ...instance, position: [instance.position![0]!, instance.position![1]!, instance.position![2]! + (index % 2 === 0 ? 0.05 : -0.05)] }));
    expect(reconstructable(jittered)).toEqual({ ok: true });
    const uneven = sorted.map((instance, index) => ({ ...instance, position: [instance.position![0]!, instance.position![1]!, 30 + (index < 5 ? index * 1.5 : 7.5 + (index - 5) * 2.6)] }));
    expect(reconstructable(uneven)).toEqual({ ok: false, reason: 'the slices are not evenly spaced: 2.6 mm between slices 6 and 7 where the others are 1.5 mm apart' });
    // Every step within 20% of the usual one, but short steps first and long ones after: the far slices drift off a regular grid.
    const drifting = sorted.map((instance, index) => ({ ...instance, position: [instance.position![0]!, instance.position![1]!, 30 + (index < 5 ? index * 1.9 : 7.6 + (index - 4) * 2.2)] }));
    expect(reconstructable(drifting)).toEqual({ ok: false, reason: 'the slices are not evenly spaced: slice 4 is 0.5 mm from where a regular spacing of 2.07 mm puts it' });
  });

  it('refuses two slices at one position, and a cine series all at one position', () => {
    const sorted = sortedByDepth(stack({ count: 8 }), [0, 0, 1]);
    const duplicated = [...sorted.slice(0, 4), { ...sorted[3]! }, ...sorted.slice(4)];
    expect(reconstructable(duplicated)).toEqual({ ok: false, reason: 'slices 4 and 5 are at the same position' });
    const cine = sorted.map((instance) => ({ ...instance, position: sorted[0]!.position }));
    expect(reconstructable(cine)).toEqual({ ok: false, reason: 'all 8 images are at one position (a cine or time series, not a volume)' });
  });

  it('refuses a localizer (three planes) and a series of mixed orientation', () => {
    const localizer = (['axial', 'sagittal', 'coronal'] as const).map((name, index) => ({ ...stack({ plane: PLANES[name], count: 1 })[0]!, position: [0, 0, index * 10] }));
    expect(reconstructable(localizer)).toEqual({ ok: false, reason: 'the images lie in more than one plane (as in a localizer)' });
    const mixed = [...stack({ count: 5 }), ...stack({ plane: PLANES.coronal, count: 5 })];
    expect(reconstructable(mixed)).toMatchObject({ ok: false, reason: 'the images lie in more than one plane (as in a localizer)' });
    // A tilt well under a degree is within tolerance (0.005 per component).
    const slightly = stack({ count: 6 }).map((instance, index) => (index === 2 ? { ...instance, orientation: [1, 0, 0, 0, 0.99999, 0.005] } : instance));
    expect(reconstructable(slightly)).toEqual({ ok: true });
  });

  it('refuses images of mixed size or pixel spacing', () => {
    expect(reconstructable([...stack({ count: 4 }), ...stack({ count: 1, rows: 32 }).map((instance) => ({ ...instance, position: [10, -20, 34] }))])).toEqual({
      ok: false,
      reason: 'the images differ in size (48 × 64, 48 × 32 pixels)',
    });
    const respaced = stack({ count: 5 }).map((instance, index) => (index === 0 ? { ...instance, pixelSpacing: [0.9, 1.2] } : instance));
    expect(reconstructable(respaced)).toEqual({ ok: false, reason: 'the images differ in pixel spacing' });
  });

  it('refuses a sheared stack (a gantry tilt) and says by how much', () => {
    const sorted = sortedByDepth(stack({ count: 10, spacing: 3 }), [0, 0, 1]);
    const sheared = sorted.map((instance, index) => ({ ...instance, position: [instance.position![0]!, instance.position![1]! + index * 0.2, instance.position![2]!] }));
    expect(reconstructable(sheared)).toEqual({ ok: false, reason: 'slice 4 is shifted 0.6 mm within its plane against slice 1 (a tilted or sheared stack)' });
  });

  it('refuses images without position, orientation or pixel spacing', () => {
    const series = stack({ count: 5 });
    expect(reconstructable(series.map((instance, index) => (index === 1 ? { ...instance, position: null } : instance)))).toEqual({ ok: false, reason: '1 of 5 images have no position (ImagePositionPatient)' });
    expect(reconstructable(series.map((instance, index) => (index === 1 ? { ...instance, orientation: [1, 0, 0, 1, 0, 0] } : instance)))).toEqual({ ok: false, reason: 'some images have no valid orientation (ImageOrientationPatient)' });
    expect(reconstructable(series.map((instance) => ({ ...instance, pixelSpacing: null })))).toEqual({ ok: false, reason: 'some images have no pixel spacing' });
  });

  describe('multi-frame images', () => {
    const base = stack({ count: 1 })[0]!;
    it('accepts frames with positions of their own', () => {
      const framePositions = Array.from({ length: 30 }, (_, index) => [10, -20, 30 + index * 1.2]);
      expect(reconstructable([{ ...base, frames: 30, framePositions }])).toEqual({ ok: true });
    });
    it('refuses frames without positions, and frames all at one position (cine)', () => {
      expect(reconstructable([{ ...base, frames: 30 }])).toEqual({ ok: false, reason: 'the frames of the multi-frame image have no positions of their own' });
      const cine = Array.from({ length: 30 }, () => [10, -20, 30]);
      expect(reconstructable([{ ...base, frames: 30, framePositions: cine }])).toEqual({ ok: false, reason: 'all 30 images are at one position (a cine or time series, not a volume)' });
    });
  });
});
