// The browser host: the same contract and the same app requests as the
// Electron shell, over HTTP on 127.0.0.1 only, for development and the
// end-to-end tests. A random per-run token, exchanged once for an HttpOnly
// same-site cookie, keeps other local pages and users out.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ErrorCode } from '../../shared/contract';
import type { Workstation } from '../workstation';
import { COMMON_HEADERS } from '../../shared/security-headers';

const COOKIE = 'lesiontrack_session';
const MAX_BODY_BYTES = 1024 * 1024;
/** Past this, an oversized body is cut off rather than read to its end. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;
const API_PREFIX = '/api/';

const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  reauthenticate: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported: 501,
  failed: 500,
};

export interface HttpHost {
  /** Open this once in the browser: it carries the token and sets the session cookie. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

export async function startHttpHost(workstation: Workstation, options: { port?: number } = {}): Promise<HttpHost> {
  const token = randomBytes(32).toString('base64url');
  let origin = '';
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error.');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    // Another host name pointing at 127.0.0.1 (DNS rebinding) is not us.
    if (request.headers.host !== new URL(origin).host) return send(response, 421, 'text/plain; charset=utf-8', 'Wrong host.');

    const offered = url.searchParams.get('token');
    if (offered !== null && request.method === 'GET') {
      if (!sameSecret(offered, token)) return send(response, 403, 'text/plain; charset=utf-8', 'This link is not valid for this LesionTrack host.');
      response.writeHead(303, {
        ...COMMON_HEADERS,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
      });
      response.end();
      return;
    }
    if (!sameSecret(readCookie(request.headers.cookie, COOKIE) ?? '', token)) {
      return send(response, 403, 'text/plain; charset=utf-8', 'Open LesionTrack with the link printed when the host started.');
    }

    if (url.pathname.startsWith(API_PREFIX)) return handleApi(request, response, url.pathname.slice(API_PREFIX.length));
    const appResponse = await workstation.handleAppRequest(new Request(url, { method: request.method ?? 'GET' }));
    await pipeResponse(appResponse, response, request.method === 'HEAD');
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'Requests are POSTed.');
    const requestOrigin = request.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return send(response, 403, 'text/plain; charset=utf-8', 'Cross-origin request refused.');
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendEnvelope(response, { ok: false, error: { code: 'invalid_request', message: 'Requests are sent as JSON.' } });
    }
    const body = await readBody(request);
    if (body === null) {
      return sendEnvelope(response, { ok: false, error: { code: 'invalid_request', message: `Request body larger than ${MAX_BODY_BYTES} bytes.` } });
    }
    let payload: unknown;
    try {
      payload = body.length === 0 ? undefined : JSON.parse(body);
    } catch {
      return sendEnvelope(response, { ok: false, error: { code: 'invalid_request', message: 'Request body is not valid JSON.' } });
    }
    sendEnvelope(response, await workstation.dispatch(decodeURIComponentSafe(name), payload));
  }

  // An idle connection is closed after a minute, not Node's 5 s: a client (the page, or a test in this process)
  // that was held up past the server's limit could send on a connection the server was just closing, and read a reset.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

function sendEnvelope(response: ServerResponse, envelope: { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string } }): void {
  const status = envelope.ok ? 200 : STATUS_OF[envelope.error.code];
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(envelope));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

async function pipeResponse(source: Response, target: ServerResponse, headOnly: boolean): Promise<void> {
  target.writeHead(source.status, Object.fromEntries(source.headers.entries()));
  if (headOnly || !source.body) {
    target.end();
    await source.body?.cancel();
    return;
  }
  const stream = Readable.fromWeb(source.body as import('node:stream/web').ReadableStream<Uint8Array>);
  await new Promise<void>((resolvePipe, rejectPipe) => {
    stream.on('error', rejectPipe);
    target.on('close', () => {
      stream.destroy();
      resolvePipe();
    });
    stream.pipe(target);
  });
}

/** The body as text, or null when it is too large (drained, so the client can read the answer). */
async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAIN_BYTES) {
      request.destroy();
      return null;
    }
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

function sameSecret(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
