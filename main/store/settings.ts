// The settings table, read and written here only: the trial's charter,
// visit schedule and classification rules, reader-session settings, the
// qualification rule, and the store's identity. Values are JSON; a missing key reads as its default.
import type { SessionSettings } from '../../shared/contract';
import { canonicalJson } from '../../shared/canonical-json';
import { DEFAULT_QUALIFICATION_RULE } from '../../shared/qualification-score';
import { appendAudit } from './audit';
import type { Db } from './database';
import { preparedOnce } from './prepared';

export type SettingKey = 'charter' | 'visit_schedule' | 'classification_rules' | 'session' | 'reading_layouts' | 'reading_design' | 'qualification_rule' | 'qualification_set';

const statements = preparedOnce((db) => ({
  read: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
  write: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
}));

export function readSetting<T>(db: Db, key: SettingKey, fallback: T): T {
  const row = statements(db).read.get(key);
  return row ? (JSON.parse(row.value) as T) : fallback;
}

/** Call inside the transaction that audits the change. */
export function writeSetting(db: Db, key: SettingKey, value: unknown): void {
  statements(db).write.run(key, JSON.stringify(value));
}

/**
 * A trial setting changed by a person: written with its audit entry (old and new value, the reason) in one
 * transaction; the value in force again writes nothing. Answers the value in force.
 */
export function saveAuditedSetting<T>(db: Db, key: SettingKey, value: T, fallback: T, change: { actor: string; action: string; reason: string }): T {
  const old = readSetting(db, key, fallback);
  if (canonicalJson(old) === canonicalJson(value)) return old;
  db.transaction(() => {
    writeSetting(db, key, value);
    appendAudit(db, { actor: change.actor, action: change.action, entity: 'settings', entityId: key, oldValue: old, newValue: value, reason: change.reason });
  })();
  return value;
}

/** How long a chosen reader may be idle before their secret is asked again; a trial setting. */
export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMinutes: 15 };

export const readSessionSettings = (db: Db) => readSetting(db, 'session', DEFAULT_SESSION_SETTINGS);

/** What a reader must reach on a qualification set; kept beside the charter (shared/contract/settings.ts says why). */
export const readQualificationRule = (db: Db) => readSetting(db, 'qualification_rule', DEFAULT_QUALIFICATION_RULE);

/** The store's identity, written once by migration 6 as plain hex rather than JSON; null if missing. */
export function storeUid(db: Db): string | null {
  return statements(db).read.get('store_uid')?.value ?? null;
}
