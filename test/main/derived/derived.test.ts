// Derived images on a real store with the synthetic participant's images:
// the subtraction of a pair goes from pending to ready, its slices are DICOM
// files on the current series' geometry holding the difference, the new
// brain lesion of week 12 is offered as a candidate, and a reader's
// confirmation and dismissal are recorded, audited and kept by place.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVolume } from '../../../main/alignment/volume';
import { cacheFile } from '../../../main/derived/cache';
import { seriesFiles } from '../../../main/reading/alignments';
import { instanceFile } from '../../../main/store/catalog';
import { derivedPath } from '../../../shared/channels';
import type { Client } from '../../../shared/client';
import type { CandidateList, RequestOf, SeriesImage, SubtractionView, Worklist } from '../../../shared/contract';
import { subtract } from '../../../shared/subtraction';
import { norm, sub, type Vec3 } from '../../../shared/vector';
import { projectRoot } from '../../helpers/fixtures';
import { READER_SECRET, type TrialStore, trialStore } from '../../helpers/trial-store';

const alignmentWorkerFile = join(projectRoot, 'dist', 'main', 'alignment-worker.js');
const READY_WITHIN = { timeout: 90_000 };

/** A store of its own for a group of tests, in a folder kept until the file ends (tempFolder() goes after each test). */
function storeFolder(): { dbPath: string; rendererDir: string } {
  const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-derived-'));
  folders.push(folder);
  return { dbPath: join(folder, 'store.sqlite'), rendererDir: folder };
}
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function seriesOf(worklist: Worklist, visitCode: string, region: string): number {
  return worklist.rows[0]!.cells.find((cell) => cell.visitCode === visitCode && cell.region === region)!.series[0]!.seriesId;
}

async function readyView(client: Client, pair: RequestOf<'subtraction'>): Promise<SubtractionView> {
  await expect.poll(async () => (await client.subtraction(pair)).state, READY_WITHIN).toBe('ready');
  return client.subtraction(pair);
}

async function fetchSlice(store: TrialStore, path: string): Promise<Response> {
  return store.ws.handleAppRequest(new Request(`http://lesiontrack.invalid${path}`));
}

const distance = (a: readonly number[], b: readonly number[]) => norm(sub(a as Vec3, b as Vec3));

