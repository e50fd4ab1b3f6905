// The reading room's speed, measured in headless Chromium with the page's own
// clock: opening a participant's region until both panes show an image,
// beside fetching and decoding the two images shown, from the same host in
// the same page (bench/reading-floor.ts); scrolling two synced panes beside
// one pane with sync off; renderer heap after 12 openings beside after the
// first, both taken with the reading view closed. Each opening is left to
// settle (alignment found, every slice fetched) before anything else is measured.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type SeriesImages, instancePath } from '../shared/contract';
import { openSession, type Session } from '../test/helpers/browser';
import type { InstanceToDecode } from './reading-floor';
import { emit, median, round } from './report';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** bench/reading-floor.ts, built by scripts/build.mjs. */
const READING_FLOOR_SCRIPT = join(root, 'dist', 'bench', 'reading-floor.js');

const BRAIN_W12 = 3; // worklist column: week 12, brain
const SPINE_W12 = 4;

/** A pane as the timed opening left it: its series, and the slice it showed first. */
interface OpenedPane {
  seriesId: number;
  index: number;
}

/** Clicks a worklist cell; returns the page's time until every pane has drawn an image, and what the panes showed. */
async function openAndTime(page: Page, subject: string, column: number): Promise<{ ms: number; panes: OpenedPane[] }> {
  await page.getByTestId('tab-worklist').click();
  await page.getByTestId('worklist').waitFor();
  return page.evaluate(
    ({ subject, column }) =>
      new Promise<{ ms: number; panes: OpenedPane[] }>((resolve) => {
        const start = performance.now();
        const panes = () => [...document.querySelectorAll('[data-testid="reading-pane"][data-series-id]')];
        const done = () => panes().length === 2 && panes().every((pane) => pane.getAttribute('data-rendered') === 'true');
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          const ms = performance.now() - start;
          resolve({ ms, panes: panes().map((pane) => ({ seriesId: Number(pane.getAttribute('data-series-id')), index: Number(pane.getAttribute('data-slice-index')) })) });
        });
        observer.observe(document.body, { subtree: true, attributes: true, childList: true });
        const cell = document.querySelectorAll(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`)[column];
        (cell!.querySelector('button') as HTMLButtonElement).click();
      }),
    { subject, column },
  );
}

/** Instances the page has fetched, and a wait for more: how the bench knows the viewer's prefetch is done. */
export function watchInstanceFetches(page: Page): (instanceIds: readonly number[]) => Promise<void> {
  const fetched = new Set<number>();
  let arrived: () => void = () => {};
  page.on('requestfinished', (request) => {
    const match = /^\/instances\/[0-9a-f]{32}\/(\d+)$/.exec(new URL(request.url()).pathname);
    if (!match) return;
    fetched.add(Number(match[1]));
    arrived();
  });
  return async (instanceIds) => {
    while (!instanceIds.every((id) => fetched.has(id))) await new Promise<void>((resolve) => (arrived = resolve));
  };
}

export async function seriesImages(session: Session, seriesId: number): Promise<SeriesImages> {
  const answer = await session.workstation.dispatch('seriesImages', { seriesId });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as SeriesImages;
}

/**
 * Opens a region, waits until the layout has settled (the comparator's
 * alignment found, every slice of both panes fetched) and returns the time
 * to first images and those images.
 */
async function openSettled(session: Session, fetchedAll: (instanceIds: readonly number[]) => Promise<void>, subject: string, column: number): Promise<{ ms: number; shown: InstanceToDecode[] }> {
  const { page } = session;
  const opened = await openAndTime(page, subject, column);
  const stacks = await Promise.all(opened.panes.map((pane) => seriesImages(session, pane.seriesId)));
  await page.waitForFunction(() => {
    const notes = [...document.querySelectorAll('[data-testid="alignment-note"]')];
    return notes.length > 0 && notes.every((note) => note.textContent !== 'aligning…');
  });
  await fetchedAll(stacks.flatMap((stack) => stack.images.map((image) => image.instanceId)));
  const shown = opened.panes.map((pane, index) => {
    const { store, images } = stacks[index]!;
    const image = images[pane.index]!;
    return { url: instancePath(store, image.instanceId), frame: image.frame };
  });
  return { ms: opened.ms, shown };
}

/** The floor: the images the panes showed, fetched by the same page from the same host and decoded (bench/reading-floor.ts). */
async function fetchAndDecodeTime(page: Page, instances: readonly InstanceToDecode[]): Promise<number> {
  return page.evaluate(async (toDecode) => {
    const decode = (globalThis as unknown as { lesiontrackReadingFloor: (instance: InstanceToDecode) => Promise<unknown> }).lesiontrackReadingFloor;
    const start = performance.now();
    await Promise.all(toDecode.map(decode));
    return performance.now() - start;
  }, instances);
}

/** Steps the current pane up and down `steps` times, each step waiting for its image; returns steps per second. */
async function scrollRate(page: Page, steps: number): Promise<number> {
  return page.evaluate(async (count) => {
    const current = document.querySelector('[data-testid="reading-pane"][data-role="current"]')!;
    const total = Number(current.getAttribute('data-slice-count'));
    const changed = (before: string | null) =>
      new Promise<void>((resolve) => {
        const check = () => (current.getAttribute('data-slice-index') !== before ? resolve() : requestAnimationFrame(check));
        check();
      });
    const start = performance.now();
    let direction = 1;
    for (let step = 0; step < count; step += 1) {
      const index = Number(current.getAttribute('data-slice-index'));
      if (index + direction < 0 || index + direction >= total) direction = -direction;
      const before = current.getAttribute('data-slice-index');
      window.dispatchEvent(new KeyboardEvent('keydown', { key: direction > 0 ? 'ArrowDown' : 'ArrowUp' }));
      await changed(before);
      // One more frame: the other panes draw in it.
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return count / ((performance.now() - start) / 1000);
  }, steps);
}

/** Renderer heap after garbage collection, with the reading view closed: the same state at every sample. */
export async function heapWithReadingClosedMb(page: Page): Promise<number> {
  await page.getByTestId('tab-worklist').click();
  await page.getByTestId('worklist').waitFor();
  await page.getByTestId('reading-view').waitFor({ state: 'detached' });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize / 1e6;
}

export async function benchReadingRoom(): Promise<void> {
  const session = await openSession();
  try {
    await session.workstation.openDemo();
    const { page } = session;
    const fetchedAll = watchInstanceFetches(page);
    await page.goto(session.host.url);
    await page.evaluate(readFileSync(READING_FLOOR_SCRIPT, 'utf8'));
    const worklist = await session.workstation.dispatch('worklist', {});
    if (!worklist.ok) throw new Error('no worklist');
    const subjects = (worklist.value as { rows: { subjectCode: string }[] }).rows.map((row) => row.subjectCode);

    // Opening: each participant's brain at week 12 beside week 0 (36 slices each), first time.
    const opens: number[] = [];
    const floors: number[] = [];
    let firstHeap = 0;
    for (const [index, subject] of subjects.entries()) {
      const opened = await openSettled(session, fetchedAll, subject, BRAIN_W12);
      opens.push(opened.ms);
      floors.push(await fetchAndDecodeTime(page, opened.shown));
      // The last layout stays open for scrolling.
      if (index === 0) firstHeap = await heapWithReadingClosedMb(page);
    }
    emit({ case: 'reading-open', metric: `open a participant's brain, week 12 beside week 0, until both panes show an image (median of ${opens.length})`, unit: 'ms', value: round(median(opens)), peer: 'fetch and decode the two images shown, from the same host', peer_value: round(median(floors)), ratio: round(median(opens) / median(floors), 2) });

    // Scrolling: the last opened layout, synced, then with slice sync off (one pane moving).
    const synced = await scrollRate(page, 100);
    await page.getByTestId('sync-slices').click();
    const single = await scrollRate(page, 100);
    await page.getByTestId('sync-slices').click();
    emit({ case: 'reading-scroll', metric: 'slices per second stepping 100 slices, two synced panes', unit: 'slices/s', value: round(synced), peer: 'one pane, slice sync off', peer_value: round(single), ratio: round(synced / single, 2) });

    // Memory: 12 openings (6 participants x brain and spinal cord).
    for (const subject of subjects) await openSettled(session, fetchedAll, subject, SPINE_W12);
    const afterTwelve = await heapWithReadingClosedMb(page);
    emit({ case: 'reading-memory', metric: 'renderer JS heap after opening 12 participant regions one after another, reading view closed', unit: 'MB', value: round(afterTwelve), peer: 'after the first opening, reading view closed', peer_value: round(firstHeap), ratio: round(afterTwelve / firstHeap, 2) });
    if (session.problems.length > 0) throw new Error(`the page reported problems: ${session.problems.join('; ')}`);
  } finally {
    await session.close();
  }
}
