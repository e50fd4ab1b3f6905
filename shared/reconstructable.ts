// Whether a series can be stacked into a volume and read in three planes
// (multiplanar reformatting), and when it cannot, why, in a reader's words.
// After OHIF's isDisplaySetReconstructable: one size, one orientation, one
// pixel spacing, positions on a regular grid along the slice normal, and
// enough slices. Stricter than OHIF in two places, because a reformat that
// misplaces anatomy is worse than none: a missing slice (a gap) and slices
// shifted within their plane (a sheared stack) are refused, not stretched.
import { dot, sliceNormal, type Vector3 } from './geometry';

/** One stored instance's geometry, from its header. */
export interface InstanceGeometry {
  /** ImagePositionPatient (of the first frame for a multi-frame instance). */
  position: readonly number[] | null;
  /** ImageOrientationPatient: row direction, then column direction. */
  orientation: readonly number[] | null;
  /** PixelSpacing: between rows, then between columns (mm). */
  pixelSpacing: readonly number[] | null;
  rows: number | null;
  columns: number | null;
  /** NumberOfFrames (1 for a single-frame image). */
  frames: number;
  /** Per-frame positions of a multi-frame instance, where the file gives them (Plane Position per frame). */
  framePositions?: readonly (readonly number[] | null)[] | null;
}

export type Reconstructable = { ok: true } | { ok: false; reason: string };

/**
 * Fewest slices a volume is built from. Three is the fewest whose spacing can
 * be checked (two steps to compare); with two, a missing slice in between
 * could not be told from a wide spacing. It matches the fewest slices the
 * protocol rules call a reading series (shared/protocol.ts).
 */
export const MIN_RECONSTRUCTABLE_SLICES = 3;
/** Largest difference per component of two orientations still taken as one plane (OHIF's). */
const ORIENTATION_TOLERANCE = 0.01;
/** Slices closer than this (mm) along the normal are at the same position. */
const SAME_POSITION_MM = 0.01;
/** Largest difference of a step from the usual one, and of a slice from its place on a regular grid, as a fraction of the spacing (OHIF's 20%). */
const SPACING_TOLERANCE = 0.2;
/** Largest shift of a slice within its plane against the first, as a fraction of a pixel. */
const SHEAR_TOLERANCE = 0.5;
/** Largest relative difference of two pixel spacings still taken as the same. */
const PIXEL_SPACING_TOLERANCE = 1e-3;

interface Frame {
  position: readonly number[] | null;
  orientation: readonly number[] | null;
  pixelSpacing: readonly number[] | null;
  rows: number | null;
  columns: number | null;
}

function framesOf(instances: readonly InstanceGeometry[]): Frame[] {
  return instances.flatMap((instance) =>
    Array.from({ length: Math.max(1, instance.frames) }, (_, index) => ({
      position: instance.framePositions?.[index] ?? (index === 0 ? instance.position : null),
      orientation: instance.orientation,
      pixelSpacing: instance.pixelSpacing,
      rows: instance.rows,
      columns: instance.columns,
    })),
  );
}

const isVector = (value: readonly number[] | null, length: number): value is readonly number[] => value !== null && value.length === length && value.every(Number.isFinite);

const no = (reason: string): Reconstructable => ({ ok: false, reason });

const mm = (value: number) => `${Number(value.toFixed(2))} mm`;

