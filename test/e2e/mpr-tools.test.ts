// The reading room's tools in the MPR layout, in headless Chromium on the
// demo trial (participant 001's brain at week 12 against week 0, its axial
// FLAIR in three planes): assisted detection's candidates ringed on the
// planes and the crosshair brought to them, the reader's checks measuring a
// reformatted plane in patient coordinates, invert, maximise, cine through
// the volume with both rows following, the linked cursor on the views at the
// same anatomy, and the layout key in three planes. Where a view shows a
// patient point is computed here from the view's camera, independently of
// the app's canvas mapping; a probe's value against the stored files.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../shared/client';
import type { CandidateView } from '../../shared/contract';
import type { ParticipantTruth } from '../../shared/synthetic/truth';
import { type Session, saveScreenshot } from '../helpers/browser';
import { AXES, type Axis, cross, dot, mprViews, project, type Row, storedSeries, sub, unproject, type Vec } from '../helpers/mpr-views';
import { openDemoAsReader } from '../helpers/reader';
import type { SampledSeries } from '../helpers/reference-sampler';

let session: Session;
let page: Page;
let client: Client;
let participant: ParticipantTruth;
let participantId: number;
let views: ReturnType<typeof mprViews>;

const READY = { timeout: 120_000 };
const ROWS: readonly Row[] = ['current', 'comparator'];
const readingView = () => page.getByTestId('reading-view');
const assist = () => page.getByTestId('assist-panel');
const selectedCandidateId = () => page.locator('[data-testid="candidate"].selected').evaluateAll((items) => items[0]?.getAttribute('data-candidate') ?? '');
/** The text Cornerstone's annotation tools write on a view. */
const annotationText = (row: Row, axis: Axis) => views.view(row, axis).locator('.svg-layer text').allTextContents().then((texts) => texts.join(' '));
const planeOffset = (camera: { focalPoint: Vec; viewPlaneNormal: Vec }) => dot(camera.focalPoint, camera.viewPlaneNormal);

beforeAll(async () => {
  ({ session, page, client, participant, participantId } = await openDemoAsReader());
  views = mprViews(page);
});

afterAll(async () => {
  await session?.close();
});

/** The read's candidates as main lists them, for the series the two rows show. */
async function listedCandidates(): Promise<CandidateView[]> {
  const [currentSeriesId, comparatorSeriesId] = await Promise.all(ROWS.map(async (row) => Number(await views.view(row, 'axial').getAttribute('data-series-id'))));
  return (await client.candidates({ participantId, visitCode: 'W12', region: 'brain', currentSeriesId: currentSeriesId!, comparatorSeriesId: comparatorSeriesId! })).candidates;
}

/**
 * Drags on a view from one point to another, given as fractions of its size. The pointer lands on whole CSS pixels of
 * the page (as a mouse does): the points dragged between, on the view, are returned.
 */
async function dragOn(row: Row, axis: Axis, from: readonly [number, number], to: readonly [number, number]): Promise<[[number, number], [number, number]]> {
  const box = (await views.view(row, axis).boundingBox())!;
  const onPage = ([x, y]: readonly [number, number]) => [Math.round(box.x + x * box.width), Math.round(box.y + y * box.height)] as const;
  const [start, end] = [onPage(from), onPage(to)];
  await page.mouse.move(start[0], start[1]);
  await page.mouse.down();
  await page.mouse.move(end[0], end[1], { steps: 8 });
  await page.mouse.up();
  return [
    [start[0] - box.x, start[1] - box.y],
    [end[0] - box.x, end[1] - box.y],
  ];
}

