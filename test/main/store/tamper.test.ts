// Tamper evidence for the whole store: with the sqlite3 command-line client,
// one row of each table that holds reading data is changed, added or
// deleted behind the app's back. Each time `lesiontrack audit verify` exits 1
// naming the table and key, and the workstation refuses to open the store,
// as it does for a broken audit chain.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { openWorkstation, StoreDamagedError } from '../../../main/workstation';
import { requireTool } from '../../helpers/tools';
import { tempFolder } from '../../helpers/fixtures';
import { READER_SECRET, trialStore } from '../../helpers/trial-store';

const sqlite3 = requireTool('sqlite3', 'sqlite3');

interface Edit {
  table: string;
  kind: 'changed' | 'added' | 'deleted';
  sql: (keys: Keys) => string;
  key: (keys: Keys) => string;
}

interface Keys {
  lesion: number;
  observation: number;
  signature: number;
  participant: number;
  patient: number;
  study: number;
  series: number;
  reader: number;
  alignment: string;
  review: number;
}

let pristine: string;
let keys: Keys;

beforeAll(async () => {
  const { ws, client, participantId, readerId, dbPath } = await trialStore();
  const { lesion: lesion } = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: { kind: 'measured', longestDiameterMm: 5 } } });
  await client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET });
  const study = (await client.listAssignments({}))[0]!;
  await client.assignStudy({ studyId: study.studyId, visitCode: study.visitCode, reason: 'confirmed' });
  const [current, comparator] = study.series.filter((series) => series.region !== null).map((series) => series.seriesId);
  await client.assignSeries({ seriesId: current!, region: study.series.find((series) => series.seriesId === current)!.region, sequence: 'FLAIR', reason: 'confirmed' });
  await client.saveAlignment({ currentSeriesId: current!, comparatorSeriesId: comparator!, transform: { rotationDeg: [0, 0, 1], translationMm: [1, 0, 0], centreMm: [0, 0, 0] } });
  // A candidate of the week-12 brain read dismissed.
  const worklist = await client.worklist({});
  const brain = (visitCode: string) => worklist.rows[0]!.cells.find((cell) => cell.visitCode === visitCode && cell.region === 'brain')!.series[0]!.seriesId;
  const read = { participantId, visitCode: 'W12', region: 'brain' as const, currentSeriesId: brain('W12'), comparatorSeriesId: brain('W0') };
  await vi.waitFor(async () => expect((await client.subtraction({ currentSeriesId: read.currentSeriesId, comparatorSeriesId: read.comparatorSeriesId })).state).toBe('ready'), { timeout: 90_000, interval: 50 });
  const [candidate] = (await client.candidates(read)).candidates;
  await client.reviewCandidate({ ...read, candidateId: candidate!.id, decision: 'dismiss' });
  const one = (sql: string) => ws.db.prepare(sql).pluck().get() as number;
  keys = {
    lesion: lesion.id,
    observation: one('SELECT min(id) FROM observations'),
    signature: one('SELECT min(id) FROM signatures'),
    participant: participantId,
    patient: one('SELECT min(patient_ref) FROM patient_links'),
    study: study.studyId,
    series: current!,
    reader: readerId,
    alignment: `${current}/${comparator}`,
    review: one('SELECT min(id) FROM candidate_reviews'),
  };
  ws.close();
  // Kept for the whole file (tempFolder() would remove it after the first test).
  pristine = join(mkdtempSync(join(tmpdir(), 'lesiontrack-pristine-')), 'store.sqlite');
  copyFileSync(dbPath, pristine);
});

afterAll(() => rmSync(join(pristine, '..'), { recursive: true, force: true }));