/** Whether a series' images (in any order) form one regular volume. */
export function reconstructable(instances: readonly InstanceGeometry[]): Reconstructable {
  const frames = framesOf(instances);
  if (frames.length < MIN_RECONSTRUCTABLE_SLICES) {
    return no(`${frames.length === 1 ? 'only one image' : `only ${frames.length} images`}: a volume needs at least ${MIN_RECONSTRUCTABLE_SLICES} slices`);
  }
  const multiFrame = instances.some((instance) => instance.frames > 1);
  const unplaced = frames.filter((frame) => !isVector(frame.position, 3)).length;
  if (unplaced > 0) {
    return no(
      multiFrame && instances.every((instance) => isVector(instance.position, 3))
        ? 'the frames of the multi-frame image have no positions of their own'
        : `${unplaced} of ${frames.length} images have no position (ImagePositionPatient)`,
    );
  }
  if (frames.some((frame) => !isVector(frame.orientation, 6) || sliceNormal(frame.orientation) === null)) return no('some images have no valid orientation (ImageOrientationPatient)');
  if (frames.some((frame) => !isVector(frame.pixelSpacing, 2) || frame.pixelSpacing.some((value) => value <= 0))) return no('some images have no pixel spacing');
  const first = frames[0]!;
  if (frames.some((frame) => frame.rows !== first.rows || frame.columns !== first.columns)) {
    const sizes = [...new Set(frames.map((frame) => `${frame.columns} × ${frame.rows}`))];
    return no(`the images differ in size (${sizes.slice(0, 3).join(', ')} pixels)`);
  }
  const sameOrientation = (frame: Frame) => frame.orientation!.every((value, index) => Math.abs(value - first.orientation![index]!) < ORIENTATION_TOLERANCE);
  if (!frames.every(sameOrientation)) return no('the images lie in more than one plane (as in a localizer)');
  const [rowSpacing, columnSpacing] = first.pixelSpacing as [number, number];
  if (frames.some((frame) => Math.abs(frame.pixelSpacing![0]! - rowSpacing) > rowSpacing * PIXEL_SPACING_TOLERANCE || Math.abs(frame.pixelSpacing![1]! - columnSpacing) > columnSpacing * PIXEL_SPACING_TOLERANCE)) {
    return no('the images differ in pixel spacing');
  }

  const normal = sliceNormal(first.orientation!)!;
  const placed = frames.map((frame) => frame.position as unknown as Vector3).map((position) => ({ position, depth: dot(position, normal) })).sort((a, b) => a.depth - b.depth);
  const extent = placed.at(-1)!.depth - placed[0]!.depth;
  if (extent < SAME_POSITION_MM) return no(`all ${frames.length} images are at one position (a cine or time series, not a volume)`);
  for (let index = 1; index < placed.length; index += 1) {
    if (placed[index]!.depth - placed[index - 1]!.depth < SAME_POSITION_MM) return no(`slices ${index} and ${index + 1} are at the same position`);
  }
  const steps = placed.slice(1).map((slice, index) => slice.depth - placed[index]!.depth);
  const usual = [...steps].sort((x, y) => x - y)[Math.floor(steps.length / 2)]!;
  for (const [index, step] of steps.entries()) {
    if (Math.abs(step - usual) > SPACING_TOLERANCE * usual) {
      const multiple = Math.round(step / usual);
      const missing = multiple >= 2 && Math.abs(step - multiple * usual) <= SPACING_TOLERANCE * usual ? multiple - 1 : 0;
      const why = missing === 0 ? '' : missing === 1 ? ' (a slice is missing)' : ` (${missing} slices are missing)`;
      return no(`the slices are not evenly spaced: ${mm(step)} between slices ${index + 1} and ${index + 2} where the others are ${mm(usual)} apart${why}`);
    }
  }
  // Steps each near the usual one can still add up to a drift from a regular grid.
  const spacing = extent / (placed.length - 1);
  const drifted = placed.findIndex((slice, index) => Math.abs(slice.depth - placed[0]!.depth - index * spacing) > SPACING_TOLERANCE * spacing);
  if (drifted >= 0) return no(`the slices are not evenly spaced: slice ${drifted + 1} is ${mm(Math.abs(placed[drifted]!.depth - placed[0]!.depth - drifted * spacing))} from where a regular spacing of ${mm(spacing)} puts it`);
  // Measured from the first slice, so that small shifts cannot add up unseen.
  const pixel = Math.min(rowSpacing, columnSpacing);
  for (let index = 1; index < placed.length; index += 1) {
    const offset = placed[index]!.position.map((value, axis) => value - placed[0]!.position[axis]!) as unknown as Vector3;
    const along = dot(offset, normal);
    const shift = Math.hypot(offset[0] - along * normal[0], offset[1] - along * normal[1], offset[2] - along * normal[2]);
    if (shift > SHEAR_TOLERANCE * pixel) return no(`slice ${index + 1} is shifted ${mm(shift)} within its plane against slice 1 (a tilted or sheared stack)`);
  }
  return { ok: true };
}
