// Assisted detection in the reading room, in headless Chromium on the demo
// trial, participant 001's brain: the comparator resampled into the current
// grid puts the same anatomy at the same place on screen (measured on
// screenshots against truth.json's lesions and the visits' head motion);
// the subtraction overlay colours the new lesion and not what did not
// change, goes off, and works four-up; a scripted reader who only walks the
// candidate list by keys, confirming those truth.json calls true, reaches
// truth's counts, in fewer actions than marking the same lesions by hand;
// and the sign-off asks before signing over unreviewed candidates.
import type { Page } from 'playwright-core';
import type { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_READER } from '../../main/demo/read-demo';
import type { Client } from '../../shared/client';
import type { CandidateView, CountsReport, Region } from '../../shared/contract';
import type { LesionTruth, ParticipantTruth, TrialTruth } from '../../shared/synthetic/truth';
import { norm, sub, type Vec3 } from '../../shared/vector';
import { type Session, openDemoAsReader, saveScreenshot, unaskedProblems } from '../helpers/browser';

let session: Session;
let truth: TrialTruth;
let client: Client;
let page: Page;
let participant: ParticipantTruth;
let participantId: number;

const READY = { timeout: 120_000 };
const pane = (role: 'current' | 'comparator') => page.locator(`[data-testid="reading-pane"][data-role="${role}"]`);
const sliceOf = async (role: 'current' | 'comparator') => Number(await pane(role).getAttribute('data-slice-index'));
const panel = () => page.getByTestId('assist-panel');
const selectedCandidate = () => page.locator('[data-testid="candidate"].selected').evaluateAll((items) => items[0]?.getAttribute('data-candidate') ?? '');

beforeAll(async () => {
  ({ session, truth, client } = await openDemoAsReader());
  page = session.page;
  participant = truth.participants.find((item) => item.subject === '001')!;
  participantId = (await client.worklist({})).rows.find((row) => row.subjectCode === '001')!.participantId;
});

afterAll(async () => {
  await session?.close();
});

