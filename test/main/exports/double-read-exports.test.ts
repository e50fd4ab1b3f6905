// The double-read demo (lesiontrack demo --read --double) and what the trial
// database gets from it: reader 1 marks every truth lesion, reader 2 follows
// the script truth.json records (misses some, adds one), and the scripted
// adjudicator sides with reader 1. Adjudication must come for exactly the
// participants the script touches, the final values must be truth.json's,
// and each reader's exported values what they marked.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { DEMO_READER, DEMO_SECOND_READER } from '../../../main/demo/read-demo';
import { openWorkstation } from '../../../main/workstation';
import { createClient } from '../../../shared/client';
import { subjectsTheScriptTouches } from '../../../shared/synthetic/second-reader';
import type { TrialTruth } from '../../../shared/synthetic/truth';
import { countKey, expectedCounts as expectedReadCounts } from '../../helpers/double-read-truth';
import { requireTool } from '../../helpers/tools';

let folder: string;
let db: string;
let truth: TrialTruth;
let demoOut: { read: { double: { signed: number; adjudicated: string[]; calls: number } } };

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

async function exported(format: string, ...extra: string[]) {
  const out = join(folder, `export-${format}${extra.join('')}`);
  const result = await cli('export', '--format', format, '--out', out, '--db', db, ...extra);
  expect(result.code, result.err).toBe(0);
  return (name: string) => readFileSync(join(out, name), 'utf8');
}

const rowsOf = (text: string) => parse(text, { columns: true }) as Record<string, string>[];
const key = countKey;
const expectedCounts = (evaluator: 'truth' | 'reader2') => expectedReadCounts(truth, evaluator);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'lesiontrack-double-exports-'));
  db = join(folder, 'store.sqlite');
  const demo = await cli('demo', '--out', join(folder, 'trial'), '--subjects', '3', '--seed', 'exports', '--read', '--double', '--db', db, '--json');
  expect(demo.code, demo.err).toBe(0);
  demoOut = JSON.parse(demo.out.trim().split('\n').at(-1)!);
  truth = JSON.parse(readFileSync(join(folder, 'trial', 'truth.json'), 'utf8')) as TrialTruth;
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the double-read demo', () => {
  it('records the second reader’s script in truth.json, and sends exactly the participants it touches to the adjudicator', () => {
    expect(truth.secondReader!.missed.length).toBeGreaterThan(0);
    expect(truth.secondReader!.added).toHaveLength(1);
    expect(demoOut.read.double.signed).toBe(36);
    expect(demoOut.read.double.adjudicated).toEqual(subjectsTheScriptTouches(truth.secondReader!));
    expect(demoOut.read.double.calls).toBeGreaterThanOrEqual(demoOut.read.double.adjudicated.length);
  });

  it('refuses --double without --read', async () => {
    const result = await cli('demo', '--out', join(folder, 'unread'), '--double', '--db', db);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('--double is a way of reading the demo: give --read too.');
  });
});

describe('the counts CSV of a double read', () => {
  it('gives truth.json’s counts as the accepted final rows, each reader’s own values beside them, and the endpoints of all three', async () => {
    const rows = rowsOf((await exported('counts-csv'))('counts.csv'));
    const truthCounts = expectedCounts('truth');
    const reader2Counts = expectedCounts('reader2');
    for (const [evaluator, expected, accepted] of [['final', truthCounts, 'Y'], ['reader1', truthCounts, ''], ['reader2', reader2Counts, '']] as const) {
      const mine = rows.filter((row) => row.evaluator === evaluator && row.visit !== 'ENDPOINT');
      expect(mine, evaluator).toHaveLength(truthCounts.size);
      for (const row of mine) {
        expect([Number(row.new), Number(row.enlarging)], `${evaluator} ${row.subject} ${row.visit} ${row.region}`).toEqual([expected.get(key(row.subject!, row.visit!, row.region!))!.new, expected.get(key(row.subject!, row.visit!, row.region!))!.enlarging]);
        expect(row.accepted).toBe(accepted);
        expect(row.status).toBe('final');
      }
      for (const participant of truth.participants) {
        const endpoint = rows.find((row) => row.evaluator === evaluator && row.subject === participant.subject && row.visit === 'ENDPOINT')!;
        const sum = [...expected].filter(([id]) => id.startsWith(`${participant.subject}/`) && !id.includes('/W0/')).reduce((total, [, cell]) => total + cell.new + cell.enlarging, 0);
        expect(Number(endpoint.new_or_enlarging), `${evaluator} ${participant.subject} endpoint`).toBe(sum);
      }
    }
    // Each reader's rows are signed by that reader; a final row the adjudicator called, by the adjudicator.
    expect(new Set(rows.filter((row) => row.evaluator === 'reader2' && row.visit !== 'ENDPOINT').map((row) => row.reader))).toEqual(new Set([DEMO_SECOND_READER.name]));
    const added = truth.secondReader!.added[0]!;
    expect(rows.find((row) => row.evaluator === 'final' && row.subject === added.subject && row.visit === added.visit && row.region === added.region)!.reader).toBe('Demo adjudicator');
  });
});

