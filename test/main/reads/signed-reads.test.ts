// Signed means signed, through the services on a real store: a change
// anywhere that would alter a signed read's counts or statuses (at its
// comparator visit, a merge, a charter) is refused with the read named and
// leaves nothing behind; a read is signed only when complete; images that
// arrive after a signature wait for a reader instead of joining a signed read.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../helpers/fixtures';
import { READER_SECRET, trialStore } from '../../helpers/trial-store';
import { uidTemplate, withNewUids } from '../../helpers/uid-rewrite';
import { storeProblems } from '../../../main/reads/store-check';

const measured = (longestDiameterMm: number) => ({ kind: 'measured' as const, longestDiameterMm });

/** B1 at 5 mm at W0 and 6 mm at W12 (stable), both brain reads signed. */
async function signedPair() {
  const store = await trialStore();
  const { client, participantId } = store;
  const { lesion: lesion } = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: measured(5), marks: { centre: [10, 20, 30] } } });
  await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
  await client.recordObservation({ lesionId: lesion.id, visitCode: 'W12', finding: measured(6) });
  const w12 = await client.signRead({ participantId, visitCode: 'W12', region: 'brain', secret: READER_SECRET });
  return { ...store, lesion, w12 };
}

/** B1 (5 mm) and B2 (4 mm) at W0, both 5 mm at W12; both brain reads signed. */
async function twoSignedLesions() {
  const store = await trialStore();
  const { client, participantId } = store;
  const [first, second] = [(await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: measured(5) } })).lesion, (await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: measured(4) } })).lesion];
  await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
  for (const lesion of [first, second]) await client.recordObservation({ lesionId: lesion.id, visitCode: 'W12', finding: measured(5) });
  await client.signRead({ participantId, visitCode: 'W12', region: 'brain', secret: READER_SECRET });
  return { ...store, first, second };
}

const brainAt = (report: { participants: { cells: { visitCode: string; region: string; new: number; enlarging: number }[] }[] }, visitCode: string) =>
  report.participants[0]!.cells.find((cell) => cell.visitCode === visitCode && cell.region === 'brain');

describe('a change that would alter a signed read', () => {
  it('is refused at the comparator visit, naming the signed read, and the counts stay as signed', async () => {
    const { ws, client, participantId, lesion, w12 } = await signedPair();
    expect(w12.content).toMatchObject({ comparatorVisit: 'W0', comparator: [{ lesion: 'B1', finding: measured(5) }], lesions: [{ lesion: 'B1', finalStatus: 'stable' }] });
    await client.unlockRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET, reason: 'remeasure the baseline' });
    const auditBefore = ws.db.prepare('SELECT count(*) FROM audit').pluck().get();

    // 3 mm at W0 would make B1 enlarging at W12 (6 mm is +100% and +3 mm).
    const refusal = { code: 'conflict', message: 'This would change a signed read: 001 W12 brain (signed by Dr Reader). Unlock it, with a reason, first.' };
    await expect(client.recordObservation({ lesionId: lesion.id, visitCode: 'W0', finding: measured(3) })).rejects.toMatchObject(refusal);
    // The same size drawn elsewhere changes what W12 was compared with: refused too.
    await expect(client.recordObservation({ lesionId: lesion.id, visitCode: 'W0', finding: measured(5), marks: { centre: [11, 20, 30] } })).rejects.toMatchObject(refusal);
    // A new lesion at W0 would leave the signed W12 read without a finding for it.
    await expect(client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: measured(4) } })).rejects.toMatchObject(refusal);

    expect(brainAt(await client.counts({ participantId }), 'W12')).toMatchObject({ new: 0, enlarging: 0 });
    expect((await client.listLesions({ participantId })).map((item) => item.observations.map((observation) => observation.finding))).toEqual([[measured(5), measured(6)]]);
    expect(ws.db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(auditBefore);

    // Once W12 is unlocked too, the remeasurement goes through and W12 counts it.
    await client.unlockRead({ participantId, visitCode: 'W12', region: 'brain', secret: READER_SECRET, reason: 'baseline remeasured' });
    await client.recordObservation({ lesionId: lesion.id, visitCode: 'W0', finding: measured(3) });
    expect(brainAt(await client.counts({ participantId }), 'W12')).toMatchObject({ new: 0, enlarging: 1 });
    ws.close();
  });

  it('is refused for a merge at an earlier visit, a new charter and a new subject code', async () => {
    const { ws, client, participantId, first, second } = await twoSignedLesions();
    await client.unlockRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET, reason: 'one confluent lesion at baseline' });
    const named = { code: 'conflict', message: /This would change (a signed read|\d+ signed reads): .*001 W12 brain \(signed by Dr Reader\)/ };
    await expect(client.recordObservation({ lesionId: second.id, visitCode: 'W0', finding: { kind: 'merged', intoLesionId: first.id } })).rejects.toMatchObject(named);
    const charter = await client.charter({});
    await expect(client.saveCharter({ charter: { ...charter, id: 'stricter', minimumSizeMm: 4 }, reason: 'amendment' })).rejects.toMatchObject(named);
    const { baselineDate } = (await client.trialSetup({})).participants[0]!;
    await expect(client.saveParticipant({ id: participantId, subjectCode: '001A', baselineDate })).rejects.toMatchObject(named);
    expect((await client.charter({})).id).toBe(charter.id);
    expect((await client.trialSetup({})).participants[0]!.subjectCode).toBe('001');
    expect((await client.listLesions({ participantId })).map((lesion) => lesion.observations[0]!.finding)).toEqual([measured(5), measured(4)]);
    ws.close();
  });
});