const EDITS: Edit[] = [
  { table: 'observations', kind: 'changed', sql: (k) => `UPDATE observations SET longest_diameter_mm = 3 WHERE id = ${k.observation}`, key: (k) => String(k.observation) },
  { table: 'observations', kind: 'added', sql: (k) => `INSERT INTO observations (lesion_ref, visit_code, kind, longest_diameter_mm, recorded_by, recorded_at) VALUES (${k.lesion}, 'W12', 'measured', 9, 'x', 'x')`, key: (k) => String(k.observation + 1) },
  { table: 'observations', kind: 'deleted', sql: (k) => `DELETE FROM observations WHERE id = ${k.observation}`, key: (k) => String(k.observation) },
  { table: 'lesions', kind: 'changed', sql: (k) => `UPDATE lesions SET label = 'B9' WHERE id = ${k.lesion}`, key: (k) => String(k.lesion) },
  { table: 'lesions', kind: 'added', sql: (k) => `INSERT INTO lesions (id, participant_ref, region, number, label, created_by, created_at) VALUES (${k.lesion + 100}, ${k.participant}, 'brain', 7, 'B7', 'x', 'x')`, key: (k) => String(k.lesion + 100) },
  { table: 'lesions', kind: 'deleted', sql: (k) => `DELETE FROM lesions WHERE id = ${k.lesion}`, key: (k) => String(k.lesion) },
  { table: 'signatures', kind: 'changed', sql: (k) => `UPDATE signatures SET signed_at = '2020-01-01T00:00:00.000Z' WHERE id = ${k.signature}`, key: (k) => String(k.signature) },
  { table: 'signatures', kind: 'added', sql: (k) => `INSERT INTO signatures (id, participant_ref, visit_code, region, reader_ref, meaning, charter_id, content, content_sha256, signed_at) SELECT ${k.signature + 100}, participant_ref, 'W12', region, reader_ref, meaning, charter_id, content, content_sha256, signed_at FROM signatures WHERE id = ${k.signature}`, key: (k) => String(k.signature + 100) },
  { table: 'signatures', kind: 'deleted', sql: (k) => `DELETE FROM signatures WHERE id = ${k.signature}`, key: (k) => String(k.signature) },
  { table: 'study_decisions', kind: 'changed', sql: (k) => `UPDATE study_decisions SET visit_code = 'W24' WHERE study_ref = ${k.study}`, key: (k) => String(k.study) },
  { table: 'study_decisions', kind: 'added', sql: (k) => `INSERT INTO study_decisions (study_ref, visit_code, decided_by, decided_at) VALUES (${k.study + 1}, 'W52', 'x', 'x')`, key: (k) => String(k.study + 1) },
  { table: 'study_decisions', kind: 'deleted', sql: (k) => `DELETE FROM study_decisions WHERE study_ref = ${k.study}`, key: (k) => String(k.study) },
  { table: 'series_decisions', kind: 'changed', sql: (k) => `UPDATE series_decisions SET region = NULL WHERE series_ref = ${k.series}`, key: (k) => String(k.series) },
  { table: 'series_decisions', kind: 'added', sql: (k) => `INSERT INTO series_decisions (series_ref, region, sequence, decided_by, decided_at) VALUES (${k.series + 1}, NULL, 'other', 'x', 'x')`, key: (k) => String(k.series + 1) },
  { table: 'series_decisions', kind: 'deleted', sql: (k) => `DELETE FROM series_decisions WHERE series_ref = ${k.series}`, key: (k) => String(k.series) },
  { table: 'participants', kind: 'changed', sql: (k) => `UPDATE participants SET baseline_date = '2020-01-01' WHERE id = ${k.participant}`, key: (k) => String(k.participant) },
  { table: 'participants', kind: 'added', sql: () => `INSERT INTO participants (id, subject_code, baseline_date) VALUES (50, '050', '2024-01-01')`, key: () => '50' },
  { table: 'patient_links', kind: 'deleted', sql: (k) => `DELETE FROM patient_links WHERE patient_ref = ${k.patient}`, key: (k) => String(k.patient) },
  { table: 'readers', kind: 'changed', sql: (k) => `UPDATE readers SET role = 'adjudicator' WHERE id = ${k.reader}`, key: (k) => String(k.reader) },
  { table: 'settings', kind: 'added', sql: () => `INSERT INTO settings (key, value) VALUES ('charter', '{"id":"lax","comparator":"baseline","minimumSizeMm":1,"enlargingRelative":0.1,"enlargingAbsoluteMm":0,"enlargingRule":"either"}')`, key: () => 'charter' },
  // A dismissal moved elsewhere or taken back would change what the reader was shown as still to review.
  { table: 'candidate_reviews', kind: 'changed', sql: (k) => `UPDATE candidate_reviews SET centre_x = centre_x + 40 WHERE id = ${k.review}`, key: (k) => String(k.review) },
  { table: 'candidate_reviews', kind: 'deleted', sql: (k) => `DELETE FROM candidate_reviews WHERE id = ${k.review}`, key: (k) => String(k.review) },
  { table: 'series_alignments', kind: 'changed', sql: (k) => `UPDATE series_alignments SET transform = '{"rotationDeg":[0,0,0],"translationMm":[9,9,9],"centreMm":[0,0,0]}' WHERE current_series_ref || '/' || comparator_series_ref = '${k.alignment}'`, key: (k) => k.alignment },
];

function tampered(edit: Edit): string {
  const dbPath = join(tempFolder(), 'store.sqlite');
  copyFileSync(pristine, dbPath);
  const run = spawnSync(sqlite3, [dbPath, edit.sql(keys)], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return dbPath;
}

async function verify(dbPath: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['audit', 'verify', '--db', dbPath], { out: (text) => (out += text), err: (text) => (out += text) });
  return { code, out };
}

describe('a store edited outside the app', () => {
  it('is intact before any edit', async () => {
    expect(await verify(pristine)).toMatchObject({ code: 0, out: expect.stringMatching(/^Store intact: \d+ audit entries/) });
    const raw = new Database(pristine, { readonly: true });
    // Every table under test holds a row, so each edit below has something to hit.
    for (const table of new Set(EDITS.map((edit) => edit.table))) expect(raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBeGreaterThan(0);
    raw.close();
  });

  it.each(EDITS)('is caught when a row of $table is $kind', async (edit) => {
    const dbPath = tampered(edit);
    const { code, out } = await verify(dbPath);
    expect(code).toBe(1);
    expect(out).toContain(`- ${edit.table} row ${edit.key(keys)}: ${edit.kind} outside the app`);
    let refusal: unknown = null;
    try {
      openWorkstation({ dbPath, actor: 'local:test', rendererDir: tempFolder() }).close();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StoreDamagedError);
    expect((refusal as StoreDamagedError).problems).toContain(`${edit.table} row ${edit.key(keys)}: ${edit.kind} outside the app`);
  });

  it('names the signed read whose content the edit changed, beside the row', async () => {
    const dbPath = tampered({ table: 'observations', kind: 'changed', sql: (k) => `UPDATE observations SET longest_diameter_mm = 3 WHERE id = ${k.observation}`, key: (k) => String(k.observation) });
    const { out } = await verify(dbPath);
    expect(out).toContain(`- signatures row ${keys.signature} (001 W0 brain): the lesions and counts in the store differ from what was signed`);
  });
});
