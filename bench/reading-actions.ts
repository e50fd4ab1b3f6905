// The scripted full read of participant 001, in headless Chromium on the
// demo trial, counted in actions (clicks, key presses, drags) and timed, two
// ways in the same run. The steps are the oracle test's: every lesion of
// every region and visit marked where truth.json puts it, linked across
// visits, resolved when it goes. Navigated: the reading room brings the
// reader to the anatomy (a read opens at its first lesion or mid-stack,
// another visit keeps the anatomy, selecting a lesion brings the panes to
// it), and the reader scrolls only the rest of the way. By hand, as the
// reading room was before: every read opens on slice 1 and a selected lesion
// stays where it is, so the reader scrolls from there. The by-hand run puts
// the pane back where the old room would have left it with keys it neither
// counts nor times.
import type { Locator, Page } from 'playwright-core';
import { chooseDemoReader } from '../main/demo/read-demo';
import { createClient } from '../shared/client';
import { REGIONS } from '../shared/protocol';
import type { LesionTruth } from '../shared/synthetic/truth';
import { openDemoSession } from '../test/helpers/browser';
import { dragAcross, giveRegionDetails, lesionDrag } from '../test/helpers/reader';
import { compare } from './report';

type Way = 'navigated' | 'by hand';

const SUBJECT = '001';
const WAIT_MS = 60_000;

/** Waits until a check on the page holds (the page's own polling, no fixed sleeps). */
async function until(page: Page, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the reading room did not get there in time');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
}

async function scriptedRead(way: Way): Promise<{ actions: number; ms: number }> {
  const { session, truth } = await openDemoSession();
  try {
    const { page } = session;
    await chooseDemoReader(createClient((name, payload) => session.workstation.dispatch(name, payload)));
    await page.reload();
    const participant = truth.participants.find((item) => item.subject === SUBJECT)!;
    const pane = () => page.locator('[data-testid="reading-pane"][data-role="current"]');
    const sliceIndex = async () => Number(await pane().getAttribute('data-slice-index'));
    let actions = 0;
    let uncountedMs = 0;
    const press = async (key: string) => {
      actions += 1;
      await page.keyboard.press(key);
    };
    const click = async (target: Locator) => {
      actions += 1;
      await target.click();
    };
    /** Arrow keys until the pane shows a slice; each press waits for its image. */
    const scrollTo = async (index: number, counted: boolean) => {
      for (let at = await sliceIndex(); at !== index; at = await sliceIndex()) {
        const key = at < index ? 'ArrowDown' : 'ArrowUp';
        await (counted ? press(key) : page.keyboard.press(key));
        await until(page, async () => (await sliceIndex()) !== at);
      }
    };
    /** Where the old reading room left the reader: slice 1 after opening a read, else where they last scrolled to. */
    let byHandAt = 0;
    const opened = async (visit: string) => {
      await until(page, async () => (await pane().getAttribute('data-visit')) === visit && (await pane().getAttribute('data-rendered')) === 'true');
      byHandAt = 0;
    };
    const reach = async (index: number) => {
      if (way === 'by hand') {
        const start = performance.now();
        await scrollTo(byHandAt, false);
        uncountedMs += performance.now() - start;
      }
      await scrollTo(index, true);
      byHandAt = index;
    };
    const measure = async (lesion: LesionTruth, visit: string) => {
      await reach(lesion.visits.find((item) => item.visit === visit)!.location.sliceIndex);
      actions += 1;
      await dragAcross(page, lesionDrag(participant, lesion, visit, (await pane().boundingBox())!));
      actions += await giveRegionDetails(page, lesion, visit);
    };

    const start = performance.now();
    for (const [regionIndex, region] of REGIONS.entries()) {
      await click(page.getByTestId('tab-worklist'));
      await click(page.locator(`[data-testid="worklist-row"][data-subject="${SUBJECT}"] [data-testid="worklist-cell"]`).nth(regionIndex).locator('button'));
      const labels = new Map<string, string>();
      const lastSeen = new Map<string, boolean>();
      for (const [visitIndex, visit] of truth.visits.map((item) => item.code).entries()) {
        if (visitIndex > 0) await press('.');
        await opened(visit);
        for (const lesion of participant.lesions.filter((item) => item.region === region)) {
          const seen = lesion.visits.find((item) => item.visit === visit)!;
          const label = labels.get(lesion.id);
          const item = () => page.locator(`[data-testid="lesion"][data-label="${label}"]`);
          const select = async () => {
            if (!(await item().getAttribute('class'))?.split(' ').includes('selected')) await click(item().locator('.lesion-head'));
          };
          if (seen.present && label === undefined) {
            const before = await page.getByTestId('lesion').count();
            await press('n');
            await measure(lesion, visit);
            await until(page, async () => (await page.getByTestId('lesion').count()) === before + 1);
            labels.set(lesion.id, (await page.getByTestId('lesion').last().getAttribute('data-label'))!);
          } else if (seen.present) {
            await select();
            await press('m');
            await measure(lesion, visit);
            await until(page, async () => ((await item().getAttribute('data-status')) ?? '') !== '');
          } else if (label !== undefined && lastSeen.get(lesion.id)) {
            await select();
            await click(item().getByRole('button', { name: 'Resolved' }));
            await until(page, async () => (await item().getAttribute('data-status')) === 'resolved');
          }
          lastSeen.set(lesion.id, seen.present);
        }
      }
    }
    const ms = performance.now() - start - uncountedMs;
    // Both ways must have read the same thing: the endpoint truth.json gives.
    const endpoint = await page.getByTestId('count-endpoint').innerText();
    if (endpoint !== String(participant.endpoint.previous)) throw new Error(`the ${way} read counted ${endpoint}, truth.json ${participant.endpoint.previous}`);
    return { actions, ms };
  } finally {
    await session.close();
  }
}

export async function benchReadingActions(): Promise<void> {
  const byHand = await scriptedRead('by hand');
  const navigated = await scriptedRead('navigated');
  const peer = 'by hand: every read opens on slice 1, a selected lesion stays where it is';
  compare({ case: 'reading-actions-001', metric: `actions (clicks, keys, drags) for the scripted full read of participant ${SUBJECT}, navigated`, unit: 'actions', value: navigated.actions }, peer, byHand.actions);
  compare({ case: 'reading-time-001', metric: `time for the same read, navigated`, unit: 's', value: navigated.ms / 1000 }, peer, byHand.ms / 1000);
}