describe('a change after a signed visit', () => {
  it('is taken: a merge at W24 leaves the signed W0 and W12 reads as they were', async () => {
    const { ws, client, first, second } = await twoSignedLesions();
    await client.recordObservation({ lesionId: first.id, visitCode: 'W24', finding: measured(9) });
    const { lesion: merged } = await client.recordObservation({ lesionId: second.id, visitCode: 'W24', finding: { kind: 'merged', intoLesionId: first.id } });
    expect(merged.observations.at(-1)).toMatchObject({ visitCode: 'W24', finalStatus: 'merged' });
    expect(storeProblems(ws.db)).toEqual([]);
    ws.close();
  });
});

describe('signing', () => {
  it('needs the comparator read signed first', async () => {
    const { ws, client, participantId } = await trialStore();
    const key = { participantId, visitCode: 'W12', region: 'spinal_cord' as const };
    await expect(client.signRead({ ...key, secret: READER_SECRET })).rejects.toMatchObject({
      code: 'conflict',
      message: 'The 001 W12 spinal cord read cannot be signed yet: Sign the W0 read first: the statuses of this read are measured against it.',
    });
    expect(await client.readReadiness(key)).toMatchObject({ ready: false, read: '001 W12 spinal cord', problems: [{ kind: 'comparator_unsigned', lesionId: null }] });
    await client.signRead({ ...key, visitCode: 'W0', secret: READER_SECRET });
    expect(await client.readReadiness(key)).toEqual({ ready: true, read: '001 W12 spinal cord', problems: [] });
    ws.close();
  });

  it('needs a finding at this visit for every lesion known before it, and lists those without one', async () => {
    const { ws, client, participantId } = await trialStore();
    const { lesion: seen } = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: measured(5) } });
    const { lesion: gone } = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: measured(7) } });
    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
    await client.recordObservation({ lesionId: seen.id, visitCode: 'W12', finding: measured(5) });
    const key = { participantId, visitCode: 'W12', region: 'brain' as const };
    const message = 'B2 (last seen at W0) has no finding at W12: measure it, or mark it resolved or not evaluable.';
    await expect(client.signRead({ ...key, secret: READER_SECRET })).rejects.toMatchObject({ code: 'conflict', message: `The 001 W12 brain read cannot be signed yet: ${message}` });
    expect((await client.readReadiness(key)).problems).toEqual([{ kind: 'unassessed', lesionId: gone.id, message }]);
    expect(await client.signatures(key)).toEqual([]);

    // Resolved at W12: nothing more is owed at W24 either.
    await client.recordObservation({ lesionId: gone.id, visitCode: 'W12', finding: { kind: 'resolved' } });
    await client.signRead({ ...key, secret: READER_SECRET });
    expect((await client.readReadiness({ ...key, visitCode: 'W24' })).problems.map((problem) => problem.message)).toEqual([
      'B1 (last seen at W12) has no finding at W24: measure it, or mark it resolved or not evaluable.',
    ]);
    ws.close();
  });
});

describe('images that arrive after a read is signed', () => {
  it('wait for a reader, and the signed read keeps its series and counts', async () => {
    const { ws, client, participantId, truth, trialFolder } = await trialStore();
    await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
    const signed = await client.signRead({ participantId, visitCode: 'W12', region: 'brain', secret: READER_SECRET });
    // The W12 brain series sent again under new UIDs, as a site resending it would.
    const brain = truth.participants[0]!.studies.find((study) => study.visit === 'W12')!.series.find((series) => series.region === 'brain')!;
    const late = tempFolder();
    readdirSync(join(trialFolder, brain.folder)).forEach((name, index) => writeFileSync(join(late, name), withNewUids(uidTemplate(join(trialFolder, brain.folder, name)), index + 1, 77)));
    expect((await client.importFolder({ folder: late })).instancesAdded).toBe(brain.instances);

    const study = (await client.listAssignments({})).find((item) => item.visitCode === 'W12')!;
    const resent = study.series.find((series) => !(signed.content as { series: number[] }).series.includes(series.seriesId) && series.description === brain.description)!;
    expect(resent).toMatchObject({ region: null, needsReview: true, note: 'imported after a read of this participant was signed: a reader assigns it' });
    const cell = (await client.worklist({})).rows[0]!.cells.find((item) => item.visitCode === 'W12' && item.region === 'brain')!;
    expect(cell.series.map((series) => series.seriesId)).toEqual((signed.content as { series: number[] }).series);
    expect(storeProblems(ws.db)).toEqual([]);

    // Joining it to the signed read by hand is refused like any other change to it.
    await expect(client.assignSeries({ seriesId: resent.seriesId, region: 'brain', sequence: 'FLAIR', reason: 'resent by the site' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'This would change a signed read: 001 W12 brain (signed by Dr Reader). Unlock it, with a reason, first.',
    });
    ws.close();
  });
});
