// The adjudicator's reading room in headless Chromium, on the synthetic
// participant read twice: reader 1 marks two new brain lesions at W12 where
// truth.json puts them, reader 2 marks the first of them 3 mm away and not
// the second. Before reader 2 signs, the room says there is nothing to
// adjudicate yet and shows no marks; once both have signed, it shows both
// readers' marks on the same panes, one colour per reader, pairs the two
// marks of the first lesion within the tolerance, lists the second as reader
// 1's only, brings the panes to a lesion chosen in the list, marks nothing,
// and signs the adjudicator's call. A reader's room is as it was.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../shared/client';
import type { LesionTruth } from '../../shared/synthetic/truth';
import type { Vec3 } from '../../shared/vector';
import { type Session, openSession, saveScreenshot } from '../helpers/browser';
import { READER_SECRET, organiseSyntheticParticipant, signWholeTrack } from '../helpers/trial-store';

let session: Session;
let page: Page;
let client: Client;
let participantId: number;
let w12Label: string;
/** The two brain lesions reader 1 marks at W12: B1 and B2 in their track. */
let lesions: [LesionTruth, LesionTruth];
const readers = { first: 0, second: 0, adjudicator: 0 };

const pane = (role: 'current' | 'comparator') => page.locator(`[data-testid="reading-pane"][data-role="${role}"]`);
const panel = () => page.getByTestId('adjudication-panel');
const atW12 = (lesion: LesionTruth) => lesion.visits.find((visit) => visit.visit === 'W12')!.location;

/** A new lesion measured at W12: a 6 mm diameter through `centre` along x. */
async function markAtW12(centre: Vec3) {
  const [x, y, z] = centre;
  await client.createLesion({
    participantId,
    region: 'brain',
    observation: { visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: 6 }, marks: { centre: [x, y, z], diameter: [[x - 3, y, z], [x + 3, y, z]] } },
  });
}

async function choose(readerId: number) {
  await client.chooseReader({ readerId, secret: READER_SECRET });
  await page.reload();
}

