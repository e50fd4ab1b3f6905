// The IPC transport against a real workstation: the right channels, the
// same dispatcher as the browser host, and no call from a foreign frame.
import { join } from 'node:path';
import type { IpcMain } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { registerIpcHandlers } from '../../../main/electron/ipc';
import { type Workstation, openWorkstation } from '../../../main/workstation';
import { IPC_PREFIX } from '../../../shared/contract';
import { geSeries, projectRoot, tempFolder } from '../../helpers/fixtures';
import { REQUEST_NAMES } from '../../helpers/request-names';

type Handler = (event: { senderFrame: unknown }, payload: unknown) => Promise<unknown> | unknown;

const open: Workstation[] = [];
afterEach(() => open.splice(0).forEach((workstation) => workstation.close()));

function registered() {
  const workstation = openWorkstation({ dbPath: join(tempFolder(), 'store.sqlite'), actor: 'ipc-test', rendererDir: join(projectRoot, 'dist', 'renderer') });
  open.push(workstation);
  const handlers = new Map<string, Handler>();
  registerIpcHandlers({ handle: (channel: string, handler: Handler) => handlers.set(channel, handler) } as unknown as IpcMain, workstation.dispatch);
  return handlers;
}

const appFrame = { url: 'app://lesiontrack/index.html', parent: null };

describe('IPC handlers', () => {
  it('exist for every request of the contract and nothing else', () => {
    expect([...registered().keys()].sort()).toEqual(REQUEST_NAMES.map((name) => `${IPC_PREFIX}${name}`).sort());
  });

  it('answer the app window through the dispatcher', async () => {
    const handlers = registered();
    const imported = (await handlers.get(`${IPC_PREFIX}importFolder`)!({ senderFrame: appFrame }, { folder: geSeries })) as { ok: boolean; value: { instancesAdded: number } };
    expect(imported.ok).toBe(true);
    expect(imported.value.instancesAdded).toBe(20);
    const listed = (await handlers.get(`${IPC_PREFIX}listSeries`)!({ senderFrame: appFrame }, {})) as { ok: boolean; value: unknown[] };
    expect(listed).toMatchObject({ ok: true });
    expect(listed.value).toHaveLength(1);
  });

  it('reject a malformed payload with a validation error', async () => {
    const handlers = registered();
    for (const payload of [null, 42, 'x', { folder: 7 }, { folder: geSeries, extra: true }, { folder: 'x'.repeat(100_000) }]) {
      const answer = await handlers.get(`${IPC_PREFIX}importFolder`)!({ senderFrame: appFrame }, payload);
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
  });

  it('refuse frames that are not the app window', async () => {
    const handlers = registered();
    const foreign = [
      null,
      { url: 'https://example.org/', parent: null },
      { url: 'file:///tmp/page.html', parent: null },
      { url: 'app://lesiontrack.evil/index.html', parent: null },
      { url: 'app://lesiontrack/index.html', parent: appFrame },
    ];
    for (const senderFrame of foreign) {
      const answer = await handlers.get(`${IPC_PREFIX}importFolder`)!({ senderFrame }, { folder: geSeries });
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('did not come from the LesionTrack window') } });
    }
    // Nothing was imported by the refused calls.
    const listed = (await handlers.get(`${IPC_PREFIX}listSeries`)!({ senderFrame: appFrame }, {})) as { value: unknown[] };
    expect(listed.value).toHaveLength(0);
  });
});
