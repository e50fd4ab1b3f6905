// How the renderer reaches main: the typed contract client over whichever
// transport this page has. In Electron the preload exposes
// window.lesiontrack.invoke (IPC); in the browser host the same requests are
// POSTed to /api/<name> on the page's own origin, authenticated by the
// host's HttpOnly session cookie.
import { type Client, type Transport, createClient } from '../../shared/client';
import { type DerivedKind, type Envelope, ErrorCode, type RequestName, type SeriesImages, derivedPath, instancePath } from '../../shared/contract';

/** What the Electron preload exposes through contextBridge. */
export interface PreloadBridge {
  invoke(name: string, payload: unknown): Promise<Envelope>;
}

declare global {
  interface Window {
    lesiontrack?: PreloadBridge;
  }
}

function failure(code: ErrorCode, message: string): Envelope {
  return { ok: false, error: { code, message } };
}

const ERROR_CODES: readonly string[] = ErrorCode.options;

/** The envelope in a parsed answer, or null when the answer is not one. */
export function asEnvelope(value: unknown): Envelope | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as { ok?: unknown; value?: unknown; error?: unknown };
  if (candidate.ok === true && 'value' in candidate) return { ok: true, value: candidate.value };
  if (candidate.ok === false && typeof candidate.error === 'object' && candidate.error !== null) {
    const { code, message } = candidate.error as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && ERROR_CODES.includes(code) && typeof message === 'string') {
      return failure(code as ErrorCode, message);
    }
  }
  return null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function ipcTransport(bridge: PreloadBridge): Transport {
  return async (name, payload) => {
    try {
      return asEnvelope(await bridge.invoke(name, payload)) ?? failure('failed', `The app answered ${name} with something that is not a result.`);
    } catch (error) {
      return failure('failed', `The request ${name} did not reach the app: ${errorText(error)}`);
    }
  };
}

export function httpTransport(fetchImpl: typeof fetch = (input, init) => fetch(input, init)): Transport {
  return async (name: RequestName, payload: unknown) => {
    let response: Response;
    try {
      response = await fetchImpl(`/api/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload ?? {}),
        credentials: 'same-origin',
      });
    } catch (error) {
      return failure('failed', `Cannot reach the LesionTrack host (${errorText(error)}). Is it still running?`);
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      const detail = text.trim().slice(0, 300) || response.statusText || 'no explanation';
      return failure('failed', `The host answered ${name} with HTTP ${response.status}: ${detail}`);
    }
    return asEnvelope(parsed) ?? failure('failed', `The host answered ${name} with HTTP ${response.status} and no result.`);
  };
}

function pickTransport(): Transport {
  const bridge = typeof window !== 'undefined' ? window.lesiontrack : undefined;
  return bridge ? ipcTransport(bridge) : httpTransport();
}

const lockListeners = new Set<() => void>();

/** Hears every refusal that says the reader's session is locked (idle past the trial's limit), wherever it came from. */
export function onSessionLocked(listener: () => void): () => void {
  lockListeners.add(listener);
  return () => lockListeners.delete(listener);
}

function noticingLocks(transport: Transport): Transport {
  return async (name, payload) => {
    const envelope = await transport(name, payload);
    if (!envelope.ok && envelope.error.code === 'reauthenticate') for (const listener of lockListeners) listener();
    return envelope;
  };
}

/** True inside the Electron shell, where main can open the platform's folder dialog. */
export const runsInDesktopShell = typeof window !== 'undefined' && window.lesiontrack !== undefined;

export const client: Client = createClient(noticingLocks(pickTransport()));

/**
 * Cornerstone image ids for a series' images, in order. Both hosts serve an
 * instance's bytes at /instances/<store>/<id> on the page's own origin
 * (shared/channels.ts instancePath: the store that listed the images).
 *
 * Every id carries `?frame=N` (1-based), the form the wadouri loader parses.
 * The loader fetches and caches the file once, under the URL without the
 * parameter, and decodes frame N. Its metadata provider, given a frame,
 * merges that frame's functional groups (position, orientation, spacing,
 * window) into the dataset; given none, it reads only the top level of the
 * file. That is all a classic single-frame image has (there `frame=1`
 * changes nothing), but an enhanced multi-frame instance keeps its geometry
 * per frame, so even its first frame needs the parameter.
 */
export function imageIdsFor({ store, images }: Pick<SeriesImages, 'store' | 'images'>, pageUrl: string = location.href): string[] {
  return images.map((image) => wadouriId(instancePath(store, image.instanceId), image.frame, pageUrl));
}

/**
 * Cornerstone image ids for the slices of a derived image (shared/channels.ts
 * derivedPath): one single-frame file per slice of the current series, in its
 * order, loaded exactly as an instance is.
 */
export function derivedImageIdsFor(store: string, resultId: string, kind: DerivedKind, slices: number, pageUrl: string = location.href): string[] {
  return Array.from({ length: slices }, (_, slice) => wadouriId(derivedPath(store, resultId, kind, slice), 1, pageUrl));
}

function wadouriId(path: string, frame: number, pageUrl: string): string {
  return `wadouri:${new URL(path, pageUrl).href}?frame=${frame}`;
}
