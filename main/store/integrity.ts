// The store's health at start: SQLite's own structural check and the audit
// chain. A damaged store is not opened; the reader is offered the latest
// backup instead (see backups.ts), so nothing is read from or written to a
// file that is already wrong.
import { verifyAudit } from './audit';
import type { Db } from './database';

export interface StoreHealth {
  ok: boolean;
  /** Plain sentences, for the dialog and the log (no patient data: SQLite and audit positions only). */
  problems: string[];
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
  return { ok: problems.length === 0, problems };
}

function hasAuditTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get() !== undefined;
}