describe('derived images of a read', () => {
  let store: TrialStore;
  let images: SeriesImage[];
  let storeUid: string;
  let read: RequestOf<'candidates'>;
  let pair: RequestOf<'subtraction'>;

  beforeAll(async () => {
    store = await trialStore({ ...storeFolder(), alignmentWorkerFile });
    const worklist = await store.client.worklist({});
    pair = { currentSeriesId: seriesOf(worklist, 'W12', 'brain'), comparatorSeriesId: seriesOf(worklist, 'W0', 'brain') };
    read = { participantId: store.participantId, visitCode: 'W12', region: 'brain', ...pair };
    ({ images, store: storeUid } = await store.client.seriesImages({ seriesId: pair.currentSeriesId }));
    return () => store.ws.close();
  });

  it('goes from pending to ready, aligning the pair first; its slices are DICOM on the current slices holding the difference', async () => {
    const { client } = store;
    const asked = await client.subtraction(pair);
    expect(asked).toMatchObject({ ...pair, state: 'pending', resultId: null, noise: null, slices: images.length });
    // The reading room aligning the pair meanwhile gets the alignment under way for the subtraction: found and saved once.
    const aligned = await client.autoAlign(pair);
    const ready = await readyView(client, pair);
    const alignment = (await client.alignment(pair))!;
    expect(alignment).toEqual(aligned);
    expect(alignment.source).toBe('automatic');
    const saves = (await client.auditTrail({})).entries.filter((entry) => entry.action === 'alignment.save' && entry.entityId === `${pair.currentSeriesId}:${pair.comparatorSeriesId}`);
    expect(saves).toHaveLength(1);
    expect(ready).toMatchObject({ state: 'ready', message: null, slices: images.length, alignmentSavedAt: alignment.savedAt });
    expect(ready.noise).toBeGreaterThan(0);

    // The same computation here, from the same files: what the slices must hold.
    const current = readVolume(await seriesFiles(store.ws.db, pair.currentSeriesId));
    const expected = subtract(current, readVolume(await seriesFiles(store.ws.db, pair.comparatorSeriesId)), alignment.transform, { minLesionSizeMm: (await client.charter({})).minimumSizeMm });
    const [columns, rows] = expected.grid.dims;
    for (const [kind, values] of [
      ['difference', expected.difference],
      ['comparator', expected.comparator],
    ] as const) {
      for (const slice of [0, 10, images.length - 1]) {
        const response = await fetchSlice(store, derivedPath(storeUid, ready.resultId!, kind, slice));
        expect(response.status, `${kind} ${slice}`).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/dicom');
        const file = dicomParser.parseDicom(new Uint8Array(await response.arrayBuffer()));
        const source = dicomParser.parseDicom(new Uint8Array(readFileSync(instanceFile(store.ws.db, images[slice]!.instanceId)!.filePath)), { untilTag: 'x7fe00010' });
        // Geometry to the letter: the viewer places the slice where the current one lies.
        for (const tag of ['x00200032', 'x00200037', 'x00280030', 'x00180050', 'x00200052']) expect(file.string(tag), `${kind} ${slice} ${tag}`).toBe(source.string(tag));
        expect([file.uint16('x00280010'), file.uint16('x00280011')]).toEqual([rows, columns]);
        expect(file.string('x00080008')).toBe(`DERIVED\\SECONDARY\\${kind === 'difference' ? 'SUBTRACTION' : 'RESAMPLED'}`);
        expect([file.string('x00080060'), file.string('x00280004'), file.uint16('x00280100'), file.uint16('x00280103')]).toEqual(['MR', 'MONOCHROME2', 16, 1]);
        // Nothing of the patient or the visit.
        for (const tag of ['x00100010', 'x00100020', 'x00100030', 'x00080020', 'x00080030', 'x0008103e', 'x00081030']) expect(file.string(tag) ?? '', `${kind} ${tag}`).toBe('');
        const slope = file.floatString('x00281053')!;
        expect(file.floatString('x00281052')).toBe(0);
        const element = file.elements.x7fe00010!;
        const stored = new Int16Array(file.byteArray.buffer.slice(file.byteArray.byteOffset + element.dataOffset, file.byteArray.byteOffset + element.dataOffset + element.length));
        let worst = 0;
        for (let index = 0; index < columns * rows; index += 1) {
          const want = values[slice * columns * rows + index]!;
          worst = Math.max(worst, Math.abs(stored[index]! * slope - (Number.isFinite(want) ? want : 0)));
        }
        expect(worst, `${kind} ${slice}: largest error against a quantisation step of ${slope}`).toBeLessThanOrEqual(slope / 2 + 1e-3);
        if (kind === 'difference') expect([file.floatString('x00281050'), file.floatString('x00281051')]).toEqual([0, expect.closeTo(10 * ready.noise!, 3)]);
      }
    }
    expect((await fetchSlice(store, derivedPath(storeUid, ready.resultId!, 'difference', images.length))).status).toBe(404);
    expect((await fetchSlice(store, derivedPath(storeUid, 'f'.repeat(32), 'difference', 0))).status).toBe(404);
    expect((await fetchSlice(store, `/derived/${storeUid}/${ready.resultId!}/sum/0`)).status).toBe(400);
  });

  it('offers the new brain lesion of week 12, and a confirmation records it as drawing would, counted and audited', async () => {
    const { client, truth, participantId } = store;
    const lesion = truth.participants[0]!.lesions.find((item) => item.region === 'brain' && item.visits.find((visit) => visit.visit === 'W12')?.status.previous === 'new')!;
    const atW12 = lesion.visits.find((visit) => visit.visit === 'W12')!;
    const list = await client.candidates(read);
    expect(list.subtraction.state).toBe('ready');
    expect(list.unreviewed).toBe(list.candidates.length);
    const found = list.candidates.find((candidate) => distance(candidate.centre, atW12.location.patientMm) <= atW12.longestDiameterMm / 2 + 3);
    expect(found, `a candidate at ${lesion.label}`).toMatchObject({ kind: 'new', status: 'unreviewed', lesionId: null });
    expect(found!.image).toEqual({ seriesId: pair.currentSeriesId, instanceId: images[found!.sliceIndex]!.instanceId, frame: images[found!.sliceIndex]!.frame });
    expect(Math.abs(found!.sliceIndex - atW12.location.sliceIndex)).toBeLessThanOrEqual(1);

    const counted = (counts: { participants: { cells: { visitCode: string; region: string; new: number }[] }[] }) =>
      counts.participants[0]!.cells.find((cell) => cell.visitCode === 'W12' && cell.region === 'brain')!.new;
    expect(counted(await client.counts({ participantId }))).toBe(0);
    const { candidates, change } = await client.reviewCandidate({ ...read, candidateId: found!.id, decision: 'confirm' });
    const diameter = Math.round(found!.diameterMm * 10) / 10;
    expect(change!.lesion.observations).toEqual([
      expect.objectContaining({ visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: diameter }, image: found!.image, marks: { centre: found!.centre, diameter: found!.diameter }, finalStatus: 'new', counted: true }),
    ]);
    expect(counted(change!.counts)).toBe(1);
    expect(counted(await client.counts({ participantId }))).toBe(1);
    expect(candidates.candidates.find((candidate) => candidate.id === found!.id)).toMatchObject({ status: 'confirmed', lesionId: change!.lesion.id, lesionLabel: change!.lesion.label, reviewedBy: `reader:${store.readerId}:Dr Reader` });
    expect(candidates.unreviewed).toBe(list.unreviewed - 1);
    await expect(client.reviewCandidate({ ...read, candidateId: found!.id, decision: 'confirm' })).rejects.toMatchObject({ code: 'conflict', message: `This candidate is already recorded at this visit as ${change!.lesion.label}.` });

    const trail = await client.auditTrail({ participantId });
    const entries = trail.entries.filter((entry) => entry.action === 'candidate.confirm' || entry.action === 'lesion.create');
    expect(entries.map((entry) => [entry.action, entry.actor])).toEqual([
      ['candidate.confirm', `reader:${store.readerId}:Dr Reader`],
      ['lesion.create', `reader:${store.readerId}:Dr Reader`],
    ]);
    expect(entries[0]!.newValue).toMatchObject({ candidateId: found!.id, lesionId: change!.lesion.id });
  });

  it('offers that lesion at week 24 as enlarging, and a confirmation records its next observation', async () => {
    const { client, truth, participantId } = store;
    const worklist = await client.worklist({});
    const later = { currentSeriesId: seriesOf(worklist, 'W24', 'brain'), comparatorSeriesId: seriesOf(worklist, 'W12', 'brain') };
    await readyView(client, later);
    const lesion = truth.participants[0]!.lesions.find((item) => item.region === 'brain' && item.visits.find((visit) => visit.visit === 'W12')?.status.previous === 'new')!;
    const atW24 = lesion.visits.find((visit) => visit.visit === 'W24')!;
    const [recorded] = (await client.listLesions({ participantId })).filter((item) => item.region === 'brain');
    const list = await client.candidates({ participantId, visitCode: 'W24', region: 'brain', ...later });
    // Its week-12 mark is carried into week 24's coordinates through the alignment, where the change overlaps it.
    const found = list.candidates.find((candidate) => distance(candidate.centre, atW24.location.patientMm) <= atW24.longestDiameterMm / 2 + 3);
    expect(found, `a candidate at ${lesion.label} at week 24`).toMatchObject({ kind: 'enlarging', status: 'unreviewed', lesionId: recorded!.id, lesionLabel: recorded!.label });
    const { change, candidates } = await client.reviewCandidate({ participantId, visitCode: 'W24', region: 'brain', ...later, candidateId: found!.id, decision: 'confirm' });
    expect(change!.lesion.id).toBe(recorded!.id);
    expect(change!.lesion.observations.map((observation) => [observation.visitCode, observation.finding])).toEqual([
      ['W12', recorded!.observations[0]!.finding],
      ['W24', { kind: 'measured', longestDiameterMm: Math.round(found!.diameterMm * 10) / 10 }],
    ]);
    expect(candidates.candidates.find((candidate) => candidate.id === found!.id)).toMatchObject({ status: 'confirmed', lesionId: recorded!.id });
  });

  it('keeps a dismissal by place when a moved alignment computes the subtraction again', async () => {
    const { client } = store;
    const before = await client.candidates(read);
    const strongest = before.candidates.filter((candidate) => candidate.status === 'unreviewed').sort((a, b) => b.peakScore - a.peakScore)[0]!;
    const dismissed = await client.reviewCandidate({ ...read, candidateId: strongest.id, decision: 'dismiss' });
    expect(dismissed.change).toBeNull();
    expect(dismissed.candidates.candidates.find((candidate) => candidate.id === strongest.id)).toMatchObject({ status: 'dismissed', reviewedBy: `reader:${store.readerId}:Dr Reader` });
    expect(dismissed.candidates.unreviewed).toBe(before.unreviewed - 1);

    // The reader nudges the alignment by a few tenths of a millimetre: the result is stale, and computed again.
    const alignment = (await client.alignment(pair))!;
    const [x, y, z] = alignment.transform.translationMm;
    const moved = await client.saveAlignment({ ...pair, transform: { ...alignment.transform, translationMm: [x + 0.3, y, z - 0.2] } });
    expect((await client.subtraction(pair)).state).toBe('pending');
    const again = await readyView(client, pair);
    expect(again.resultId).not.toBe(before.subtraction.resultId);
    expect(again.alignmentSavedAt).toBe(moved.savedAt);
    const after = await client.candidates(read);
    const near = (place: readonly number[]) => after.candidates.slice().sort((a, b) => distance(a.centre, place) - distance(b.centre, place))[0]!;
    expect(near(strongest.centre)).toMatchObject({ status: 'dismissed' });
    expect(after.candidates.filter((candidate) => candidate.status === 'confirmed')).toHaveLength(1);
    expect((await client.auditTrail({ participantId: store.participantId })).entries.filter((entry) => entry.action === 'candidate.dismiss').map((entry) => entry.actor)).toEqual([`reader:${store.readerId}:Dr Reader`]);
  });

  it('computes a damaged cache file again instead of showing it', async () => {
    const { client } = store;
    const ready = await readyView(client, pair);
    const path = derivedPath(storeUid, ready.resultId!, 'difference', 10);
    const good = new Uint8Array(await (await fetchSlice(store, path)).arrayBuffer());
    const file = cacheFile(store.dbPath, ready.resultId!);
    const bytes = readFileSync(file);
    // Pixels overwritten in place: the size and header still look right.
    bytes.fill(7, bytes.length - 5000, bytes.length - 4000);
    writeFileSync(file, bytes);
    expect((await client.subtraction(pair)).state).toBe('pending');
    expect((await readyView(client, pair)).resultId).toBe(ready.resultId);
    expect(new Uint8Array(await (await fetchSlice(store, path)).arrayBuffer())).toEqual(good);

    // Cut short: the slice asked for first finds it, and the next subtraction request computes it again.
    writeFileSync(file, readFileSync(file).subarray(0, 100_000));
    expect((await fetchSlice(store, path)).status).toBe(404);
    expect((await client.subtraction(pair)).state).toBe('pending');
    await readyView(client, pair);
    expect(new Uint8Array(await (await fetchSlice(store, path)).arrayBuffer())).toEqual(good);
  });

  it('gives a confirmed optic nerve candidate the side of the midline it lies on', async () => {
    const { client, participantId } = store;
    const worklist = await client.worklist({});
    const optic = { currentSeriesId: seriesOf(worklist, 'W12', 'optic_nerve'), comparatorSeriesId: seriesOf(worklist, 'W0', 'optic_nerve') };
    await readyView(client, optic);
    const list = await client.candidates({ participantId, visitCode: 'W12', region: 'optic_nerve', ...optic });
    // The one farthest from the midline: its side is beyond doubt (LPS: x grows to the patient's left).
    const farthest = list.candidates.slice().sort((a, b) => Math.abs(b.centre[0]) - Math.abs(a.centre[0]))[0]!;
    expect(Math.abs(farthest.centre[0])).toBeGreaterThan(4);
    const { change } = await client.reviewCandidate({ participantId, visitCode: 'W12', region: 'optic_nerve', ...optic, candidateId: farthest.id, decision: 'confirm' });
    expect(change!.lesion).toMatchObject({ region: 'optic_nerve', side: farthest.centre[0] > 0 ? 'left' : 'right' });
  });

  it('refuses a review of an unknown candidate, under a signature, and by a data manager', async () => {
    const { client, participantId } = store;
    const list: CandidateList = await client.candidates(read);
    // Any candidate of the read: the refusals come before what the candidate is.
    const open = list.candidates[0]!;
    await expect(client.reviewCandidate({ ...read, candidateId: `${list.subtraction.resultId!}-999`, decision: 'dismiss' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.candidates({ ...read, comparatorSeriesId: read.currentSeriesId })).rejects.toMatchObject({ code: 'invalid_request' });

    const dataManager = await client.createReader({ name: 'Dr Data', role: 'data_manager', secret: READER_SECRET });
    await client.chooseReader({ readerId: dataManager.id, secret: READER_SECRET });
    await expect(client.reviewCandidate({ ...read, candidateId: open.id, decision: 'dismiss' })).rejects.toMatchObject({ code: 'forbidden', message: 'Lesions are marked by readers and adjudicators, not by a data manager.' });
    await client.chooseReader({ readerId: store.readerId, secret: READER_SECRET });

    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
    await client.signRead({ participantId, visitCode: 'W12', region: 'brain', secret: READER_SECRET });
    for (const decision of ['dismiss', 'confirm'] as const) {
      await expect(client.reviewCandidate({ ...read, candidateId: open.id, decision })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/^The 001 W12 brain read is signed \(by Dr Reader\)\. Unlock it/) });
    }
    expect((await client.candidates(read)).candidates.find((candidate) => candidate.id === open.id)!.status).toBe(open.status);
  });
});

