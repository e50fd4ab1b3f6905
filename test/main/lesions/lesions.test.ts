import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/client';
import { verifyAudit } from '../../../main/store/audit';
import { openWorkstation } from '../../../main/workstation';
import { tempFolder } from '../../helpers/fixtures';
import { READER_SECRET, trialStore } from '../../helpers/trial-store';

async function setup(file = join(tempFolder(), 'store.sqlite')) {
  const ws = openWorkstation({ dbPath: file, actor: 'reader-a', rendererDir: tempFolder() });
  const client = createClient((name, payload) => ws.dispatch(name, payload));
  const existing = (await client.trialSetup({})).participants[0];
  const participant = existing ?? (await client.saveParticipant({ subjectCode: '001', baselineDate: '2024-01-01' }));
  // Marking needs a chosen reader, as at the start of a session.
  const reader = (await client.listReaders({})).readers[0] ?? (await client.createReader({ name: 'Reader A', role: 'reader', secret: 'reader-a-secret' }));
  await client.chooseReader({ readerId: reader.id, secret: 'reader-a-secret' });
  return { ws, client, participant, file, reader };
}

const measured = (longestDiameterMm: number) => ({ kind: 'measured' as const, longestDiameterMm });

describe('lesions and observations', () => {
  it('are marked only by a chosen reader or adjudicator, so that every record names its reader', async () => {
    const ws = openWorkstation({ dbPath: join(tempFolder(), 'store.sqlite'), actor: 'os-user', rendererDir: tempFolder() });
    const client = createClient((name, payload) => ws.dispatch(name, payload));
    const participant = await client.saveParticipant({ subjectCode: '001', baselineDate: '2024-01-01' });
    const mark = () => client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W12', finding: measured(5) } });
    await expect(mark()).rejects.toMatchObject({ code: 'conflict', message: /^Choose who is reading first/ });
    const manager = await client.createReader({ name: 'Data Manager', role: 'data_manager', secret: 'manager-secret' });
    await client.chooseReader({ readerId: manager.id, secret: 'manager-secret' });
    await expect(mark()).rejects.toMatchObject({ code: 'forbidden', message: 'Lesions are marked by readers and adjudicators, not by a data manager.' });
    expect(ws.db.prepare('SELECT count(*) FROM lesions').pluck().get()).toBe(0);
    const adjudicator = await client.createReader({ name: 'Dr Adjudicator', role: 'adjudicator', secret: 'adjudicator-secret' });
    await client.chooseReader({ readerId: adjudicator.id, secret: 'adjudicator-secret' });
    expect((await mark()).lesion.observations[0]!.recordedBy).toBe(`reader:${adjudicator.id}:Dr Adjudicator`);
    ws.close();
  });

  it('gives each new lesion its identity and the suggested status, and counts it', async () => {
    const { ws, client, participant } = await setup();
    const { lesion: b1 } = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W12', finding: measured(5), marks: { centre: [1, 2, 3] } } });
    expect(b1).toMatchObject({ label: 'B1', region: 'brain', side: null, splitFrom: null, mergedFrom: [] });
    expect(b1.observations[0]).toMatchObject({ visitCode: 'W12', finalStatus: 'new', counted: true, suggestion: { status: 'new', comparatorVisit: 'W0' }, override: null, recordedBy: 'reader:1:Reader A', marks: { centre: [1, 2, 3] } });
    const { lesion: b2 } = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W24', finding: measured(4) } });
    const { lesion: s1 } = await client.createLesion({ participantId: participant.id, region: 'spinal_cord', observation: { visitCode: 'W24', finding: measured(20), levels: { upper: 'C2', lower: 'C6' }, extentReason: 'typed for this test' } });
    expect([b2.label, s1.label]).toEqual(['B2', 'S1']);
    expect(s1.observations[0]!.levels).toEqual({ upper: 'C2', lower: 'C6', segments: 5, longitudinallyExtensive: true });
    ws.close();
  });

  it('answers a change with everything the reading room redraws from: the lesions, the counts and the read\'s readiness', async () => {
    const { ws, client, participant } = await setup();
    await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W12', finding: measured(5) } });
    const change = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W12', finding: measured(6) } });
    expect(change.lesions.map((lesion) => lesion.label)).toEqual(['B1', 'B2']);
    expect(change.lesions).toEqual(await client.listLesions({ participantId: participant.id }));
    expect(change.counts).toEqual(await client.counts({ participantId: participant.id }));
    expect(change.counts.participants[0]!.cells.find((cell) => cell.visitCode === 'W12' && cell.region === 'brain')).toMatchObject({ new: 2 });
    expect(change.readiness).toEqual(await client.readReadiness({ participantId: participant.id, visitCode: 'W12', region: 'brain' }));
    ws.close();
  });

  it('follows a lesion across visits: new at 12, enlarging at 24, and derives the endpoint', async () => {
    const { ws, client, participant } = await setup();
    const { lesion } = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W12', finding: measured(4) } });
    const { lesion: after } = await client.recordObservation({ lesionId: lesion.id, visitCode: 'W24', finding: measured(8) });
    expect(after.observations.map((observation) => [observation.visitCode, observation.finalStatus, observation.counted])).toEqual([
      ['W12', 'new', true],
      ['W24', 'enlarging', true],
    ]);
    await client.recordObservation({ lesionId: lesion.id, visitCode: 'W52', finding: measured(8.2) });
    const counts = await client.counts({ participantId: participant.id });
    expect(counts.charter.id).toBe('default-2026-1');
    expect(counts.participants[0]!.cells).toEqual([
      { visitCode: 'W12', region: 'brain', new: 1, enlarging: 0, newOrEnlarging: 1, comparatorVisit: 'W0' },
      { visitCode: 'W24', region: 'brain', new: 0, enlarging: 1, newOrEnlarging: 1, comparatorVisit: 'W12' },
      { visitCode: 'W52', region: 'brain', new: 0, enlarging: 0, newOrEnlarging: 0, comparatorVisit: 'W24' },
    ]);
    expect(counts.participants[0]!.endpointTotal).toBe(2);
    expect(counts.trialTotal).toBe(2);
    ws.close();
  });

  it('lets a reader override a suggestion only with a reason, and accept it again', async () => {
    const { ws, client, participant } = await setup();
    const { lesion } = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W0', finding: measured(6) } });
    await client.recordObservation({ lesionId: lesion.id, visitCode: 'W12', finding: measured(8) });
    await expect(client.overrideStatus({ lesionId: lesion.id, visitCode: 'W12', status: 'enlarging' })).rejects.toMatchObject({ code: 'invalid_request', message: /an override needs a reason/ });
    const { lesion: overridden } = await client.overrideStatus({ lesionId: lesion.id, visitCode: 'W12', status: 'enlarging', reason: 'unequivocal growth on FLAIR' });
    expect(overridden.observations[1]).toMatchObject({ suggestion: { status: 'stable' }, override: { status: 'enlarging', reason: 'unequivocal growth on FLAIR' }, finalStatus: 'enlarging', counted: true });
    expect((await client.counts({})).trialTotal).toBe(1);
    const { lesion: accepted } = await client.overrideStatus({ lesionId: lesion.id, visitCode: 'W12', status: null });
    expect(accepted.observations[1]).toMatchObject({ override: null, finalStatus: 'stable', counted: false });
    const actions = ws.db.prepare("SELECT action FROM audit WHERE entity = 'observation' ORDER BY seq").pluck().all();
    expect(actions).toEqual(['observation.create', 'status.override', 'status.accept']);
    expect(verifyAudit(ws.db).ok).toBe(true);
    ws.close();
  });

  it('records merges and splits instead of losing them', async () => {
    const { ws, client, participant } = await setup();
    const { lesion: a } = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W0', finding: measured(6) } });
    const { lesion: b } = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W0', finding: measured(4) } });
    await client.recordObservation({ lesionId: a.id, visitCode: 'W12', finding: measured(7) });
    const { lesion: absorbed } = await client.recordObservation({ lesionId: b.id, visitCode: 'W12', finding: { kind: 'merged', intoLesionId: a.id } });
    expect(absorbed.observations[1]).toMatchObject({ finalStatus: 'merged', counted: false, suggestion: { why: 'merged into B1' } });
    const lesions = await client.listLesions({ participantId: participant.id });
    expect(lesions.find((lesion) => lesion.id === a.id)!.mergedFrom).toEqual([{ lesionId: b.id, label: 'B2', atVisit: 'W12' }]);
    const { lesion: child } = await client.createLesion({ participantId: participant.id, region: 'brain', splitFromLesionId: a.id, observation: { visitCode: 'W24', finding: measured(3) } });
    expect(child).toMatchObject({ label: 'B3', splitFrom: { lesionId: a.id, label: 'B1', atVisit: 'W24' } });
    expect(child.observations[0]).toMatchObject({ finalStatus: 'shrinking', counted: false });
    expect((await client.counts({})).trialTotal).toBe(0);
    ws.close();
  });

  it('keeps everything after the app is closed and reopened on the same file', async () => {
    const first = await setup();
    const { lesion } = await first.client.createLesion({ participantId: first.participant.id, region: 'optic_nerve', side: 'left', observation: { visitCode: 'W12', finding: measured(9), opticExtent: { beyondHalfLength: true, involvesChiasm: false } } });
    first.ws.close();
    const second = await setup(first.file);
    const [again] = await second.client.listLesions({ participantId: first.participant.id });
    expect(again).toEqual(lesion);
    expect(again!.observations[0]!.opticExtent).toEqual({ beyondHalfLength: true, involvesChiasm: false });
    second.ws.close();
  });

  it('refuses region details that do not fit, unknown visits, and cross-participant merges', async () => {
    const { ws, client, participant } = await setup();
    const other = await client.saveParticipant({ subjectCode: '002', baselineDate: '2024-01-01' });
    const { lesion: brain } = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W0', finding: measured(5) } });
    const { lesion: foreign } = await client.createLesion({ participantId: other.id, region: 'brain', observation: { visitCode: 'W0', finding: measured(5) } });
    await expect(client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W12', finding: measured(5), levels: { upper: 'C2', lower: 'C4' }, extentReason: 'typed for this test' } })).rejects.toMatchObject({ message: 'Vertebral levels belong to spinal cord lesions.' });
    await expect(client.createLesion({ participantId: participant.id, region: 'spinal_cord', observation: { visitCode: 'W12', finding: measured(5), levels: { upper: 'C6', lower: 'C2' }, extentReason: 'typed for this test' } })).rejects.toMatchObject({ message: /must be at or above/ });
    await expect(client.createLesion({ participantId: participant.id, region: 'brain', side: 'left', observation: { visitCode: 'W12', finding: measured(5) } })).rejects.toMatchObject({ message: 'Only optic nerve lesions have a side.' });
    await expect(client.recordObservation({ lesionId: brain.id, visitCode: 'W13', finding: measured(5) })).rejects.toMatchObject({ message: '"W13" is not a visit of the schedule.' });
    await expect(client.recordObservation({ lesionId: brain.id, visitCode: 'W12', finding: { kind: 'merged', intoLesionId: foreign.id } })).rejects.toMatchObject({ message: /same participant and region/ });
    await expect(client.recordObservation({ lesionId: brain.id, visitCode: 'W12', finding: measured(0) })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.recordObservation({ lesionId: brain.id, visitCode: 'W12', finding: measured(5), image: { seriesId: 1, instanceId: 1, frame: 1 } })).rejects.toMatchObject({ message: 'The marked image is not an instance of that series.' });
    expect(ws.db.prepare('SELECT count(*) FROM observations').pluck().get()).toBe(2);
    ws.close();
  });

  it('applies a changed charter to the counts at once and audits the change', async () => {
    const { ws, client, participant } = await setup();
    const { lesion } = await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W12', finding: measured(4) } });
    await client.recordObservation({ lesionId: lesion.id, visitCode: 'W24', finding: measured(6.5) });
    expect((await client.counts({})).trialTotal).toBe(1);
    const charter = await client.charter({});
    await client.saveCharter({ charter: { ...charter, id: 'either-3mm', enlargingRule: 'either' }, reason: 'charter amendment 2' });
    const counts = await client.counts({});
    expect(counts.charter.id).toBe('either-3mm');
    expect(counts.trialTotal).toBe(2);
    expect(ws.db.prepare("SELECT reason FROM audit WHERE action = 'charter.update'").pluck().get()).toBe('charter amendment 2');
    ws.close();
  });

  it('refuses a charter change without a reason, or while a read is signed under the old one', async () => {
    const { ws, client, participantId } = await trialStore();
    await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: measured(4) } });
    const charter = await client.charter({});
    const baseline = { ...charter, id: 'baseline-1', comparator: 'baseline' as const };
    await expect(client.saveCharter({ charter: baseline })).rejects.toMatchObject({ code: 'invalid_request', message: /Give a reason for changing the charter/ });
    await expect(client.saveCharter({ charter: baseline, reason: '   ' })).rejects.toMatchObject({ code: 'invalid_request' });
    // Saving the charter in force again changes nothing and needs no reason.
    expect(await client.saveCharter({ charter })).toEqual(charter);

    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
    await expect(client.saveCharter({ charter: baseline, reason: 'amendment' })).rejects.toMatchObject({ code: 'conflict', message: 'This would change a signed read: 001 W0 brain (signed by Dr Reader). Unlock it, with a reason, first.' });
    expect((await client.charter({})).id).toBe(charter.id);
    expect(ws.db.prepare("SELECT count(*) FROM audit WHERE action = 'charter.update'").pluck().get()).toBe(0);

    await client.unlockRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET, reason: 'charter amendment' });
    expect((await client.saveCharter({ charter: baseline, reason: 'amendment' })).id).toBe('baseline-1');
    ws.close();
  });
});
