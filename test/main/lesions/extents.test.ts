// Extents measured on the image, on real SQLite files holding the synthetic
// participant: the vertebral ruler and the nerve trace stored and audited,
// the levels, segments, LETM, fraction and chiasm flag main computes from
// truth's clicks, the typed override with its reason, the refusals, the
// rule that a changed ruler or trace measures only unsigned observations
// again, and migration 11 on a version 10 store.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TYPED_LEVELS_NEED_A_REASON } from '../../../main/lesions/extents';
import type { Client } from '../../../shared/client';
import type { LesionTruth, TrialTruth } from '../../../shared/synthetic/truth';
import { storeProblems } from '../../../main/reads/store-check';
import { appendAudit, verifyAudit } from '../../../main/store/audit';
import { openDatabase, schemaVersion } from '../../../main/store/database';
import { migrations } from '../../../main/store/migrations';
import { openCheckedDatabase } from '../../../main/workstation';
import { tempFolder } from '../../helpers/fixtures';
import { READER_SECRET, trialStore } from '../../helpers/trial-store';

type Vec3 = [number, number, number];

/** The store's id of the series truth names, and one of its instances (the image the ends were clicked on). */
async function seriesOf(client: Client, seriesInstanceUid: string) {
  const series = (await client.listSeries({})).find((item) => item.seriesUid === seriesInstanceUid)!;
  const instanceId = (await client.seriesImages({ seriesId: series.id })).images[0]!.instanceId;
  return { seriesId: series.id, image: { seriesId: series.id, instanceId, frame: 1 } };
}

const studyOf = (truth: TrialTruth, visit: string) => truth.participants[0]!.studies.find((study) => study.visit === visit)!;
const rulerOf = (truth: TrialTruth, visit: string) => studyOf(truth, visit).landmarks.vertebralBodies.map((body) => ({ level: body.level as 'C1', point: body.patientMm as Vec3 }));
/** A truth lesion of a region with the visit it is first present at. */
function firstPresent(truth: TrialTruth, region: LesionTruth['region'], filter: (lesion: LesionTruth) => boolean = () => true) {
  const lesion = truth.participants[0]!.lesions.find((item) => item.region === region && filter(item))!;
  return { lesion, visit: lesion.visits.find((item) => item.present)! };
}
const auditActions = (client: Client) => client.auditTrail({}).then((trail) => trail.entries.map((entry) => entry.action));

