// The double-read oracle in headless Chromium, on the demo trial: reader 1
// marks every truth lesion and reader 2 follows the script truth.json
// records (through the contract, as the demo does); then the adjudicator,
// on the Double reads screen, finds exactly the participants the rule names
// waiting, sides with reader 1 on every read they differ on, and exports the
// counts from the Audit and exports screen. The final rows must be
// truth.json's, and each reader's rows what they marked.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADJUDICATOR, chooseDemoReader, readIndependently } from '../../main/demo/read-demo';
import { type Client, createClient } from '../../shared/client';
import { secondReaderScript, subjectsTheScriptTouches } from '../../shared/synthetic/second-reader';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { type Session, openDemoSession, saveScreenshot } from '../helpers/browser';
import { countKey, expectedCounts } from '../helpers/double-read-truth';

let session: Session;
let client: Client;
let truth: TrialTruth;

beforeAll(async () => {
  const opened = await openDemoSession();
  session = opened.session;
  client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  truth = { ...opened.truth, secondReader: secondReaderScript(opened.truth) };
  await readIndependently(client, truth, truth.secondReader!);
  await chooseDemoReader(client, DEMO_ADJUDICATOR);
  await session.page.reload();
});

afterAll(async () => {
  await session?.close();
});

describe('the double-read oracle', () => {
  it('sends exactly the participants the script touches to the adjudicator, whose calls for reader 1 make the final counts truth.json’s', async () => {
    const { page } = session;
    await page.getByTestId('tab-double-reads').click();
    const rows = page.getByTestId('double-read');
    await expect.poll(() => rows.count()).toBe(truth.participants.length);
    const waiting = page.locator('[data-testid="double-read"][data-state="needs_adjudication"]');
    const touched = subjectsTheScriptTouches(truth.secondReader!);
    await expect.poll(async () => (await waiting.evaluateAll((items) => items.map((item) => item.getAttribute('data-subject')))).sort()).toEqual(touched);
    // The demo's six participants: some untouched by the script, and agreed.
    expect(touched.length).toBeLessThan(truth.participants.length);
    expect(await page.locator('[data-testid="double-read"][data-state="agreed"]').count()).toBe(truth.participants.length - touched.length);
    await saveScreenshot(page, 'e2e-oracle-waiting');

    // The adjudicator sides with reader 1 on every read, one call at a time, as the screen offers them.
    const form = page.getByTestId('call-form').first();
    for (let calls = 0; (await page.getByTestId('call-form').count()) > 0; calls += 1) {
      expect(calls, 'more calls than reads the readers differ on').toBeLessThan(50);
      const before = await page.getByTestId('call').count();
      await form.getByTestId('call-reader1').check();
      await form.getByTestId('call-reason').fill("reader 1's count is what the images show");
      await form.getByTestId('call-secret').fill(DEMO_ADJUDICATOR.secret);
      await form.getByTestId('sign-call').click();
      await expect.poll(() => page.getByTestId('call').count()).toBe(before + 1);
    }
    await expect.poll(() => waiting.count()).toBe(0);
    expect(await page.locator('[data-testid="double-read"][data-state="adjudicated"]').count()).toBe(touched.length);
    await saveScreenshot(page, 'e2e-oracle-adjudicated');

    // The counts the trial database gets, saved from the page.
    await page.getByTestId('tab-audit').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-counts-csv').click();
    const rowsOfCsv = parse(readFileSync((await (await download).path())!, 'utf8'), { columns: true }) as Record<string, string>[];
    for (const [evaluator, expected] of [['final', expectedCounts(truth, 'truth')], ['reader1', expectedCounts(truth, 'truth')], ['reader2', expectedCounts(truth, 'reader2')]] as const) {
      const mine = rowsOfCsv.filter((row) => row.evaluator === evaluator && row.visit !== 'ENDPOINT');
      expect(mine, evaluator).toHaveLength(expected.size);
      for (const row of mine) {
        const cell = expected.get(countKey(row.subject!, row.visit!, row.region!))!;
        expect([Number(row.new), Number(row.enlarging)], `${evaluator} ${row.subject} ${row.visit} ${row.region}`).toEqual([cell.new, cell.enlarging]);
      }
    }
    expect(rowsOfCsv.filter((row) => row.accepted === 'Y').every((row) => row.evaluator === 'final')).toBe(true);
    expect(session.problems).toEqual([]);
  });
});
