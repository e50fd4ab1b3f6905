// The MPR layout's speed, in headless Chromium with the page's own clock:
// opening a participant's brain in three planes (current and comparator)
// until every view shows its volume, beside fetching the two series' bytes
// from the same host in the same page; the same for the 3D FLAIR (192
// slices) chosen in the layout; scrolling a plane beside scrolling the 2D
// layout's stack; and the renderer's memory (JS heap and array buffers,
// where the volumes' voxels live) after 12 openings beside after the first.
import type { Page } from 'playwright-core';
import { instancePath, type SeriesImages } from '../shared/contract';
import { openSession, type Session } from '../test/helpers/browser';
import { seriesImages } from './reading-browser';
import { emit, median, round } from './report';

const BRAIN_W12 = 3; // worklist columns: week 12 and week 24, brain
const BRAIN_W24 = 6;

/** Runs an action that opens volumes; returns the page's time until the six views show them, and until every slice is in. */
async function timeMpr(page: Page, action: () => Promise<void>): Promise<{ firstMs: number; loadedMs: number }> {
  const start = await page.evaluate(() => performance.now());
  await action();
  await page.waitForFunction(() => {
    const views = [...document.querySelectorAll('[data-testid="mpr-view"]')];
    return views.length === 6 && views.every((view) => view.getAttribute('data-rendered') === 'true');
  }, undefined, { polling: 'raf', timeout: 120_000 });
  const firstMs = (await page.evaluate(() => performance.now())) - start;
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="mpr-progress"]').length === 0 && document.querySelectorAll('[data-testid="mpr-view"][data-rendered="true"]').length === 6, undefined, { polling: 'raf', timeout: 180_000 });
  return { firstMs, loadedMs: (await page.evaluate(() => performance.now())) - start };
}

/** The peer: every file of the series fetched by the same page from the same host (not from its cache), as many at once as the browser allows. */
async function fetchSeriesMs(page: Page, stacks: readonly SeriesImages[]): Promise<number> {
  const urls = stacks.flatMap(({ store, images }) => [...new Set(images.map((image) => instancePath(store, image.instanceId)))]);
  return page.evaluate(async (paths) => {
    const start = performance.now();
    await Promise.all(paths.map(async (path) => (await fetch(path, { cache: 'no-store' })).arrayBuffer()));
    return performance.now() - start;
  }, urls);
}

/** The series each row of the layout shows. */
async function shownSeries(session: Session): Promise<SeriesImages[]> {
  const ids = await session.page.evaluate(() => [...document.querySelectorAll('[data-testid="mpr-view"][data-axis="axial"]')].map((view) => Number(view.getAttribute('data-series-id'))));
  return Promise.all(ids.map((id) => seriesImages(session, id)));
}

