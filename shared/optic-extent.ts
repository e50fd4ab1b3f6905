// The extent of an optic nerve lesion along the reader's trace of the nerve
// (globe to chiasm, a polyline in patient mm): the fraction of the nerve's
// length the lesion's stretch covers, and whether it reaches the chiasm.
// These fill the two questions of the NMOSD criteria: more than half the
// nerve's length, and chiasmal involvement.
import { cumulativeLengths, projectOntoPolyline } from './polyline';
import { type Vec3, norm, sub } from './vector';

/**
 * The trace ends at the chiasm's centre (the reader's last click). A stretch
 * reaches the chiasm when its posterior end lies within this distance (mm)
 * of that point along the trace: half the adult chiasm's transverse width
 * (about 12-14 mm), so that an end clicked anywhere inside the chiasm
 * counts, and one in the prechiasmatic nerve, a few millimetres further
 * forward, does not.
 */
export const CHIASM_REACH_MM = 6;

/** Consecutive trace points closer than this (mm) are one click made twice. */
export const MIN_TRACE_STEP_MM = 1;

/** A stretch's end further than this (mm) from the trace was clicked off the nerve. */
export const MAX_OFF_TRACE_MM = 10;

/** Why these points cannot be a nerve's trace, in words; null when they can. */
export function traceProblem(points: readonly Vec3[]): string | null {
  if (points.length < 2) return 'Click the nerve from the globe to the chiasm: at least the back of the globe and the chiasm.';
  for (let i = 1; i < points.length; i += 1) {
    if (norm(sub(points[i]!, points[i - 1]!)) < MIN_TRACE_STEP_MM) return `Points ${i} and ${i + 1} of the trace are on the same spot: click each once.`;
  }
  return null;
}

/** Length (mm) of a trace. */
export function traceLength(points: readonly Vec3[]): number {
  return cumulativeLengths(points).at(-1)!;
}

export interface OpticStretch {
  /** Distance (mm) of the stretch's two ends from the globe along the trace, front first. */
  fromGlobeMm: [number, number];
  /** The share of the nerve's length (globe to chiasm centre) the stretch covers, 0 to 1. */
  fractionOfNerve: number;
  beyondHalfLength: boolean;
  involvesChiasm: boolean;
}

/**
 * A lesion's stretch from its two ends (either order), each projected onto
 * the trace; the reason in words when an end lies too far from the nerve.
 */
export function opticStretch(trace: readonly Vec3[], first: Vec3, second: Vec3): OpticStretch | string {
  const problem = traceProblem(trace);
  if (problem) return problem;
  const ends = [first, second].map((point) => projectOntoPolyline(trace, point, false));
  const off = Math.max(...ends.map((end) => end.offMm));
  if (off > MAX_OFF_TRACE_MM) return `An end of the stretch is ${off.toFixed(0)} mm from the traced nerve: click on the nerve.`;
  const [front, back] = ends.map((end) => end.along).sort((a, b) => a - b) as [number, number];
  const length = traceLength(trace);
  const fractionOfNerve = (back - front) / length;
  return { fromGlobeMm: [front, back], fractionOfNerve, beyondHalfLength: fractionOfNerve > 0.5, involvesChiasm: length - back <= CHIASM_REACH_MM };
}
