// The MPR layout's views as an end-to-end test reads them: where a view's
// camera (an orthographic projection) shows a patient point, computed here
// independently of the app's canvas mapping, and the reader's clicks and
// drags at patient points.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { readSlice } from '../../main/alignment/volume';
import type { ParticipantTruth } from '../../shared/synthetic/truth';
import type { Session } from './browser';
import type { SampledSeries } from './reference-sampler';

export type Row = 'current' | 'comparator';
export type Axis = 'axial' | 'sagittal' | 'coronal';
export type Vec = [number, number, number];
export const AXES: readonly Axis[] = ['axial', 'sagittal', 'coronal'];

export const sub = (a: readonly number[], b: readonly number[]): Vec => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
export const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
export const cross = (a: readonly number[], b: readonly number[]): Vec => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];

export interface Camera {
  focalPoint: Vec;
  viewUp: Vec;
  viewPlaneNormal: Vec;
  parallelScale: number;
}

/** Where an orthographic camera puts a patient point on a view of this size (CSS pixels from its top-left corner), and how far the point is from the view's plane. */
export function project(camera: Camera, box: { width: number; height: number }, point: readonly number[]) {
  const offset = sub(point, camera.focalPoint);
  const right = cross(camera.viewUp, camera.viewPlaneNormal);
  const pixelsPerMm = box.height / 2 / camera.parallelScale;
  return { x: box.width / 2 + dot(offset, right) * pixelsPerMm, y: box.height / 2 - dot(offset, camera.viewUp) * pixelsPerMm, offPlane: dot(offset, camera.viewPlaneNormal), pixelsPerMm };
}

/** The patient point an orthographic camera shows at a point of a view (CSS pixels from its top-left corner): `project` undone. */
export function unproject(camera: Camera, box: { width: number; height: number }, x: number, y: number): Vec {
  const right = cross(camera.viewUp, camera.viewPlaneNormal);
  const mmPerPixel = (2 * camera.parallelScale) / box.height;
  const across = (x - box.width / 2) * mmPerPixel;
  const up = (box.height / 2 - y) * mmPerPixel;
  return [0, 1, 2].map((axis) => camera.focalPoint[axis]! + right[axis]! * across + camera.viewUp[axis]! * up) as Vec;
}

/** A series of the demo trial as stored: every slice's pixels (after rescale) and position. */
export function storedSeries(session: Session, participant: ParticipantTruth, visit: string, role: string): SampledSeries {
  const study = participant.studies.find((item) => item.visit === visit)!;
  const series = study.series.find((item) => item.role === role)!;
  const folder = join(dirname(session.workstation.db.name), 'dicom', series.folder);
  const slices = readdirSync(folder).map((name) => readSlice({ filePath: join(folder, name), frame: 1 }));
  const voxels = new Float32Array(slices.length * series.rows * series.columns);
  slices.forEach((slice, index) => voxels.set(slice.pixels, index * series.rows * series.columns));
  return { voxels, positions: slices.map((slice) => slice.position), orientation: slices[0]!.orientation, pixelSpacing: slices[0]!.spacing, rows: series.rows, columns: series.columns };
}

export function mprViews(page: Page) {
  const view = (row: Row, axis: Axis) => page.locator(`[data-testid="mpr-view"][data-row="${row}"][data-axis="${axis}"]`);

  /** A view's camera, its box on the page, where it says its row's planes meet, and its slice step. */
  async function viewState(row: Row, axis: Axis) {
    const element = view(row, axis);
    const [camera, centre, world, step, box] = await Promise.all([
      element.getAttribute('data-camera'),
      element.getAttribute('data-centre'),
      element.getAttribute('data-centre-world'),
      element.getAttribute('data-step'),
      element.boundingBox(),
    ]);
    return {
      camera: JSON.parse(camera!) as Camera,
      centre: centre!.split(',').map(Number),
      world: world!.split(',').map(Number),
      step: Number(step),
      box: box!,
    };
  }

  /** Clicks a patient point on a view (it must lie on the view's plane): the crosshair goes there. */
  async function clickPoint(row: Row, axis: Axis, point: readonly number[]) {
    const { camera, box } = await viewState(row, axis);
    const at = project(camera, box, point);
    await page.mouse.click(box.x + at.x, box.y + at.y);
  }

  /** How far a plane of the current visit is from a point, in CSS pixels of its view (a click lands on a whole pixel). */
  async function pixelsOffPlane(axis: Axis, point: readonly number[]) {
    const { camera, box } = await viewState('current', axis);
    const { offPlane, pixelsPerMm } = project(camera, box, point);
    return Math.abs(offPlane) * pixelsPerMm;
  }

  /** Brings the crosshair to a patient point of the current visit: a click on the axial view moves the sagittal and coronal planes through it, one on the sagittal then the axial. */
  async function crosshairTo(point: readonly number[]) {
    await clickPoint('current', 'axial', point);
    await expect.poll(() => pixelsOffPlane('sagittal', point)).toBeLessThan(1);
    await clickPoint('current', 'sagittal', point);
    await expect.poll(() => pixelsOffPlane('axial', point)).toBeLessThan(1);
  }

  /** Drags across a patient point on a view, along the view's rows (left to right), `lengthMm` long. */
  async function dragAcrossPoint(row: Row, axis: Axis, point: readonly number[], lengthMm: number) {
    const { camera, box } = await viewState(row, axis);
    const centre = project(camera, box, point);
    const half = (lengthMm / 2) * centre.pixelsPerMm;
    await view(row, axis).getByTestId('measure-layer').waitFor();
    await page.mouse.move(box.x + centre.x - half, box.y + centre.y);
    await page.mouse.down();
    await page.mouse.move(box.x + centre.x + half, box.y + centre.y, { steps: 5 });
    await page.mouse.up();
  }

  /** Waits for both rows' three views to show their volumes. */
  async function mprShown(rows: readonly Row[] = ['current', 'comparator']) {
    await page.getByTestId('mpr-layout').waitFor();
    for (const row of rows) for (const axis of AXES) await expect.poll(() => view(row, axis).getAttribute('data-rendered'), { timeout: 90_000 }).toBe('true');
  }

  return { view, viewState, clickPoint, pixelsOffPlane, crosshairTo, dragAcrossPoint, mprShown };
}
