// The geometry of a multiplanar layout: three planes through a volume meet
// at one point (the crosshair's centre), each pair of planes meets along a
// line (the reference line drawn on each view), and a view of the comparator
// shows the same anatomy as a view of the current visit when its camera is
// the current camera carried through the alignment. All in patient
// coordinates (mm).
import { applyTransform } from './registration';
import { add, cross, dot, mulMatVec, norm, rotationFromDegrees, scale, sub, type RigidMotion, type Vec3 } from './vector';

/** A plane through `point`, facing along the unit vector `normal`. */
export interface Plane {
  point: Vec3;
  normal: Vec3;
}

/** The parts of a camera that place a view in patient space. */
export interface PlaneCamera {
  focalPoint: Vec3;
  position: Vec3;
  viewUp: Vec3;
  viewPlaneNormal: Vec3;
}

/** The camera of a view of the comparator that shows what `camera` shows of the current visit (comparator(T(p)) is current(p)). */
export function carryCamera(transform: RigidMotion, camera: PlaneCamera): PlaneCamera {
  const rotation = rotationFromDegrees(transform.rotationDeg);
  return {
    focalPoint: applyTransform(transform, camera.focalPoint),
    position: applyTransform(transform, camera.position),
    viewUp: mulMatVec(rotation, camera.viewUp),
    viewPlaneNormal: mulMatVec(rotation, camera.viewPlaneNormal),
  };
}

/** Signed distance of a point from a plane, along its normal. */
export function distanceFromPlane(plane: Plane, point: Vec3): number {
  return dot(sub(point, plane.point), plane.normal);
}

/** The point where three planes meet, or null where two of them are (nearly) parallel. */
export function planesMeet(a: Plane, b: Plane, c: Plane): Vec3 | null {
  // x = (d1 (n2 x n3) + d2 (n3 x n1) + d3 (n1 x n2)) / (n1 . (n2 x n3)), with di = ni . pi.
  const determinant = dot(a.normal, cross(b.normal, c.normal));
  if (Math.abs(determinant) < 1e-6) return null;
  const [da, db, dc] = [dot(a.normal, a.point), dot(b.normal, b.point), dot(c.normal, c.point)];
  const sum = add(add(scale(cross(b.normal, c.normal), da), scale(cross(c.normal, a.normal), db)), scale(cross(a.normal, b.normal), dc));
  return scale(sum, 1 / determinant);
}

/** The unit direction of the line where two planes meet, or null for parallel planes. */
export function meetingDirection(a: Plane, b: Plane): Vec3 | null {
  const direction = cross(a.normal, b.normal);
  const length = norm(direction);
  return length < 1e-6 ? null : scale(direction, 1 / length);
}

/**
 * The spacing of a voxel grid seen along a direction: the distance between
 * neighbouring grid planes crossed by a line in that direction (the slice
 * step of a view facing it). `axes` are the grid's unit axes, `spacing` the
 * mm between voxels along each.
 */
export function stepAlong(axes: readonly [Vec3, Vec3, Vec3], spacing: Vec3, direction: Vec3): number {
  // The largest component of the direction in grid units decides how soon the line reaches the next voxel.
  const reach = Math.max(...axes.map((axis, index) => Math.abs(dot(axis, direction)) / spacing[index]!));
  return reach > 0 ? 1 / reach : Math.min(...spacing);
}
