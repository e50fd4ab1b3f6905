// Each reader's reading layout per region (shared/hanging.ts), kept in the
// store so that the next read of the region hangs as the reader left it. A
// preference, not trial data: not audited, not in the row digests.
import type { HangingLayout, ParsedRequestOf, Region } from '../../shared/contract';
import { DEFAULT_LAYOUTS } from '../../shared/hanging';
import { ServiceError } from '../services/dispatch';
import type { Session } from '../services/session';
import type { Db } from '../store/database';

export function createLayouts(db: Db, session: Session) {
  const select = db.prepare<[number, Region], { layout: string }>('SELECT layout FROM reader_layouts WHERE reader_ref = ? AND region = ?');
  const upsert = db.prepare(
    `INSERT INTO reader_layouts (reader_ref, region, layout, saved_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (reader_ref, region) DO UPDATE SET layout = excluded.layout, saved_at = excluded.saved_at`,
  );
  return {
    readingLayout({ region }: ParsedRequestOf<'readingLayout'>): HangingLayout {
      const reader = session.reader();
      const row = reader ? select.get(reader.id, region) : undefined;
      return row ? (JSON.parse(row.layout) as HangingLayout) : DEFAULT_LAYOUTS[region];
    },
    saveReadingLayout({ region, layout }: ParsedRequestOf<'saveReadingLayout'>): HangingLayout {
      const reader = session.reader();
      if (!reader) throw new ServiceError('conflict', 'Choose who is reading first (the reader button at the top right): a layout is remembered for its reader.');
      upsert.run(reader.id, region, JSON.stringify(layout), new Date().toISOString());
      return layout;
    },
  };
}
