// Extents measured on the image, end to end on the demo trial (participant
// 001): a scripted reader sets the vertebral ruler of the W12 sagittal cord
// series by clicking truth's vertebral body centres C1-T12 on their nearest
// slices, clicks each cord lesion's upper and lower end (one instead of its
// diameter, one after drawing it), and the stored
// levels, segments and LETM flags equal truth.json's; then at W52 traces
// both optic nerves by clicking truth's globe, orbital apex and chiasm
// points on the nearest coronal slices, clicks each optic lesion's start and
// end, and the fraction of the nerve (within one slice spacing over the
// nerve's length) and the chiasm flag equal truth's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Client } from '../../shared/client';
import type { Region } from '../../shared/protocol';
import { locate, protocolFor } from '../../shared/synthetic/series';
import type { ParticipantTruth, TrialTruth } from '../../shared/synthetic/truth';
import { type Session, saveScreenshot, unaskedProblems } from '../helpers/browser';
import { dragAcross, lesionDrag, openDemoAsReader, screenPoint, scriptedReader } from '../helpers/reader';

let session: Session;
let truth: TrialTruth;
let page: Page;
let client: Client;
let participant: ParticipantTruth;
let participantId: number;

beforeAll(async () => {
  ({ session, truth, page, client, participant, participantId } = await openDemoAsReader());
});

afterAll(async () => {
  await session?.close();
});

/**
 * A fraction of the nerve measured on the coronal orbits series may be off by up to half a slice spacing (1.5 mm) at each
 * of the four points that set it (the stretch's two ends, the trace's two ends), as the reader clicks the nearest slice:
 * 3 mm in all, over a nerve of about 45 mm.
 */
const FRACTION_TOLERANCE = 3 / 45;

const pane = () => page.locator('[data-testid="reading-pane"][data-role="current"]');

async function openRead(visitCode: string, region: Region) {
  const cells = (await client.worklist({})).rows.find((row) => row.participantId === participantId)!.cells;
  const column = cells.findIndex((cell) => cell.visitCode === visitCode && cell.region === region);
  await page.getByTestId('tab-worklist').click();
  await page.locator('[data-testid="worklist-row"][data-subject="001"] [data-testid="worklist-cell"]').nth(column).locator('button').click();
  await expect.poll(() => pane().getAttribute('data-rendered'), { timeout: 90_000 }).toBe('true');
}

/** Clicks a patient point on the current pane: on the nearest slice of the read's series, at its pixel. */
async function clickPoint(visitCode: string, role: 'spine' | 'orbits', point: readonly number[]) {
  const study = participant.studies.find((item) => item.visit === visitCode)!;
  const series = study.series.find((item) => item.role === role)!;
  const where = locate(protocolFor(role), [point[0]!, point[1]!, point[2]!]);
  expect(where.inside).toBe(true);
  await scriptedReader(session, truth).goToSlice(where.sliceIndex);
  const at = screenPoint(series, [where.continuous[0], where.continuous[1]], (await pane().boundingBox())!);
  await page.getByTestId('extent-click-layer').waitFor();
  await page.mouse.click(at.x, at.y);
}

/** The series shown on the current pane is the one truth's points are in. */
async function expectTruthSeries(visitCode: string, role: 'spine' | 'orbits') {
  const uid = participant.studies.find((item) => item.visit === visitCode)!.series.find((item) => item.role === role)!.seriesInstanceUid;
  const seriesId = (await client.listSeries({})).find((item) => item.seriesUid === uid)!.id;
  expect(Number(await pane().getAttribute('data-series-id'))).toBe(seriesId);
}

