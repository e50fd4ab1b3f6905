// The reference sampler against values known without it: a linear ramp and a
// product of voxel indices, which trilinear interpolation reproduces exactly,
// the pixels of a slice's own plane, and nothing outside the volume.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../shared/synthetic/random';
import { referenceSamples, type SampledSeries, type SamplingPlane } from './reference-sampler';
import { along, cross, dicomPoint, dot, PLANES, stackGeometry, type StackGeometry, type Vec3 } from './stack-geometry';

const geometry = stackGeometry({ plane: 'doubleOblique', centre: [5, -8, 12], rows: 30, columns: 36, slices: 22, pixelSpacing: [0.9, 0.7], spacing: 1.3 });
const [row, column] = [geometry.orientation.slice(0, 3) as Vec3, geometry.orientation.slice(3) as Vec3];
const normal = cross(row, column);

/** A series whose voxel (i, j, k) holds value(i, j, k), with its slices stored in a shuffled order. */
function seriesOf(stack: StackGeometry, value: (i: number, j: number, k: number) => number): SampledSeries {
  const order = stack.positions.map((_, k) => k).sort((a, b) => ((a * 7) % stack.positions.length) - ((b * 7) % stack.positions.length));
  const voxels = new Float64Array(stack.rows * stack.columns * order.length);
  order.forEach((k, stored) => {
    for (let j = 0; j < stack.rows; j += 1) for (let i = 0; i < stack.columns; i += 1) voxels[stored * stack.rows * stack.columns + j * stack.columns + i] = value(i, j, k);
  });
  return { voxels, positions: order.map((k) => stack.positions[k]!), orientation: stack.orientation, pixelSpacing: stack.pixelSpacing, rows: stack.rows, columns: stack.columns };
}

const unit = (v: Vec3): Vec3 => v.map((value) => value / Math.hypot(...v)) as Vec3;

/** A plane through the middle of the volume, at an angle to every axis of the stack and of the patient. */
const centre = along(dicomPoint(geometry, 17.5, 14.5, 10), normal, geometry.spacing / 2);
const rowDirection = unit([0.3, 0.8, -0.5]);
const columnDirection = unit(cross(rowDirection, [0.6, -0.2, 0.7]));
const oblique: SamplingPlane = { origin: along(along(centre, rowDirection, -8 * 0.6), columnDirection, -8 * 0.55), rowDirection, columnDirection, spacing: [0.55, 0.6], rows: 17, columns: 17 };

describe('referenceSamples', () => {
  it('reproduces a linear ramp in patient space exactly on an oblique plane', () => {
    const ramp = (point: readonly number[]) => 100 + dot([0.7, -1.3, 2.1], point);
    const samples = referenceSamples(seriesOf(geometry, (i, j, k) => ramp(dicomPoint(geometry, i, j, k))), oblique);
    for (let r = 0; r < oblique.rows; r += 1) {
      for (let c = 0; c < oblique.columns; c += 1) {
        const point = along(along(oblique.origin, rowDirection, c * oblique.spacing[1]), columnDirection, r * oblique.spacing[0]);
        expect(samples[r * oblique.columns + c], `row ${r} column ${c}`).toBeCloseTo(ramp(point), 9);
      }
    }
  });

  it('reproduces a product of the voxel indices (trilinear, not only linear) between voxels', () => {
    const samples = referenceSamples(seriesOf(geometry, (i, j, k) => i * j * k), oblique);
    for (let r = 0; r < oblique.rows; r += 1) {
      for (let c = 0; c < oblique.columns; c += 1) {
        const offset = along(along(oblique.origin, rowDirection, c * oblique.spacing[1]), columnDirection, r * oblique.spacing[0]).map((value, axis) => value - geometry.positions[0]![axis]!);
        const [i, j, k] = [dot(offset, row) / geometry.pixelSpacing[1], dot(offset, column) / geometry.pixelSpacing[0], dot(offset, normal) / geometry.spacing];
        expect(samples[r * oblique.columns + c], `row ${r} column ${c}`).toBeCloseTo(i * j * k, 6);
      }
    }
  });

  it("gives a slice's own pixels on that slice's plane", () => {
    const rng = new Rng('reference sampler');
    const values = Array.from({ length: geometry.rows * geometry.columns * geometry.positions.length }, () => rng.range(0, 1000));
    const series = seriesOf(geometry, (i, j, k) => values[(k * geometry.rows + j) * geometry.columns + i]!);
    const k = 7;
    const plane: SamplingPlane = { origin: geometry.positions[k]!, rowDirection: row, columnDirection: column, spacing: geometry.pixelSpacing, rows: geometry.rows, columns: geometry.columns };
    const samples = referenceSamples(series, plane);
    for (let j = 0; j < geometry.rows; j += 1) for (let i = 0; i < geometry.columns; i += 1) expect(samples[j * geometry.columns + i]).toBeCloseTo(values[(k * geometry.rows + j) * geometry.columns + i]!, 9);
  });

  it('gives NaN outside the imaged volume: beyond the outer slices and beyond the matrix', () => {
    const series = seriesOf(geometry, () => 1);
    const beyondSlices = referenceSamples(series, { ...oblique, origin: along(centre, normal, 30) });
    expect([...beyondSlices].every(Number.isNaN)).toBe(true);
    // An in-slice line from the middle outwards along the rows: inside up to the last column, then NaN.
    const line = referenceSamples(series, { origin: dicomPoint(geometry, 30, 10, 4), rowDirection: row, columnDirection: column, spacing: [1, geometry.pixelSpacing[1]], rows: 1, columns: 10 });
    expect([...line].map((value) => (Number.isNaN(value) ? 'out' : value))).toEqual([1, 1, 1, 1, 1, 1, 'out', 'out', 'out', 'out']);
  });

  it('samples a sagittal plane through an axial stack as the axial slices hold it', () => {
    const axial = stackGeometry({ plane: 'axial', rows: 8, columns: 8, slices: 6, pixelSpacing: [1, 1], spacing: 2 });
    // Each slice holds its own number: across slices the samples step linearly between them.
    const samples = referenceSamples(seriesOf(axial, (_i, _j, k) => k * 10), {
      origin: dicomPoint(axial, 3, 2, 5),
      rowDirection: PLANES.sagittal.row,
      columnDirection: PLANES.sagittal.column,
      spacing: [1, 1],
      rows: 11,
      columns: 1,
    });
    // Sagittal rows go from head to foot: from the top slice down, 1 mm a row, 2 mm a slice.
    expect([...samples].map((value) => Number(value.toFixed(9)))).toEqual([50, 45, 40, 35, 30, 25, 20, 15, 10, 5, 0]);
  });
});
