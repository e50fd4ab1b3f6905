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

  it('hangs the trial\'s default for a reader without a layout of their own, changed only with a reason and audited', async () => {
    const { ws, client, dbPath } = await trialStore();
    const defaults = await client.defaultReadingLayouts({});
    expect(defaults.spinal_cord).toEqual({ layout: 'two', sequences: ['STIR', 'T2'] });
    const layouts = { ...defaults, spinal_cord: { layout: 'four' as const, sequences: ['T2' as const, 'STIR' as const] } };
    await client.saveDefaultReadingLayouts({ layouts, reason: 'charter version 2: all cord visits at once' });
    expect(await client.readingLayout({ region: 'spinal_cord' })).toEqual({ layout: 'four', sequences: ['T2', 'STIR'] });
    // The reader's own layout still wins over the default; saving the same defaults again writes nothing.
    await client.saveReadingLayout({ region: 'spinal_cord', layout: { layout: 'two', sequences: ['STIR'] } });
    expect((await client.readingLayout({ region: 'spinal_cord' })).layout).toBe('two');
    await client.saveDefaultReadingLayouts({ layouts, reason: 'again' });
    const refused = await ws.dispatch('saveDefaultReadingLayouts', { layouts, reason: '  ' });
    expect(refused.ok).toBe(false);
    ws.close();
    const db = new Database(dbPath, { readonly: true });
    const entries = db.prepare("SELECT actor, reason FROM audit WHERE action = 'reading-layouts.update'").all();
    expect(entries).toEqual([{ actor: expect.stringMatching(/^reader:\d+:Dr Reader$/), reason: 'charter version 2: all cord visits at once' }]);
    db.close();
  });
});
