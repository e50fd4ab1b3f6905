// The vertebral ruler of a sagittal cord series: the reader clicks the centres
// of two or more labelled vertebral bodies, and every other level follows.
// Between consecutive anchors the segment boundaries are placed in
// proportion to reference adult segment heights; beyond the outer anchors
// the nearest pair's scale carries on. A point maps to a level by its
// projection onto the anchors' polyline. A segment runs from the middle of
// the disc above its body to the middle of the disc below, so a body's
// centre sits at the middle of its segment.
import { LETM_MIN_SEGMENTS, VERTEBRAL_LEVELS, type VertebralLevel, segmentsSpanned } from './protocol';
import { cumulativeLengths, projectOntoPolyline, pointAlong } from './polyline';
import { type Vec3, add, norm, scale, sub } from './vector';

/**
 * Reference adult segment heights (mm): vertebral body height plus one
 * intervertebral disc, C1 to L1. Body heights rounded after the vertebral
 * morphometry of Panjabi et al. (cervical: Spine 1991;16:861-869; thoracic:
 * Spine 1991;16:888-901; lumbar: Spine 1992;17:299-306), with disc heights
 * of about 5 mm in the neck rising to about 7 mm at the thoracolumbar
 * junction; approximate to a millimetre or two. C1 has no body: its "segment" is the atlas from the
 * foramen magnum to the C1-C2 joint, and C2's includes the dens' base.
 * Only the proportions matter: the reader's anchors set the scale.
 */
export const REFERENCE_SEGMENT_MM: Readonly<Record<VertebralLevel, number>> = {
  C1: 14, C2: 20, C3: 18, C4: 18, C5: 18, C6: 18, C7: 19,
  T1: 20, T2: 21, T3: 21, T4: 22, T5: 22, T6: 23, T7: 24, T8: 24, T9: 25, T10: 26, T11: 27, T12: 28,
  L1: 30,
};

/** Consecutive anchors closer than this (mm) are taken for a double click, not two vertebrae. */
export const MIN_ANCHOR_GAP_MM = 5;

export interface RulerAnchor {
  level: VertebralLevel;
  /** The centre of that vertebral body, in patient coordinates (mm, LPS). */
  point: Vec3;
}

/** Reference distance (mm) from the top of C1 to the top of each level; the last entry is the bottom of the last level. */
const REFERENCE_TOPS: readonly number[] = VERTEBRAL_LEVELS.reduce<number[]>((tops, level) => [...tops, tops.at(-1)! + REFERENCE_SEGMENT_MM[level]!], [0]);

const referenceCentre = (level: VertebralLevel): number => {
  const index = VERTEBRAL_LEVELS.indexOf(level);
  return (REFERENCE_TOPS[index]! + REFERENCE_TOPS[index + 1]!) / 2;
};

/** Why these anchors cannot make a ruler, in words; null when they can. */
export function rulerProblem(anchors: readonly RulerAnchor[]): string | null {
  if (anchors.length < 2) return 'Click the centres of at least two labelled vertebral bodies (for example C2 and T1).';
  const sorted = sortAnchors(anchors);
  for (let i = 1; i < sorted.length; i += 1) {
    const above = sorted[i - 1]!;
    const below = sorted[i]!;
    if (above.level === below.level) return `${below.level} is labelled twice: each vertebra is clicked once.`;
    const gap = norm(sub(below.point, above.point));
    if (gap < MIN_ANCHOR_GAP_MM) return `${above.level} and ${below.level} are ${gap.toFixed(1)} mm apart: click the centre of each body.`;
    // LPS: z grows towards the head, so a lower vertebra lies at a smaller z.
    if (below.point[2] >= above.point[2]) return `${below.level} is not below ${above.level}: check the labels.`;
  }
  return null;
}

function sortAnchors(anchors: readonly RulerAnchor[]): RulerAnchor[] {
  return [...anchors].sort((a, b) => VERTEBRAL_LEVELS.indexOf(a.level) - VERTEBRAL_LEVELS.indexOf(b.level));
}

export interface CordRuler {
  /** The anchors from the top down. */
  anchors: readonly RulerAnchor[];
  points: readonly Vec3[];
  /** Each anchor's distance along the polyline (mm) and its reference position (mm from the top of C1). */
  along: readonly number[];
  reference: readonly number[];
}

