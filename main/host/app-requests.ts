// Answers the app's own GET requests, the same way in both hosts: the built
// renderer's files, the bytes of a stored instance by its database id, and
// the slices of derived images (main/derived/images.ts) by their result.
// Written against the web Request/Response types so that the Electron
// protocol handler and the loopback HTTP host can both call it unchanged.
import { createReadStream, type ReadStream } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { DERIVED_PATH, type DerivedKind, INSTANCE_PATH } from '../../shared/contract';
import { derivedSliceFile } from '../derived/images';
import { blindedDicom } from '../dicom/blind-headers';
import type { Blinding } from '../reads/blinding';
import { instanceFile, verifySourceFile } from '../store/catalog';
import type { Db } from '../store/database';
import { storeIdentity } from '../store/identity';
import { COMMON_HEADERS, PAGE_CSP, WORKER_CSP } from '../../shared/security-headers';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// Scripts loaded by the page ignore their own header; a worker takes it as its policy.
const POLICY_BY_EXTENSION: Readonly<Record<string, string>> = { '.html': PAGE_CSP, '.js': WORKER_CSP, '.mjs': WORKER_CSP };

export type AppRequestHandler = (request: Request) => Promise<Response>;

export function createAppRequestHandler(options: { rendererDir: string; db: Db; blinding: Blinding }): AppRequestHandler {
  const rendererRoot = resolve(options.rendererDir);
  const store = storeIdentity(options.db);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed.');
    const url = new URL(request.url);
    if (url.pathname.startsWith(INSTANCE_PATH)) return serveInstance(options.db, store, url.pathname.slice(INSTANCE_PATH.length), options.blinding.active());
    if (url.pathname.startsWith(DERIVED_PATH)) return serveDerived(options.db, store, url.pathname.slice(DERIVED_PATH.length));
    return serveStatic(rendererRoot, url.pathname);
  };
}

async function serveInstance(db: Db, store: string, path: string, blinded: boolean): Promise<Response> {
  const match = /^([0-9a-f]{32})\/([1-9]\d{0,15})$/.exec(path);
  if (!match) return plain(400, "An instance is asked for by its store's identity and its numeric id.");
  const [, askedStore, idText] = match;
  if (askedStore !== store) return plain(404, 'This image belongs to a store that is not open now.');
  const stored = instanceFile(db, Number(idText));
  if (!stored) return plain(404, `Instance ${idText} is not in the store.`);
  const check = await verifySourceFile(stored);
  if (check !== null) return plain(409, check);
  // A blinded reader gets the file with its dates and descriptions blanked (same length); everyone else the file as it is, streamed.
  let body: BodyInit;
  if (blinded) {
    try {
      body = blindedDicom(await readFile(stored.filePath));
    } catch {
      return plain(409, 'This image cannot be shown in a blinded read: its headers could not be read to hide its dates.');
    }
  } else {
    body = Readable.toWeb(createReadStream(stored.filePath) as ReadStream) as ReadableStream<Uint8Array>;
  }
  return new Response(body, {
    status: 200,
    headers: { ...COMMON_HEADERS, 'Content-Type': 'application/dicom', 'Content-Length': String(stored.fileSize) },
  });
}

/** Written afresh from the cache at each request; the same for a blinded reader, as it carries no date or description. */
async function serveDerived(db: Db, store: string, path: string): Promise<Response> {
  const match = /^([0-9a-f]{32})\/([0-9a-f]{32})\/(comparator|difference)\/(0|[1-9]\d{0,5})$/.exec(path);
  if (!match) return plain(400, "A derived image is asked for by its store's identity, its result, what it shows (comparator or difference) and its slice number.");
  const [, askedStore, resultId, kind, slice] = match;
  if (askedStore !== store) return plain(404, 'This image belongs to a store that is not open now.');
  const file = await derivedSliceFile(db, resultId!, kind as DerivedKind, Number(slice));
  if (!file.ok) return plain(file.status, file.message);
  return new Response(new Uint8Array(file.bytes), {
    status: 200,
    headers: { ...COMMON_HEADERS, 'Content-Type': 'application/dicom', 'Content-Length': String(file.bytes.length) },
  });
}

async function serveStatic(root: string, pathname: string): Promise<Response> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return plain(400, 'Malformed path.');
  }
  const relativePath = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (relativePath.includes('\0') || relativePath.split(/[\\/]/).includes('..')) return plain(404, 'Not found.');
  const file = resolve(join(root, relativePath));
  if (!file.startsWith(root + sep)) return plain(404, 'Not found.');
  let body: Buffer;
  try {
    // A symbolic link inside the renderer folder must not lead out of it.
    const [realFile, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (!realFile.startsWith(realRoot + sep)) return plain(404, 'Not found.');
    body = await readFile(realFile);
  } catch {
    return plain(404, 'Not found.');
  }
  const extension = extname(file).toLowerCase();
  const policy = POLICY_BY_EXTENSION[extension];
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...COMMON_HEADERS, 'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream', ...(policy ? { 'Content-Security-Policy': policy } : {}) },
  });
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
