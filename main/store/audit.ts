// The audit trail: append-only and hash-chained. Call appendAudit inside the
// same transaction as the change it records: it also takes the digests of the
// rows that change wrote (row-state.ts), so the chain vouches for the tables.
import { createHash } from 'node:crypto';
import type { Db } from './database';
import { preparedOnce } from './prepared';
import { takeChangedRows } from './row-state';

/** An audit entry may name a reader only as a profile of this store. */
export class UnknownActorError extends Error {
  override name = 'UnknownActorError';
}

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | number | null;
  oldValue?: unknown;
  newValue?: unknown;
  reason?: string | null;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  /** JSON [table, key, digest | null][] of the rows the change wrote; null before schema 7 and for entries that wrote none. */
  state: string | null;
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

function rowHash(row: Omit<AuditRow, 'hash'>): string {
  // A fixed field order, so the same row always gives the same hash; entries without row state hash as they did before it existed.
  const fields = [row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.old_value, row.new_value, row.reason, row.prev_hash];
  if (typeof row.state === 'string') fields.push(row.state);
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

const READER_ACTOR = /^reader:(\d+):(.*)$/s;

/** What every change asks of the trail; prepared at the first entry, which a store of schema 7 or later is at. */
const appending = preparedOnce((db) => ({
  reader: db.prepare<[number, string], unknown>('SELECT 1 FROM readers WHERE id = ? AND name = ?'),
  last: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1'),
  insert: db.prepare(
    `INSERT INTO audit (seq, at, actor, action, entity, entity_id, old_value, new_value, reason, state, prev_hash, hash)
     VALUES (@seq, @at, @actor, @action, @entity, @entity_id, @old_value, @new_value, @reason, @state, @prev_hash, @hash)`,
  ),
}));

function assertKnownActor(db: Db, actor: string): void {
  const reader = READER_ACTOR.exec(actor);
  if (reader && !appending(db).reader.get(Number(reader[1]), reader[2]!)) {
    throw new UnknownActorError(`"${actor}" is not a reader profile of this store: choose a reader of this store first.`);
  }
}

function encode(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function appendAudit(db: Db, entry: AuditEntry, now: Date = new Date()): number {
  if (!db.inTransaction) throw new Error('appendAudit must run inside the transaction of the change it records');
  assertKnownActor(db, entry.actor);
  const changed = takeChangedRows(db);
  const last = appending(db).last.get();
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    old_value: encode(entry.oldValue),
    new_value: encode(entry.newValue),
    reason: entry.reason ?? null,
    state: changed.length > 0 ? JSON.stringify(changed) : null,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  appending(db).insert.run({ ...row, hash: rowHash(row) });
  return row.seq;
}

export type AuditVerdict = { ok: true; entries: number } | { ok: false; entries: number; firstBrokenSeq: number; problem: string };

/** Walks the chain from the start; reports the first entry that does not fit. */
export function verifyAudit(db: Db): AuditVerdict {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    entries += 1;
    if (row.seq !== expectedSeq) {
      return { ok: false, entries, firstBrokenSeq: row.seq, problem: `entry ${expectedSeq} is missing (found ${row.seq} next)` };
    }
    if (row.prev_hash !== expectedPrev) {
      return { ok: false, entries, firstBrokenSeq: row.seq, problem: `entry ${row.seq} does not follow the entry before it` };
    }
    const { hash, ...rest } = row;
    if (rowHash(rest) !== hash) {
      return { ok: false, entries, firstBrokenSeq: row.seq, problem: `entry ${row.seq} was changed after it was written` };
    }
    expectedPrev = hash;
    expectedSeq += 1;
  }
  return { ok: true, entries };
}
