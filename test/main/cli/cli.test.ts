import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { fixtures, geSeries, projectRoot, tempFolder } from '../../helpers/fixtures';

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await runCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
    return { code, out, err };
  } finally {
    process.env = saved;
  }
}

describe('lesiontrack import and series', () => {
  it('imports the fixture folder, reporting every series and every rejected file with a reason', async () => {
    const db = join(tempFolder(), 'store.sqlite');
    const result = await cli(['import', fixtures, '--db', db, '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary.filesSeen).toBe(145);
    expect(summary.rejected.length).toBe(12);
    for (const file of summary.rejected) expect(file.reason).toMatch(/\w+/);
    expect(summary.rejected.map((file: { path: string }) => file.path)).toContain('malformed/gen_zero_length.dcm');
    const series = JSON.parse((await cli(['series', '--db', db, '--json'])).out);
    const ge = series.find((s: { description: string }) => s.description === 'FSE PD AXIAL OBL');
    expect(ge).toEqual({
      uid: expect.stringMatching(/^[0-9.]+$/),
      modality: 'MR',
      description: 'FSE PD AXIAL OBL',
      seriesNumber: 2,
      orientation: 'axial',
      instances: 20,
      frames: 20,
      slices: 20,
      spacing: expect.any(Number),
      transferSyntaxes: ['1.2.840.10008.1.2.1'],
      isImage: true,
      assigned: { subject: null, visit: null, region: 'brain' },
      warnings: [],
    });
    expect(ge.spacing).toBeGreaterThan(1);
    expect(series.find((s: { modality: string }) => s.modality === 'SR').isImage).toBe(false);
  });

  it('reports progress as JSON lines before the summary with --progress --json', async () => {
    const db = join(tempFolder(), 'store.sqlite');
    const lines = (await cli(['import', fixtures, '--db', db, '--json', '--progress'])).out.trim().split('\n').map((line) => JSON.parse(line));
    const summary = lines.pop();
    expect(summary.filesSeen).toBe(145);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toEqual({ progress: { filesDone: 145, filesTotal: 145, currentFolder: expect.any(String) } });
  });

  it('prints a readable summary without --json', async () => {
    const db = join(tempFolder(), 'store.sqlite');
    const result = await cli(['import', geSeries, '--db', db]);
    expect(result.out).toMatch(/instances added\s+20/);
    expect((await cli(['series', '--db', db])).out).toMatch(/MR\s+2\s+20 inst\s+20 fr\s+FSE PD AXIAL OBL/);
  });

  it('takes the store from LESIONTRACK_DB when --db is not given', async () => {
    const db = join(tempFolder(), 'env.sqlite');
    await cli(['import', geSeries], { LESIONTRACK_DB: db });
    expect(existsSync(db)).toBe(true);
  });

  it('answers usage mistakes with exit code 2 and the usage text', async () => {
    for (const args of [[], ['import'], ['import', 'a', 'b'], ['frobnicate'], ['series', '--bogus'], ['host', '--port', 'x']]) {
      const result = await cli([...args, '--db', join(tempFolder(), 's.sqlite')]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(/Usage: lesiontrack/);
    }
    expect((await cli(['--help'])).code).toBe(0);
  });

  it('fails with exit code 1 and a plain message for a missing folder', async () => {
    const result = await cli(['import', '/no/such/folder', '--db', join(tempFolder(), 's.sqlite')]);
    expect(result).toMatchObject({ code: 1, err: 'lesiontrack: Folder not found: /no/such/folder\n' });
  });
});

describe('lesiontrack audit verify', () => {
  it('passes an intact trail and names the first entry edited behind the app’s back', async () => {
    const db = join(tempFolder(), 'store.sqlite');
    await cli(['import', geSeries, '--db', db]);
    expect(await cli(['audit', 'verify', '--db', db])).toMatchObject({ code: 0, out: 'Store intact: 4 audit entries; every reading row and signed read is as the trail records.\n' });
    const raw = new Database(db);
    raw.exec("DROP TRIGGER audit_no_update; UPDATE audit SET new_value = '{\"added\":0}' WHERE seq = 2;");
    raw.close();
    const broken = await cli(['audit', 'verify', '--db', db, '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toEqual({ ok: false, entries: 2, problems: ['Audit trail broken at entry 2: entry 2 was changed after it was written'] });
    expect((await cli(['audit', 'check', '--db', db])).code).toBe(2);
  });
});

describe('the installed command', () => {
  it('runs as a real process from the built bundle', () => {
    const bin = join(projectRoot, 'bin', 'lesiontrack.mjs');
    expect(existsSync(join(projectRoot, 'dist', 'main', 'cli.js'))).toBe(true);
    const db = join(tempFolder(), 'store.sqlite');
    const out = execFileSync(process.execPath, [bin, 'import', geSeries, '--db', db, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).instancesAdded).toBe(20);
    const bad = spawnSync(process.execPath, [bin, 'nonsense'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
