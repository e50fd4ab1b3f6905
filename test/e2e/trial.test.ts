// The trial screens in headless Chromium: the demo trial opened with one
// click fills the worklist, each region's series opens and looks like MRI,
// and a reader sets up participants and maps patients in the trial's store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeriesImages, SeriesSummary } from '../../shared/contract';
import { type Session, openSession, pixelStats, saveScreenshot } from '../helpers/browser';
import { geSeries } from '../helpers/fixtures';

let session: Session;
/** The paths of the instance bytes the page fetched, in order. */
const fetchedInstances: string[] = [];
/** The instance ids of the demo series viewed before leaving the demo. */
let demoIds: number[] = [];

beforeAll(async () => {
  session = await openSession();
  session.page.on('requestfinished', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/instances/')) fetchedInstances.push(pathname);
  });
  await session.page.goto(session.host.url);
});

async function ask<T>(name: 'listSeries' | 'seriesImages', payload: object): Promise<T> {
  const answer = await session.workstation.dispatch(name, payload);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as T;
}

/** Opens a series in the Images viewer and waits for its first image. */
async function viewSeries(seriesUid: string) {
  const { page } = session;
  await page.getByTestId('tab-images').click();
  await page.locator(`[data-testid="series-row"][data-series-uid="${seriesUid}"]`).click();
  await expect.poll(() => page.getByTestId('viewport').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
}

afterAll(async () => {
  await session?.close();
});

async function openCellAndShoot(subject: string, column: number, name: string) {
  const { page } = session;
  await page.getByTestId('tab-worklist').click();
  await page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`).nth(column).locator('button').click();
  const current = page.locator('[data-testid="reading-pane"][data-role="current"]');
  await expect.poll(() => current.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
  const comparator = page.locator('[data-testid="reading-pane"][data-role="comparator"]');
  await expect.poll(() => comparator.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
  await expect.poll(() => comparator.getByTestId('alignment-note').innerText(), { timeout: 60_000 }).toMatch(/^aligned/);
  // Page Down moves a tenth of the stack: go to the middle, where the anatomy is. Each press waits
  // for its image (loads of a slice superseded by the next press never show).
  const count = Number(await current.getAttribute('data-slice-count'));
  for (let step = 0; step < 20 && Number(await current.getAttribute('data-slice-index')) < Math.floor(count / 2); step += 1) {
    const before = Number(await current.getAttribute('data-slice-index'));
    await page.keyboard.press('PageDown');
    await expect.poll(async () => Number(await current.getAttribute('data-slice-index'))).toBeGreaterThan(before);
  }
  expect(Number(await current.getAttribute('data-slice-index'))).toBeGreaterThanOrEqual(Math.floor(count / 2));
  const { png } = await saveScreenshot(page, name, '[data-testid="reading-pane"][data-role="current"]');
  return pixelStats(png);
}

describe('the demo trial in the browser host', () => {
  it('starts empty and fills the worklist with one click', async () => {
    const { page } = session;
    await page.getByTestId('tab-worklist').click();
    await page.getByTestId('worklist-empty').waitFor();
    await page.getByTestId('open-demo').click();
    // Six participants with a 3D FLAIR at every visit: minutes on a loaded two-core machine.
    await expect.poll(() => page.getByTestId('workspace').getAttribute('data-demo'), { timeout: 300_000 }).toBe('true');
    await page.getByTestId('worklist').waitFor();
    expect(await page.getByTestId('worklist-row').count()).toBe(6);
    // 6 participants x 4 visits x 3 regions, all present, none waiting for review.
    expect(await page.locator('[data-testid="worklist-cell"][data-status="present"]').count()).toBe(72);
    expect(await page.getByTestId('worklist-review').count()).toBe(0);
    await saveScreenshot(page, 'e2e-demo-worklist');
  });

  it('opens the brain, spinal cord and optic nerve series of a visit, each a real image', async () => {
    // Columns per visit: brain, spinal cord, optic nerves; visit W12 is the second group.
    for (const [column, region] of [
      [3, 'brain'],
      [4, 'spinal-cord'],
      [5, 'optic-nerves'],
    ] as const) {
      const stats = await openCellAndShoot('001', column, `e2e-demo-${region}`);
      expect(stats.litFraction, region).toBeGreaterThan(0.05);
      expect(stats.standardDeviation, region).toBeGreaterThan(10);
    }
  });

  it('shows the participants with their baselines and every patient mapped', async () => {
    const { page } = session;
    await page.getByTestId('tab-setup').click();
    await page.getByTestId('trial-setup').waitFor();
    expect(await page.getByTestId('participant-row').count()).toBe(6);
    const links = await page.getByTestId('patient-link').evaluateAll((selects) => selects.map((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent));
    expect(links).toEqual(['001', '002', '003', '004', '005', '006']);
    await saveScreenshot(page, 'e2e-demo-setup');
  });

  it('leaves the demo for the trial store, which holds none of it', async () => {
    const { page } = session;
    // The demo's first series listed as a row (localizers are folded), viewed until every slice has been
    // fetched: the trial store will have instances at the same ids, and must never be shown these.
    const demoSeries = (await ask<SeriesSummary[]>('listSeries', {})).filter((series) => series.isImage && !series.localizer);
    const listings = await Promise.all(demoSeries.map((series) => ask<SeriesImages>('seriesImages', { seriesId: series.id })));
    const lowest = (listing: SeriesImages) => Math.min(...listing.images.map((image) => image.instanceId));
    const first = listings.reduce((best, listing) => (lowest(listing) < lowest(best) ? listing : best));
    await viewSeries(demoSeries.find((series) => series.id === first.seriesId)!.seriesUid);
    await expect.poll(() => first.images.every((image) => fetchedInstances.includes(`/instances/${first.store}/${image.instanceId}`))).toBe(true);
    demoIds = first.images.map((image) => image.instanceId);
    fetchedInstances.length = 0;
    // The demo's series are listed first, so an empty list afterwards can only be the trial store's, loaded.
    await page.getByTestId('leave-demo').click();
    await expect.poll(() => page.getByTestId('workspace').getAttribute('data-demo')).toBe('false');
    await page.getByTestId('tab-images').click();
    await expect.poll(() => page.getByTestId('series-row').count()).toBe(0);
    await page.getByText('Nothing imported yet').waitFor();
  });
});

describe('setting up a trial by hand', () => {
  it('imports with progress, then maps the patient to a new participant so the study gets its visit', async () => {
    const { page } = session;
    await page.getByTestId('tab-images').click();
    await page.getByTestId('import-path').fill(geSeries);
    await page.getByTestId('import-button').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });

    await page.getByTestId('tab-assignments').click();
    await page.getByTestId('study-assignment').first().waitFor();
    expect(await page.getByTestId('study-assignment').first().innerText()).toMatch(/link|map|participant/i);

    await page.getByTestId('tab-setup').click();
    await page.getByTestId('new-subject').fill('001');
    // The GE study is dated 2001-03-16; a baseline 12 weeks earlier makes it week 12.
    await page.getByTestId('new-baseline').fill('2000-12-22');
    await page.getByTestId('add-participant').click();
    await expect.poll(() => page.getByTestId('participant-row').count()).toBe(1);
    await page.getByTestId('patient-link').first().selectOption({ label: '001' });
    await expect.poll(() => page.getByTestId('patient-link').first().evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('001');

    await page.getByTestId('tab-assignments').click();
    const study = page.getByTestId('study-assignment').first();
    await expect.poll(() => study.getByLabel('Visit').inputValue()).toBe('W12');
    await saveScreenshot(page, 'e2e-assignments');
    expect(session.problems).toEqual([]);
  });

  it("shows the trial store's own images at ids the demo's images had, fetched from the trial store", async () => {
    const [series] = await ask<SeriesSummary[]>('listSeries', {});
    const { store, images } = await ask<SeriesImages>('seriesImages', { seriesId: series!.id });
    // Some of these ids were the demo's images too, viewed and kept in the viewer's caches before the store changed.
    expect(images.filter((image) => demoIds.includes(image.instanceId)).length).toBeGreaterThan(0);
    await viewSeries(series!.seriesUid);
    // Its thumbnail and the viewer, which loads the whole stack ahead, fetched every slice from the trial store.
    await expect.poll(() => images.every((image) => fetchedInstances.includes(`/instances/${store}/${image.instanceId}`))).toBe(true);
  });

  it('changes the reading charter only with a reason, and audits it', async () => {
    const { page } = session;
    await page.getByTestId('tab-setup').click();
    const charter = page.getByTestId('charter-editor');
    await expect.poll(() => charter.getByTestId('charter-id').inputValue()).toBe('default-2026-1');
    expect(await charter.getByTestId('charter-previous').isChecked()).toBe(true);
    expect(await charter.getByTestId('charter-relative').inputValue()).toBe('50');

    await charter.getByTestId('charter-baseline').check();
    await charter.getByTestId('charter-id').fill('baseline-2026-2');
    await charter.getByTestId('charter-minimum').fill('4');
    expect(await charter.getByTestId('save-charter').isDisabled()).toBe(true);
    await charter.getByTestId('charter-reason').fill('charter amendment 2: baseline comparator');
    await charter.getByTestId('save-charter').click();
    await expect.poll(async () => ((await session.workstation.dispatch('charter', {})) as { value: { id: string } }).value.id).toBe('baseline-2026-2');
    const saved = ((await session.workstation.dispatch('charter', {})) as { value: Record<string, unknown> }).value;
    expect(saved).toEqual({ id: 'baseline-2026-2', comparator: 'baseline', minimumSizeMm: 4, enlargingRelative: 0.5, enlargingAbsoluteMm: 3, enlargingRule: 'both' });
    // The form starts again from what is in force, with nothing to save.
    await expect.poll(() => charter.getByTestId('charter-reason').inputValue()).toBe('');
    expect(await charter.getByTestId('save-charter').isDisabled()).toBe(true);
    expect(session.workstation.db.prepare("SELECT reason FROM audit WHERE action = 'charter.update'").pluck().all()).toEqual(['charter amendment 2: baseline comparator']);
    await saveScreenshot(page, 'e2e-charter', '[data-testid="charter-editor"]');
    expect(session.problems).toEqual([]);
  });
});
