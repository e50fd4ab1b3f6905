// Marking a lesion in the reading room, in headless Chromium on the demo
// trial: the API requests one mark costs (from mouse-up until the page is
// quiet), beside the one request a mark needs at the least; and the page's
// time from mouse-up until the counts panel shows the new count, beside the
// same write made by the page with one plain fetch and no redraw.
import type { Page } from 'playwright-core';
import { chooseDemoReader } from '../main/demo/read-demo';
import { createClient } from '../shared/client';
import { openDemoSession } from '../test/helpers/browser';
import { dragAcross, lesionDrag } from '../test/helpers/reader';
import { emit, median, round } from './report';

const MARKS = 8;
const BRAIN_W12 = 3; // worklist column: week 12, brain

/** Arms a watch in the page: the time from the next mouse-up until the "new" count changes. */
async function armCountWatch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const watch = { start: 0, end: 0 };
    (window as unknown as { markWatch: typeof watch }).markWatch = watch;
    const count = document.querySelector('[data-testid="count-new"]')!;
    const before = count.textContent;
    window.addEventListener('mouseup', () => (watch.start = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (count.textContent === before) return;
      watch.end = performance.now();
      observer.disconnect();
    });
    observer.observe(count, { characterData: true, childList: true, subtree: true });
  });
}

/** One plain request of the same write from the page, as the floor of a mark's cost. */
async function oneWriteMs(page: Page, payload: unknown): Promise<number> {
  return page.evaluate(async (body) => {
    const start = performance.now();
    const response = await fetch('/api/createLesion', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    await response.json();
    return performance.now() - start;
  }, payload);
}

export async function benchReadingMark(): Promise<void> {
  const { session, truth } = await openDemoSession();
  try {
    const { page } = session;
    const client = createClient((name, payload) => session.workstation.dispatch(name, payload));
    await chooseDemoReader(client);
    await page.reload();
    await page.getByTestId('tab-worklist').click();
    await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(BRAIN_W12).locator('button').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="reading-pane"][data-role="current"]')?.getAttribute('data-rendered') === 'true');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="alignment-note"]')].every((note) => note.textContent !== 'aligning…'));
    await page.waitForLoadState('networkidle');

    const participant = truth.participants[0]!;
    const lesion = participant.lesions.find((item) => item.region === 'brain' && item.visits.find((visit) => visit.visit === 'W12')!.present)!;
    const slice = lesion.visits.find((visit) => visit.visit === 'W12')!.location.sliceIndex;
    const current = page.locator('[data-testid="reading-pane"][data-role="current"]');
    while (Number(await current.getAttribute('data-slice-index')) < slice) {
      const at = await current.getAttribute('data-slice-index');
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((before) => document.querySelector('[data-testid="reading-pane"][data-role="current"]')!.getAttribute('data-slice-index') !== before, at);
    }
    const drag = lesionDrag(participant, lesion, 'W12', (await current.boundingBox())!);
    const requests: number[] = [];
    const times: number[] = [];
    let counting = false;
    let sent = 0;
    page.on('request', (request) => {
      if (counting && new URL(request.url()).pathname.startsWith('/api/')) sent += 1;
    });
    for (let mark = 0; mark < MARKS; mark += 1) {
      await armCountWatch(page);
      await page.keyboard.press('n');
      sent = 0;
      counting = true;
      // The drag ends with the mouse-up the watch times from; requests are counted until the page is quiet.
      await dragAcross(page, drag);
      await page.waitForFunction(() => (window as unknown as { markWatch: { end: number } }).markWatch.end > 0);
      await page.waitForLoadState('networkidle');
      counting = false;
      requests.push(sent);
      times.push(await page.evaluate(() => {
        const watch = (window as unknown as { markWatch: { start: number; end: number } }).markWatch;
        return watch.end - watch.start;
      }));
    }

    const participantId = (await client.trialSetup({})).participants.find((item) => item.subjectCode === '001')!.id;
    const floors: number[] = [];
    for (let write = 0; write < MARKS; write += 1) {
      floors.push(await oneWriteMs(page, { participantId, region: 'brain', observation: { visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: 5 } } }));
    }
    emit({ case: 'reading-mark', metric: `API requests per mark, mouse-up until the page is quiet (median of ${MARKS})`, unit: 'requests', value: median(requests), peer: 'the one write a mark needs', peer_value: 1, ratio: median(requests) });
    emit({ case: 'reading-mark', metric: `mouse-up until the counts panel shows the new count (median of ${MARKS})`, unit: 'ms', value: round(median(times)), peer: 'the same write as one fetch from the page, no redraw', peer_value: round(median(floors)), ratio: round(median(times) / median(floors), 2) });
    if (session.problems.length > 0) throw new Error(`the page reported problems: ${session.problems.join('; ')}`);
  } finally {
    await session.close();
  }
}
