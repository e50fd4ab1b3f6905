// The reading room's design, in headless Chromium on the demo trial: every
// key of the command table does what the help overlay says it does (the test
// reads the table and presses each key, and each command has a check written
// here); a form typed for one lesion never shows on another.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseDemoReader } from '../../main/demo/read-demo';
import { createClient } from '../../shared/client';
import { keyLabel } from '../../renderer/src/commands/command';
import { COMMANDS } from '../../renderer/src/commands/command-table';
import { type Session, openDemoSession, saveScreenshot } from '../helpers/browser';
import { showAcquiredComparator } from '../helpers/reader';

let session: Session;
let page: Page;

const pane = (role: 'current' | 'comparator') => page.locator(`[data-testid="reading-pane"][data-role="${role}"]`);
const sliceOf = async (role: 'current' | 'comparator') => Number(await pane(role).getAttribute('data-slice-index'));
const title = () => page.getByTestId('reading-title').innerText();
const windowText = () => pane('current').getByTestId('pane-window').innerText();
const widthOf = (text: string) => Number(/^W (\d+)/.exec(text)?.[1]);
const checkTool = () => page.getByTestId('reading-view').getAttribute('data-check-tool');
/** The text Cornerstone's annotation tools write on the current pane. */
const annotationText = () => pane('current').locator('.svg-layer text').allTextContents().then((texts) => texts.join(' '));

/** Takes a check tool by its key, draws with it on the current pane (each tool in its own place: a press on another's handle would move it), and puts it down again. */
async function checkWith(key: string, tool: string, drag: boolean, place: number) {
  const countBefore = await page.getByTestId('count-new').innerText();
  await page.keyboard.press(key);
  await expect.poll(checkTool).toBe(tool);
  const box = (await pane('current').boundingBox())!;
  const [x, y] = [box.x + box.width * 0.35, box.y + box.height * (0.3 + 0.2 * place)];
  await page.mouse.move(x - 20, y - 15);
  await page.mouse.down();
  // Cornerstone holds back a press that does not move (it may be the first half of a double-click): even a probe moves a little.
  await page.mouse.move(x + (drag ? 20 : 2), y + (drag ? 15 : 0), { steps: 5 });
  await page.mouse.up();
  await page.keyboard.press(key);
  await expect.poll(checkTool).toBe('');
  // A check is the reader's own: nothing counted.
  expect(await page.getByTestId('count-new').innerText()).toBe(countBefore);
}

const assist = () => page.getByTestId('assist-panel');
const overlay = () => pane('current').getByTestId('subtraction-overlay');
const selectedCandidate = () => page.locator('[data-testid="candidate"].selected');
const crossAt = async (role: 'current' | 'comparator') => {
  const cross = pane(role).getByTestId('crosshair');
  return [Number(await cross.getAttribute('data-x')), Number(await cross.getAttribute('data-y'))];
};

/** Waits for the read's subtraction and its candidates. */
async function subtractionReady() {
  await expect.poll(() => assist().getAttribute('data-subtraction'), { timeout: 120_000 }).toBe('ready');
  await expect.poll(() => assist().getAttribute('data-unreviewed'), { timeout: 60_000 }).not.toBe('');
}

/** Shows the subtraction in a window by its key: the overlay drawn on the slice shown, the window chosen; then hides it. */
async function subtractionWindow(key: string, window: string) {
  await subtractionReady();
  await page.keyboard.press(key);
  await expect.poll(() => page.getByTestId('subtraction-window').inputValue()).toBe(window);
  await expect.poll(async () => overlay().getAttribute('data-drawn-slice')).toBe(String(await sliceOf('current')));
  await page.keyboard.press('o');
  await expect.poll(() => overlay().count()).toBe(0);
}

const selectedLabel = () => page.locator('[data-testid="lesion"].selected').evaluateAll((items) => items[0]?.getAttribute('data-label') ?? '');

