import { describe, expect, it } from 'vitest';
import { ApiRequestError, createClient } from '../../shared/client';
import { contract, isRequestName, requestNames } from '../../shared/contract';
import { REQUEST_NAMES } from '../helpers/request-names';

describe('the contract', () => {
  it('holds exactly the requests written out in the test helper, and recognises only those names', () => {
    expect(requestNames).toEqual(REQUEST_NAMES);
    expect(REQUEST_NAMES.every(isRequestName)).toBe(true);
    for (const name of ['hasOwnProperty', '__proto__', 'constructor', '', 7, undefined]) expect(isRequestName(name)).toBe(false);
  });

  it('rejects extra keys so a typo never passes silently', () => {
    expect(contract.listSeries.request.safeParse({ surprise: true }).success).toBe(false);
    expect(contract.importFolder.request.safeParse({ folder: '/a', fodler: '/b' }).success).toBe(false);
  });
});

describe('the typed client', () => {
  it('sends each request by name and unwraps a successful envelope', async () => {
    const sent: [string, unknown][] = [];
    const client = createClient(async (name, payload) => {
      sent.push([name, payload]);
      return { ok: true, value: [] };
    });
    expect(Object.keys(client).sort()).toEqual([...REQUEST_NAMES].sort());
    expect(await client.listSeries({})).toEqual([]);
    expect(sent).toEqual([['listSeries', {}]]);
  });

  it('turns an error envelope into an ApiRequestError carrying the code and message', async () => {
    const client = createClient(async () => ({ ok: false, error: { code: 'not_found', message: 'Series 4 is not in the store.' } }));
    const error = await client.seriesImages({ seriesId: 4 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ request: 'seriesImages', code: 'not_found', message: 'Series 4 is not in the store.' });
  });
});
