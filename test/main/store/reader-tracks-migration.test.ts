// Migration 9 on a store written at version 8: every lesion and signature
// already there belongs to the single track, the row digests start again
// from what the store holds, and the store check passes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeProblems } from '../../../main/reads/store-check';
import { appendAudit } from '../../../main/store/audit';
import { openDatabase, schemaVersion } from '../../../main/store/database';
import { migrations } from '../../../main/store/migrations';
import { tempFolder } from '../../helpers/fixtures';

describe('migration 9 (reader tracks)', () => {
  it('puts the lesions of a version 8 store in the single track and keeps the store intact', () => {
    const file = join(tempFolder(), 'store.sqlite');
    const old = openDatabase(file, migrations.filter((migration) => migration.version <= 8));
    expect(schemaVersion(old)).toBe(8);
    old.transaction(() => {
      old.prepare("INSERT INTO participants (id, subject_code, baseline_date) VALUES (1, '001', '2024-01-01')").run();
      old.prepare("INSERT INTO lesions (id, participant_ref, region, number, label, created_by, created_at) VALUES (1, 1, 'brain', 1, 'B1', 'local:test', '2024-04-01T00:00:00.000Z')").run();
      old.prepare("INSERT INTO observations (lesion_ref, visit_code, kind, longest_diameter_mm, recorded_by, recorded_at) VALUES (1, 'W12', 'measured', 5, 'local:test', '2024-04-01T00:00:00.000Z')").run();
      appendAudit(old, { actor: 'local:test', action: 'lesion.create', entity: 'lesion', entityId: 1 });
    })();
    old.close();

    const db = openDatabase(file, migrations.filter((migration) => migration.version <= 9));
    expect(schemaVersion(db)).toBe(9);
    expect(db.prepare('SELECT label, track FROM lesions').all()).toEqual([{ label: 'B1', track: 'single' }]);
    expect(db.prepare("SELECT action FROM audit WHERE action = 'store.baseline' ORDER BY seq").pluck().all()).toHaveLength(2);
    expect(storeProblems(db)).toEqual([]);
    // A row changed behind the app's back after the migration is still found.
    db.prepare("UPDATE lesions SET track = 'reader2' WHERE id = 1").run();
    expect(storeProblems(db)).toEqual(['lesions row 1: changed outside the app']);
    db.close();
  });
});
