// The rod phantom is what it says: DICOM files whose stated geometry places
// every voxel where the DICOM equation does, read by the app into a volume
// whose bright rod starts, ends and has the radius the helper returns, and
// a series the store calls reconstructable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readVolume } from '../../main/alignment/volume';
import { importFolder } from '../../main/dicom/importer';
import { listSeries } from '../../main/store/catalog';
import { openDatabase } from '../../main/store/database';
import { patientToVoxel, sample, voxelToPatient } from '../../shared/registration';
import { tempFolder } from './fixtures';
import { referenceSamples } from './reference-sampler';
import { writeRodPhantom } from './rod-phantom';
import { along, cross, dicomPoint, type Vec3 } from './stack-geometry';

/** Where a profile from `from` along `direction` (1/20 mm steps) last stays above half height, going outwards. */
function halfHeightCrossing(volume: ReturnType<typeof readVolume>, from: Vec3, direction: Vec3, half: number, maxMm: number): number {
  for (let step = 0; step <= maxMm * 20; step += 1) {
    const value = sample(volume, along(from, direction, step / 20));
    if (value === null || value < half) return step / 20;
  }
  return Number.POSITIVE_INFINITY;
}

describe('writeRodPhantom', () => {
  // tempFolder() goes after each test: this one stays until the file ends.
  const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-rod-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const phantom = writeRodPhantom(folder);
  const volume = readVolume(phantom.files.map((filePath) => ({ filePath, frame: 1 })));
  const half = (phantom.inside + phantom.outside) / 2;

  it('writes a double-oblique stack whose voxels lie where the DICOM equation puts them', () => {
    expect(phantom.files).toHaveLength(80);
    expect(volume.dims).toEqual([96, 96, 80]);
    for (const [i, j, k] of [[0, 0, 0], [95, 0, 0], [0, 95, 79], [95, 95, 79], [40, 17, 33]] as Vec3[]) {
      const stated = dicomPoint(phantom.geometry, i, j, k);
      voxelToPatient(volume, i, j, k).forEach((value, axis) => expect(value).toBeCloseTo(stated[axis]!, 4));
    }
  });

  it('holds a rod of the stated length, radius and direction, its ends at half height', () => {
    const { start, end, direction, lengthMm, radiusMm } = phantom.rod;
    expect(Math.hypot(end[0] - start[0], end[1] - start[1], end[2] - start[2])).toBeCloseTo(lengthMm, 9);
    const middle = along(start, direction, lengthMm / 2);
    expect(sample(volume, middle)).toBeCloseTo(phantom.inside, -1);
    // Along the axis from the middle, the rod ends where the helper says, within a tenth of a voxel.
    expect(halfHeightCrossing(volume, middle, direction, half, lengthMm)).toBeCloseTo(lengthMm / 2, 0);
    expect(Math.abs(halfHeightCrossing(volume, middle, direction, half, lengthMm) - lengthMm / 2)).toBeLessThan(0.1);
    expect(Math.abs(halfHeightCrossing(volume, middle, [-direction[0], -direction[1], -direction[2]], half, lengthMm) - lengthMm / 2)).toBeLessThan(0.1);
    // Across it, in two directions at right angles to the axis, the radius.
    const across = cross(direction, [0, 0, 1]);
    const unit = across.map((value) => value / Math.hypot(...across)) as Vec3;
    for (const sideways of [unit, cross(direction, unit)]) expect(Math.abs(halfHeightCrossing(volume, middle, sideways, half, 20) - radiusMm)).toBeLessThan(0.15);
    // Dark away from the rod, and the rod within the volume.
    expect(sample(volume, along(middle, unit, 15))).toBe(phantom.outside);
    for (const point of [start, end]) {
      patientToVoxel(volume, point).forEach((index, axis) => {
        expect(index).toBeGreaterThan(2);
        expect(index).toBeLessThan(volume.dims[axis]! - 3);
      });
    }
  });

  it('gives the reference sampler and the app\'s own trilinear sampler the same plane through the rod', () => {
    const { start, direction, lengthMm } = phantom.rod;
    const across = cross(direction, [0, 0, 1]);
    const sideways = across.map((value) => value / Math.hypot(...across)) as Vec3;
    // A plane holding the rod's axis: 0.7 mm pixels, 100 along the rod and 20 across, starting before its start.
    const plane = { origin: along(along(start, direction, -5), sideways, -7), rowDirection: direction, columnDirection: sideways, spacing: [0.7, 0.7] as const, rows: 20, columns: 100 };
    const reference = referenceSamples(
      { voxels: volume.data, positions: phantom.geometry.positions, orientation: phantom.geometry.orientation, pixelSpacing: phantom.geometry.pixelSpacing, rows: volume.dims[1], columns: volume.dims[0] },
      plane,
    );
    let compared = 0;
    for (let r = 0; r < plane.rows; r += 1) {
      for (let c = 0; c < plane.columns; c += 1) {
        const point = along(along(plane.origin, direction, c * 0.7), sideways, r * 0.7);
        // Within 0.05 of 1000: the files' positions and orientation are rounded to 6 decimals, which the two read differently.
        expect(reference[r * plane.columns + c], `row ${r} column ${c}`).toBeCloseTo(sample(volume, point)!, 1);
        compared += 1;
      }
    }
    expect(compared).toBe(2000);
    // The rod's middle is bright in both, and the plane reaches past its ends.
    expect(reference[10 * plane.columns + Math.round((5 + lengthMm / 2) / 0.7)]).toBeGreaterThan(0.9 * phantom.inside);
    expect(reference[10 * plane.columns]).toBe(phantom.outside);
  });

  it('imports as one 1 mm reconstructable series, axial by its dominant axis (tilted 20°, as an AC-PC line)', async () => {
    const db = openDatabase(join(tempFolder(), 'store.sqlite'));
    await importFolder(db, folder, { actor: 'tester' });
    expect(listSeries(db)).toMatchObject([{ seriesUid: phantom.seriesInstanceUid, instanceCount: 80, orientation: 'axial', spacing: 1, warnings: [], reconstructable: { ok: true } }]);
    db.close();
  });
});
