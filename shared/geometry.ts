// Patient-space geometry of image slices (DICOM LPS coordinates, mm).
export type Vector3 = readonly [number, number, number];

export function cross(a: Vector3, b: Vector3): Vector3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: Vector3, b: Vector3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** The slice normal from ImageOrientationPatient (row direction, then column direction). */
export function sliceNormal(orientation: readonly number[]): Vector3 | null {
  if (orientation.length !== 6 || orientation.some((value) => !Number.isFinite(value))) return null;
  const [r0, r1, r2, c0, c1, c2] = orientation as [number, number, number, number, number, number];
  const normal = cross([r0, r1, r2], [c0, c1, c2]);
  const length = Math.hypot(...normal);
  return length < 1e-6 ? null : [normal[0] / length, normal[1] / length, normal[2] / length];
}

export interface Placed<T> {
  item: T;
  position: readonly number[] | null;
  orientation: readonly number[] | null;
  instanceNumber: number | null;
}

/**
 * Reading order of slices: by position along the slice normal (not by
 * InstanceNumber, which scanners number in either direction), falling back to
 * InstanceNumber only when geometry is missing.
 */
export function orderSlices<T>(slices: readonly Placed<T>[]): T[] {
  const normal = slices[0]?.orientation ? sliceNormal(slices[0].orientation) : null;
  const byNumber = (a: Placed<T>, b: Placed<T>) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0);
  const distances = slices.map((slice) => (normal && slice.position?.length === 3 ? dot(slice.position as unknown as Vector3, normal) : null));
  if (distances.some((distance) => distance === null)) return [...slices].sort(byNumber).map((slice) => slice.item);
  return slices
    .map((slice, index) => ({ slice, distance: distances[index]! }))
    .sort((a, b) => a.distance - b.distance || byNumber(a.slice, b.slice))
    .map(({ slice }) => slice.item);
}

export interface StackAnalysis {
  /** Typical distance between neighbouring slice centres (mm), null without geometry or with one slice. */
  spacing: number | null;
  warnings: string[];
}

const SAME_POSITION_MM = 0.01;
const GAP_FACTOR = 1.5;

/** Spacing, gaps and duplicate positions of slices already in reading order. */
export function analyseStack(slices: readonly { position: readonly number[] | null; orientation: readonly number[] | null }[]): StackAnalysis {
  const normal = slices[0]?.orientation ? sliceNormal(slices[0].orientation) : null;
  if (!normal || slices.length < 2) return { spacing: null, warnings: slices.length > 1 ? ['no slice geometry: ordered by instance number'] : [] };
  if (slices.some((slice) => slice.position?.length !== 3)) return { spacing: null, warnings: ['some slices lack a position: ordered by instance number'] };
  const distances = slices.map((slice) => dot(slice.position as unknown as Vector3, normal));
  const steps = distances.slice(1).map((distance, index) => distance - distances[index]!);
  const sorted = steps.filter((step) => step > SAME_POSITION_MM).sort((a, b) => a - b);
  const spacing = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : null;
  const warnings: string[] = [];
  steps.forEach((step, index) => {
    if (step <= SAME_POSITION_MM) warnings.push(`slices ${index + 1} and ${index + 2} are at the same position`);
    else if (spacing !== null && step > spacing * GAP_FACTOR) warnings.push(`gap of ${step.toFixed(1)} mm between slices ${index + 1} and ${index + 2} (spacing ${spacing.toFixed(1)} mm)`);
  });
  return { spacing: spacing === null ? null : Math.round(spacing * 1000) / 1000, warnings };
}
