// Rigid alignment of a comparator series to the current series, from the
// images: follow-up scans are never positioned like the baseline, so the
// same anatomy sits at different patient coordinates. Pure math on volumes
// in patient coordinates (mm, LPS); the caller reads the pixels.
//
// The transform maps a point of the current series to the comparator's
// patient coordinates: comparator(T(p)) shows what current(p) shows.
import { nelderMead } from './nelder-mead';
import { add, dot, mulMatVec, type RigidMotion, rotationFromDegrees, scale, sub, type Vec3 } from './vector';

export interface Volume {
  /** Columns, rows, slices. */
  dims: readonly [number, number, number];
  /** Voxel values, column fastest: index = i + nx * (j + ny * k). */
  data: Float32Array;
  /** Patient position of voxel (0, 0, 0). */
  origin: Vec3;
  /** Unit directions of increasing column, row and slice index. */
  axes: readonly [Vec3, Vec3, Vec3];
  /** mm between columns, rows and slices. */
  spacing: Vec3;
}

export const IDENTITY: RigidMotion = { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] };

export function applyTransform(transform: RigidMotion, point: Vec3): Vec3 {
  return add(add(mulMatVec(rotationFromDegrees(transform.rotationDeg), sub(point, transform.centreMm)), transform.centreMm), transform.translationMm);
}

export function voxelToPatient(volume: Omit<Volume, 'data'>, i: number, j: number, k: number): Vec3 {
  const [sx, sy, sz] = volume.spacing;
  const [u, v, w] = volume.axes;
  return add(volume.origin, add(add(scale(u, i * sx), scale(v, j * sy)), scale(w, k * sz)));
}

/** Continuous voxel coordinates of a patient point (axes are orthonormal for MR stacks). */
export function patientToVoxel(volume: Omit<Volume, 'data'>, point: Vec3): Vec3 {
  const d = sub(point, volume.origin);
  return [dot(d, volume.axes[0]) / volume.spacing[0], dot(d, volume.axes[1]) / volume.spacing[1], dot(d, volume.axes[2]) / volume.spacing[2]];
}

/** Trilinear interpolation at a patient point; null outside the volume. */
export function sample(volume: Volume, point: Vec3): number | null {
  const [x, y, z] = patientToVoxel(volume, point);
  const [nx, ny, nz] = volume.dims;
  if (x < 0 || y < 0 || z < 0 || x > nx - 1 || y > ny - 1 || z > nz - 1) return null;
  const i = Math.min(Math.floor(x), nx - 2 < 0 ? 0 : nx - 2);
  const j = Math.min(Math.floor(y), ny - 2 < 0 ? 0 : ny - 2);
  const k = Math.min(Math.floor(z), nz - 2 < 0 ? 0 : nz - 2);
  const fx = nx > 1 ? x - i : 0;
  const fy = ny > 1 ? y - j : 0;
  const fz = nz > 1 ? z - k : 0;
  const data = volume.data;
  const at = (di: number, dj: number, dk: number) => data[Math.min(i + di, nx - 1) + nx * (Math.min(j + dj, ny - 1) + ny * Math.min(k + dk, nz - 1))]!;
  const c00 = at(0, 0, 0) * (1 - fx) + at(1, 0, 0) * fx;
  const c10 = at(0, 1, 0) * (1 - fx) + at(1, 1, 0) * fx;
  const c01 = at(0, 0, 1) * (1 - fx) + at(1, 0, 1) * fx;
  const c11 = at(0, 1, 1) * (1 - fx) + at(1, 1, 1) * fx;
  return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
}

/** The mean of the volume: air and noise sit below it in MR, tissue above. */
function foregroundThreshold(volume: Volume): number {
  let sum = 0;
  for (const value of volume.data) sum += value;
  return sum / volume.data.length;
}

/** The mean of what lies below the tissue threshold: the level of air and noise. */
function backgroundLevel(volume: Volume): number {
  const threshold = foregroundThreshold(volume);
  let sum = 0;
  let count = 0;
  for (const value of volume.data) {
    if (value <= threshold) {
      sum += value;
      count += 1;
    }
  }
  return count > 0 ? sum / count : 0;
}