/** Hovers the middle of a view: it becomes the active one (the one f maximises and cine plays). */
async function hover(row: Row, axis: Axis) {
  const box = (await views.view(row, axis).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}

/**
 * The value of the voxel nearest a patient point in the stored files: the slice nearest along the normal, the
 * nearest row and column on it. Every value that a point within a hundredth of a voxel of a boundary could take.
 */
function nearestVoxelValues(series: SampledSeries, point: Vec): number[] {
  const rowDirection = series.orientation.slice(0, 3);
  const columnDirection = series.orientation.slice(3, 6);
  const normal = cross(rowDirection, columnDirection);
  const [rowSpacing, columnSpacing] = series.pixelSpacing;
  const byDepth = series.positions.map((position, index) => ({ index, depth: dot(sub(point, position), normal) })).sort((a, b) => Math.abs(a.depth) - Math.abs(b.depth));
  const spacing = Math.abs(byDepth[0]!.depth - byDepth[1]!.depth);
  const slices = Math.abs(Math.abs(byDepth[1]!.depth) - Math.abs(byDepth[0]!.depth)) < spacing * 0.01 ? [byDepth[0]!, byDepth[1]!] : [byDepth[0]!];
  const near = (value: number) => (Math.abs(value - Math.round(value)) > 0.49 ? [Math.floor(value), Math.ceil(value)] : [Math.round(value)]);
  return slices.flatMap(({ index }) => {
    const offset = sub(point, series.positions[index]!);
    const columns = near(dot(offset, rowDirection) / columnSpacing);
    const rows = near(dot(offset, columnDirection) / rowSpacing);
    return rows.flatMap((row) => columns.map((column) => series.voxels[index * series.rows * series.columns + row * series.columns + column]!));
  });
}

describe('the reading tools in the MPR layout', () => {
  it('rings the candidates on the planes, brings the crosshair of all three planes to the one chosen, and confirms and dismisses as in 2D', async () => {
    await page.getByTestId('tab-worklist').click();
    await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(3).locator('button').click();
    await expect.poll(() => assist().getAttribute('data-subtraction'), READY).toBe('ready');
    await expect.poll(() => assist().getAttribute('data-unreviewed'), READY).not.toBe('');
    await page.keyboard.press('Shift+M');
    await views.mprShown();
    await expect.poll(() => views.view('comparator', 'axial').getByTestId('alignment-note').innerText(), READY).toMatch(/^aligned/);

    const countNew = await page.getByTestId('count-new').innerText();
    const lesionsBefore = await page.getByTestId('lesion').count();
    await page.keyboard.press('u');
    await expect.poll(selectedCandidateId).not.toBe('');
    const chosenId = await selectedCandidateId();
    const candidate = (await listedCandidates()).find((item) => item.id === chosenId)!;
    const spot = candidate.centre;
    // The three planes of the current visit meet at the candidate's centre (where confirming it puts its mark), and each of its views rings it there.
    for (const axis of AXES) {
      await expect.poll(async () => Math.hypot(...sub((await views.viewState('current', axis)).world, spot))).toBeLessThan(0.05);
      const ring = views.view('current', axis).locator(`[data-testid="candidate-ring"][data-candidate="${chosenId}"]`);
      await expect.poll(() => ring.count()).toBe(1);
      const { camera, box } = await views.viewState('current', axis);
      const expected = project(camera, box, spot);
      const circle = ring.locator('circle');
      expect(Number(await circle.getAttribute('cx'))).toBeCloseTo(expected.x, 0);
      expect(Number(await circle.getAttribute('cy'))).toBeCloseTo(expected.y, 0);
      expect(await ring.getAttribute('class')).toMatch(/selected/);
      // The comparator's views show no candidates: they are the current visit's.
      expect(await views.view('comparator', axis).getByTestId('candidate-ring').count()).toBe(0);
    }
    await saveScreenshot(page, 'e2e-mpr-candidate', '[data-testid="mpr-layout"]');

    // Dismissed: the list goes on to the next unreviewed one, and the crosshair with it. Then that one is confirmed: a lesion, marked on the planes.
    await page.keyboard.press('x');
    await expect.poll(() => page.locator(`[data-testid="candidate"][data-candidate="${chosenId}"]`).getAttribute('data-status')).toBe('dismissed');
    await expect.poll(selectedCandidateId).not.toBe(chosenId);
    const nextId = await selectedCandidateId();
    const next = (await listedCandidates()).find((item) => item.id === nextId)!;
    await expect.poll(async () => Math.hypot(...sub((await views.viewState('current', 'axial')).world, next.centre))).toBeLessThan(0.05);
    expect(await page.getByTestId('count-new').innerText()).toBe(countNew);
    await page.keyboard.press('y');
    await expect.poll(() => page.getByTestId('lesion').count()).toBe(lesionsBefore + 1);
    await expect.poll(() => page.locator(`[data-testid="candidate"][data-candidate="${nextId}"]`).getAttribute('data-status')).toBe('confirmed');
    // The confirmed lesion's mark is at the candidate's centre, and shows on the three planes through it (the crosshair may have gone on to the next candidate).
    const confirmedAt = (await listedCandidates()).find((item) => item.id === nextId)!;
    expect(confirmedAt.status).toBe('confirmed');
    const lesion = (await client.listLesions({ participantId })).find((item) => item.id === confirmedAt.lesionId)!;
    const mark = lesion.observations.find((item) => item.visitCode === 'W12')!.marks!.centre;
    expect(Math.hypot(...sub(mark, next.centre))).toBeLessThan(1e-6);
    // Chosen in the lesion list, the crosshair goes to the lesion's mark.
    const listed = page.locator(`[data-testid="lesion"][data-label="${lesion.label}"]`);
    // (A click on the selected lesion puts it down.)
    if (/selected/.test((await listed.getAttribute('class')) ?? '')) await listed.locator('.lesion-head').click();
    await expect.poll(() => listed.getAttribute('class')).not.toMatch(/selected/);
    await listed.locator('.lesion-head').click();
    for (const axis of AXES) await expect.poll(async () => Math.hypot(...sub((await views.viewState('current', axis)).world, mark))).toBeLessThan(0.05);
    for (const axis of AXES) await expect.poll(async () => views.view('current', axis).locator(`[data-testid="mark"][data-label="${lesion.label}"]`).count()).toBe(1);
  });

  it('measures a length and an ellipse on reformatted planes of either row in patient millimetres, and probes the voxel value, counting nothing', async () => {
    await page.keyboard.press('Escape');
    const countNew = await page.getByTestId('count-new').innerText();
    const lesions = await page.getByTestId('lesion').count();
    // A length across the current coronal view (a reformat of the axial stack): its text against the camera's scale.
    const drags: { row: Row; axis: Axis; key: string; from: [number, number]; to: [number, number] }[] = [
      { row: 'current', axis: 'coronal', key: 'd', from: [0.3, 0.3], to: [0.6, 0.55] },
      { row: 'comparator', axis: 'sagittal', key: 'd', from: [0.35, 0.35], to: [0.65, 0.4] },
    ];
    for (const { row, axis, key, from, to } of drags) {
      await page.keyboard.press(key);
      await expect.poll(() => readingView().getAttribute('data-check-tool')).toBe('length');
      const { camera, box } = await views.viewState(row, axis);
      const ends = await dragOn(row, axis, from, to);
      const [a, b] = ends.map(([x, y]) => unproject(camera, box, x, y));
      await page.keyboard.press(key);
      await expect.poll(() => readingView().getAttribute('data-check-tool')).toBe('');
      await expect.poll(() => annotationText(row, axis)).toMatch(/[\d.]+ mm/);
      const shown = Number(/([\d.]+) mm/.exec(await annotationText(row, axis))![1]);
      // Cornerstone writes a length of 10 mm or more to a tenth; its canvas is whole pixels, the view's box (the scale here) need not be.
      const expected = Math.hypot(...sub(b!, a!));
      expect(Math.abs(shown - expected)).toBeLessThanOrEqual(0.05 + expected * 0.003);
    }

    // An ellipse on the current sagittal view: its area that of the ellipse in the box dragged, in mm².
    await page.keyboard.press('e');
    await expect.poll(() => readingView().getAttribute('data-check-tool')).toBe('ellipse');
    {
      const { camera, box } = await views.viewState('current', 'sagittal');
      const [from, to] = await dragOn('current', 'sagittal', [0.4, 0.4], [0.55, 0.5]);
      await page.keyboard.press('e');
      const mmPerPixel = (2 * camera.parallelScale) / box.height;
      // Cornerstone's ellipse is centred where the press was, its half axes reaching to where the drag ended.
      const expectedArea = Math.PI * Math.abs(to[0] - from[0]) * mmPerPixel * Math.abs(to[1] - from[1]) * mmPerPixel;
      await expect.poll(() => annotationText('current', 'sagittal')).toMatch(/Area: [\d.]+ mm/);
      const text = await annotationText('current', 'sagittal');
      const area = Number(/Area: ([\d.]+) mm/.exec(text)![1]);
      expect(area / expectedArea).toBeCloseTo(1, 2);
      expect(text).toMatch(/Mean: [\d.]+/);
      expect(text).toMatch(/Std Dev: [\d.]+/);
    }

    // A probe on the current axial view: the value of the voxel nearest the point clicked, as the files store it.
    await page.keyboard.press('p');
    const { camera, box } = await views.viewState('current', 'axial');
    // Cornerstone holds back a press that does not move (it may be the first half of a double-click): the probe's press moves a little.
    const [pressed] = await dragOn('current', 'axial', [0.45, 0.5], [0.455, 0.5]);
    await page.keyboard.press('p');
    const probe = views.view('current', 'axial').getByTestId('probe');
    await expect.poll(() => probe.count()).toBe(1);
    const point = (await probe.getAttribute('data-point'))!.split(',').map(Number) as Vec;
    // Where the press was (the probe takes the press), by the camera: within half a pixel (the view's box is not whole pixels, its canvas is).
    expect(Math.hypot(...sub(point, unproject(camera, box, pressed[0], pressed[1])))).toBeLessThan((0.5 * 2 * camera.parallelScale) / box.height);
    const value = Number(await probe.textContent());
    const stored = nearestVoxelValues(storedSeries(session, participant, 'W12', 'brain'), point).map((item) => Math.round(item * 100) / 100);
    expect(stored).toContain(value);
    await saveScreenshot(page, 'e2e-mpr-checks', '[data-testid="mpr-layout"]');
    // Checks are the reader's own: nothing counted, no lesion.
    expect(await page.getByTestId('count-new').innerText()).toBe(countNew);
    expect(await page.getByTestId('lesion').count()).toBe(lesions);
  });

  it('inverts all six views on i, and back', async () => {
    const middleGrey = async (row: Row, axis: Axis) =>
      views.view(row, axis).evaluate((element) => {
        const canvas = element.querySelector('canvas')!;
        const data = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width * 0.45), Math.floor(canvas.height * 0.45), Math.ceil(canvas.width * 0.1), Math.ceil(canvas.height * 0.1)).data;
        let sum = 0;
        for (let index = 0; index < data.length; index += 4) sum += data[index]!;
        return sum / (data.length / 4);
      });
    const before = await middleGrey('current', 'axial');
    await page.keyboard.press('i');
    for (const row of ROWS) for (const axis of AXES) await expect.poll(() => views.view(row, axis).locator('.inverted-mark').count()).toBe(1);
    // The grey of each pixel becomes its complement.
    await expect.poll(async () => before + (await middleGrey('current', 'axial'))).toBeCloseTo(255, -1);
    await page.keyboard.press('i');
    for (const row of ROWS) for (const axis of AXES) await expect.poll(() => views.view(row, axis).locator('.inverted-mark').count()).toBe(0);
    await expect.poll(() => middleGrey('current', 'axial')).toBeCloseTo(before, 0);
  });

  it('maximises the view under the pointer on f or a double-click, and restores the layout on Esc or f', async () => {
    const layout = (await page.getByTestId('mpr-layout').boundingBox())!;
    const visible = () => page.locator('[data-testid="mpr-view"]:visible').count();
    const centres = () => Promise.all(AXES.map(async (axis) => (await views.viewState('current', axis)).world));
    const before = await centres();
    await hover('current', 'sagittal');
    await page.keyboard.press('f');
    await expect.poll(() => readingView().getAttribute('data-maximised')).toBe('current-sagittal');
    await expect.poll(visible).toBe(1);
    await expect.poll(async () => (await views.view('current', 'sagittal').boundingBox())!.width).toBeCloseTo(layout.width, -1);
    await expect.poll(async () => (await views.view('current', 'sagittal').boundingBox())!.height).toBeCloseTo(layout.height, -1);
    await saveScreenshot(page, 'e2e-mpr-maximised', '[data-testid="mpr-layout"]');
    await page.keyboard.press('Escape');
    await expect.poll(visible).toBe(6);
    // The planes stayed where the reader had them: the crosshair's point is the same on every view.
    for (const [index, world] of (await centres()).entries()) expect(Math.hypot(...sub(world, before[index]!))).toBeLessThan(0.01);
    // (A double-click is two clicks too: they bring the crosshair to the point, as any click does.)
    await views.view('comparator', 'coronal').dblclick();
    await expect.poll(() => readingView().getAttribute('data-maximised')).toBe('comparator-coronal');
    await expect.poll(visible).toBe(1);
    await page.keyboard.press('f');
    await expect.poll(visible).toBe(6);
    await expect.poll(() => readingView().getAttribute('data-maximised')).toBe('');
  });

  it('plays the active plane through the volume on c, from the last plane round to the first, the comparator following; = and - change the rate', async () => {
    await hover('current', 'axial');
    const start = await views.viewState('current', 'axial');
    const comparatorStart = await views.viewState('comparator', 'axial');
    const rate = page.getByTestId('cine-rate');
    await page.keyboard.press('=');
    await expect.poll(() => rate.inputValue()).toBe('15');
    await page.keyboard.press('=');
    await expect.poll(() => rate.inputValue()).toBe('20');
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('cine').getAttribute('aria-pressed')).toBe('true');
    // Seen as it plays: steps forward of one slice, and one jump back to the first plane.
    const seen: number[] = [planeOffset(start.camera)];
    await expect
      .poll(
        async () => {
          seen.push(planeOffset((await views.viewState('current', 'axial')).camera));
          return seen.some((value, index) => index > 0 && value < seen[index - 1]! - start.step * 2);
        },
        { timeout: 60_000, interval: 50 },
      )
      .toBe(true);
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('cine').getAttribute('aria-pressed')).toBe('false');
    // Once playing, the plane is on the volume's own planes (the first frame may have moved less, from the crosshair's plane onto them).
    const playing = seen.filter((value) => Math.abs(value - seen[0]!) > 1e-6);
    const forward = playing.slice(1).map((value, index) => value - playing[index]!).filter((change) => change > 1e-6);
    expect(forward.length).toBeGreaterThan(0);
    // Each forward move is a whole number of slices (the poll may miss frames).
    for (const change of forward) expect(Math.abs(change / start.step - Math.round(change / start.step))).toBeLessThan(0.01);
    // The comparator's axial plane moved with it, at its own scale and the same step.
    const end = await views.viewState('current', 'axial');
    const comparatorEnd = await views.viewState('comparator', 'axial');
    expect(planeOffset(end.camera)).not.toBeCloseTo(planeOffset(start.camera), 3);
    expect(planeOffset(comparatorEnd.camera) - planeOffset(comparatorStart.camera)).toBeCloseTo(planeOffset(end.camera) - planeOffset(start.camera), 1);
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await expect.poll(() => rate.inputValue()).toBe('10');
  });

  it("shows the linked cursor on the comparator's views at the same anatomy, and on every view whose plane passes by the point", async () => {
    await page.keyboard.press('+');
    // At the crosshair's centre on the current axial view: the point lies on all three current planes, and the comparator's carry it to the same canvas point.
    const axial = await views.viewState('current', 'axial');
    const crossOn = (row: Row, axis: Axis) => views.view(row, axis).getByTestId('crosshair');
    await page.mouse.move(axial.box.x + axial.centre[0]!, axial.box.y + axial.centre[1]!);
    for (const row of ROWS)
      for (const axis of AXES) {
        await expect.poll(() => crossOn(row, axis).count()).toBe(1);
        const { camera, box, world } = await views.viewState(row, axis);
        const expected = row === 'current' ? project(camera, box, world) : null;
        if (expected) {
          expect(Number(await crossOn(row, axis).getAttribute('data-x'))).toBeCloseTo(expected.x, 0);
          expect(Number(await crossOn(row, axis).getAttribute('data-y'))).toBeCloseTo(expected.y, 0);
        }
      }
    const at = async (row: Row, axis: Axis) => [Number(await crossOn(row, axis).getAttribute('data-x')), Number(await crossOn(row, axis).getAttribute('data-y'))];
    // The comparator's axial view: where the current one's pointer is (its camera is the current one's carried through the alignment).
    expect((await at('comparator', 'axial'))[0]).toBeCloseTo(axial.centre[0]!, 0);
    expect((await at('comparator', 'axial'))[1]).toBeCloseTo(axial.centre[1]!, 0);
    // Away from the other planes: the cross only on the axial views.
    const [x, y] = [axial.centre[0]! + axial.box.width * 0.15, axial.centre[1]! + axial.box.height * 0.15];
    await page.mouse.move(axial.box.x + x, axial.box.y + y);
    await expect.poll(() => at('comparator', 'axial')).toEqual([expect.closeTo(x, 0), expect.closeTo(y, 0)]);
    for (const row of ROWS) for (const axis of ['sagittal', 'coronal'] as const) await expect.poll(() => crossOn(row, axis).count()).toBe(0);
    await saveScreenshot(page, 'e2e-mpr-linked-cursor', '[data-testid="mpr-layout"]');
    await page.keyboard.press('+');
    await expect.poll(() => page.getByTestId('crosshair').count()).toBe(0);
  });

  it('goes back to 2D as it was on l in three planes, leaving the two-pane or four-up choice unchanged', async () => {
    const layout = await readingView().getAttribute('data-layout');
    const remembered = (await client.readingLayout({ region: 'brain' })).layout;
    await page.keyboard.press('l');
    await expect.poll(() => readingView().getAttribute('data-mpr')).toBe('off');
    await expect.poll(() => page.getByTestId('mpr-layout').count()).toBe(0);
    await expect.poll(async () => (await page.locator('[data-testid="reading-pane"]').count()) > 2).toBe(layout === 'four');
    expect(await readingView().getAttribute('data-layout')).toBe(layout);
    expect((await client.readingLayout({ region: 'brain' })).layout).toBe(remembered);
    // In 2D the key changes the layout as before.
    await page.keyboard.press('l');
    await expect.poll(() => readingView().getAttribute('data-layout')).toBe(layout === 'two' ? 'four' : 'two');
    await page.keyboard.press('l');
    await expect.poll(() => readingView().getAttribute('data-layout')).toBe(layout);
  });
});
