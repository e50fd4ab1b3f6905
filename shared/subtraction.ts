// Aligned subtraction of two scans of a region, and the changes in it that a
// reader should look at. Pure math on volumes in patient coordinates; the
// caller reads the pixels and the stored alignment.
//
// 1. The comparator is resampled into the current series' voxel grid through
//    the alignment (trilinear), so the same anatomy sits at the same voxel.
// 2. Its intensities are matched to the current scan's by quantiles inside
//    the body, so a scanner gain or a different coil loading cancels out.
// 3. The difference (current minus comparator) is smoothed in plane and
//    divided by its own noise, raised where either image has an edge: a
//    residual misalignment of a fraction of a millimetre shows as change
//    along every edge, never inside a flat tissue (the statistical change
//    test of SDC, with the edge term standing for the registration error).
// 4. Connected regions of the 3D change map above a threshold, holding a
//    stronger seed and at least the charter's smallest lesion size across,
//    are the candidates: increases (new or enlarging lesions). Decreases are
//    found the same way with the visits' roles swapped (see subtract).
import { applyTransform, patientToVoxel, type Volume, voxelToPatient } from './registration';
import { inverseTransform } from './slice-sync';
import { add, dot, mulMatVec, rotationFromDegrees, scale, sub, type RigidMotion, type Vec3 } from './vector';

/** Bumped whenever a change here can change a result: cached subtractions of an older version are computed again. */
export const SUBTRACTION_ALGORITHM = 2;

/** Where a volume's voxels lie, without its values. */
export type Grid = Omit<Volume, 'data'>;

export interface DetectionOptions {
  /** The charter's smallest lesion (longest diameter, mm): smaller changes are not offered. */
  minLesionSizeMm: number;
}

/** Change (in units of its own noise) that a region must reach somewhere to be offered. */
const SEED_Z = 8;
/** Change that joins a voxel to a region grown from a seed. */
const GROW_Z = 3;
/** The registration error the edge term stands for (mm): a misalignment this large moves an edge by as much. */
const EDGE_ERROR_MM = 0.6;
/** Across thick slices, interpolation blurs an edge that crosses them: the error there is a share of the slice spacing. */
/**
 * How far the interpolation error may exceed its curvature estimate: across
 * 4 mm slices an edge between two slices is a step, not a curve, and the
 * estimate from the slices alone falls short of it.
 */
const INTERPOLATION_WEIGHT = 3;
const THROUGH_PLANE_ERROR_SHARE = 0.25;

export interface Change {
  direction: 'increase' | 'decrease';
  /** Centre of the change, weighted by its size, in the current series' patient coordinates (mm). */
  centre: Vec3;
  volumeMm3: number;
  /** Longest in-plane diameter (mm) on the slice where the change is largest, and its ends. */
  diameterMm: number;
  diameter: [Vec3, Vec3];
  /** Index of that slice in the current grid (its slices in position order). */
  slice: number;
  /** In-plane area (mm²) of the change at half its largest value on that slice. */
  areaMm2: number;
  /** Largest and mean change, in the current image's units (signed: negative for a decrease). */
  peakChange: number;
  meanChange: number;
  /** Largest change in units of the local noise. */
  peakScore: number;
}

export interface Subtraction {
  grid: Grid;
  /** The comparator resampled into the grid, in its own units; NaN outside its field of view. */
  comparator: Float32Array;
  /** Current minus the intensity-matched comparator, in the current image's units; NaN outside the body or the comparator. */
  difference: Float32Array;
  /** Robust standard deviation of the difference in the body. */
  noise: number;
  /** How the comparator's values were matched to the current ones: comparator quantiles and the current values they map to. */
  matching: { from: Float64Array; to: Float64Array };
  changes: Change[];
}

/** A voxel index of the grid -> continuous voxel coordinates of another volume, through a rigid motion between their patient coordinates. */
function voxelMap(grid: Grid, target: Grid, transform: RigidMotion) {
  const rotation = rotationFromDegrees(transform.rotationDeg);
  const origin = sub(applyTransform(transform, grid.origin), target.origin);
  const steps = grid.axes.map((axis, index) => mulMatVec(rotation, scale(axis, grid.spacing[index]!)));
  const along = (vector: Vec3) => target.axes.map((axis, index) => dot(vector, axis) / target.spacing[index]!) as unknown as Vec3;
  return { start: along(origin), di: along(steps[0]!), dj: along(steps[1]!), dk: along(steps[2]!) };
}

