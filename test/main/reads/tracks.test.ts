// Double reads: each reader reads a participant in a track of their own,
// taken at their first change, and gets nothing of the other track through
// any request until both are signed; the adjudicator sees both only then; a
// data manager sees no content. All on real stores with the synthetic
// participant's images.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { startHttpHost } from '../../../main/host/http-host';
import { type ReadingDesign, type RequestName } from '../../../shared/contract';
import { INVALID_PAYLOADS } from '../../helpers/invalid-payloads';
import { REQUEST_NAMES } from '../../helpers/request-names';
import { READER_SECRET, type TrialStore, signWholeTrack, trialStore } from '../../helpers/trial-store';

// Not blinded: these tests follow each reader's own visit codes (blinding has its own tests).
const DOUBLE: ReadingDesign = { design: 'double', adjudication: { rule: 'count_differs' }, blinded: false };
const measured = (longestDiameterMm: number) => ({ kind: 'measured' as const, longestDiameterMm });

let open: TrialStore | null = null;
afterEach(() => {
  open?.ws.close();
  open = null;
});

/** The synthetic participant in a double-read trial: Dr Reader (chosen), Dr Second, Dr Third, an adjudicator and a data manager. */
async function doubleReadTrial() {
  const store = await trialStore();
  open = store;
  const { client } = store;
  await client.saveReadingDesign({ design: DOUBLE, reason: 'two independent readers, per the charter' });
  const profiles = {
    first: store.readerId,
    second: (await client.createReader({ name: 'Dr Second', role: 'reader', secret: READER_SECRET })).id,
    third: (await client.createReader({ name: 'Dr Third', role: 'reader', secret: READER_SECRET })).id,
    adjudicator: (await client.createReader({ name: 'Dr Adjudicator', role: 'adjudicator', secret: READER_SECRET })).id,
    dataManager: (await client.createReader({ name: 'Data Manager', role: 'data_manager', secret: READER_SECRET })).id,
  };
  const as = (who: keyof typeof profiles) => client.chooseReader({ readerId: profiles[who], secret: READER_SECRET });
  return { ...store, as };
}

