// `lesiontrack demo --qualification --read --miss K --extra M` on a real
// SQLite file: the set recorded in a store of its own, the scripted reader's
// reads signed, and the score exactly (n - K) / n and M false positives in
// 2 participants x 4 visits x 3 regions = 24 scans, n counted from truth.json.
// A store with other data is refused before any file is written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { openWorkstation } from '../../../main/workstation';
import { createClient } from '../../../shared/client';
import type { TrialTruth } from '../../../shared/synthetic/truth';
import { geSeries, tempFolder } from '../../helpers/fixtures';

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('lesiontrack demo --qualification', () => {
  it('reads a hard set with 2 lesions overlooked and 3 false ones, signed, and scores it exactly', async () => {
    const folder = tempFolder();
    const db = join(folder, 'qualification.sqlite');
    const run = await cli('demo', '--qualification', '--subjects', '2', '--seed', 'qual-cli', '--read', '--miss', '2', '--extra', '3', '--db', db, '--json');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const [generated, answer] = run.out.trim().split('\n').map((line) => JSON.parse(line));
    expect(generated).toMatchObject({ seed: 'qual-cli', difficulty: 'hard', subjects: 2, out: join(folder, 'qualification-set') });
    const truth = JSON.parse(readFileSync(join(folder, 'qualification-set', 'truth.json'), 'utf8')) as TrialTruth;
    expect(truth.difficulty).toBe('hard');
    const n = truth.participants.flatMap((participant) => participant.lesions.flatMap((lesion) => lesion.visits.filter((visit) => visit.present))).length;
    expect(n).toBeGreaterThan(5);

    const { qualification } = answer;
    expect(qualification.set).toEqual({ seed: 'qual-cli', difficulty: 'hard', participants: 2 });
    expect(qualification.read).toEqual({ signed: 24, miss: 2, extra: 3 });
    const { overall } = qualification.score;
    expect(overall).toMatchObject({ truthLesions: n, found: n - 2, falsePositives: 3, scans: 24 });
    expect(overall.sensitivity.value).toBe((n - 2) / n);
    expect(overall.falsePositivesPerScan.value).toBe(3 / 24);
    expect(qualification.score.byRegion.brain.falsePositives).toBe(3);
    expect(qualification.score.falseMarks.every((mark: { visitCode: string; region: string }) => mark.visitCode === 'W52' && mark.region === 'brain')).toBe(true);
    expect(qualification.score.outcomes.filter((outcome: { readerLesionId: string | null }) => outcome.readerLesionId === null)).toHaveLength(2);
    expect(qualification.score.passed).toBe((n - 2) / n >= 0.8);

    const store = new Database(db, { readonly: true });
    expect(store.prepare('SELECT count(*) AS n FROM signatures').get()).toEqual({ n: 24 });
    expect(store.prepare("SELECT new_value AS set_ FROM audit WHERE action = 'qualification-set.create'").all()).toEqual([{ set_: JSON.stringify({ seed: 'qual-cli', difficulty: 'hard', participants: 2 }) }]);
    store.close();

    // The reader is refused the score: it shows the truth.
    const ws = openWorkstation({ dbPath: db, actor: 'local:test', rendererDir: tempFolder() });
    const client = createClient((name, payload) => ws.dispatch(name, payload));
    const reader = (await client.listReaders({})).readers.find((item) => item.name === 'Demo reader')!;
    await client.chooseReader({ readerId: reader.id, secret: 'demo-reader-secret' });
    expect(await ws.dispatch('qualificationScore', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ws.close();

    // Another set in the same store is refused, before any file is written.
    const other = await cli('demo', '--qualification', '--subjects', '2', '--seed', 'another', '--out', join(folder, 'other'), '--db', db);
    expect(other.code).toBe(1);
    expect(other.err).toContain('This store holds the qualification set of seed "qual-cli" (hard, 2 participants): a store holds one set.');
    expect(existsSync(join(folder, 'other'))).toBe(false);
  });

  it("refuses a store that holds a trial's data, before any file is written", async () => {
    const folder = tempFolder();
    const db = join(folder, 'trial.sqlite');
    expect((await cli('import', geSeries, '--db', db)).code).toBe(0);
    const refused = await cli('demo', '--qualification', '--subjects', '1', '--db', db);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("This store already holds 0 participants and 1 patients: a qualification set goes into a store of its own, never beside a trial's data.");
    expect(existsSync(join(folder, 'trial-set'))).toBe(false);
  });

  it('answers option mistakes with exit code 2', async () => {
    expect((await cli('demo', '--qualification', '--read')).code).toBe(2);
    expect((await cli('demo', '--out', 'x', '--miss', '1', '--read')).err).toContain('--miss and --extra script the qualification reader: give --qualification --read too.');
    expect((await cli('demo', '--qualification', '--difficulty', 'expert', '--db', 'x.sqlite')).err).toContain('Unknown difficulty "expert": choose standard or hard.');
  });
});
