import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../../main/store/audit';
import { rowStateProblems } from '../../../main/store/row-state';
import { openDatabase, schemaVersion } from '../../../main/store/database';
import { migrations } from '../../../main/store/migrations';
import { tempFolder } from '../../helpers/fixtures';

function freshDb() {
  return openDatabase(join(tempFolder(), 'nested', 'store.sqlite'));
}

function audit(db: ReturnType<typeof freshDb>, action: string) {
  db.transaction(() => appendAudit(db, { actor: 'tester', action, entity: 'thing', entityId: 1, oldValue: { a: 1 }, newValue: { a: 2 } }))();
}

describe('the store', () => {
  it('opens a real SQLite file with the settings clinical records need', () => {
    const db = freshDb();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    db.close();
  });

  it('migrates forward once and leaves an up-to-date store alone', () => {
    const file = join(tempFolder(), 'store.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['audit', 'imports', 'instances', 'patients', 'series', 'studies']));
    db.close();
  });

  it('applies a later migration in one transaction and stops at a failing one without half a schema', () => {
    const file = join(tempFolder(), 'store.sqlite');
    const broken = [...migrations, { version: 99, description: 'broken', sql: 'CREATE TABLE added (x); CREATE TABLE nonsense (' }];
    expect(() => openDatabase(file, broken)).toThrow();
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'added'").pluck().get()).toBe(0);
    raw.close();
  });

  it('refuses a store written by a newer version and leaves it untouched', () => {
    const file = join(tempFolder(), 'store.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 42');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer LesionTrack \(schema 42/);
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(42);
    after.close();
  });

  it('enforces foreign keys', () => {
    const db = freshDb();
    expect(() => db.prepare("INSERT INTO studies (patient_ref, study_uid, study_date, study_time, description, accession_number) VALUES (999, '1.2', '', '', '', '')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('the audit trail', () => {
  it('must be written inside the transaction of the change it records', () => {
    const db = freshDb();
    expect(() => appendAudit(db, { actor: 'a', action: 'x', entity: 'y' })).toThrow(/inside the transaction/);
    db.close();
  });

  it('chains entries and verifies an untouched trail', () => {
    const db = freshDb();
    audit(db, 'first');
    audit(db, 'second');
    audit(db, 'third');
    // The first entries are the migrations' baselines of the reading rows (row-state.ts): version 7 starts them,
    // version 9 starts them again (lesions and signatures took a track column), and version 11 (observations took their extent).
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 6 });
    const rows = db.prepare('SELECT seq, action, prev_hash, hash FROM audit ORDER BY seq').all() as { action: string; prev_hash: string; hash: string }[];
    expect(rows.map((row) => row.action)).toEqual(['store.baseline', 'store.baseline', 'store.baseline', 'first', 'second', 'third']);
    expect(rows[4]!.prev_hash).toBe(rows[3]!.hash);
    db.close();
  });

  it('refuses updates and deletes through the app connection', () => {
    const db = freshDb();
    audit(db, 'first');
    expect(() => db.prepare("UPDATE audit SET actor = 'mallory'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    db.close();
  });

  it('detects an edited, a deleted and a reordered entry made with a plain SQLite client', () => {
    const cases: [string, (raw: Database.Database) => void, RegExp][] = [
      ['edit', (raw) => raw.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 2").run(), /entry 2 was changed/],
      ['delete', (raw) => raw.prepare('DELETE FROM audit WHERE seq = 2').run(), /entry 2 is missing/],
      ['reorder', (raw) => raw.exec('UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -1;'), /entry 2 does not follow/],
    ];
    for (const [, tamper, problem] of cases) {
      const file = join(tempFolder(), 'store.sqlite');
      const db = openDatabase(file);
      for (const action of ['a', 'b', 'c', 'd']) audit(db, action);
      db.close();
      const raw = new Database(file);
      raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
      tamper(raw);
      raw.close();
      const reopened = openDatabase(file);
      const verdict = verifyAudit(reopened);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) {
        expect(verdict.firstBrokenSeq).toBeGreaterThanOrEqual(2);
        expect(verdict.problem).toMatch(problem);
      }
      reopened.close();
    }
  });
});

describe('the row state in the audit trail', () => {
  it('vouches for each row a change wrote, and for its deletion, by table and key', () => {
    const db = freshDb();
    const change = (sql: string) => db.transaction(() => {
      db.prepare(sql).run();
      appendAudit(db, { actor: 'tester', action: 'change', entity: 'thing' });
    })();
    change("INSERT INTO participants (id, subject_code, baseline_date) VALUES (7, '007', '2024-01-01')");
    change("INSERT INTO settings (key, value) VALUES ('charter', '{}') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    change("INSERT INTO settings (key, value) VALUES ('charter', '[]') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    change('DELETE FROM participants WHERE id = 7');
    const states = db.prepare("SELECT state FROM audit WHERE action = 'change' ORDER BY seq").pluck().all() as string[];
    expect(states.map((state) => (JSON.parse(state) as [string, string, string | null][]).map(([table, key, digest]) => [table, key, digest === null ? null : digest.length]))).toEqual([
      [['participants', '7', 64]],
      [['settings', 'charter', 64]],
      [['settings', 'charter', 64]],
      [['participants', '7', null]],
    ]);
    expect(rowStateProblems(db)).toEqual([]);
    // A write the trail was not told about (no audit entry in its transaction) is found like an outside edit.
    db.prepare("UPDATE settings SET value = '{\"x\":1}' WHERE key = 'charter'").run();
    expect(rowStateProblems(db)).toEqual(['settings row charter: changed outside the app']);
    db.close();
  });
});

