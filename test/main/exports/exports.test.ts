// Exports of a read and signed synthetic trial (lesiontrack demo --read),
// read back and compared with truth.json: the counts CSV, SDTM TU/TR, the
// REDCap import and ODM-XML. No patient name or ID in any of them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import type { TrialTruth } from '../../../shared/synthetic/truth';

let folder: string;
let db: string;
let truth: TrialTruth;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

function exported(format: string, ...extra: string[]) {
  const out = join(folder, `export-${format}-${extra.join('-').replace(/\W+/g, '')}`);
  return cli('export', '--format', format, '--out', out, '--db', db, ...extra).then((result) => {
    expect(result.code, result.err).toBe(0);
    return (name: string) => readFileSync(join(out, name), 'utf8');
  });
}

const rowsOf = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'lesiontrack-exports-'));
  db = join(folder, 'store.sqlite');
  const demo = await cli('demo', '--out', join(folder, 'trial'), '--subjects', '3', '--seed', 'exports', '--read', '--db', db);
  expect(demo.code, demo.err).toBe(0);
  expect(demo.out).toMatch(/Read and signed 36 /);
  truth = JSON.parse(readFileSync(join(folder, 'trial', 'truth.json'), 'utf8')) as TrialTruth;
}, 180_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('counts-csv', () => {
  it('has the documented header and gives truth.json’s counts, endpoint and signer', async () => {
    const file = await exported('counts-csv');
    const text = file('counts.csv');
    expect(text.split('\r\n')[0]).toBe('subject,visit,visit_num,week,region,new,enlarging,new_or_enlarging,comparator_visit,charter_id,reader,signed_at');
    const rows = rowsOf(text);
    for (const participant of truth.participants) {
      for (const expected of participant.counts.previous) {
        const row = rows.find((item) => item.subject === participant.subject && item.visit === expected.visit && item.region === expected.region)!;
        expect([row.new, row.enlarging, row.new_or_enlarging, row.comparator_visit], `${participant.subject} ${expected.visit} ${expected.region}`).toEqual([
          String(expected.new),
          String(expected.enlarging),
          String(expected.newOrEnlarging),
          expected.comparatorVisit,
        ]);
        expect(row.reader).toBe('Demo reader');
        expect(Number.isNaN(Date.parse(row.signed_at!))).toBe(false);
      }
      expect(rows.find((item) => item.subject === participant.subject && item.visit === 'ENDPOINT')!.new_or_enlarging).toBe(String(participant.endpoint.previous));
    }
  });

  it('leaves out an unlocked read with --signed-only', async () => {
    const participant = truth.participants[0]!;
    // Unlock one read through the contract, as the app would.
    const { openWorkstation } = await import('../../../main/workstation');
    const workstation = openWorkstation({ dbPath: db, actor: 'exports-test', rendererDir: folder });
    const setup = (await workstation.dispatch('trialSetup', {})) as { value: { participants: { id: number; subjectCode: string }[] } };
    const participantId = setup.value.participants.find((item) => item.subjectCode === participant.subject)!.id;
    await workstation.dispatch('chooseReader', { readerId: 1, secret: 'demo-reader-secret' });
    const unlocked = await workstation.dispatch('unlockRead', { participantId, visitCode: 'W24', region: 'brain', secret: 'demo-reader-secret', reason: 'second look' });
    expect(unlocked.ok).toBe(true);
    workstation.close();
    const all = rowsOf((await exported('counts-csv'))('counts.csv'));
    const signed = rowsOf((await exported('counts-csv', '--signed-only'))('counts.csv'));
    const isIt = (row: Record<string, string>) => row.subject === participant.subject && row.visit === 'W24' && row.region === 'brain';
    expect(all.some(isIt)).toBe(true);
    expect(all.find(isIt)!.reader).toBe('');
    expect(signed.some(isIt)).toBe(false);
    // Its endpoint is incomplete, so it is left out too; the others stay.
    expect(signed.some((row) => row.subject === participant.subject && row.visit === 'ENDPOINT')).toBe(false);
    expect(signed.filter((row) => row.visit === 'ENDPOINT')).toHaveLength(truth.participants.length - 1);
  });
});

