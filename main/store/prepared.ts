// Statements prepared once per store, for modules of plain functions over a
// Db (settings, catalog, audit), which have no factory to prepare them in:
// the first call on a connection prepares them, later calls reuse them.
import type { Db } from './database';

export function preparedOnce<T>(prepare: (db: Db) => T): (db: Db) => T {
  const byStore = new WeakMap<Db, T>();
  return (db) => {
    let statements = byStore.get(db);
    if (statements === undefined) {
      statements = prepare(db);
      byStore.set(db, statements);
    }
    return statements;
  };
}
