// Slice correspondence by patient coordinates through an alignment.
import { describe, expect, it } from 'vitest';
import { applyTransform, IDENTITY } from '../../shared/registration';
import { correspondingSlice, imageAxes, inverseTransform, lesionPointAt, nearestSlice, nudgeAlongComparator, pixelIndexOf, pixelPoint, pointBetweenVisits, sliceCentre } from '../../shared/slice-sync';
import { degreesFromRotation, norm, type RigidMotion, rotationFromDegrees, sub, type Vec3 } from '../../shared/vector';

const AXIAL = [1, 0, 0, 0, 1, 0];

/** An axial stack: `count` slices from z0 upwards, `spacing` apart, 256 x 256 pixels of 1 mm. */
function axialStack(count: number, z0: number, spacing: number, xy: [number, number] = [-128, -128]) {
  return Array.from({ length: count }, (_, index) => ({
    position: [xy[0], xy[1], z0 + index * spacing] as [number, number, number],
    orientation: AXIAL,
    pixelSpacing: [1, 1] as [number, number],
    rows: 256,
    columns: 256,
  }));
}

describe('sliceCentre', () => {
  it('is half the image across each axis from the first pixel', () => {
    expect(sliceCentre(axialStack(1, 10, 4)[0]!)).toEqual([-0.5, -0.5, 10]);
    expect(sliceCentre({ position: [0, 0, 0], orientation: [0, 1, 0, 0, 0, -1], pixelSpacing: [2, 0.5], rows: 11, columns: 21 })).toEqual([0, 5, -10]);
  });

  it('is null without geometry', () => {
    expect(sliceCentre({ ...axialStack(1, 0, 1)[0]!, position: null })).toBeNull();
    expect(sliceCentre({ ...axialStack(1, 0, 1)[0]!, pixelSpacing: null })).toBeNull();
  });
});

describe('pixelIndexOf', () => {
  it('is where sliceCentre places the centre of the image, for any orientation and spacing', () => {
    const oblique = { position: [0, 0, 0] as [number, number, number], orientation: [0, 1, 0, 0, 0, -1], pixelSpacing: [2, 0.5] as [number, number], rows: 11, columns: 21 };
    expect(pixelIndexOf(oblique, sliceCentre(oblique)!)).toEqual([10, 5]);
    expect(pixelIndexOf(axialStack(1, 10, 4)[0]!, [-100, -28, 10])).toEqual([28, 100]);
  });

  it('is undone by pixelPoint, corners included', () => {
    const oblique = { position: [3, -2, 7] as [number, number, number], orientation: [0, 1, 0, 0, 0, -1], pixelSpacing: [2, 0.5] as [number, number], rows: 11, columns: 21 };
    for (const [column, row] of [[-0.5, -0.5], [20.5, -0.5], [-0.5, 10.5], [4.25, 7]] as const) {
      const [c, r] = pixelIndexOf(oblique, pixelPoint(oblique, column, row)!)!;
      expect([c, r]).toEqual([expect.closeTo(column, 9), expect.closeTo(row, 9)]);
    }
    expect(pixelPoint({ ...oblique, orientation: null }, 0, 0)).toBeNull();
  });

  it('projects a point off the plane onto it, and is null without geometry', () => {
    expect(pixelIndexOf(axialStack(1, 10, 4)[0]!, [-100, -28, 37])).toEqual([28, 100]);
    expect(pixelIndexOf({ ...axialStack(1, 0, 1)[0]!, orientation: null }, [0, 0, 0])).toBeNull();
    expect(pixelIndexOf({ ...axialStack(1, 0, 1)[0]!, pixelSpacing: null }, [0, 0, 0])).toBeNull();
  });

  it('reads the row, then the column direction from the orientation', () => {
    expect(imageAxes([0, 1, 0, 0, 0, -1])).toEqual({ row: [0, 1, 0], column: [0, 0, -1] });
  });
});

