import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
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

  it('answers a call without a command with exit code 2 and the overview, and --help with 0', async () => {
    const bare = await cli([]);
    expect(bare.code).toBe(2);
    const lines = bare.err.split('\n');
    expect(lines.slice(0, 4)).toEqual(['Usage: lesiontrack <command> [options]', '', 'Commands:', '  import     index a folder of DICOM files (headers only) into the store; Ctrl-C keeps what was committed']);
    expect(lines).toContain('  restore    put a backup in place of a damaged store; the old file is moved aside, not deleted');
    expect(lines).toContain('  --json     machine-readable output');
    expect(lines).toContain('  2   a usage mistake: an unknown command or option, a missing or wrong option value');
    expect(await cli(['--help'])).toEqual({ code: 0, out: bare.err, err: '' });
  });

  it("answers <command> --help with that command's usage and options, and exit code 0", async () => {
    expect(await cli(['restore', '--help'])).toEqual({
      code: 0,
      err: '',
      out: [
        'lesiontrack restore: put a backup in place of a damaged store; the old file is moved aside, not deleted',
        '',
        'Usage: lesiontrack restore (--latest | --from FILE) [--db PATH]',
        '',
        'Options:',
        '  --latest     the newest backup in backups/ beside the store that passes the checks',
        '  --from FILE  this backup file',
        '  --db PATH    the store to use (default: $LESIONTRACK_DB, else lesiontrack.sqlite in the user data folder)',
        '  --json       machine-readable output',
        '  --help       print the usage: of every command, or of the command named',
        '',
      ].join('\n'),
    });
    expect((await cli(['--help', 'series'])).out.split('\n')[2]).toBe('Usage: lesiontrack series [--db PATH] [--json]');
  });

  it('answers each usage mistake with exit code 2 and one sentence naming it, not the whole usage', async () => {
    const hint = (command: string) => `See "lesiontrack ${command} --help" for its usage and options.`;
    const commandsHint = 'See "lesiontrack --help" for the commands.';
    const mistakes: [string[], string, string][] = [
      [['export', '--format', 'pdf', '--out', 'x'], 'Unknown export format "pdf": choose counts-csv, sdtm, redcap, odm or dicom-sr.', hint('export')],
      [['export', '--out', 'x'], 'export needs --format: choose counts-csv, sdtm, redcap, odm or dicom-sr.', hint('export')],
      [['export', '--format'], "Option '--format <value>' argument missing", hint('export')],
      [['export', '--format', '--out', 'x'], "Option '--format' argument is ambiguous. Did you forget to specify the option argument for '--format'?", hint('export')],
      [['frobnicate'], 'Unknown command "frobnicate": choose import, series, host, listen, pacs, dicomweb, counts, agreement, audit, backup, restore, demo or export.', commandsHint],
      [['frobnicate', '--help'], 'Unknown command "frobnicate": choose import, series, host, listen, pacs, dicomweb, counts, agreement, audit, backup, restore, demo or export.', commandsHint],
      [['series', '--bogus'], "Unknown option '--bogus' for series.", hint('series')],
      [['series', '--port', '80'], "Unknown option '--port' for series.", hint('series')],
      [['--out', 'x', 'counts'], "Unknown option '--out' for counts.", hint('counts')],
      [['restore', '--latest', '--progress'], "Unknown option '--progress' for restore.", hint('restore')],
      [['series', '--json=yes'], "Option '--json' does not take an argument", hint('series')],
      [['audit', 'check'], 'Unknown audit subcommand "check": choose verify.', hint('audit')],
      [['import'], 'import needs exactly one folder.', hint('import')],
      [['import', 'a', 'b'], 'import needs exactly one folder.', hint('import')],
      [['host', '--port', 'x'], '--port takes a whole number from 0 to 65535, not "x".', hint('host')],
      [['host', '--port', '70000'], '--port takes a whole number from 0 to 65535, not "70000".', hint('host')],
      [['demo', '--out', 'x', '--subjects', '0'], '--subjects takes a whole number from 1 to 999, not "0".', hint('demo')],
    ];
    for (const [args, sentence, help] of mistakes) {
      const result = await cli(['--db', join(tempFolder(), 's.sqlite'), ...args]);
      expect(result, args.join(' ')).toEqual({ code: 2, out: '', err: `lesiontrack: ${sentence}\n${help}\n` });
    }
  });

  it('fails with exit code 1 and says so when a folder holds no files, with the counts', async () => {
    const db = join(tempFolder(), 'store.sqlite');
    const empty = tempFolder();
    const text = await cli(['import', empty, '--db', db]);
    expect(text.code).toBe(1);
    expect(text.out.split('\n').slice(0, 3)).toEqual([`No DICOM files found in ${empty}: nothing was imported.`, '  files seen          0', '  instances added     0']);
    const json = await cli(['import', empty, '--db', db, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ filesSeen: 0, instancesAdded: 0, duplicatesSkipped: 0, rejected: [] });
    expect(json.err).toBe(`lesiontrack: No DICOM files found in ${empty}: nothing was imported.\n`);
  });

  it('fails with exit code 1 when every file is rejected, listing each with its reason', async () => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'notes.txt'), 'not an image\n');
    writeFileSync(join(folder, 'empty.dcm'), '');
    const result = await cli(['import', folder, '--db', join(tempFolder(), 'store.sqlite')]);
    expect(result.code).toBe(1);
    const lines = result.out.split('\n');
    expect(lines[0]).toBe(`Nothing was imported from ${folder}: none of its files could be stored.`);
    expect(result.out).toMatch(/files seen\s+2\n\s+instances added\s+0\n/);
    expect(result.out).toMatch(/rejected files\s+2\n/);
    expect(lines.filter((line) => /^ {4}\S/.test(line)).map((line) => line.trim().split(':')[0])).toEqual(['empty.dcm', 'notes.txt']);
  });

  it('exits 0 and says nothing was new when every instance is already in the store', async () => {
    const db = join(tempFolder(), 'store.sqlite');
    expect((await cli(['import', geSeries, '--db', db])).code).toBe(0);
    const again = await cli(['import', geSeries, '--db', db]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(new RegExp(`^Nothing new in ${geSeries}: every instance in it is already in the store\\.\n`));
    expect(again.out).toMatch(/instances added\s+0\n\s+duplicates skipped\s+20\n/);
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
    expect(await cli(['audit', 'verify', '--db', db])).toMatchObject({ code: 0, out: 'Store intact: 6 audit entries; every reading row and signed read is as the trail records.\n' });
    const raw = new Database(db);
    raw.exec("DROP TRIGGER audit_no_update; UPDATE audit SET new_value = '{\"added\":0}' WHERE seq = 3;");
    raw.close();
    const broken = await cli(['audit', 'verify', '--db', db, '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toEqual({ ok: false, entries: 3, problems: ['Audit trail broken at entry 3: entry 3 was changed after it was written'] });
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
