// Exports of a read and signed synthetic trial (lesiontrack demo --read),
// read back and compared with truth.json: the counts CSV, SDTM TU/TR, the
// REDCap import, ODM-XML and DICOM SR. No patient name or ID in any of them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dcmjs from 'dcmjs';
import { runCli } from '../../../main/cli/main';
import { chooseDemoReader, DEMO_READER } from '../../../main/demo/read-demo';
import { openWorkstation } from '../../../main/workstation';
import { createClient } from '../../../shared/client';
import type { LesionView } from '../../../shared/contract';
import { REGION_PREFIX } from '../../../shared/protocol';
import type { TrialTruth } from '../../../shared/synthetic/truth';
import { requireTool } from '../../helpers/tools';
import { truthStatuses, type VisitStatus } from '../../helpers/truth-statuses';

let folder: string;
let db: string;
let truth: TrialTruth;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

const exportFolder = (format: string, extra: readonly string[]) => join(folder, `export-${format}-${extra.join('-').replace(/\W+/g, '')}`);

function exported(format: string, ...extra: string[]) {
  const out = exportFolder(format, extra);
  return cli('export', '--format', format, '--out', out, '--db', db, ...extra).then((result) => {
    expect(result.code, result.err).toBe(0);
    return (name: string) => readFileSync(join(out, name), 'utf8');
  });
}

/** A request through the contract, as the app makes it, on the test's store. */
async function request<T>(name: string, payload: unknown): Promise<T> {
  const workstation = openWorkstation({ dbPath: db, actor: 'exports-test', rendererDir: folder });
  try {
    const answer = (await workstation.dispatch(name, payload)) as { ok: boolean; value: T; error?: { message: string } };
    if (!answer.ok) throw new Error(`${name}: ${answer.error?.message}`);
    return answer.value;
  } finally {
    workstation.close();
  }
}

