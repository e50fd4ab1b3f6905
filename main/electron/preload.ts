// The whole bridge between the page and main: one function, invoke(name,
// payload), on the app's own IPC prefix and nothing else. It runs sandboxed
// and stays tiny: main registers a handler for each contract name only and
// validates every payload, so the preload only keeps the channel in shape.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_PREFIX } from '../../shared/channels';

const REQUEST_NAME = /^[A-Za-z]{1,64}$/;

contextBridge.exposeInMainWorld('lesiontrack', {
  invoke(name: unknown, payload: unknown): Promise<unknown> {
    if (typeof name !== 'string' || !REQUEST_NAME.test(name)) return Promise.reject(new Error('Not a LesionTrack request name.'));
    return ipcRenderer.invoke(`${IPC_PREFIX}${name}`, payload);
  },
});