/** Tissue voxels (above the threshold), thinned to at most `limit` by a fixed stride. */
export function foreground(volume: Volume, limit: number): { points: Vec3[]; values: number[]; centroid: Vec3 } {
  const threshold = foregroundThreshold(volume);
  const [nx, ny, nz] = volume.dims;
  let count = 0;
  for (const value of volume.data) if (value > threshold) count += 1;
  const stride = Math.max(1, Math.ceil(count / limit));
  const points: Vec3[] = [];
  const values: number[] = [];
  let seen = 0;
  let weight = 0;
  let centroid: Vec3 = [0, 0, 0];
  for (let k = 0; k < nz; k += 1) {
    for (let j = 0; j < ny; j += 1) {
      for (let i = 0; i < nx; i += 1) {
        const value = volume.data[i + nx * (j + ny * k)]!;
        if (value <= threshold) continue;
        const point = voxelToPatient(volume, i, j, k);
        centroid = add(centroid, scale(point, value));
        weight += value;
        if (seen % stride === 0) {
          points.push(point);
          values.push(value);
        }
        seen += 1;
      }
    }
  }
  return { points, values, centroid: weight > 0 ? scale(centroid, 1 / weight) : voxelToPatient(volume, nx / 2, ny / 2, nz / 2) };
}

/** Normalised cross-correlation of the current values with the comparator sampled at the moved points. */
export function similarity(points: readonly Vec3[], values: readonly number[], comparator: Volume, transform: RigidMotion, outside = 0): number {
  const rotation = rotationFromDegrees(transform.rotationDeg);
  let inside = 0;
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let index = 0; index < points.length; index += 1) {
    const moved = add(add(mulMatVec(rotation, sub(points[index]!, transform.centreMm)), transform.centreMm), transform.translationMm);
    // Outside the comparator counts as air: pushing anatomy out of view must not pay.
    const sampled = sample(comparator, moved);
    if (sampled !== null) inside += 1;
    // NaN for outside: points the comparator did not image are left out rather than taken as air.
    else if (Number.isNaN(outside)) continue;
    const b = sampled ?? outside;
    const a = values[index]!;
    n += 1;
    sa += a;
    sb += b;
    saa += a * a;
    sbb += b * b;
    sab += a * b;
  }
  // Too little overlap says nothing; it must not win.
  if (inside < Math.max(50, points.length * 0.3)) return -1;
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : -1;
}

/** Score given up per squared degree of rotation. */
const ROTATION_PRIOR = 0.0008;

export interface AlignmentResult {
  transform: RigidMotion;
  /** Normalised cross-correlation at the result, -1 to 1. */
  score: number;
  evaluations: number;
}

/**
 * Translation first (from the tissue centroids, then refined), then rotation
 * and translation together, by coordinate search with shrinking steps; then
 * the refinement below.
 */
export function alignVolumes(currentImages: Volume, comparatorImages: Volume, options: { maxPoints?: number } = {}): AlignmentResult {
  const current = matchSliceBlur(currentImages);
  const comparator = matchSliceBlur(comparatorImages);
  const fixed = foreground(current, options.maxPoints ?? 20_000);
  const moving = foreground(comparator, 1);
  let best: RigidMotion = { rotationDeg: [0, 0, 0], translationMm: sub(moving.centroid, fixed.centroid), centreMm: fixed.centroid };
  let evaluations = 0;
  const air = backgroundLevel(comparator);
  // A small prior against rotation: follow-up heads turn by a few degrees at
  // most, and on thick slices a false tilt can buy a sliver of correlation.
  const score = (candidate: RigidMotion) => {
    evaluations += 1;
    const [rx, ry, rz] = candidate.rotationDeg;
    return similarity(fixed.points, fixed.values, comparator, candidate, air) - ROTATION_PRIOR * (rx * rx + ry * ry + rz * rz);
  };
  let bestScore = score(best);
  // The centroid is a start, not an answer: tissue cut by the field of view moves it. Also try no shift.
  const still = { ...best, translationMm: [0, 0, 0] as Vec3 };
  const stillScore = score(still);
  if (stillScore > bestScore) [best, bestScore] = [still, stillScore];

  const search = (parameters: readonly ('t' | 'r')[], startStep: { t: number; r: number }, minimumStep: number) => {
    let step = { ...startStep };
    while (step.t >= minimumStep) {
      let improved = true;
      while (improved) {
        improved = false;
        for (const kind of parameters) {
          for (let axis = 0; axis < 3; axis += 1) {
            for (const sign of [1, -1]) {
              const delta: [number, number, number] = [0, 0, 0];
              delta[axis] = sign * step[kind];
              const candidate: RigidMotion =
                kind === 't' ? { ...best, translationMm: add(best.translationMm, delta) } : { ...best, rotationDeg: add(best.rotationDeg, delta) };
              const candidateScore = score(candidate);
              if (candidateScore > bestScore + 1e-6) {
                best = candidate;
                bestScore = candidateScore;
                improved = true;
              }
            }
          }
        }
      }
      step = { t: step.t / 2, r: step.r / 2 };
    }
  };
  search(['t'], { t: 8, r: 0 }, 1);
  search(['t', 'r'], { t: 2, r: 2 }, 0.25);
  return refine(fixed, comparator, best, evaluations);
}