describe('sdtm', () => {
  it('links each lesion across visits and gives its diameters and the new lesions of truth.json', async () => {
    const file = await exported('sdtm');
    const tu = rowsOf(file('tu.csv'));
    const tr = rowsOf(file('tr.csv'));
    expect(rowsOf(file('define.csv')).map((row) => `${row.Dataset}.${row.Variable}`)).toEqual(expect.arrayContaining(['TU.TULNKID', 'TR.TRLNKID', 'TR.TRTESTCD']));
    for (const participant of truth.participants) {
      const usubjid = `NCT05792462-${participant.subject}`;
      const lesionsHere = tu.filter((row) => row.USUBJID === usubjid);
      expect(lesionsHere).toHaveLength(participant.lesions.filter((lesion) => lesion.visits.some((visit) => visit.present)).length);
      for (const row of tr.filter((item) => item.USUBJID === usubjid)) {
        expect(lesionsHere.some((lesion) => lesion.TULNKID === row.TRLNKID)).toBe(true);
        expect(row.TRTESTCD).toBe('LDIAM');
      }
      // Read back: the measured diameters, lesion by lesion and visit by visit.
      const diameters = tr.filter((row) => row.USUBJID === usubjid && row.TRORRES !== '' && row.TRORRES !== '0').map((row) => Number(row.TRORRES)).sort((a, b) => a - b);
      const expectedDiameters = participant.lesions.flatMap((lesion) => lesion.visits.filter((visit) => visit.present).map((visit) => visit.longestDiameterMm)).sort((a, b) => a - b);
      expect(diameters).toEqual(expectedDiameters);
      // Read back: the new lesions per visit number.
      const newByVisit = (visitNum: string) => lesionsHere.filter((row) => row.TUORRES === 'NEW' && row.VISITNUM === visitNum).length;
      for (const [index, visit] of truth.visits.entries()) {
        const expectedNew = participant.counts.previous.filter((row) => row.visit === visit.code).reduce((sum, row) => sum + row.new, 0);
        expect(newByVisit(String(index + 1)), `${participant.subject} ${visit.code} new`).toBe(expectedNew);
      }
    }
  });
});

describe('redcap', () => {
  it('writes one row per subject and visit, with event and field names from a mapping file', async () => {
    const mapping = join(folder, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ events: { W12: 'week_12_arm_1' }, fields: { brain_new: 'mri_brain_new_t2' } }));
    const rows = rowsOf((await exported('redcap', '--mapping', mapping))('redcap-import.csv'));
    expect(Object.keys(rows[0]!).slice(0, 3)).toEqual(['record_id', 'redcap_event_name', 'mri_brain_new_t2']);
    const participant = truth.participants[0]!;
    const row = rows.find((item) => item.record_id === participant.subject && item.redcap_event_name === 'week_12_arm_1')!;
    const expected = participant.counts.previous.find((item) => item.visit === 'W12' && item.region === 'brain')!;
    expect(row.mri_brain_new_t2).toBe(String(expected.new));
    expect(rows.filter((item) => item.record_id === participant.subject)).toHaveLength(truth.visits.length);
  });
});

describe('odm', () => {
  it('is well-formed ODM 1.3.2 with the counts and an audit record per signed read', async () => {
    const text = (await exported('odm'))('odm.xml');
    expect(XMLValidator.validate(text)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['SubjectData', 'StudyEventData', 'ItemGroupData', 'ItemData', 'User'].includes(name) }).parse(text) as {
      ODM: { '@_ODMVersion': string; Study: unknown; AdminData: { User: unknown[] }; ClinicalData: { SubjectData: { '@_SubjectKey': string; StudyEventData: { '@_StudyEventOID': string; FormData: { ItemGroupData: { '@_ItemGroupOID': string; AuditRecord?: { UserRef: { '@_UserOID': string } }; ItemData: { '@_ItemOID': string; '@_Value': string }[] }[] } }[] }[] } };
    };
    expect(parsed.ODM['@_ODMVersion']).toBe('1.3.2');
    expect(Object.keys(parsed.ODM)).toEqual(expect.arrayContaining(['Study', 'AdminData', 'ClinicalData']));
    expect(text.indexOf('<AdminData')).toBeLessThan(text.indexOf('<ClinicalData'));
    const subjects = parsed.ODM.ClinicalData.SubjectData;
    expect(subjects.map((subject) => subject['@_SubjectKey'])).toEqual(truth.participants.map((participant) => participant.subject));
    const participant = truth.participants[1]!;
    const expected = participant.counts.previous.find((row) => row.visit === 'W24' && row.region === 'spinal_cord')!;
    const group = subjects[1]!.StudyEventData.find((event) => event['@_StudyEventOID'] === 'SE.W24')!.FormData.ItemGroupData.find((item) => item['@_ItemGroupOID'] === 'IG.CORD')!;
    expect(group.ItemData.find((item) => item['@_ItemOID'] === 'I.NEW_OR_ENLARGING')!['@_Value']).toBe(String(expected.newOrEnlarging));
    expect(group.AuditRecord?.UserRef['@_UserOID']).toBe('USR.Demo_reader');
  });
});

describe('no patient identity', () => {
  it('appears in any export', async () => {
    const texts = [
      (await exported('counts-csv'))('counts.csv'),
      ...['tu.csv', 'tr.csv'].map((name) => readFileSync(join(folder, 'export-sdtm-', name), 'utf8')),
      (await exported('redcap'))('redcap-import.csv'),
      (await exported('odm'))('odm.xml'),
    ];
    for (const participant of truth.participants) {
      for (const text of texts) {
        expect(text).not.toContain(participant.patientId);
        expect(text).not.toContain(participant.patientName.split('^')[0]!);
        expect(text).not.toContain(participant.birthDate);
      }
    }
  });
});
