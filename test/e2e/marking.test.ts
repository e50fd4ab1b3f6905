// A scripted reader on the demo trial: participant 001, brain, week 12 read
// against week 0. Every lesion seen at week 0 is marked there, linked and
// measured again at week 12, every lesion new at week 12 is marked; the
// counts the app shows equal truth.json's, the marks survive a reload, and
// the CLI prints the same counts.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { createClient } from '../../shared/client';
import type { Locator } from 'playwright-core';
import { scriptedReader } from '../helpers/reader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LesionTruth, TrialTruth } from '../../shared/synthetic/truth';
import { type Session, openDemoSession, saveScreenshot, unaskedProblems } from '../helpers/browser';

let session: Session;
let truth: TrialTruth;

beforeAll(async () => {
  ({ session, truth } = await openDemoSession());
});

afterAll(async () => {
  await session?.close();
});

const reader = () => scriptedReader(session, truth);
const pane = () => reader().pane();
const goToSlice = (index: number) => reader().goToSlice(index);
const measure = (lesion: LesionTruth, visit: string) => reader().measure(lesion, visit);
const lesionCount = () => reader().lesionCount();

/** Console errors other than the refusals this file asks for: a mark before a reader is chosen, a wrong secret, exports of unsigned reads, a charter change. */
const unasked = () => unaskedProblems(session, [/status of 403 \(Forbidden\) \(\/api\/signRead\)/, /status of 409 \(Conflict\) \(\/api\/(createLesion|exportFiles|saveCharter)\)/]);

async function visitLabelIs(list: Locator, pattern: RegExp) {
  await expect.poll(() => list.innerText()).toMatch(pattern);
}