describe('derived images when things go wrong', () => {
  let store: TrialStore;
  let worklist: Worklist;

  beforeAll(async () => {
    // A worker that dies on every job: what a crash or a lack of memory looks like from main.
    const { dbPath, rendererDir } = storeFolder();
    const crashing = join(rendererDir, 'crashing-worker.cjs');
    writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('out of luck'); });\n");
    store = await trialStore({ dbPath, rendererDir, alignmentWorkerFile: crashing });
    worklist = await store.client.worklist({});
    return () => store.ws.close();
  });

  it('says failed, with a message, when the worker dies; the reader reads on, and asking again in the session does not loop', async () => {
    const { client } = store;
    const pair = { currentSeriesId: seriesOf(worklist, 'W24', 'spinal_cord'), comparatorSeriesId: seriesOf(worklist, 'W12', 'spinal_cord') };
    await client.saveAlignment({ ...pair, transform: { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] } });
    expect((await client.subtraction(pair)).state).toBe('pending');
    await expect.poll(async () => (await client.subtraction(pair)).state, READY_WITHIN).toBe('failed');
    expect(await client.subtraction(pair)).toMatchObject({ state: 'failed', message: 'The subtraction stopped on an internal error.', resultId: null });
    const list = await client.candidates({ participantId: store.participantId, visitCode: 'W24', region: 'spinal_cord', ...pair });
    expect(list).toMatchObject({ subtraction: { state: 'failed' }, candidates: [], unreviewed: 0 });

    // Without an alignment, the alignment fails first, and says so.
    const unaligned = { currentSeriesId: seriesOf(worklist, 'W52', 'spinal_cord'), comparatorSeriesId: seriesOf(worklist, 'W24', 'spinal_cord') };
    await client.subtraction(unaligned);
    await expect.poll(async () => (await client.subtraction(unaligned)).message, READY_WITHIN).toBe('The alignment stopped on an internal error.');
    expect((await client.counts({ participantId: store.participantId })).participants).toHaveLength(1);
  });

  it('says failed, in words, when a source file has moved since import', async () => {
    const { client, ws } = store;
    const pair = { currentSeriesId: seriesOf(worklist, 'W52', 'brain'), comparatorSeriesId: seriesOf(worklist, 'W24', 'brain') };
    await client.saveAlignment({ ...pair, transform: { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] } });
    const [first] = (await client.seriesImages({ seriesId: pair.currentSeriesId })).images;
    const file = instanceFile(ws.db, first!.instanceId)!.filePath;
    // The generated files serve the whole test file: this one comes back at once.
    renameSync(file, `${file}.away`);
    try {
      await client.subtraction(pair);
      await expect.poll(async () => (await client.subtraction(pair)).state, READY_WITHIN).toBe('failed');
    } finally {
      renameSync(`${file}.away`, file);
    }
    expect((await client.subtraction(pair)).message).toBe('The source file of this image is no longer where it was imported from (moved, renamed or on removed media). Re-import the folder.');
  });

  it('refuses the adjudicator, whose final track marks no lesions', async () => {
    const { client, participantId } = store;
    await client.saveReadingDesign({ design: { design: 'double', adjudication: { rule: 'count_differs' } }, reason: 'two independent readers' });
    const adjudicator = await client.createReader({ name: 'Dr Adjudicator', role: 'adjudicator', secret: READER_SECRET });
    await client.chooseReader({ readerId: adjudicator.id, secret: READER_SECRET });
    const pair = { currentSeriesId: seriesOf(worklist, 'W12', 'brain'), comparatorSeriesId: seriesOf(worklist, 'W0', 'brain') };
    await expect(client.reviewCandidate({ participantId, visitCode: 'W12', region: 'brain', ...pair, candidateId: `${'0'.repeat(32)}-0`, decision: 'confirm' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('An adjudicator marks no lesions'),
    });
  });
});

