// The worklist shows the work, in headless Chromium on the demo trial: a read
// goes from not started to in progress with its first mark (made in the
// reading room) and to signed with its signature; the cells are buttons
// that light up under the pointer and show the keyboard's focus; the filters
// narrow the rows and cells; "Next read" opens the first read still to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseDemoReader, DEMO_READER } from '../../main/demo/read-demo';
import { type Client, createClient } from '../../shared/client';
import type { LesionTruth, TrialTruth } from '../../shared/synthetic/truth';
import { type Session, openDemoSession, saveScreenshot } from '../helpers/browser';
import { scriptedReader, signOpenRead } from '../helpers/reader';

let session: Session;
let truth: TrialTruth;
let client: Client;
let participantId: number;

const W0_BRAIN = 0;
const W0_SPINAL_CORD = 1;
const W12_BRAIN = 3;

const cells = (subject: string) => session.page.locator(`[data-testid="worklist-row"][data-subject="${subject}"] [data-testid="worklist-cell"]`);
const stateOf = (subject: string, column: number) => cells(subject).nth(column).getAttribute('data-read-state');

async function showWorklist() {
  await session.page.getByTestId('tab-worklist').click();
  await session.page.getByTestId('worklist').waitFor();
}

async function openRead(column: number) {
  const { page } = session;
  await cells('001').nth(column).locator('button').click();
  await expect.poll(() => page.locator('[data-testid="reading-pane"][data-role="current"]').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
}

beforeAll(async () => {
  ({ session, truth } = await openDemoSession());
  client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  await chooseDemoReader(client);
  participantId = (await client.trialSetup({})).participants.find((item) => item.subjectCode === '001')!.id;
  await session.page.reload();
});

afterAll(async () => {
  await session?.close();
});

describe('the worklist', () => {
  it('shows a read not started, then in progress after its first mark in the reading room', async () => {
    const { page } = session;
    await showWorklist();
    expect(await page.locator('[data-testid="worklist-cell"][data-status="present"]').count()).toBe(72);
    expect(await page.locator('[data-testid="worklist-cell"][data-read-state="not_started"]').count()).toBe(72);
    const w12 = cells('001').nth(W12_BRAIN);
    expect(await w12.getAttribute('data-read-state')).toBe('not_started');
    expect(await w12.getAttribute('data-reader')).toBe('');
    expect(await w12.locator('button').getAttribute('title')).toBe('001 Week 12 Brain: not started\nSign the W0 read first: the statuses of this read are measured against it.\nAX T2 FLAIR (FLAIR)\nSAG 3D FLAIR (FLAIR)');

    await openRead(W12_BRAIN);
    const lesionNewAtW12 = truth.participants[0]!.lesions.find((lesion: LesionTruth) => lesion.region === 'brain' && !lesion.visits.find((item) => item.visit === 'W0')!.present && lesion.visits.find((item) => item.visit === 'W12')!.present)!;
    await page.keyboard.press('n');
    await scriptedReader(session, truth).measure(lesionNewAtW12, 'W12');
    await expect.poll(() => page.getByTestId('lesion').count()).toBe(1);

    await showWorklist();
    // Its comparator (W0) is not signed yet: the read is in progress, by the demo reader, one new lesion.
    await expect.poll(() => stateOf('001', W12_BRAIN)).toBe('in_progress');
    expect(await w12.getAttribute('data-reader')).toBe(DEMO_READER.name);
    expect(await w12.getAttribute('data-count')).toBe('1');
    expect(await w12.locator('button').innerText()).toMatch(/^◐\s*\+1\s*Demo reader\s*\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await w12.locator('button').getAttribute('title')).toMatch(/^001 Week 12 Brain: in progress\nLast changed by Demo reader at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\nNew or enlarging: 1\nSign the W0 read first/);
  });

  it('shows it signed once it is signed in the reading room', async () => {
    const { page } = session;
    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: DEMO_READER.secret });
    await openRead(W12_BRAIN);
    await expect.poll(() => page.getByTestId('sign-problem').count()).toBe(0);
    await signOpenRead(page, DEMO_READER.secret);

    await showWorklist();
    await expect.poll(() => stateOf('001', W12_BRAIN)).toBe('signed');
    expect(await stateOf('001', W0_BRAIN)).toBe('signed');
    expect(await cells('001').nth(W12_BRAIN).getAttribute('data-count')).toBe('1');
  });

  it('has cells that look and act like buttons: a hover state and the keyboard’s focus', async () => {
    const { page } = session;
    const button = cells('002').nth(W0_BRAIN).locator('button');
    const background = () => button.evaluate((element) => getComputedStyle(element).backgroundColor);
    const resting = await background();
    await button.hover();
    await expect.poll(background).not.toBe(resting);
    expect(await button.evaluate((element) => getComputedStyle(element).cursor)).toBe('pointer');

    // From the Next read button, Tab reaches the first cell of the first row, and shows where the focus is.
    await page.getByTestId('next-read').focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement!;
      return { cell: element.closest('[data-testid="worklist-cell"]') !== null, visible: element.matches(':focus-visible'), outline: getComputedStyle(element).outlineStyle };
    });
    expect(focused).toEqual({ cell: true, visible: true, outline: 'solid' });
    await saveScreenshot(page, 'e2e-worklist-states', '[data-testid="worklist"]');
  });

  it('narrows the rows and cells by state and by reader', async () => {
    const { page } = session;
    const rows = page.getByTestId('worklist-row');
    const lit = page.locator('[data-testid="worklist-cell"]:not(.cell-dim)');
    await page.getByTestId('worklist-filter-state').selectOption('signed');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.getAttribute('data-subject')).toBe('001');
    expect(await lit.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-read-state')))).toEqual(['signed', 'signed']);
    expect(await page.getByTestId('worklist-shown').innerText()).toBe('1 of 6 participants');

    await page.getByTestId('worklist-filter-state').selectOption('');
    await page.getByTestId('worklist-filter-reader').selectOption(DEMO_READER.name);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await lit.count()).toBe(2);
    // Both of the demo reader's reads are signed: nothing is next.
    expect(await page.getByTestId('next-read').isDisabled()).toBe(true);

    await page.getByTestId('worklist-filter-reader').selectOption('');
    await page.getByTestId('worklist-filter-state').selectOption('not_started');
    await expect.poll(() => rows.count()).toBe(6);
    expect(await lit.count()).toBe(70);
  });

  it('opens the next read to do, in row, visit and region order, within the filter', async () => {
    const { page } = session;
    // 001: week 0 brain is signed; week 0 spinal cord is the first read not started.
    expect(await page.getByTestId('next-read').getAttribute('title')).toBe('Open 001 Week 0 (baseline) Spinal cord (not started)');
    expect(await stateOf('001', W0_SPINAL_CORD)).toBe('not_started');
    await page.getByTestId('next-read').click();
    await page.getByTestId('reading-view').waitFor();
    await expect.poll(() => page.getByTestId('reading-title').innerText()).toBe('001 · Spinal cord · Week 0 (baseline)');
    expect(session.problems).toEqual([]);
  });

  it('shows every state at a glance', async () => {
    const { page } = session;
    const ids = new Map((await client.trialSetup({})).participants.map((item) => [item.subjectCode, item.id]));
    const lesion = (subject: string, region: 'brain' | 'spinal_cord', visitCode: string) =>
      client.createLesion({ participantId: ids.get(subject)!, region, observation: { visitCode, finding: { kind: 'measured', longestDiameterMm: 6 }, ...(region === 'spinal_cord' ? { levels: { upper: 'C3', lower: 'C4' }, extentReason: 'typed for this test' } : {}) } });
    // 001 spinal cord: a lesion at week 0, signed there, and a new one at week 12 with the first not assessed.
    await lesion('001', 'spinal_cord', 'W0');
    await client.signRead({ participantId, visitCode: 'W0', region: 'spinal_cord', secret: DEMO_READER.secret });
    await lesion('001', 'spinal_cord', 'W12');
    // 002: a baseline read with nothing standing before its signature; 003: a week 12 read whose comparator is not signed.
    await lesion('002', 'brain', 'W0');
    await lesion('003', 'brain', 'W12');
    await showWorklist();
    await expect.poll(() => stateOf('001', W12_BRAIN + 1)).toBe('needs_decision');
    expect([await stateOf('001', W0_SPINAL_CORD), await stateOf('002', W0_BRAIN), await stateOf('003', W12_BRAIN)]).toEqual(['signed', 'awaiting_signature', 'in_progress']);
    expect(await page.getByTestId('next-read').getAttribute('title')).toBe('Open 001 Week 0 (baseline) Optic nerves (not started)');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'e2e-worklist');
  });
});