describe('nearestSlice', () => {
  it('finds the plane nearest to a point and its distance', () => {
    expect(nearestSlice(axialStack(10, 0, 4), [5, 5, 13])).toEqual({ index: 3, distanceMm: 1 });
    expect(nearestSlice(axialStack(10, 0, 4), [0, 0, -50])).toEqual({ index: 0, distanceMm: 50 });
  });

  it('follows the order of the stack, not the sign of the normal', () => {
    const descending = axialStack(10, 36, -4);
    expect(nearestSlice(descending, [0, 0, 30])!.index).toBe(1);
  });
});

describe('correspondingSlice', () => {
  it('matches by position, not by number, when stacks start and space differently', () => {
    const current = axialStack(30, 0, 4);
    const comparator = axialStack(60, -20, 2);
    expect(correspondingSlice(current, 10, comparator)).toBe(30);
  });

  it('follows the alignment: the comparator head sits 7 mm higher', () => {
    const current = axialStack(30, 0, 4);
    const comparator = axialStack(30, 0, 4);
    const shifted: RigidMotion = { ...IDENTITY, translationMm: [0, 0, 7] };
    expect(correspondingSlice(current, 10, comparator, shifted)).toBe(12);
    expect(correspondingSlice(current, 10, comparator, { ...IDENTITY, translationMm: [0, 0, 9] })).toBe(12);
  });

  it('says null when the slice has no geometry', () => {
    const current = axialStack(3, 0, 4).map((image) => ({ ...image, position: null }));
    expect(correspondingSlice(current, 1, axialStack(3, 0, 4))).toBeNull();
  });
});

describe('correspondingSlice through a rotation, worked out by hand', () => {
  it('carries a slice centre 100 mm in front of the rotation centre down by a 30° turn about x', () => {
    // Slice 10's centre is (-0.5, -0.5, 40): 100 mm anterior (y = -100) and 40 mm above the centre (-0.5, 99.5, 0).
    // 30° about x: z = -100 sin 30° + 40 cos 30° = -15.36 mm, nearest the comparator slice at -16 mm (index 21).
    // With the sign flipped it would rise to z = 84.64 mm (index 46).
    const turned: RigidMotion = { rotationDeg: [30, 0, 0], translationMm: [0, 0, 0], centreMm: [-0.5, 99.5, 0] };
    expect(correspondingSlice(axialStack(30, 0, 4), 10, axialStack(60, -100, 4), turned)).toBe(21);
  });
});

describe('inverseTransform', () => {
  it('takes a point back by hand: 90° about z about (10, 20, 30) then (1, 2, 3) is undone by -90° about the moved centre', () => {
    const transform: RigidMotion = { rotationDeg: [0, 0, 90], translationMm: [1, 2, 3], centreMm: [10, 20, 30] };
    const inverse = inverseTransform(transform);
    expect(norm(sub(applyTransform(inverse, [11, 23, 33]), [11, 20, 30]))).toBeLessThan(1e-9);
    inverse.rotationDeg.forEach((value, axis) => expect(value).toBeCloseTo([0, 0, -90][axis]!, 10));
  });

  it('undoes a rotation and translation about a centre', () => {
    const transform: RigidMotion = { rotationDeg: [3, -2, 4], translationMm: [2, -5, 7], centreMm: [10, 20, -30] };
    for (const point of [[0, 0, 0], [100, -50, 25], [-70, 80, 10]] as Vec3[]) {
      expect(norm(sub(applyTransform(inverseTransform(transform), applyTransform(transform, point)), point))).toBeLessThan(1e-9);
    }
  });

  it('reads back the angles of a rotation matrix', () => {
    const angles: Vec3 = [5, -7, 12];
    degreesFromRotation(rotationFromDegrees(angles)).forEach((value, axis) => expect(value).toBeCloseTo(angles[axis]!, 10));
  });
});

describe('nudgeAlongComparator', () => {
  it('moves the alignment one comparator slice along its normal', () => {
    const comparator = axialStack(30, 0, 4);
    expect(nudgeAlongComparator(IDENTITY, comparator, 1).translationMm).toEqual([0, 0, 4]);
    expect(nudgeAlongComparator(IDENTITY, comparator, -2).translationMm).toEqual([0, 0, -8]);
    expect(correspondingSlice(axialStack(30, 0, 4), 10, comparator, nudgeAlongComparator(IDENTITY, comparator, 1))).toBe(11);
  });
});