describe('derived images in a double read', () => {
  it("keep each reader's reviews to their own track", async () => {
    const store = await trialStore({ ...storeFolder(), alignmentWorkerFile });
    try {
      const { client, participantId } = store;
      await client.saveReadingDesign({ design: { design: 'double', adjudication: { rule: 'count_differs' }, blinded: false }, reason: 'two independent readers' });
      const worklist = await client.worklist({});
      const read = { participantId, visitCode: 'W12', region: 'brain' as const, currentSeriesId: seriesOf(worklist, 'W12', 'brain'), comparatorSeriesId: seriesOf(worklist, 'W0', 'brain') };
      await readyView(client, { currentSeriesId: read.currentSeriesId, comparatorSeriesId: read.comparatorSeriesId });
      const [first, second] = (await client.candidates(read)).candidates;
      const confirmed = await client.reviewCandidate({ ...read, candidateId: first!.id, decision: 'confirm' });
      expect(confirmed.change!.lesion.track).toBe('reader1');
      await client.reviewCandidate({ ...read, candidateId: second!.id, decision: 'dismiss' });

      const other = await client.createReader({ name: 'Dr Second', role: 'reader', secret: READER_SECRET });
      await client.chooseReader({ readerId: other.id, secret: READER_SECRET });
      const seen = await client.candidates(read);
      expect(seen.candidates.map((candidate) => [candidate.status, candidate.lesionId, candidate.reviewedBy])).toEqual(seen.candidates.map(() => ['unreviewed', null, null]));
      expect(seen.unreviewed).toBe(seen.candidates.length);
      expect((await client.auditTrail({})).entries.filter((entry) => entry.action.startsWith('candidate.'))).toEqual([]);
      // Their own dismissal is theirs: reader 1's confirmation of the same spot stays as it was.
      await client.reviewCandidate({ ...read, candidateId: first!.id, decision: 'dismiss' });
      await client.chooseReader({ readerId: store.readerId, secret: READER_SECRET });
      expect((await client.candidates(read)).candidates.find((candidate) => candidate.id === first!.id)).toMatchObject({ status: 'confirmed', lesionId: confirmed.change!.lesion.id });
    } finally {
      store.ws.close();
    }
  });
});

