// The reading room on the demo trial, in headless Chromium: participant 001,
// each region, week 12 beside week 0. Scrolled to the slice of a known
// lesion, the comparator shows the same anatomical level after alignment
// (within one slice thickness), and the keyboard moves through the worklist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { type Session, expectPanesFilled, openDemoSession, pixelStats, saveScreenshot } from '../helpers/browser';
import { showAcquiredComparator } from '../helpers/reader';

let session: Session;

let truth: TrialTruth;

beforeAll(async () => {
  ({ session, truth } = await openDemoSession());
});

afterAll(async () => {
  await session?.close();
});

const COLUMN = { brain: 3, spinal_cord: 4, optic_nerve: 5 } as const; // week 12 columns of the worklist

async function goToSlice(role: 'current' | 'comparator', index: number) {
  const { page } = session;
  const pane = page.locator(`[data-testid="reading-pane"][data-role="${role}"]`);
  for (let step = 0; step < 80; step += 1) {
    const at = Number(await pane.getAttribute('data-slice-index'));
    if (at === index) return;
    await page.keyboard.press(at < index ? 'ArrowDown' : 'ArrowUp');
    await expect.poll(async () => Number(await pane.getAttribute('data-slice-index'))).not.toBe(at);
  }
  throw new Error(`could not reach slice ${index}`);
}

describe('the reading room', () => {
  for (const region of ['brain', 'spinal_cord', 'optic_nerve'] as const) {
    it(`shows week 12 beside week 0 at the same anatomy for the ${region.replace('_', ' ')}`, async () => {
      const { page } = session;
      await page.getByTestId('tab-worklist').click();
      await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(COLUMN[region]).locator('button').click();
      const current = page.locator('[data-testid="reading-pane"][data-role="current"]');
      const comparator = page.locator('[data-testid="reading-pane"][data-role="comparator"]');
      expect(await current.getAttribute('data-visit')).toBe('W12');
      expect(await comparator.getAttribute('data-visit')).toBe('W0');
      await expect.poll(() => current.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
      await expect.poll(() => comparator.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
      await expect.poll(() => comparator.getByTestId('alignment-note').innerText(), { timeout: 60_000 }).toMatch(/aligned automatically/);
      await showAcquiredComparator(page);

      // A lesion seen at both visits, inside both volumes: go to its slice at week 12.
      const lesion = truth.participants[0]!.lesions.find(
        (candidate) => candidate.region === region && candidate.visits.every((visit) => (visit.visit === 'W0' || visit.visit === 'W12' ? visit.present && visit.location.inside : true)),
      )!;
      const at = (visit: string) => lesion.visits.find((item) => item.visit === visit)!.location;
      await goToSlice('current', at('W12').sliceIndex);
      await expect.poll(async () => Math.abs(Number(await comparator.getAttribute('data-slice-index')) - at('W0').sliceIndex)).toBeLessThanOrEqual(1);

      const name = `e2e-reading-${region.replace('_', '-')}`;
      const { png } = await saveScreenshot(page, name, '[data-testid="reading-view"]');
      const stats = pixelStats(png);
      expect(stats.litFraction).toBeGreaterThan(0.05);
      expect(session.problems).toEqual([]);
    });
  }

  it('nudges the comparator by a slice with Shift+arrow and keeps that alignment', async () => {
    const { page } = session;
    const comparator = page.locator('[data-testid="reading-pane"][data-role="comparator"]');
    const before = Number(await comparator.getAttribute('data-slice-index'));
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(async () => Number(await comparator.getAttribute('data-slice-index'))).toBe(before + 1);
    await expect.poll(() => comparator.getByTestId('alignment-note').innerText()).toBe('aligned by hand');
  });

  it('moves to the next region and participant by key, and shows all visits four-up', async () => {
    const { page } = session;
    await page.getByTestId('tab-worklist').click();
    await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(COLUMN.optic_nerve).locator('button').click();
    const title = page.getByTestId('reading-title');
    await expect.poll(() => title.innerText()).toMatch(/^001 · Optic nerves · Week 12/);
    await page.keyboard.press(']');
    await expect.poll(() => title.innerText()).toMatch(/^001 · Brain · Week 12/);
    await page.keyboard.press('}');
    await expect.poll(() => title.innerText()).toMatch(/^002 · Brain · Week 12/);
    await page.keyboard.press('l');
    await expect.poll(() => page.getByTestId('reading-pane').count()).toBe(4);
    await expect.poll(async () => (await page.getByTestId('reading-pane').evaluateAll((panes) => panes.map((pane) => pane.getAttribute('data-rendered')))).every((value) => value === 'true'), { timeout: 60_000 }).toBe(true);
    await saveScreenshot(page, 'e2e-reading-four-up', '[data-testid="reading-view"]');
    await expectPanesFilled(page);
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Backspace');
    await page.getByTestId('worklist').waitFor();
    expect(session.problems).toEqual([]);
  });

  it('switches a pane to another series of the visit, chosen by its thumbnail', async () => {
    const { page } = session;
    const worklist = (await session.workstation.dispatch('worklist', {})) as { value: { rows: { subjectCode: string; cells: { visitCode: string; region: string; series: { seriesId: number }[] }[] }[] } };
    const row = worklist.value.rows.find((item) => item.subjectCode === '003')!;
    const orbits = row.cells.find((cell) => cell.visitCode === 'W12' && cell.region === 'optic_nerve')!.series[0]!.seriesId;
    // A third series for the brain at week 12, beside its 2D and 3D FLAIR (a reader's override, as for a repeated sequence).
    expect((await session.workstation.dispatch('assignSeries', { seriesId: orbits, region: 'brain', sequence: 'STIR', reason: 'second brain series for the test' })).ok).toBe(true);
    await page.getByTestId('tab-worklist').click();
    await page.locator('[data-testid="worklist-row"][data-subject="003"] [data-testid="worklist-cell"]').nth(COLUMN.brain).locator('button').click();
    const current = page.locator('[data-testid="reading-pane"][data-role="current"]');
    await expect.poll(() => current.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    const before = await current.getAttribute('data-series-id');
    await current.getByTestId('series-switcher').click();
    await expect.poll(() => page.getByTestId('thumbnail').evaluateAll((items) => items.map((item) => item.getAttribute('data-state')))).toEqual(['shown', 'shown', 'shown']);
    await saveScreenshot(page, 'e2e-series-switcher', '[data-testid="reading-view"]');
    await page.getByTestId('series-choice').filter({ hasNotText: 'FLAIR' }).click();
    await expect.poll(() => current.getAttribute('data-series-id')).toBe(String(orbits));
    expect(before).not.toBe(String(orbits));
    await expect.poll(() => current.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    expect(session.problems).toEqual([]);
  });
});
