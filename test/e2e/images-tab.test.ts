// The Images tab on the demo trial in headless Chromium: series grouped by
// participant and study, localizers folded, thumbnails drawn as rows come
// into view, and the viewer's orientation letters and overlay readable on a
// normal and an inverted image.
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, openSession, saveScreenshot, screenshotStats } from '../helpers/browser';

let session: Session;

beforeAll(async () => {
  session = await openSession();
  await session.page.goto(session.host.url);
  await session.page.getByTestId('tab-worklist').click();
  await session.page.getByTestId('open-demo').click();
  // Six participants with a 3D FLAIR at every visit: minutes on a loaded two-core machine.
  await session.page.locator('[data-testid="workspace"][data-demo="true"]').waitFor({ timeout: 300_000 });
}, 360_000);

afterAll(async () => {
  await session?.close();
});

/** Grey-level spread and distinct grey levels of a thumbnail canvas, read back from the page. */
function canvasStats(thumbnail: Locator) {
  return thumbnail.evaluate((canvas) => {
    const { data, width, height } = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
    const greys = new Set<number>();
    let sum = 0;
    let sumSquares = 0;
    for (let offset = 0; offset < data.length; offset += 4) {
      const grey = (data[offset]! + data[offset + 1]! + data[offset + 2]!) / 3;
      greys.add(Math.round(grey));
      sum += grey;
      sumSquares += grey * grey;
    }
    const mean = sum / (width * height);
    return { levels: greys.size, standardDeviation: Math.sqrt(sumSquares / (width * height) - mean * mean) };
  });
}

describe('the Images tab on the demo trial', () => {
  it('groups the series by participant, then by study in date order, with each study\'s localizers folded into one row', async () => {
    const { page } = session;
    await page.getByTestId('tab-images').click();
    const groups = page.getByTestId('series-group');
    await expect.poll(() => groups.count(), { timeout: 60_000 }).toBe(6);
    expect(await groups.evaluateAll((items) => items.map((item) => `${item.getAttribute('data-kind')} ${item.getAttribute('data-label')}`))).toEqual(
      ['001', '002', '003', '004', '005', '006'].map((code) => `participant ${code}`),
    );
    for (let index = 0; index < 6; index += 1) {
      const studies = groups.nth(index).getByTestId('study-group');
      expect(await studies.count()).toBe(4);
      const dates = await studies.evaluateAll((items) => items.map((item) => item.getAttribute('data-study-date')!));
      expect(dates).toEqual([...dates].sort());
    }
    // 24 studies: the four reading series each (the brain's 2D and 3D FLAIR), and the three localizer stacks behind one row.
    expect(await page.getByTestId('study-group').count()).toBe(24);
    expect(await page.getByTestId('series-row').count()).toBe(96);
    expect(await page.getByTestId('series-row').filter({ hasText: 'LOCALIZER' }).count()).toBe(0);
    expect(await page.getByTestId('localizers').evaluateAll((items) => items.map((item) => item.getAttribute('data-count')))).toEqual(Array(24).fill('3'));
    const firstStudy = page.getByTestId('study-group').first();
    expect(await firstStudy.getByTestId('series-row').allInnerTexts()).toEqual([
      expect.stringMatching(/^AX T2 FLAIR/),
      expect.stringMatching(/^COR STIR ORBITS/),
      expect.stringMatching(/^SAG T2 C-T SPINE/),
      expect.stringMatching(/^SAG 3D FLAIR/),
    ]);
    expect(await firstStudy.getByTestId('localizers-toggle').innerText()).toMatch(/3 localizers/);

    await firstStudy.getByTestId('localizers-toggle').click();
    await expect.poll(() => firstStudy.getByTestId('series-row').filter({ hasText: 'LOCALIZER' }).count()).toBe(3);
    expect(await firstStudy.getByTestId('localizers-toggle').getAttribute('aria-expanded')).toBe('true');
    await firstStudy.getByTestId('localizers-toggle').click();
    await expect.poll(() => firstStudy.getByTestId('series-row').count()).toBe(4);

    // A participant folds away and comes back.
    await groups.last().getByTestId('group-toggle').click();
    await expect.poll(() => groups.last().getByTestId('study-group').count()).toBe(0);
    await groups.last().getByTestId('group-toggle').click();
    await expect.poll(() => groups.last().getByTestId('study-group').count()).toBe(4);
  });

  it('draws a thumbnail of the middle slice for the rows in view, and for the others only once they scroll into view', async () => {
    const { page } = session;
    const firstThumbnail = page.getByTestId('study-group').first().getByTestId('thumbnail').first();
    await expect.poll(() => firstThumbnail.getAttribute('data-state'), { timeout: 60_000 }).toBe('shown');
    const stats = await canvasStats(firstThumbnail);
    expect(stats.levels).toBeGreaterThan(20);
    expect(stats.standardDeviation).toBeGreaterThan(15);

    const last = page.getByTestId('series-row').last().getByTestId('thumbnail');
    expect(await last.getAttribute('data-state')).toBe('loading');
    expect(await canvasStats(last)).toEqual({ levels: 1, standardDeviation: 0 });
    await last.scrollIntoViewIfNeeded();
    await expect.poll(() => last.getAttribute('data-state'), { timeout: 60_000 }).toBe('shown');
    expect((await canvasStats(last)).standardDeviation).toBeGreaterThan(15);
    // Thumbnails never went beyond what was scrolled past: most rows between were never in view.
    const states = await page.getByTestId('thumbnail').evaluateAll((items) => items.map((item) => item.getAttribute('data-state')));
    expect(states.filter((state) => state === 'loading').length).toBeGreaterThan(20);
    expect(states).not.toContain('failed');
    await page.locator('.series-groups').evaluate((list) => list.scrollTo(0, 0));
    await page.getByTestId('study-group').first().getByTestId('localizers-toggle').click();
    await expect.poll(() => page.getByTestId('study-group').first().locator('[data-testid="thumbnail"][data-state="shown"]').count(), { timeout: 60_000 }).toBe(7);
    await saveScreenshot(page, 'e2e-images-tab-list', '.sidebar');
    await page.getByTestId('study-group').first().getByTestId('localizers-toggle').click();
  });

  it('shows the orientation letters of the opened series, readable on a normal and an inverted image', async () => {
    const { page } = session;
    const viewport = page.getByTestId('viewport');
    const openAndWait = async (description: string) => {
      await page.getByTestId('study-group').first().getByTestId('series-row').filter({ hasText: description }).click();
      await expect.poll(() => viewport.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    };
    const letters = () => Promise.all(['left', 'right', 'top', 'bottom'].map((edge) => viewport.getByTestId(`edge-${edge}`).innerText()));

    await openAndWait('AX T2 FLAIR');
    expect(await letters()).toEqual(['R', 'L', 'A', 'P']);
    await expect.poll(async () => (await screenshotStats(page, 'e2e-images-tab-axial', '[data-testid="viewport"]')).litFraction).toBeGreaterThan(0.05);

    await openAndWait('SAG T2 C-T SPINE');
    expect(await letters()).toEqual(['A', 'P', 'S', 'I']);
    const normal = await screenshotStats(page, 'e2e-images-tab-sagittal', '[data-testid="viewport"]');
    await page.keyboard.press('i');
    await expect.poll(() => viewport.getByText('inverted').count()).toBe(1);
    // Inverted, the dark body turns white: the pane is much brighter than before.
    await expect.poll(async () => (await screenshotStats(page, 'e2e-images-tab-inverted', '[data-testid="viewport"]')).mean).toBeGreaterThan(normal.mean + 30);
    expect(session.problems).toEqual([]);
  });
});
