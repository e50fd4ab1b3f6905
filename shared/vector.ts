// Small 3-vector and rigid-motion helpers (mm, DICOM
// LPS: x to the patient's left, y to posterior, z to superior).

export type Vec3 = readonly [number, number, number];

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function scale(a: Vec3, factor: number): Vec3 {
  return [a[0] * factor, a[1] * factor, a[2] * factor];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function norm(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

export function normalize(a: Vec3): Vec3 {
  const length = norm(a);
  return [a[0] / length, a[1] / length, a[2] / length];
}

/** A 3x3 matrix, row-major. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export function mulMatVec(m: Mat3, v: Vec3): Vec3 {
  return [m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6] * v[0] + m[7] * v[1] + m[8] * v[2]];
}

export function transpose(m: Mat3): Mat3 {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

/** Rotation by angles (degrees) about x (pitch), then y (roll), then z (yaw): R = Rz * Ry * Rx. */
export function rotationFromDegrees(angles: Vec3): Mat3 {
  const [ax, ay, az] = angles.map((value) => (value * Math.PI) / 180) as unknown as Vec3;
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)];
  return [
    cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
    sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
    -sy, cy * sx, cy * cx,
  ];
}

/** The angles (degrees) of rotationFromDegrees that give this rotation matrix. */
export function degreesFromRotation(m: Mat3): Vec3 {
  const toDegrees = (radians: number) => (radians * 180) / Math.PI;
  const y = Math.asin(Math.max(-1, Math.min(1, -m[6])));
  return [toDegrees(Math.atan2(m[7], m[8])), toDegrees(y), toDegrees(Math.atan2(m[3], m[0]))];
}

/**
 * Where the patient lay at one visit: a rotation about `centre` and then a
 * translation. It maps a point of the phantom (its anatomy frame) to the
 * scanner's patient coordinates of that study.
 */
export interface RigidMotion {
  rotationDeg: Vec3;
  translationMm: Vec3;
  centreMm: Vec3;
}

export const NO_MOTION: RigidMotion = { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] };

/** Anatomy frame -> scanner patient coordinates. */
export function applyMotion(motion: RigidMotion, point: Vec3): Vec3 {
  const rotated = mulMatVec(rotationFromDegrees(motion.rotationDeg), sub(point, motion.centreMm));
  return add(add(rotated, motion.centreMm), motion.translationMm);
}

/** Scanner patient coordinates -> anatomy frame, as an affine map a = M p + b (for fast loops). */
export function inverseMotionAffine(motion: RigidMotion): { matrix: Mat3; offset: Vec3 } {
  const inverse = transpose(rotationFromDegrees(motion.rotationDeg));
  // a = R^T (p - c - t) + c  =>  M = R^T, b = c - R^T (c + t)
  const offset = sub(motion.centreMm, mulMatVec(inverse, add(motion.centreMm, motion.translationMm)));
  return { matrix: inverse, offset };
}
