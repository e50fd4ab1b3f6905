import { describe, expect, it } from 'vitest';
import { carryCamera, distanceFromPlane, meetingDirection, planesMeet, stepAlong } from '../../shared/mpr-planes';
import { applyTransform, IDENTITY } from '../../shared/registration';
import { inverseTransform } from '../../shared/slice-sync';
import { add, dot, normalize, sub, type Vec3 } from '../../shared/vector';

const close = (actual: Vec3 | null, expected: Vec3, digits = 6) => {
  expect(actual).not.toBeNull();
  actual!.forEach((value, axis) => expect(value).toBeCloseTo(expected[axis]!, digits));
};

describe('planesMeet', () => {
  it('finds where the three orthogonal planes through a point meet', () => {
    const point: Vec3 = [12, -40, 7.5];
    const meet = planesMeet({ point, normal: [0, 0, 1] }, { point: [0, point[1], 0], normal: [0, 1, 0] }, { point: [point[0], 99, -3], normal: [1, 0, 0] });
    close(meet, point);
  });

  it('finds the meeting point of oblique planes, each given by another point on it', () => {
    const point: Vec3 = [3, 4, 5];
    const normals: Vec3[] = [normalize([1, 1, 0]), normalize([0, 1, 2]), normalize([-1, 0, 3])];
    // A point on each plane other than `point`: moved within the plane (perpendicular to its normal).
    const planes = normals.map((normal) => {
      const inPlane = normalize([normal[1], -normal[0], 0.5 * normal[2] === 0 ? 1 : 0]);
      const along = sub(inPlane, [normal[0] * dot(inPlane, normal), normal[1] * dot(inPlane, normal), normal[2] * dot(inPlane, normal)]);
      return { point: add(point, [along[0] * 20, along[1] * 20, along[2] * 20]), normal };
    });
    planes.forEach((plane) => expect(distanceFromPlane(plane, point)).toBeCloseTo(0, 9));
    close(planesMeet(planes[0]!, planes[1]!, planes[2]!), point);
  });

  it('gives null for parallel planes', () => {
    expect(planesMeet({ point: [0, 0, 0], normal: [0, 0, 1] }, { point: [0, 0, 5], normal: [0, 0, 1] }, { point: [0, 0, 0], normal: [1, 0, 0] })).toBeNull();
  });
});

describe('meetingDirection', () => {
  it('is the axis two orthogonal planes share', () => {
    close(meetingDirection({ point: [0, 0, 0], normal: [0, 0, 1] }, { point: [0, 0, 0], normal: [1, 0, 0] }), [0, 1, 0]);
    expect(meetingDirection({ point: [0, 0, 0], normal: [0, 0, 1] }, { point: [1, 2, 3], normal: [0, 0, -1] })).toBeNull();
  });
});

describe('carryCamera', () => {
  it('leaves the camera as it is without motion', () => {
    const camera = { focalPoint: [1, 2, 3] as Vec3, position: [1, 2, 503] as Vec3, viewUp: [0, -1, 0] as Vec3, viewPlaneNormal: [0, 0, 1] as Vec3 };
    const carried = carryCamera(IDENTITY, camera);
    close(carried.focalPoint, camera.focalPoint);
    close(carried.viewUp, camera.viewUp);
  });

  it('carries a point of the current view to the same place of the comparator view', () => {
    const transform = { rotationDeg: [4, -7, 12] as Vec3, translationMm: [3, -2, 5] as Vec3, centreMm: [0, 10, -20] as Vec3 };
    const camera = { focalPoint: [5, 6, 7] as Vec3, position: [5, 6, 507] as Vec3, viewUp: [0, -1, 0] as Vec3, viewPlaneNormal: [0, 0, 1] as Vec3 };
    const carried = carryCamera(transform, camera);
    // A point 10 mm right and 4 mm up of the current focal point, on its plane...
    const right: Vec3 = [1, 0, 0];
    const point = add(add(camera.focalPoint, [10 * right[0], 10 * right[1], 10 * right[2]]), [0, 4, 0]);
    const inCurrent = [dot(sub(point, camera.focalPoint), right), dot(sub(point, camera.focalPoint), camera.viewUp), dot(sub(point, camera.focalPoint), camera.viewPlaneNormal)];
    // ...is at the same offsets of the carried camera, in the comparator's frame (its right is viewUp x normal, as the current's).
    const carriedRight = normalize([
      carried.viewUp[1] * carried.viewPlaneNormal[2] - carried.viewUp[2] * carried.viewPlaneNormal[1],
      carried.viewUp[2] * carried.viewPlaneNormal[0] - carried.viewUp[0] * carried.viewPlaneNormal[2],
      carried.viewUp[0] * carried.viewPlaneNormal[1] - carried.viewUp[1] * carried.viewPlaneNormal[0],
    ]);
    const currentRight = normalize([
      camera.viewUp[1] * camera.viewPlaneNormal[2] - camera.viewUp[2] * camera.viewPlaneNormal[1],
      camera.viewUp[2] * camera.viewPlaneNormal[0] - camera.viewUp[0] * camera.viewPlaneNormal[2],
      camera.viewUp[0] * camera.viewPlaneNormal[1] - camera.viewUp[1] * camera.viewPlaneNormal[0],
    ]);
    const there = applyTransform(transform, point);
    const offset = sub(there, carried.focalPoint);
    expect(dot(offset, carriedRight)).toBeCloseTo(dot(sub(point, camera.focalPoint), currentRight), 9);
    expect(dot(offset, carried.viewUp)).toBeCloseTo(inCurrent[1]!, 9);
    expect(dot(offset, carried.viewPlaneNormal)).toBeCloseTo(inCurrent[2]!, 9);
    // And back.
    close(carryCamera(inverseTransform(transform), carried).focalPoint, camera.focalPoint);
  });
});

describe('stepAlong', () => {
  const axes: [Vec3, Vec3, Vec3] = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  it('is the slice spacing along the slice axis and the pixel spacing across', () => {
    expect(stepAlong(axes, [0.9, 0.9, 4], [0, 0, 1])).toBeCloseTo(4, 9);
    expect(stepAlong(axes, [0.9, 0.9, 4], [1, 0, 0])).toBeCloseTo(0.9, 9);
    expect(stepAlong(axes, [0.9, 0.9, 4], [0, 0, -1])).toBeCloseTo(4, 9);
  });
  it('takes the nearer grid planes along a diagonal', () => {
    // Along (1,0,1)/sqrt2 a 1 mm grid in x is crossed every sqrt2 mm, a 4 mm grid in z every 4 sqrt2: the step is sqrt2.
    expect(stepAlong(axes, [1, 1, 4], normalize([1, 0, 1]))).toBeCloseTo(Math.SQRT2, 9);
  });
});
