// A scripted reader for the end-to-end tests: moves the current pane to a
// slice and drags across a lesion's longest diameter where truth.json puts
// it, on the pane's fitted image.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { LesionTruth, ParticipantTruth, SeriesTruth, TrialTruth } from '../../shared/synthetic/truth';
import { chooseDemoReader } from '../../main/demo/read-demo';
import { type Client, createClient } from '../../shared/client';
import { type Session, openDemoSession } from './browser';

type Box = { x: number; y: number; width: number; height: number };

/** Where a pixel (column, row; fractions allowed) of a series lies on the page, on a pane showing it fitted; and the pane's pixels per mm. */
export function screenPoint(series: SeriesTruth, [column, row]: readonly [number, number], box: Box) {
  const [rowSpacing, columnSpacing] = series.pixelSpacing;
  const scale = Math.min(box.width / (series.columns * columnSpacing), box.height / (series.rows * rowSpacing));
  return { x: box.x + box.width / 2 + (column - (series.columns - 1) / 2) * columnSpacing * scale, y: box.y + box.height / 2 + (row - (series.rows - 1) / 2) * rowSpacing * scale, scale };
}

/** Where to drag across a lesion's longest diameter (horizontally, through its centre) on a pane showing its fitted slice. */
export function lesionDrag(participant: ParticipantTruth, lesion: LesionTruth, visit: string, box: Box) {
  const seen = lesion.visits.find((item) => item.visit === visit)!;
  const series = participant.studies.find((study) => study.visit === visit)!.series.find((item) => item.seriesInstanceUid === seen.location.seriesInstanceUid)!;
  const { x, y, scale } = screenPoint(series, [seen.location.continuous[0], seen.location.continuous[1]], box);
  const half = (seen.longestDiameterMm / 2) * scale;
  return { from: { x: x - half, y }, to: { x: x + half, y } };
}

/** Drags from one point to another once the pane takes a measurement. */
export async function dragAcross(page: Page, drag: ReturnType<typeof lesionDrag>): Promise<void> {
  await page.getByTestId('measure-layer').waitFor();
  await page.mouse.move(drag.from.x, drag.from.y);
  await page.mouse.down();
  await page.mouse.move(drag.to.x, drag.to.y, { steps: 5 });
  await page.mouse.up();
}

/** Why the scripted reader types cord levels rather than clicking the lesion's ends (test/e2e/extents.test.ts clicks them). */
export const TYPED_LEVELS_REASON = 'scripted reader: levels from truth.json';

/**
 * Answers what a cord or optic measurement asks right after the drag, as
 * truth.json has it (levels; side of a new lesion; extent), and saves it.
 * Returns the actions that took (a choice changed, a box ticked, the save).
 */
export async function giveRegionDetails(page: Page, lesion: LesionTruth, visit: string): Promise<number> {
  if (lesion.region === 'brain') return 0;
  const form = page.getByTestId('pending-details');
  await form.waitFor();
  const seen = lesion.visits.find((item) => item.visit === visit)!;
  let actions = 1;
  const choose = async (label: string, value: string) => {
    const field = form.getByLabel(label);
    if ((await field.count()) === 0 || (await field.inputValue()) === value) return;
    actions += 1;
    await field.selectOption(value);
  };
  const tick = async (label: string, checked: boolean) => {
    const box = form.getByLabel(label);
    if ((await box.isChecked()) === checked) return;
    actions += 1;
    await box.setChecked(checked);
  };
  if (seen.cord) {
    await choose('upper vertebral level', seen.cord.upperLevel);
    await choose('lower vertebral level', seen.cord.lowerLevel);
    // Typed levels are an override of the clicked ends: they need a reason (kept from the lesion's last typed levels).
    const reason = form.getByTestId('typed-levels-reason');
    if ((await reason.inputValue()).trim() === '') {
      actions += 1;
      await reason.fill(TYPED_LEVELS_REASON);
    }
  }
  if (seen.optic) {
    await choose('Side', seen.optic.side);
    await tick('over half the nerve', seen.optic.moreThanHalfLength);
    await tick('involves the chiasm', seen.optic.involvesChiasm);
  }
  await form.getByTestId('save-details').click();
  await form.waitFor({ state: 'detached' });
  return actions;
}

export function scriptedReader(session: Session, truth: TrialTruth, subject = '001') {
  const { page } = session;
  const pane = () => page.locator('[data-testid="reading-pane"][data-role="current"]');
  const participant = truth.participants.find((item) => item.subject === subject)!;

  async function goToSlice(index: number) {
    for (let step = 0; step < 80; step += 1) {
      const at = Number(await pane().getAttribute('data-slice-index'));
      if (at === index) return;
      await page.keyboard.press(at < index ? 'ArrowDown' : 'ArrowUp');
      await expect.poll(async () => Number(await pane().getAttribute('data-slice-index'))).not.toBe(at);
    }
    throw new Error(`could not reach slice ${index}`);
  }

  async function measure(lesion: LesionTruth, visit: string) {
    const seen = lesion.visits.find((item) => item.visit === visit)!;
    await goToSlice(seen.location.sliceIndex);
    await dragAcross(page, lesionDrag(participant, lesion, visit, (await pane().boundingBox())!));
    await giveRegionDetails(page, lesion, visit);
  }

  const lesionCount = () => page.getByTestId('lesion').count();

  return { pane, goToSlice, measure, lesionCount, participant };
}

/**
 * Shows the comparator as acquired: the aligned view, on by default, replaces it with its images resampled into
 * the current grid once the pair's subtraction is ready, whose slices are the current series'. Tests of the
 * native slices the alignment picks (and of nudging them) turn it off first; it stays off for the page.
 */
export async function showAcquiredComparator(page: Page): Promise<void> {
  const aligned = page.getByTestId('assist-aligned-view');
  if ((await aligned.getAttribute('aria-pressed')) === 'true') await page.keyboard.press('v');
  await expect.poll(() => aligned.getAttribute('aria-pressed')).toBe('false');
  await expect.poll(() => page.locator('[data-testid="reading-pane"][data-role="comparator"]').getAttribute('data-view')).toBe('native');
}

/**
 * Signs the read open with a secret. Where the read's subtraction is ready with candidates nobody reviewed, the
 * sign-off asks first (whether it is ready depends on how fast the machine computed it): signed over them then.
 */
export async function signOpenRead(page: Page, secret: string): Promise<void> {
  const signOff = page.getByTestId('sign-off');
  const question = page.getByTestId('sign-question');
  await page.getByTestId('sign-secret').fill(secret);
  await page.getByTestId('sign').click();
  await expect.poll(async () => (await signOff.getAttribute('data-signed')) === 'true' || (await question.count()) > 0).toBe(true);
  if ((await question.count()) > 0) await page.getByTestId('sign-anyway').click();
  await expect.poll(() => signOff.getAttribute('data-signed')).toBe('true');
}

/** The demo trial in a page, its demo reader chosen (the page reloaded to show it), with participant 001's truth and id. */
export async function openDemoAsReader(): Promise<{ session: Session; truth: TrialTruth; page: Page; client: Client; participant: ParticipantTruth; participantId: number }> {
  const { session, truth } = await openDemoSession();
  const client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  await chooseDemoReader(client);
  await session.page.reload();
  const participant = truth.participants.find((item) => item.subject === '001')!;
  const participantId = (await client.worklist({})).rows.find((row) => row.subjectCode === '001')!.participantId;
  return { session, truth, page: session.page, client, participant, participantId };
}
