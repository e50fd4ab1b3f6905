// Migration 10 on a store written at version 9: the start-up checks run on
// the file before it is migrated, when the tables of derived images are not
// there yet, and the candidate reviews are vouched for from their first row.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeProblems } from '../../../main/reads/store-check';
import { appendAudit } from '../../../main/store/audit';
import { openDatabase, schemaVersion } from '../../../main/store/database';
import { migrations } from '../../../main/store/migrations';
import { openCheckedDatabase } from '../../../main/workstation';
import { tempFolder } from '../../helpers/fixtures';

describe('migration 10 (derived images)', () => {
  it('opens a version 9 store through the start-up checks, and finds a review added behind the app’s back', () => {
    const file = join(tempFolder(), 'store.sqlite');
    const old = openDatabase(file, migrations.filter((migration) => migration.version <= 9));
    old.transaction(() => {
      old.prepare("INSERT INTO participants (id, subject_code, baseline_date) VALUES (1, '001', '2024-01-01')").run();
      appendAudit(old, { actor: 'local:test', action: 'participant.create', entity: 'participant', entityId: 1 });
    })();
    old.close();

    const db = openCheckedDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(storeProblems(db)).toEqual([]);
    // Written with the foreign keys off, as another SQLite client could: no series or lesion behind it.
    db.pragma('foreign_keys = OFF');
    db.prepare(
      `INSERT INTO candidate_reviews (participant_ref, track, visit_code, region, current_series_ref, comparator_series_ref, centre_x, centre_y, centre_z, diameter_mm, decision, reviewed_by, reviewed_at)
       VALUES (1, 'single', 'W12', 'brain', 2, 1, 0, 0, 0, 5, 'dismissed', 'local:test', '2024-04-01T00:00:00.000Z')`,
    ).run();
    expect(storeProblems(db)).toEqual(['candidate_reviews row 1: added outside the app']);
    db.close();
  });
});