async function openRead(subject: string, column: number) {
  await page.getByTestId('tab-worklist').click();
  await page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`).nth(column).locator('button').click();
  await expect.poll(() => pane('current').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
  await expect.poll(() => pane('comparator').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
  await expect.poll(() => pane('comparator').getByTestId('alignment-note').innerText(), { timeout: 60_000 }).toMatch(/^aligned/);
}

/** Opens a cord or optic read, takes an extent tool by its key, sees its draft (and does `meanwhile`), drops it with Escape, and goes back to the brain read. */
async function extentDraftCheck(column: number, key: string, draft: string, meanwhile: () => Promise<void> = async () => {}) {
  await openRead('001', column);
  await page.keyboard.press(key);
  await page.getByTestId(draft).waitFor();
  await meanwhile();
  await page.keyboard.press('Escape');
  await page.getByTestId(draft).waitFor({ state: 'detached' });
  await openRead('001', 3);
}

/** Selects a lesion in the panel (a click on a selected one would clear the selection). */
async function selectLesion(label: string) {
  const item = page.locator(`[data-testid="lesion"][data-label="${label}"]`);
  if (!(await item.getAttribute('class'))?.split(' ').includes('selected')) await item.locator('.lesion-head').click();
  await expect.poll(() => item.getAttribute('class')).toMatch(/\bselected\b/);
}

async function toggled(box: Locator, key: string) {
  const before = await box.isChecked();
  await page.keyboard.press(key);
  await expect.poll(() => box.isChecked()).toBe(!before);
  await page.keyboard.press(key);
  await expect.poll(() => box.isChecked()).toBe(before);
}

/** What each command is seen to do, written by hand: a command without a check here fails the test below. */
const CHECKS: Readonly<Record<string, (key: string) => Promise<void>>> = {
  help: async (key) => {
    await page.keyboard.press(key);
    await page.getByTestId('help').waitFor();
    await page.keyboard.press(key);
    await page.getByTestId('help').waitFor({ state: 'detached' });
  },
  'close-help': async (key) => {
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    await page.keyboard.press(key);
    await page.getByTestId('help').waitFor({ state: 'detached' });
    expect(await page.getByTestId('reading-view').count()).toBe(1);
  },
  'slice-next': async (key) => {
    const before = await sliceOf('current');
    await page.keyboard.press(key);
    await expect.poll(() => sliceOf('current')).toBe(before + 1);
  },
  'slice-previous': async (key) => {
    const before = await sliceOf('current');
    await page.keyboard.press(key);
    await expect.poll(() => sliceOf('current')).toBe(before - 1);
  },
  'page-next': async (key) => {
    const before = await sliceOf('current');
    await page.keyboard.press(key);
    await expect.poll(() => sliceOf('current')).toBeGreaterThan(before + 1);
  },
  'page-previous': async (key) => {
    const before = await sliceOf('current');
    await page.keyboard.press(key);
    await expect.poll(() => sliceOf('current')).toBeLessThan(before - 1);
  },
  'nudge-down': async (key) => {
    // Mid-stack, where the comparator has slices on both sides of the one that matches.
    const middle = Math.floor(Number(await pane('current').getAttribute('data-slice-count')) / 2);
    while ((await sliceOf('current')) < middle) {
      const at = await sliceOf('current');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => sliceOf('current')).toBe(at + 1);
    }
    const before = await sliceOf('comparator');
    await page.keyboard.press(key);
    await expect.poll(() => sliceOf('comparator')).toBe(before + 1);
    await expect.poll(() => pane('comparator').getByTestId('alignment-note').innerText()).toBe('aligned by hand');
  },
  'nudge-up': async (key) => {
    const before = await sliceOf('comparator');
    await page.keyboard.press(key);
    await expect.poll(() => sliceOf('comparator')).toBe(before - 1);
  },
  realign: async (key) => {
    await page.keyboard.press(key);
    await expect.poll(() => pane('comparator').getByTestId('alignment-note').innerText(), { timeout: 60_000 }).toMatch(/^aligned automatically/);
  },
  'window-file': async (key) => {
    const file = await windowText();
    await page.keyboard.press('3');
    await expect.poll(windowText).not.toBe(file);
    await page.keyboard.press(key);
    await expect.poll(windowText).toBe(file);
  },
  'window-lesions': async (key) => {
    // 001's brain is FLAIR: half the file's width.
    const file = widthOf(await windowText());
    await page.keyboard.press(key);
    await expect.poll(async () => widthOf(await windowText())).toBe(Math.round(file * 0.5));
    expect(await page.getByTestId('confirmation').innerText()).toBe('Window: lesions: FLAIR hyperintensities against white matter.');
    await page.keyboard.press('1');
    await expect.poll(async () => widthOf(await windowText())).toBe(file);
  },
  'window-anatomy': async (key) => {
    const file = widthOf(await windowText());
    await page.keyboard.press(key);
    await expect.poll(async () => widthOf(await windowText())).toBe(Math.round(file * 1.6));
    await page.keyboard.press('1');
    await expect.poll(async () => widthOf(await windowText())).toBe(file);
  },
  'reset-view': async (key) => {
    const file = await windowText();
    await page.keyboard.press('2');
    await expect.poll(windowText).not.toBe(file);
    await page.keyboard.press(key);
    await expect.poll(windowText).toBe(file);
  },
  invert: async (key) => {
    await page.keyboard.press(key);
    await expect.poll(() => pane('current').innerText()).toMatch(/inverted/);
    await page.keyboard.press(key);
    await expect.poll(() => pane('current').innerText()).not.toMatch(/inverted/);
  },
  layout: async (key) => {
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('reading-pane').count()).toBe(4);
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('reading-pane').count()).toBe(2);
  },
  mpr: async (key) => {
    // The axial 2D series is a volume too (36 slices, 4 mm apart): three planes over the comparator's, then 2D again.
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('mpr-view').count()).toBe(6);
    await expect.poll(() => page.locator('[data-testid="mpr-view"][data-row="current"][data-axis="sagittal"]').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('reading-pane').count()).toBe(2);
    await expect.poll(() => pane('current').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
  },
  'sync-slices': (key) => toggled(page.getByTestId('sync-slices'), key),
  'sync-window': (key) => toggled(page.getByTestId('sync-window'), key),
  'sync-zoom-pan': (key) => toggled(page.getByTestId('sync-zoomPan'), key),
  'region-next': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(title).toMatch(/^001 · Spinal cord · Week 12/);
  },
  'region-previous': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(title).toMatch(/^001 · Brain · Week 12/);
  },
  'participant-next': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(title).toMatch(/^002 · Brain · Week 12/);
  },
  'participant-previous': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(title).toMatch(/^001 · Brain · Week 12/);
  },
  'visit-next': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(title).toMatch(/^001 · Brain · Week 24/);
  },
  'visit-previous': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(title).toMatch(/^001 · Brain · Week 12/);
  },
  'lesion-new': async (key) => {
    await page.keyboard.press(key);
    await page.getByTestId('measuring').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('measuring').waitFor({ state: 'detached' });
  },
  'lesion-measure': async (key) => {
    await selectLesion('B1');
    await page.keyboard.press(key);
    await page.getByTestId('measuring').waitFor();
    await page.keyboard.press('Escape');
  },
  cancel: async (key) => {
    await page.keyboard.press('n');
    await page.getByTestId('measuring').waitFor();
    await page.keyboard.press(key);
    await page.getByTestId('measuring').waitFor({ state: 'detached' });
    await page.keyboard.press('d');
    await expect.poll(checkTool).toBe('length');
    await page.keyboard.press(key);
    await expect.poll(checkTool).toBe('');
    // With nothing in hand, Esc stays in the reading room.
    await page.keyboard.press(key);
    expect(await page.getByTestId('reading-view').count()).toBe(1);
    expect(await title()).toMatch(/^001 · Brain · Week 12/);
  },
  'lesion-next': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(selectedLabel).toMatch(/^B\d$/);
    const first = await selectedLabel();
    await page.keyboard.press(key);
    await expect.poll(selectedLabel).not.toBe(first);
  },
  'lesion-previous': async (key) => {
    await page.keyboard.press('j');
    await expect.poll(selectedLabel).toMatch(/^B\d$/);
    const first = await selectedLabel();
    await page.keyboard.press('j');
    await expect.poll(selectedLabel).not.toBe(first);
    await page.keyboard.press(key);
    await expect.poll(selectedLabel).toBe(first);
  },
  cine: async (key) => {
    const [current, comparator] = [await sliceOf('current'), await sliceOf('comparator')];
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('cine').getAttribute('aria-pressed')).toBe('true');
    // Both panes move: the current one plays, the comparator follows it.
    await expect.poll(() => sliceOf('current')).not.toBe(current);
    await expect.poll(() => sliceOf('comparator')).not.toBe(comparator);
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('cine').getAttribute('aria-pressed')).toBe('false');
  },
  'cine-faster': async (key) => {
    const rate = page.getByTestId('cine-rate');
    const before = Number(await rate.inputValue());
    await page.keyboard.press(key);
    await expect.poll(async () => Number(await rate.inputValue())).toBeGreaterThan(before);
    await page.keyboard.press('-');
    await expect.poll(async () => Number(await rate.inputValue())).toBe(before);
  },
  'cine-slower': async (key) => {
    const rate = page.getByTestId('cine-rate');
    const before = Number(await rate.inputValue());
    await page.keyboard.press(key);
    await expect.poll(async () => Number(await rate.inputValue())).toBeLessThan(before);
    await page.keyboard.press('=');
    await expect.poll(async () => Number(await rate.inputValue())).toBe(before);
  },
  'check-length': async (key) => {
    await checkWith(key, 'length', true, 0);
    // 40 x 30 px is 50 px across: some millimetres, whatever the zoom.
    await expect.poll(annotationText).toMatch(/\d+(\.\d+)? mm/);
  },
  'check-ellipse': async (key) => {
    await checkWith(key, 'ellipse', true, 1);
    await expect.poll(annotationText).toMatch(/Area: [\d.]+ mm/);
    await expect.poll(annotationText).toMatch(/Mean: [\d.]+/);
    await expect.poll(annotationText).toMatch(/Std Dev: [\d.]+/);
  },
  'check-probe': async (key) => {
    await checkWith(key, 'probe', false, 2);
    await saveScreenshot(page, 'e2e-checks', '[data-testid="reading-view"]');
    // The value under the point: a number (the middle of the pane is on the image).
    await expect.poll(() => pane('current').getByTestId('probe').count()).toBe(1);
    expect(await pane('current').getByTestId('probe').textContent()).toMatch(/^\d+(\.\d+)?$/);
  },
  marks: async (key) => {
    const toggle = page.getByTestId('marks-toggle');
    await page.keyboard.press(key);
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press(key);
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
  },
  maximise: async (key) => {
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('reading-view').getAttribute('data-maximised')).toBe('W12');
    await expect.poll(() => page.locator('[data-testid="reading-pane"]:visible').count()).toBe(1);
    // Esc restores the layout; a double-click maximises the pane clicked, and restores it.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="reading-pane"]:visible').count()).toBe(2);
    await pane('comparator').dblclick();
    await expect.poll(() => page.getByTestId('reading-view').getAttribute('data-maximised')).toBe('W0');
    await pane('comparator').dblclick();
    await expect.poll(() => page.locator('[data-testid="reading-pane"]:visible').count()).toBe(2);
  },
  'aligned-view': async (key) => {
    // The test runs with the comparator as acquired (the nudges above want its own slices): the key brings the aligned view, and takes it away.
    await subtractionReady();
    await page.keyboard.press(key);
    await expect.poll(() => pane('comparator').getAttribute('data-view')).toBe('resampled');
    await expect.poll(() => pane('comparator').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    expect(await pane('comparator').getByTestId('derived-note').innerText()).toBe('aligned (resampled)');
    // On the current series' grid: the same slice as the current pane.
    await expect.poll(async () => (await sliceOf('comparator')) === (await sliceOf('current'))).toBe(true);
    await page.keyboard.press(key);
    await expect.poll(() => pane('comparator').getAttribute('data-view')).toBe('native');
  },
  subtraction: async (key) => {
    await subtractionReady();
    await page.keyboard.press(key);
    await expect.poll(async () => overlay().getAttribute('data-drawn-slice')).toBe(String(await sliceOf('current')));
    await page.keyboard.press(key);
    await expect.poll(() => overlay().count()).toBe(0);
  },
  'subtraction-subtle': (key) => subtractionWindow(key, 'subtle'),
  'subtraction-standard': (key) => subtractionWindow(key, 'standard'),
  'subtraction-strong': (key) => subtractionWindow(key, 'strong'),
  'subtraction-opacity': async (key) => {
    const opacity = page.getByTestId('subtraction-opacity');
    const before = Number(await opacity.inputValue());
    await page.keyboard.press(key);
    await expect.poll(async () => Number(await opacity.inputValue())).toBe(before === 1 ? 0.25 : before + 0.25);
    await expect.poll(() => overlay().count()).toBe(1);
    await page.keyboard.press('o');
    await expect.poll(() => overlay().count()).toBe(0);
  },
  crosshair: async (key) => {
    await page.keyboard.press(key);
    const box = (await pane('current').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.55);
    // A cross under the pointer, and one on the comparator where the alignment carries that point.
    await expect.poll(() => crossAt('current')).toEqual([expect.closeTo(box.width * 0.45, 0), expect.closeTo(box.height * 0.55, 0)]);
    await expect.poll(() => pane('comparator').getByTestId('crosshair').count()).toBe(1);
    // The pointer over the comparator moves the current pane's cross too.
    const before = await crossAt('current');
    const other = (await pane('comparator').boundingBox())!;
    await page.mouse.move(other.x + other.width * 0.55, other.y + other.height * 0.45);
    await expect.poll(() => crossAt('current')).not.toEqual(before);
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('crosshair').count()).toBe(0);
  },
  'candidate-next': async (key) => {
    await subtractionReady();
    await page.keyboard.press(key);
    await expect.poll(() => selectedCandidate().getAttribute('data-status')).toBe('unreviewed');
    // Every pane goes to it: the current one to its slice.
    await expect.poll(async () => String(await sliceOf('current'))).toBe(await selectedCandidate().getAttribute('data-slice-index'));
  },
  'candidate-previous': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(() => selectedCandidate().getAttribute('data-status')).toBe('unreviewed');
    await expect.poll(async () => String(await sliceOf('current'))).toBe(await selectedCandidate().getAttribute('data-slice-index'));
  },
  'candidate-confirm': async (key) => {
    // On the spinal cord (a new lesion at week 12): the brain's lesions stay as the tests below expect them.
    await page.keyboard.press(']');
    await expect.poll(title).toMatch(/^001 · Spinal cord · Week 12/);
    await subtractionReady();
    const lesions = await page.getByTestId('lesion').count();
    await page.keyboard.press('u');
    await expect.poll(() => selectedCandidate().getAttribute('data-status')).toBe('unreviewed');
    const id = (await selectedCandidate().getAttribute('data-candidate'))!;
    await page.keyboard.press(key);
    await expect.poll(() => page.locator(`[data-testid="candidate"][data-candidate="${id}"]`).getAttribute('data-status')).toBe('confirmed');
    // Recorded as a drawn lesion would be, and said back.
    await expect.poll(() => page.getByTestId('lesion').count()).toBe(lesions + 1);
    await expect.poll(() => page.getByTestId('confirmation').innerText()).toMatch(/^Saved: S\d+ at W12, [\d.]+ mm, new\./);
    await page.keyboard.press('[');
    await expect.poll(title).toMatch(/^001 · Brain · Week 12/);
  },
  'candidate-dismiss': async (key) => {
    await subtractionReady();
    await page.keyboard.press('u');
    await expect.poll(() => selectedCandidate().getAttribute('data-status')).toBe('unreviewed');
    const id = (await selectedCandidate().getAttribute('data-candidate'))!;
    const count = await page.getByTestId('count-new').innerText();
    await page.keyboard.press(key);
    await expect.poll(() => page.locator(`[data-testid="candidate"][data-candidate="${id}"]`).getAttribute('data-status')).toBe('dismissed');
    expect(await page.getByTestId('count-new').innerText()).toBe(count);
  },
  // The extent tools take clicks on a cord (W12, column 4) or optic (column 5) read; each shows what it gathers, and Escape drops it.
  'extent-ruler': (key) => extentDraftCheck(4, key, 'ruler-draft'),
  'extent-trace': (key) => extentDraftCheck(5, key, 'trace-draft'),
  'extent-ends': (key) => extentDraftCheck(4, key, 'ends-draft'),
  // Saving a ruler before two bodies are clicked: said, and nothing is sent.
  'extent-save': (key) =>
    extentDraftCheck(4, 'b', 'ruler-draft', async () => {
      await page.keyboard.press(key);
      await expect.poll(() => page.getByTestId('reading-view').innerText()).toMatch(/Click the centres of at least two labelled vertebral bodies/);
    }),
  'close-reading': async (key) => {
    await page.keyboard.press(key);
    await page.getByTestId('worklist').waitFor();
    await openRead('001', 3);
  },
  'viewer-slice-next': async (key) => {
    const viewport = page.getByTestId('viewport');
    const before = Number(await viewport.getAttribute('data-slice-index'));
    await page.keyboard.press(key);
    await expect.poll(async () => Number(await viewport.getAttribute('data-slice-index'))).toBe(before + 1);
  },
  'viewer-slice-previous': async (key) => {
    const viewport = page.getByTestId('viewport');
    const before = Number(await viewport.getAttribute('data-slice-index'));
    await page.keyboard.press(key);
    await expect.poll(async () => Number(await viewport.getAttribute('data-slice-index'))).toBe(before - 1);
  },
  'viewer-page-next': async (key) => {
    const viewport = page.getByTestId('viewport');
    const before = Number(await viewport.getAttribute('data-slice-index'));
    await page.keyboard.press(key);
    await expect.poll(async () => Number(await viewport.getAttribute('data-slice-index'))).toBeGreaterThan(before + 1);
  },
  'viewer-page-previous': async (key) => {
    const viewport = page.getByTestId('viewport');
    const before = Number(await viewport.getAttribute('data-slice-index'));
    await page.keyboard.press(key);
    await expect.poll(async () => Number(await viewport.getAttribute('data-slice-index'))).toBeLessThan(before - 1);
  },
  'viewer-reset': async (key) => {
    const level = page.getByTestId('window-level');
    const file = await level.innerText();
    await page.keyboard.press('i');
    await expect.poll(() => page.getByTestId('viewport').innerText()).toMatch(/inverted/);
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('viewport').innerText()).not.toMatch(/inverted/);
    expect(await level.innerText()).toBe(file);
  },
  'viewer-invert': async (key) => {
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('viewport').innerText()).toMatch(/inverted/);
    await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('viewport').innerText()).not.toMatch(/inverted/);
  },
};

beforeAll(async () => {
  ({ session } = await openDemoSession());
  page = session.page;
  const client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  await chooseDemoReader(client);
  // Two lesions at W12 of 001's brain, for the commands and forms that need a lesion.
  const participantId = (await client.trialSetup({})).participants.find((item) => item.subjectCode === '001')!.id;
  for (const size of [5, 7]) await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: size } } });
  await page.reload();
});

afterAll(async () => {
  await session?.close();
});

describe('the command table', () => {
  it('has a check written here for every command, and the help lists every command with its keys', async () => {
    expect(Object.keys(CHECKS).sort()).toEqual(COMMANDS.map((command) => command.id).sort());
    await openRead('001', 3);
    await page.keyboard.press('?');
    const rows = page.getByTestId('help-keys');
    await rows.first().waitFor();
    const listed = Object.fromEntries(await rows.evaluateAll((items) => items.map((item) => [item.getAttribute('data-command'), item.textContent])));
    // The reading room is open: its commands and the app's are listed, with the keys the table gives them.
    for (const command of COMMANDS.filter((item) => item.scope !== 'viewer')) expect(listed[command.id], command.id).toBe(command.keys.map(keyLabel).join(' '));
    await saveScreenshot(page, 'e2e-help-overlay');
    await page.keyboard.press('?');
  });

  it('runs what each reading-room and app key says', async () => {
    await showAcquiredComparator(page);
    for (const command of COMMANDS.filter((item) => item.scope !== 'viewer')) {
      for (const key of command.keys) await CHECKS[command.id]!(key);
    }
    expect(session.problems).toEqual([]);
  });

  it('runs what each image-viewer key says', async () => {
    await page.getByTestId('tab-images').click();
    await page.getByTestId('series-row').filter({ hasText: 'FLAIR' }).first().click();
    await expect.poll(() => page.getByTestId('viewport').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    // Off the first slice, so that every step can be seen both ways.
    await page.keyboard.press('PageDown');
    await expect
      .poll(async () => Number(await page.getByTestId('viewport').getAttribute('data-slice-index')))
      .toBeGreaterThan(0)
      .catch(async (error: unknown) => {
        // Failed once in CI under load and never locally: say what the viewer showed, for the next look.
        const viewport = page.getByTestId('viewport');
        const shown = await viewport.evaluate((element) => ({ ...element.dataset, text: element.textContent }));
        throw new Error(`${String(error)}; the viewer: ${JSON.stringify(shown)}; page problems: ${JSON.stringify(session.problems)}`);
      });
    for (const command of COMMANDS.filter((item) => item.scope === 'viewer')) {
      for (const key of command.keys) await CHECKS[command.id]!(key);
    }
  });
});

describe('the lesion panel', () => {
  it('keeps what is typed for one lesion on that lesion only', async () => {
    await openRead('001', 3);
    const row = (label: string) => page.locator(`[data-testid="lesion"][data-label="${label}"]`);
    await selectLesion('B1');
    await row('B1').getByLabel('Status override').selectOption('stable');
    await row('B1').getByTestId('override-reason').fill('motion at the vertex');
    await selectLesion('B2');
    expect(await row('B2').getByTestId('override-reason').inputValue()).toBe('');
    expect(await row('B2').getByLabel('Status override').inputValue()).toBe('');
    // Back to B1: its own draft is still there, not lost and not moved.
    await selectLesion('B1');
    expect(await row('B1').getByTestId('override-reason').inputValue()).toBe('motion at the vertex');
    expect(await row('B1').getByLabel('Status override').inputValue()).toBe('stable');
  });
});

describe('measuring', () => {
  it('shows the length while drawing and on the mark, and measures again when the diameter is moved by its ends', async () => {
    await openRead('001', 3);
    const box = (await pane('current').boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.keyboard.press('n');
    await page.getByTestId('measure-layer').waitFor();
    await page.mouse.move(x - 20, y);
    await page.mouse.down();
    await page.mouse.move(x + 20, y, { steps: 4 });
    await expect.poll(() => page.getByTestId('live-length').textContent()).toMatch(/^\d+\.\d mm$/);
    const drawing = Number.parseFloat((await page.getByTestId('live-length').textContent())!);
    await page.mouse.up();

    await expect.poll(() => page.locator('[data-testid="lesion"].selected').getAttribute('data-label')).toBe('B3');
    const mark = pane('current').locator('[data-testid="mark"][data-label="B3"]');
    await expect.poll(async () => Number.parseFloat((await mark.getByTestId('mark-length').textContent()) ?? '')).toBeCloseTo(drawing, 0);
    await saveScreenshot(page, 'e2e-mark-length', '[data-testid="reading-pane"][data-role="current"]');

    // The far end dragged 20 px further: the same lesion, measured again at this visit, half as long again.
    const handle = (await mark.getByTestId('mark-handle').nth(1).boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 20, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.up();
    const participantId = (await createClient((name, payload) => session.workstation.dispatch(name, payload)).trialSetup({})).participants.find((item) => item.subjectCode === '001')!.id;
    const diameter = async () => {
      const lesions = await createClient((name, payload) => session.workstation.dispatch(name, payload)).listLesions({ participantId });
      const finding = lesions.find((lesion) => lesion.label === 'B3')!.observations.find((observation) => observation.visitCode === 'W12')!.finding;
      return finding.kind === 'measured' ? finding.longestDiameterMm : 0;
    };
    await expect.poll(diameter).toBeGreaterThan(drawing * 1.4);
    await expect.poll(async () => Number.parseFloat((await mark.getByTestId('mark-length').textContent()) ?? '')).toBeCloseTo(await diameter(), 0);
    expect(await page.getByTestId('lesion').count()).toBe(3);
    // The audit trail has the edit: the observation updated from the drawn length to the new one, by the reader.
    const trail = await createClient((name, payload) => session.workstation.dispatch(name, payload)).auditTrail({ participantId });
    const edit = trail.entries.filter((entry) => entry.action === 'observation.update').at(-1)!;
    expect((edit.newValue as { finding: { longestDiameterMm: number } }).finding.longestDiameterMm).toBe(await diameter());
    // The value before, as the row stood.
    expect((edit.oldValue as { longest_diameter_mm: number }).longest_diameter_mm).toBeCloseTo(drawing, 0);
    expect(edit.actor).toMatch(/^reader:\d+:Demo reader$/);

    // Ctrl+wheel zooms about the cursor: the mark grows on screen, and the other pane follows (zoom sync).
    const onScreen = async () => (await mark.locator('line').first().boundingBox())!.width;
    const before = await onScreen();
    await page.mouse.move(x, y);
    await page.keyboard.down('Control');
    // Three notches away from the reader: 1.15 cubed, about half as large again.
    for (let notch = 0; notch < 3; notch += 1) await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await expect.poll(onScreen).toBeGreaterThan(before * 1.4);
    expect(await title()).toMatch(/^001 · Brain · Week 12/);
  });

  it('updates the counts panel with the one request a mark needs, and asks again only for the read’s candidates', async () => {
    await openRead('001', 3);
    await page.waitForLoadState('networkidle');
    const sent: string[] = [];
    const listen = (request: { url(): string }) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/api/')) sent.push(path);
    };
    page.on('request', listen);
    const before = Number(await page.getByTestId('count-new').innerText());
    const box = (await pane('current').boundingBox())!;
    await page.keyboard.press('n');
    await page.getByTestId('measure-layer').waitFor();
    await page.mouse.move(box.x + box.width / 2 - 30, box.y + box.height / 2 + 30);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 10, box.y + box.height / 2 + 30, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Number(await page.getByTestId('count-new').innerText())).toBe(before + 1);
    // Quiet afterwards: nothing else was asked for.
    await page.waitForLoadState('networkidle');
    page.off('request', listen);
    // The read's candidates are asked again: a lesion drawn on one makes it "already marked".
    expect(sent).toEqual(['/api/createLesion', '/api/candidates']);
  });

  it('says what each finding recorded at once, and offers each action in one place', async () => {
    await openRead('001', 3);
    await selectLesion('B1');
    const row = page.locator('[data-testid="lesion"][data-label="B1"]');
    // The override offers counting statuses only: resolved and not evaluable are findings, with their own buttons.
    const options = await row.getByLabel('Status override').locator('option').allInnerTexts();
    expect(options).toEqual(['keep the suggestion', 'new', 'enlarging', 'stable', 'shrinking']);
    await row.getByRole('button', { name: 'Not evaluable' }).click();
    await expect.poll(() => page.getByTestId('confirmation').innerText()).toBe('Saved: B1 at W12, not evaluable.');
    await expect.poll(() => row.locator('.chip.here').innerText()).toBe('W12 not evaluable');
  });
});