describe('extents measured on the image', () => {
  it('gives truth.json\'s cord levels, segments and LETM flags from a clicked ruler and clicked lesion ends', async () => {
    await openRead('W12', 'spinal_cord');
    await expectTruthSeries('W12', 'spine');
    const study = participant.studies.find((item) => item.visit === 'W12')!;
    await expect.poll(() => page.getByTestId('ruler-status').innerText()).toMatch(/No vertebral ruler on this series yet/);

    // A lesion's ends before the ruler: refused, in words.
    await page.keyboard.press('g');
    const firstCord = participant.lesions.find((lesion) => lesion.region === 'spinal_cord' && lesion.visits.find((visit) => visit.visit === 'W12')!.present)!;
    const firstEnds = firstCord.visits.find((visit) => visit.visit === 'W12')!.endsMm!;
    await clickPoint('W12', 'spine', firstEnds[0]);
    await clickPoint('W12', 'spine', firstEnds[1]);
    await expect.poll(() => page.getByTestId('reading-view').innerText()).toMatch(/No vertebral ruler on this series yet/);

    await page.keyboard.press('b');
    for (const body of study.landmarks.vertebralBodies) {
      await page.getByTestId('ruler-level').selectOption(body.level);
      await clickPoint('W12', 'spine', body.patientMm);
      await expect.poll(() => page.getByTestId('ruler-draft').getAttribute('data-anchors')).toBe(String(study.landmarks.vertebralBodies.indexOf(body) + 1));
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('ruler-status').getAttribute('data-set')).toBe('true');
    expect(await page.getByTestId('ruler-status').innerText()).toBe('Vertebral ruler: C1–T12, 19 bodies.');

    const cord = participant.lesions.filter((lesion) => lesion.region === 'spinal_cord' && lesion.visits.find((visit) => visit.visit === 'W12')!.present);
    expect(cord.length).toBeGreaterThan(0);
    for (const [index, lesion] of cord.entries()) {
      const ends = lesion.visits.find((visit) => visit.visit === 'W12')!.endsMm!;
      if (index === 0) {
        // Instead of the diameter: a new lesion by its ends.
        await page.keyboard.press('g');
        await page.getByTestId('ends-lesion').selectOption('');
      } else {
        // After the diameter: drawn, then its ends clicked for its levels.
        const reader = scriptedReader(session, truth);
        await page.keyboard.press('n');
        await reader.goToSlice(lesion.visits.find((visit) => visit.visit === 'W12')!.location.sliceIndex);
        await dragAcross(page, lesionDrag(participant, lesion, 'W12', (await pane().boundingBox())!));
        await page.getByTestId('save-then-ends').click();
        await expect.poll(() => page.getByTestId('ends-lesion').inputValue()).not.toBe('');
      }
      await clickPoint('W12', 'spine', ends[0]);
      await clickPoint('W12', 'spine', ends[1]);
      await expect.poll(() => page.getByTestId('extent-draft').count()).toBe(0);
    }
    // Every cord lesion recorded at W12 with the extent its ends measured (the last ends are saved after the draft closes).
    const measuredAtW12 = async () => (await client.listLesions({ participantId })).filter((lesion) => lesion.region === 'spinal_cord' && lesion.observations.some((observation) => observation.visitCode === 'W12' && observation.extent)).length;
    await expect.poll(measuredAtW12).toBe(cord.length);
    const stored = (await client.listLesions({ participantId })).filter((lesion) => lesion.region === 'spinal_cord').map((lesion) => lesion.observations.find((observation) => observation.visitCode === 'W12')!);
    const byUpper = <T extends { upper: string }>(items: T[]) => [...items].sort((a, b) => a.upper.localeCompare(b.upper));
    expect(byUpper(stored.map((observation) => ({ ...observation.levels!, source: observation.extent!.source })))).toEqual(
      byUpper(cord.map((lesion) => lesion.visits.find((visit) => visit.visit === 'W12')!.cord!).map((facts) => ({ upper: facts.upperLevel, lower: facts.lowerLevel, segments: facts.segments, longitudinallyExtensive: facts.longitudinallyExtensive, source: 'image' }))),
    );
    await expect.poll(() => pane().getByTestId('lesion-ends').count()).toBe(cord.length);
    await expect.poll(() => pane().getByTestId('ruler-ticks').getAttribute('data-count')).toBe('20');
    await saveScreenshot(page, 'e2e-cord-ruler-and-ends', '[data-testid="reading-view"]');
  });

  it('gives truth.json\'s optic fractions and chiasm flags from clicked nerve traces and lesion stretches', async () => {
    await openRead('W52', 'optic_nerve');
    await expectTruthSeries('W52', 'orbits');
    const study = participant.studies.find((item) => item.visit === 'W52')!;
    for (const side of ['right', 'left'] as const) {
      await expect.poll(() => page.getByTestId(`trace-status-${side}`).getAttribute('data-set')).toBe('false');
      await page.keyboard.press('t');
      await page.getByTestId('trace-side').selectOption(side);
      const nerve = study.landmarks.opticNerves[side];
      for (const point of [nerve.globe, nerve.apex, nerve.chiasm]) await clickPoint('W52', 'orbits', point);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId(`trace-status-${side}`).getAttribute('data-set')).toBe('true');
    }
    const optic = participant.lesions.filter((lesion) => lesion.region === 'optic_nerve' && lesion.visits.find((visit) => visit.visit === 'W52')!.present);
    expect(optic.some((lesion) => lesion.visits.find((visit) => visit.visit === 'W52')!.optic!.involvesChiasm)).toBe(true);
    for (const [index, lesion] of optic.entries()) {
      const ends = lesion.visits.find((visit) => visit.visit === 'W52')!.endsMm!;
      await page.keyboard.press('g');
      await page.getByTestId('ends-lesion').selectOption('');
      await clickPoint('W52', 'orbits', ends[0]);
      await clickPoint('W52', 'orbits', ends[1]);
      await expect.poll(async () => (await client.listLesions({ participantId })).filter((item) => item.region === 'optic_nerve' && item.observations[0]?.extent).length).toBe(index + 1);
    }
    const stored = (await client.listLesions({ participantId })).filter((lesion) => lesion.region === 'optic_nerve');
    for (const lesion of optic) {
      const facts = lesion.visits.find((visit) => visit.visit === 'W52')!.optic!;
      const match = stored.find((item) => item.side === facts.side && Math.abs(item.observations[0]!.extent!.fractionOfNerve! - facts.fractionOfNerve) <= FRACTION_TOLERANCE);
      expect(match, `${lesion.label}: ${facts.side}, ${facts.fractionOfNerve}`).toBeDefined();
      expect(match!.observations[0]!.opticExtent).toEqual({ beyondHalfLength: facts.moreThanHalfLength, involvesChiasm: facts.involvesChiasm });
      expect(match!.observations[0]!.extent!.source).toBe('image');
    }
    await saveScreenshot(page, 'e2e-optic-trace-and-stretch', '[data-testid="reading-view"]');
    expect(unaskedProblems(session, [])).toEqual([]);
  });
});