async function openRead(subject: string, column: number) {
  await page.getByTestId('tab-worklist').click();
  await page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`).nth(column).locator('button').click();
  await aligned();
}

/** Waits for the read's subtraction and candidates, and both panes drawn, the comparator in its aligned (resampled) view. */
async function aligned() {
  await expect.poll(() => panel().getAttribute('data-subtraction'), READY).toBe('ready');
  await expect.poll(() => panel().getAttribute('data-unreviewed'), READY).not.toBe('');
  await expect.poll(() => pane('comparator').getAttribute('data-view'), READY).toBe('resampled');
  for (const role of ['current', 'comparator'] as const) await expect.poll(() => pane(role).getAttribute('data-rendered'), READY).toBe('true');
  expect(await pane('comparator').getByTestId('derived-note').innerText()).toBe('aligned (resampled)');
}

async function goToSlice(index: number) {
  for (let at = await sliceOf('current'); at !== index; at = await sliceOf('current')) {
    await page.keyboard.press(at < index ? 'ArrowDown' : 'ArrowUp');
    await expect.poll(() => sliceOf('current')).not.toBe(at);
  }
  await expect.poll(() => sliceOf('comparator')).toBe(index);
}

const seen = (lesion: LesionTruth, visit: string) => lesion.visits.find((item) => item.visit === visit)!;
const brainLesions = () => participant.lesions.filter((lesion) => lesion.region === 'brain');

/** Where a lesion of truth.json lies on a pane showing its visit's slice fitted (CSS pixels from the pane's corner), and the pane's pixels per mm. */
async function onScreen(lesion: LesionTruth, visit: string, role: 'current' | 'comparator') {
  const box = (await pane(role).boundingBox())!;
  const at = seen(lesion, visit);
  const series = participant.studies.find((study) => study.visit === visit)!.series.find((item) => item.seriesInstanceUid === at.location.seriesInstanceUid)!;
  const [rowSpacing, columnSpacing] = series.pixelSpacing;
  const perMm = Math.min(box.width / (series.columns * columnSpacing), box.height / (series.rows * rowSpacing));
  const [column, row] = at.location.continuous;
  return { x: box.width / 2 + (column - (series.columns - 1) / 2) * columnSpacing * perMm, y: box.height / 2 + (row - (series.rows - 1) / 2) * rowSpacing * perMm, perMm };
}

const grey = (png: PNG, x: number, y: number) => {
  const at = (Math.round(y) * png.width + Math.round(x)) * 4;
  return (png.data[at]! + png.data[at + 1]! + png.data[at + 2]!) / 3;
};

/**
 * Where the anatomy around a point of one pane's screenshot lies on another's: the shift (pixels) of the
 * best normalised cross-correlation of a square patch, searched a reach either way, refined to a fraction
 * of a pixel by a parabola through the best score and its neighbours.
 */
function matchShift(from: PNG, to: PNG, centre: { x: number; y: number }, half: number, reach: number): { dx: number; dy: number } {
  const offsets: [number, number][] = [];
  for (let dy = -half; dy <= half; dy += 1) for (let dx = -half; dx <= half; dx += 1) offsets.push([dx, dy]);
  const patch = offsets.map(([dx, dy]) => grey(from, centre.x + dx, centre.y + dy));
  const mean = patch.reduce((sum, value) => sum + value, 0) / patch.length;
  const centred = patch.map((value) => value - mean);
  const score = (sx: number, sy: number) => {
    const values = offsets.map(([dx, dy]) => grey(to, centre.x + sx + dx, centre.y + sy + dy));
    const theirs = values.reduce((sum, value) => sum + value, 0) / values.length;
    let [products, ownSquares, theirSquares] = [0, 0, 0];
    values.forEach((value, index) => {
      products += centred[index]! * (value - theirs);
      ownSquares += centred[index]! ** 2;
      theirSquares += (value - theirs) ** 2;
    });
    return products / Math.sqrt(ownSquares * theirSquares + 1e-9);
  };
  let best = { dx: 0, dy: 0, score: -2 };
  for (let sy = -reach; sy <= reach; sy += 1) for (let sx = -reach; sx <= reach; sx += 1) {
    const value = score(sx, sy);
    if (value > best.score) best = { dx: sx, dy: sy, score: value };
  }
  const vertex = (minus: number, middle: number, plus: number) => (minus - plus) / (2 * (minus - 2 * middle + plus) || 1);
  return {
    dx: best.dx + vertex(score(best.dx - 1, best.dy), best.score, score(best.dx + 1, best.dy)),
    dy: best.dy + vertex(score(best.dx, best.dy - 1), best.score, score(best.dx, best.dy + 1)),
  };
}

/** How far apart (mm) the anatomy around a lesion of the current visit shows on the two panes, from their screenshots. */
async function apartOnScreen(lesion: LesionTruth, visit: string, name: string): Promise<number> {
  const { x, y, perMm } = await onScreen(lesion, visit, 'current');
  const current = (await saveScreenshot(page, `${name}-current`, '[data-testid="reading-pane"][data-role="current"]')).png;
  const comparator = (await saveScreenshot(page, `${name}-comparator`, '[data-testid="reading-pane"][data-role="comparator"]')).png;
  // A patch of about 24 mm around the lesion, searched up to 15 mm either way.
  const shift = matchShift(current, comparator, { x, y }, Math.round(12 * perMm), Math.round(15 * perMm));
  return Math.hypot(shift.dx, shift.dy) / perMm;
}

/** Pixels of a screenshot within a radius of a point that the overlay coloured warm (orange to yellow), or coloured at all. */
function colouredAround(png: PNG, centre: { x: number; y: number }, radius: number): { warm: number; coloured: number; all: number } {
  let [warm, coloured, all] = [0, 0, 0];
  for (let y = Math.floor(centre.y - radius); y <= centre.y + radius; y += 1) {
    for (let x = Math.floor(centre.x - radius); x <= centre.x + radius; x += 1) {
      if (Math.hypot(x - centre.x, y - centre.y) > radius) continue;
      const at = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[at]!, png.data[at + 1]!, png.data[at + 2]!];
      all += 1;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured += 1;
      if (r - b > 60) warm += 1;
    }
  }
  return { warm, coloured, all };
}

describe('assisted detection on participant 001, brain', () => {
  it('puts the same anatomy at the same place on both panes in the aligned view (within 1 mm), unlike the acquired comparator', async () => {
    await openRead('001', 3);
    // Lesions away from the skull and hidden marks: the panes show nothing but the images.
    await page.keyboard.press('h');
    const both = brainLesions().filter((lesion) => seen(lesion, 'W0').present && seen(lesion, 'W12').present);
    const lesion = both.sort((a, b) => seen(b, 'W12').longestDiameterMm - seen(a, 'W12').longestDiameterMm)[0]!;
    await goToSlice(seen(lesion, 'W12').location.sliceIndex);
    const resampled = await apartOnScreen(lesion, 'W12', 'e2e-assist-aligned');
    await page.keyboard.press('v');
    await expect.poll(() => pane('comparator').getAttribute('data-view')).toBe('native');
    await expect.poll(() => pane('comparator').getAttribute('data-rendered'), READY).toBe('true');
    const acquired = await apartOnScreen(lesion, 'W12', 'e2e-assist-acquired');
    const motion = participant.studies.find((study) => study.visit === 'W12')!.headMotion;
    console.log(
      `${lesion.label}: ${resampled.toFixed(2)} mm apart on screen with the aligned (resampled) comparator, ${acquired.toFixed(2)} mm with the acquired one ` +
        `(week 12 head motion ${norm(motion.translationMm as Vec3).toFixed(1)} mm, ${motion.rotationDeg.map((value) => value.toFixed(1)).join('/')} degrees)`,
    );
    expect(resampled).toBeLessThan(1);
    expect(acquired).toBeGreaterThan(resampled + 1);
    await page.keyboard.press('v');
    await expect.poll(() => pane('comparator').getAttribute('data-view')).toBe('resampled');
    await page.keyboard.press('h');
  });

  it('colours the new lesion warm and leaves unchanged tissue alone; the overlay goes off, and works four-up', async () => {
    const lesion = brainLesions().find((item) => seen(item, 'W12').status.previous === 'new')!;
    await goToSlice(seen(lesion, 'W12').location.sliceIndex);
    // Unchanged tissue: the lesion's place mirrored across the midline (x in LPS), where no lesion lies at either visit.
    const [x, y, z] = seen(lesion, 'W12').location.patientMm;
    const mirror: Vec3 = [-x, y, z];
    expect(brainLesions().every((item) => ['W0', 'W12'].every((visit) => norm(sub(seen(item, visit).location.patientMm as Vec3, mirror)) > 15))).toBe(true);
    const overlay = pane('current').getByTestId('subtraction-overlay');
    const check = async (name: string) => {
      const place = await onScreen(lesion, 'W12', 'current');
      const radius = (seen(lesion, 'W12').longestDiameterMm / 2) * place.perMm;
      const mirrored = { ...place, x: place.x - 2 * x * place.perMm };
      const png = (await saveScreenshot(page, name, '[data-testid="reading-pane"][data-role="current"]')).png;
      return { lesion: colouredAround(png, place, radius), unchanged: colouredAround(png, mirrored, radius) };
    };

    const before = await check('e2e-assist-no-overlay');
    expect(before.lesion.coloured).toBe(0);
    await page.keyboard.press('o');
    await expect.poll(() => overlay.getAttribute('data-drawn-slice')).toBe(String(seen(lesion, 'W12').location.sliceIndex));
    await expect.poll(() => pane('current').getByTestId('derived-note').innerText()).toMatch(/^subtraction standard ±6σ/);
    const shown = await check('e2e-assist-overlay');
    console.log(`overlay: ${shown.lesion.warm} of ${shown.lesion.all} pixels warm at ${lesion.label}, ${shown.unchanged.coloured} of ${shown.unchanged.all} coloured at its mirror image`);
    expect(shown.lesion.warm / shown.lesion.all).toBeGreaterThan(0.3);
    expect(shown.unchanged.coloured / shown.unchanged.all).toBeLessThan(0.02);
    // A stronger window colours less of the same slice; the overlay follows the keys.
    await page.keyboard.press('6');
    await expect.poll(() => pane('current').getByTestId('derived-note').innerText()).toMatch(/^subtraction strong ±12σ/);
    await page.keyboard.press('Shift+O');
    await expect.poll(() => page.getByTestId('subtraction-opacity').inputValue()).toBe('1');
    await page.keyboard.press('5');
    await page.keyboard.press('Shift+O');
    await expect.poll(() => page.getByTestId('subtraction-opacity').inputValue()).toBe('0.25');
    await page.keyboard.press('Shift+O');
    await page.keyboard.press('Shift+O');
    await expect.poll(() => page.getByTestId('subtraction-opacity').inputValue()).toBe('0.75');
    await saveScreenshot(page, 'e2e-assist-overlay-room', '[data-testid="reading-view"]');

    await page.keyboard.press('o');
    await expect.poll(() => overlay.count()).toBe(0);
    expect((await check('e2e-assist-overlay-off')).lesion.coloured).toBe(0);

    // Four-up: the overlay on the current pane, wherever the layout puts it.
    await page.keyboard.press('l');
    await expect.poll(() => page.getByTestId('reading-pane').count()).toBe(4);
    await expect.poll(() => pane('current').getAttribute('data-rendered'), READY).toBe('true');
    await expect.poll(() => pane('comparator').getAttribute('data-view'), READY).toBe('resampled');
    await page.keyboard.press('o');
    await expect.poll(() => overlay.getAttribute('data-drawn-slice')).toBe(String(seen(lesion, 'W12').location.sliceIndex));
    const fourUp = await check('e2e-assist-overlay-four-up');
    expect(fourUp.lesion.warm / fourUp.lesion.all).toBeGreaterThan(0.3);
    expect(fourUp.unchanged.coloured / fourUp.unchanged.all).toBeLessThan(0.02);
    await saveScreenshot(page, 'e2e-assist-four-up', '[data-testid="reading-view"]');
    await page.keyboard.press('o');
    await page.keyboard.press('l');
    await expect.poll(() => page.getByTestId('reading-pane').count()).toBe(2);
    await expect.poll(() => pane('comparator').getAttribute('data-rendered'), READY).toBe('true');
  });

  it('reaches the counts of truth.json by walking the candidates alone, in fewer actions than marking the same lesions by hand', async () => {
    const follow = ['W12', 'W24', 'W52'];
    const counted = new Set<string>();
    let assisted = 0;
    let byHand = 0;
    for (const [index, visit] of follow.entries()) {
      if (index > 0) {
        await page.keyboard.press('.');
        await expect.poll(() => pane('current').getAttribute('data-visit')).toBe(visit);
        await aligned();
      }
      const opening = await sliceOf('current');
      const pair = { currentSeriesId: Number(await pane('current').getAttribute('data-series-id')), comparatorSeriesId: Number(await pane('comparator').getAttribute('data-series-id')) };
      const read = { participantId, visitCode: visit, region: 'brain' as Region, ...pair };
      const offered = (await client.candidates(read)).candidates;
      const changed = brainLesions().filter((lesion) => ['new', 'enlarging'].includes(seen(lesion, visit).status.previous));
      /** truth.json's rule: a candidate is true within the lesion's half diameter and 3 mm of a lesion new or enlarging at this visit. */
      const trueOne = (candidate: CandidateView) => changed.find((lesion) => norm(sub(candidate.centre, seen(lesion, visit).location.patientMm as Vec3)) <= seen(lesion, visit).longestDiameterMm / 2 + 3);
      // One key to the first candidate; each decision then goes on to the next unreviewed one.
      let actions = 1;
      await page.keyboard.press('u');
      for (let left = offered.length; left > 0; left = Number(await panel().getAttribute('data-unreviewed'))) {
        await expect.poll(() => page.locator('[data-testid="candidate"].selected').getAttribute('data-status')).toBe('unreviewed');
        const id = await selectedCandidate();
        const chosen = offered.find((item) => item.id === id)!;
        // Every pane goes to it: the current one to its slice.
        await expect.poll(() => sliceOf('current')).toBe(chosen.sliceIndex);
        const lesion = trueOne(chosen);
        await page.keyboard.press(lesion ? 'y' : 'x');
        actions += 1;
        await expect.poll(() => page.locator(`[data-testid="candidate"][data-candidate="${id}"]`).getAttribute('data-status')).toBe(lesion ? 'confirmed' : 'dismissed');
        if (lesion) counted.add(`${lesion.id}@${visit}`);
      }
      if (visit === 'W12') await saveScreenshot(page, 'e2e-assist-candidates', '[data-testid="reading-view"]');
      // Marking the same lesions by hand, as the marking flow does it: a new one is n, the arrow keys from where the
      // pane is to its slice, and a drag; one known before is a click on it, m, the arrows and a drag.
      let at = opening;
      for (const lesion of changed.filter((item) => counted.has(`${item.id}@${visit}`))) {
        const slice = seen(lesion, visit).location.sliceIndex;
        const known = follow.slice(0, index).some((earlier) => counted.has(`${lesion.id}@${earlier}`));
        byHand += (known ? 3 : 2) + Math.abs(slice - at);
        at = slice;
      }
      assisted += actions;
      expect(changed.every((lesion) => counted.has(`${lesion.id}@${visit}`)), `every lesion new or enlarging at ${visit} was offered`).toBe(true);
    }

    // A lesion confirmed at the comparator visit is offered as enlarging, and counts so; one nobody marked before it grew
    // (present since baseline, stable until then: a reader who only walks candidates never marked it) counts as new.
    const report = (await session.workstation.dispatch('counts', { participantId })) as { ok: true; value: CountsReport };
    const cells = report.value.participants[0]!.cells;
    for (const [index, visit] of follow.entries()) {
      const row = participant.counts.previous.find((item) => item.visit === visit && item.region === 'brain')!;
      const cell = cells.find((item) => item.visitCode === visit && item.region === 'brain')!;
      const enlarging = brainLesions().filter((lesion) => seen(lesion, visit).status.previous === 'enlarging');
      const unfollowed = enlarging.filter((lesion) => index === 0 || !counted.has(`${lesion.id}@${follow[index - 1]}`)).length;
      expect([cell.new, cell.enlarging], `${visit}: new and enlarging, truth ${row.new} and ${row.enlarging}, ${unfollowed} grown without a mark before`).toEqual([row.new + unfollowed, row.enlarging - unfollowed]);
      expect(cell.newOrEnlarging, `${visit}: new or enlarging`).toBe(row.newOrEnlarging);
    }
    console.log(`candidate walk: ${assisted} actions (keys) against ${byHand} to mark the same ${counted.size} lesions by hand (ratio ${(assisted / byHand).toFixed(2)})`);
    expect(assisted).toBeLessThan(byHand);
  });

  it('asks before signing over unreviewed candidates, and a signed read refuses a review in main’s words', async () => {
    // The spinal cord at week 12 (a new lesion there, so at least one candidate), nothing marked; week 0 signed first.
    await client.signRead({ participantId, visitCode: 'W0', region: 'spinal_cord', secret: DEMO_READER.secret });
    await openRead('001', 4);
    const left = Number(await panel().getAttribute('data-unreviewed'));
    expect(left).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('sign-candidates').innerText()).toMatch(new RegExp(`^${left} candidates? of this read not reviewed`));
    const sign = async () => {
      await page.getByTestId('sign-secret').fill(DEMO_READER.secret);
      await page.getByTestId('sign').click();
      await page.getByTestId('sign-question').waitFor();
    };
    await sign();
    expect(await page.getByTestId('sign-off').getAttribute('data-signed')).toBe('false');
    await saveScreenshot(page, 'e2e-assist-sign-question', '[data-testid="lesion-panel"]');
    // "Review them first" goes to the first unreviewed candidate.
    await page.getByTestId('sign-review').click();
    await expect.poll(() => page.locator('[data-testid="candidate"].selected').getAttribute('data-status')).toBe('unreviewed');
    await sign();
    await page.getByTestId('sign-anyway').click();
    await expect.poll(() => page.getByTestId('sign-off').getAttribute('data-signed')).toBe('true');
    await page.keyboard.press('y');
    await expect.poll(() => page.getByTestId('reading-view').innerText()).toMatch(/The 001 W12 spinal cord read is signed \(by Demo reader\)\. Unlock it/);
    expect(Number(await panel().getAttribute('data-unreviewed'))).toBe(left);
    expect(unaskedProblems(session, [/status of 409 \(Conflict\) \(\/api\/reviewCandidate\)/])).toEqual([]);
  });
});
