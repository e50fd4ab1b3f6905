// The MPR layout in headless Chromium on the demo trial: the series read in
// three planes above its comparator's, reference lines that agree between
// the views, the comparator following through the stored alignment, and
// marks in any plane kept in patient coordinates. Where a view shows a
// patient point is computed here from the view's camera (an orthographic
// projection), independently of the app's canvas mapping.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../shared/client';
import { instancePath } from '../../shared/contract';
import type { LesionTruth, ParticipantTruth, TrialTruth } from '../../shared/synthetic/truth';
import { type Session, saveScreenshot } from '../helpers/browser';
import { tempFolder } from '../helpers/fixtures';
import { referenceSamples } from '../helpers/reference-sampler';
import { dragAcross, lesionDrag, openDemoAsReader } from '../helpers/reader';
import { AXES, type Axis, cross, mprViews, project, type Row, storedSeries, sub, type Vec } from '../helpers/mpr-views';
import { writeRodPhantom } from '../helpers/rod-phantom';

let session: Session;
let page: Page;
let truth: TrialTruth;
let client: Client;
let views: ReturnType<typeof mprViews>;
const view = (row: Row, axis: Axis) => views.view(row, axis);
const viewState = (row: Row, axis: Axis) => views.viewState(row, axis);
const pixelsOffPlane = (axis: Axis, point: readonly number[]) => views.pixelsOffPlane(axis, point);
const crosshairTo = (point: readonly number[]) => views.crosshairTo(point);
const dragAcrossPoint = (row: Row, axis: Axis, point: readonly number[], lengthMm: number) => views.dragAcrossPoint(row, axis, point, lengthMm);
const mprShown = () => views.mprShown();

/** The grey levels a view's canvas shows (its image only: the overlays are other elements), one byte per CSS pixel. */
async function canvasGreys(row: Row, axis: Axis): Promise<{ width: number; height: number; greys: number[] }> {
  return view(row, axis).evaluate((element) => {
    const canvas = element.querySelector('canvas')!;
    const { width, height } = canvas;
    const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    const greys: number[] = [];
    for (let index = 0; index < width * height; index += 1) greys.push(data[index * 4]!);
    return { width, height, greys };
  });
}