/**
 * The absolute second difference of a volume's values at a voxel along one
 * axis (stride, the voxel's index on that axis, the axis' size). At the first
 * or last voxel there is none: twice the step to the neighbour stands for it.
 */
function secondDifference(data: Float32Array, voxel: number, stride: number, at: number, size: number): number {
  if (size < 2) return 0;
  if (at <= 0) return 2 * Math.abs(data[voxel + stride]! - data[voxel]!);
  if (at >= size - 1) return 2 * Math.abs(data[voxel]! - data[voxel - stride]!);
  return Math.abs(data[voxel + stride]! - 2 * data[voxel]! + data[voxel - stride]!);
}

/**
 * The comparator's values at every voxel of the grid, through the transform
 * (current -> comparator patient coordinates); trilinear, NaN outside. With
 * `interpolationError`, also what the interpolation may miss at each voxel:
 * half of f(1 - f) times the second difference along each axis. Across thick
 * slices, where anatomy changes faster than the slices sample it, that is the
 * largest error of all.
 */
export function resampleInto(grid: Grid, comparator: Volume, transform: RigidMotion, interpolationError?: Float32Array): Float32Array {
  const [nx, ny, nz] = grid.dims;
  const [mx, my, mz] = comparator.dims;
  const { start, di, dj, dk } = voxelMap(grid, comparator, transform);
  const out = new Float32Array(nx * ny * nz);
  const data = comparator.data;
  const plane = mx * my;
  // Neighbour offsets, none along an axis of one voxel.
  const x1 = mx > 1 ? 1 : 0;
  const y1 = my > 1 ? mx : 0;
  const z1 = mz > 1 ? plane : 0;
  // A hair of tolerance at the ends: a plane that lies on the comparator's first or last slice is inside.
  const edge = 1e-4;
  let index = 0;
  for (let k = 0; k < nz; k += 1) {
    for (let j = 0; j < ny; j += 1) {
      let x = start[0] + j * dj[0] + k * dk[0];
      let y = start[1] + j * dj[1] + k * dk[1];
      let z = start[2] + j * dj[2] + k * dk[2];
      for (let i = 0; i < nx; i += 1, index += 1, x += di[0], y += di[1], z += di[2]) {
        if (x < -edge || y < -edge || z < -edge || x > mx - 1 + edge || y > my - 1 + edge || z > mz - 1 + edge) {
          out[index] = Number.NaN;
          continue;
        }
        const x0 = Math.min(Math.max(Math.floor(x), 0), Math.max(mx - 2, 0));
        const y0 = Math.min(Math.max(Math.floor(y), 0), Math.max(my - 2, 0));
        const z0 = Math.min(Math.max(Math.floor(z), 0), Math.max(mz - 2, 0));
        const fx = x1 ? Math.min(Math.max(x - x0, 0), 1) : 0;
        const fy = y1 ? Math.min(Math.max(y - y0, 0), 1) : 0;
        const fz = z1 ? Math.min(Math.max(z - z0, 0), 1) : 0;
        const at = x0 + mx * y0 + plane * z0;
        const c00 = data[at]! * (1 - fx) + data[at + x1]! * fx;
        const c10 = data[at + y1]! * (1 - fx) + data[at + y1 + x1]! * fx;
        const c01 = data[at + z1]! * (1 - fx) + data[at + z1 + x1]! * fx;
        const c11 = data[at + z1 + y1]! * (1 - fx) + data[at + z1 + y1 + x1]! * fx;
        out[index] = (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
        if (!interpolationError) continue;
        // In plane, the curvature at the nearest voxel; across slices, the larger of the two slices the value comes from
        // (an edge between them shows in one or the other).
        const inPlane = at + (fx > 0.5 ? x1 : 0) + (fy > 0.5 ? y1 : 0);
        const nearest = inPlane + (fz > 0.5 ? z1 : 0);
        const ix = Math.min(x0 + (fx > 0.5 ? 1 : 0), mx - 1);
        const iy = Math.min(y0 + (fy > 0.5 ? 1 : 0), my - 1);
        const across = Math.max(secondDifference(data, inPlane, plane, z0, mz), z1 ? secondDifference(data, inPlane + z1, plane, z0 + 1, mz) : 0);
        interpolationError[index] =
          0.5 * (fx * (1 - fx) * secondDifference(data, nearest, 1, ix, mx) + fy * (1 - fy) * secondDifference(data, nearest, mx, iy, my) + fz * (1 - fz) * across);
      }
    }
  }
  return out;
}

/** Every `stride`-th finite value where the mask is set, sorted. */
function sortedSample(values: Float32Array, mask: Uint8Array, limit: number): Float64Array {
  let count = 0;
  for (let index = 0; index < values.length; index += 1) if (mask[index] && Number.isFinite(values[index]!)) count += 1;
  const stride = Math.max(1, Math.ceil(count / limit));
  const sample: number[] = [];
  let seen = 0;
  for (let index = 0; index < values.length; index += 1) {
    if (!mask[index] || !Number.isFinite(values[index]!)) continue;
    if (seen % stride === 0) sample.push(values[index]!);
    seen += 1;
  }
  return Float64Array.from(sample).sort();
}

function quantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const at = p * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/**
 * The body: voxels brighter than a fifth of the tissue level (the mean of
 * what lies above the mean), in either image, where both have values. Air
 * and noise stay out; dark tissue inside the head, such as CSF on FLAIR, is
 * mostly in through the other image or its neighbours.
 */
export function bodyMask(current: Float32Array, comparator: Float32Array): Uint8Array {
  const level = (values: Float32Array) => {
    let sum = 0;
    let count = 0;
    for (const value of values) {
      if (!Number.isFinite(value)) continue;
      sum += value;
      count += 1;
    }
    const mean = count > 0 ? sum / count : 0;
    let above = 0;
    let aboveCount = 0;
    for (const value of values) {
      if (value > mean) {
        above += value;
        aboveCount += 1;
      }
    }
    return aboveCount > 0 ? above / aboveCount : mean;
  };
  const currentFloor = level(current) / 5;
  const comparatorFloor = level(comparator) / 5;
  const mask = new Uint8Array(current.length);
  for (let index = 0; index < mask.length; index += 1) {
    const a = current[index]!;
    const b = comparator[index]!;
    if (Number.isFinite(a) && Number.isFinite(b) && (a > currentFloor || b > comparatorFloor)) mask[index] = 1;
  }
  return mask;
}

const QUANTILE_STEPS = 100;

/** Comparator quantiles inside the body and the current quantiles they map to, percentiles 1 to 99. */
export function matchQuantiles(current: Float32Array, comparator: Float32Array, mask: Uint8Array): { from: Float64Array; to: Float64Array } {
  const a = sortedSample(current, mask, 200_000);
  const b = sortedSample(comparator, mask, 200_000);
  const from = new Float64Array(QUANTILE_STEPS - 1);
  const to = new Float64Array(QUANTILE_STEPS - 1);
  for (let step = 1; step < QUANTILE_STEPS; step += 1) {
    from[step - 1] = quantile(b, step / QUANTILE_STEPS);
    to[step - 1] = quantile(a, step / QUANTILE_STEPS);
  }
  return { from, to };
}

/** A comparator value in the current image's units: piecewise linear between matched quantiles, the end pieces extended. */
export function mapIntensity(value: number, matching: { from: Float64Array; to: Float64Array }): number {
  const { from, to } = matching;
  const last = from.length - 1;
  let low = 0;
  let high = last;
  if (value <= from[0]!) high = 1;
  else if (value >= from[last]!) low = last - 1;
  else {
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if (from[middle]! <= value) low = middle;
      else high = middle;
    }
  }
  const span = from[high]! - from[low]!;
  if (span <= 0) return to[low]!;
  return to[low]! + ((value - from[low]!) / span) * (to[high]! - to[low]!);
}

