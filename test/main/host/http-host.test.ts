import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpHost, type HttpHost } from '../../../main/host/http-host';
import { PAGE_CSP } from '../../../shared/security-headers';
import { openWorkstation, type Workstation } from '../../../main/workstation';
import { storeIdentity } from '../../../main/store/identity';
import { instancePath } from '../../../shared/channels';
import { geSeries, tempFolder } from '../../helpers/fixtures';

let open: { host: HttpHost; ws: Workstation } | null = null;
afterEach(async () => {
  await open?.host.close();
  open?.ws.close();
  open = null;
});

async function start() {
  const folder = tempFolder();
  const rendererDir = join(folder, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>LesionTrack</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(folder, 'secret.txt'), 'outside the renderer');
  const ws = openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'tester', rendererDir });
  const host = await startHttpHost(ws);
  open = { host, ws };
  const login = await fetch(host.url, { redirect: 'manual' });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return { host, ws, folder, cookie, login, store: storeIdentity(ws.db) };
}

function api(host: HttpHost, cookie: string, name: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${host.origin}/api/${name}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** fetch() will not send a forged Host header; a raw request can. */
function rawGet(host: HttpHost, path: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(host.origin);
  return new Promise((resolve, reject) => {
    httpRequest({ host: url.hostname, port: url.port, path, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('the loopback browser host', () => {
  it('listens on 127.0.0.1 and trades its one-time link for an HttpOnly same-site cookie', async () => {
    const { host, login } = await start();
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
  });

  it('refuses everything without the cookie or with a wrong token', async () => {
    const { host } = await start();
    expect((await fetch(`${host.origin}/`)).status).toBe(403);
    expect((await fetch(`${host.origin}/?token=wrong`)).status).toBe(403);
    expect((await fetch(`${host.origin}/api/listSeries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
    expect((await fetch(`${host.origin}${instancePath('0'.repeat(32), 1)}`)).status).toBe(403);
  });

  it('refuses another host name pointing at it (DNS rebinding) and cross-origin API calls', async () => {
    const { host, cookie } = await start();
    expect(await rawGet(host, '/', { host: 'evil.example:80', cookie })).toBe(421);
    expect((await api(host, cookie, 'listSeries', {}, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('serves the renderer with the production Content-Security-Policy', async () => {
    const { host, cookie } = await start();
    const page = await fetch(`${host.origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>LesionTrack</title>');
    const script = await fetch(`${host.origin}/assets/app.js`, { headers: { cookie } });
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toMatch(/'wasm-unsafe-eval'/);
  });

  it('never serves a file outside the renderer folder', async () => {
    const { host, cookie } = await start();
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/nothing.html']) {
      const response = await fetch(`${host.origin}${path}`, { headers: { cookie } });
      expect(response.status, path).toBe(404);
    }
  });

  it('answers the contract as JSON envelopes with meaningful status codes', async () => {
    const { host, cookie } = await start();
    const ok = await api(host, cookie, 'listSeries', {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: [] });
    const invalid = await api(host, cookie, 'seriesImages', { seriesId: 'one' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect((await api(host, cookie, 'seriesImages', { seriesId: 5 })).status).toBe(404);
    expect(await (await api(host, cookie, 'listSeries', '{not json')).json()).toMatchObject({ error: { message: 'Request body is not valid JSON.' } });
    expect(await (await api(host, cookie, 'listSeries', 'x'.repeat(2 * 1024 * 1024))).json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect((await api(host, cookie, 'noSuchThing', {})).status).toBe(400);
    const wrongType = await api(host, cookie, 'listSeries', '{}', { 'content-type': 'text/plain' });
    expect(await wrongType.json()).toMatchObject({ error: { message: 'Requests are sent as JSON.' } });
    expect((await fetch(`${host.origin}/api/listSeries`, { headers: { cookie } })).status).toBe(405);
  });

  it("streams an instance by its store's identity and database id, byte for byte, and nothing by path", async () => {
    const { host, cookie, folder, store } = await start();
    const source = join(folder, 'source');
    mkdirSync(source);
    copyFileSync(join(geSeries, 'brain_002.dcm'), join(source, 'a.dcm'));
    await api(host, cookie, 'importFolder', { folder: source });
    const listed = (await (await api(host, cookie, 'seriesImages', { seriesId: 1 })).json()) as { value: { store: string } };
    expect(listed.value.store).toBe(store);
    const response = await fetch(`${host.origin}${instancePath(store, 1)}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/dicom');
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(source, 'a.dcm')))).toBe(true);
    const paths = [instancePath(store, 2), instancePath(store, 0), '/instances/1', `/instances/${store}/abc`, `/instances/${store}/1/2`, '/instances/..%2f..%2fetc%2fpasswd', `/instances/${encodeURIComponent(join(source, 'a.dcm'))}`];
    for (const path of paths) {
      const status = (await fetch(`${host.origin}${path}`, { headers: { cookie } })).status;
      expect([400, 404], path).toContain(status);
    }
  });

  it("refuses an image of another store, even at an id this store has: ids start at 1 in every store", async () => {
    const { host, cookie, folder } = await start();
    const source = join(folder, 'source');
    mkdirSync(source);
    copyFileSync(join(geSeries, 'brain_002.dcm'), join(source, 'a.dcm'));
    await api(host, cookie, 'importFolder', { folder: source });
    const response = await fetch(`${host.origin}${instancePath('f'.repeat(32), 1)}`, { headers: { cookie } });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('This image belongs to a store that is not open now.');
  });

  it('says clearly when an instance source file was changed or removed since import', async () => {
    const { host, cookie, folder, store } = await start();
    const source = join(folder, 'source');
    mkdirSync(source);
    copyFileSync(join(geSeries, 'brain_002.dcm'), join(source, 'a.dcm'));
    copyFileSync(join(geSeries, 'brain_003.dcm'), join(source, 'b.dcm'));
    await api(host, cookie, 'importFolder', { folder: source });
    const bytes = readFileSync(join(source, 'a.dcm'));
    bytes[200] = bytes[200]! ^ 0xff;
    writeFileSync(join(source, 'a.dcm'), bytes);
    rmSync(join(source, 'b.dcm'));
    const changed = await fetch(`${host.origin}${instancePath(store, 1)}`, { headers: { cookie } });
    expect(changed.status).toBe(409);
    expect(await changed.text()).toMatch(/has changed since it was imported \(different header\)/);
    const removed = await fetch(`${host.origin}${instancePath(store, 2)}`, { headers: { cookie } });
    expect(removed.status).toBe(409);
    expect(await removed.text()).toMatch(/no longer where it was imported from/);
  });
});
