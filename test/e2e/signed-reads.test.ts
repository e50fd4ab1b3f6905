// Signed means signed, in headless Chromium on the demo trial, replaying what
// a new user found (issue 14): a remeasurement at the comparator visit that
// would change a signed read's counts is refused and the counts stay as
// signed; a read with a lesion not assessed at this visit cannot be signed,
// and the list says which lesion and goes to it; a signed read's editing
// controls are disabled and say why; after the idle limit the reader gives
// their secret again; leaving the demo leaves no reader chosen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseDemoReader, DEMO_READER } from '../../main/demo/read-demo';
import { type Client, createClient } from '../../shared/client';
import type { LesionTruth, TrialTruth } from '../../shared/synthetic/truth';
import { type Session, openDemoSession, saveScreenshot, unaskedProblems } from '../helpers/browser';
import { scriptedReader, signOpenRead } from '../helpers/reader';

let session: Session;
let truth: TrialTruth;
let client: Client;
let participantId: number;
let now = Date.UTC(2026, 10, 30, 9);
const MINUTE = 60_000;

const COLUMN = { brain: 0, spinal_cord: 1, optic_nerve: 2 } as const;
const seenAt = (lesion: LesionTruth, visit: string) => lesion.visits.find((item) => item.visit === visit)!;
/** A truth lesion of participant 001 seen at both W0 and W12 in a region. */
const lesionAtBoth = (region: string) => truth.participants[0]!.lesions.find((lesion) => lesion.region === region && seenAt(lesion, 'W0').present && seenAt(lesion, 'W12').present)!;
const measured = (lesion: LesionTruth, visit: string) => ({
  visitCode: visit,
  finding: { kind: 'measured' as const, longestDiameterMm: seenAt(lesion, visit).longestDiameterMm },
  marks: { centre: seenAt(lesion, visit).location.patientMm as [number, number, number] },
});

/** Selects a lesion in the panel (a click on a selected one would clear the selection). */
async function select(label: string) {
  const item = session.page.locator(`[data-testid="lesion"][data-label="${label}"]`);
  if (!(await item.getAttribute('class'))?.split(' ').includes('selected')) await item.locator('.lesion-head').click();
  await expect.poll(() => item.getAttribute('class')).toMatch(/\bselected\b/);
}

async function openRead(region: keyof typeof COLUMN, visitIndex: number) {
  const { page } = session;
  await page.getByTestId('tab-worklist').click();
  await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(visitIndex * 3 + COLUMN[region]).locator('button').click();
  await expect.poll(() => page.locator('[data-testid="reading-pane"][data-role="current"]').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
}

beforeAll(async () => {
  ({ session, truth } = await openDemoSession({ clock: () => now }));
  client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  await chooseDemoReader(client);
  participantId = (await client.trialSetup({})).participants.find((item) => item.subjectCode === '001')!.id;
  // Brain: B1 at W0 and W12, both reads signed. Spinal cord: S1 at W0 only, W0 signed.
  const brain = lesionAtBoth('brain');
  const { lesion: b1 } = await client.createLesion({ participantId, region: 'brain', observation: measured(brain, 'W0') });
  await client.recordObservation({ lesionId: b1.id, ...measured(brain, 'W12') });
  await client.createLesion({ participantId, region: 'spinal_cord', observation: measured(lesionAtBoth('spinal_cord'), 'W0') });
  for (const [visitCode, region] of [['W0', 'brain'], ['W12', 'brain'], ['W0', 'spinal_cord']] as const) await client.signRead({ participantId, visitCode, region, secret: DEMO_READER.secret });
  await session.page.reload();
});

afterAll(async () => {
  await session?.close();
});

describe('a signed read', () => {
  it('is read-only: every editing control is disabled and names the signature', async () => {
    const { page } = session;
    await openRead('brain', 1);
    expect(await page.getByTestId('sign-off').getAttribute('data-signed')).toBe('true');
    const lockedTitle = /^Signed by Demo reader at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. Unlock it \(below, with your secret and a reason\) to change it\.$/;
    expect(await page.getByTestId('new-lesion').isDisabled()).toBe(true);
    expect(await page.getByTestId('new-lesion').getAttribute('title')).toMatch(lockedTitle);
    await select('B1');
    const actions = page.getByTestId('lesion-actions');
    expect(await actions.getAttribute('title')).toMatch(lockedTitle);
    for (const button of await actions.getByRole('button').all()) expect(await button.isDisabled(), await button.innerText()).toBe(true);
    await saveScreenshot(page, 'e2e-signed-read-locked', '[data-testid="reading-view"]');
  });

  it('keeps its counts when its comparator is remeasured: the change is refused, naming the read', async () => {
    const { page } = session;
    const counts = async () => [await page.getByTestId('count-new').innerText(), await page.getByTestId('count-enlarging').innerText()];
    const signedCounts = await counts();
    const signedRow = async () => (await client.exportFiles({ format: 'counts-csv', reads: 'signed' })).files[0]!.content.split('\r\n').filter((line) => line.startsWith('001,W12,'));
    const exportBefore = await signedRow();
    expect(exportBefore).toEqual([expect.stringMatching(/^001,W12,2,12,brain,/)]);

    // Back to W0: unlock it with a reason, then measure B1 again there.
    await page.keyboard.press(',');
    await expect.poll(() => page.getByTestId('reading-title').innerText()).toMatch(/Week 0/);
    await page.getByTestId('sign-secret').fill(DEMO_READER.secret);
    await page.getByLabel('Reason to unlock').fill('remeasure the baseline');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByTestId('sign-off').getAttribute('data-signed')).toBe('false');
    await select('B1');
    await page.getByTestId('measure-selected').click();
    await scriptedReader(session, truth).measure(lesionAtBoth('brain'), 'W0');
    await expect.poll(() => page.getByTestId('reading-view').innerText()).toMatch(/This would change a signed read: 001 W12 brain \(signed by Demo reader\)\. Unlock it, with a reason, first\./);
    await saveScreenshot(page, 'e2e-comparator-change-refused', '[data-testid="reading-view"]');

    await page.keyboard.press('.');
    await expect.poll(() => page.getByTestId('reading-title').innerText()).toMatch(/Week 12/);
    await expect.poll(counts).toEqual(signedCounts);
    expect(await signedRow()).toEqual(exportBefore);
  });
});

