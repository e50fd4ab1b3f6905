// The store's health at start: SQLite's own structural check, the audit
// chain, and every reading row against the digests the chain vouches for
// (row-state.ts). A damaged store is not opened; the reader is offered the latest
// backup instead (see backups.ts), so nothing is read from or written to a
// file that is already wrong.
import { verifyAudit } from './audit';
import { type Db, ROW_STATE_VERSION, schemaVersion } from './database';
import { rowStateProblems } from './row-state';

export interface StoreHealth {
  ok: boolean;
  /** Plain sentences, for the dialog and the log (no patient data: SQLite and audit positions, tables and keys only). */
  problems: string[];
  /** SQLite's check passed and the audit chain is whole: what the tables hold can be read, and compared. */
  readable: boolean;
}

const MAX_REPORTED = 5;

export function checkStore(db: Db): StoreHealth {
  const problems: string[] = [];
  try {
    const rows = db.pragma(`quick_check(${MAX_REPORTED})`) as { quick_check: string }[];
    const messages = rows.map((row) => row.quick_check).filter((message) => message !== 'ok');
    problems.push(...messages.map((message) => `SQLite integrity check: ${message}`));
  } catch (error) {
    problems.push(`SQLite integrity check could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (problems.length === 0 && hasAuditTable(db)) {
    const verdict = verifyAudit(db);
    if (!verdict.ok) problems.push(`Audit trail broken at entry ${verdict.firstBrokenSeq}: ${verdict.problem}`);
  }
  const readable = problems.length === 0;
  // Only a chain found intact can vouch for the rows.
  if (readable && hasAuditTable(db) && schemaVersion(db) >= ROW_STATE_VERSION) problems.push(...rowStateProblems(db));
  return { ok: problems.length === 0, problems, readable };
}

function hasAuditTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get() !== undefined;
}
