// Aligned subtraction and its candidates on the analytic phantom, where the
// anatomy, the lesions and the motion between visits are known exactly:
// metamorphic checks (identical visits, swapped visits, scaled intensities,
// a known motion undone) and the measures of a change.
import { describe, expect, it } from 'vitest';
import { AT_REST, type PhantomLesion, scan } from '../helpers/phantom';
import { alignVolumes, applyTransform, IDENTITY, type Volume } from '../../shared/registration';
import { type Change, mapIntensity, resampleInto, robustSpread, subtract } from '../../shared/subtraction';
import { inverseTransform } from '../../shared/slice-sync';
import { applyMotion, norm, sub, type RigidMotion, type Vec3 } from '../../shared/vector';

const RULES = { minLesionSizeMm: 3 };
/** MR noise: white matter (about 150) at a signal-to-noise ratio of 30. */
const NOISE = 5;
const MOVED: RigidMotion = { rotationDeg: [1.5, -1, 2], translationMm: [2.5, -3, 2], centreMm: [0, 0, 0] };
/** In white matter, away from the ventricles and the phantom's own lesion. */
const NEW_LESION: PhantomLesion = { centre: [-35, 30, 10], radiusMm: 4 };

const increases = (changes: readonly Change[]) => changes.filter((change) => change.direction === 'increase');
const decreases = (changes: readonly Change[]) => changes.filter((change) => change.direction === 'decrease');

/** The pair of a follow-up (moved, with the new lesion) and its comparator (at rest, without), aligned from the images. */
function followUpPair(lesions: readonly PhantomLesion[] = [NEW_LESION]) {
  const current = scan(MOVED, { lesions, noise: NOISE, seed: 1 });
  const comparator = scan(AT_REST, { noise: NOISE, seed: 2 });
  return { current, comparator, transform: alignVolumes(current, comparator).transform };
}

describe('subtract', () => {
  it('finds nothing between two identical visits', () => {
    const volume = scan(MOVED, { noise: NOISE });
    const result = subtract(volume, volume, IDENTITY, RULES);
    expect(result.changes).toEqual([]);
    const finite = result.difference.filter(Number.isFinite);
    expect(finite.length).toBeGreaterThan(0);
    expect(finite.every((value) => Math.abs(value) < 1e-3)).toBe(true);
  });

  it('finds nothing between the same anatomy scanned in two positions, once aligned', () => {
    const current = scan(MOVED, { noise: NOISE, seed: 1 });
    const comparator = scan(AT_REST, { noise: NOISE, seed: 2 });
    const { transform } = alignVolumes(current, comparator);
    expect(subtract(current, comparator, transform, RULES).changes).toEqual([]);
  });

  it('finds a new lesion as one increase at its place, with its size', () => {
    const { current, comparator, transform } = followUpPair();
    const result = subtract(current, comparator, transform, RULES);
    expect(decreases(result.changes)).toEqual([]);
    const [change, ...others] = increases(result.changes);
    expect(others).toEqual([]);
    const truth = applyMotion(MOVED, NEW_LESION.centre);
    expect(norm(sub(change!.centre, truth))).toBeLessThan(1.5);
    // An 8 mm sphere on 2 mm pixels: its largest section measures 8 mm give or take a pixel.
    expect(change!.diameterMm).toBeGreaterThan(6);
    expect(change!.diameterMm).toBeLessThan(10.5);
    expect(norm(sub(change!.diameter[0], change!.diameter[1]))).toBeCloseTo(change!.diameterMm - 2, 6);
    // Lesion (400) over white matter (about 150 + 30 sin cos).
    expect(change!.peakChange).toBeGreaterThan(150);
    expect(change!.peakScore).toBeGreaterThan(8);
    // Four slices of 4 mm at most hold a sphere 8 mm across.
    expect(change!.volumeMm3).toBeGreaterThan(100);
    expect(change!.volumeMm3).toBeLessThan((4 / 3) * Math.PI * 5 ** 3 * 2);
    // The slice where it is largest lies within half a slice of the lesion's centre.
    const sliceZ = current.origin[2] + change!.slice * current.spacing[2];
    expect(Math.abs(sliceZ - truth[2])).toBeLessThanOrEqual(current.spacing[2] / 2 + 1);
  });

  it('turns the new lesion into a decrease when the visits are swapped', () => {
    const { current, comparator, transform } = followUpPair();
    const swapped = subtract(comparator, current, inverseTransform(transform), RULES);
    expect(increases(swapped.changes)).toEqual([]);
    const [change, ...others] = decreases(swapped.changes);
    expect(others).toEqual([]);
    // The lesion as the earlier visit's coordinates place it: where the alignment sends the follow-up's lesion.
    expect(norm(sub(change!.centre, applyTransform(transform, applyMotion(MOVED, NEW_LESION.centre))))).toBeLessThan(2);
    expect(change!.peakChange).toBeLessThan(-150);
  });

  it('finds the same changes when one visit is scaled in intensity', () => {
    const { current, comparator, transform } = followUpPair();
    const scaled: Volume = { ...comparator, data: comparator.data.map((value) => value * 3.7) };
    const plain = subtract(current, comparator, transform, RULES).changes;
    const fromScaled = subtract(current, scaled, transform, RULES).changes;
    expect(fromScaled.length).toBe(plain.length);
    fromScaled.forEach((change, index) => {
      expect(norm(sub(change.centre, plain[index]!.centre))).toBeLessThan(1e-3);
      expect(change.volumeMm3).toBeCloseTo(plain[index]!.volumeMm3, 6);
      expect(change.diameterMm).toBeCloseTo(plain[index]!.diameterMm, 6);
    });
  });

  it('finds an enlarging lesion as an increase around it', () => {
    const current = scan(MOVED, { lesions: [{ ...NEW_LESION, radiusMm: 6 }], noise: NOISE, seed: 1 });
    const comparator = scan(AT_REST, { lesions: [{ ...NEW_LESION, radiusMm: 3 }], noise: NOISE, seed: 2 });
    const { transform } = alignVolumes(current, comparator);
    const [change, ...others] = increases(subtract(current, comparator, transform, RULES).changes);
    expect(others).toEqual([]);
    expect(norm(sub(change!.centre, applyMotion(MOVED, NEW_LESION.centre)))).toBeLessThan(2.5);
  });

  it('leaves out a change smaller than the charter counts', () => {
    const { current, comparator, transform } = followUpPair();
    expect(increases(subtract(current, comparator, transform, RULES).changes)).toHaveLength(1);
    expect(increases(subtract(current, comparator, transform, { minLesionSizeMm: 12 }).changes)).toEqual([]);
  });

  it('finds what plain subtraction without alignment does not: a moved head makes changes all along its edges', () => {
    const { current, comparator } = followUpPair();
    expect(subtract(current, comparator, IDENTITY, RULES).changes.length).toBeGreaterThan(2);
  });
});

