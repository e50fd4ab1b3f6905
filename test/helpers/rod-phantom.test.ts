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

  it('imports as one 1 mm reconstructable series, axial by its dominant axis (tilted 20°, as an AC-PC line)', async () => {
    const db = openDatabase(join(tempFolder(), 'store.sqlite'));
    await importFolder(db, folder, { actor: 'tester' });
    expect(listSeries(db)).toMatchObject([{ seriesUid: phantom.seriesInstanceUid, instanceCount: 80, orientation: 'axial', spacing: 1, warnings: [], reconstructable: { ok: true } }]);
    db.close();
  });
});
