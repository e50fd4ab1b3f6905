// The store's record of subtraction results: per result id (which hashes the
// series pair, the alignment, the algorithm and the smallest lesion size),
// ready with its noise and changes, or failed with the reason. A cache, not
// trial data: neither audited nor in the row digests, and a pair keeps only
// its latest result (older ones go with their images).
import type { Change } from '../../shared/subtraction';
import type { Db } from '../store/database';
import { preparedOnce } from '../store/prepared';

export interface ResultRow {
  result_id: string;
  current_series_ref: number;
  comparator_series_ref: number;
  alignment_saved_at: string;
  algorithm: number;
  min_lesion_size_mm: number;
  state: 'ready' | 'failed';
  message: string | null;
  noise: number | null;
  slices: number | null;
  changes: string | null;
  computed_at: string;
}

/** The states a result is stored in; pending lives only in the queue. */
export const STORED_STATES = ['ready', 'failed'] as const satisfies readonly ResultRow['state'][];

const queries = preparedOnce((db) => ({
  select: db.prepare<[string], ResultRow>('SELECT * FROM subtraction_results WHERE result_id = ?'),
  insert: db.prepare(
    `INSERT OR REPLACE INTO subtraction_results (result_id, current_series_ref, comparator_series_ref, alignment_saved_at, algorithm, min_lesion_size_mm, state, message, noise, slices, changes, computed_at)
     VALUES (@result_id, @current_series_ref, @comparator_series_ref, @alignment_saved_at, @algorithm, @min_lesion_size_mm, @state, @message, @noise, @slices, @changes, @computed_at)`,
  ),
  others: db.prepare<[number, number, string], { result_id: string }>('SELECT result_id FROM subtraction_results WHERE current_series_ref = ? AND comparator_series_ref = ? AND result_id <> ?'),
  remove: db.prepare<[string]>('DELETE FROM subtraction_results WHERE result_id = ?'),
}));

export function subtractionResult(db: Db, resultId: string): ResultRow | null {
  return queries(db).select.get(resultId) ?? null;
}

/** The changes of a ready result. */
export function changesOf(row: ResultRow): Change[] {
  return row.changes === null ? [] : (JSON.parse(row.changes) as Change[]);
}

/** Stores a result as the pair's only one; answers the ids of the results it replaced, whose images are to go. */
export function saveSubtractionResult(db: Db, row: ResultRow): string[] {
  const statements = queries(db);
  return db.transaction(() => {
    const replaced = statements.others.all(row.current_series_ref, row.comparator_series_ref, row.result_id).map((other) => other.result_id);
    for (const id of replaced) statements.remove.run(id);
    statements.insert.run(row);
    return replaced;
  })();
}