/** A 1-2-1 smoothing in plane, where the mask is set (values outside it are left out, not taken as zero). */
function smoothInPlane(values: Float32Array, mask: Uint8Array, dims: Grid['dims']): Float32Array {
  const [nx, ny] = dims;
  const weights = [1, 2, 1];
  const pass = (input: Float32Array, stride: number, size: number, position: (index: number) => number) => {
    const output = new Float32Array(input.length).fill(Number.NaN);
    for (let index = 0; index < input.length; index += 1) {
      if (!mask[index]) continue;
      const at = position(index);
      let sum = 0;
      let weight = 0;
      for (let offset = -1; offset <= 1; offset += 1) {
        if (at + offset < 0 || at + offset >= size) continue;
        const neighbour = index + offset * stride;
        if (!mask[neighbour]) continue;
        const value = input[neighbour]!;
        if (!Number.isFinite(value)) continue;
        sum += weights[offset + 1]! * value;
        weight += weights[offset + 1]!;
      }
      output[index] = weight > 0 ? sum / weight : Number.NaN;
    }
    return output;
  };
  const alongRows = pass(values, 1, nx, (index) => index % nx);
  return pass(alongRows, nx, ny, (index) => Math.floor(index / nx) % ny);
}

/** Squared gradient per axis (value per mm), central differences, 0 at the border or next to a missing value. */
function squaredGradients(values: Float32Array, grid: Grid): { inPlane: Float32Array; through: Float32Array } {
  const [nx, ny, nz] = grid.dims;
  const [sx, sy, sz] = grid.spacing;
  const inPlane = new Float32Array(values.length);
  const through = new Float32Array(values.length);
  const difference = (index: number, stride: number, at: number, size: number, spacing: number) => {
    if (at === 0 || at === size - 1) return 0;
    const d = (values[index + stride]! - values[index - stride]!) / (2 * spacing);
    return Number.isFinite(d) ? d * d : 0;
  };
  let index = 0;
  for (let k = 0; k < nz; k += 1) {
    for (let j = 0; j < ny; j += 1) {
      for (let i = 0; i < nx; i += 1, index += 1) {
        inPlane[index] = difference(index, 1, i, nx, sx) + difference(index, nx, j, ny, sy);
        through[index] = difference(index, nx * ny, k, nz, sz);
      }
    }
  }
  return { inPlane, through };
}