describe('SDTM TU and TR of a double read', () => {
  it('carry each reader’s lesions under their evaluator id, with the accepted flag on reader 1’s where the adjudicator sided with them', async () => {
    const file = await exported('sdtm');
    const tr = rowsOf(file('tr.csv'));
    const tu = rowsOf(file('tu.csv'));
    // SDTMIG 3.4 order: TREVAL, TREVALID, TRACPTFL, then VISITNUM.
    const header = file('tr.csv').split('\r\n')[0]!.split(',');
    expect(header.slice(header.indexOf('TREVAL'), header.indexOf('TREVAL') + 4)).toEqual(['TREVAL', 'TREVALID', 'TRACPTFL', 'VISITNUM']);
    expect(new Set(tr.map((row) => row.TREVALID))).toEqual(new Set(['RADIOLOGIST 1', 'RADIOLOGIST 2']));
    // Reader 1 marked every truth lesion, reader 2 all but the missed ones and one more.
    const lesionsOf = (evaluator: string) => tu.filter((row) => row.TUEVALID === evaluator).length;
    const truthLesions = truth.participants.reduce((total, participant) => total + participant.lesions.length, 0);
    expect(lesionsOf('RADIOLOGIST 1')).toBe(truthLesions);
    expect(lesionsOf('RADIOLOGIST 2')).toBe(truthLesions - truth.secondReader!.missed.length + 1);
    // Where the readers differed the adjudicator took reader 1's count: none of reader 2's records there is accepted.
    const added = truth.secondReader!.added[0]!;
    const at = (evaluator: string) => tr.filter((row) => row.TREVALID === evaluator && row.USUBJID!.endsWith(`-${added.subject}`) && row.VISIT === 'Week 24' && row.TRACPTFL === 'Y');
    expect(at('RADIOLOGIST 2')).toEqual([]);
    // Every record is one reader's: the flag is never on both readers' records of the same read.
    const acceptedReads = (evaluator: string) => new Set(tr.filter((row) => row.TREVALID === evaluator && row.TRACPTFL === 'Y').map((row) => `${row.USUBJID}/${row.VISIT}/${tu.find((item) => item.USUBJID === row.USUBJID && item.TULNKID === row.TRLNKID && item.TUEVALID === evaluator)!.TULOC}`));
    expect(acceptedReads('RADIOLOGIST 1').size).toBeGreaterThan(0);
    const both = [...acceptedReads('RADIOLOGIST 1')].filter((read) => acceptedReads('RADIOLOGIST 2').has(read));
    expect(both).toEqual([]);
  });
});