describe('pointBetweenVisits', () => {
  // W12 is read; W0 sits 10 mm higher in its scanner frame, W24 is turned 90 degrees about z at the origin.
  const shiftW0: RigidMotion = { rotationDeg: [0, 0, 0], translationMm: [0, 0, 10], centreMm: [0, 0, 0] };
  const turnW24: RigidMotion = { rotationDeg: [0, 0, 90], translationMm: [0, 0, 0], centreMm: [0, 0, 0] };
  const transforms = new Map([
    ['W0', shiftW0],
    ['W24', turnW24],
  ]);
  const close = (point: Vec3, expected: Vec3) => expect(norm(sub(point, expected))).toBeLessThan(1e-9);

  it('leaves a point where it is within one visit', () => {
    expect(pointBetweenVisits([1, 2, 3], 'W0', 'W0', transforms)).toEqual([1, 2, 3]);
  });

  it('carries a point from the current visit out through the other visit\'s alignment, and back', () => {
    close(pointBetweenVisits([1, 2, 3], 'W12', 'W0', transforms), [1, 2, 13]);
    close(pointBetweenVisits([1, 2, 13], 'W0', 'W12', transforms), [1, 2, 3]);
  });

  it('goes between two other visits through the current one', () => {
    // W0's (5, 0, 10) is the current visit's (5, 0, 0), which W24 sees turned a quarter: (0, 5, 0).
    close(pointBetweenVisits([5, 0, 10], 'W0', 'W24', transforms), [0, 5, 0]);
    close(pointBetweenVisits([0, 5, 0], 'W24', 'W0', transforms), [5, 0, 10]);
  });

  it('takes a visit with no known alignment to share the current visit\'s coordinates', () => {
    close(pointBetweenVisits([1, 2, 3], 'W52', 'W12', transforms), [1, 2, 3]);
    close(pointBetweenVisits([1, 2, 3], 'W52', 'W0', transforms), [1, 2, 13]);
    close(pointBetweenVisits([1, 2, 13], 'W0', 'W52', transforms), [1, 2, 3]);
  });
});

describe('lesionPointAt', () => {
  const transforms = new Map([['W0', { rotationDeg: [0, 0, 0], translationMm: [0, 0, 10], centreMm: [0, 0, 0] } as RigidMotion]]);

  it('is the lesion\'s own mark at that visit, exactly', () => {
    const marks = [
      { visitCode: 'W0', centre: [0, 0, 20] as Vec3 },
      { visitCode: 'W12', centre: [1, 1, 1] as Vec3 },
    ];
    expect(lesionPointAt(marks, 'W12', transforms)).toEqual({ point: [1, 1, 1], from: 'W12' });
    expect(lesionPointAt(marks, 'W0', transforms)).toEqual({ point: [0, 0, 20], from: 'W0' });
  });

  it('carries a mark over from a visit whose alignment is known, before a later one that is not', () => {
    const marks = [
      { visitCode: 'W0', centre: [0, 0, 20] as Vec3 },
      { visitCode: 'W24', centre: [7, 7, 7] as Vec3 },
    ];
    const found = lesionPointAt(marks, 'W12', transforms)!;
    expect(found.from).toBe('W0');
    expect(norm(sub(found.point, [0, 0, 10]))).toBeLessThan(1e-9);
  });

  it('falls back to the latest mark, unaligned, when no marked visit is aligned', () => {
    const marks = [
      { visitCode: 'W24', centre: [7, 7, 7] as Vec3 },
      { visitCode: 'W52', centre: [8, 8, 8] as Vec3 },
    ];
    expect(lesionPointAt(marks, 'W12', transforms)).toEqual({ point: [8, 8, 8], from: 'W52' });
  });

  it('is null for a lesion never marked', () => {
    expect(lesionPointAt([], 'W12', transforms)).toBeNull();
  });
});
