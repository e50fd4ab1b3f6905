// Geometry oracles: the project's mapping between voxels and patient
// coordinates (shared/registration.ts for volumes, shared/slice-sync.ts for
// single images) against the DICOM equation written out independently
// (test/helpers/stack-geometry.ts), for axial, sagittal, coronal and
// double-oblique stacks with unequal row, column and slice spacings.
import { describe, expect, it } from 'vitest';
import { patientToVoxel, voxelToPatient } from '../../shared/registration';
import { nearestSlice, pixelIndexOf, pixelPoint } from '../../shared/slice-sync';
import { Rng } from '../../shared/synthetic/random';
import { cross, dicomPoint, PLANES, type PlaneName, stackGeometry, type StackGeometry, type Vec3 } from '../helpers/stack-geometry';

const TOLERANCE_MM = 1e-9;

function stackOf(plane: PlaneName): StackGeometry {
  return stackGeometry({ plane, centre: [12.5, -30.25, 41], rows: 40, columns: 56, slices: 24, pixelSpacing: [0.8, 0.65], spacing: 1.7 });
}

/** The volume grid registration.ts works on, read off the stack the way a DICOM reader does: origin at the first slice's first pixel. */
function gridOf(geometry: StackGeometry) {
  const row = geometry.orientation.slice(0, 3) as Vec3;
  const column = geometry.orientation.slice(3) as Vec3;
  return {
    dims: [geometry.columns, geometry.rows, geometry.positions.length] as [number, number, number],
    origin: geometry.positions[0]!,
    axes: [row, column, cross(row, column)] as [Vec3, Vec3, Vec3],
    spacing: [geometry.pixelSpacing[1], geometry.pixelSpacing[0], geometry.spacing] as Vec3,
  };
}

const image = (geometry: StackGeometry, k: number) => ({ position: geometry.positions[k]!, orientation: geometry.orientation, pixelSpacing: geometry.pixelSpacing, rows: geometry.rows, columns: geometry.columns });

function expectClose(actual: readonly number[], expected: readonly number[], where: string) {
  actual.forEach((value, axis) => expect(Math.abs(value - expected[axis]!), `${where} axis ${axis}: ${actual.join(', ')} against ${expected.join(', ')}`).toBeLessThan(TOLERANCE_MM));
}

describe.each(Object.keys(PLANES) as PlaneName[])('%s stack', (plane) => {
  const geometry = stackOf(plane);
  const grid = gridOf(geometry);
  const rng = new Rng(`oracles|${plane}`);
  const corners = [0, 1].flatMap((a) => [0, 1].flatMap((b) => [0, 1].map((c) => [a * (geometry.columns - 1), b * (geometry.rows - 1), c * (geometry.positions.length - 1)] as Vec3)));
  const voxels = [...corners, ...Array.from({ length: 50 }, () => [Math.floor(rng.range(0, geometry.columns)), Math.floor(rng.range(0, geometry.rows)), Math.floor(rng.range(0, geometry.positions.length))] as Vec3)];

  it('voxelToPatient puts every voxel where the DICOM equation puts it', () => {
    for (const [i, j, k] of voxels) expectClose(voxelToPatient(grid, i, j, k), dicomPoint(geometry, i, j, k), `voxel ${i}, ${j}, ${k}`);
  });

  it('patientToVoxel inverts it, at voxel centres and between them', () => {
    for (const [i, j, k] of voxels) expectClose(patientToVoxel(grid, dicomPoint(geometry, i, j, k)), [i, j, k], `voxel ${i}, ${j}, ${k}`);
    for (let n = 0; n < 50; n += 1) {
      const continuous: Vec3 = [rng.range(-2, geometry.columns + 2), rng.range(-2, geometry.rows + 2), rng.range(-2, geometry.positions.length + 2)];
      expectClose(patientToVoxel(grid, voxelToPatient(grid, ...continuous)), continuous, `continuous ${continuous.join(', ')}`);
      const point: Vec3 = [rng.range(-100, 100), rng.range(-100, 100), rng.range(-100, 100)];
      expectClose(voxelToPatient(grid, ...patientToVoxel(grid, point)), point, `point ${point.join(', ')}`);
    }
  });

  it('each slice places and finds its pixels as the DICOM equation does, and the nearest slice of a point is its own', () => {
    for (const [i, j, k] of voxels) {
      const point = dicomPoint(geometry, i, j, k);
      expectClose(pixelPoint(image(geometry, k), i, j)!, point, `pixel ${i}, ${j} of slice ${k}`);
      expectClose(pixelIndexOf(image(geometry, k), point)!, [i, j], `pixel ${i}, ${j} of slice ${k}`);
      const slices = geometry.positions.map((_, index) => image(geometry, index));
      expect(nearestSlice(slices, point)).toEqual({ index: k, distanceMm: expect.closeTo(0, 9) });
    }
  });
});
