// Lesions come to the reader, in headless Chromium on the demo trial: a
// scripted reader marks participant 001's brain lesions at W0 and W12 where
// truth.json puts them; then selecting a lesion, or stepping to the next one,
// brings every pane within one slice of truth.json's slice for its visit; a
// lesion marked at one visit shows as a ghost on the other; a read opens at
// its first lesion (or mid-stack without one); and moving on to another
// visit, participant or layout keeps the anatomy in view.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseDemoReader } from '../../main/demo/read-demo';
import { createClient } from '../../shared/client';
import type { LesionTruth, TrialTruth } from '../../shared/synthetic/truth';
import { type Session, openDemoSession, saveScreenshot } from '../helpers/browser';
import { scriptedReader, showAcquiredComparator } from '../helpers/reader';

let session: Session;
let truth: TrialTruth;
let page: Page;

const pane = (role: 'current' | 'comparator') => page.locator(`[data-testid="reading-pane"][data-role="${role}"]`);
const sliceOf = async (role: 'current' | 'comparator') => Number(await pane(role).getAttribute('data-slice-index'));
const title = () => page.getByTestId('reading-title').innerText();
const sliceAt = (lesion: LesionTruth, visit: string) => lesion.visits.find((item) => item.visit === visit)!.location.sliceIndex;
const presentAt = (lesion: LesionTruth, visit: string) => lesion.visits.find((item) => item.visit === visit)!.present;
const selectedLabel = () => page.locator('[data-testid="lesion"].selected').evaluateAll((items) => items[0]?.getAttribute('data-label') ?? '');

/** App label -> truth lesion, as the scripted reader created them. */
const marked = new Map<string, LesionTruth>();

