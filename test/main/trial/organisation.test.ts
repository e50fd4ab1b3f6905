import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../../shared/client';
import { DEFAULT_RULES, DEFAULT_SCHEDULE } from '../../../shared/protocol';
import { verifyAudit } from '../../../main/store/audit';
import { openWorkstation } from '../../../main/workstation';
import { dicomdirTree, geSeries, malformed, tempFolder } from '../../helpers/fixtures';

/** GE brain series (patient 123565, 2001-03-16), one Siemens sagittal slice, and the CT/CR media tree. */
async function importedWorkstation() {
  const folder = tempFolder();
  const source = join(folder, 'media');
  mkdirSync(source);
  cpSync(geSeries, join(source, 'ge'), { recursive: true });
  cpSync(join(malformed, 'IM000001'), join(source, 'siemens', 'IM000001'));
  cpSync(dicomdirTree, join(source, 'cd'), { recursive: true });
  const ws = openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'reader-a', rendererDir: folder });
  const client = createClient((name, payload) => ws.dispatch(name, payload));
  await client.importFolder({ folder: source });
  return { ws, client };
}

/** Participant 001 (baseline 2000-12-22) with the GE patient linked: its study falls on week 12. */
async function geStudyOf001(client: Client) {
  const participant = await client.saveParticipant({ subjectCode: '001', baselineDate: '2000-12-22' });
  const ge = (await client.trialSetup({})).patients.find((patient) => patient.patientId === '123565')!;
  await client.linkPatient({ patientRef: ge.id, participantId: participant.id });
  const study = (await client.listAssignments({})).find((item) => item.patientId === '123565')!;
  return { participant, ge, study };
}

