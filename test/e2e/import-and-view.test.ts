// A reader's first minutes, in headless Chromium through the browser host:
// import the fixture folder by its path, see every rejected file with a
// reason, open the GE series, scroll to slice 10 and see an image; an empty
// folder is answered with a sentence.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, tempFolder } from '../helpers/fixtures';
import { type Session, openSession, saveScreenshot, screenshotStats } from '../helpers/browser';

let session: Session;

beforeAll(async () => {
  session = await openSession();
  await session.page.goto(session.host.url);
});

afterAll(async () => {
  await session?.close();
});

/** Series rows shown, and series folded into the localizer rows (the fixtures' scouts, pilots and localizers). */
async function listedSeries(page: Page) {
  const folded = await page.getByTestId('localizers').evaluateAll((rows) => rows.reduce((sum, row) => sum + Number(row.getAttribute('data-count')), 0));
  return { shown: await page.getByTestId('series-row').count(), folded };
}

describe('import and view in the browser host', () => {
  it('imports the fixture folder through the UI and lists every rejected file with its reason', async () => {
    const { page } = session;
    await page.getByTestId('import-path').fill(fixtures);
    await page.getByTestId('import-button').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('rejected-file').count()).toBe(12);
    expect(await page.getByTestId('rejected-file').filter({ hasText: 'gen_zero_length.dcm' }).innerText()).toMatch(/empty file/);
    expect(await listedSeries(page)).toEqual({ shown: 26, folded: 13 });
    await saveScreenshot(page, 'e2e-import-summary');
  });

  it('opens the GE series, scrolls to slice 10 with the mouse wheel, and draws a real image', async () => {
    const { page } = session;
    await page.getByTestId('series-row').filter({ hasText: 'FSE PD AXIAL OBL' }).click();
    const viewport = page.getByTestId('viewport');
    await expect.poll(() => viewport.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    expect(await viewport.getAttribute('data-slice-count')).toBe('20');
    const box = (await viewport.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const sliceIndex = async () => Number(await viewport.getAttribute('data-slice-index'));
    for (let step = 0; step < 30 && (await sliceIndex()) !== 9; step += 1) {
      const index = await sliceIndex();
      await page.mouse.wheel(0, index < 9 ? 100 : -100);
      // Each notch moves one slice: wait for it before the next, so none is lost or doubled.
      await expect.poll(sliceIndex).not.toBe(index);
    }
    expect(await sliceIndex()).toBe(9);
    // An axial PD slice fills a good part of the pane with textured grey; a blank pane is flat black.
    const shot = () => screenshotStats(page, 'e2e-ge-slice-10', '[data-testid="viewport"]');
    await expect.poll(async () => (await shot()).litFraction).toBeGreaterThan(0.15);
    expect((await shot()).standardDeviation).toBeGreaterThan(20);
    await saveScreenshot(page, 'e2e-viewer');
  });

  it('says so when a folder holds no DICOM files, instead of a screen of zeros', async () => {
    const { page } = session;
    await page.getByTestId('import-path').fill(tempFolder());
    await page.getByTestId('import-button').click();
    // The summary of the fixture import stays until this one replaces it.
    await expect.poll(() => page.getByTestId('import-outcome').innerText(), { timeout: 60_000 }).toBe('No DICOM files found in this folder.');
    expect(await page.getByTestId('import-summary').locator('.import-counts').count()).toBe(0);
    expect(await listedSeries(page)).toEqual({ shown: 26, folded: 13 });
    await saveScreenshot(page, 'e2e-import-empty-folder');
  });

  it('ran without page errors, CSP violations or requests leaving 127.0.0.1', () => {
    expect(session.problems).toEqual([]);
  });
});
