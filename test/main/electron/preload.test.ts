// The preload exposes one function and keeps the page on the app's channels.
import { beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } })),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: { invoke: electron.invoke },
}));

type Bridge = { invoke(name: unknown, payload: unknown): Promise<unknown> };
let bridge: Bridge;

beforeAll(async () => {
  await import('../../../main/electron/preload');
  bridge = electron.exposed.get('lesiontrack') as Bridge;
});

describe('preload bridge', () => {
  it('exposes exactly one global with one function', () => {
    expect([...electron.exposed.keys()]).toEqual(['lesiontrack']);
    expect(Object.keys(bridge)).toEqual(['invoke']);
  });

  it('sends a request on the prefixed channel', async () => {
    await expect(bridge.invoke('listSeries', {})).resolves.toEqual({ ok: true, value: { channel: 'lesiontrack:listSeries', payload: {} } });
  });

  it('refuses names that could reach another channel', async () => {
    electron.invoke.mockClear();
    for (const name of ['', 'a:b', '../listSeries', 'lesiontrack:listSeries', 'x'.repeat(65), 42, null, { toString: () => 'listSeries' }]) {
      await expect(bridge.invoke(name, {})).rejects.toThrow('Not a LesionTrack request name.');
    }
    expect(electron.invoke).not.toHaveBeenCalled();
  });
});
