// The MPR layout's speed, in headless Chromium with the page's own clock:
// opening a participant's brain in three planes (current and comparator)
// until every view shows its volume, beside fetching the two series' bytes
// from the same host in the same page; the same for the 3D FLAIR (160
// slices a visit) chosen in the layout, the comparator following; scrolling a plane beside scrolling the 2D
// layout's stack; and the renderer's memory (JS heap and array buffers,
// where the volumes' voxels live; Cornerstone's image cache) after 12
// openings beside after the first and after 6.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { instancePath, type SeriesImages } from '../shared/contract';
import { openSession, provideDemoFiles, type Session } from '../test/helpers/browser';
import { seriesImages } from './reading-browser';
import { emit, median, round } from './report';

const BRAIN_W12 = 3; // worklist columns: week 12 and week 24, brain
const BRAIN_W24 = 6;

/** Runs an action that opens volumes (of the series so described); returns the page's time until the six views show them, and until every slice is in. */
async function timeMpr(page: Page, action: () => Promise<void>, description?: string): Promise<{ firstMs: number; loadedMs: number }> {
  const start = await page.evaluate(() => performance.now());
  await action();
  // With a description, the six views must show that series (the views of the series before it are rendered too).
  await page.waitForFunction((wanted) => {
    const views = [...document.querySelectorAll('[data-testid="mpr-view"]')];
    const showsWanted = (view: Element) => wanted === null || view.querySelector('.series-description')?.textContent === wanted;
    return views.length === 6 && views.every((view) => view.getAttribute('data-rendered') === 'true' && showsWanted(view));
  }, description ?? null, { polling: 'raf', timeout: 120_000 });
  const firstMs = (await page.evaluate(() => performance.now())) - start;
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="mpr-progress"]').length === 0 && document.querySelectorAll('[data-testid="mpr-view"][data-rendered="true"]').length === 6, undefined, { polling: 'raf', timeout: 180_000 });
  return { firstMs, loadedMs: (await page.evaluate(() => performance.now())) - start };
}

/** Runs an action under the page's CPU profiler when a file is named for the profile (Chrome DevTools' .cpuprofile format). */
async function profiled<T>(page: Page, file: string | undefined, action: () => Promise<T>): Promise<T> {
  if (!file) return action();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  try {
    return await action();
  } finally {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    await cdp.detach();
  }
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
async function memoryWithReadingClosed(page: Page): Promise<{ heapMb: number; buffersMb: number | null; cacheMb: number | null }> {
  await page.getByTestId('tab-worklist').click();
  await page.getByTestId('worklist').waitFor();
  await page.getByTestId('reading-view').waitFor({ state: 'detached' });
  // A closed layout frees its volumes and their slices once their loads settle: wait for the volumes to go (a build without the cache's state, one before it freed slices, is measured as it is).
  await page.waitForFunction(() => !window.lesiontrackImageCache || window.lesiontrackImageCache().volumeIds.length === 0, undefined, { polling: 100, timeout: 60_000 });
  const cached = await page.evaluate(() => window.lesiontrackImageCache?.().imageBytes ?? null);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  await cdp.detach();
  return { heapMb: usage.usedSize / 1e6, buffersMb: usage.backingStorageSize === undefined ? null : usage.backingStorageSize / 1e6, cacheMb: cached === null ? null : cached / 1e6 };
}

export async function benchMpr(): Promise<void> {
  const session = await openSession();
  try {
    await provideDemoFiles(session);
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
    let afterSix: Awaited<ReturnType<typeof memoryWithReadingClosed>> | null = null;
    for (const column of [BRAIN_W12, BRAIN_W24]) {
      if (column === BRAIN_W24) afterSix = await memoryWithReadingClosed(page);
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
    if (afterTwelve.cacheMb !== null && first.cacheMb !== null) {
      emit({ case: 'mpr-memory', metric: `Cornerstone's image cache (decoded slices) after ${count} openings in three planes, reading view closed`, unit: 'MB', value: round(afterTwelve.cacheMb), peer: 'after the first opening, reading view closed', peer_value: round(first.cacheMb), ratio: round(afterTwelve.cacheMb / first.cacheMb, 2) });
    }
    if (afterTwelve.buffersMb !== null && first.buffersMb !== null && afterSix?.buffersMb) {
      // Bounded: the second six openings add nothing to the first six.
      emit({ case: 'mpr-memory', metric: `renderer array buffers after ${count} openings in three planes, reading view closed`, unit: 'MB', value: round(afterTwelve.buffersMb), peer: `after ${count / 2} openings, reading view closed`, peer_value: round(afterSix.buffersMb), ratio: round(afterTwelve.buffersMb / afterSix.buffersMb, 2) });
      emit({ case: 'mpr-memory', metric: `renderer array buffers (decoded slices and volumes) after ${count} openings in three planes, reading view closed`, unit: 'MB', value: round(afterTwelve.buffersMb), peer: 'after the first opening, reading view closed', peer_value: round(first.buffersMb), ratio: round(afterTwelve.buffersMb / first.buffersMb, 2) });
    }

    // The 3D FLAIR (1 mm isotropic, 160 slices) of the last participant, chosen in the layout for the visit read: the comparator follows to its visit's 3D FLAIR, both timed.
    await openCell(page, subjects.at(-1)!, BRAIN_W12);
    await page.getByTestId('mpr-layout').waitFor();
    const choose = async () => {
      await page.locator('[data-testid="mpr-view"][data-row="current"][data-axis="axial"] [data-testid="series-switcher"]').click();
      await page.locator('[data-testid="mpr-view"][data-row="current"][data-axis="axial"] [data-testid="series-choice"]', { hasText: 'SAG 3D FLAIR' }).click();
    };
    const timed = await profiled(page, process.env.BENCH_MPR_CPU_PROFILE, () => timeMpr(page, choose, 'SAG 3D FLAIR'));
    const shown = await shownSeries(session);
    const fetched = await fetchSeriesMs(page, shown);
    const sliceCounts = shown.map((series) => series.images.length).join(' and ');
    emit({ case: 'mpr-open-3d', metric: `show the 3D FLAIR (${sliceCounts} slices) in three planes beside its comparator's, chosen in the layout, until all six views show the volumes`, unit: 'ms', value: round(timed.firstMs), peer: "fetch both series' bytes from the same host in the same page", peer_value: round(fetched), ratio: round(timed.firstMs / fetched, 2) });
    emit({ case: 'mpr-open-3d', metric: 'the same until every slice of both is in', unit: 'ms', value: round(timed.loadedMs), peer: "fetch both series' bytes from the same host in the same page", peer_value: round(fetched), ratio: round(timed.loadedMs / fetched, 2) });

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