describe('trial organisation', () => {
  it('starts with the default schedule and rules and lists the DICOM patients to map', async () => {
    const { ws, client } = await importedWorkstation();
    const setup = await client.trialSetup({});
    expect(setup.participants).toEqual([]);
    expect(setup.schedule).toEqual(DEFAULT_SCHEDULE);
    expect(setup.rules).toEqual(DEFAULT_RULES);
    expect(setup.patients.map((patient) => patient.patientId)).toEqual(expect.arrayContaining(['123565', 'crlab']));
    expect(setup.patients.every((patient) => patient.participantId === null)).toBe(true);
    ws.close();
  });

  it('flags every study for review until its DICOM patient is linked to a participant', async () => {
    const { ws, client } = await importedWorkstation();
    const studies = await client.listAssignments({});
    expect(studies.every((study) => study.needsReview && study.visitCode === null)).toBe(true);
    expect(studies[0]!.visitNote).toBe('the DICOM patient is not linked to a participant');
    ws.close();
  });

  it('suggests the visit from the study date and the region from the series, once the patient is linked', async () => {
    const { ws, client } = await importedWorkstation();
    const { study } = await geStudyOf001(client);
    // 2001-03-16 is day 84 after 2000-12-22: week 12 exactly.
    expect(study).toMatchObject({ subjectCode: '001', visitCode: 'W12', visitSource: 'suggested', visitNote: 'day 84 (0 days from the target)', needsReview: false });
    expect(study.series).toEqual([
      expect.objectContaining({ description: 'FSE PD AXIAL OBL', orientation: 'axial', sliceCount: 20, region: 'brain', sequence: 'other', source: 'suggested', note: 'rule "brain"', needsReview: false }),
    ]);
    const worklist = await client.worklist({});
    const row = worklist.rows.find((item) => item.subjectCode === '001')!;
    const cell = (visitCode: string, region: string) => row.cells.find((item) => item.visitCode === visitCode && item.region === region)!;
    expect(cell('W12', 'brain')).toMatchObject({ status: 'present', series: [{ description: 'FSE PD AXIAL OBL', source: 'suggested' }] });
    expect(cell('W12', 'spinal_cord').status).toBe('missing');
    expect(cell('W0', 'brain').status).toBe('missing');
    ws.close();
  });

  it('calls a study outside every window unscheduled and asks a reader to confirm it', async () => {
    const { ws, client } = await importedWorkstation();
    const participant = await client.saveParticipant({ subjectCode: '002', baselineDate: '2001-01-20' });
    const ge = (await client.trialSetup({})).patients.find((patient) => patient.patientId === '123565')!;
    await client.linkPatient({ patientRef: ge.id, participantId: participant.id });
    const study = (await client.listAssignments({})).find((item) => item.patientId === '123565')!;
    expect(study).toMatchObject({ visitCode: 'UNS-20010316', visitSource: 'suggested', needsReview: true });
    const confirmed = await client.assignStudy({ studyId: study.studyId, visitCode: 'UNS-20010316', reason: 'relapse scan' });
    expect(confirmed).toMatchObject({ visitCode: 'UNS-20010316', visitSource: 'confirmed', visitNote: 'relapse scan', needsReview: false });
    const worklist = await client.worklist({});
    expect(worklist.visits.map((visit) => visit.code)).toEqual(['W0', 'W12', 'W24', 'W52', 'UNS-20010316']);
    ws.close();
  });

  it('records a reader override of a visit and of a region, each audited with old and new values', async () => {
    const { ws, client } = await importedWorkstation();
    const { study } = await geStudyOf001(client);
    const moved = await client.assignStudy({ studyId: study.studyId, visitCode: 'W24', reason: 'scan repeated, dated wrongly' });
    expect(moved).toMatchObject({ visitCode: 'W24', visitSource: 'overridden' });
    const seriesId = study.series[0]!.seriesId;
    const overridden = await client.assignSeries({ seriesId, region: 'optic_nerve', sequence: 'T2', reason: 'covers the orbits' });
    expect(overridden.series[0]).toMatchObject({ region: 'optic_nerve', sequence: 'T2', source: 'overridden', note: 'covers the orbits' });
    const confirmed = await client.assignSeries({ seriesId, region: 'brain', sequence: 'other' });
    expect(confirmed.series[0]).toMatchObject({ region: 'brain', source: 'confirmed' });
    const audit = ws.db.prepare("SELECT action, old_value, new_value, reason FROM audit WHERE action IN ('study.assign', 'series.assign') ORDER BY seq").all() as Record<string, string>[];
    expect(audit.map((entry) => entry.action)).toEqual(['study.assign', 'series.assign', 'series.assign']);
    expect(JSON.parse(audit[0]!.old_value!)).toEqual({ visitCode: 'W12', source: 'suggested' });
    expect(JSON.parse(audit[1]!.new_value!)).toEqual({ region: 'optic_nerve', sequence: 'T2' });
    expect(audit[1]!.reason).toBe('covers the orbits');
    expect(verifyAudit(ws.db).ok).toBe(true);
    ws.close();
  });

  it('flags a series no rule knows and ignores localizers and non-MR objects', async () => {
    const { ws, client } = await importedWorkstation();
    const series = (await client.listAssignments({})).flatMap((study) => study.series);
    const siemens = series.find((item) => item.description === 't1_fl2d_sag')!;
    expect(siemens).toMatchObject({ region: null, source: 'suggested', note: 'not for reading: 1 slice(s): not a reading series' });
    expect(series.find((item) => item.modality === 'CT')).toMatchObject({ region: null, note: 'not for reading: CT modality, not MR' });
    expect(series.find((item) => item.description === 'FAST LOCALIZER')).toMatchObject({ note: 'not for reading: localizer or scout' });
    ws.close();
  });

  it('refuses bad participants, links, visits and rules with plain reasons', async () => {
    const { ws, client } = await importedWorkstation();
    await client.saveParticipant({ subjectCode: '001', baselineDate: '2000-12-22' });
    await expect(client.saveParticipant({ subjectCode: '001', baselineDate: '2001-01-01' })).rejects.toMatchObject({ code: 'conflict', message: 'Participant 001 already exists.' });
    await expect(client.saveParticipant({ subjectCode: 'a b', baselineDate: '2001-01-01' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.saveParticipant({ subjectCode: '003', baselineDate: '01/02/2001' })).rejects.toMatchObject({ code: 'invalid_request', message: 'Not accepted: Baseline date: must be a date written YYYY-MM-DD.' });
    await expect(client.saveParticipant({ subjectCode: '003', baselineDate: '1900-01-01' })).rejects.toMatchObject({ code: 'invalid_request', message: 'The baseline date 1900-01-01 is before 1980: no MRI of the trial can be that old.' });
    await expect(client.saveParticipant({ subjectCode: '003', baselineDate: '2999-01-01' })).rejects.toMatchObject({ code: 'invalid_request', message: /^The baseline date 2999-01-01 is in the future/ });
    expect((await client.trialSetup({})).participants.map((participant) => participant.subjectCode)).toEqual(['001']);
    await expect(client.linkPatient({ patientRef: 9999, participantId: null })).rejects.toMatchObject({ code: 'not_found' });
    const study = (await client.listAssignments({}))[0]!;
    await expect(client.assignStudy({ studyId: study.studyId, visitCode: 'W12' })).rejects.toMatchObject({ message: /Link this study’s DICOM patient/ });
    const setup = await client.trialSetup({});
    await expect(client.saveProtocol({ schedule: setup.schedule, rules: { ...setup.rules, ignorePattern: '(' } })).rejects.toMatchObject({ message: 'The rule pattern "(" is not a valid regular expression.' });
    // W24 set to week 12: refused, and said about the visits, not as schema text.
    const duplicated = { ...setup.schedule, visits: setup.schedule.visits.map((visit) => (visit.code === 'W24' ? { ...visit, week: 12 } : visit)) };
    await expect(client.saveProtocol({ schedule: duplicated, rules: setup.rules, reason: 'typo' })).rejects.toMatchObject({ code: 'invalid_request', message: 'Not accepted: Week 24 has the same week as Week 12 (week 12).' });
    expect((await client.trialSetup({})).schedule).toEqual(setup.schedule);
    ws.close();
  });

  it('applies an edited protocol to the suggestions at once', async () => {
    const { ws, client } = await importedWorkstation();
    const setup = await client.trialSetup({});
    const participant = await client.saveParticipant({ subjectCode: '001', baselineDate: '2000-12-22' });
    await client.linkPatient({ patientRef: setup.patients.find((patient) => patient.patientId === '123565')!.id, participantId: participant.id });
    await client.saveProtocol({ schedule: { ...setup.schedule, visits: setup.schedule.visits.filter((visit) => visit.code !== 'W12') }, rules: setup.rules, reason: 'charter v2' });
    const study = (await client.listAssignments({})).find((item) => item.patientId === '123565')!;
    expect(study.visitCode).toBe('UNS-20010316');
    ws.close();
  });
});

describe('a signed read', () => {
  it('keeps its series: every change that would add or take one away is refused and leaves no trace', async () => {
    const { ws, client } = await importedWorkstation();
    const { participant, ge, study } = await geStudyOf001(client);
    const series = study.series[0]!;
    const reader = await client.createReader({ name: 'Dr Reader', role: 'reader', secret: 'reader-secret' });
    await client.chooseReader({ readerId: reader.id, secret: 'reader-secret' });
    // Read, nothing new, and signed.
    await client.signRead({ participantId: participant.id, visitCode: 'W12', region: 'brain', secret: 'reader-secret' });
    const auditBefore = ws.db.prepare('SELECT count(*) FROM audit').pluck().get();

    const refusal = { code: 'conflict', message: 'This would change a signed read: 001 W12 brain (signed by Dr Reader). Unlock it, with a reason, first.' };
    const setup = await client.trialSetup({});
    await expect(client.assignSeries({ seriesId: series.seriesId, region: null, sequence: series.sequence, reason: 'not brain' })).rejects.toMatchObject(refusal);
    await expect(client.assignStudy({ studyId: study.studyId, visitCode: 'W24', reason: 'wrong visit' })).rejects.toMatchObject(refusal);
    await expect(client.saveParticipant({ id: participant.id, subjectCode: '001', baselineDate: '2000-06-01' })).rejects.toMatchObject(refusal);
    await expect(client.linkPatient({ patientRef: ge.id, participantId: null })).rejects.toMatchObject(refusal);
    await expect(client.saveProtocol({ schedule: setup.schedule, rules: { ...setup.rules, ignorePattern: 'FSE' }, reason: 'ignore FSE' })).rejects.toMatchObject(refusal);
    expect(ws.db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(auditBefore);
    expect((await client.listAssignments({})).find((item) => item.studyId === study.studyId)).toEqual(study);

    // What leaves it alone goes through: a sequence relabelled, another participant.
    await client.assignSeries({ seriesId: series.seriesId, region: 'brain', sequence: 'T2', reason: 'a T2' });
    await client.saveParticipant({ subjectCode: '002', baselineDate: '2001-01-01' });
    // Unlocked, it can change.
    await client.unlockRead({ participantId: participant.id, visitCode: 'W12', region: 'brain', secret: 'reader-secret', reason: 'wrong visit' });
    expect((await client.assignStudy({ studyId: study.studyId, visitCode: 'W24', reason: 'wrong visit' })).visitCode).toBe('W24');
    ws.close();
  });
});
