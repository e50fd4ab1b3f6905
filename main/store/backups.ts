// Copies of the store beside it, taken with SQLite's online backup (a
// consistent snapshot even while the app writes), and the way back to one
// when the store is damaged. The damaged file is moved aside, never deleted.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './database';
import { checkStore } from './integrity';

/** How many backups are kept; older ones are removed after a new one is written. */
export const BACKUPS_KEPT = 14;
/** A new backup at start when the newest is older than this. */
export const BACKUP_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface Backup {
  path: string;
  takenAt: Date;
}

export function backupFolder(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

const BACKUP_NAME = /^(.+)-(\d{8}T\d{6}Z)\.sqlite$/;

/** Backups of this store, newest first. */
export function listBackups(dbPath: string): Backup[] {
  const folder = backupFolder(dbPath);
  if (!existsSync(folder)) return [];
  const base = basename(dbPath, '.sqlite');
  return readdirSync(folder)
    .map((name) => ({ name, match: BACKUP_NAME.exec(name) }))
    .filter((entry) => entry.match?.[1] === base)
    .map(({ name, match }) => {
      const [, , digits] = match!;
      const iso = `${digits!.slice(0, 4)}-${digits!.slice(4, 6)}-${digits!.slice(6, 8)}T${digits!.slice(9, 11)}:${digits!.slice(11, 13)}:${digits!.slice(13, 15)}Z`;
      return { path: join(folder, name), takenAt: new Date(iso) };
    })
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

export async function backupStore(db: Db, dbPath: string, at: Date = new Date()): Promise<Backup> {
  const folder = backupFolder(dbPath);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${basename(dbPath, '.sqlite')}-${stamp(at)}.sqlite`);
  await db.backup(path);
  for (const old of listBackups(dbPath).slice(BACKUPS_KEPT)) rmSync(old.path, { force: true });
  return { path, takenAt: at };
}

/** A copy taken synchronously (VACUUM INTO) before the schema of an existing store is migrated. */
export function backupBeforeMigration(db: Db, dbPath: string, at: Date = new Date()): Backup {
  const folder = backupFolder(dbPath);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${basename(dbPath, '.sqlite')}-${stamp(at)}.sqlite`);
  // The schema version it was taken at is in the copy itself (PRAGMA user_version).
  db.prepare('VACUUM INTO ?').run(path);
  return { path, takenAt: at };
}

/** A backup at start, unless a recent one exists. */
export async function backupIfDue(db: Db, dbPath: string, now: Date = new Date()): Promise<Backup | null> {
  const newest = listBackups(dbPath)[0];
  if (newest && now.getTime() - newest.takenAt.getTime() < BACKUP_INTERVAL_MS) return null;
  return backupStore(db, dbPath, now);
}

/** The newest backup that passes the same checks as the store itself. */
export function latestHealthyBackup(dbPath: string): Backup | null {
  for (const backup of listBackups(dbPath)) {
    let db: Db | null = null;
    try {
      db = new Database(backup.path, { readonly: true, fileMustExist: true });
      if (checkStore(db).ok) return backup;
    } catch {
      // Unreadable: try the next older one.
    } finally {
      db?.close();
    }
  }
  return null;
}

/** Moves the store (and its WAL files) aside and puts the backup in its place; returns where the old store went. */
export function restoreBackup(dbPath: string, backupPath: string, at: Date = new Date()): string {
  if (!statSync(backupPath).isFile()) throw new Error(`Not a backup file: ${backupPath}`);
  const aside = `${dbPath}.damaged-${stamp(at)}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, aside + suffix);
  }
  copyFileSync(backupPath, dbPath);
  return aside;
}