/** A ruler from the reader's anchors; throws with the words of rulerProblem when they cannot make one. */
export function cordRuler(anchors: readonly RulerAnchor[]): CordRuler {
  const problem = rulerProblem(anchors);
  if (problem) throw new Error(problem);
  const sorted = sortAnchors(anchors);
  const points = sorted.map((anchor) => anchor.point);
  return { anchors: sorted, points, along: cumulativeLengths(points), reference: sorted.map((anchor) => referenceCentre(anchor.level)) };
}

/** Piecewise linear through (xs, ys), continued beyond both ends with the end pieces' slopes; xs increase. */
function piecewise(xs: readonly number[], ys: readonly number[], x: number): number {
  let i = 0;
  while (i < xs.length - 2 && x > xs[i + 1]!) i += 1;
  return ys[i]! + ((ys[i + 1]! - ys[i]!) * (x - xs[i]!)) / (xs[i + 1]! - xs[i]!);
}

/** Reference position (mm from the top of C1) of a point, by its projection onto the ruler. */
function referenceOf(ruler: CordRuler, point: Vec3): number {
  return piecewise(ruler.along, ruler.reference, projectOntoPolyline(ruler.points, point, true).along);
}

/** The vertebral level of a point (its projection onto the ruler), or null above C1 or below L1. */
export function levelOfPoint(ruler: CordRuler, point: Vec3): VertebralLevel | null {
  const reference = referenceOf(ruler, point);
  if (reference < 0 || reference >= REFERENCE_TOPS.at(-1)!) return null;
  let index = 0;
  while (reference >= REFERENCE_TOPS[index + 1]!) index += 1;
  return VERTEBRAL_LEVELS[index]!;
}

export interface RulerTick {
  level: VertebralLevel;
  /** Where the level's segment begins (the middle of the disc above it) and its middle (the body's centre), on the ruler. */
  top: Vec3;
  centre: Vec3;
}

/** Every level's boundary and centre on the ruler, for drawing; the boundaries beyond the anchors are extrapolated. */
export function rulerTicks(ruler: CordRuler): RulerTick[] {
  const at = (reference: number) => pointAlong(ruler.points, piecewise(ruler.reference, ruler.along, reference));
  return VERTEBRAL_LEVELS.map((level, index) => ({ level, top: at(REFERENCE_TOPS[index]!), centre: at(referenceCentre(level)) }));
}

export interface CordExtent {
  upper: VertebralLevel;
  lower: VertebralLevel;
  segments: number;
  longitudinallyExtensive: boolean;
  /** Length (mm) along the cord between the two ends. */
  lengthMm: number;
}

/**
 * A cord lesion's extent from its two ends (either order): the level of each,
 * the segments spanned, LETM, and the length along the cord. The length
 * follows the ruler's bends but not its place: the path runs from one end to
 * the other through the anchors between them, each moved by the ends'
 * offsets from the ruler (interpolated along it), so that it runs through
 * the cord rather than the bodies, which lie on the outside of the neck's
 * curve and the inside of the chest's. The reason in words instead when an
 * end lies beyond C1 or L1.
 */
export function cordExtent(ruler: CordRuler, first: Vec3, second: Vec3): CordExtent | string {
  const ends = [first, second].map((point) => ({ point, along: projectOntoPolyline(ruler.points, point, true).along })).sort((a, b) => a.along - b.along);
  const [top, bottom] = [ends[0]!, ends[1]!];
  const upper = levelOfPoint(ruler, top.point);
  const lower = levelOfPoint(ruler, bottom.point);
  if (!upper || !lower) return 'An end of the lesion lies beyond the levels the ruler knows (C1 to L1).';
  const offset = (end: typeof top) => sub(end.point, pointAlong(ruler.points, end.along));
  const [topOffset, bottomOffset] = [offset(top), offset(bottom)];
  const through = ruler.points.flatMap((point, i) => {
    const along = ruler.along[i]!;
    if (along <= top.along || along >= bottom.along) return [];
    const fraction = (along - top.along) / (bottom.along - top.along);
    return [add(point, add(scale(topOffset, 1 - fraction), scale(bottomOffset, fraction)))];
  });
  const segments = segmentsSpanned(upper, lower)!;
  return { upper, lower, segments, longitudinallyExtensive: segments >= LETM_MIN_SEGMENTS, lengthMm: cumulativeLengths([top.point, ...through, bottom.point]).at(-1)! };
}