describe('cord extent on the image', () => {
  it('measures a cord lesion\'s levels, segments, LETM and length from its clicked ends with the series\' ruler, which is stored and audited', async () => {
    const { ws, client, participantId, truth } = await trialStore();
    const { lesion, visit } = firstPresent(truth, 'spinal_cord');
    const { seriesId, image } = await seriesOf(client, visit.location.seriesInstanceUid);
    const create = () => client.createLesion({ participantId, region: 'spinal_cord', observation: { visitCode: visit.visit, finding: { kind: 'measured', longestDiameterMm: visit.longestDiameterMm }, image, ends: visit.endsMm as [Vec3, Vec3] } });

    await expect(create()).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^Set the vertebral ruler of this series first/) });
    expect(await client.vertebralRuler({ seriesId })).toBeNull();
    await expect(client.saveVertebralRuler({ seriesId, anchors: rulerOf(truth, visit.visit).slice(0, 1).concat(rulerOf(truth, visit.visit).slice(0, 1)) })).rejects.toMatchObject({ message: 'C1 is labelled twice: each vertebra is clicked once.' });
    const saved = await client.saveVertebralRuler({ seriesId, anchors: rulerOf(truth, visit.visit) });
    expect(saved).toMatchObject({ remeasured: 0, keptSigned: 0, ruler: { seriesId, participantId, track: 'single', savedBy: expect.stringMatching(/Dr Reader/) } });
    expect(await client.vertebralRuler({ seriesId })).toEqual(saved.ruler);

    const { lesion: s1 } = await create();
    const observation = s1.observations[0]!;
    expect(observation.levels).toEqual({ upper: visit.cord!.upperLevel, lower: visit.cord!.lowerLevel, segments: visit.cord!.segments, longitudinallyExtensive: visit.cord!.longitudinallyExtensive });
    expect(observation.extent).toMatchObject({ ends: visit.endsMm, rulerId: saved.ruler.id, source: 'image', overrideReason: null, measuredLevels: { upper: visit.cord!.upperLevel, lower: visit.cord!.lowerLevel } });
    // Truth's length is along the cord's own curve; the ruler's path follows the bodies' polyline: within 1%.
    expect(Math.abs(observation.extent!.lengthMm! - visit.longestDiameterMm)).toBeLessThan(0.01 * visit.longestDiameterMm + 0.1);
    expect(await auditActions(client)).toEqual(expect.arrayContaining(['ruler.create', 'lesion.create']));
    expect(lesion.id).toBeTruthy();
    ws.close();
  });

  it('keeps typed levels as an override only with a reason, beside what the image measured', async () => {
    const { ws, client, participantId, truth } = await trialStore();
    const { visit } = firstPresent(truth, 'spinal_cord');
    const { seriesId, image } = await seriesOf(client, visit.location.seriesInstanceUid);
    await client.saveVertebralRuler({ seriesId, anchors: rulerOf(truth, visit.visit) });
    const typed = { upper: 'C1' as const, lower: 'T12' as const };
    const observation = (extra: object) => ({ visitCode: visit.visit, finding: { kind: 'measured' as const, longestDiameterMm: 10 }, image, ends: visit.endsMm as [Vec3, Vec3], levels: typed, ...extra });
    await expect(client.createLesion({ participantId, region: 'spinal_cord', observation: observation({}) })).rejects.toMatchObject({
      code: 'invalid_request',
      message: `The ruler measures ${visit.cord!.upperLevel}-${visit.cord!.lowerLevel}: give a reason for recording C1-T12 instead.`,
    });
    const { lesion } = await client.createLesion({ participantId, region: 'spinal_cord', observation: observation({ extentReason: 'the lesion continues in the next slice' }) });
    expect(lesion.observations[0]!.levels).toEqual({ upper: 'C1', lower: 'T12', segments: 19, longitudinallyExtensive: true });
    expect(lesion.observations[0]!.extent).toMatchObject({ source: 'override', overrideReason: 'the lesion continues in the next slice', measuredLevels: { upper: visit.cord!.upperLevel, lower: visit.cord!.lowerLevel } });
    const entry = (await client.auditTrail({})).entries.find((item) => item.action === 'lesion.create')!;
    expect(entry.reason).toBe('the lesion continues in the next slice');
    // The same levels as measured need no reason: they are the image's.
    const again = await client.recordObservation({ lesionId: lesion.id, ...observation({ levels: { upper: visit.cord!.upperLevel, lower: visit.cord!.lowerLevel } }) });
    expect(again.lesion.observations[0]!.extent).toMatchObject({ source: 'image', overrideReason: null });
    // A reason without ends overrides nothing.
    await expect(client.recordObservation({ lesionId: lesion.id, visitCode: visit.visit, finding: { kind: 'measured', longestDiameterMm: 10 }, extentReason: 'why' })).rejects.toMatchObject({ message: /click the lesion's ends first/ });
    ws.close();
  });

  it('takes typed levels without clicked ends only with a reason, recorded and audited as typed', async () => {
    const { ws, client, participantId } = await trialStore();
    const observation = { visitCode: 'W12', finding: { kind: 'measured' as const, longestDiameterMm: 8 }, levels: { upper: 'C3' as const, lower: 'C5' as const } };
    await expect(client.createLesion({ participantId, region: 'spinal_cord', observation })).rejects.toMatchObject({ code: 'invalid_request', message: TYPED_LEVELS_NEED_A_REASON });
    const { lesion } = await client.createLesion({ participantId, region: 'spinal_cord', observation: { ...observation, extentReason: 'no sagittal cord series at this visit' } });
    expect(lesion.observations[0]!.levels).toEqual({ upper: 'C3', lower: 'C5', segments: 3, longitudinallyExtensive: true });
    expect(lesion.observations[0]!.extent).toEqual({ ends: null, rulerId: null, lengthMm: null, measuredLevels: null, traceId: null, fractionOfNerve: null, measuredOptic: null, source: 'typed', overrideReason: 'no sagittal cord series at this visit' });
    const entry = (await client.auditTrail({})).entries.find((item) => item.action === 'lesion.create')!;
    expect(entry.reason).toBe('no sagittal cord series at this visit');
    // Levels that cannot be told (none typed) need no reason.
    const untold = await client.recordObservation({ lesionId: lesion.id, visitCode: 'W24', finding: { kind: 'measured', longestDiameterMm: 8 } });
    expect(untold.lesion.observations.find((item) => item.visitCode === 'W24')).toMatchObject({ levels: null, extent: null });
    ws.close();
  });

  it('measures unsigned observations again when the ruler changes, and leaves a signed read as it was signed', async () => {
    const { ws, client, participantId, truth } = await trialStore();
    // A cord lesion present at baseline: its read signs without a comparator.
    const { visit } = firstPresent(truth, 'spinal_cord', (lesion) => lesion.visits[0]!.present);
    expect(visit.visit).toBe('W0');
    const { seriesId, image } = await seriesOf(client, visit.location.seriesInstanceUid);
    const anchors = rulerOf(truth, 'W0');
    await client.saveVertebralRuler({ seriesId, anchors });
    const { lesion } = await client.createLesion({ participantId, region: 'spinal_cord', observation: { visitCode: 'W0', finding: { kind: 'measured', longestDiameterMm: visit.longestDiameterMm }, image, ends: visit.endsMm as [Vec3, Vec3] } });
    const read = { participantId, visitCode: 'W0', region: 'spinal_cord' as const };
    await client.signRead({ ...read, secret: READER_SECRET });
    const signedObservation = lesion.observations[0]!;

    // Labels shifted by one vertebra: every level would move up by one.
    const shifted = anchors.slice(1).map((anchor, index) => ({ level: anchors[index]!.level, point: anchor.point }));
    const kept = await client.saveVertebralRuler({ seriesId, anchors: shifted, reason: 'relabelled from C2' });
    expect(kept).toMatchObject({ remeasured: 0, keptSigned: 1 });
    const [after] = await client.listLesions({ participantId });
    expect(after!.observations[0]).toEqual(signedObservation);
    expect(storeProblems(ws.db)).toEqual([]);

    await client.unlockRead({ ...read, secret: READER_SECRET, reason: 'ruler relabelled' });
    const anchorsBack = await client.saveVertebralRuler({ seriesId, anchors: shifted, reason: 'measure again' });
    expect(anchorsBack).toMatchObject({ remeasured: 1, keptSigned: 0 });
    const [remeasured] = await client.listLesions({ participantId });
    const levelIndex = (level: string) => anchors.findIndex((anchor) => anchor.level === level);
    expect(remeasured!.observations[0]!.levels!.upper).toBe(anchors[levelIndex(visit.cord!.upperLevel) - 1]!.level);
    expect(remeasured!.observations[0]!.extent).toMatchObject({ source: 'image', measuredLevels: { upper: remeasured!.observations[0]!.levels!.upper } });
    const trail = (await client.auditTrail({})).entries;
    expect(trail.filter((entry) => entry.action === 'observation.remeasure')).toHaveLength(1);
    expect(trail.filter((entry) => entry.action === 'ruler.update').map((entry) => entry.reason).sort()).toEqual(['measure again', 'relabelled from C2']);
    expect(verifyAudit(ws.db)).toMatchObject({ ok: true });
    ws.close();
  });

  it('is refused to a data manager, and the ends into a signed read', async () => {
    const { ws, client, participantId, truth } = await trialStore();
    const { visit } = firstPresent(truth, 'spinal_cord', (lesion) => lesion.visits[0]!.present);
    const { seriesId, image } = await seriesOf(client, visit.location.seriesInstanceUid);
    await client.saveVertebralRuler({ seriesId, anchors: rulerOf(truth, 'W0') });
    await client.signRead({ participantId, visitCode: 'W0', region: 'spinal_cord', secret: READER_SECRET });
    await expect(client.createLesion({ participantId, region: 'spinal_cord', observation: { visitCode: 'W0', finding: { kind: 'measured', longestDiameterMm: 9 }, image, ends: visit.endsMm as [Vec3, Vec3] } })).rejects.toMatchObject({ code: 'conflict', message: /is signed/ });
    const manager = await client.createReader({ name: 'Data Manager', role: 'data_manager', secret: 'manager-secret' });
    await client.chooseReader({ readerId: manager.id, secret: 'manager-secret' });
    await expect(client.saveVertebralRuler({ seriesId, anchors: rulerOf(truth, 'W0') })).rejects.toMatchObject({ code: 'forbidden' });
    const nerve = studyOf(truth, 'W0').landmarks.opticNerves.left;
    await expect(client.saveNerveTrace({ participantId, visitCode: 'W0', side: 'left', seriesId, points: [nerve.globe, nerve.apex, nerve.chiasm] as Vec3[] })).rejects.toMatchObject({ code: 'forbidden' });
    ws.close();
  });
});

