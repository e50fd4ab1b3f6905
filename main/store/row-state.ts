// Tamper evidence for the tables that hold the trial's reading data, not only
// for the audit table: every audit entry carries a digest of each row its
// change wrote (or null for a row it deleted), so replaying the hash-chained
// trail gives the digest every live row must have. A row changed, added or
// deleted outside the app no longer matches, and is named by table and key.
//
// Which rows a change wrote is recorded by TEMP triggers: they live only in
// the app's own connection, so an edit made with another SQLite client is
// never recorded, and so never vouched for by the next audit entry.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import type { Db } from './database';

/** The protected tables and the columns of each one's key. */
export const PROTECTED_TABLES: Readonly<Record<string, readonly string[]>> = {
  participants: ['id'],
  patient_links: ['patient_ref'],
  study_decisions: ['study_ref'],
  series_decisions: ['series_ref'],
  settings: ['key'],
  readers: ['id'],
  lesions: ['id'],
  observations: ['id'],
  signatures: ['id'],
  reader_tracks: ['participant_ref', 'track'],
  series_alignments: ['current_series_ref', 'comparator_series_ref'],
  candidate_reviews: ['id'],
  vertebral_rulers: ['id'],
  nerve_traces: ['id'],
};

/** [table, key, digest of the row or null when the change deleted it] */
export type RowState = [string, string, string | null];

/** A row's key as one text (columns joined by /), read from the row itself or from a trigger's NEW or OLD. */
function keyOf(table: string, prefix = ''): string {
  return `CAST(${PROTECTED_TABLES[table]!.map((column) => `${prefix}${column}`).join(" || '/' || ")} AS TEXT)`;
}

/** The protected tables this store has: a migration that starts row digests runs before later migrations add theirs. */
function presentTables(db: Db): string[] {
  const present = db.prepare<[string], { name: string }>("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name = ?");
  return Object.keys(PROTECTED_TABLES).filter((table) => present.get(table) !== undefined);
}

/** Creates the change log and its triggers for this connection (again at every open: TEMP objects die with it). */
export function trackChanges(db: Db): void {
  // No unique key: an upsert's own ON CONFLICT clause would override a trigger's OR IGNORE, so duplicates are removed on reading.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS changed_rows (tbl TEXT NOT NULL, key TEXT NOT NULL)');
  for (const table of presentTables(db)) {
    const record = (row: 'NEW' | 'OLD') => `INSERT INTO changed_rows VALUES ('${table}', ${keyOf(table, `${row}.`)});`;
    db.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS track_${table}_insert AFTER INSERT ON main.${table} BEGIN ${record('NEW')} END;
      CREATE TEMP TRIGGER IF NOT EXISTS track_${table}_update AFTER UPDATE ON main.${table} BEGIN ${record('OLD')} ${record('NEW')} END;
      CREATE TEMP TRIGGER IF NOT EXISTS track_${table}_delete AFTER DELETE ON main.${table} BEGIN ${record('OLD')} END;
    `);
  }
}

function digest(row: unknown): string {
  return createHash('sha256').update(canonicalJson(row)).digest('hex');
}

/** Marks every row of the protected tables as changed: the baseline a store starts its row history from. */
export function markEveryRow(db: Db): void {
  for (const table of presentTables(db)) {
    db.prepare(`INSERT INTO temp.changed_rows SELECT '${table}', ${keyOf(table)} FROM main.${table}`).run();
  }
}

/** The rows changed since the last call, with their digests now; empties the log. */
export function takeChangedRows(db: Db): RowState[] {
  const tracked = db.prepare("SELECT 1 FROM sqlite_temp_master WHERE type = 'table' AND name = 'changed_rows'").get();
  if (!tracked) return [];
  const changed = db.prepare<[], { tbl: string; key: string }>('SELECT DISTINCT tbl, key FROM temp.changed_rows ORDER BY tbl, key').all();
  db.prepare('DELETE FROM temp.changed_rows').run();
  return changed.map(({ tbl, key }) => {
    const columns = PROTECTED_TABLES[tbl]!;
    // Column by column, so that SQLite uses the key's index.
    const row = db.prepare(`SELECT * FROM main.${tbl} WHERE ${columns.map((column) => `${column} = ?`).join(' AND ')}`).get(...key.split('/'));
    return [tbl, key, row === undefined ? null : digest(row)];
  });
}

/**
 * Replays the row digests of the audit trail and compares them with the live
 * tables; each difference in words, naming table and key.
 */
export function rowStateProblems(db: Db): string[] {
  const expected = new Map<string, string | null>();
  for (const { state } of db.prepare<[], { state: string }>('SELECT state FROM audit WHERE state IS NOT NULL ORDER BY seq').iterate()) {
    for (const [table, key, rowDigest] of JSON.parse(state) as RowState[]) expected.set(`${table}\u0000${key}`, rowDigest);
  }
  const problems: string[] = [];
  // A store checked before its migrations (every start) lacks the tables later ones add: no rows there, and any the trail vouches for were deleted.
  const present = new Set(presentTables(db));
  for (const table of Object.keys(PROTECTED_TABLES)) {
    const live = new Set<string>();
    const rows = present.has(table) ? db.prepare<[], Record<string, unknown>>(`SELECT *, ${keyOf(table)} AS row_key_ FROM main.${table}`).iterate() : [];
    for (const row of rows) {
      const { row_key_: rowKey, ...columns } = row;
      const id = `${table}\u0000${String(rowKey)}`;
      live.add(id);
      const want = expected.get(id);
      if (want === undefined || want === null) problems.push(`${table} row ${String(rowKey)}: added outside the app`);
      else if (want !== digest(columns)) problems.push(`${table} row ${String(rowKey)}: changed outside the app`);
    }
    for (const [id, want] of expected) {
      const [expectedTable, expectedKey] = id.split('\u0000') as [string, string];
      if (expectedTable === table && want !== null && !live.has(id)) problems.push(`${table} row ${expectedKey}: deleted outside the app`);
    }
  }
  return problems;
}
