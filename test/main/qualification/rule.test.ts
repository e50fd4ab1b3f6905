// The qualification rule on a real store: its defaults, a change only with a
// reason and audited with the old and new value, the same rule again writing
// nothing, and the charter beside it left as it was.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openWorkstation } from '../../../main/workstation';
import { createClient } from '../../../shared/client';
import { tempFolder } from '../../helpers/fixtures';

describe('the qualification rule', () => {
  it('defaults to sensitivity 0.8, 0.5 false positives per scan and 5 mm, and changes only with a reason, audited', async () => {
    const dbPath = `${tempFolder()}/store.sqlite`;
    const ws = openWorkstation({ dbPath, actor: 'local:test', rendererDir: tempFolder() });
    const client = createClient((name, payload) => ws.dispatch(name, payload));
    const charter = await client.charter({});
    expect(await client.qualificationRule({})).toEqual({ minSensitivity: 0.8, maxFalsePositivesPerScan: 0.5, pairingToleranceMm: 5 });

    const stricter = { minSensitivity: 0.9, maxFalsePositivesPerScan: 0.25, pairingToleranceMm: 4 };
    expect(await ws.dispatch('saveQualificationRule', { rule: stricter, reason: ' ' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await ws.dispatch('saveQualificationRule', { rule: { ...stricter, minSensitivity: 90 }, reason: 'percent' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await client.saveQualificationRule({ rule: stricter, reason: 'charter version 2: the sponsor asks for 0.9' })).toEqual(stricter);
    expect(await client.saveQualificationRule({ rule: stricter, reason: 'again' })).toEqual(stricter);
    expect(await client.qualificationRule({})).toEqual(stricter);
    expect(await client.charter({})).toEqual(charter);
    ws.close();

    const db = new Database(dbPath, { readonly: true });
    const entries = db.prepare("SELECT entity, entity_id AS entityId, old_value AS oldValue, new_value AS newValue, reason FROM audit WHERE action = 'qualification-rule.update'").all();
    expect(entries).toEqual([
      {
        entity: 'settings',
        entityId: 'qualification_rule',
        oldValue: JSON.stringify({ minSensitivity: 0.8, maxFalsePositivesPerScan: 0.5, pairingToleranceMm: 5 }),
        newValue: JSON.stringify(stricter),
        reason: 'charter version 2: the sponsor asks for 0.9',
      },
    ]);
    db.close();
  });

  it('scores a qualification read for a data manager only, and only in a store that holds a set', async () => {
    const ws = openWorkstation({ dbPath: `${tempFolder()}/trial.sqlite`, actor: 'local:test', rendererDir: tempFolder() });
    const client = createClient((name, payload) => ws.dispatch(name, payload));
    expect(await ws.dispatch('qualificationScore', {})).toMatchObject({ ok: false, error: { code: 'forbidden', message: "A qualification score is for a data manager: it shows the set's truth, which its reader must not see." } });
    const manager = await client.createReader({ name: 'Dr Manager', role: 'data_manager', secret: 'manager secret' });
    await client.chooseReader({ readerId: manager.id, secret: 'manager secret' });
    expect(await ws.dispatch('qualificationScore', {})).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This store holds no qualification set: qualification sets are read and scored in a store of their own.' } });
    expect(await client.qualificationSet({})).toBeNull();
    ws.close();
  });
});
