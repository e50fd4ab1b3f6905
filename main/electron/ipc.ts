// The IPC transport: one ipcMain handler per contract request, all going to
// the same dispatcher the browser host uses. Only the app's own top frame
// may call; anything else gets a refusal, never a service call.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { type Envelope, IPC_PREFIX, requestNames } from '../../shared/contract';
import type { Dispatch } from '../services/dispatch';
import { isAppUrl } from './security';

const UNTRUSTED: Envelope = { ok: false, error: { code: 'invalid_request', message: 'Request refused: it did not come from the LesionTrack window.' } };

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  for (const name of requestNames) {
    ipcMain.handle(`${IPC_PREFIX}${name}`, (event, payload: unknown) => (isTrustedSender(event) ? dispatch(name, payload) : UNTRUSTED));
  }
}
