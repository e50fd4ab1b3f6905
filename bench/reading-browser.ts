// The reading room's speed, measured in headless Chromium with the page's own
// clock: opening a participant's region until both panes show an image,
// beside fetching the same instances over the same host; scrolling two synced
// panes beside one pane with sync off; renderer heap after 12 openings.
import type { Page } from 'playwright-core';
import { openSession } from '../test/helpers/browser';
import { emit, round } from './report';

const BRAIN_W12 = 3; // worklist column: week 12, brain
const SPINE_W12 = 4;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Clicks a worklist cell and returns the page's time until every pane has drawn an image. */
async function openAndTime(page: Page, subject: string, column: number): Promise<number> {
  await page.getByTestId('tab-worklist').click();
  await page.getByTestId('worklist').waitFor();
  return page.evaluate(
    ({ subject, column }) =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        const done = () => {
          const panes = [...document.querySelectorAll('[data-testid="reading-pane"][data-series-id]')];
          return panes.length === 2 && panes.every((pane) => pane.getAttribute('data-rendered') === 'true');
        };
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          resolve(performance.now() - start);
        });
        observer.observe(document.body, { subtree: true, attributes: true, childList: true });
        const cell = document.querySelectorAll(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`)[column];
        (cell!.querySelector('button') as HTMLButtonElement).click();
      }),
    { subject, column },
  );
}

/** The floor: the same instances, fetched by the same page from the same host. */
async function fetchSeriesTime(page: Page, seriesIds: number[]): Promise<number> {
  return page.evaluate(async (ids) => {
    const lists = await Promise.all(
      ids.map(async (seriesId) => {
        const response = await fetch('/api/seriesImages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seriesId }) });
        return ((await response.json()) as { value: { images: { instanceId: number }[] } }).value.images;
      }),
    );
    const start = performance.now();
    await Promise.all(lists.flat().map(async (image) => (await fetch(`/instances/${image.instanceId}`, { cache: 'no-store' })).arrayBuffer()));
    return performance.now() - start;
  }, seriesIds);
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

async function heapMb(page: Page): Promise<number> {
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
    await page.goto(session.host.url);
    const worklist = await session.workstation.dispatch('worklist', {});
    if (!worklist.ok) throw new Error('no worklist');
    const rows = (worklist.value as { rows: { subjectCode: string; cells: { visitCode: string; region: string; series: { seriesId: number }[] }[] }[] }).rows;
    const seriesOf = (row: (typeof rows)[number], visit: string, region: string) => row.cells.find((cell) => cell.visitCode === visit && cell.region === region)!.series[0]!.seriesId;

    // Opening: each participant's brain at week 12 beside week 0 (36 slices each), first time.
    const opens: number[] = [];
    const floors: number[] = [];
    let firstHeap = 0;
    for (const [index, row] of rows.entries()) {
      opens.push(await openAndTime(page, row.subjectCode, BRAIN_W12));
      if (index === 0) firstHeap = await heapMb(page);
      floors.push(await fetchSeriesTime(page, [seriesOf(row, 'W12', 'brain'), seriesOf(row, 'W0', 'brain')]));
    }
    emit({ case: 'reading-open', metric: 'open a participant\'s brain, week 12 beside week 0, until both panes show an image (median of 6)', unit: 'ms', value: round(median(opens)), peer: 'fetch every instance of both series from the same host', peer_value: round(median(floors)), ratio: round(median(opens) / median(floors), 2) });

    // Scrolling: the last opened layout, synced, then with slice sync off (one pane moving).
    await page.waitForTimeout(3000); // let alignment and prefetch settle
    const synced = await scrollRate(page, 100);
    await page.getByTestId('sync-slices').click();
    const single = await scrollRate(page, 100);
    await page.getByTestId('sync-slices').click();
    emit({ case: 'reading-scroll', metric: 'slices per second stepping 100 slices, two synced panes', unit: 'slices/s', value: round(synced), peer: 'one pane, slice sync off', peer_value: round(single), ratio: round(synced / single, 2) });

    // Memory: 12 openings (6 participants x brain and spinal cord).
    for (const row of rows) await openAndTime(page, row.subjectCode, SPINE_W12);
    await page.getByTestId('tab-worklist').click();
    const afterTwelve = await heapMb(page);
    emit({ case: 'reading-memory', metric: 'renderer JS heap after opening 12 participant regions one after another', unit: 'MB', value: round(afterTwelve), peer: 'after the first opening', peer_value: round(firstHeap), ratio: round(afterTwelve / firstHeap, 2) });
    if (session.problems.length > 0) throw new Error(`the page reported problems: ${session.problems.join('; ')}`);
  } finally {
    await session.close();
  }
}
