// Reading layouts (shared/hanging.ts): each reader's layout per region, kept
// so that the next read of the region hangs as the reader left it, and the
// trial's default per region, set with the charter. A reader's layout is a
// preference, not trial data: neither audited nor in the row digests. The
// trial's default is a trial setting: changed with a reason, audited.
import type { DefaultLayouts, HangingLayout, ParsedRequestOf, Region } from '../../shared/contract';
import { DEFAULT_LAYOUTS } from '../../shared/hanging';
import { ServiceError } from '../services/dispatch';
import type { Session } from '../services/session';
import type { Db } from '../store/database';
import { readSetting, saveAuditedSetting } from '../store/settings';

export function createLayouts(db: Db, session: Session) {
  const select = db.prepare<[number, Region], { layout: string }>('SELECT layout FROM reader_layouts WHERE reader_ref = ? AND region = ?');
  const upsert = db.prepare(
    `INSERT INTO reader_layouts (reader_ref, region, layout, saved_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (reader_ref, region) DO UPDATE SET layout = excluded.layout, saved_at = excluded.saved_at`,
  );
  const defaults = () => readSetting<DefaultLayouts>(db, 'reading_layouts', DEFAULT_LAYOUTS);
  return {
    defaultReadingLayouts: defaults,
    saveDefaultReadingLayouts: ({ layouts, reason }: ParsedRequestOf<'saveDefaultReadingLayouts'>): DefaultLayouts =>
      saveAuditedSetting(db, 'reading_layouts', layouts, DEFAULT_LAYOUTS, { actor: session.actor(), action: 'reading-layouts.update', reason }),
    readingLayout({ region }: ParsedRequestOf<'readingLayout'>): HangingLayout {
      const reader = session.reader();
      const row = reader ? select.get(reader.id, region) : undefined;
      return row ? (JSON.parse(row.layout) as HangingLayout) : defaults()[region];
    },
    saveReadingLayout({ region, layout }: ParsedRequestOf<'saveReadingLayout'>): HangingLayout {
      const reader = session.reader();
      if (!reader) throw new ServiceError('conflict', 'Choose who is reading first (the reader button at the top right): a layout is remembered for its reader.');
      upsert.run(reader.id, region, JSON.stringify(layout), new Date().toISOString());
      return layout;
    },
  };
}