describe('a double-read trial', () => {
  it("gives each reader a track of their own at their first change, labelled from B1, and refuses a third reader", async () => {
    const { client, participantId, as, dbPath } = await doubleReadTrial();
    const first = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(7.77) } });
    expect(first.lesion).toMatchObject({ label: 'B1', track: 'reader1' });

    await as('second');
    expect(await client.listLesions({ participantId })).toEqual([]);
    const second = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(4) } });
    expect(second.lesion).toMatchObject({ label: 'B1', track: 'reader2' });
    expect(second.lesion.id).not.toBe(first.lesion.id);
    expect((await client.listLesions({ participantId })).map((lesion) => lesion.id)).toEqual([second.lesion.id]);
    // Reader 1's counts are theirs: 1 new at W12 for each, from their own lesion only.
    expect((await client.counts({ participantId })).participants[0]!.cells.find((cell) => cell.visitCode === 'W12' && cell.region === 'brain')).toMatchObject({ new: 1 });

    await as('third');
    await expect(client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(4) } })).rejects.toMatchObject({
      code: 'conflict',
      message: 'Both independent reads of 001 are taken by other readers.',
    });
    expect(await client.listLesions({ participantId })).toEqual([]);

    const raw = new Database(dbPath, { readonly: true });
    expect(raw.prepare('SELECT t.track, r.name FROM reader_tracks t JOIN readers r ON r.id = t.reader_ref ORDER BY t.track').all()).toEqual([
      { track: 'reader1', name: 'Dr Reader' },
      { track: 'reader2', name: 'Dr Second' },
    ]);
    raw.close();
  });

  it("answers a reader's request for the other track's lesion as if it did not exist, and never changes it", async () => {
    const { client, participantId, as } = await doubleReadTrial();
    const first = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(7.77) } });
    await as('second');
    const gone = { code: 'not_found', message: `Lesion ${first.lesion.id} does not exist.` };
    await expect(client.recordObservation({ lesionId: first.lesion.id, visitCode: 'W24', finding: { kind: 'resolved' } })).rejects.toMatchObject(gone);
    await expect(client.overrideStatus({ lesionId: first.lesion.id, visitCode: 'W12', status: 'stable', reason: 'looks old' })).rejects.toMatchObject(gone);
    await expect(client.listLesions({ participantId, track: 'reader1' })).rejects.toMatchObject({ code: 'forbidden', message: 'A reader sees only their own read of 001.' });
    // A merge or split naming the other track's lesion is refused the same way.
    await expect(client.createLesion({ participantId, region: 'brain', splitFromLesionId: first.lesion.id, observation: { visitCode: 'W12', finding: measured(3) } })).rejects.toMatchObject(gone);
    await as('first');
    expect((await client.listLesions({ participantId }))[0]!.observations.map((observation) => observation.visitCode)).toEqual(['W12']);
  });

  it('keeps signatures, readiness and the audit trail of each track to its reader', async () => {
    const { client, participantId, as } = await doubleReadTrial();
    const first = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(87.654) } });
    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
    const own = { participantId, visitCode: 'W0', region: 'brain' as const };
    expect(await client.signatures(own)).toHaveLength(1);

    await as('second');
    expect(await client.signatures(own)).toEqual([]);
    expect((await client.readReadiness({ ...own, visitCode: 'W12' })).problems.map((problem) => problem.kind)).toEqual(['comparator_unsigned']);
    const trail = await client.auditTrail({ participantId });
    const aboutReads = (entries: typeof trail.entries) => entries.filter((entry) => ['lesion', 'observation', 'read', 'track'].includes(entry.entity));
    expect(aboutReads(trail.entries)).toEqual([]);
    expect(JSON.stringify(trail)).not.toContain('87.654');
    // Their own first change shows in their trail, with the track they took.
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(4) } });
    const mine = aboutReads((await client.auditTrail({ participantId })).entries);
    expect(mine.map((entry) => entry.action).sort()).toEqual(['lesion.create', 'track.take']);
    expect(mine.find((entry) => entry.action === 'lesion.create')!.entityId).not.toBe(String(first.lesion.id));
    // A page of the trail is a page of what they may see: reader 1's newer entries take no room in it.
    await as('first');
    for (const size of [5, 6, 7]) await client.createLesion({ participantId, region: 'spinal_cord', observation: { visitCode: 'W24', finding: measured(size), levels: { upper: 'C2', lower: 'C3' }, extentReason: 'typed for this test' } });
    await as('second');
    expect((await client.auditTrail({ participantId, limit: 2 })).entries.map((entry) => entry.action)).toEqual(['lesion.create', 'track.take']);
  });

  it("shows a data manager no reader's content, and the adjudicator both tracks only once both are signed", async () => {
    const { client, participantId, as } = await doubleReadTrial();
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(7.77) } });
    await as('second');
    await client.createLesion({ participantId, region: 'spinal_cord', observation: { visitCode: 'W24', finding: measured(6), levels: { upper: 'C3', lower: 'C5' }, extentReason: 'typed for this test' } });

    await as('dataManager');
    expect(await client.listLesions({ participantId })).toEqual([]);
    await expect(client.listLesions({ participantId, track: 'reader1' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await client.counts({})).trialTotal).toBe(0);

    await as('adjudicator');
    await expect(client.listLesions({ participantId, track: 'reader2' })).rejects.toMatchObject({
      code: 'forbidden',
      message: "The readers' own reads of 001 are seen by the adjudicator once both are signed, and by a data manager once the values are final.",
    });
    await expect(client.adjudicate({ participantId, visitCode: 'W12', region: 'brain', call: { choice: 'reader1' }, reason: 'too early', secret: READER_SECRET })).rejects.toMatchObject({
      code: 'conflict',
      message: '001 is adjudicated once both readers have signed every read.',
    });

    await as('first');
    await signWholeTrack(client, participantId);
    await as('adjudicator');
    await expect(client.listLesions({ participantId, track: 'reader1' })).rejects.toMatchObject({ code: 'forbidden' });
    await as('second');
    await signWholeTrack(client, participantId);

    await as('adjudicator');
    expect((await client.listLesions({ participantId, track: 'reader1' })).map((lesion) => [lesion.label, lesion.region, lesion.track])).toEqual([['B1', 'brain', 'reader1']]);
    expect((await client.listLesions({ participantId, track: 'reader2' })).map((lesion) => [lesion.label, lesion.region, lesion.track])).toEqual([['S1', 'spinal_cord', 'reader2']]);
    const reader1Counts = await client.counts({ participantId, track: 'reader1' });
    expect(reader1Counts.participants[0]!.cells.find((cell) => cell.visitCode === 'W12' && cell.region === 'brain')).toMatchObject({ new: 1 });
    // The final track holds no marks: the adjudicator calls the reads the readers differ on, and marks nothing.
    expect(await client.listLesions({ participantId })).toEqual([]);
    await expect(client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(7.5) } })).rejects.toMatchObject({
      code: 'forbidden',
      message: "An adjudicator marks no lesions: they accept reader 1's count, reader 2's or their own on each read the readers differ on.",
    });
    await expect(client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET })).rejects.toMatchObject({ code: 'conflict' });
    // Their values differ at W12 brain only, so the data manager sees no reader's track until it is called.
    await as('dataManager');
    await expect(client.listLesions({ participantId, track: 'reader1' })).rejects.toMatchObject({ code: 'forbidden' });
    // A reader still sees only their own, signed or not.
    await as('second');
    await expect(client.listLesions({ participantId, track: 'reader1' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  // Reader 2 is told nothing of reader 1's read, not even that it is reader 1's; a data manager follows each track's progress by name, and gets none of its content.
  it.each([
    ['second', 'http'],
    ['second', 'dispatch'],
    ['dataManager', 'http'],
    ['dataManager', 'dispatch'],
  ] as const)('leaks nothing of reader 1’s track to %s through any request of the contract (%s)', async (who, transport) => {
    const { client, participantId, as, ws } = await doubleReadTrial();
    // Values no timestamp, id or UID can contain (no time has 87 seconds; UIDs have no dot past 2.25.).
    const first = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(87.654), marks: { centre: [81.234, -6.789, 3.21] } } });
    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
    await as(who);
    const secrets = [first.lesion.trackingUid, '87.654', '81.234', ...(who === 'second' ? ['reader1'] : [])];
    const host = transport === 'http' ? await startHttpHost(ws) : null;
    const cookie = host ? (await fetch(host.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]! : '';
    const ask = async (name: RequestName, payload: unknown): Promise<string> => {
      if (!host) return JSON.stringify(await ws.dispatch(name, payload));
      const response = await fetch(`${host.origin}/api/${name}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      return await response.text();
    };
    try {
      // Store switches and imports are left out: they reach another store or the file system, not a track.
      const skipped = new Set<RequestName>(['openDemoTrial', 'leaveDemoTrial', 'importFolder', 'startImport']);
      const lesionIds = { lesionId: first.lesion.id };
      for (const name of REQUEST_NAMES.filter((item) => !skipped.has(item))) {
        const valid = INVALID_PAYLOADS[name].valid;
        const payloads: Record<string, unknown>[] = [{ ...valid, ...('participantId' in valid ? { participantId } : {}), ...('lesionId' in valid ? lesionIds : {}) }];
        if (name === 'exportFiles') for (const format of ['csv', 'sdtm', 'redcap', 'dicom-sr', 'odm']) payloads.push({ format, reads: 'all' });
        if (name === 'signatures' || name === 'readReadiness') payloads.push({ participantId, visitCode: 'W0', region: 'brain' });
        for (const payload of payloads) {
          const answer = await ask(name, payload);
          for (const secret of secrets) expect(answer, `${name} ${JSON.stringify(payload)}`).not.toContain(secret);
        }
      }
    } finally {
      await host?.close();
    }
  });
});

describe('adjudication', () => {
  const w12Brain = (cells: { visitCode: string; region: string }[]) => cells.find((cell) => cell.visitCode === 'W12' && cell.region === 'brain');

  it('makes the agreed counts final when both readers count the same lesion, and tells no reader', async () => {
    const { client, participantId, as } = await doubleReadTrial();
    const sameLesion = { visitCode: 'W12', finding: measured(6), marks: { centre: [10, 20, 30] as [number, number, number] } };
    await client.createLesion({ participantId, region: 'brain', observation: sameLesion });
    await as('dataManager');
    expect(await client.adjudication({ participantId })).toEqual([
      {
        participantId,
        subjectCode: '001',
        state: 'reading',
        tracks: [
          { track: 'reader1', reader: 'Dr Reader', signedReads: 0, reads: 12 },
          { track: 'reader2', reader: null, signedReads: 0, reads: 12 },
        ],
        disagreements: null,
        agreedCounts: null,
        toleranceMm: 5,
      },
    ]);
    // Not final yet: the data manager's counts have no values for 001.
    expect((await client.counts({ participantId })).participants[0]!.cells).toEqual([]);
    await as('first');
    await signWholeTrack(client, participantId);
    await expect(client.adjudication({})).rejects.toMatchObject({ code: 'forbidden', message: 'Adjudication is seen by adjudicators and data managers: a reader is not told of the other read.' });
    await as('second');
    await client.createLesion({ participantId, region: 'brain', observation: { ...sameLesion, marks: { centre: [11, 21, 31] } } });
    await signWholeTrack(client, participantId);

    await as('dataManager');
    const [agreed] = await client.adjudication({ participantId });
    expect(agreed).toMatchObject({ state: 'agreed', disagreements: [], tracks: [{ signedReads: 12 }, { signedReads: 12 }] });
    expect(w12Brain(agreed!.agreedCounts!)).toEqual({ visitCode: 'W12', region: 'brain', new: 1, enlarging: 0, newOrEnlarging: 1 });
    const counts = await client.counts({});
    expect(w12Brain(counts.participants[0]!.cells)).toMatchObject({ new: 1, newOrEnlarging: 1, comparatorVisit: 'W0' });
    expect(counts.trialTotal).toBe(1);
  });

  it('sends differing counts to the adjudicator, whose signed call becomes final; a data manager sees the disagreement only then', async () => {
    const { client, participantId, as, dbPath } = await doubleReadTrial();
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(6), marks: { centre: [10, 20, 30] } } });
    await signWholeTrack(client, participantId);
    await as('second');
    await signWholeTrack(client, participantId);

    await as('dataManager');
    expect(await client.adjudication({ participantId })).toMatchObject([{ state: 'needs_adjudication', disagreements: null, agreedCounts: null }]);
    expect((await client.counts({ participantId })).participants[0]!.cells).toEqual([]);
    await as('adjudicator');
    const [pending] = await client.adjudication({ participantId });
    expect(pending!.disagreements).toEqual([{ visitCode: 'W12', region: 'brain', reader1: 1, reader2: 0, pairs: [], onlyFirst: ['B1'], onlySecond: [], why: 'the counts differ', call: null }]);
    // The adjudicator sides with reader 1, with a reason, and signs the call.
    const call = await client.adjudicate({ participantId, visitCode: 'W12', region: 'brain', call: { choice: 'reader1' }, reason: 'B1 is on both echoes', secret: READER_SECRET });
    expect(call).toMatchObject({ track: 'final', reader: 'Dr Adjudicator', meaning: 'I decide this read' });
    await as('dataManager');
    expect(await client.adjudication({ participantId })).toMatchObject([
      { state: 'adjudicated', disagreements: [{ visitCode: 'W12', region: 'brain', reader1: 1, reader2: 0, call: { choice: 'reader1', new: 1, newOrEnlarging: 1, reason: 'B1 is on both echoes', adjudicator: 'Dr Adjudicator' } }] },
    ]);
    // Final now: the data manager may see each reader's own read too.
    expect((await client.listLesions({ participantId, track: 'reader1' })).map((lesion) => lesion.label)).toEqual(['B1']);
    expect(await client.listLesions({ participantId, track: 'reader2' })).toEqual([]);
    const counts = await client.counts({ participantId });
    expect(w12Brain(counts.participants[0]!.cells)).toMatchObject({ new: 1, newOrEnlarging: 1 });
    expect(counts.participants[0]!.endpointTotal).toBe(1);

    // Agreement over this one participant: W12, W24 and W52 in each region; reader 1's one lesion has no partner.
    const agreement = await client.agreement({});
    expect(agreement.participants).toBe(1);
    const all = agreement.regions.find((region) => region.region === 'all')!;
    expect([all.icc.n, all.kappa.n, all.lesionF1.n]).toEqual([3, 9, 1]);
    expect(all.lesionF1.value).toBe(0);
    expect(all.kappa.value).toBeCloseTo(0, 12);
    expect(agreement.regions.find((region) => region.region === 'optic_nerve')!.kappa).toMatchObject({ value: null, n: 3 });
    expect(agreement.adjudicationRate).toMatchObject({ value: 1, n: 1 });
    // The adjudicator sided with reader 1 on the one read they differed on.
    expect(agreement.readers.map((reader) => [reader.reader, reader.decidedAgainst.value, reader.decidedAgainst.n])).toEqual([
      ['Dr Reader', 0, 1],
      ['Dr Second', 1, 1],
    ]);
    await as('second');
    await expect(client.agreement({})).rejects.toMatchObject({ code: 'forbidden' });

    // The same figures from the command line, on the same store.
    let out = '';
    expect(await runCli(['agreement', '--db', dbPath, '--json'], { out: (text) => (out += text), err: () => {} })).toBe(0);
    expect(JSON.parse(out)).toEqual(agreement);
    out = '';
    expect(await runCli(['agreement', '--db', dbPath], { out: (text) => (out += text), err: () => {} })).toBe(0);
    expect(out).toContain('Adjudication rate: 1.00 (');
    expect(out).toContain('Decided against Dr Second: 1.00 (');
  });

  it("takes reader 2's count or the adjudicator's own, refuses a second call and any call but the adjudicator's, and keeps a signed call from changing", async () => {
    const { client, participantId, as, dbPath } = await doubleReadTrial();
    // Reader 1: one new lesion at W12; reader 2: two at W12 and one at W24.
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(6), marks: { centre: [10, 20, 30] } } });
    await signWholeTrack(client, participantId);
    await as('second');
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(6), marks: { centre: [10, 20, 31] } } });
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(5), marks: { centre: [-40, 0, 30] } } });
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W24', finding: measured(4), marks: { centre: [30, 30, 30] } } });
    await signWholeTrack(client, participantId);
    const w12 = { participantId, visitCode: 'W12', region: 'brain' as const };
    const w24 = { ...w12, visitCode: 'W24' };

    await expect(client.adjudicate({ ...w12, call: { choice: 'reader2' }, reason: 'mine', secret: READER_SECRET })).rejects.toMatchObject({ code: 'forbidden', message: 'Where the readers differ, an adjudicator decides.' });
    await as('adjudicator');
    const [pending] = await client.adjudication({ participantId });
    expect(pending!.disagreements!.map((read) => [read.visitCode, read.reader1, read.reader2, read.pairs.length, read.onlySecond, read.call])).toEqual([
      ['W12', 1, 2, 1, ['B2'], null],
      ['W24', 0, 1, 0, ['B3'], null],
    ]);
    await expect(client.adjudicate({ ...w12, visitCode: 'W52', call: { choice: 'reader1' }, reason: 'agree', secret: READER_SECRET })).rejects.toMatchObject({
      code: 'conflict',
      message: 'The readers agree on 001 W52 brain: there is nothing to decide there.',
    });
    await expect(client.adjudicate({ ...w12, call: { choice: 'reader1' }, reason: 'x', secret: 'not the secret' })).rejects.toMatchObject({ code: 'forbidden' });
    await client.adjudicate({ ...w12, call: { choice: 'reader2' }, reason: 'B2 is a real new lesion on the W12 FLAIR', secret: READER_SECRET });
    await expect(client.adjudicate({ ...w12, call: { choice: 'reader1' }, reason: 'second thoughts', secret: READER_SECRET })).rejects.toMatchObject({
      code: 'conflict',
      message: 'Dr Adjudicator has decided this read already. Unlock the call, with a reason, to decide it again.',
    });
    // One read called, one not: not final yet.
    expect((await client.adjudication({ participantId }))[0]!.state).toBe('needs_adjudication');
    await client.adjudicate({ ...w24, call: { choice: 'adjudicator', new: 0, enlarging: 0 }, reason: 'B3 is a vessel, not a lesion', secret: READER_SECRET });

    await as('dataManager');
    const counts = await client.counts({ participantId });
    expect(counts.participants[0]!.cells.filter((cell) => cell.region === 'brain').map((cell) => [cell.visitCode, cell.newOrEnlarging])).toEqual([
      ['W0', 0],
      ['W12', 2],
      ['W24', 0],
      ['W52', 0],
    ]);
    expect(counts.participants[0]!.endpointTotal).toBe(2);

    // A signed call holds: reader 2 may unlock their read, but not change what the call was made on.
    await as('second');
    await client.unlockRead({ ...w24, reason: 'second look', secret: READER_SECRET });
    const b3 = (await client.listLesions({ participantId })).find((lesion) => lesion.label === 'B3')!;
    await expect(client.recordObservation({ lesionId: b3.id, visitCode: 'W24', finding: { kind: 'not_evaluable' } })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('001 W24 brain (final) (signed by Dr Adjudicator)'),
    });
    // The adjudicator unlocks the call with a reason and decides again; the audit trail keeps both calls and their reasons.
    await as('adjudicator');
    await client.unlockRead({ ...w24, reason: 'reader 2 is re-reading', secret: READER_SECRET });
    // Reader 2's read is open again: the participant is back to reading, with no final values.
    expect((await client.adjudication({ participantId }))[0]!.state).toBe('reading');
    await as('dataManager');
    expect((await client.counts({ participantId })).participants[0]!.cells).toEqual([]);
    const calls = (await client.auditTrail({ participantId })).entries.filter((entry) => entry.action === 'read.adjudicate');
    // Newest first.
    expect(calls.map((entry) => entry.reason)).toEqual(['B3 is a vessel, not a lesion', 'B2 is a real new lesion on the W12 FLAIR']);

    // The store check rebuilds a call from both readers' tracks: an edit outside the app breaks it.
    const raw = new Database(dbPath);
    raw.prepare("UPDATE signatures SET content = replace(content, 'B2 is a real', 'B2 is not a') WHERE track = 'final'").run();
    raw.close();
    let out = '';
    expect(await runCli(['audit', 'verify', '--db', dbPath], { out: (text) => (out += text), err: (text) => (out += text) })).not.toBe(0);
    expect(out).toMatch(/signatures row \d+ \(001 W12 brain \(final\)\): its content does not match its hash/);
  });

  it("shows a data manager each read's progress per reader on the worklist, never its content, and the final count once there is one", async () => {
    const { client, participantId, as } = await doubleReadTrial();
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(6), marks: { centre: [10, 20, 30] } } });
    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
    await client.signRead({ participantId, visitCode: 'W12', region: 'brain', secret: READER_SECRET });
    const w12Brain = async () => (await client.worklist({})).rows[0]!.cells.find((cell) => cell.visitCode === 'W12' && cell.region === 'brain')!;
    const w0Brain = async () => (await client.worklist({})).rows[0]!.cells.find((cell) => cell.visitCode === 'W0' && cell.region === 'brain')!;
    // The reader's own worklist is their track's, with no word of the other.
    expect(await w12Brain()).toMatchObject({ readState: 'signed', newOrEnlarging: 1, tracks: null });

    await as('dataManager');
    expect(await w0Brain()).toMatchObject({
      readState: 'in_progress',
      reader: null,
      newOrEnlarging: null,
      tracks: [
        { track: 'reader1', reader: 'Dr Reader', signed: true },
        { track: 'reader2', reader: null, signed: false },
      ],
      problems: ['1 of 2 readers has signed this read.'],
    });
    await as('first');
    await signWholeTrack(client, participantId);
    await as('second');
    await signWholeTrack(client, participantId);
    await as('dataManager');
    // Both signed, the counts differ at W12: every read waits for the adjudicator, and the data manager is not told where they differ.
    expect(await w12Brain()).toMatchObject({ readState: 'needs_decision', newOrEnlarging: null, problems: ['Both readers have signed 001: the adjudicator decides where they differ.'] });
    await as('adjudicator');
    await client.adjudicate({ participantId, visitCode: 'W12', region: 'brain', call: { choice: 'reader1' }, reason: 'B1 is there', secret: READER_SECRET });
    await as('dataManager');
    expect(await w12Brain()).toMatchObject({ readState: 'signed', newOrEnlarging: 1, reader: 'Dr Adjudicator' });
    expect(await w0Brain()).toMatchObject({ readState: 'signed', newOrEnlarging: 0, reader: 'Dr Second' });
  });

  it('is not measured in a single-read trial', async () => {
    const store = await trialStore();
    open = store;
    await expect(store.client.agreement({})).rejects.toMatchObject({ code: 'conflict', message: /one read per participant/ });
  });
});

describe('the reading design', () => {
  it('changes only with a reason, never while a read is signed or lesions are recorded in tracks the new design has not', async () => {
    const store = await trialStore();
    open = store;
    const { client, participantId } = store;
    expect(await client.readingDesign({})).toEqual({ design: 'single' });
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(5) } });
    await expect(client.saveReadingDesign({ design: DOUBLE, reason: 'two readers' })).rejects.toMatchObject({
      code: 'conflict',
      message: '1 lesion is recorded in reads the double-read design does not have: the design is chosen before reading starts.',
    });
    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
    await expect(client.saveReadingDesign({ design: DOUBLE, reason: 'two readers' })).rejects.toMatchObject({ code: 'conflict', message: /^The reading design cannot change while reads are signed \(1, e\.g\. 001 W0 brain\)/ });
    expect(await client.readingDesign({})).toEqual({ design: 'single' });
  });

  it('is audited with its reason', async () => {
    const store = await trialStore();
    open = store;
    const { client } = store;
    expect(await client.saveReadingDesign({ design: DOUBLE, reason: 'two readers, per the charter v2' })).toEqual(DOUBLE);
    expect(await client.readingDesign({})).toEqual(DOUBLE);
    const entry = (await client.auditTrail({})).entries.find((item) => item.action === 'reading-design.update')!;
    expect(entry).toMatchObject({ oldValue: { design: 'single' }, newValue: DOUBLE, reason: 'two readers, per the charter v2' });
  });
});