/**
 * The change score of every voxel: the smoothed difference over its noise,
 * where the noise has the image noise and what a small misalignment makes
 * at an edge of either image. NaN outside the body.
 */
export function changeScores(current: Float32Array, matched: Float32Array, difference: Float32Array, interpolationError: Float32Array, mask: Uint8Array, grid: Grid): { scores: Float32Array; smoothed: Float32Array; noise: number } {
  const smoothed = smoothInPlane(difference, mask, grid.dims);
  const error = smoothInPlane(interpolationError, mask, grid.dims);
  const a = squaredGradients(current, grid);
  const b = squaredGradients(matched, grid);
  const throughError = THROUGH_PLANE_ERROR_SHARE * grid.spacing[2];
  // What misalignment and interpolation can make of the anatomy at each voxel, as a variance.
  const structure = new Float32Array(difference.length);
  for (let index = 0; index < structure.length; index += 1) {
    if (!mask[index]) continue;
    // The weaker edge of the two: a lesion that is new has an edge only in the current image, and must not hide behind it.
    const inPlane = Math.min(a.inPlane[index]!, b.inPlane[index]!);
    const through = Math.min(a.through[index]!, b.through[index]!);
    const interpolation = INTERPOLATION_WEIGHT * error[index]!;
    structure[index] = interpolation * interpolation + EDGE_ERROR_MM * EDGE_ERROR_MM * (inPlane + through) + throughError * throughError * through;
  }
  // The noise itself is measured where the anatomy is flat (the quieter half of the body), so that edges do not inflate it.
  const quiet = quietHalf(structure, mask);
  const noise = robustSpread(smoothed, quiet);
  const scores = new Float32Array(difference.length).fill(Number.NaN);
  for (let index = 0; index < scores.length; index += 1) {
    if (!mask[index] || !Number.isFinite(smoothed[index]!)) continue;
    const variance = noise * noise + structure[index]!;
    scores[index] = variance > 0 ? smoothed[index]! / Math.sqrt(variance) : 0;
  }
  return { scores, smoothed, noise };
}

/** The voxels of the mask whose value is at most the mask's median. */
function quietHalf(values: Float32Array, mask: Uint8Array): Uint8Array {
  const median = quantile(sortedSample(values, mask, 200_000), 0.5);
  const quiet = new Uint8Array(mask.length);
  for (let index = 0; index < quiet.length; index += 1) if (mask[index] && values[index]! <= median) quiet[index] = 1;
  return quiet;
}