describe('ODM and DICOM SR of a double read', () => {
  it('ODM holds the final values, well-formed', async () => {
    const text = (await exported('odm'))('odm.xml');
    expect(XMLValidator.validate(text)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['SubjectData', 'StudyEventData', 'ItemGroupData', 'ItemData'].includes(name) }).parse(text) as {
      ODM: { ClinicalData: { SubjectData: { '@_SubjectKey': string; StudyEventData: { '@_StudyEventOID': string; FormData: { ItemGroupData: { '@_ItemGroupOID': string; ItemData: { '@_ItemOID': string; '@_Value': string }[] }[] } }[] }[] } };
    };
    const truthCounts = expectedCounts('truth');
    const regionOf: Record<string, string> = { 'IG.BRAIN': 'brain', 'IG.CORD': 'spinal_cord', 'IG.OPTIC': 'optic_nerve' };
    let checked = 0;
    for (const subject of parsed.ODM.ClinicalData.SubjectData) {
      for (const event of subject.StudyEventData) {
        for (const group of event.FormData.ItemGroupData) {
          const expected = truthCounts.get(key(subject['@_SubjectKey'], event['@_StudyEventOID'].replace('SE.', ''), regionOf[group['@_ItemGroupOID']]!))!;
          expect(group.ItemData.find((item) => item['@_ItemOID'] === 'I.NEW_OR_ENLARGING')!['@_Value']).toBe(String(expected.new + expected.enlarging));
          checked += 1;
        }
      }
    }
    expect(checked).toBe(truthCounts.size);
  });

  it('DICOM SR gives each reader’s reads, signed and verified by them, each a valid SR that reports what they marked', async () => {
    await exported('dicom-sr');
    const dciodvfy = requireTool('dciodvfy', 'dicom3tools');
    const dsrdump = requireTool('dsrdump', 'dcmtk');
    const reads = truth.participants.length * truth.visits.length * truth.regions.length;
    const added = truth.secondReader!.added[0]!;
    for (const [track, reader, more] of [['reader1', DEMO_READER.name, -1], ['reader2', DEMO_SECOND_READER.name, 1]] as const) {
      const srFolder = join(folder, 'export-dicom-sr', 'dicom-sr', track);
      const files = readdirSync(srFolder);
      expect(files, track).toHaveLength(reads);
      const falseLesionRead = join(srFolder, `${added.subject}_${added.visit}_${added.region}.dcm`);
      const errors = spawnSync(dciodvfy, [falseLesionRead], { encoding: 'utf8' });
      expect(`${errors.stdout}${errors.stderr}`.split('\n').filter((line) => /^Error/.test(line)), falseLesionRead).toEqual([]);
      const dump = spawnSync(dsrdump, ['-Ee', falseLesionRead], { encoding: 'utf8' }).stdout;
      // Verified by the reader who signed it, as DICOM PN (the name in the family name component).
      expect(dump, track).toContain(`${reader}^`);
      // Reader 2's SR of that read has one lesion more than reader 1's: the false one.
      const groups = (text: string) => (text.match(/Measurement Group/g) ?? []).length;
      const other = spawnSync(dsrdump, ['-Ee', join(folder, 'export-dicom-sr', 'dicom-sr', track === 'reader1' ? 'reader2' : 'reader1', `${added.subject}_${added.visit}_${added.region}.dcm`)], { encoding: 'utf8' }).stdout;
      expect(groups(dump) - groups(other), track).toBe(more);
    }
  });
});

describe('an export of a double read', () => {
  it('is refused to a reader, and, while a participant has no final values, unless signed-only or preliminary', async () => {
    const ws = openWorkstation({ dbPath: db, actor: 'double-exports-test', rendererDir: folder });
    try {
      const client = createClient((name, payload) => ws.dispatch(name, payload));
      const { readers } = await client.listReaders({});
      const second = readers.find((reader) => reader.name === DEMO_SECOND_READER.name)!;
      await client.chooseReader({ readerId: second.id, secret: DEMO_SECOND_READER.secret });
      await expect(client.exportFiles({ format: 'counts-csv', reads: 'all' })).rejects.toMatchObject({ code: 'forbidden' });
      // Reader 2 reopens a read of 001: its double read is no longer final.
      const participantId = (await client.trialSetup({})).participants.find((participant) => participant.subjectCode === '001')!.id;
      await client.unlockRead({ participantId, visitCode: 'W52', region: 'optic_nerve', reason: 'a second look', secret: DEMO_SECOND_READER.secret });
      const manager = await client.createReader({ name: 'Data Manager', role: 'data_manager', secret: 'manager-secret' });
      await client.chooseReader({ readerId: manager.id, secret: 'manager-secret' });
      await expect(client.exportFiles({ format: 'counts-csv', reads: 'all' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining("1 participant's double read has no final values yet (001)") });
      const signedOnly = Buffer.from((await client.exportFiles({ format: 'counts-csv', reads: 'signed' })).files[0]!.content).toString();
      expect(rowsOf(signedOnly).some((row) => row.subject === '001')).toBe(false);
      expect(rowsOf(signedOnly).some((row) => row.subject === '002' && row.evaluator === 'final')).toBe(true);
    } finally {
      ws.close();
    }
  });
});
