// Points placed along a polyline in patient space (mm): its length, where a
// point projects onto it, and the point at a given distance along it. The
// vertebral ruler (cord-levels.ts) and the optic nerve trace
// (optic-extent.ts) measure along the reader's clicks with these.
import { type Vec3, add, dot, norm, scale, sub } from './vector';

/** Distance along the polyline (mm) of each of its vertices, from the first: [0, |p1-p0|, ...]. */
export function cumulativeLengths(points: readonly Vec3[]): number[] {
  const lengths = [0];
  for (let i = 1; i < points.length; i += 1) lengths.push(lengths[i - 1]! + norm(sub(points[i]!, points[i - 1]!)));
  return lengths;
}

export interface Projection {
  /** Distance along the polyline (mm) of the nearest point; below 0 or beyond the length when `extended` and the point lies past an end. */
  along: number;
  /** Distance (mm) from the point to that nearest point. */
  offMm: number;
}

/**
 * The nearest point of a polyline (two or more distinct vertices) to `point`,
 * as a distance along it. `extended`: the first and last segments continue
 * beyond the ends as straight lines, so that a point past an end gets a
 * distance below 0 or beyond the length rather than the end itself.
 */
export function projectOntoPolyline(points: readonly Vec3[], point: Vec3, extended: boolean): Projection {
  const lengths = cumulativeLengths(points);
  const last = points.length - 2;
  let best: Projection = { along: 0, offMm: Number.POSITIVE_INFINITY };
  for (let i = 0; i <= last; i += 1) {
    const start = points[i]!;
    const direction = sub(points[i + 1]!, start);
    const length = lengths[i + 1]! - lengths[i]!;
    let t = dot(sub(point, start), direction) / (length * length);
    const low = extended && i === 0 ? Number.NEGATIVE_INFINITY : 0;
    const high = extended && i === last ? Number.POSITIVE_INFINITY : 1;
    t = Math.min(high, Math.max(low, t));
    const offMm = norm(sub(point, add(start, scale(direction, t))));
    if (offMm < best.offMm) best = { along: lengths[i]! + t * length, offMm };
  }
  return best;
}

/** The point at distance `along` (mm) of a polyline, continuing the end segments straight beyond its ends. */
export function pointAlong(points: readonly Vec3[], along: number): Vec3 {
  const lengths = cumulativeLengths(points);
  let i = 0;
  while (i < points.length - 2 && along > lengths[i + 1]!) i += 1;
  const length = lengths[i + 1]! - lengths[i]!;
  return add(points[i]!, scale(sub(points[i + 1]!, points[i]!), (along - lengths[i]!) / length));
}