const rowsOf = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'lesiontrack-exports-'));
  db = join(folder, 'store.sqlite');
  const demo = await cli('demo', '--out', join(folder, 'trial'), '--subjects', '3', '--seed', 'exports', '--read', '--db', db);
  expect(demo.code, demo.err).toBe(0);
  expect(demo.out).toMatch(/Read and signed 36 /);
  truth = JSON.parse(readFileSync(join(folder, 'trial', 'truth.json'), 'utf8')) as TrialTruth;
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('counts-csv', () => {
  it('has the documented header and gives truth.json’s counts, endpoint and signer', async () => {
    const file = await exported('counts-csv');
    const text = file('counts.csv');
    expect(text.split('\r\n')[0]).toBe('subject,visit,visit_num,week,region,new,enlarging,new_or_enlarging,comparator_visit,charter_id,reader,signed_at,status,evaluator,accepted');
    // One reader: every row is theirs, and accepted.
    expect(rowsOf(text).every((row) => row.evaluator === 'single' && row.accepted === 'Y')).toBe(true);
    expect(rowsOf(text).every((row) => row.status === 'final')).toBe(true);
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

  it('leaves out an unlocked read with --signed-only, refuses it without, and marks it in a preliminary export', async () => {
    const participant = truth.participants[0]!;
    // Unlock one read through the contract, as the app would.
    const setup = await request<{ participants: { id: number; subjectCode: string }[] }>('trialSetup', {});
    const participantId = setup.participants.find((item) => item.subjectCode === participant.subject)!.id;
    const workstation = openWorkstation({ dbPath: db, actor: 'exports-test', rendererDir: folder });
    await workstation.dispatch('chooseReader', { readerId: 1, secret: 'demo-reader-secret' });
    const unlocked = await workstation.dispatch('unlockRead', { participantId, visitCode: 'W24', region: 'brain', secret: 'demo-reader-secret', reason: 'second look' });
    expect(unlocked.ok).toBe(true);
    workstation.close();

    const refused = await cli('export', '--format', 'counts-csv', '--out', join(folder, 'refused'), '--db', db);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`1 read is not signed (${participant.subject} W24 brain). Export the signed reads only, or mark the export preliminary.`);
    expect(existsSync(join(folder, 'refused'))).toBe(false);

    const preliminary = rowsOf((await exported('counts-csv', '--preliminary'))('PRELIMINARY-counts.csv'));
    const signed = rowsOf((await exported('counts-csv', '--signed-only'))('counts.csv'));
    const isIt = (row: Record<string, string>) => row.subject === participant.subject && row.visit === 'W24' && row.region === 'brain';
    expect(preliminary.find(isIt)).toMatchObject({ reader: '', signed_at: '', status: 'preliminary' });
    expect(preliminary.filter((row) => row.status === 'preliminary').map((row) => `${row.subject} ${row.visit}`)).toEqual([`${participant.subject} W24`, `${participant.subject} ENDPOINT`]);
    expect(signed.some(isIt)).toBe(false);
    // Its endpoint is incomplete, so it is left out too; the others stay.
    expect(signed.some((row) => row.subject === participant.subject && row.visit === 'ENDPOINT')).toBe(false);
    expect(signed.filter((row) => row.visit === 'ENDPOINT')).toHaveLength(truth.participants.length - 1);

    const odm = (await exported('odm', '--preliminary'))('PRELIMINARY-odm.xml');
    expect(odm).toMatch(/<ODM [^>]*Description="PRELIMINARY: includes reads that are not signed"/);
    const define = rowsOf((await exported('sdtm', '--preliminary'))('PRELIMINARY-define.csv'));
    expect(define[0]!.Label).toBe('PRELIMINARY');
    await exported('dicom-sr', '--preliminary');
    const sr = readSr(join(exportFolder('dicom-sr', ['--preliminary']), 'PRELIMINARY-dicom-sr', `${participant.subject}_W24_brain.dcm`));
    expect([sr.PreliminaryFlag, sr.VerificationFlag, sr.CompletionFlag]).toEqual(['PRELIMINARY', 'UNVERIFIED', 'PARTIAL']);

    // Signed again, the read is an amendment: the exports below hold every read.
    const resigned = openWorkstation({ dbPath: db, actor: 'exports-test', rendererDir: folder });
    await resigned.dispatch('chooseReader', { readerId: 1, secret: 'demo-reader-secret' });
    expect((await resigned.dispatch('signRead', { participantId, visitCode: 'W24', region: 'brain', secret: 'demo-reader-secret' })).ok).toBe(true);
    resigned.close();
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
        // The longest diameter, or a cord or optic lesion's extent (extents-exports.test.ts reads those back).
        expect(['LDIAM', 'VERTLEVS', 'VERTSEG', 'LETM', 'LENGTH', 'GTHALFNL', 'CHIASM', 'NERVFRAC']).toContain(row.TRTESTCD);
      }
      // Read back: the measured diameters, lesion by lesion and visit by visit.
      const diameters = tr.filter((row) => row.USUBJID === usubjid && row.TRTESTCD === 'LDIAM' && row.TRORRES !== '' && row.TRORRES !== '0').map((row) => Number(row.TRORRES)).sort((a, b) => a - b);
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

describe('bad export requests', () => {
  it('name what is wrong and write nothing', async () => {
    const out = join(folder, 'bad');
    const notJson = join(folder, 'mapping-not-json.json');
    writeFileSync(notJson, '{ events: ');
    const badName = join(folder, 'mapping-bad-name.json');
    writeFileSync(badName, JSON.stringify({ fields: { brain_new: 'Brain New' } }));
    const cases: [string[], RegExp][] = [
      [['--format', 'pdf'], /^lesiontrack: Unknown export format "pdf": choose counts-csv, sdtm, redcap, odm or dicom-sr\.\n/],
      [['--format', 'odm', '--signed-only', '--preliminary'], /give --signed-only or --preliminary, not both\./],
      [['--format', 'redcap', '--mapping', notJson], /the mapping file .* is not JSON/],
      [['--format', 'redcap', '--mapping', badName], /is not a REDCap mapping: .*lower case letters, digits and _/],
      [['--format', 'redcap', '--mapping', join(folder, 'missing.json')], /cannot read the mapping file/],
    ];
    for (const [args, message] of cases) {
      const result = await cli('export', '--out', out, '--db', db, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe('every export', () => {
  it('is in the audit trail: who, which reads, and a SHA-256 of each file as written', async () => {
    await exported('sdtm', '--signed-only');
    const trail = await request<{ entries: { seq: number; action: string; entityId: string; newValue: { reads: string; files: { name: string; sha256: string }[] } }[] }>('auditTrail', {});
    const latest = trail.entries.filter((item) => item.action === 'export.create').sort((a, b) => b.seq - a.seq)[0]!;
    expect([latest.entityId, latest.newValue.reads]).toEqual(['sdtm', 'signed']);
    expect(latest.newValue.files.map((file) => file.name)).toEqual(['tu.csv', 'tr.csv', 'supptr.csv', 'define.csv']);
    for (const file of latest.newValue.files) {
      expect(file.sha256).toBe(createHash('sha256').update(readFileSync(join(exportFolder('sdtm', ['--signed-only']), file.name))).digest('hex'));
    }
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

describe('dicom-sr', () => {
  const srFolder = () => join(exportFolder('dicom-sr', []), 'dicom-sr');
  const srFiles = () => readdirSync(srFolder()).map((name) => join(srFolder(), name));

  beforeAll(async () => {
    await exported('dicom-sr');
  });

  it('writes one SR per signed read that dciodvfy finds no error in', () => {
    const dciodvfy = requireTool('dciodvfy', 'dicom3tools');
    expect(srFiles()).toHaveLength(truth.participants.length * truth.visits.length * truth.regions.length);
    for (const file of srFiles()) {
      const run = spawnSync(dciodvfy, [file], { encoding: 'utf8' });
      const errors = `${run.stdout}${run.stderr}`.split('\n').filter((line) => /^Error/.test(line));
      expect(errors, file).toEqual([]);
    }
  });

  it('gives each lesion one tracking UID, the same at every visit, as dsrdump shows', async () => {
    const dsrdump = requireTool('dsrdump', 'dcmtk');
    const setup = await request<{ participants: { id: number; subjectCode: string }[] }>('trialSetup', {});
    for (const participant of truth.participants) {
      const participantId = setup.participants.find((item) => item.subjectCode === participant.subject)!.id;
      const lesions = await request<LesionView[]>('listLesions', { participantId });
      const seen = new Map<string, Set<string>>();
      for (const file of srFiles().filter((path) => path.includes(`/${participant.subject}_`))) {
        const run = spawnSync(dsrdump, [file], { encoding: 'utf8' });
        const labels = [...run.stdout.matchAll(/"Tracking Identifier"\)="([^"]+)">\s*\n\s*<has obs context UIDREF:\(,,"Tracking Unique Identifier"\)="([0-9.]+)">/g)];
        for (const [, label, uid] of labels) seen.set(label!, new Set([...(seen.get(label!) ?? []), uid!]));
      }
      const present = lesions.filter((lesion) => lesion.observations.length > 0);
      expect([...seen.keys()].sort()).toEqual(present.map((lesion) => lesion.label).sort());
      for (const lesion of present) {
        expect([...seen.get(lesion.label)!], `${participant.subject} ${lesion.label}`).toEqual([lesion.trackingUid]);
        // Seen in the SR of every visit it was observed at.
        const visits = srFiles().filter((path) => path.includes(`/${participant.subject}_`) && readFileSync(path).includes(lesion.trackingUid));
        expect(visits.map((path) => basename(path).split('_')[1]).sort(), lesion.label).toEqual(lesion.observations.map((observation) => observation.visitCode).sort());
      }
      expect(new Set(present.map((lesion) => lesion.trackingUid)).size).toBe(present.length);
    }
  });

  it('reads back as truth.json: the counts, every lesion\'s status, the diameters and the images the lesions were drawn on', () => {
    for (const participant of truth.participants) {
      const statuses = truthStatuses(participant, 'previous');
      for (const expected of participant.counts.previous) {
        const sr = readSr(join(srFolder(), `${participant.subject}_${expected.visit}_${expected.region}.dcm`));
        expect([sr.PreliminaryFlag, sr.VerificationFlag, sr.CompletionFlag]).toEqual(['FINAL', 'VERIFIED', 'COMPLETE']);
        expect(sr.PatientID).toBe(participant.subject);
        const groups = measurementGroups(sr);
        // One group per lesion observed at this visit, counted or not, with truth's status and the read's comparator.
        const visitIndex = truth.visits.findIndex((visit) => visit.code === expected.visit);
        const expectedStatuses = Object.fromEntries(
          Object.entries(statuses)
            .filter(([label, visits]) => label.startsWith(REGION_PREFIX[expected.region]) && visits[visitIndex] !== null)
            .map(([label, visits]) => [label, visits[visitIndex]]),
        );
        const readStatuses = Object.fromEntries(groups.map((group): [string, VisitStatus] => [textOf(group, '112039')!, { status: textOf(group, 'STATUS') as VisitStatus['status'], comparatorVisit: textOf(group, 'COMPARATOR') ?? null }]));
        expect(readStatuses, `${participant.subject} ${expected.visit} ${expected.region} statuses`).toEqual(expectedStatuses);
        const counted = groups.filter((group) => textOf(group, 'COUNTED') === 'yes');
        expect(counted.filter((group) => textOf(group, 'STATUS') === 'new').length, `${participant.subject} ${expected.visit} ${expected.region} new`).toBe(expected.new);
        expect(counted.filter((group) => textOf(group, 'STATUS') === 'enlarging').length).toBe(expected.enlarging);
        for (const lesion of participant.lesions.filter((item) => item.region === expected.region)) {
          const visit = lesion.visits.find((item) => item.visit === expected.visit);
          if (!visit?.present) continue;
          const group = groups.find((item) => textOf(item, '112039') === `${REGION_PREFIX[lesion.region]}${lesion.number}`)!;
          const longAxis = group.ContentSequence.find((item) => item.ValueType === 'NUM')!;
          expect(Number(longAxis.MeasuredValueSequence![0]!.NumericValue)).toBeCloseTo(visit.longestDiameterMm, 3);
          const polyline = longAxis.ContentSequence![0]!;
          expect(polyline.GraphicType).toBe('POLYLINE');
          const [x0, y0, x1, y1] = polyline.GraphicData as number[];
          // The middle of the drawn diameter is the lesion's centre: pixel index + 0.5 in SCOORD's coordinates.
          expect((x0! + x1!) / 2).toBeCloseTo(visit.location.continuous[0] + 0.5, 1);
          expect((y0! + y1!) / 2).toBeCloseTo(visit.location.continuous[1] + 0.5, 1);
          expect(polyline.ContentSequence![0]!.ReferencedSOPSequence![0]!.ReferencedSOPInstanceUID).toBe(visit.location.sopInstanceUid);
        }
      }
    }
  });

  it('points an amended read’s SR to the SR of the version signed before', () => {
    const subject = truth.participants[0]!.subject;
    const amended = readSr(join(srFolder(), `${subject}_W24_brain.dcm`)) as unknown as { PredecessorDocumentsSequence?: { ReferencedSeriesSequence: { ReferencedSOPSequence: { ReferencedSOPInstanceUID: string }[] }[] }[] };
    const predecessors = amended.PredecessorDocumentsSequence?.[0]?.ReferencedSeriesSequence[0]?.ReferencedSOPSequence ?? [];
    expect(predecessors).toHaveLength(1);
    expect(predecessors[0]!.ReferencedSOPInstanceUID).not.toBe((amended as unknown as { SOPInstanceUID: string }).SOPInstanceUID);
    expect(readSr(join(srFolder(), `${subject}_W12_brain.dcm`)).PredecessorDocumentsSequence).toBeUndefined();
  });

  it('keeps the UID of a signed read’s SR from one export to the next', async () => {
    const again = join(folder, 'sr-again');
    expect((await cli('export', '--format', 'dicom-sr', '--out', again, '--db', db)).code).toBe(0);
    for (const file of srFiles()) {
      const name = file.split('/').at(-1)!;
      expect(readSr(join(again, 'dicom-sr', name)).SOPInstanceUID, name).toBe(readSr(file).SOPInstanceUID);
    }
  });
});

interface SrItem {
  ValueType: string;
  ConceptNameCodeSequence?: { CodeValue: string }[];
  TextValue?: string;
  MeasuredValueSequence?: { NumericValue: number | string }[];
  GraphicType?: string;
  GraphicData?: number[];
  ReferencedSOPSequence?: { ReferencedSOPInstanceUID: string }[];
  ContentSequence: SrItem[];
}

/** An SR read back with dcmjs, as a natural dataset. */
function readSr(path: string): Record<string, string> & SrItem {
  const bytes = readFileSync(path);
  const dict = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict) as Record<string, string> & SrItem;
}

function measurementGroups(sr: SrItem): SrItem[] {
  const measurements = sr.ContentSequence.find((item) => item.ConceptNameCodeSequence?.[0]?.CodeValue === '126010');
  return measurements?.ContentSequence ?? [];
}

function textOf(group: SrItem, codeValue: string): string | undefined {
  return group.ContentSequence.find((item) => item.ValueType === 'TEXT' && item.ConceptNameCodeSequence?.[0]?.CodeValue === codeValue)?.TextValue;
}

describe('no patient identity', () => {
  it('appears in any export', async () => {
    const texts = [
      (await exported('counts-csv'))('counts.csv'),
      ...['tu.csv', 'tr.csv', 'supptr.csv'].map((name) => readFileSync(join(folder, 'export-sdtm-', name), 'utf8')),
      (await exported('redcap'))('redcap-import.csv'),
      (await exported('odm'))('odm.xml'),
      ...readdirSync(join(exportFolder('dicom-sr', []), 'dicom-sr')).map((name) => readFileSync(join(exportFolder('dicom-sr', []), 'dicom-sr', name), 'latin1')),
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

// Last: these change the store.
describe('a participant with nothing read', () => {
  it('has no final row: its endpoint says not_read', async () => {
    const workstation = openWorkstation({ dbPath: db, actor: 'exports-test', rendererDir: folder });
    await createClient((name, payload) => workstation.dispatch(name, payload)).saveParticipant({ subjectCode: '098', baselineDate: '2024-01-01' });
    workstation.close();
    for (const reads of ['--signed-only', '--preliminary']) {
      const rows = rowsOf((await exported('counts-csv', reads))(reads === '--preliminary' ? 'PRELIMINARY-counts.csv' : 'counts.csv')).filter((row) => row.subject === '098');
      expect(rows, reads).toEqual([expect.objectContaining({ visit: 'ENDPOINT', new_or_enlarging: '', status: 'not_read' })]);
    }
  });
});

describe('a read with no image to reference', () => {
  it('is named in a clear refusal of the SR export, which writes nothing', async () => {
    // A participant with no scans, and a lesion recorded at week 12 without an image: nothing for an SR to point to (nor a read to sign).
    const workstation = openWorkstation({ dbPath: db, actor: 'exports-test', rendererDir: folder });
    const client = createClient((name, payload) => workstation.dispatch(name, payload));
    const participant = await client.saveParticipant({ subjectCode: '099', baselineDate: '2024-01-01' });
    await chooseDemoReader(client);
    await client.createLesion({ participantId: participant.id, region: 'brain', observation: { visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: 5 } } });
    await expect(client.signRead({ participantId: participant.id, visitCode: 'W12', region: 'brain', secret: DEMO_READER.secret })).rejects.toMatchObject({ code: 'conflict', message: /no brain images of 099 at W12/ });
    workstation.close();
    const out = join(folder, 'sr-refused');
    const result = await cli('export', '--format', 'dicom-sr', '--preliminary', '--out', out, '--db', db);
    expect(result.code).toBe(1);
    expect(result.err).toContain('099 W12 brain: no series is assigned to this read and no lesion of it was marked on an image, so its SR would reference no image.');
    expect(existsSync(out)).toBe(false);
  });
});