async function openRead(subject: string, column: number) {
  await page.getByTestId('tab-worklist').click();
  await page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`).nth(column).locator('button').click();
  await expect.poll(() => page.locator('[data-testid="reading-pane"][data-role="current"]').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
}

/** Chooses a visit's series by its description. */
async function chooseSeries(role: 'current' | 'comparator', description: string) {
  const pane = page.locator(`[data-testid="reading-pane"][data-role="${role}"]`);
  await pane.getByTestId('series-switcher').click();
  await pane.locator('[data-testid="series-choice"]', { hasText: description }).click();
  await expect.poll(() => pane.locator('.series-description').innerText()).toBe(description);
  await expect.poll(() => pane.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
}

/**
 * After a read opens: the MPR layout, whether the reading room kept it from the last read or not. The reader's wish for
 * three planes outlives the read (data-mpr says it at once); the toggle's pressed state waits for the read's images, and
 * asking it before then turned the wish off.
 */
async function inMpr() {
  await page.getByTestId('reading-view').waitFor();
  if ((await page.getByTestId('reading-view').getAttribute('data-mpr')) === 'off') await page.keyboard.press('Shift+M');
  await page.getByTestId('mpr-layout').waitFor();
}

const participant = (): ParticipantTruth => truth.participants.find((item) => item.subject === '001')!;
/** 001's brain lesions seen at both W0 and W12 (inside the 3D FLAIR at both), largest first. */
function lesionsAtBoth(): LesionTruth[] {
  const seen = (lesion: LesionTruth, visit: string) => lesion.visits.find((item) => item.visit === visit && item.present && item.location3d?.inside);
  return participant()
    .lesions.filter((lesion) => lesion.region === 'brain' && seen(lesion, 'W0') && seen(lesion, 'W12'))
    .sort((a, b) => b.visits.find((item) => item.visit === 'W12')!.longestDiameterMm - a.visits.find((item) => item.visit === 'W12')!.longestDiameterMm);
}
const at = (lesion: LesionTruth, visit: string) => lesion.visits.find((item) => item.visit === visit)!;

beforeAll(async () => {
  ({ session, truth, client } = await openDemoAsReader());
  page = session.page;
  views = mprViews(page);
});

afterAll(async () => {
  await session?.close();
});

describe('the MPR layout', () => {
  it('opens the 3D FLAIR in three planes over its comparator until every slice is in (the progress count gone), and goes back to 2D on the same key', async () => {
    await openRead('001', 3);
    await chooseSeries('current', 'SAG 3D FLAIR');
    // The comparator follows to its visit's series of the same description.
    const comparator = page.locator('[data-testid="reading-pane"][data-role="comparator"]');
    await expect.poll(() => comparator.locator('.series-description').innerText()).toBe('SAG 3D FLAIR');
    await page.keyboard.press('Shift+M');
    await mprShown();
    await expect.poll(() => page.getByTestId('mpr-toggle').getAttribute('aria-pressed')).toBe('true');
    // The comparator waits for its alignment to the current visit, then follows it.
    await expect.poll(() => view('comparator', 'axial').getByTestId('alignment-note').innerText(), { timeout: 120_000 }).toMatch(/^aligned/);
    await expect.poll(() => page.getByTestId('mpr-progress').count(), { timeout: 90_000 }).toBe(0);
    // The same key goes back to the 2D layout.
    await page.keyboard.press('Shift+M');
    await expect.poll(() => page.getByTestId('mpr-layout').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="reading-pane"][data-role="current"]').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    await page.keyboard.press('Shift+M');
    await mprShown();
  });

  it('puts a point clicked at the crosshair centre of all three views, where each view shows that point', async () => {
    const lesion = lesionsAtBoth()[0]!;
    const point = at(lesion, 'W12').location3d!.patientMm;
    await crosshairTo(point);
    for (const axis of AXES) {
      const state = await viewState('current', axis);
      const expected = project(state.camera, state.box, point);
      // The point lies on every plane, and each view draws its crosshair centre where its camera shows the point (within the pixel clicked).
      expect(Math.abs(expected.offPlane) * expected.pixelsPerMm).toBeLessThan(1);
      expect(Math.hypot(state.centre[0]! - expected.x, state.centre[1]! - expected.y)).toBeLessThan(1.5);
      expect(Math.hypot(...sub(state.world, point)) * expected.pixelsPerMm).toBeLessThan(1.5);
    }
    await saveScreenshot(page, 'e2e-mpr-crosshair');
  });

  it('shows the comparator at the same anatomy: a truth lesion at the same canvas point in both rows, within about a voxel', async () => {
    for (const lesion of lesionsAtBoth().slice(0, 2)) {
      await crosshairTo(at(lesion, 'W12').location3d!.patientMm);
      for (const axis of AXES) {
        const current = await viewState('current', axis);
        const comparator = await viewState('comparator', axis);
        const here = project(current.camera, current.box, at(lesion, 'W12').location3d!.patientMm);
        const there = project(comparator.camera, comparator.box, at(lesion, 'W0').location3d!.patientMm);
        // The comparator's view is the current one carried through the alignment: same scale, the lesion at the same place, on (or within a voxel of) its plane.
        expect(there.pixelsPerMm).toBeCloseTo(here.pixelsPerMm, 3);
        expect(Math.hypot(there.x - here.x, there.y - here.y) / here.pixelsPerMm).toBeLessThan(1.5);
        expect(Math.abs(there.offPlane)).toBeLessThan(1.5);
      }
    }
    await saveScreenshot(page, 'e2e-mpr-layout');
  });

  it('marks lesions on the sagittal and axial planes in patient coordinates, one lesion each, at their truth centres', async () => {
    const participantId = (await client.trialSetup({})).participants.find((item) => item.subjectCode === '001')!.id;
    const marked = lesionsAtBoth();
    for (const [index, lesion] of marked.entries()) {
      const seen = at(lesion, 'W12');
      const point = seen.location3d!.patientMm;
      await crosshairTo(point);
      const before = await page.getByTestId('lesion').count();
      await page.keyboard.press('n');
      await dragAcrossPoint('current', index % 2 === 0 ? 'sagittal' : 'axial', point, seen.longestDiameterMm);
      await expect.poll(() => page.getByTestId('lesion').count()).toBe(before + 1);
    }
    // Every truth lesion seen at W12 and W0 is marked once, each mark within a voxel (1 mm, and a pixel of the click) of its truth centre.
    const stored = (await client.listLesions({ participantId })).filter((lesion) => lesion.region === 'brain');
    expect(stored).toHaveLength(marked.length);
    for (const lesion of marked) {
      const truthCentre = at(lesion, 'W12').location3d!.patientMm;
      const nearest = Math.min(...stored.map((item) => Math.hypot(...sub(item.observations.find((observation) => observation.visitCode === 'W12')!.marks!.centre, truthCentre))));
      expect(nearest).toBeLessThan(1.5);
    }
    // The marks show on the plane through them: the crosshair on the first, its mark on all three current views.
    await crosshairTo(at(marked[0]!, 'W12').location3d!.patientMm);
    for (const axis of AXES) await expect.poll(() => view('current', axis).getByTestId('marks').getAttribute('data-count')).not.toBe('0');
    await saveScreenshot(page, 'e2e-mpr-marks');
  });

  it('shows a lesion marked in three planes on the 2D series at its slice, and one marked in 2D in the planes', async () => {
    const [first, second] = lesionsAtBoth();
    const pane = page.locator('[data-testid="reading-pane"][data-role="current"]');
    await page.keyboard.press('Shift+M');
    await expect.poll(() => pane.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    // The 3D FLAIR's sagittal slices, in 2D: the slice truth gives shows the mark made on a plane.
    const goToSlice = async (index: number) => {
      for (let step = 0; step < 200 && Number(await pane.getAttribute('data-slice-index')) !== index; step += 1) {
        const now = Number(await pane.getAttribute('data-slice-index'));
        await page.keyboard.press(now < index ? 'ArrowDown' : 'ArrowUp');
        await expect.poll(async () => Number(await pane.getAttribute('data-slice-index'))).not.toBe(now);
      }
      expect(Number(await pane.getAttribute('data-slice-index'))).toBe(index);
    };
    await goToSlice(at(first!, 'W12').location3d!.sliceIndex);
    await expect.poll(() => pane.getByTestId('marks').getAttribute('data-count')).not.toBe('0');
    // A lesion measured again in 2D on its own slice (the tool for the selected lesion), then seen in three planes.
    const participant3d = { ...participant(), studies: participant().studies } as ParticipantTruth;
    const onVolume = { ...second!, visits: second!.visits.map((item) => ({ ...item, location: item.location3d ?? item.location })) };
    await goToSlice(at(second!, 'W12').location3d!.sliceIndex);
    const before = await page.getByTestId('lesion').count();
    await page.keyboard.press('n');
    await dragAcross(page, lesionDrag(participant3d, onVolume, 'W12', (await pane.boundingBox())!));
    await expect.poll(() => page.getByTestId('lesion').count()).toBe(before + 1);
    await page.keyboard.press('Shift+M');
    await mprShown();
    // The lesion just drawn is selected, and its ends are handles that take a press: unselected, a click there moves the crosshair.
    await page.locator('[data-testid="lesion"].selected .lesion-head').click();
    await expect.poll(() => page.locator('[data-testid="lesion"].selected').count()).toBe(0);
    await crosshairTo(at(second!, 'W12').location3d!.patientMm);
    // Two marks of the second lesion now: the one drawn on the axial plane before, and this one from 2D, both on every current view.
    for (const axis of AXES) await expect.poll(async () => Number(await view('current', axis).getByTestId('marks').getAttribute('data-count'))).toBeGreaterThanOrEqual(2);
  });

  it('draws a reformatted plane as an independent trilinear sampler of the stored slices gives it, within a few grey levels', async () => {
    // The coronal view of the sagittal 3D FLAIR: every pixel a reformat, across the acquired slices.
    const state = await viewState('current', 'coronal');
    const { width, height, greys } = await canvasGreys('current', 'coronal');
    expect(width).toBe(Math.round(state.box.width));
    const [, windowWidth, level] = /^W (\d+)\s+L (\d+)/.exec(await view('current', 'coronal').getByTestId('pane-window').innerText())!.map(Number) as [number, number, number];
    const { camera } = state;
    const right = cross(camera.viewUp, camera.viewPlaneNormal);
    const down: Vec = [-camera.viewUp[0], -camera.viewUp[1], -camera.viewUp[2]];
    const mmPerPixel = camera.parallelScale / (height / 2);
    // The patient point at the centre of canvas pixel (0, 0).
    const origin = [0, 1, 2].map((axis) => camera.focalPoint[axis]! + right[axis]! * (0.5 - width / 2) * mmPerPixel + down[axis]! * (0.5 - height / 2) * mmPerPixel) as Vec;
    const series = storedSeries(session, participant(), 'W12', 'brain3d');
    const differences = (shiftMm: number) => {
      const shifted = [0, 1, 2].map((axis) => origin[axis]! + camera.viewPlaneNormal[axis]! * shiftMm) as Vec;
      const samples = referenceSamples(series, { origin: shifted, rowDirection: right, columnDirection: down, spacing: [mmPerPixel, mmPerPixel], rows: height, columns: width });
      const errors: number[] = [];
      samples.forEach((value, index) => {
        if (Number.isNaN(value)) return;
        const expected = Math.min(255, Math.max(0, ((value - (level - windowWidth / 2)) / windowWidth) * 255));
        errors.push(Math.abs(expected - greys[index]!));
      });
      errors.sort((a, b) => a - b);
      return { count: errors.length, median: errors[Math.floor(errors.length / 2)]!, p95: errors[Math.floor(errors.length * 0.95)]! };
    };
    const onPlane = differences(0);
    expect(onPlane.count).toBeGreaterThan(width * height * 0.3);
    expect(onPlane.median).toBeLessThanOrEqual(2);
    expect(onPlane.p95).toBeLessThanOrEqual(12);
    // The comparison can fail: the plane 3 mm away differs far more.
    expect(differences(3).p95).toBeGreaterThan(onPlane.p95 * 2);
  });

  it("reads a visit with new and enlarging brain lesions on the 3D FLAIR in three planes, its comparator first, marking on sagittal and axial planes, to truth.json's counts", async () => {
    // The first participant and visit whose brain read (against the previous scan) has both a new and an enlarging lesion: 001's week 52 in the demo.
    const target = truth.participants.flatMap((item) => item.counts.previous.filter((row) => row.region === 'brain' && row.new > 0 && row.enlarging > 0).map((row) => ({ subject: item, expected: row })))[0]!;
    expect(target).toBeDefined();
    const { subject, expected } = target;
    const [visit, comparator] = [expected.visit, expected.comparatorVisit!];
    const seen = (lesion: LesionTruth, code: string) => lesion.visits.find((item) => item.visit === code && item.present && item.location3d?.inside);
    const brain = subject.lesions.filter((lesion) => lesion.region === 'brain');
    const atBoth = brain.filter((lesion) => seen(lesion, comparator) && seen(lesion, visit));
    const newAtVisit = brain.filter((lesion) => !seen(lesion, comparator) && seen(lesion, visit));
    expect(atBoth.length).toBeGreaterThan(1);
    expect(newAtVisit.length).toBe(expected.new);
    const weekOf = (code: string) => new RegExp(`Week ${truth.visits.find((item) => item.code === code)!.week}\\b`);
    const title = page.getByTestId('reading-title');
    // The visit opens (in three planes, the layout stays chosen); the 3D FLAIR chosen for it, its comparator's follows; then the comparator's visit is read first.
    await page.getByTestId('tab-worklist').click();
    const column = truth.visits.findIndex((item) => item.code === visit) * truth.regions.length + truth.regions.indexOf('brain');
    await page.locator(`[data-testid="worklist-row"][data-subject="${subject.subject}"] [data-testid="worklist-cell"]`).nth(column).locator('button').click();
    await inMpr();
    await mprShown();
    await view('current', 'axial').getByTestId('series-switcher').click();
    await view('current', 'axial').locator('[data-testid="series-choice"]', { hasText: 'SAG 3D FLAIR' }).click();
    for (const row of ['current', 'comparator'] as const) await expect.poll(() => view(row, 'axial').locator('.series-description').innerText()).toBe('SAG 3D FLAIR');
    await page.keyboard.press(',');
    await expect.poll(() => title.innerText()).toMatch(weekOf(comparator));
    await expect.poll(() => view('current', 'axial').locator('.series-description').innerText()).toBe('SAG 3D FLAIR');
    for (const axis of AXES) await expect.poll(() => view('current', axis).getAttribute('data-rendered'), { timeout: 90_000 }).toBe('true');
    const unselect = async () => {
      const selected = page.locator('[data-testid="lesion"].selected .lesion-head');
      if ((await selected.count()) > 0) await selected.click();
      await expect.poll(() => page.locator('[data-testid="lesion"].selected').count()).toBe(0);
    };
    const mark = async (lesion: LesionTruth, code: string, key: 'n' | 'm', plane: Axis) => {
      const at = seen(lesion, code)!;
      await crosshairTo(at.location3d!.patientMm);
      await page.keyboard.press(key);
      await dragAcrossPoint('current', plane, at.location3d!.patientMm, at.longestDiameterMm);
    };
    const labels = () => page.getByTestId('lesion').evaluateAll((items) => items.map((item) => item.getAttribute('data-label')!));
    /** Marks a lesion new to the app (whatever lesions earlier tests left on this participant) and answers its label. */
    const markNew = async (lesion: LesionTruth, code: string, plane: Axis) => {
      const before = await labels();
      await unselect();
      await mark(lesion, code, 'n', plane);
      await expect.poll(async () => (await labels()).length).toBe(before.length + 1);
      return (await labels()).find((label) => !before.includes(label))!;
    };
    const labelOf = new Map<LesionTruth, string>();
    for (const [index, lesion] of atBoth.entries()) labelOf.set(lesion, await markNew(lesion, comparator, index % 2 === 0 ? 'sagittal' : 'axial'));
    // The visit read: the same lesions selected and measured again on the other plane, then the new ones.
    await page.keyboard.press('.');
    await expect.poll(() => title.innerText()).toMatch(weekOf(visit));
    await mprShown();
    for (const [index, lesion] of atBoth.entries()) {
      await unselect();
      const item = page.locator(`[data-testid="lesion"][data-label="${labelOf.get(lesion)}"]`);
      await item.locator('.lesion-head').click();
      await mark(lesion, visit, 'm', index % 2 === 0 ? 'axial' : 'sagittal');
      await expect.poll(() => item.getAttribute('data-status')).not.toBe('');
    }
    for (const [index, lesion] of newAtVisit.entries()) await markNew(lesion, visit, index % 2 === 0 ? 'sagittal' : 'axial');
    await expect.poll(() => page.getByTestId('count-new').innerText()).toBe(String(expected.new));
    await expect.poll(() => page.getByTestId('count-enlarging').innerText()).toBe(String(expected.enlarging));
    await expect.poll(() => page.getByTestId('count-new-or-enlarging').innerText()).toBe(String(expected.newOrEnlarging));
    expect(expected.new).toBeGreaterThan(0);
    expect(expected.enlarging).toBeGreaterThan(0);
    await saveScreenshot(page, `e2e-mpr-read-${subject.subject}-${visit}`);
  });
  it('measures an analytic rod, oblique in the coronal plane of a double-oblique 1 mm stack, to its length within one voxel', async () => {
    // The rod lies in a coronal plane at 27 degrees from the vertical; no acquired slice holds it, so the coronal view is a reformat.
    const folder = tempFolder();
    const { rod } = writeRodPhantom(folder, { direction: [1, 0, 2] });
    const participant = await client.saveParticipant({ subjectCode: 'ROD', baselineDate: '2026-01-01' });
    await client.importFolder({ folder });
    const patient = (await client.trialSetup({})).patients.find((item) => item.patientId === 'ROD-PHANTOM')!;
    await client.linkPatient({ patientRef: patient.id, participantId: participant.id });
    const series = (await client.listSeries({})).find((item) => item.description === 'ROD 3D PHANTOM')!;
    expect(series.reconstructable).toEqual({ ok: true });
    await client.assignSeries({ seriesId: series.id, region: 'brain', sequence: 'FLAIR', reason: 'a phantom to measure in three planes' });

    await page.getByTestId('tab-worklist').click();
    await page.locator('[data-testid="worklist-row"][data-subject="ROD"] [data-testid="worklist-cell"]').nth(0).locator('button').click();
    await inMpr();
    for (const axis of AXES) await expect.poll(() => view('current', axis).getAttribute('data-rendered'), { timeout: 90_000 }).toBe('true');
    const centre = rod.start.map((value, axis) => (value + rod.end[axis]!) / 2);
    await crosshairTo(centre);
    await expect.poll(() => pixelsOffPlane('coronal', centre)).toBeLessThan(1);
    await saveScreenshot(page, 'e2e-mpr-rod', '[data-testid="mpr-layout"]');

    // The grey profile along the rod's axis on the coronal view; its ends are where it crosses half way between rod and background.
    const { camera, box } = await viewState('current', 'coronal');
    const { width, greys } = await canvasGreys('current', 'coronal');
    const scale = width / box.width;
    const greyAt = (t: number) => {
      const at = project(camera, box, centre.map((value, axis) => value + t * rod.direction[axis]!));
      return greys[Math.round(at.y * scale - 0.5) * width + Math.round(at.x * scale - 0.5)]!;
    };
    const steps = Array.from({ length: 321 }, (_, index) => -40 + index * 0.25);
    const profile = steps.map(greyAt);
    const inside = greyAt(0);
    const outside = (greyAt(-40) + greyAt(40)) / 2;
    expect(inside - outside).toBeGreaterThan(100);
    const half = (outside + inside) / 2;
    const crossing = (from: number, step: 1 | -1) => {
      let index = from;
      while (profile[index + step]! > half) index += step;
      const [a, b] = [profile[index]!, profile[index + step]!];
      return steps[index]! + step * 0.25 * ((a - half) / (a - b));
    };
    const middle = (steps.length - 1) / 2;
    const measured = crossing(middle, 1) - crossing(middle, -1);
    expect(Math.abs(measured - rod.lengthMm)).toBeLessThanOrEqual(1);
    expect(Math.abs((crossing(middle, 1) + crossing(middle, -1)) / 2)).toBeLessThanOrEqual(1);
  });

  it("frees a closed layout's volumes and their slices when the reader switches participant or leaves MPR, and opens the next participant", async () => {
    const problemsBefore = session.problems.length;
    const cacheState = () => page.evaluate(() => window.lesiontrackImageCache!());
    /** The instance paths of the series the layout's rows show (an image id is the instance's URL with its frame). */
    const shownInstancePaths = async () => {
      const ids = await page.locator('[data-testid="mpr-view"][data-axis="axial"]').evaluateAll((views) => views.map((item) => Number(item.getAttribute('data-series-id'))));
      const listings = await Promise.all(ids.map((seriesId) => client.seriesImages({ seriesId })));
      return new Set(listings.flatMap((listing) => listing.images.map((image) => instancePath(listing.store, image.instanceId))));
    };
    const cachedOf = async (paths: ReadonlySet<string>) => (await cacheState()).imageIds.filter((imageId) => paths.has(new URL(imageId.replace(/^wadouri:/, '')).pathname));
    const openInMpr = async (subject: string) => {
      await page.getByTestId('tab-worklist').click();
      await page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`).nth(3).locator('button').click();
      await inMpr();
      await mprShown();
    };

    // 003's week 12 and its comparator in three planes, the 3D FLAIR of both chosen and wholly loaded.
    await openInMpr('003');
    await view('current', 'axial').getByTestId('series-switcher').click();
    await view('current', 'axial').locator('[data-testid="series-choice"]', { hasText: 'SAG 3D FLAIR' }).click();
    for (const row of ['current', 'comparator'] as const) await expect.poll(() => view(row, 'axial').locator('.series-description').innerText()).toBe('SAG 3D FLAIR');
    await mprShown();
    await expect.poll(() => page.getByTestId('mpr-progress').count(), { timeout: 120_000 }).toBe(0);
    const flair3d = await shownInstancePaths();
    expect(flair3d.size).toBe(2 * 160);
    expect((await cacheState()).volumeIds).toHaveLength(2);
    expect(await cachedOf(flair3d)).toHaveLength(flair3d.size);

    // Another participant: the two 3D FLAIR volumes and every slice of theirs leave the cache; the new volumes show.
    await openInMpr('005');
    const next = await shownInstancePaths();
    await expect.poll(async () => (await cachedOf(flair3d)).length, { timeout: 60_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('mpr-progress').count(), { timeout: 120_000 }).toBe(0);
    expect((await cacheState()).volumeIds).toHaveLength(2);
    expect(await cachedOf(next)).toHaveLength(next.size);

    // Leaving MPR frees the volumes too; the 2D panes show the same series, so their slices stay, as the panes' own.
    await page.keyboard.press('Shift+M');
    await expect.poll(async () => (await cacheState()).volumeIds, { timeout: 60_000 }).toEqual([]);
    await expect.poll(() => page.locator('[data-testid="reading-pane"][data-role="current"]').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    // And MPR opens again from there, on a volume built anew.
    await page.keyboard.press('Shift+M');
    await mprShown();
    await expect.poll(async () => (await cacheState()).volumeIds, { timeout: 60_000 }).toHaveLength(2);
    // No volume built meanwhile missed its headers ("Incomplete metadata required for volume construction"), nor anything else.
    expect(session.problems.slice(problemsBefore)).toEqual([]);
  });
});
