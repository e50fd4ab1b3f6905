// The viewer as a reader drives it from the keyboard, and what it says when a
// source file changed after import: a plain message, not a blank pane.
import { cpSync, mkdtempSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geSeries } from '../helpers/fixtures';
import { type Session, openSession, saveScreenshot, screenshotStats, unaskedProblems } from '../helpers/browser';

let session: Session;
// A copy, so that the test can change files after importing them.
const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-viewer-'));
cpSync(geSeries, folder, { recursive: true });

beforeAll(async () => {
  session = await openSession();
  await session.page.goto(session.host.url);
});

afterAll(async () => {
  await session?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function sliceIndex(): Promise<number> {
  return Number(await session.page.getByTestId('viewport').getAttribute('data-slice-index'));
}

async function press(key: string): Promise<void> {
  await session.page.keyboard.press(key);
}

describe('the viewer', () => {
  it('opens the imported series and draws its first slice', async () => {
    const { page } = session;
    await page.getByTestId('import-path').fill(folder);
    await page.getByTestId('import-button').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await page.getByTestId('series-row').filter({ hasText: 'FSE PD AXIAL OBL' }).click();
    const viewport = page.getByTestId('viewport');
    await expect.poll(() => viewport.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    expect(await sliceIndex()).toBe(0);
    expect(await page.getByTestId('slice-label').innerText()).toBe('slice 1 / 20');
    // The file's own window is 0/0, which would draw black: the viewer windows by the image instead.
    expect(await page.getByTestId('window-level').innerText()).not.toMatch(/^W [0-2]\b/);
    await expect.poll(async () => (await screenshotStats(page, 'e2e-viewer-first-slice', '[data-testid="viewport"]')).litFraction).toBeGreaterThan(0.15);
  });

  it('changes slices with the arrow and page keys', async () => {
    await press('ArrowDown');
    await expect.poll(sliceIndex).toBe(1);
    await press('PageDown');
    await expect.poll(sliceIndex).toBe(3);
    await press('PageUp');
    await expect.poll(sliceIndex).toBe(1);
    await press('ArrowUp');
    await expect.poll(sliceIndex).toBe(0);
    // At the first slice ArrowUp stays there: the ArrowDown after it lands on the second slice, not the first or the last.
    await press('ArrowUp');
    await press('ArrowDown');
    await expect.poll(sliceIndex).toBe(1);
  });

  it('inverts with I, and R resets window and inversion', async () => {
    const { page } = session;
    const original = await page.getByTestId('window-level').innerText();
    const viewport = page.getByTestId('viewport');
    const box = (await viewport.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('window-level').innerText()).not.toBe(original);
    await press('i');
    await expect.poll(() => viewport.innerText()).toMatch(/inverted/);
    await press('r');
    await expect.poll(() => page.getByTestId('window-level').innerText()).toBe(original);
    expect(await viewport.innerText()).not.toMatch(/inverted/);
  });

  it('says so when a source file changed since import, instead of showing a blank pane', async () => {
    const { page } = session;
    for (const file of readdirSync(folder)) truncateSync(join(folder, file), 1000);
    // A new page has nothing cached: every slice comes from the host, which refuses the shortened files.
    await page.reload();
    await page.getByTestId('series-row').filter({ hasText: 'FSE PD AXIAL OBL' }).click();
    const error = page.getByTestId('viewport').getByTestId('error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/Slice 1 could not be shown: .*changed since it was imported/);
    expect(await page.getByTestId('viewport').getAttribute('data-rendered')).toBe('false');
    await saveScreenshot(page, 'e2e-viewer-source-changed');
  });

  it('ran without page errors, CSP violations or requests leaving 127.0.0.1', () => {
    // The refused image is itself reported by Chromium; nothing else may be.
    expect(unaskedProblems(session, [/status of 409 \(Conflict\)/])).toEqual([]);
  });
});