describe('derived images in the background', () => {
  it('are computed for every read once its series are placed, alignment first, and stop when the workstation closes', async () => {
    const store = await trialStore({ ...storeFolder(), alignmentWorkerFile, precomputeDerived: true });
    const { db } = store.ws;
    const worklist = await store.client.worklist({});
    // Nothing was asked for: placing the series (the demo's organisation, as a reader's) queued them.
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    await expect.poll(() => count('subtraction_results'), READY_WITHIN).toBeGreaterThanOrEqual(2);
    const pairs = db.prepare("SELECT current_series_ref AS currentSeriesId, comparator_series_ref AS comparatorSeriesId FROM subtraction_results WHERE state = 'ready'").all();
    const expected = ['brain', 'spinal_cord', 'optic_nerve'].flatMap((region) =>
      [
        ['W12', 'W0'],
        ['W24', 'W12'],
        ['W52', 'W24'],
      ].map(([visit, comparator]) => ({ currentSeriesId: seriesOf(worklist, visit!, region), comparatorSeriesId: seriesOf(worklist, comparator!, region) })),
    );
    for (const done of pairs) expect(expected).toContainEqual(done);
    expect(count('series_alignments')).toBeGreaterThanOrEqual(pairs.length);
    store.ws.close();
    expect(db.open).toBe(false);
  });
});