describe('optic nerve extent on the image', () => {
  it('measures the fraction of the nerve and the chiasm flag of each optic lesion along the stored, audited trace', async () => {
    const { ws, client, participantId, truth } = await trialStore();
    const optic = truth.participants[0]!.lesions.filter((lesion) => lesion.region === 'optic_nerve');
    expect(optic.length).toBeGreaterThan(0);
    for (const lesion of optic) {
      const visit = lesion.visits.find((item) => item.present)!;
      const { seriesId, image } = await seriesOf(client, visit.location.seriesInstanceUid);
      const side = visit.optic!.side;
      const nerve = studyOf(truth, visit.visit).landmarks.opticNerves[side];
      const observation = { visitCode: visit.visit, finding: { kind: 'measured' as const, longestDiameterMm: visit.longestDiameterMm }, image, ends: visit.endsMm as [Vec3, Vec3] };
      await expect(client.createLesion({ participantId, region: 'optic_nerve', side, observation })).rejects.toMatchObject({ message: `Trace the ${side} optic nerve at this visit first (from the globe to the chiasm): the stretch is measured along it.` });
      const { trace } = await client.saveNerveTrace({ participantId, visitCode: visit.visit, side, seriesId, points: [nerve.globe, nerve.apex, nerve.chiasm] as Vec3[] });
      expect(await client.nerveTraces({ participantId, visitCode: visit.visit })).toContainEqual(trace);
      const { lesion: marked } = await client.createLesion({ participantId, region: 'optic_nerve', side, observation });
      const recorded = marked.observations[0]!;
      expect(recorded.opticExtent).toEqual({ beyondHalfLength: visit.optic!.moreThanHalfLength, involvesChiasm: visit.optic!.involvesChiasm });
      expect(Math.abs(recorded.extent!.fractionOfNerve! - visit.optic!.fractionOfNerve)).toBeLessThan(0.005);
      expect(recorded.extent).toMatchObject({ traceId: trace.id, source: 'image' });
      // The checkboxes override with a reason.
      const flipped = { beyondHalfLength: !visit.optic!.moreThanHalfLength, involvesChiasm: visit.optic!.involvesChiasm };
      await expect(client.recordObservation({ lesionId: marked.id, ...observation, opticExtent: flipped })).rejects.toMatchObject({ message: /give a reason/ });
      const overridden = await client.recordObservation({ lesionId: marked.id, ...observation, opticExtent: flipped, extentReason: 'partial volume at the apex' });
      expect(overridden.lesion.observations[0]).toMatchObject({ opticExtent: flipped, extent: { source: 'override', measuredOptic: { beyondHalfLength: visit.optic!.moreThanHalfLength } } });
    }
    expect((await auditActions(client)).filter((action) => action === 'nerve-trace.create').length).toBeGreaterThan(0);
    ws.close();
  });
});