async function openCell(page: Page, subject: string, column: number): Promise<void> {
  await page.getByTestId('tab-worklist').click();
  await page.getByTestId('worklist').waitFor();
  await page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`).nth(column).locator('button').click();
}

/** Steps with the arrow key `steps` times, each step waiting until the element's `attribute` (its position) reads differently and one more frame (the followers draw in it); returns steps per second. */
async function keyRate(page: Page, steps: number, selector: string, attribute: string): Promise<number> {
  return page.evaluate(
    async ({ count, selector, attribute }) => {
      const element = document.querySelector(selector)!;
      const position = () => element.getAttribute(attribute);
      const start = performance.now();
      let direction = 1;
      for (let step = 0; step < count; step += 1) {
        const before = position();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: direction > 0 ? 'ArrowDown' : 'ArrowUp' }));
        // At the end of the stack (or of the volume) a step moves nothing: turn round.
        const moved = await new Promise<boolean>((resolve) => {
          let frames = 0;
          const check = () => (position() !== before ? resolve(true) : (frames += 1) > 30 ? resolve(false) : requestAnimationFrame(check));
          check();
        });
        if (!moved) {
          direction = -direction;
          step -= 1;
          continue;
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return count / ((performance.now() - start) / 1000);
    },
    { count: steps, selector, attribute },
  );
}

/** The renderer's memory after garbage collection with the reading view closed: JS heap and the array buffers' backing stores (MB). */
async function memoryWithReadingClosed(page: Page): Promise<{ heapMb: number; buffersMb: number | null }> {
  await page.getByTestId('tab-worklist').click();
  await page.getByTestId('worklist').waitFor();
  await page.getByTestId('reading-view').waitFor({ state: 'detached' });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  await cdp.detach();
  return { heapMb: usage.usedSize / 1e6, buffersMb: usage.backingStorageSize === undefined ? null : usage.backingStorageSize / 1e6 };
}

export async function benchMpr(): Promise<void> {
  const session = await openSession();
  try {
    await session.workstation.openDemo();
    const { page } = session;
    await page.goto(session.host.url);
    const worklist = await session.workstation.dispatch('worklist', {});
    if (!worklist.ok) throw new Error('no worklist');
    const subjects = (worklist.value as { rows: { subjectCode: string }[] }).rows.map((row) => row.subjectCode);

    // The reading room keeps the MPR layout from read to read once asked for: asked on a first read, then closed.
    await openCell(page, subjects[0]!, BRAIN_W12);
    await page.locator('[data-testid="reading-pane"][data-role="current"][data-rendered="true"]').waitFor();
    await page.keyboard.press('Shift+M');
    await page.getByTestId('mpr-layout').waitFor();
    const first = await memoryWithReadingClosed(page);

    // Opening: each participant's brain at weeks 12 and 24 beside its comparator, the default (axial 2D FLAIR, 36 slices) in three planes: 12 openings.
    const firsts: number[] = [];
    const loads: number[] = [];
    const fetches: number[] = [];
    for (const column of [BRAIN_W12, BRAIN_W24]) {
      for (const subject of subjects) {
        const timed = await timeMpr(page, () => openCell(page, subject, column));
        firsts.push(timed.firstMs);
        loads.push(timed.loadedMs);
        fetches.push(await fetchSeriesMs(page, await shownSeries(session)));
      }
    }
    const count = firsts.length;
    emit({ case: 'mpr-open', metric: `open a participant's brain in three planes beside its comparator's (axial FLAIR, 36 slices each) until all six views show the volumes (median of ${count})`, unit: 'ms', value: round(median(firsts)), peer: "fetch both series' bytes from the same host in the same page", peer_value: round(median(fetches)), ratio: round(median(firsts) / median(fetches), 2) });
    emit({ case: 'mpr-open', metric: `the same until every slice of both volumes is in (median of ${count})`, unit: 'ms', value: round(median(loads)), peer: "fetch both series' bytes from the same host in the same page", peer_value: round(median(fetches)), ratio: round(median(loads) / median(fetches), 2) });
    const afterTwelve = await memoryWithReadingClosed(page);
    emit({ case: 'mpr-memory', metric: `renderer JS heap after opening ${count} participant regions in three planes one after another, reading view closed`, unit: 'MB', value: round(afterTwelve.heapMb), peer: 'after the first opening, reading view closed', peer_value: round(first.heapMb), ratio: round(afterTwelve.heapMb / first.heapMb, 2) });
    if (afterTwelve.buffersMb !== null && first.buffersMb !== null) {
      emit({ case: 'mpr-memory', metric: `renderer array buffers (decoded slices and volumes) after ${count} openings in three planes, reading view closed`, unit: 'MB', value: round(afterTwelve.buffersMb), peer: 'after the first opening, reading view closed', peer_value: round(first.buffersMb), ratio: round(afterTwelve.buffersMb / first.buffersMb, 2) });
    }

    // The 3D FLAIR (1 mm isotropic, 160 slices) of the last participant, chosen in the layout: the comparator's first, then the current visit's, timed.
    await openCell(page, subjects.at(-1)!, BRAIN_W12);
    await page.getByTestId('mpr-layout').waitFor();
    for (const row of ['comparator', 'current'] as const) {
      const choose = async () => {
        await page.locator(`[data-testid="mpr-view"][data-row="${row}"][data-axis="axial"] [data-testid="series-switcher"]`).click();
        await page.locator(`[data-testid="mpr-view"][data-row="${row}"][data-axis="axial"] [data-testid="series-choice"]`, { hasText: 'SAG 3D FLAIR' }).click();
      };
      if (row === 'comparator') {
        await timeMpr(page, choose);
        continue;
      }
      const timed = await timeMpr(page, choose);
      const [current] = await shownSeries(session);
      const fetched = await fetchSeriesMs(page, [current!]);
      emit({ case: 'mpr-open-3d', metric: `show the 3D FLAIR (${current!.images.length} slices) in three planes beside its comparator's, chosen in the layout, until its views show the volume`, unit: 'ms', value: round(timed.firstMs), peer: "fetch the series' bytes from the same host in the same page", peer_value: round(fetched), ratio: round(timed.firstMs / fetched, 2) });
      emit({ case: 'mpr-open-3d', metric: 'the same until every slice is in', unit: 'ms', value: round(timed.loadedMs), peer: "fetch the series' bytes from the same host in the same page", peer_value: round(fetched), ratio: round(timed.loadedMs / fetched, 2) });
    }

    // Scrolling: the axial plane of the 3D FLAIR (the comparator's follows), beside the same series' sagittal slices in the 2D layout (the comparator's follow).
    const planes = await keyRate(page, 100, '[data-testid="mpr-view"][data-row="current"][data-axis="axial"]', 'data-centre-world');
    await page.keyboard.press('Shift+M');
    await page.locator('[data-testid="reading-pane"][data-role="current"][data-rendered="true"]').waitFor();
    const slices = await keyRate(page, 100, '[data-testid="reading-pane"][data-role="current"]', 'data-slice-index');
    emit({ case: 'mpr-scroll', metric: 'planes per second stepping 100 axial planes of the 3D FLAIR in three planes, the comparator following', unit: 'steps/s', value: round(planes), peer: 'the same series stepped 100 slices in the 2D layout, the comparator following', peer_value: round(slices), ratio: round(planes / slices, 2) });
    if (session.problems.length > 0) throw new Error(`the page reported problems: ${session.problems.join('; ')}`);
  } finally {
    await session.close();
  }
}
