// Start-up checks and backups on real SQLite files: a damaged store (bytes
// overwritten, or the audit chain edited) is refused with the newest healthy
// backup offered, and restoring it brings the data back without deleting
// the damaged file.
import { closeSync, existsSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { backupIfDue, backupStore, BACKUPS_KEPT, latestHealthyBackup, listBackups, restoreBackup } from '../../../main/store/backups';
import { openDatabase } from '../../../main/store/database';
import { checkStore } from '../../../main/store/integrity';
import { openWorkstation, StoreDamagedError } from '../../../main/workstation';
import { geSeries, projectRoot, tempFolder } from '../../helpers/fixtures';

const rendererDir = join(projectRoot, 'dist', 'renderer');

async function storeWithSeries(): Promise<string> {
  const dbPath = join(tempFolder(), 'trial.sqlite');
  const workstation = openWorkstation({ dbPath, actor: 'integrity-test', rendererDir });
  const imported = await workstation.dispatch('importFolder', { folder: geSeries });
  expect(imported.ok).toBe(true);
  // Newer than the one the workstation takes at start (before the import).
  await backupStore(workstation.db, dbPath, new Date('2030-01-01T08:00:00Z'));
  workstation.close();
  return dbPath;
}

/** Overwrites a run of bytes in the middle of the file, as a failing disk would. */
function damageBytes(dbPath: string): void {
  const size = statSync(dbPath).size;
  const handle = openSync(dbPath, 'r+');
  writeSync(handle, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
  closeSync(handle);
}

/** Edits an audit row behind the app's back (dropping the guard trigger first, as a tamperer would). */
function tamperAudit(dbPath: string): void {
  const db = new Database(dbPath);
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'").all() as { name: string }[]) db.exec(`DROP TRIGGER "${name}"`);
  db.prepare("UPDATE audit SET actor = 'someone else' WHERE seq = 1").run();
  db.close();
}

function seriesCount(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  const { n } = db.prepare('SELECT count(*) AS n FROM series').get() as { n: number };
  db.close();
  return n;
}

describe('start-up checks', () => {
  it('pass a healthy store', async () => {
    const dbPath = await storeWithSeries();
    const db = openDatabase(dbPath);
    expect(checkStore(db)).toEqual({ ok: true, problems: [], readable: true });
    db.close();
  });

  it('refuse a store with overwritten pages and offer the newest healthy backup, which restores the data', async () => {
    const dbPath = await storeWithSeries();
    damageBytes(dbPath);
    let refusal: unknown;
    try {
      openWorkstation({ dbPath, actor: 'integrity-test', rendererDir });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StoreDamagedError);
    const damaged = refusal as StoreDamagedError;
    expect(damaged.problems.join('\n')).toMatch(/SQLite (integrity check|cannot read the file)/);
    expect(damaged.latestBackup?.takenAt.toISOString()).toBe('2030-01-01T08:00:00.000Z');

    const aside = restoreBackup(dbPath, damaged.latestBackup!.path);
    expect(existsSync(aside)).toBe(true);
    const reopened = openWorkstation({ dbPath, actor: 'integrity-test', rendererDir });
    const series = await reopened.dispatch('listSeries', {});
    expect(series).toMatchObject({ ok: true, value: [{ instanceCount: 20 }] });
    reopened.close();
  });

  it('refuse a store whose audit trail was edited, naming the entry', async () => {
    const dbPath = await storeWithSeries();
    tamperAudit(dbPath);
    expect(() => openWorkstation({ dbPath, actor: 'integrity-test', rendererDir })).toThrow(/Audit trail broken at entry 1/);
    // The refused store was not touched: the edit is still there for an investigator.
    expect(seriesCount(dbPath)).toBe(1);
  });

  it('skip a damaged backup when choosing the one to offer', async () => {
    const dbPath = await storeWithSeries();
    const good = listBackups(dbPath)[0]!;
    const db = openDatabase(dbPath);
    const newer = await backupStore(db, dbPath, new Date('2030-01-02T08:00:00Z'));
    db.close();
    tamperAudit(newer.path);
    expect(latestHealthyBackup(dbPath)?.path).toBe(good.path);
  });
});

describe('backups', () => {
  it('are taken at most once a day and the oldest beyond the limit are removed', async () => {
    const dbPath = join(tempFolder(), 'trial.sqlite');
    const db = openDatabase(dbPath);
    const start = new Date('2026-01-01T00:00:00Z').getTime();
    for (let day = 0; day < BACKUPS_KEPT + 3; day += 1) {
      expect(await backupIfDue(db, dbPath, new Date(start + day * 86_400_000))).not.toBeNull();
      expect(await backupIfDue(db, dbPath, new Date(start + day * 86_400_000 + 3_600_000))).toBeNull();
    }
    db.close();
    const kept = listBackups(dbPath);
    expect(kept).toHaveLength(BACKUPS_KEPT);
    expect(kept[0]!.takenAt.toISOString()).toBe(new Date(start + (BACKUPS_KEPT + 2) * 86_400_000).toISOString());
  });
});

describe('the CLI', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) } };
  }

  it('explains a damaged store, restores the latest backup, and still verifies a broken chain', async () => {
    const dbPath = await storeWithSeries();
    damageBytes(dbPath);
    const refused = io();
    expect(await runCli(['series', '--db', dbPath], refused.io)).toBe(1);
    expect(refused.err.join('')).toMatch(/failed its checks[\s\S]*lesiontrack restore --latest --db/);

    const restored = io();
    expect(await runCli(['restore', '--latest', '--db', dbPath], restored.io)).toBe(0);
    expect(restored.out.join('')).toMatch(/moved to .*damaged-/);
    expect(seriesCount(dbPath)).toBe(1);
    expect(readdirSync(join(dbPath, '..')).some((name) => name.includes('.damaged-'))).toBe(true);

    tamperAudit(dbPath);
    const verified = io();
    expect(await runCli(['audit', 'verify', '--db', dbPath], verified.io)).toBe(1);
    expect(verified.out.join('')).toMatch(/Audit trail broken at entry 1/);
  });
});

describe('migrations', () => {
  it('copy an existing store, at its old schema, before migrating it', async () => {
    const dbPath = join(tempFolder(), 'old.sqlite');
    const { migrations } = await import('../../../main/store/migrations');
    const old = openDatabase(dbPath, migrations.slice(0, 2));
    old.close();
    const workstation = openWorkstation({ dbPath, actor: 'integrity-test', rendererDir });
    workstation.close();
    const copies = listBackups(dbPath);
    expect(copies.length).toBeGreaterThanOrEqual(1);
    const versions = copies.map((copy) => {
      const db = new Database(copy.path, { readonly: true });
      const version = db.pragma('user_version', { simple: true });
      db.close();
      return version;
    });
    expect(versions).toContain(2);
  });
});
