// Rigid alignment on analytic volumes with a known motion between them.
import { describe, expect, it } from 'vitest';
import { alignVolumes, applyTransform, patientToVoxel, sample, similarity, type Volume, voxelToPatient } from '../../shared/registration';
import { applyMotion, inverseMotionAffine, mulMatVec, add, norm, sub, type RigidMotion, type Vec3 } from '../../shared/vector';

/** A head-like phantom in anatomy coordinates: skull shell, brain, two ventricles and a bright lesion. */
function phantom([x, y, z]: Vec3): number {
  const head = (x / 70) ** 2 + (y / 90) ** 2 + (z / 60) ** 2;
  if (head > 1) return 5;
  if (head > 0.85) return 300;
  const ventricle = ((Math.abs(x) - 12) / 6) ** 2 + (y / 25) ** 2 + ((z - 5) / 12) ** 2;
  if (ventricle < 1) return 40;
  const lesion = (x - 30) ** 2 + (y + 20) ** 2 + (z - 15) ** 2;
  if (lesion < 36) return 400;
  return 150 + 30 * Math.sin(x / 9) * Math.cos(y / 11);
}

/** An axial stack of the phantom as positioned by `motion` (anatomy -> scanner). */
function scan(motion: RigidMotion, spacing: Vec3 = [2, 2, 4], dims: [number, number, number] = [96, 112, 34]): Volume {
  const origin: Vec3 = [-95, -111, -66];
  const volume: Volume = { dims, data: new Float32Array(dims[0] * dims[1] * dims[2]), origin, axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], spacing };
  const { matrix, offset } = inverseMotionAffine(motion);
  for (let k = 0; k < dims[2]; k += 1) {
    for (let j = 0; j < dims[1]; j += 1) {
      for (let i = 0; i < dims[0]; i += 1) {
        const anatomy = add(mulMatVec(matrix, voxelToPatient(volume, i, j, k)), offset);
        volume.data[i + dims[0] * (j + dims[1] * k)] = phantom(anatomy);
      }
    }
  }
  return volume;
}

const AT_REST: RigidMotion = { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] };

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

describe('volume sampling', () => {
  it('maps voxels to patient coordinates and back', () => {
    const volume = scan(AT_REST, [2, 2, 4], [8, 8, 4]);
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
    const volume = scan(AT_REST, [4, 4, 8], [48, 56, 17]);
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
    expect(residual(result.transform, current, comparator)).toBeLessThan(1);
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