/**
 * The last step, with the points the comparator did not image left out
 * rather than taken as air: air keeps the search from pushing anatomy out of
 * view from afar, but near the answer it biases it, by up to 2 mm when the
 * follow-up head sits higher or lower in the stack. Nelder-Mead over the six
 * parameters (as offsets from the search's answer), so that coupled
 * rotations and translations move together, which the search's one axis at
 * a time cannot.
 */
function refine(fixed: { points: Vec3[]; values: number[] }, comparator: Volume, start: RigidMotion, evaluations: number): AlignmentResult {
  const moved = ([tx, ty, tz, rx, ry, rz]: readonly number[]): RigidMotion => ({
    centreMm: start.centreMm,
    translationMm: [start.translationMm[0] + tx!, start.translationMm[1] + ty!, start.translationMm[2] + tz!],
    rotationDeg: [start.rotationDeg[0] + rx!, start.rotationDeg[1] + ry!, start.rotationDeg[2] + rz!],
  });
  const score = (offsets: readonly number[]) => {
    const motion = moved(offsets);
    const [rx, ry, rz] = motion.rotationDeg;
    return similarity(fixed.points, fixed.values, comparator, motion, Number.NaN) - ROTATION_PRIOR * (rx * rx + ry * ry + rz * rz);
  };
  // Steps of 1 mm and 1 degree to start: the search's answer is within that.
  const found = nelderMead((offsets) => -score(offsets), [0, 0, 0, 0, 0, 0], { step: 1, maxIterations: 300 });
  return { transform: moved(found.x), score: -found.value, evaluations: evaluations + found.evaluations };
}

/**
 * Blurs each slice in plane to about the slice spacing, so that the volume is
 * about as sharp across slices as within them. Without it, thick slices make
 * interpolation artefacts that a small false rotation can "explain".
 */
export function matchSliceBlur(volume: Volume): Volume {
  const [nx, ny, nz] = volume.dims;
  const radiusX = Math.floor(volume.spacing[2] / volume.spacing[0] / 2);
  const radiusY = Math.floor(volume.spacing[2] / volume.spacing[1] / 2);
  if (radiusX < 1 && radiusY < 1) return volume;
  const blurred = Float32Array.from(volume.data);
  const scratch = new Float32Array(Math.max(nx, ny));
  for (let k = 0; k < nz; k += 1) {
    if (radiusX >= 1) for (let j = 0; j < ny; j += 1) boxBlurLine(blurred, nx * (j + ny * k), 1, nx, radiusX, scratch);
    if (radiusY >= 1) for (let i = 0; i < nx; i += 1) boxBlurLine(blurred, i + nx * ny * k, nx, ny, radiusY, scratch);
  }
  return { ...volume, data: blurred };
}

/** A running mean over 2 * radius + 1 samples along one line of the array (start, stride, count), in place. */
function boxBlurLine(data: Float32Array, start: number, stride: number, count: number, radius: number, line: Float32Array): void {
  for (let index = 0; index < count; index += 1) line[index] = data[start + index * stride]!;
  for (let index = 0; index < count; index += 1) {
    const from = Math.max(0, index - radius);
    const to = Math.min(count - 1, index + radius);
    let sum = 0;
    for (let at = from; at <= to; at += 1) sum += line[at]!;
    data[start + index * stride] = sum / (to - from + 1);
  }
}
