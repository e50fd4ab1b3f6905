// Rigid alignment on analytic volumes with a known motion between them.
import { describe, expect, it } from 'vitest';
import { AT_REST, scan } from '../helpers/phantom';
import { alignVolumes, applyTransform, IDENTITY, patientToVoxel, sample, similarity, type Volume, voxelToPatient } from '../../shared/registration';
import { applyMotion, inverseMotionAffine, mulMatVec, add, norm, sub, type RigidMotion, type Vec3 } from '../../shared/vector';

/** Largest distance between where the alignment sends anatomy points and where they truly are. */
function residual(found: RigidMotion, current: RigidMotion, comparator: RigidMotion): number {
  let worst = 0;
  for (const anatomy of [[0, 0, 0], [30, -20, 15], [-40, 50, -20], [50, 30, 30], [-20, -60, 10]] as Vec3[]) {
    const truth = applyMotion(comparator, anatomy);
    const estimate = applyTransform(found, applyMotion(current, anatomy));
    worst = Math.max(worst, norm(sub(truth, estimate)));
  }
  return worst;
}

function expectNear(actual: Vec3, expected: Vec3): void {
  expect(norm(sub(actual, expected)), `${actual.join(', ')} is not ${expected.join(', ')}`).toBeLessThan(1e-9);
}

// The convention vector.ts documents, with the answers worked out by hand (not
// through the helpers): angles in degrees, right-handed (a positive angle about
// z turns x towards y), x first, then y, then z (R = Rz * Ry * Rx), about the
// centre, then the translation. A sign or an axis order flipped in the code
// moves these points elsewhere; a round trip through the same helpers would not see it.
describe('the rotation convention, worked out by hand', () => {
  const centre: Vec3 = [10, 20, 30];
  const about = (rotationDeg: Vec3): RigidMotion => ({ rotationDeg, translationMm: [1, 2, 3], centreMm: centre });

  it('turns x towards y about z, y towards z about x, z towards x about y, about the centre, then translates', () => {
    // 1 mm along x from the centre, 90° about z: 1 mm along y; plus the translation (1, 2, 3).
    expectNear(applyTransform(about([0, 0, 90]), [11, 20, 30]), [11, 23, 33]);
    // 1 mm along y, 90° about x: 1 mm along z.
    expectNear(applyTransform(about([90, 0, 0]), [10, 21, 30]), [11, 22, 34]);
    // 1 mm along z, 90° about y: 1 mm along x.
    expectNear(applyTransform(about([0, 90, 0]), [10, 20, 31]), [12, 22, 33]);
    // The centre itself only moves by the translation.
    expectNear(applyTransform(about([20, -30, 40]), centre), [11, 22, 33]);
  });

  it('turns by 30 degrees as cos 30° and sin 30° say', () => {
    expectNear(applyTransform({ ...IDENTITY, rotationDeg: [0, 0, 30] }, [2, 0, 0]), [Math.sqrt(3), 1, 0]);
    expectNear(applyTransform({ ...IDENTITY, rotationDeg: [-30, 0, 0] }, [0, 2, 0]), [0, Math.sqrt(3), -1]);
  });

  it('turns about x first and about z last', () => {
    // [90, 0, 90]: x stays put about x, then turns to y about z (z first would end on z).
    expectNear(applyTransform({ ...IDENTITY, rotationDeg: [90, 0, 90] }, [1, 0, 0]), [0, 1, 0]);
    // y turns to z about x, and z stays put about z (z first would end on -x).
    expectNear(applyTransform({ ...IDENTITY, rotationDeg: [90, 0, 90] }, [0, 1, 0]), [0, 0, 1]);
  });

  it('places a visit\'s anatomy the same way, and takes it back', () => {
    expectNear(applyMotion(about([0, 0, 90]), [11, 20, 30]), [11, 23, 33]);
    const { matrix, offset } = inverseMotionAffine(about([0, 0, 90]));
    expectNear(add(mulMatVec(matrix, [11, 23, 33]), offset), [11, 20, 30]);
  });

  it('scores a comparator sampled through +90° about z as the same image, and through -90° as its negative', () => {
    // The comparator's value is its y coordinate; the current points lie along x with their x as value.
    const dims: [number, number, number] = [21, 21, 3];
    const comparator: Volume = { dims, data: new Float32Array(21 * 21 * 3), origin: [-10, -10, -1], axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], spacing: [1, 1, 1] };
    for (let index = 0; index < comparator.data.length; index += 1) comparator.data[index] = -10 + (Math.floor(index / 21) % 21);
    const points: Vec3[] = Array.from({ length: 81 }, (_, index) => [-10 + index / 4, 0, 0]);
    const values = points.map((point) => point[0]);
    // +90° sends (x, 0, 0) to (0, x, 0), where the comparator holds x; -90° sends it to (0, -x, 0).
    expect(similarity(points, values, comparator, { ...IDENTITY, rotationDeg: [0, 0, 90] })).toBeCloseTo(1, 6);
    expect(similarity(points, values, comparator, { ...IDENTITY, rotationDeg: [0, 0, -90] })).toBeCloseTo(-1, 6);
  });
});

