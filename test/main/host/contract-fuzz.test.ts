// The contract's refusals through both transports (the IPC handlers and the
// browser host). First a hand-written table (test/helpers/invalid-payloads.ts):
// payloads every request must refuse, whatever its schema says, so a schema
// made too permissive fails here. Then random fuzzing: payloads of every
// shape, of which those the schema refuses must come back as a validation
// error, never a crash, and write nothing. The fuzzing picks its payloads
// with the schema, so it tests the transports and the dispatcher, not the
// schemas.
import { join } from 'node:path';
import type { IpcMain } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIpcHandlers } from '../../../main/electron/ipc';
import { startHttpHost, type HttpHost } from '../../../main/host/http-host';
import { openWorkstation, type Workstation } from '../../../main/workstation';
import { contract, IPC_PREFIX, type RequestName } from '../../../shared/contract';
import { seededRandom } from '../../helpers/mutate';
import { geSeries, projectRoot, tempFolder } from '../../helpers/fixtures';
import { INVALID_PAYLOADS, NOT_AN_OBJECT } from '../../helpers/invalid-payloads';
import { REQUEST_NAMES } from '../../helpers/request-names';

type Handler = (event: { senderFrame: unknown }, payload: unknown) => Promise<unknown>;

let workstation: Workstation;
let host: HttpHost;
let cookie: string;
const ipc = new Map<string, Handler>();
const appFrame = { url: 'app://lesiontrack/index.html', parent: null };