/** 1.4826 x the median absolute deviation of the values where the mask is set: the standard deviation of Gaussian noise, untouched by the changes themselves. */
export function robustSpread(values: Float32Array, mask: Uint8Array): number {
  const sorted = sortedSample(values, mask, 200_000);
  if (sorted.length === 0) return 0;
  const median = quantile(sorted, 0.5);
  const deviations = Float64Array.from(sorted, (value) => Math.abs(value - median)).sort();
  return 1.4826 * quantile(deviations, 0.5);
}

/** Regions of increase in the score map, grown from seeds, 26-connected. */
function regions(scores: Float32Array, dims: Grid['dims']): number[][] {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const visited = new Uint8Array(scores.length);
  const found: number[][] = [];
  for (let seed = 0; seed < scores.length; seed += 1) {
    if (visited[seed] || !(scores[seed]! >= GROW_Z)) continue;
    const region: number[] = [];
    const stack = [seed];
    visited[seed] = 1;
    let strongest = 0;
    while (stack.length > 0) {
      const index = stack.pop()!;
      region.push(index);
      strongest = Math.max(strongest, scores[index]!);
      const i = index % nx;
      const j = Math.floor(index / nx) % ny;
      const k = Math.floor(index / plane);
      for (let dk = -1; dk <= 1; dk += 1) {
        if (k + dk < 0 || k + dk >= nz) continue;
        for (let dj = -1; dj <= 1; dj += 1) {
          if (j + dj < 0 || j + dj >= ny) continue;
          for (let di = -1; di <= 1; di += 1) {
            if (i + di < 0 || i + di >= nx) continue;
            const neighbour = index + di + dj * nx + dk * plane;
            if (visited[neighbour] || !(scores[neighbour]! >= GROW_Z)) continue;
            visited[neighbour] = 1;
            stack.push(neighbour);
          }
        }
      }
    }
    if (strongest >= SEED_Z) found.push(region);
  }
  return found;
}

/** The measures of one region of increase. */
function describe(region: readonly number[], grid: Grid, difference: Float32Array, scores: Float32Array): Change {
  const [nx, ny] = grid.dims;
  const [sx, sy, sz] = grid.spacing;
  const plane = nx * ny;
  const bySlice = new Map<number, number[]>();
  let weight = 0;
  let centre: Vec3 = [0, 0, 0];
  let peakChange = 0;
  let peakScore = 0;
  let total = 0;
  for (const index of region) {
    const k = Math.floor(index / plane);
    const change = Number.isFinite(difference[index]!) ? difference[index]! : 0;
    const size = Math.max(change, 0);
    centre = add(centre, scale(voxelToPatient(grid, index % nx, Math.floor(index / nx) % ny, k), size));
    weight += size;
    total += change;
    peakChange = Math.max(peakChange, change);
    peakScore = Math.max(peakScore, scores[index]!);
    const pixels = bySlice.get(k) ?? [];
    pixels.push(index);
    bySlice.set(k, pixels);
  }
  let slice = -1;
  let pixels: number[] = [];
  for (const [k, list] of bySlice) {
    if (list.length > pixels.length || (list.length === pixels.length && k < slice)) [slice, pixels] = [k, list];
  }
  // The diameter is measured at half the slice's largest change, on the unsmoothed difference: the region itself was
  // grown on smoothed scores down to a low threshold, and is wider than the lesion by a pixel or two.
  const slicePeak = Math.max(...pixels.map((index) => difference[index]!).filter(Number.isFinite));
  const core = pixels.filter((index) => difference[index]! >= slicePeak / 2);
  let longest = 0;
  let ends: [number, number] = [core[0]!, core[0]!];
  for (let a = 0; a < core.length; a += 1) {
    const ia = core[a]! % nx;
    const ja = Math.floor(core[a]! / nx) % ny;
    for (let b = a + 1; b < core.length; b += 1) {
      const dx = ((core[b]! % nx) - ia) * sx;
      const dy = ((Math.floor(core[b]! / nx) % ny) - ja) * sy;
      const distance = dx * dx + dy * dy;
      if (distance > longest) [longest, ends] = [distance, [core[a]!, core[b]!]];
    }
  }
  const point = (index: number) => voxelToPatient(grid, index % nx, Math.floor(index / nx) % ny, slice);
  return {
    direction: 'increase',
    centre: weight > 0 ? scale(centre, 1 / weight) : point(core[0]!),
    volumeMm3: region.length * sx * sy * sz,
    // Pixel centres: the lesion reaches half a pixel beyond them at each end.
    diameterMm: Math.sqrt(longest) + (sx + sy) / 2,
    diameter: [point(ends[0]), point(ends[1])],
    slice,
    areaMm2: core.length * sx * sy,
    peakChange,
    meanChange: total / region.length,
    peakScore,
  };
}

