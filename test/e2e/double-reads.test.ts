// Double reads in headless Chromium: the data manager sets the trial to two
// independent readers with the adjudication rule, the Double reads screen
// follows each participant from reading to final with the readers'
// disagreement and their agreement, and a reader never gets that screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../shared/client';
import { type Session, openSession, saveScreenshot, unaskedProblems } from '../helpers/browser';
import { READER_SECRET, organiseSyntheticParticipant, signWholeTrack } from '../helpers/trial-store';

let session: Session;
let client: Client;
let participantId: number;
const readers: Record<'first' | 'second', number> = { first: 0, second: 0 };

beforeAll(async () => {
  session = await openSession();
  client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  await organiseSyntheticParticipant(client);
  participantId = (await client.trialSetup({})).participants[0]!.id;
  readers.first = (await client.createReader({ name: 'Dr First', role: 'reader', secret: READER_SECRET })).id;
  readers.second = (await client.createReader({ name: 'Dr Second', role: 'reader', secret: READER_SECRET })).id;
  await session.page.goto(session.host.url);
});

afterAll(async () => {
  await session?.close();
});

describe('double reads', () => {
  it('are chosen in the trial setup with their adjudication rule, with a reason, before reading starts', async () => {
    const { page } = session;
    await expect.poll(() => page.getByTestId('tab-double-reads').count()).toBe(0);
    await page.getByTestId('tab-setup').click();
    const panel = page.getByTestId('reading-design');
    await panel.getByTestId('design-double').check();
    await panel.getByTestId('rule-difference_at_least').check();
    await panel.getByTestId('rule-threshold').fill('0');
    await expect.poll(() => panel.innerText()).toMatch(/must be a whole number from 1 to 20/);
    await panel.getByTestId('rule-threshold').fill('2');
    expect(await panel.getByTestId('save-design').isDisabled()).toBe(true);
    // Blinding is on by default; these readers are followed by their visits here (blinding has its own test).
    expect(await panel.getByTestId('design-blinded').isChecked()).toBe(true);
    await panel.getByTestId('design-blinded').uncheck();
    await panel.getByTestId('design-reason').fill('two independent readers, charter v2');
    await panel.getByTestId('save-design').click();
    await expect.poll(() => client.readingDesign({})).toEqual({ design: 'double', adjudication: { rule: 'difference_at_least', threshold: 2 }, blinded: false });
    await page.getByTestId('tab-double-reads').waitFor();
    await saveScreenshot(page, 'e2e-reading-design', '[data-testid="reading-design"]');
    expect(session.problems).toEqual([]);
  });

  it('follows a participant from reading to final, and shows where the readers differ and how far they agree', async () => {
    const { page } = session;
    await page.getByTestId('tab-double-reads').click();
    const row = page.locator('[data-testid="double-read"][data-subject="001"]');
    await expect.poll(() => row.getAttribute('data-state')).toBe('reading');
    expect(await row.innerText()).toMatch(/not taken · 0 of 12 signed/);

    // Reader 1 counts one new lesion at W12; reader 2 none. A difference of 1 is under the rule's 2: agreed, and the lower count is final.
    await client.chooseReader({ readerId: readers.first, secret: READER_SECRET });
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: 6 }, marks: { centre: [10, 20, 30] } } });
    await signWholeTrack(client, participantId);
    await client.chooseReader({ readerId: readers.second, secret: READER_SECRET });
    await signWholeTrack(client, participantId);
    await client.chooseReader({ readerId: (await client.createReader({ name: 'Data Manager', role: 'data_manager', secret: READER_SECRET })).id, secret: READER_SECRET });

    await page.reload();
    await page.getByTestId('tab-double-reads').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('agreed');
    expect(await row.innerText()).toMatch(/Dr First · 12 of 12 signed/);
    expect(await row.getByTestId('disagreement').innerText()).toBe('W12 brain: reader 1 counts 1, reader 2 counts 0 (no partner within 5 mm: B1 of reader 1) · within the rule');
    const all = page.locator('[data-testid="agreement-region"][data-region="all"]');
    await all.waitFor();
    // One participant, three endpoint visits in three regions; reader 1's one lesion has no partner.
    expect(await all.innerText()).toMatch(/, n = 3\s.*, n = 9\b.*\s0\.00 \(.*\), n = 1/s);
    expect(await page.getByTestId('adjudication-rate').innerText()).toMatch(/^Adjudication rate: 0\.00 \(0\.00 to 0\.\d\d\), n = 1$/);
    // The counts the data manager exports are the final ones: the lower count, 0.
    expect((await client.counts({})).trialTotal).toBe(0);
    await saveScreenshot(page, 'e2e-double-reads');
    // The worklist follows each read per reader, and gives the final count.
    await page.getByTestId('tab-worklist').click();
    const cell = page.locator('[data-testid="worklist-cell"]').first();
    await expect.poll(() => cell.getAttribute('data-read-state')).toBe('signed');
    expect(await cell.getByTestId('cell-tracks').innerText()).toMatch(/R1 ✓\s*R2 ✓/);
    await saveScreenshot(page, 'e2e-double-reads-worklist');
    await page.getByTestId('tab-double-reads').click();
    expect(session.problems).toEqual([]);
  });

  it("lets the adjudicator call each read the readers differ on, with a reason and their secret, and the calls make the final counts", async () => {
    const { page } = session;
    // Reader 1 reopens their last read (nothing is measured against it) and counts two more new lesions at W52: 2 against 0 is the rule's difference.
    await client.chooseReader({ readerId: readers.first, secret: READER_SECRET });
    const w52 = { participantId, visitCode: 'W52', region: 'brain' as const };
    await client.unlockRead({ ...w52, reason: 'two more lesions on a second look', secret: READER_SECRET });
    for (const centre of [[-30, 10, 40], [35, -5, 45]] as const) await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W52', finding: { kind: 'measured', longestDiameterMm: 5 }, marks: { centre: [...centre] } } });
    await client.signRead({ ...w52, secret: READER_SECRET });
    const adjudicator = await client.createReader({ name: 'Dr Adjudicator', role: 'adjudicator', secret: READER_SECRET });
    await client.chooseReader({ readerId: adjudicator.id, secret: READER_SECRET });

    await page.reload();
    await page.getByTestId('tab-double-reads').click();
    const row = page.locator('[data-testid="double-read"][data-subject="001"]');
    await expect.poll(() => row.getAttribute('data-state')).toBe('needs_adjudication');
    const reads = row.getByTestId('disagreement');
    await expect.poll(() => reads.count()).toBe(2);
    const [w12Read, w52Read] = [reads.nth(0), reads.nth(1)];
    expect(await w52Read.innerText()).toMatch(/^W52 brain: reader 1 counts 2, reader 2 counts 0 .* · the counts differ by 2 or more/);

    // The form says what is missing before it asks main.
    await w12Read.getByTestId('call-reader1').check();
    await expect.poll(() => w12Read.getByTestId('why-not').innerText()).toMatch(/Give the reason for your call/);
    expect(await w12Read.getByTestId('sign-call').isDisabled()).toBe(true);
    await w12Read.getByTestId('call-reason').fill('B1 is a new lesion on the W12 FLAIR');
    // A wrong secret is refused by main, and nothing is signed.
    await w12Read.getByTestId('call-secret').fill('not my secret');
    await w12Read.getByTestId('sign-call').click();
    await expect.poll(() => w12Read.innerText()).toMatch(/The call was not signed/);
    await w12Read.getByTestId('call-secret').fill(READER_SECRET);
    await w12Read.getByTestId('sign-call').click();
    await expect.poll(() => w12Read.getByTestId('call').count()).toBe(1);
    expect(await w12Read.getByTestId('call').innerText()).toBe("Decided by Dr Adjudicator: reader 1's count, 1 (1 new, 0 enlarging). “B1 is a new lesion on the W12 FLAIR”");

    await w52Read.getByTestId('call-adjudicator').check();
    await w52Read.getByTestId('call-new').fill('1');
    await w52Read.getByTestId('call-enlarging').fill('0');
    await w52Read.getByTestId('call-reason').fill('one of the two is a perivascular space');
    await w52Read.getByTestId('call-secret').fill(READER_SECRET);
    await saveScreenshot(page, 'e2e-adjudication-call', '[data-testid="double-read"][data-subject="001"]');
    await w52Read.getByTestId('sign-call').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('adjudicated');
    expect(await w52Read.getByTestId('call').innerText()).toMatch(/^Decided by Dr Adjudicator: their own count, 1 \(1 new, 0 enlarging\)/);
    // Final: W12 and W52 count one each.
    expect((await client.counts({})).trialTotal).toBe(2);
    // A call is reopened with a reason and decided again: the participant waits for it meanwhile.
    await w12Read.getByTestId('reopen-call').locator('summary').click();
    await w12Read.getByTestId('reopen-reason').fill('reader 2 may be right: B1 is faint');
    await w12Read.getByTestId('reopen-secret').fill(READER_SECRET);
    await w12Read.getByTestId('reopen').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('needs_adjudication');
    await w12Read.getByTestId('call-reader2').check();
    await w12Read.getByTestId('call-reason').fill('on a second look B1 is flow artefact');
    await w12Read.getByTestId('call-secret').fill(READER_SECRET);
    await w12Read.getByTestId('sign-call').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('adjudicated');
    expect(await w12Read.getByTestId('call').innerText()).toMatch(/reader 2's count, 0 /);
    expect((await client.counts({})).trialTotal).toBe(1);
    await saveScreenshot(page, 'e2e-adjudicated');
    // The wrong secret was refused, as asked; nothing else went wrong.
    expect(unaskedProblems(session, [/status of 403 \(Forbidden\) \(\/api\/adjudicate\)/])).toEqual([]);
  });

  it('is never shown to a reader, who is not told of the other read', async () => {
    const { page } = session;
    await client.chooseReader({ readerId: readers.second, secret: READER_SECRET });
    await page.reload();
    await page.getByTestId('tab-worklist').waitFor();
    await expect.poll(() => page.getByTestId('tab-double-reads').count()).toBe(0);
    await expect(client.adjudication({})).rejects.toMatchObject({ code: 'forbidden' });
  });
});