beforeAll(async () => {
  workstation = openWorkstation({ dbPath: join(tempFolder('lesiontrack-fuzz-'), 'store.sqlite'), actor: 'fuzz', rendererDir: join(projectRoot, 'dist', 'renderer') });
  registerIpcHandlers({ handle: (channel: string, handler: Handler) => ipc.set(channel, handler) } as unknown as IpcMain, workstation.dispatch);
  host = await startHttpHost(workstation);
  cookie = (await fetch(host.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
  // Something to protect: a real import, participants and their audit entries.
  expect((await workstation.dispatch('importFolder', { folder: geSeries })).ok).toBe(true);
  expect((await workstation.dispatch('saveParticipant', { subjectCode: '001', baselineDate: '2001-01-01' })).ok).toBe(true);
});

afterAll(async () => {
  await host.close();
  workstation.close();
});

/** Row counts of every table: nothing refused may change them. */
function snapshot(): Record<string, number> {
  const tables = workstation.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (workstation.db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/**
 * A refusal by the contract check (a service refusing instead would not start
 * this way), in words: sentences about fields, never a schema path such as
 * schedule.visits.1.week, nor zod's own text.
 */
const CONTRACT_REFUSAL = /^Not accepted: (?!.*(\w\.\d|\w\.\w+:|\bexpected\b|\breceived\b|Invalid (input|option|string)|Too (small|big)|Unrecognized key)).*[.)]$/s;

const contractRefusal = { ok: false, error: { code: 'invalid_request', message: expect.stringMatching(CONTRACT_REFUSAL) } };

async function expectRefusedOverIpc(name: RequestName, payload: unknown, what: string): Promise<void> {
  const answer = await ipc.get(`${IPC_PREFIX}${name}`)!({ senderFrame: appFrame }, payload);
  expect(answer, `${name}: ${what}`).toMatchObject(contractRefusal);
}

async function expectRefusedOverHttp(name: RequestName, payload: unknown, what: string): Promise<void> {
  const response = await fetch(`${host.origin}/api/${name}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(payload ?? null) });
  expect(response.status, `${name}: ${what}`).toBe(400);
  expect(await response.json(), `${name}: ${what}`).toMatchObject(contractRefusal);
}

/** Every hand-written invalid payload, with why it is wrong, for every request. */
const handWritten = REQUEST_NAMES.flatMap((name) => Object.entries({ ...NOT_AN_OBJECT, ...INVALID_PAYLOADS[name].invalid }).map(([what, payload]) => ({ name, what, payload })));

describe('hand-written invalid payloads', () => {
  it('cover every request, each beside a payload the request accepts', () => {
    expect(Object.keys(INVALID_PAYLOADS).sort()).toEqual([...REQUEST_NAMES].sort());
    for (const name of REQUEST_NAMES) {
      // The valid payload is accepted, so each invalid one is refused for the one thing it changes.
      expect(contract[name].request.safeParse(INVALID_PAYLOADS[name].valid).success, name).toBe(true);
      expect(Object.keys(INVALID_PAYLOADS[name].invalid).length, name).toBeGreaterThan(0);
    }
  });

  it('are each refused over IPC by the contract check, and nothing is written', async () => {
    const before = snapshot();
    for (const { name, what, payload } of handWritten) await expectRefusedOverIpc(name, payload, what);
    expect(snapshot()).toEqual(before);
  });

  it('are each refused over HTTP with a 400 by the contract check, and nothing is written', async () => {
    const before = snapshot();
    for (const { name, what, payload } of handWritten) await expectRefusedOverHttp(name, payload, what);
    expect(snapshot()).toEqual(before);
  });
});

/** Values of every kind, some of them hostile. */
function randomValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * 14);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return Math.floor(random() * 2 ** 53) * (random() < 0.5 ? -1 : 1);
    case 3:
      return random() * 1e9 - 5e8;
    case 4:
      return 'x'.repeat(Math.floor(random() * 200));
    case 5:
      return '../../etc/passwd';
    case 6:
      return "'); DROP TABLE audit; --";
    case 7:
      return depth < 3 ? Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1)) : [];
    case 8:
      return depth < 3 ? { [`k${Math.floor(random() * 9)}`]: randomValue(random, depth + 1) } : {};
    case 9:
      return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}');
    case 10:
      return 'x'.repeat(100_000);
    case 11:
      return -1;
    case 12:
      return 0.5;
    default:
      return '';
  }
}

/** Payloads the schema of one request refuses: random shapes, its own fields with wrong values, extra keys. */
function badPayloads(name: RequestName, random: () => number, count: number): unknown[] {
  const schema = contract[name].request;
  const fields = Object.keys((schema as unknown as { shape?: Record<string, unknown> }).shape ?? {});
  const found: unknown[] = [];
  for (let attempt = 0; found.length < count && attempt < count * 20; attempt += 1) {
    let payload: unknown;
    const kind = attempt % 4;
    if (kind === 0) payload = randomValue(random);
    else if (kind === 1) payload = Object.fromEntries(fields.map((field) => [field, randomValue(random)]));
    else if (kind === 2) payload = { ...Object.fromEntries(fields.map((field) => [field, randomValue(random)])), unexpected: randomValue(random) };
    else payload = Object.fromEntries(fields.filter(() => random() < 0.5).map((field) => [field, randomValue(random)]));
    if (!schema.safeParse(payload).success) found.push(payload);
  }
  return found;
}

const PER_REQUEST = 12;

describe('random fuzzing of the transports (payloads the schema refuses)', () => {
  it('answers each over IPC with a validation error, without a crash or a write', async () => {
    const before = snapshot();
    const random = seededRandom(20261124);
    let sent = 0;
    for (const name of REQUEST_NAMES) {
      for (const payload of badPayloads(name, random, PER_REQUEST)) {
        await expectRefusedOverIpc(name, payload, JSON.stringify(payload)?.slice(0, 120) ?? 'undefined');
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(REQUEST_NAMES.length * 8);
    expect(snapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers each over HTTP with a 400, without a crash or a write', async () => {
    const before = snapshot();
    const random = seededRandom(11242026);
    for (const name of REQUEST_NAMES) {
      for (const payload of badPayloads(name, random, PER_REQUEST)) await expectRefusedOverHttp(name, payload, JSON.stringify(payload)?.slice(0, 120) ?? 'undefined');
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses broken JSON, a wrong content type, an oversized body and an unknown request over HTTP', async () => {
    const post = (name: string, body: string, type = 'application/json') => fetch(`${host.origin}/api/${name}`, { method: 'POST', headers: { cookie, 'content-type': type }, body });
    expect((await post('listSeries', '{"broken":')).status).toBe(400);
    expect((await post('listSeries', '{}', 'text/plain')).status).toBe(400);
    expect((await post('saveParticipant', JSON.stringify({ subjectCode: 'x'.repeat(3_000_000), baselineDate: '2001-01-01' }))).status).toBe(400);
    expect((await post('dropEverything', '{}')).status).toBe(400);
  });

  it('still answers a valid request afterwards', async () => {
    const answer = (await workstation.dispatch('listSeries', {})) as { ok: boolean; value: unknown[] };
    expect(answer.ok).toBe(true);
    expect(answer.value).toHaveLength(1);
  });
});
