// An independent reference sampler for checking reformatted planes: the
// values of a series at the pixels of any plane in patient space, by
// trilinear interpolation. Written apart from shared/subtraction.ts and
// shared/registration.ts on purpose, and in another form: each of the two
// slices around a point is sampled bilinearly with its own
// ImagePositionPatient, then the two are blended by depth, so that it also
// holds for slices that are not evenly spaced.

export type Point = readonly [number, number, number];

export interface SampledSeries {
  /** Pixel values, slice after slice in the order of `positions`, each slice row after row (column index fastest). */
  voxels: ArrayLike<number>;
  /** ImagePositionPatient of each slice (any order). */
  positions: readonly Point[];
  /** ImageOrientationPatient: row direction, then column direction. */
  orientation: readonly number[];
  /** PixelSpacing: between rows, then between columns (mm). */
  pixelSpacing: readonly [number, number];
  rows: number;
  columns: number;
}

export interface SamplingPlane {
  /** Patient point (mm) of the plane's first pixel (row 0, column 0). */
  origin: Point;
  /** Unit direction of increasing column index. */
  rowDirection: Point;
  /** Unit direction of increasing row index. */
  columnDirection: Point;
  /** mm between rows, then between columns. */
  spacing: readonly [number, number];
  rows: number;
  columns: number;
}

/** Points this close (in pixels or slices) beyond the outermost samples still count as inside. */
const EDGE = 1e-6;

const dotOf = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/** Trilinear samples of `series` at every pixel of `plane`, row after row; NaN where the plane leaves the imaged volume. */
export function referenceSamples(series: SampledSeries, plane: SamplingPlane): Float64Array {
  const row = series.orientation.slice(0, 3);
  const column = series.orientation.slice(3, 6);
  const crossed = [row[1]! * column[2]! - row[2]! * column[1]!, row[2]! * column[0]! - row[0]! * column[2]!, row[0]! * column[1]! - row[1]! * column[0]!];
  const size = Math.hypot(crossed[0]!, crossed[1]!, crossed[2]!);
  const normal = crossed.map((value) => value / size);
  const slices = series.positions.map((position, index) => ({ position, index, depth: dotOf(position, normal) })).sort((a, b) => a.depth - b.depth);
  const area = series.rows * series.columns;

  /** Bilinear value on one slice at a patient point, or NaN off the slice. */
  const onSlice = (slice: (typeof slices)[number], point: readonly number[]): number => {
    const offset = [point[0]! - slice.position[0], point[1]! - slice.position[1], point[2]! - slice.position[2]];
    const x = dotOf(offset, row) / series.pixelSpacing[1];
    const y = dotOf(offset, column) / series.pixelSpacing[0];
    if (x < -EDGE || y < -EDGE || x > series.columns - 1 + EDGE || y > series.rows - 1 + EDGE) return Number.NaN;
    const x0 = Math.min(Math.max(Math.floor(x), 0), series.columns - 2);
    const y0 = Math.min(Math.max(Math.floor(y), 0), series.rows - 2);
    const fx = x - x0;
    const fy = y - y0;
    const at = (c: number, r: number) => series.voxels[slice.index * area + r * series.columns + c]!;
    const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
    const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  };

  const out = new Float64Array(plane.rows * plane.columns);
  for (let r = 0; r < plane.rows; r += 1) {
    for (let c = 0; c < plane.columns; c += 1) {
      const point = [0, 1, 2].map((axis) => plane.origin[axis]! + plane.rowDirection[axis]! * c * plane.spacing[1] + plane.columnDirection[axis]! * r * plane.spacing[0]);
      const depth = dotOf(point, normal);
      const last = slices.length - 1;
      const gap = slices.length > 1 ? slices[1]!.depth - slices[0]!.depth : 1;
      if (depth < slices[0]!.depth - EDGE * gap || depth > slices[last]!.depth + EDGE * gap) {
        out[r * plane.columns + c] = Number.NaN;
        continue;
      }
      // The pair of slices around the point: the last slice at or below its depth, and the next.
      let below = 0;
      while (below < last - 1 && slices[below + 1]!.depth <= depth) below += 1;
      const lower = slices[below]!;
      const upper = slices[Math.min(below + 1, last)]!;
      const fraction = upper === lower ? 0 : Math.min(1, Math.max(0, (depth - lower.depth) / (upper.depth - lower.depth)));
      out[r * plane.columns + c] = onSlice(lower, point) * (1 - fraction) + onSlice(upper, point) * fraction;
    }
  }
  return out;
}