/**
 * Regions of increase at least the charter's smallest lesion across, in
 * slice order: as long as it across, and as large in area as a disc of that
 * diameter (two pixels on a diagonal are as long as a small lesion, and are
 * noise).
 */
export function findIncreases(scores: Float32Array, difference: Float32Array, grid: Grid, options: DetectionOptions): Change[] {
  const smallestArea = (Math.PI / 4) * options.minLesionSizeMm ** 2;
  return regions(scores, grid.dims)
    .map((region) => describe(region, grid, difference, scores))
    .filter((change) => change.diameterMm >= options.minLesionSizeMm && change.areaMm2 >= smallestArea)
    .sort((a, b) => a.slice - b.slice || a.centre[0] - b.centre[0] || a.centre[1] - b.centre[1]);
}

/** One direction of the computation: the comparator resampled into the current grid, matched, subtracted, and the increases found. */
function increasesOver(current: Volume, comparator: Volume, transform: RigidMotion, options: DetectionOptions) {
  const grid: Grid = { dims: current.dims, origin: current.origin, axes: current.axes, spacing: current.spacing };
  const interpolationError = new Float32Array(current.data.length);
  const resampled = resampleInto(grid, comparator, transform, interpolationError);
  const mask = bodyMask(current.data, resampled);
  const matching = matchQuantiles(current.data, resampled, mask);
  const matched = new Float32Array(resampled.length);
  const difference = new Float32Array(resampled.length);
  for (let index = 0; index < matched.length; index += 1) {
    matched[index] = Number.isFinite(resampled[index]!) ? mapIntensity(resampled[index]!, matching) : Number.NaN;
    difference[index] = mask[index] ? current.data[index]! - matched[index]! : Number.NaN;
  }
  // The error estimate is in the comparator's units: carried to the current's by the matching's overall slope.
  const slope = (matching.to[89]! - matching.to[9]!) / Math.max(matching.from[89]! - matching.from[9]!, 1e-12);
  for (let index = 0; index < interpolationError.length; index += 1) interpolationError[index] = interpolationError[index]! * Math.abs(slope);
  const { scores, noise } = changeScores(current.data, matched, difference, interpolationError, mask, grid);
  return { grid, resampled, difference, noise, matching, increases: findIncreases(scores, difference, grid, options) };
}

/** A change found in the comparator's grid, as a decrease in the current one's (through the comparator -> current transform). */
function asDecrease(change: Change, toCurrent: RigidMotion, grid: Grid): Change {
  const centre = applyTransform(toCurrent, change.centre);
  const slice = Math.round(patientToVoxel(grid, centre)[2]);
  return {
    ...change,
    direction: 'decrease',
    centre,
    diameter: [applyTransform(toCurrent, change.diameter[0]), applyTransform(toCurrent, change.diameter[1])],
    slice: Math.min(Math.max(slice, 0), grid.dims[2] - 1),
    peakChange: -change.peakChange,
    meanChange: -change.meanChange,
  };
}

/**
 * The whole computation. Increases are found in the current grid; decreases
 * the other way round, as increases of the comparator over the current in
 * the comparator's own grid: a lesion is always judged on the images that
 * show it as acquired, never through interpolation, so that swapping the
 * visits swaps increases and decreases.
 */
export function subtract(current: Volume, comparator: Volume, transform: RigidMotion, options: DetectionOptions): Subtraction {
  const forward = increasesOver(current, comparator, transform, options);
  const toCurrent = inverseTransform(transform);
  const backward = increasesOver(comparator, current, toCurrent, options);
  return {
    grid: forward.grid,
    comparator: forward.resampled,
    difference: forward.difference,
    noise: forward.noise,
    matching: forward.matching,
    changes: [...forward.increases, ...backward.increases.map((change) => asDecrease(change, toCurrent, forward.grid))],
  };
}