describe('marking lesions on the demo trial', () => {
  it('gives the counts of truth.json for participant 001, brain, week 12', async () => {
    const { page } = session;
    const participant = truth.participants[0]!;
    const brain = participant.lesions.filter((lesion) => lesion.region === 'brain');
    const present = (lesion: LesionTruth, visit: string) => lesion.visits.find((item) => item.visit === visit)!.present;
    const atBoth = brain.filter((lesion) => present(lesion, 'W0') && present(lesion, 'W12'));
    const newAt12 = brain.filter((lesion) => !present(lesion, 'W0') && present(lesion, 'W12'));
    expect(atBoth.length + newAt12.length).toBeGreaterThan(1);

    // Week 0 first: open week 12 from the worklist, then step back a visit.
    await page.getByTestId('tab-worklist').click();
    await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(3).locator('button').click();
    await expect.poll(() => pane().getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    await page.keyboard.press(',');
    const title = page.getByTestId('reading-title');
    await visitLabelIs(title, /Week 0/);
    await expect.poll(() => pane().getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');

    // Nobody chosen yet: the panel says so, a mark is refused, and the page says who must be chosen first.
    expect(await page.getByTestId('reader-hint').innerText()).toMatch(/Choose who is reading/);
    await saveScreenshot(page, 'e2e-no-reader', '[data-testid="reading-view"]');
    await page.keyboard.press('n');
    await measure(atBoth[0]!, 'W0');
    await expect.poll(() => page.getByTestId('reading-view').innerText()).toMatch(/Choose who is reading first/);
    expect(await lesionCount()).toBe(0);
    await page.getByTestId('reader').click();
    await page.getByTestId('new-reader-name').fill('Dr Reader');
    await page.getByTestId('new-reader-secret').fill('correct horse');
    await page.getByTestId('create-reader').click();
    await expect.poll(() => page.getByTestId('reader').innerText()).toMatch(/Dr Reader/);
    await expect.poll(() => page.getByTestId('reader-hint').count()).toBe(0);

    for (const [index, lesion] of atBoth.entries()) {
      await page.keyboard.press('n');
      await measure(lesion, 'W0');
      await expect.poll(lesionCount).toBe(index + 1);
    }

    // Week 12: the same lesions, linked and measured again; then the new ones.
    await page.keyboard.press('.');
    await visitLabelIs(title, /Week 12/);
    await expect.poll(() => pane().getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    for (const [index, lesion] of atBoth.entries()) {
      await page.getByTestId('lesion').nth(index).locator('.lesion-head').click();
      await page.keyboard.press('m');
      await measure(lesion, 'W12');
      await expect.poll(() => page.getByTestId('lesion').nth(index).getAttribute('data-status')).not.toBe('');
    }
    for (const [index, lesion] of newAt12.entries()) {
      await page.keyboard.press('n');
      await measure(lesion, 'W12');
      await expect.poll(lesionCount).toBe(atBoth.length + index + 1);
    }

    const expected = participant.counts.previous.find((row) => row.visit === 'W12' && row.region === 'brain')!;
    await expect.poll(() => page.getByTestId('count-new').innerText()).toBe(String(expected.new));
    await expect.poll(() => page.getByTestId('count-enlarging').innerText()).toBe(String(expected.enlarging));
    await expect.poll(() => page.getByTestId('count-new-or-enlarging').innerText()).toBe(String(expected.newOrEnlarging));
    // The marks of this slice are drawn where they were made.
    expect(Number(await pane().getByTestId('marks').getAttribute('data-count'))).toBeGreaterThan(0);
    await saveScreenshot(page, 'e2e-marking', '[data-testid="reading-view"]');
    expect(unasked()).toEqual([]);
  });

  it('keeps every lesion and mark after a reload', async () => {
    const { page } = session;
    const before = await page.getByTestId('lesion').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-label')}:${item.getAttribute('data-status')}`));
    await page.reload();
    await page.getByTestId('tab-worklist').click();
    await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(3).locator('button').click();
    await expect.poll(() => pane().getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    await expect.poll(() => page.getByTestId('lesion').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-label')}:${item.getAttribute('data-status')}`))).toEqual(before);
    // The marks are drawn again on their slice.
    const lesion = truth.participants[0]!.lesions.find((item) => item.region === 'brain' && item.visits.find((visit) => visit.visit === 'W12')!.present)!;
    await goToSlice(lesion.visits.find((visit) => visit.visit === 'W12')!.location.sliceIndex);
    await expect.poll(async () => Number(await pane().getByTestId('marks').getAttribute('data-count'))).toBeGreaterThan(0);
  });

  it('signs the comparator read, then this one, with the reader’s secret, locks it, and shows it in the audit trail', async () => {
    const { page } = session;
    const signOff = page.getByTestId('sign-off');
    const title = page.getByTestId('reading-title');
    // Week 12 waits for week 0, and the disabled button says so.
    await expect.poll(() => page.getByTestId('sign-problem').allInnerTexts()).toEqual(['Sign the W0 read first: the statuses of this read are measured against it.']);
    expect(await page.getByTestId('sign').isDisabled()).toBe(true);
    expect(await page.getByTestId('sign').getAttribute('title')).toMatch(/^Not ready to sign: Sign the W0 read first/);

    await page.keyboard.press(',');
    await visitLabelIs(title, /Week 0/);
    await page.getByTestId('sign-secret').fill('wrong secret');
    await page.getByTestId('sign').click();
    await expect.poll(() => page.getByTestId('reading-view').innerText()).toMatch(/secret/i);
    expect(await signOff.getAttribute('data-signed')).toBe('false');
    await page.getByTestId('sign-secret').fill('correct horse');
    await page.getByTestId('sign').click();
    await expect.poll(() => signOff.getAttribute('data-signed')).toBe('true');

    await page.keyboard.press('.');
    await visitLabelIs(title, /Week 12/);
    await expect.poll(() => page.getByTestId('sign-problem').count()).toBe(0);
    // Assisted detection's candidates of this read, once computed: those not marked here and not reviewed are asked about before signing.
    const assist = page.getByTestId('assist-panel');
    await expect.poll(() => assist.getAttribute('data-subtraction'), { timeout: 120_000 }).toBe('ready');
    await expect.poll(() => assist.getAttribute('data-unreviewed'), { timeout: 60_000 }).not.toBe('');
    const unreviewed = Number(await assist.getAttribute('data-unreviewed'));
    await page.getByTestId('sign-secret').fill('correct horse');
    await page.getByTestId('sign').click();
    if (unreviewed > 0) {
      await page.getByTestId('sign-question').waitFor();
      expect(await signOff.getAttribute('data-signed')).toBe('false');
      await page.getByTestId('sign-anyway').click();
    }
    await expect.poll(() => signOff.getAttribute('data-signed')).toBe('true');
    expect(await signOff.innerText()).toMatch(/Signed by Dr Reader/);

    // Locked: no new lesion at this visit, and the controls say why.
    const before = await lesionCount();
    expect(await page.getByTestId('new-lesion').isDisabled()).toBe(true);
    expect(await page.getByTestId('new-lesion').getAttribute('title')).toMatch(/^Signed by Dr Reader at .* UTC\. Unlock it \(below, with your secret and a reason\) to change it\.$/);
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('reading-view').innerText()).toMatch(/Signed by Dr Reader at .*Unlock it/);
    expect(await page.getByTestId('measuring').count()).toBe(0);
    expect(await lesionCount()).toBe(before);

    await page.getByTestId('tab-audit').click();
    await page.getByTestId('audit').waitFor();
    await expect.poll(() => page.getByTestId('chain').innerText()).toMatch(/Hash chain intact/);
    expect(await page.locator('[data-testid="audit-entry"][data-action="read.sign"]').count()).toBe(2);
    expect(await page.locator('[data-testid="audit-entry"][data-action="reader.secret_refused"]').count()).toBeGreaterThanOrEqual(1);
    await saveScreenshot(page, 'e2e-audit');

    // The data manager's export, saved from the page: the signed read only.
    const download = page.waitForEvent('download');
    await page.getByTestId('export-counts-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('counts.csv');
    const text = readFileSync((await file.path())!, 'utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('subject,visit,visit_num,week,region,new,enlarging,new_or_enlarging,comparator_visit,charter_id,reader,signed_at,status,evaluator,accepted');
    expect(lines.slice(1)).toHaveLength(2);
    expect(lines[1]).toMatch(/^001,W0,1,0,brain,0,0,0,,default-2026-1,Dr Reader,20/);
    expect(lines[2]).toMatch(/^001,W12,2,12,brain,1,0,1,W0,default-2026-1,Dr Reader,20/);
    await expect.poll(() => page.getByTestId('export-status').innerText()).toBe('Saved counts.csv');

    // DICOM SR of the signed read, saved as one zip: the lesions the reader drew, with their tracking UIDs.
    const srDownload = page.waitForEvent('download');
    await page.getByTestId('export-dicom-sr').click();
    const zip = await srDownload;
    expect(zip.suggestedFilename()).toBe('dicom-sr.zip');
    const entries = unzipSync(readFileSync((await zip.path())!));
    expect(Object.keys(entries)).toEqual(['dicom-sr/001_W0_brain.dcm', 'dicom-sr/001_W12_brain.dcm']);
    const sr = Buffer.from(entries['dicom-sr/001_W12_brain.dcm']!);
    expect(sr.subarray(128, 132).toString('latin1')).toBe('DICM');
    const lesions = await createClient((name, payload) => session.workstation.dispatch(name, payload)).listLesions({ participantId: 1 });
    for (const lesion of lesions.filter((item) => item.region === 'brain' && item.observations.some((observation) => observation.visitCode === 'W12'))) {
      expect(sr.includes(lesion.trackingUid), lesion.label).toBe(true);
    }
    await expect.poll(() => page.getByTestId('export-status').innerText()).toBe('Saved dicom-sr.zip (2 files)');

    // All reads: refused while any is unsigned, and the page says why.
    await page.getByTestId('export-reads-all').check();
    await page.getByTestId('export-odm').click();
    await expect.poll(() => page.getByTestId('export-status').innerText()).toMatch(/^Not exported: \d+ reads are not signed \(001 W0 optic_nerve, .*mark the export preliminary\.$/);
    await saveScreenshot(page, 'e2e-exports');

    // Preliminary, with the project's REDCap names from a mapping file: the file says it is preliminary.
    await page.getByTestId('export-reads-preliminary').check();
    await page.getByTestId('redcap-mapping').setInputFiles({ name: 'mapping.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ fields: { brain_new: 'mri_brain_new_t2' } })) });
    const redcapDownload = page.waitForEvent('download');
    await page.getByTestId('export-redcap').click();
    const redcap = await redcapDownload;
    expect(redcap.suggestedFilename()).toBe('PRELIMINARY-redcap-import.csv');
    expect(readFileSync((await redcap.path())!, 'utf8').split('\r\n')[0]).toMatch(/^record_id,redcap_event_name,mri_brain_new_t2,brain_enlarging,/);
  });

  it('records a merge and a split at a later visit, keeping both lesions’ histories', async () => {
    const { page } = session;
    await page.getByTestId('tab-reading').click();
    await expect.poll(() => pane().getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    await page.keyboard.press('.');
    await expect.poll(() => page.getByTestId('reading-title').innerText()).toMatch(/Week 24/);
    await expect.poll(() => pane().getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    const lesions = page.getByTestId('lesion');
    const count = await lesions.count();
    expect(count).toBeGreaterThanOrEqual(3);

    // The first lesion merges into the second at week 24.
    await lesions.nth(0).locator('.lesion-head').click();
    await lesions.nth(0).getByLabel('Merged into').selectOption({ index: 1 });
    await lesions.nth(0).getByRole('button', { name: /Record merge at W24/ }).click();
    await expect.poll(() => lesions.nth(0).getAttribute('data-status')).toBe('merged');
    await expect.poll(() => lesions.nth(1).getByTestId('merged-from').innerText()).toMatch(/merged from B1 \(W24\)/);

    // A new lesion splits off the third one, measured where the third one is.
    const third = truth.participants[0]!.lesions.filter((item) => item.region === 'brain' && item.visits.find((visit) => visit.visit === 'W24')!.present)[2]!;
    await lesions.nth(2).locator('.lesion-head').click();
    await lesions.nth(2).getByRole('button', { name: 'Split off a new lesion' }).click();
    await measure(third, 'W24');
    await expect.poll(lesionCount).toBe(count + 1);
    expect(await page.getByTestId('split-from').innerText()).toMatch(/split from B\d+ at W24/);
    expect(unasked()).toEqual([]);
  });

  it('refuses a new charter while a read is signed under the old one, and says why', async () => {
    const { page } = session;
    await page.getByTestId('tab-setup').click();
    const charter = page.getByTestId('charter-editor');
    await expect.poll(() => charter.getByTestId('charter-id').inputValue()).toBe('default-2026-1');
    await charter.getByTestId('charter-baseline').check();
    await charter.getByTestId('charter-reason').fill('try the baseline comparator');
    await charter.getByTestId('save-charter').click();
    await expect.poll(() => charter.getByTestId('error').innerText()).toMatch(/Charter not saved\s+This would change 2 signed reads: 001 W0 brain \(signed by Dr Reader\), 001 W12 brain \(signed by Dr Reader\)\. Unlock them, with a reason, first\./);
    // Nothing changed; the draft stays on screen to retry once the read is unlocked.
    expect(((await session.workstation.dispatch('charter', {})) as { value: { comparator: string } }).value.comparator).toBe('previous');
    expect(await charter.getByTestId('charter-baseline').isChecked()).toBe(true);
    await saveScreenshot(page, 'e2e-charter-refused', '[data-testid="charter-editor"]');
    expect(unasked()).toEqual([]);
  });
});
