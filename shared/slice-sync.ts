// Which slice of one stack shows the anatomy on a slice of another: by
// patient coordinates, through the alignment between the two series, never
// by slice number (follow-up scans start and space their slices differently).
import type { SeriesImage } from './contract';
import { sliceNormal } from './geometry';
import { applyTransform, IDENTITY } from './registration';
import { add, degreesFromRotation, dot, type RigidMotion, rotationFromDegrees, scale, sub, transpose, type Vec3 } from './vector';

type Placed = Pick<SeriesImage, 'position' | 'orientation' | 'pixelSpacing' | 'rows' | 'columns'>;

/** The row and column directions of an image plane (ImageOrientationPatient: row first). */
export function imageAxes(orientation: readonly number[]): { row: Vec3; column: Vec3 } {
  return { row: [orientation[0]!, orientation[1]!, orientation[2]!], column: [orientation[3]!, orientation[4]!, orientation[5]!] };
}

/**
 * The patient point (mm) of continuous pixel indices on an image plane,
 * column then row, where 0 is the centre of the first pixel (pixelIndexOf
 * the other way round); null without geometry.
 */
export function pixelPoint(image: Placed, columnIndex: number, rowIndex: number): Vec3 | null {
  const { position, orientation, pixelSpacing } = image;
  if (!position || !orientation || !pixelSpacing) return null;
  const { row, column } = imageAxes(orientation);
  // Along a row the column index grows (spaced by pixelSpacing[1]); down a column the row index (pixelSpacing[0]).
  return add(add(position, scale(row, columnIndex * pixelSpacing[1])), scale(column, rowIndex * pixelSpacing[0]));
}

/** The patient position of the centre of a slice, or null without geometry. */
export function sliceCentre(image: Placed): Vec3 | null {
  const { rows, columns } = image;
  return rows && columns ? pixelPoint(image, (columns - 1) / 2, (rows - 1) / 2) : null;
}

/**
 * A patient point (mm) as pixel indices on an image plane, column then row,
 * where 0 is the centre of the first pixel (the inverse of how the image is
 * placed); null without geometry.
 */
export function pixelIndexOf(image: Placed, point: Vec3): [number, number] | null {
  const { position, orientation, pixelSpacing } = image;
  if (!position || !orientation || !pixelSpacing) return null;
  const { row, column } = imageAxes(orientation);
  const offset = sub(point, position);
  return [dot(offset, row) / pixelSpacing[1], dot(offset, column) / pixelSpacing[0]];
}

/** The slice whose plane lies nearest to a point, and how far the point is from it (mm). */
export function nearestSlice(images: readonly Placed[], point: Vec3): { index: number; distanceMm: number } | null {
  const normal = images[0]?.orientation ? sliceNormal(images[0].orientation) : null;
  if (!normal) return null;
  const depth = dot(point, normal);
  let best: { index: number; distanceMm: number } | null = null;
  images.forEach((image, index) => {
    if (!image.position) return;
    const distanceMm = Math.abs(dot(image.position as Vec3, normal) - depth);
    if (!best || distanceMm < best.distanceMm) best = { index, distanceMm };
  });
  return best;
}

/**
 * The comparator slice for a slice of the current series: the current
 * slice's centre, carried by the alignment (current -> comparator patient
 * coordinates), then the nearest comparator plane.
 */
export function correspondingSlice(current: readonly Placed[], index: number, comparator: readonly Placed[], transform: RigidMotion = IDENTITY): number | null {
  const image = current[index];
  const centre = image ? sliceCentre(image) : null;
  if (!centre) return null;
  return nearestSlice(comparator, applyTransform(transform, centre))?.index ?? null;
}

/** The transform the other way round: comparator -> current. p = R^T (p' - (c + t)) + (c + t) - t. */
export function inverseTransform(transform: RigidMotion): RigidMotion {
  const inverse = transpose(rotationFromDegrees(transform.rotationDeg));
  return { rotationDeg: degreesFromRotation(inverse), translationMm: scale(transform.translationMm, -1), centreMm: add(transform.centreMm, transform.translationMm) };
}

/** The alignment moved by `steps` comparator slices along its normal: how a reader nudges the panes into line. */
export function nudgeAlongComparator(transform: RigidMotion, comparator: readonly Placed[], steps: number): RigidMotion {
  const first = comparator[0];
  const second = comparator[1];
  const normal = first?.orientation ? sliceNormal(first.orientation) : null;
  if (!normal || !first?.position || !second?.position) return transform;
  const spacing = Math.abs(dot(second.position as Vec3, normal) - dot(first.position as Vec3, normal));
  return { ...transform, translationMm: add(transform.translationMm, scale(normal, steps * spacing)) };
}

/** Current visit -> a visit's patient coordinates, for the visits whose alignment is known (the current visit maps by identity). */
export type VisitTransforms = ReadonlyMap<string, RigidMotion>;

/**
 * A point marked at one visit, in another visit's patient coordinates: back
 * to the current visit through the first's alignment, then out through the
 * second's. A visit with no known alignment (one not on screen) is taken to
 * share the current visit's coordinates: the scanner's frame, unaligned.
 */
export function pointBetweenVisits(point: Vec3, from: string, to: string, transforms: VisitTransforms): Vec3 {
  if (from === to) return point;
  const toCurrent = transforms.get(from);
  const atCurrent = toCurrent ? applyTransform(inverseTransform(toCurrent), point) : point;
  const fromCurrent = transforms.get(to);
  return fromCurrent ? applyTransform(fromCurrent, atCurrent) : atCurrent;
}

/** Where a lesion was marked, visit by visit (its observations with marks, in visit order). */
export interface MarkedAt {
  visitCode: string;
  centre: Vec3;
}

/**
 * Where to look for a lesion on a visit's images: its own mark there when it
 * has one; else a mark at a visit whose alignment is known, carried over;
 * else its latest mark, unaligned. `from` is the visit of the mark used (the
 * visit asked about when it is the lesion's own). Null for a lesion never marked.
 */
export function lesionPointAt(marks: readonly MarkedAt[], visitCode: string, transforms: VisitTransforms): { point: Vec3; from: string } | null {
  const own = marks.find((mark) => mark.visitCode === visitCode);
  if (own) return { point: own.centre, from: visitCode };
  const source = marks.findLast((mark) => transforms.has(mark.visitCode)) ?? marks.at(-1);
  return source ? { point: pointBetweenVisits(source.centre, source.visitCode, visitCode, transforms), from: source.visitCode } : null;
}
