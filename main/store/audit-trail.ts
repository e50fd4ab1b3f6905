// The audit trail as an auditor reads it: newest first, filtered by
// participant, by who acted and by date, with the chain checked in full.
import type { AuditTrail, ParsedRequestOf } from '../../shared/contract';
import { type AuditRow, verifyAudit } from './audit';
import type { Db } from './database';
import { preparedOnce } from './prepared';

type Row = Omit<AuditRow, 'prev_hash' | 'hash'>;

/** Who, whose and when: from and to are inclusive dates, YYYY-MM-DD (UTC). */
export type AuditFilter = ParsedRequestOf<'auditTrail'>;

const decode = (value: string | null): unknown => (value === null ? null : (JSON.parse(value) as unknown));

const queries = preparedOnce((db) => ({
  // Entries about a participant: the participant itself, its reads (and candidates reviewed in them) and reader tracks, its lesions and their observations.
  entries: db.prepare<[{ actor: string | null; from: string | null; to: string | null; participant: string | null; limit: number }], Row>(
    `SELECT seq, at, actor, action, entity, entity_id, old_value, new_value, reason FROM audit a
      WHERE (@actor IS NULL OR a.actor = @actor)
        AND (@from IS NULL OR a.at >= @from)
        AND (@to IS NULL OR a.at < date(@to, '+1 day'))
        AND (@participant IS NULL
             OR (a.entity = 'participant' AND a.entity_id = @participant)
             OR (a.entity IN ('read', 'candidate', 'track') AND a.entity_id LIKE @participant || '/%')
             OR (a.entity = 'lesion' AND a.entity_id IN (SELECT CAST(id AS TEXT) FROM lesions WHERE participant_ref = CAST(@participant AS INTEGER)))
             OR (a.entity = 'observation' AND substr(a.entity_id, 1, instr(a.entity_id, '@') - 1) IN (SELECT CAST(id AS TEXT) FROM lesions WHERE participant_ref = CAST(@participant AS INTEGER))))
      ORDER BY seq DESC LIMIT @limit`,
  ),
  actors: db.prepare<[], { actor: string }>('SELECT DISTINCT actor FROM audit ORDER BY actor'),
  actorsByEntity: db.prepare<[], { actor: string; entity: string; entity_id: string | null }>('SELECT DISTINCT actor, entity, entity_id FROM audit'),
}));

/** Whether the one asking may see an entry: in a double read, nothing of a track they may not see (reads/tracks.ts). */
export type MaySeeEntry = (entry: { entity: string; entityId: string | null }) => boolean;

/** `maySee` null: the asker sees every entry (a single-read trial). Otherwise the newest `limit` entries they may see, and only the actors of those they may see. */
export function auditTrail(db: Db, filter: AuditFilter, maySee: MaySeeEntry | null): AuditTrail {
  const participant = filter.participantId === undefined ? null : String(filter.participantId);
  const limit = filter.limit ?? 500;
  const seen = (row: { entity: string; entity_id: string | null }) => maySee === null || maySee({ entity: row.entity, entityId: row.entity_id });
  const rows: Row[] = [];
  // No limit in SQL when entries may be hidden: the page holds `limit` entries the asker may see.
  for (const row of queries(db).entries.iterate({ actor: filter.actor ?? null, from: filter.from ?? null, to: filter.to ?? null, participant, limit: maySee === null ? limit : -1 })) {
    if (rows.length === limit) break;
    if (seen(row)) rows.push(row);
  }
  const actors = maySee === null ? queries(db).actors.all().map((row) => row.actor) : [...new Set(queries(db).actorsByEntity.all().filter(seen).map((row) => row.actor))].sort();
  const verdict = verifyAudit(db);
  return {
    entries: rows.map((row) => ({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, entity: row.entity, entityId: row.entity_id, oldValue: decode(row.old_value), newValue: decode(row.new_value), reason: row.reason })),
    actors,
    chain: verdict.ok ? { ok: true, entries: verdict.entries, firstBrokenSeq: null, problem: null } : { ok: false, entries: verdict.entries, firstBrokenSeq: verdict.firstBrokenSeq, problem: verdict.problem },
  };
}
