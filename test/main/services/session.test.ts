// Reader sessions: after the trial's idle limit a chosen reader must give
// their secret again before any change (reading goes on), and an audit entry
// can name only a reader profile of its own store.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, UnknownActorError } from '../../../main/store/audit';
import { openWorkstation } from '../../../main/workstation';
import { tempFolder } from '../../helpers/fixtures';
import { READER_SECRET, trialStore } from '../../helpers/trial-store';

const MINUTE = 60_000;

describe('an idle reader session', () => {
  it('takes no change after the idle limit until the reader gives their secret again', async () => {
    let now = Date.UTC(2026, 10, 30, 9);
    const { ws, client, participantId, readerId } = await trialStore({ clock: () => now });
    const mark = () => client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W0', finding: { kind: 'measured', longestDiameterMm: 5 } } });
    await mark();
    now += 14 * MINUTE;
    await mark();
    expect((await client.listReaders({})).locked).toBe(false);

    now += 16 * MINUTE;
    expect((await client.listReaders({})).locked).toBe(true);
    await expect(mark()).rejects.toMatchObject({ code: 'reauthenticate', message: 'Your session was idle for more than 15 minutes. Give your secret again (the reader button at the top right) to go on.' });
    // Reading is not a change, and does not unlock the session.
    expect(await client.listLesions({ participantId })).toHaveLength(2);
    await expect(client.signRead({ participantId, visitCode: 'W0', region: 'brain', secret: READER_SECRET })).rejects.toMatchObject({ code: 'reauthenticate' });
    await expect(client.chooseReader({ readerId, secret: 'not my secret' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await client.listReaders({})).locked).toBe(true);

    await client.chooseReader({ readerId, secret: READER_SECRET });
    expect((await client.listReaders({})).locked).toBe(false);
    await mark();
    expect(await client.listLesions({ participantId })).toHaveLength(3);
    ws.close();
  });

  it('follows the trial setting, changed only with a reason and audited', async () => {
    let now = Date.UTC(2026, 10, 30, 9);
    const { ws, client } = await trialStore({ clock: () => now });
    expect(await client.sessionSettings({})).toEqual({ idleMinutes: 15 });
    await expect(client.saveSessionSettings({ settings: { idleMinutes: 5 }, reason: '' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.saveSessionSettings({ settings: { idleMinutes: 0 }, reason: 'too short' })).rejects.toMatchObject({ code: 'invalid_request' });
    await client.saveSessionSettings({ settings: { idleMinutes: 5 }, reason: 'shared reading room' });
    now += 6 * MINUTE;
    await expect(client.saveSessionSettings({ settings: { idleMinutes: 10 }, reason: 'again' })).rejects.toMatchObject({ code: 'reauthenticate', message: /more than 5 minutes/ });
    expect(ws.db.prepare("SELECT reason FROM audit WHERE action = 'session-settings.update'").pluck().all()).toEqual(['shared reading room']);
    ws.close();
  });
});

describe('an audit entry', () => {
  it('names only a reader profile of its own store', () => {
    const folder = tempFolder();
    const ws = openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'local:test', rendererDir: folder });
    const write = (actor: string) => ws.db.transaction(() => appendAudit(ws.db, { actor, action: 'test.write', entity: 'test' }))();
    expect(() => write('reader:1:Dr Ana Neuro')).toThrow(UnknownActorError);
    expect(() => write('reader:1:Dr Ana Neuro')).toThrow('"reader:1:Dr Ana Neuro" is not a reader profile of this store: choose a reader of this store first.');
    expect(ws.db.prepare("SELECT count(*) FROM audit WHERE action = 'test.write'").pluck().get()).toBe(0);
    write('local:test');
    ws.close();
  });
});
