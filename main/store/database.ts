// Opens the one SQLite file of the workstation with the settings clinical
// records need, and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Migration, migrations } from './migrations';
import { trackChanges } from './row-state';

/** The schema from which audit entries carry row digests (migration 7). */
export const ROW_STATE_VERSION = 7;

export type Db = Database.Database;

export class StoreError extends Error {
  override name = 'StoreError';
}

/** `check` runs on the opened file before any migration touches it, and may refuse it by throwing. */
export function openDatabase(file: string, schema: readonly Migration[] = migrations, check?: (db: Db) => void): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // WAL defaults to NORMAL, which can lose the last commits on power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    check?.(db);
    migrate(db, schema);
    if (schemaVersion(db) >= ROW_STATE_VERSION) trackChanges(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, schema: readonly Migration[]): void {
  const current = schemaVersion(db);
  const latest = schema.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreError(
      `This database was written by a newer LesionTrack (schema ${current}, this version knows up to ${latest}). ` +
        'Update LesionTrack; the database was not changed.',
    );
  }
  for (const migration of schema) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.after?.(db);
      // user_version cannot be bound as a parameter; the value is an integer from our own table.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    })();
  }
}