describe('migration 11 (measured extents)', () => {
  it('opens a version 10 store through the start-up checks, with its observations unmeasured and vouched for', () => {
    const file = join(tempFolder(), 'store.sqlite');
    const old = openDatabase(file, migrations.filter((migration) => migration.version <= 10));
    old.transaction(() => {
      old.prepare("INSERT INTO participants (id, subject_code, baseline_date) VALUES (1, '001', '2024-01-01')").run();
      old.prepare("INSERT INTO lesions (id, participant_ref, region, number, label, created_by, created_at) VALUES (1, 1, 'spinal_cord', 1, 'S1', 'local:test', '2024-04-01T00:00:00.000Z')").run();
      old.prepare("INSERT INTO observations (lesion_ref, visit_code, kind, longest_diameter_mm, upper_level, lower_level, recorded_by, recorded_at) VALUES (1, 'W0', 'measured', 20, 'C2', 'C4', 'local:test', '2024-04-01T00:00:00.000Z')").run();
      appendAudit(old, { actor: 'local:test', action: 'lesion.create', entity: 'lesion', entityId: 1 });
    })();
    old.close();

    const db = openCheckedDatabase(file);
    expect(schemaVersion(db)).toBe(11);
    expect(db.prepare('SELECT upper_level, lower_level, extent, ruler_ref, trace_ref FROM observations').all()).toEqual([{ upper_level: 'C2', lower_level: 'C4', extent: null, ruler_ref: null, trace_ref: null }]);
    expect(storeProblems(db)).toEqual([]);
    // The new tables are protected from their first row.
    db.pragma('foreign_keys = OFF');
    db.prepare("INSERT INTO vertebral_rulers (participant_ref, track, series_ref, anchors, saved_by, saved_at) VALUES (1, 'single', 9, '[]', 'x', 'y')").run();
    expect(storeProblems(db)).toEqual(['vertebral_rulers row 1: added outside the app']);
    db.close();
  });
});