async function openW12BrainFromWorklist() {
  await page.getByTestId('tab-worklist').click();
  await page.getByRole('button', { name: new RegExp(`^001 ${w12Label} Brain:`) }).click();
  await expect.poll(() => pane('current').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
}

/** The marks drawn on a pane: label, reader and classes of each. */
const marksOn = (role: 'current' | 'comparator', testId: 'mark' | 'ghost-mark' = 'mark') =>
  pane(role)
    .locator(`[data-testid="${testId}"]`)
    .evaluateAll((marks) => marks.map((mark) => ({ label: mark.getAttribute('data-label'), reader: mark.getAttribute('data-reader'), classes: mark.getAttribute('class') })).sort((a, b) => a.label!.localeCompare(b.label!)));

beforeAll(async () => {
  session = await openSession();
  page = session.page;
  client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  const { truth } = await organiseSyntheticParticipant(client);
  participantId = (await client.trialSetup({})).participants[0]!.id;
  // Not blinded: the readers' rooms are compared by their visits (blinding has its own tests).
  await client.saveReadingDesign({ design: { design: 'double', adjudication: { rule: 'count_differs' }, blinded: false }, reason: 'two independent readers' });
  readers.first = (await client.createReader({ name: 'Dr First', role: 'reader', secret: READER_SECRET })).id;
  readers.second = (await client.createReader({ name: 'Dr Second', role: 'reader', secret: READER_SECRET })).id;
  readers.adjudicator = (await client.createReader({ name: 'Dr Adjudicator', role: 'adjudicator', secret: READER_SECRET })).id;
  w12Label = (await client.worklist({})).visits.find((visit) => visit.code === 'W12')!.label;
  // Two brain lesions inside the W12 images, on different slices: choosing one in the list must move the panes.
  const seen = truth.participants[0]!.lesions.filter((lesion) => lesion.region === 'brain' && lesion.visits.some((visit) => visit.visit === 'W12' && visit.present && visit.location.inside));
  const second = seen.find((lesion) => Math.abs(atW12(lesion).sliceIndex - atW12(seen[0]!).sliceIndex) >= 3);
  lesions = [seen[0]!, second!];
  await page.goto(session.host.url);
});

afterAll(async () => {
  await session?.close();
});

describe("the adjudicator's reading room", () => {
  it('says there is nothing to adjudicate, and shows no marks, until both readers have signed', async () => {
    await client.chooseReader({ readerId: readers.first, secret: READER_SECRET });
    for (const lesion of lesions) await markAtW12(atW12(lesion).patientMm);
    await signWholeTrack(client, participantId);

    await choose(readers.adjudicator);
    await openW12BrainFromWorklist();
    await expect.poll(() => panel().getByTestId('adjudication-state').innerText()).toMatch(
      /^Nothing to adjudicate yet: 001 is adjudicated once both readers have signed every read \(Reader 1: 12 of 12 signed; Reader 2: 0 of 12 signed\)\. Their marks show here from then\.$/,
    );
    expect(await pane('current').getByTestId('marks').getAttribute('data-count')).toBe('0');
    expect(await page.getByTestId('lesion-panel').count()).toBe(0);
  });

  it("shows both readers' signed marks on the same panes, one colour per reader, with a legend", async () => {
    await client.chooseReader({ readerId: readers.second, secret: READER_SECRET });
    const [x, y, z] = atW12(lesions[0]).patientMm;
    await markAtW12([x + 3, y, z]);
    await signWholeTrack(client, participantId);

    await choose(readers.adjudicator);
    await page.getByTestId('tab-double-reads').click();
    const read = page.locator('[data-testid="double-read"][data-subject="001"] [data-testid="disagreement"]');
    await expect.poll(() => read.innerText()).toMatch(/^W12 brain: reader 1 counts 2, reader 2 counts 1 \(no partner within 5 mm: B2 of reader 1\)/);
    await read.getByTestId('open-read').click();
    await expect.poll(() => pane('current').getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
    expect(await page.getByTestId('reading-title').innerText()).toMatch(/^001 · Brain · /);

    // The read opens at the first lesion, reader 1's B1: reader 2's B1, 3 mm away, on the same slice.
    await expect.poll(() => marksOn('current')).toEqual([
      { label: 'R1 B1', reader: 'reader1', classes: 'mark reader1' },
      { label: 'R2 B1', reader: 'reader2', classes: 'mark reader2' },
    ]);
    const stroke = (label: string) => pane('current').locator(`[data-testid="mark"][data-label="${label}"] circle`).first().evaluate((circle) => getComputedStyle(circle).stroke);
    expect(await stroke('R1 B1')).toBe('rgb(86, 180, 233)');
    expect(await stroke('R2 B1')).toBe('rgb(230, 159, 0)');
    // W0, the comparator, has neither: both show as ghosts carried from W12, each in its reader's colour.
    await expect.poll(() => pane('comparator').getByTestId('alignment-note').innerText(), { timeout: 120_000 }).toMatch(/^aligned/);
    await expect.poll(() => marksOn('comparator', 'ghost-mark')).toEqual([
      { label: 'R1 B1', reader: 'reader1', classes: 'ghost reader1' },
      { label: 'R2 B1', reader: 'reader2', classes: 'ghost reader2' },
    ]);
    expect(await panel().getByTestId('reader-legend').innerText()).toMatch(/^R1: Reader 1 \(Dr First\)\s+R2: Reader 2 \(Dr Second\)$/);
    await saveScreenshot(page, 'e2e-adjudicator-room', '[data-testid="reading-view"]');
  });

  it('pairs the marks within the tolerance shown, lists the unpaired one, and brings the panes to a lesion chosen in the list', async () => {
    const comparison = panel().getByTestId('read-comparison');
    expect(await comparison.getByTestId('count-reader1').innerText()).toBe('2');
    expect(await comparison.getByTestId('count-reader2').innerText()).toBe('1');
    expect(await comparison.getByTestId('tolerance').innerText()).toBe('Counted lesions paired within 5 mm of each other:');
    const pairs = comparison.getByTestId('pair');
    expect(await pairs.count()).toBe(1);
    expect(await pairs.innerText()).toMatch(/^R1 B1 ↔ R2 B1 3\.0 mm apart$/);
    expect(await comparison.getByTestId('only-reader1').innerText()).toMatch(/^Only reader 1: R1 B2\s*$/);
    expect(await comparison.getByTestId('only-reader2').innerText()).toBe('Only reader 2: none');

    await comparison.locator('[data-testid="reader-lesion"][data-reader="reader1"][data-label="B2"]').click();
    await expect.poll(async () => Math.abs(Number(await pane('current').getAttribute('data-slice-index')) - atW12(lesions[1]).sliceIndex)).toBeLessThanOrEqual(1);
    await expect.poll(() => marksOn('current')).toEqual([{ label: 'R1 B2', reader: 'reader1', classes: 'mark reader1 selected' }]);
    expect(await comparison.locator('[data-testid="reader-lesion"][data-label="B2"]').getAttribute('class')).toBe('reader-lesion reader1 selected');
  });

  it('marks nothing: the marks are read-only and a new lesion is refused, saying why', async () => {
    expect(await pane('current').getByTestId('mark-handle').count()).toBe(0);
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('reading-view').innerText()).toMatch(/An adjudicator marks no lesions: the readers' marks show as they signed them/);
    expect(await page.getByTestId('measure-layer').count()).toBe(0);
  });

  it('signs a call on the read from the reading room, and shows it', async () => {
    const comparison = panel().getByTestId('read-comparison');
    expect(await comparison.innerText()).toMatch(/The readers differ: the counts differ\./);
    const form = comparison.getByTestId('call-form');
    await form.getByTestId('call-reader1').check();
    await form.getByTestId('call-reason').fill('B2 is a new lesion on the W12 FLAIR');
    await form.getByTestId('call-secret').fill(READER_SECRET);
    await saveScreenshot(page, 'e2e-adjudicator-room-call', '[data-testid="adjudication-panel"]');
    await form.getByTestId('sign-call').click();
    await expect.poll(() => comparison.getByTestId('call').count()).toBe(1);
    expect(await comparison.getByTestId('call').innerText()).toBe("Decided by Dr Adjudicator: reader 1's count, 2 (2 new, 0 enlarging). “B2 is a new lesion on the W12 FLAIR”");
    expect(await comparison.getByTestId('call-form').count()).toBe(0);
    await expect.poll(() => panel().getByTestId('adjudication-state').innerText()).toBe('Every read the readers of 001 differ on is called: the values are final.');
    expect((await client.adjudication({ participantId }))[0]!.state).toBe('adjudicated');
    await saveScreenshot(page, 'e2e-adjudicator-room-called', '[data-testid="reading-view"]');
    expect(session.problems).toEqual([]);
  });

  it("leaves a reader's room as it was: their own marks, unlabelled by reader, and their own panel", async () => {
    await choose(readers.second);
    await openW12BrainFromWorklist();
    await expect.poll(() => marksOn('current')).toEqual([{ label: 'B1', reader: null, classes: 'mark' }]);
    expect(await page.getByTestId('adjudication-panel').count()).toBe(0);
    expect(await page.getByTestId('lesion-panel').count()).toBe(1);
    expect(session.problems).toEqual([]);
  });
});
