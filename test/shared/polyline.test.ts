// Distances along a polyline, the projection of a point onto it (within it,
// or continuing its end segments), and the point at a distance along it.
import { describe, expect, it } from 'vitest';
import { cumulativeLengths, pointAlong, projectOntoPolyline } from '../../shared/polyline';
import type { Vec3 } from '../../shared/vector';

/** An L: 10 mm along x, then 20 mm along y. */
const bent: Vec3[] = [[0, 0, 0], [10, 0, 0], [10, 20, 0]];

describe('polyline', () => {
  it('measures the distance to each vertex', () => {
    expect(cumulativeLengths(bent)).toEqual([0, 10, 30]);
    expect(cumulativeLengths([[1, 1, 1]])).toEqual([0]);
  });

  it('projects a point onto the nearest segment, with its distance from it', () => {
    expect(projectOntoPolyline(bent, [4, 3, 0], false)).toEqual({ along: 4, offMm: 3 });
    expect(projectOntoPolyline(bent, [13, 12, 4], false)).toEqual({ along: 22, offMm: 5 });
  });

  it('stops at the ends, or continues the end segments when extended', () => {
    expect(projectOntoPolyline(bent, [-5, 0, 0], false)).toEqual({ along: 0, offMm: 5 });
    expect(projectOntoPolyline(bent, [-5, 0, 0], true)).toEqual({ along: -5, offMm: 0 });
    expect(projectOntoPolyline(bent, [10, 26, 0], true)).toEqual({ along: 36, offMm: 0 });
    // An inner segment is never extended: a point beyond the bend's corner goes to the corner or the next segment.
    expect(projectOntoPolyline(bent, [14, -1, 0], true).along).toBeCloseTo(10, 9);
  });

  it('finds the point at a distance, beyond the ends along the end segments', () => {
    expect(pointAlong(bent, 4)).toEqual([4, 0, 0]);
    expect(pointAlong(bent, 15)).toEqual([10, 5, 0]);
    expect(pointAlong(bent, -2)).toEqual([-2, 0, 0]);
    expect(pointAlong(bent, 34)).toEqual([10, 24, 0]);
  });
});
