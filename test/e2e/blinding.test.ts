// A blinded read in headless Chromium: a reader of a blinded double-read
// trial takes their reads one at a time from "Next read", signs them until
// one beside its prior, and looks at all visits four-up; meanwhile every
// response body the page receives (the API's answers and the headers of the
// images, derived ones included: the read beside its prior waits for its
// subtraction, candidates and resampled comparator), the page's text,
// its title and every tooltip are collected, and none may name a visit (code
// or label), a scan date (DICOM or ISO form) or a study or series
// description of the participant.
import dicomParser from 'dicom-parser';
import type { Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../shared/client';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { type Session, openSession, saveScreenshot } from '../helpers/browser';
import { signOpenRead } from '../helpers/reader';
import { READER_SECRET, organiseSyntheticParticipant } from '../helpers/trial-store';

let session: Session;
let client: Client;
let truth: TrialTruth;
/** What the page received, as text: JSON answers whole, images up to their pixel data. */
const received: Promise<{ url: string; text: string }>[] = [];

async function bodyText(response: Response): Promise<{ url: string; text: string }> {
  const url = response.url();
  const body = await response.body().catch(() => Buffer.alloc(0));
  if (!url.includes('/instances/') && !url.includes('/derived/')) return { url, text: body.toString('utf8') };
  const bytes = new Uint8Array(body);
  const pixels = bytes.length > 132 ? (dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' }).elements.x7fe00010?.dataOffset ?? bytes.length) : bytes.length;
  return { url, text: Buffer.from(bytes.subarray(0, pixels)).toString('latin1') };
}

beforeAll(async () => {
  session = await openSession();
  client = createClient((name, payload) => session.workstation.dispatch(name, payload));
  truth = (await organiseSyntheticParticipant(client)).truth;
  await client.saveReadingDesign({ design: { design: 'double', adjudication: { rule: 'count_differs' } }, reason: 'blinded independent central review' });
  const reader = await client.createReader({ name: 'Dr Blind', role: 'reader', secret: READER_SECRET });
  await client.chooseReader({ readerId: reader.id, secret: READER_SECRET });
  session.page.on('response', (response) => {
    if (['/api/', '/instances/', '/derived/'].some((path) => response.url().includes(path))) received.push(bodyText(response));
  });
  await session.page.goto(session.host.url);
});

afterAll(async () => {
  await session?.close();
});

/** Every visit code as a word, every label, every scan date in DICOM and ISO form, and every study and series description of the participant. */
function forbidden(): { what: string; pattern: RegExp }[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const studies = truth.participants[0]!.studies;
  return [
    ...['W0', 'W12', 'W24', 'W52'].map((code) => ({ what: `visit code ${code}`, pattern: new RegExp(`(?<![A-Za-z0-9-])${code}(?![0-9])`) })),
    ...['Week 0', 'Week 12', 'Week 24', 'Week 52', 'baseline'].map((label) => ({ what: `label ${label}`, pattern: new RegExp(escape(label), 'i') })),
    ...studies.flatMap((study) => [
      { what: `study date ${study.studyDate}`, pattern: new RegExp(study.studyDate) },
      { what: `study date ${study.studyDate} (ISO)`, pattern: new RegExp(`${study.studyDate.slice(0, 4)}-${study.studyDate.slice(4, 6)}-${study.studyDate.slice(6)}`) },
    ]),
    ...[...new Set(studies.flatMap((study) => study.series.map((series) => series.description)))].map((description) => ({ what: `series description ${description}`, pattern: new RegExp(escape(description)) })),
  ];
}

/** The page's text, title, tooltips and accessible names, as the reader can see or hover them. */
const pageTexts = () =>
  session.page.evaluate(() => [
    document.title,
    document.body.innerText,
    ...[...document.querySelectorAll('[title]')].map((element) => element.getAttribute('title') ?? ''),
    ...[...document.querySelectorAll('[aria-label]')].map((element) => element.getAttribute('aria-label') ?? ''),
    ...[...document.querySelectorAll('svg title')].map((element) => element.textContent ?? ''),
  ]);

describe('a blinded read', () => {
  it('gives the reader their reads one at a time, with nothing that tells a visit or a date, in the page or in anything it receives', async () => {
    const { page } = session;
    const seen: string[] = [];
    const worklist = page.getByTestId('worklist');
    await expect.poll(() => worklist.getAttribute('data-blinded')).toBe('true');
    // Only the worklist: the other screens name visits, dates and headers.
    expect(await page.locator('nav.tabs button').evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-testid')))).toEqual(['tab-worklist']);
    seen.push(...(await pageTexts()));
    await saveScreenshot(page, 'e2e-blinded-worklist');

    // Reads as "Next read" gives them, each signed in the room, until one beside its prior is signed. The order is
    // seeded by the store, new in every run: a first scan (nothing before it) may come first or later, and once
    // every region's first scan is signed the next read has a prior, so four reads at most.
    let signed = 0;
    let besidePrior = false;
    while (!besidePrior) {
      expect(signed, 'a read beside its prior within the first four').toBeLessThan(4);
      await page.getByTestId('next-read').click();
      const current = page.locator('[data-testid="reading-pane"][data-role="current"]');
      await expect.poll(() => current.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
      expect(await page.getByTestId('reading-title').innerText()).toMatch(/ · Current$/);
      besidePrior = (await page.locator('.comparator-note').innerText()) === 'vs Prior';
      if (signed === 0) {
        await page.getByTestId('layout-toggle').click();
        await expect.poll(() => page.locator('[data-testid="reading-pane"]').count()).toBe(4);
        await expect.poll(() => page.locator('[data-testid="reading-pane"][data-rendered="true"]').count(), { timeout: 60_000 }).toBe(4);
        expect(await page.locator('.visit-label').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^Scan 1/), expect.stringMatching(/^Scan 4/)]));
        await saveScreenshot(page, 'e2e-blinded-four-up');
        seen.push(...(await pageTexts()));
        await page.getByTestId('layout-toggle').click();
        await expect.poll(() => page.locator('[data-testid="reading-pane"]').count()).toBeLessThanOrEqual(2);
      }
      if (besidePrior) {
        // Assisted detection too: the candidates listed and the comparator's derived (resampled) slices shown.
        const comparator = page.locator('[data-testid="reading-pane"][data-role="comparator"]');
        await expect.poll(() => page.getByTestId('assist-panel').getAttribute('data-subtraction'), { timeout: 120_000 }).toBe('ready');
        await expect.poll(() => page.getByTestId('assist-panel').getAttribute('data-unreviewed'), { timeout: 60_000 }).not.toBe('');
        await expect.poll(() => comparator.getAttribute('data-view'), { timeout: 60_000 }).toBe('resampled');
        await expect.poll(() => comparator.getAttribute('data-rendered'), { timeout: 60_000 }).toBe('true');
      }
      seen.push(...(await pageTexts()));
      await signOpenRead(page, READER_SECRET);
      signed += 1;
      seen.push(...(await pageTexts()));
      if (besidePrior) {
        expect(await page.locator('.visit-label').allInnerTexts()).toEqual([expect.stringMatching(/^Current/), expect.stringMatching(/^Prior/)]);
        await saveScreenshot(page, 'e2e-blinded-room');
      }
      await page.getByTestId('tab-worklist').click();
      await expect.poll(() => worklist.getAttribute('data-blinded')).toBe('true');
    }
    expect(await page.getByTestId('worklist').innerText()).toContain(`${signed} of 12 reads signed`);

    const bodies = await Promise.all(received);
    expect(bodies.filter((body) => body.url.includes('/instances/')).length).toBeGreaterThan(20);
    expect(bodies.filter((body) => body.url.includes('/derived/')).length).toBeGreaterThan(0);
    for (const { what, pattern } of forbidden()) {
      for (const text of seen) expect(pattern.test(text), `the page shows ${what}: ${text.slice(0, 200)}`).toBe(false);
      // A localizer's Image Type says LOCALIZER as its description does: image headers are checked for every other description.
      for (const body of bodies) if (!(body.url.includes('/instances/') && what === 'series description LOCALIZER')) expect(pattern.test(body.text), `${body.url} has ${what}`).toBe(false);
    }
    expect(session.problems).toEqual([]);
  });
});
