// Slice geometry of test series, as a scanner states it: ImageOrientationPatient
// and one ImagePositionPatient per slice, for the three standard planes and
// a double-oblique one. Written from the DICOM definitions (PS3.3 C.7.6.2),
// not from the project's geometry code, so tests can check that code.
export type Vec3 = [number, number, number];

export const cross = (a: readonly number[], b: readonly number[]): Vec3 => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
export const dot = (a: readonly number[], b: readonly number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
export const along = (point: readonly number[], direction: readonly number[], amount: number): Vec3 => [point[0]! + direction[0]! * amount, point[1]! + direction[1]! * amount, point[2]! + direction[2]! * amount];

function rotated([x, y, z]: Vec3, aboutXDeg: number, aboutZDeg: number): Vec3 {
  const a = (aboutXDeg * Math.PI) / 180;
  const b = (aboutZDeg * Math.PI) / 180;
  const [x1, y1, z1] = [x, y * Math.cos(a) - z * Math.sin(a), y * Math.sin(a) + z * Math.cos(a)];
  return [x1 * Math.cos(b) - y1 * Math.sin(b), x1 * Math.sin(b) + y1 * Math.cos(b), z1];
}

/** Row direction (increasing column index) and column direction (increasing row index) of each plane. */
export const PLANES = {
  axial: { row: [1, 0, 0] as Vec3, column: [0, 1, 0] as Vec3 },
  sagittal: { row: [0, 1, 0] as Vec3, column: [0, 0, -1] as Vec3 },
  coronal: { row: [1, 0, 0] as Vec3, column: [0, 0, -1] as Vec3 },
  /** An axial plane tilted 20° about left-right, then turned 15° about head-foot. */
  doubleOblique: { row: rotated([1, 0, 0], 20, 15), column: rotated([0, 1, 0], 20, 15) },
} as const;
export type PlaneName = keyof typeof PLANES;

export interface StackGeometry {
  /** ImageOrientationPatient. */
  orientation: number[];
  /** ImagePositionPatient of each slice, in acquisition order (ascending along row x column). */
  positions: Vec3[];
  /** PixelSpacing: between rows, then between columns (mm). */
  pixelSpacing: [number, number];
  rows: number;
  columns: number;
  /** Distance between slice centres (mm). */
  spacing: number;
}

/** A regular stack of `slices` slices centred on `centre`. */
export function stackGeometry({ plane, centre = [0, 0, 0], rows, columns, slices, pixelSpacing, spacing }: { plane: PlaneName; centre?: Vec3; rows: number; columns: number; slices: number; pixelSpacing: [number, number]; spacing: number }): StackGeometry {
  const { row, column } = PLANES[plane];
  const normal = cross(row, column);
  const positions = Array.from({ length: slices }, (_, k) => {
    const middle = along(centre, normal, (k - (slices - 1) / 2) * spacing);
    return along(along(middle, row, (-(columns - 1) / 2) * pixelSpacing[1]), column, (-(rows - 1) / 2) * pixelSpacing[0]);
  });
  return { orientation: [...row, ...column], positions, pixelSpacing, rows, columns, spacing };
}

/**
 * The DICOM equation (PS3.3 C.7.6.2.1.1): the patient point of pixel
 * (column i, row j) of slice k, with PixelSpacing [between rows, between columns].
 */
export function dicomPoint(geometry: StackGeometry, i: number, j: number, k: number): Vec3 {
  const [xr, yr, zr, xc, yc, zc] = geometry.orientation as [number, number, number, number, number, number];
  const [di, dj] = [geometry.pixelSpacing[1], geometry.pixelSpacing[0]];
  const s = geometry.positions[k]!;
  return [xr * di * i + xc * dj * j + s[0], yr * di * i + yc * dj * j + s[1], zr * di * i + zc * dj * j + s[2]];
}