describe('signing', () => {
  it('is refused while a lesion known before this visit has no finding here, and the list goes to it', async () => {
    const { page } = session;
    await openRead('spinal_cord', 1);
    const current = page.locator('[data-testid="reading-pane"][data-role="current"]');
    await expect.poll(() => page.locator('[data-testid="reading-pane"][data-role="comparator"]').getByTestId('alignment-note').innerText(), { timeout: 60_000 }).toMatch(/^aligned/);
    const problem = 'S1 (last seen at W0) has no finding at W12: measure it, or mark it resolved or not evaluable.';
    await expect.poll(() => page.getByTestId('sign-problem').allInnerTexts()).toEqual([problem]);
    await page.getByTestId('sign-secret').fill(DEMO_READER.secret);
    expect(await page.getByTestId('sign').isDisabled()).toBe(true);
    expect(await page.getByTestId('sign').getAttribute('title')).toBe(`Not ready to sign: ${problem}`);
    await saveScreenshot(page, 'e2e-sign-problems', '[data-testid="lesion-panel"]');

    await page.getByTestId('jump-to-lesion').click();
    await expect.poll(() => page.locator('[data-testid="lesion"].selected').getAttribute('data-label')).toBe('S1');
    const target = seenAt(lesionAtBoth('spinal_cord'), 'W12').location.sliceIndex;
    await expect.poll(async () => Math.abs(Number(await current.getAttribute('data-slice-index')) - target)).toBeLessThanOrEqual(1);
  });
});

describe('an idle reader', () => {
  it('gives their secret again before the next change, and nothing is changed meanwhile', async () => {
    const { page } = session;
    const reader = scriptedReader(session, truth);
    now += 16 * MINUTE;
    await page.getByTestId('measure-selected').click();
    await reader.measure(lesionAtBoth('spinal_cord'), 'W12');
    await page.getByTestId('session-locked').waitFor();
    expect(await page.getByTestId('reader').getAttribute('data-locked')).toBe('true');
    expect(await page.getByTestId('session-locked').innerText()).toBe('Idle for too long: Demo reader, give your secret to go on. Nothing was changed in the meantime.');
    await saveScreenshot(page, 'e2e-session-locked');
    expect((await client.readReadiness({ participantId, visitCode: 'W12', region: 'spinal_cord' })).ready).toBe(false);

    await page.getByTestId('reader-secret').fill(DEMO_READER.secret);
    await page.getByTestId('choose-reader').click();
    await expect.poll(() => page.getByTestId('reader').getAttribute('data-locked')).toBe('false');
    await page.getByTestId('measure-selected').click();
    await reader.measure(lesionAtBoth('spinal_cord'), 'W12');
    await expect.poll(() => page.getByTestId('sign-problem').count()).toBe(0);
    await signOpenRead(page, DEMO_READER.secret);
  });
});

describe('leaving the demo', () => {
  it('leaves no reader chosen in the trial store', async () => {
    const { page } = session;
    expect(await page.getByTestId('reader').innerText()).toMatch(/^Demo reader/);
    await page.getByTestId('leave-demo').click();
    await expect.poll(() => page.getByTestId('workspace').getAttribute('data-demo')).toBe('false');
    await expect.poll(() => page.getByTestId('reader').innerText()).toBe('Choose reader');
    const asked = [/status of 409 \(Conflict\) \(\/api\/recordObservation\)/, /status of 401 \(Unauthorized\) \(\/api\/recordObservation\)/];
    expect(unaskedProblems(session, asked)).toEqual([]);
  });
});
