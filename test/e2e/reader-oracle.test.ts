// The oracle, in the browser: a scripted reader marks every lesion of
// participant 001 of the demo trial, in every region and visit, where
// truth.json places it, links it across visits, marks it resolved when it
// goes, and accepts the suggestions. The counts shown at each visit, and
// those `lesiontrack counts` prints, equal truth.json's, for both comparators,
// and so does every lesion's status at every visit, counted or not.
import { chooseDemoReader } from '../../main/demo/read-demo';
import { createClient } from '../../shared/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/main';
import type { CountsReport, LesionView } from '../../shared/contract';
import { REGIONS } from '../../shared/protocol';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { type Session, openDemoSession, saveScreenshot } from '../helpers/browser';
import { scriptedReader } from '../helpers/reader';
import { appStatuses, truthStatuses } from '../helpers/truth-statuses';

let session: Session;
let truth: TrialTruth;

beforeAll(async () => {
  ({ session, truth } = await openDemoSession());
  // The reader chosen at the start of the session, as the header's reader button does it.
  await chooseDemoReader(createClient((name, payload) => session.workstation.dispatch(name, payload)));
  await session.page.reload();
});

afterAll(async () => {
  await session?.close();
});

async function printedCounts(): Promise<CountsReport> {
  let out = '';
  const code = await runCli(['counts', '--json', '--db', session.workstation.db.name], { out: (text) => (out += text), err: () => {} });
  expect(code).toBe(0);
  return JSON.parse(out) as CountsReport;
}

async function compare(report: CountsReport, comparator: 'previous' | 'baseline') {
  const participant = truth.participants[0]!;
  const counted = report.participants.find((item) => item.subjectCode === participant.subject)!;
  for (const row of participant.counts[comparator]) {
    const cell = counted.cells.find((item) => item.visitCode === row.visit && item.region === row.region)!;
    expect([cell.new, cell.enlarging, cell.newOrEnlarging], `${row.visit} ${row.region} (${comparator})`).toEqual([row.new, row.enlarging, row.newOrEnlarging]);
  }
  expect(counted.endpointTotal).toBe(participant.endpoint[comparator]);
  const lesions = (await session.workstation.dispatch('listLesions', { participantId: counted.participantId })) as { ok: true; value: LesionView[] };
  expect(appStatuses(lesions.value, truth.visits.map((visit) => visit.code)), `statuses (${comparator})`).toEqual(truthStatuses(participant, comparator));
}

describe('a scripted reader on participant 001', () => {
  it('marks every lesion of every region and visit, and the counts equal truth.json for both comparators', async () => {
    const { page } = session;
    const reader = scriptedReader(session, truth);
    const visits = truth.visits.map((visit) => visit.code);
    for (const [regionIndex, region] of REGIONS.entries()) {
      await page.getByTestId('tab-worklist').click();
      await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(regionIndex).locator('button').click();
      const labels = new Map<string, string>();
      const lastSeen = new Map<string, boolean>();
      for (const [visitIndex, visit] of visits.entries()) {
        if (visitIndex > 0) await page.keyboard.press('.');
        await expect.poll(() => reader.pane().getAttribute('data-visit')).toBe(visit);
        await expect.poll(() => reader.pane().getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
        for (const lesion of reader.participant.lesions.filter((item) => item.region === region)) {
          const seen = lesion.visits.find((item) => item.visit === visit)!;
          const label = labels.get(lesion.id);
          const item = () => page.locator(`[data-testid="lesion"][data-label="${label}"]`);
          const select = async () => {
            if ((await item().getAttribute('class'))?.includes('selected') !== true) await item().locator('.lesion-head').click();
          };
          if (seen.present && label === undefined) {
            const before = await reader.lesionCount();
            await page.keyboard.press('n');
            await reader.measure(lesion, visit);
            await expect.poll(reader.lesionCount).toBe(before + 1);
            labels.set(lesion.id, (await page.getByTestId('lesion').last().getAttribute('data-label'))!);
          } else if (seen.present) {
            await select();
            await page.keyboard.press('m');
            await reader.measure(lesion, visit);
            await expect.poll(() => item().getAttribute('data-status')).not.toBe('');
          } else if (label !== undefined && lastSeen.get(lesion.id)) {
            await select();
            await item().getByRole('button', { name: 'Resolved' }).click();
            await expect.poll(() => item().getAttribute('data-status')).toBe('resolved');
          }
          lastSeen.set(lesion.id, seen.present);
        }
        // What the panel shows for this visit and region.
        const expected = reader.participant.counts.previous.find((row) => row.visit === visit && row.region === region);
        await expect.poll(() => page.getByTestId('count-new').innerText()).toBe(String(expected?.new ?? 0));
        await expect.poll(() => page.getByTestId('count-enlarging').innerText()).toBe(String(expected?.enlarging ?? 0));
      }
      await saveScreenshot(page, `e2e-oracle-${region.replace('_', '-')}`, '[data-testid="reading-view"]');
    }
    await expect.poll(() => page.getByTestId('count-endpoint').innerText()).toBe(String(truth.participants[0]!.endpoint.previous));

    await compare(await printedCounts(), 'previous');
    const charter = (await session.workstation.dispatch('charter', {})) as { ok: true; value: { id: string } };
    expect((await session.workstation.dispatch('saveCharter', { charter: { ...charter.value, id: 'baseline-comparator', comparator: 'baseline' }, reason: 'the alternative setting' })).ok).toBe(true);
    await compare(await printedCounts(), 'baseline');
    expect(session.problems).toEqual([]);
  });
});
