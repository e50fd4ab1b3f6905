import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient, ApiRequestError } from '../../../shared/client';
import { openWorkstation } from '../../../main/workstation';
import { geSeries, tempFolder } from '../../helpers/fixtures';

function workstation(host = {}) {
  const folder = tempFolder();
  return openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'tester', rendererDir: folder, host });
}

describe('dispatch', () => {
  it('refuses unknown requests and prototype names', async () => {
    const ws = workstation();
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const envelope = await ws.dispatch(name, {});
      expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    ws.close();
  });

  it('answers with readable errors for a folder that is not there, not absolute, or a file', async () => {
    const ws = workstation();
    const client = createClient((name, payload) => ws.dispatch(name, payload));
    await expect(client.importFolder({ folder: '/no/such/folder' })).rejects.toMatchObject({ code: 'not_found', message: 'Folder not found: /no/such/folder' });
    await expect(client.importFolder({ folder: 'relative/path' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.importFolder({ folder: join(geSeries, 'brain_001.dcm') })).rejects.toMatchObject({ code: 'invalid_request', message: /^Not a folder/ });
    await expect(client.seriesImages({ seriesId: 999 })).rejects.toBeInstanceOf(ApiRequestError);
    ws.close();
  });

  it('runs a valid request through the typed client', async () => {
    const ws = workstation();
    const client = createClient((name, payload) => ws.dispatch(name, payload));
    const summary = await client.importFolder({ folder: geSeries });
    expect(summary.instancesAdded).toBe(20);
    const [series] = await client.listSeries({});
    const { images } = await client.seriesImages({ seriesId: series!.id });
    expect(images).toHaveLength(20);
    expect(await client.chooseFolder({})).toEqual({ supported: false, folder: null });
    ws.close();
  });

  it('uses the host folder dialog where there is one', async () => {
    const ws = workstation({ chooseFolder: async () => '/media/cdrom' });
    expect(await ws.dispatch('chooseFolder', {})).toEqual({ ok: true, value: { supported: true, folder: '/media/cdrom' } });
    ws.close();
  });

  it('hides internal errors behind a plain message and logs only their kind', async () => {
    const lines: string[] = [];
    const folder = tempFolder();
    const ws = openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'tester', rendererDir: folder, log: (line) => lines.push(line) });
    ws.db.close(); // every query now fails
    const envelope = await ws.dispatch('listSeries', {});
    expect(envelope).toEqual({ ok: false, error: { code: 'failed', message: 'listSeries failed: internal error.' } });
    expect(lines).toEqual(['listSeries failed: TypeError']);
  });
});