async function openRead(subject: string, column: number) {
  await page.getByTestId('tab-worklist').click();
  await page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`).nth(column).locator('button').click();
  await expect.poll(() => pane('current').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
}

async function waitForComparator() {
  await expect.poll(() => pane('comparator').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
  await expect.poll(() => pane('comparator').getByTestId('alignment-note').innerText(), { timeout: 120_000 }).toMatch(/^aligned/);
  await showAcquiredComparator(page);
}

/** Clicks a lesion in the panel so that it ends up selected (a click on the selected one clears it). */
async function selectInPanel(label: string) {
  const item = page.locator(`[data-testid="lesion"][data-label="${label}"]`);
  if ((await item.getAttribute('class'))?.split(' ').includes('selected')) {
    await item.locator('.lesion-head').click();
    await expect.poll(selectedLabel).toBe('');
  }
  await item.locator('.lesion-head').click();
  await expect.poll(selectedLabel).toBe(label);
}

async function expectPanesAt(lesion: LesionTruth, current: string, comparator: string) {
  await expect.poll(async () => Math.abs((await sliceOf('current')) - sliceAt(lesion, current)), { message: `${lesion.label} at ${current}` }).toBeLessThanOrEqual(1);
  await expect.poll(async () => Math.abs((await sliceOf('comparator')) - sliceAt(lesion, comparator)), { message: `${lesion.label} at ${comparator}` }).toBeLessThanOrEqual(1);
}

beforeAll(async () => {
  ({ session, truth } = await openDemoSession());
  page = session.page;
  await chooseDemoReader(createClient((name, payload) => session.workstation.dispatch(name, payload)));
  await page.reload();
});

afterAll(async () => {
  await session?.close();
});

describe('navigation to lesions', () => {
  it('marks 001 brain at W0 and W12 as the scripted reader does', async () => {
    const reader = scriptedReader(session, truth);
    const brain = reader.participant.lesions.filter((lesion) => lesion.region === 'brain');
    const labels = new Map<string, string>();
    await openRead('001', 0);
    for (const visit of ['W0', 'W12']) {
      if (visit === 'W12') {
        await page.keyboard.press('.');
        await expect.poll(() => pane('current').getAttribute('data-visit')).toBe('W12');
        await expect.poll(() => pane('current').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
        await waitForComparator();
      }
      for (const lesion of brain.filter((item) => presentAt(item, visit))) {
        const label = labels.get(lesion.id);
        const before = await reader.lesionCount();
        if (label) {
          await selectInPanel(label);
          await page.keyboard.press('m');
        } else await page.keyboard.press('n');
        await reader.measure(lesion, visit);
        if (label) {
          await expect.poll(() => page.locator(`[data-testid="lesion"][data-label="${label}"]`).getAttribute('data-status')).not.toBe('');
        } else {
          await expect.poll(reader.lesionCount).toBe(before + 1);
          labels.set(lesion.id, (await page.getByTestId('lesion').last().getAttribute('data-label'))!);
        }
      }
    }
    for (const lesion of brain) if (labels.has(lesion.id)) marked.set(labels.get(lesion.id)!, lesion);
    expect(marked.size).toBeGreaterThanOrEqual(3);
    // Each mark was said back at once; at baseline a lesion is "baseline", not "stable".
    await expect.poll(() => page.getByTestId('confirmation').innerText()).toMatch(/^Saved: B\d at W12, \d+\.\d mm, (new|enlarging|stable|shrinking)\.$/);
    const atW0 = [...marked].find(([, lesion]) => presentAt(lesion, 'W0'))![0];
    expect(await page.locator(`[data-testid="lesion"][data-label="${atW0}"] .chip`).first().innerText()).toMatch(/^W0 \d+\.\d baseline$/);
  });

  it('brings both panes to B2 when it is selected, within one slice of truth.json at each visit', async () => {
    const b2 = marked.get('B2')!;
    expect(presentAt(b2, 'W12') || presentAt(b2, 'W0')).toBe(true);
    // Far from it first: the first slice.
    const reader = scriptedReader(session, truth);
    await reader.goToSlice(0);
    await selectInPanel('B2');
    await expectPanesAt(b2, 'W12', 'W0');
  });

  it('steps to the next and previous lesion with j and k, every pane with it', async () => {
    const labels = [...marked.keys()].sort();
    const from = labels.indexOf(await selectedLabel());
    const next = labels[(from + 1) % labels.length]!;
    await page.keyboard.press('j');
    await expect.poll(selectedLabel).toBe(next);
    await expectPanesAt(marked.get(next)!, 'W12', 'W0');
    await page.keyboard.press('k');
    await expect.poll(selectedLabel).toBe(labels[from]);
    await expectPanesAt(marked.get(labels[from]!)!, 'W12', 'W0');
  });

  it('shows a lesion marked at one visit as a ghost on the other visit\'s pane', async () => {
    // A lesion new at W12 has no mark at W0: the comparator shows where it would be.
    const [label, lesion] = [...marked].find(([, item]) => presentAt(item, 'W12') && !presentAt(item, 'W0')) ?? [...marked].find(([, item]) => presentAt(item, 'W12'))!;
    await selectInPanel(label);
    await expectPanesAt(lesion, 'W12', 'W0');
    if (!presentAt(lesion, 'W0')) {
      await expect.poll(() => pane('comparator').locator(`[data-testid="ghost-mark"][data-label="${label}"]`).count()).toBe(1);
      await expect.poll(() => pane('comparator').locator(`[data-testid="mark"][data-label="${label}"]`).count()).toBe(0);
    }
    await expect.poll(() => pane('current').locator(`[data-testid="mark"][data-label="${label}"]`).count()).toBe(1);
    await saveScreenshot(page, 'e2e-reading-ghosts', '[data-testid="reading-view"]');
  });

  it('keeps the anatomy when moving to another visit, layout or participant', async () => {
    const b2 = marked.get('B2')!;
    await selectInPanel('B2');
    await expectPanesAt(b2, 'W12', 'W0');
    // Next visit: the reading pane opens on the same point of the scanner frame, within the visits' head motion of B2's slice.
    await page.keyboard.press('.');
    await expect.poll(title).toMatch(/^001 · Brain · Week 24/);
    await expect.poll(() => pane('current').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    await expect.poll(async () => Math.abs((await sliceOf('current')) - sliceAt(b2, 'W24'))).toBeLessThanOrEqual(2);
    // Four-up and back: the reading pane stays where it is.
    const at = await sliceOf('current');
    await page.keyboard.press('l');
    await expect.poll(() => page.getByTestId('reading-pane').count()).toBe(4);
    expect(await sliceOf('current')).toBe(at);
    await page.keyboard.press('l');
    await expect.poll(() => page.getByTestId('reading-pane').count()).toBe(2);
    expect(await sliceOf('current')).toBe(at);
    // Another participant: as far through the stack.
    const fraction = at / (Number(await pane('current').getAttribute('data-slice-count')) - 1);
    await page.keyboard.press('}');
    await expect.poll(title).toMatch(/^002 · Brain · Week 24/);
    await expect.poll(() => pane('current').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    const count = Number(await pane('current').getAttribute('data-slice-count'));
    expect(Math.abs((await sliceOf('current')) - fraction * (count - 1))).toBeLessThanOrEqual(1);
  });

  it('opens a read at its first lesion, or mid-stack when it has none', async () => {
    await page.keyboard.press('Backspace');
    await page.getByTestId('worklist').waitFor();
    await openRead('001', 3);
    // B1 opens on its own W12 mark, or where its W0 mark falls in the scanner frame (unaligned: the alignment comes after the pane opens).
    const first = marked.get([...marked.keys()].sort()[0]!)!;
    expect(Math.abs((await sliceOf('current')) - sliceAt(first, 'W12'))).toBeLessThanOrEqual(presentAt(first, 'W12') ? 1 : 2);
    // 001's spinal cord has no lesion marked: the middle of the stack.
    await page.keyboard.press('Backspace');
    await openRead('001', 4);
    const count = Number(await pane('current').getAttribute('data-slice-count'));
    expect(await sliceOf('current')).toBe(Math.floor((count - 1) / 2));
    expect(session.problems).toEqual([]);
  });

  it('asks a cord measurement its levels right after the drag, with none chosen for it', async () => {
    // 001's spinal cord is open (the test before): a drag across the middle of the reading pane.
    const box = (await pane('current').boundingBox())!;
    const drag = async () => {
      await page.keyboard.press('n');
      await page.getByTestId('measure-layer').waitFor();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 20);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 20, { steps: 4 });
      await page.mouse.up();
      await page.getByTestId('pending-details').waitFor();
    };
    const before = await page.getByTestId('lesion').count();
    await drag();
    expect(await page.getByTestId('save-details').isDisabled()).toBe(true);
    expect(await page.getByTestId('details-missing').innerText()).toBe('Choose the upper and lower vertebral levels, or say they cannot be told.');
    // Esc discards the drawing: nothing saved.
    await page.keyboard.press('Escape');
    await page.getByTestId('pending-details').waitFor({ state: 'detached' });
    expect(await page.getByTestId('lesion').count()).toBe(before);
    await drag();
    await page.getByLabel('upper vertebral level').selectOption('C3');
    await page.getByLabel('lower vertebral level').selectOption('C5');
    // Typed levels override the clicked ends: saving waits for a reason.
    expect(await page.getByTestId('save-details').isDisabled()).toBe(true);
    expect(await page.getByTestId('details-missing').innerText()).toBe('Say why the levels are typed rather than clicked, or save and click the lesion\'s ends.');
    await page.getByTestId('typed-levels-reason').fill('the sagittal is degraded by motion');
    await saveScreenshot(page, 'e2e-cord-details', '[data-testid="reading-view"]');
    // Both panes show their slice: the comparator, opened while the reading pane was already mid-stack, shows no error.
    expect(await page.locator('[data-testid="reading-pane"] .viewer-error').count()).toBe(0);
    await page.getByTestId('save-details').click();
    await expect.poll(() => page.getByTestId('lesion').count()).toBe(before + 1);
    await expect.poll(() => page.locator('[data-testid="lesion"].selected').innerText()).toMatch(/C3–C5, 3 segments, LETM/);
    // The lesion keeps why its levels were typed.
    await expect.poll(() => page.locator('[data-testid="lesion"].selected').innerText()).toMatch(/typed, no ends clicked: the sagittal is degraded by motion/);
  });

  it('hangs the reads of a region as its reader last left them: four-up stays four-up for the brain, the cord keeps two panes', async () => {
    const layout = () => page.getByTestId('reading-view').getAttribute('data-layout');
    await page.keyboard.press('Backspace');
    await openRead('002', 3);
    expect(await layout()).toBe('two');
    await page.keyboard.press('l');
    await expect.poll(layout).toBe('four');
    await page.keyboard.press('Backspace');
    await openRead('003', 3);
    await expect.poll(layout).toBe('four');
    expect(await page.getByTestId('reading-pane').count()).toBe(4);
    await page.keyboard.press('Backspace');
    await openRead('003', 4);
    await expect.poll(layout).toBe('two');
    // Back to two panes for the brain: remembered too.
    await page.keyboard.press('[');
    await expect.poll(title).toMatch(/^003 · Brain · Week 12/);
    await page.keyboard.press('l');
    await expect.poll(layout).toBe('two');
    await page.keyboard.press('Backspace');
    await openRead('004', 3);
    await expect.poll(layout).toBe('two');
    expect(session.problems).toEqual([]);
  });

  it('hangs a region by the trial\'s default, set with the charter, for a reader with no layout of their own there', async () => {
    const layout = () => page.getByTestId('reading-view').getAttribute('data-layout');
    await page.getByTestId('tab-setup').click();
    const panel = page.getByTestId('layout-defaults');
    await panel.getByLabel('Optic nerves layout').selectOption('four');
    expect(await panel.getByTestId('save-layouts').isDisabled()).toBe(true);
    await panel.getByTestId('layouts-reason').fill('charter version 2: every optic visit at once');
    await panel.getByTestId('save-layouts').click();
    await expect.poll(() => createClient((name, payload) => session.workstation.dispatch(name, payload)).defaultReadingLayouts({}).then((layouts) => layouts.optic_nerve.layout)).toBe('four');
    // The panel opens again with what was saved, the reason cleared.
    await expect.poll(() => panel.getByTestId('layouts-reason').inputValue()).toBe('');
    expect(await panel.getByLabel('Optic nerves layout').inputValue()).toBe('four');
    await saveScreenshot(page, 'e2e-layout-defaults', '[data-testid="layout-defaults"]');
    // This reader never chose a layout for the optic nerves: the default hangs.
    await openRead('005', 5);
    await expect.poll(layout).toBe('four');
    expect(session.problems).toEqual([]);
  });
});
