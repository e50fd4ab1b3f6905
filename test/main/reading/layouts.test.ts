// Each reader's reading layout per region, on a real store: remembered for
// its reader only, kept across a reopening of the store, defaults without one.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/client';
import { openWorkstation } from '../../../main/workstation';
import { tempFolder } from '../../helpers/fixtures';
import { READER_SECRET, trialStore } from '../../helpers/trial-store';

describe('reading layouts', () => {
  it('remembers a reader\'s layout per region, for that reader only, across a reopening', async () => {
    const { ws, client, dbPath } = await trialStore();
    expect(await client.readingLayout({ region: 'brain' })).toEqual({ layout: 'two', sequences: ['FLAIR', 'T2'] });
    await client.saveReadingLayout({ region: 'brain', layout: { layout: 'four', sequences: ['T2', 'FLAIR'] } });
    expect(await client.readingLayout({ region: 'brain' })).toEqual({ layout: 'four', sequences: ['T2', 'FLAIR'] });
    // Another region keeps its default.
    expect(await client.readingLayout({ region: 'spinal_cord' })).toEqual({ layout: 'two', sequences: ['STIR', 'T2'] });

    // Another reader sees the default.
    const other = await client.createReader({ name: 'Dr Other', role: 'reader', secret: READER_SECRET });
    await client.chooseReader({ readerId: other.id, secret: READER_SECRET });
    expect((await client.readingLayout({ region: 'brain' })).layout).toBe('two');
    ws.close();

    // The store reopened: the first reader chosen again finds their layout. A preference writes no audit entry.
    const reopened = openWorkstation({ dbPath, actor: 'local:test', rendererDir: tempFolder() });
    const again = createClient((name, payload) => reopened.dispatch(name, payload));
    const first = (await again.listReaders({})).readers.find((reader) => reader.name === 'Dr Reader')!;
    await again.chooseReader({ readerId: first.id, secret: READER_SECRET });
    expect(await again.readingLayout({ region: 'brain' })).toEqual({ layout: 'four', sequences: ['T2', 'FLAIR'] });
    reopened.close();
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM audit WHERE action LIKE '%layout%'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM reader_layouts').get()).toEqual({ n: 1 });
    db.close();
  });

  it('keeps nothing without a chosen reader, and says so', async () => {
    const dbPath = `${tempFolder()}/store.sqlite`;
    const ws = openWorkstation({ dbPath, actor: 'local:test', rendererDir: tempFolder() });
    const answer = await ws.dispatch('saveReadingLayout', { region: 'brain', layout: { layout: 'four', sequences: [] } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Choose who is reading first (the reader button at the top right): a layout is remembered for its reader.' } });
    expect(await ws.dispatch('readingLayout', { region: 'optic_nerve' })).toEqual({ ok: true, value: { layout: 'two', sequences: ['STIR', 'T2', 'FLAIR'] } });
    ws.close();
  });
});