describe('volume sampling', () => {
  it('maps voxels to patient coordinates and back', () => {
    const volume = scan(AT_REST, { spacing: [2, 2, 4], dims: [8, 8, 4] });
    const point = voxelToPatient(volume, 3, 5, 2);
    expect(point).toEqual([-89, -101, -58]);
    expect(patientToVoxel(volume, point)).toEqual([3, 5, 2]);
  });

  it('interpolates between voxels and says null outside', () => {
    const volume: Volume = { dims: [2, 2, 2], data: Float32Array.from([0, 10, 0, 10, 0, 10, 0, 10]), origin: [0, 0, 0], axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], spacing: [1, 1, 1] };
    expect(sample(volume, [0.25, 0.5, 0.5])).toBeCloseTo(2.5);
    expect(sample(volume, [1, 1, 1])).toBe(10);
    expect(sample(volume, [1.01, 0, 0])).toBeNull();
    expect(sample(volume, [-0.01, 0, 0])).toBeNull();
  });

  it('scores the same image as 1 and refuses a transform with too little overlap', () => {
    const volume = scan(AT_REST, { spacing: [4, 4, 8], dims: [48, 56, 17] });
    const points: Vec3[] = [];
    const values: number[] = [];
    for (let index = 0; index < volume.data.length; index += 37) {
      const i = index % 48;
      const j = Math.floor(index / 48) % 56;
      const k = Math.floor(index / (48 * 56));
      points.push(voxelToPatient(volume, i, j, k));
      values.push(volume.data[index]!);
    }
    expect(similarity(points, values, volume, AT_REST)).toBeCloseTo(1, 6);
    expect(similarity(points, values, volume, { ...AT_REST, translationMm: [500, 0, 0] })).toBe(-1);
  });
});

describe('alignVolumes', () => {
  it('finds a pure shift, including through the thick slices', () => {
    const current = AT_REST;
    const comparator: RigidMotion = { rotationDeg: [0, 0, 0], translationMm: [3.2, -2.4, 5.5], centreMm: [0, 0, 0] };
    const result = alignVolumes(scan(current), scan(comparator));
    // A shift of 1.4 slices of 4 mm in a phantom with little detail across slices: found within 1.1 mm here.
    // The bench measures the synthetic trial's brains (finer anatomy), within 0.8 mm at every lesion.
    expect(residual(result.transform, current, comparator)).toBeLessThan(1.5);
    expect(result.score).toBeGreaterThan(0.9);
  });

  it('finds a follow-up position shifted and turned by a few degrees', () => {
    const current: RigidMotion = { rotationDeg: [1, -0.5, 2], translationMm: [1, 2, -1], centreMm: [0, 0, 0] };
    const comparator: RigidMotion = { rotationDeg: [-2, 1.5, -1], translationMm: [-2.5, 1.5, 3], centreMm: [0, 0, 0] };
    const result = alignVolumes(scan(current), scan(comparator));
    expect(residual(result.transform, current, comparator)).toBeLessThan(1.5);
  });

  it('leaves identical scans where they are', () => {
    const result = alignVolumes(scan(AT_REST), scan(AT_REST));
    expect(residual(result.transform, AT_REST, AT_REST)).toBeLessThan(0.5);
  });
});
