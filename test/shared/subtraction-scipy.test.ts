// The resampling of a comparator into the current series' grid, checked
// against an independent implementation: SciPy's ndimage.affine_transform
// (order 1, trilinear) given the same voxel-to-voxel map, worked out here
// through the patient coordinates of both grids, not through our code's own
// stepping. Oblique grids with different spacings, a rotation and a shift.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyTransform, patientToVoxel, type Volume, voxelToPatient } from '../../shared/registration';
import { type Grid, resampleInto } from '../../shared/subtraction';
import { normalize, cross, rotationFromDegrees, mulMatVec, type RigidMotion, sub, type Vec3 } from '../../shared/vector';
import { tempFolder } from '../helpers/fixtures';
import { requirePythonModule } from '../helpers/tools';

/** Orthonormal axes turned by `angles` (degrees) from the scanner's. */
function turnedAxes(angles: Vec3): [Vec3, Vec3, Vec3] {
  const rotation = rotationFromDegrees(angles);
  const u = normalize(mulMatVec(rotation, [1, 0, 0]));
  const v = normalize(mulMatVec(rotation, [0, 1, 0]));
  return [u, v, cross(u, v)];
}

const SCRIPT = `
import sys, numpy as np
from scipy import ndimage
data_path, shape, matrix, offset, out_shape, out_path = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
shape = tuple(int(v) for v in shape.split(','))
out_shape = tuple(int(v) for v in out_shape.split(','))
matrix = np.array([float(v) for v in matrix.split(',')]).reshape(3, 3)
offset = np.array([float(v) for v in offset.split(',')])
data = np.fromfile(data_path, dtype='<f4').reshape(shape)
out = ndimage.affine_transform(data.astype(np.float64), matrix, offset, output_shape=out_shape, order=1, mode='constant', cval=np.nan)
out.astype('<f4').tofile(out_path)
`;

describe('resampleInto against SciPy', () => {
  it('gives SciPy trilinear values through the same voxel map, oblique grids included', () => {
    const python = requirePythonModule('scipy.ndimage', 'python3-scipy');
    const folder = tempFolder();
    // A comparator of smooth random structure (a sum of waves), tilted, with thick slices.
    const comparator: Volume = { dims: [28, 24, 12], data: new Float32Array(28 * 24 * 12), origin: [-14, -11, -15], axes: turnedAxes([4, -3, 7]), spacing: [1.1, 0.9, 3] };
    comparator.data.forEach((_, index) => {
      const i = index % 28;
      const j = Math.floor(index / 28) % 24;
      const k = Math.floor(index / (28 * 24));
      comparator.data[index] = 100 + 40 * Math.sin(i / 2.3) * Math.cos(j / 3.1) + 25 * Math.sin(k / 1.7 + i / 5) + ((i * 7 + j * 13 + k * 31) % 11);
    });
    const grid: Grid = { dims: [24, 22, 14], origin: [-12, -10, -16], axes: turnedAxes([-2, 5, -6]), spacing: [1, 1, 2.5] };
    const transform: RigidMotion = { rotationDeg: [2, -3, 4], translationMm: [1.5, -2, 0.7], centreMm: [1, 2, -3] };
    const ours = resampleInto(grid, comparator, transform);

    // The map from output voxel (k, j, i) to input voxel (k, j, i), NumPy's axis order, from four points.
    const mapped = (i: number, j: number, k: number) => patientToVoxel(comparator, applyTransform(transform, voxelToPatient(grid, i, j, k)));
    const base = mapped(0, 0, 0);
    const columns = [mapped(0, 0, 1), mapped(0, 1, 0), mapped(1, 0, 0)].map((point) => sub(point, base));
    const row = (axis: 2 | 1 | 0) => columns.map((column) => column[axis]);
    const matrix = [...row(2), ...row(1), ...row(0)];
    const offset = [base[2], base[1], base[0]];
    writeFileSync(join(folder, 'in.f32'), Buffer.from(comparator.data.buffer));
    execFileSync(python, ['-c', SCRIPT, join(folder, 'in.f32'), '12,24,28', matrix.join(','), offset.join(','), '14,22,24', join(folder, 'out.f32')]);
    const bytes = readFileSync(join(folder, 'out.f32'));
    const scipy = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);

    expect(scipy.length).toBe(ours.length);
    let both = 0;
    let worst = 0;
    let disagreeOnInside = 0;
    for (let index = 0; index < ours.length; index += 1) {
      const a = ours[index]!;
      const b = scipy[index]!;
      if (Number.isFinite(a) && Number.isFinite(b)) {
        both += 1;
        worst = Math.max(worst, Math.abs(a - b));
      } else if (Number.isFinite(a) !== Number.isFinite(b)) disagreeOnInside += 1;
    }
    // Most of the grid lies inside the comparator, and there the two agree to float precision.
    expect(both).toBeGreaterThan(ours.length * 0.4);
    expect(worst).toBeLessThan(1e-3);
    // Inside or outside differs only on the comparator's very edge (SciPy and we draw it a hair apart).
    expect(disagreeOnInside).toBeLessThan(ours.length * 0.01);
  });
});