describe('resampleInto', () => {
  it('puts the comparator anatomy at the current voxel showing it, and NaN outside the comparator', () => {
    const current = scan(MOVED);
    const comparator = scan(AT_REST);
    // The exact transform: current patient point -> anatomy -> comparator patient point (the comparator lies at rest).
    const exact = inverseTransform(MOVED);
    const resampled = resampleInto(current, comparator, exact);
    const [nx, ny] = current.dims;
    // Voxels in flat tissue (no edge within a few mm) agree with the current scan to interpolation accuracy.
    let compared = 0;
    for (const [i, j, k] of [[30, 40, 15], [60, 50, 17], [48, 70, 20]] as Vec3[]) {
      const index = i + nx * (j + ny * k);
      expect(Math.abs(resampled[index]! - current.data[index]!)).toBeLessThan(6);
      compared += 1;
    }
    expect(compared).toBe(3);
    // A transform that moves everything far away leaves nothing inside.
    expect(resampleInto(current, comparator, { ...IDENTITY, translationMm: [1000, 0, 0] }).every(Number.isNaN)).toBe(true);
  });
});

describe('intensity matching and noise', () => {
  it('maps quantiles piecewise linearly and extends the end pieces', () => {
    const matching = { from: Float64Array.from([0, 10, 20]), to: Float64Array.from([100, 120, 160]) };
    expect(mapIntensity(5, matching)).toBeCloseTo(110, 9);
    expect(mapIntensity(15, matching)).toBeCloseTo(140, 9);
    expect(mapIntensity(-10, matching)).toBeCloseTo(80, 9);
    expect(mapIntensity(30, matching)).toBeCloseTo(200, 9);
  });

  it('measures the spread of Gaussian noise and ignores a few large outliers', () => {
    let seed = 7;
    const uniform = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return (seed + 0.5) / 2 ** 31;
    };
    const values = new Float32Array(20_000).map(() => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()) * 5);
    for (let index = 0; index < 500; index += 1) values[index * 40] = 1000;
    expect(robustSpread(values, new Uint8Array(values.length).fill(1))).toBeCloseTo(5, 0);
  });
});
