// Alignments between a current series and its comparator: found from the
// images (in a worker) or set by a reader, stored per ordered pair and
// audited, so that the panes line up the same way every time the pair opens.
import { roundPoint } from '../../shared/rounding';
import type { Alignment, ParsedRequestOf, SeriesPair, Transform } from '../../shared/contract';
import { runImageJob } from '../alignment/align';
import type { SliceFile } from '../alignment/volume';
import { ServiceError } from '../services/dispatch';
import type { Actor } from '../services/session';
import { appendAudit } from '../store/audit';
import { instanceFile, seriesImages, verifySourceFile } from '../store/catalog';
import type { Db } from '../store/database';

interface AlignmentRow {
  current_series_ref: number;
  comparator_series_ref: number;
  transform: string;
  source: Alignment['source'];
  score: number | null;
  saved_by: string;
  saved_at: string;
}

function view(row: AlignmentRow): Alignment {
  return {
    currentSeriesId: row.current_series_ref,
    comparatorSeriesId: row.comparator_series_ref,
    transform: JSON.parse(row.transform) as Transform,
    source: row.source,
    score: row.score,
    savedBy: row.saved_by,
    savedAt: row.saved_at,
  };
}

/** The images of a series in reading order; refused when the series is not in the store. */
function imagesOf(db: Db, seriesId: number) {
  const images = seriesImages(db, seriesId);
  if (!images) throw new ServiceError('not_found', `Series ${seriesId} is not in the store.`);
  return images;
}

/** The files of a series in reading order (the order of its volume's slices), each checked against what was imported. */
export async function seriesFiles(db: Db, seriesId: number): Promise<SliceFile[]> {
  const files = [];
  for (const image of imagesOf(db, seriesId)) {
    const stored = instanceFile(db, image.instanceId)!;
    const problem = await verifySourceFile(stored);
    if (problem !== null) throw new ServiceError('conflict', problem);
    files.push({ filePath: stored.filePath, frame: image.frame });
  }
  return files;
}

/** `closing` is the store's: a worker still aligning when it closes is stopped. */
export function createAlignments(db: Db, actor: Actor, workerFile: string | undefined, closing?: AbortSignal) {
  const select = db.prepare<[number, number], AlignmentRow>('SELECT * FROM series_alignments WHERE current_series_ref = ? AND comparator_series_ref = ?');
  const upsert = db.prepare(
    `INSERT INTO series_alignments (current_series_ref, comparator_series_ref, transform, source, score, saved_by, saved_at)
     VALUES (@current, @comparator, @transform, @source, @score, @by, @at)
     ON CONFLICT (current_series_ref, comparator_series_ref) DO UPDATE SET
       transform = excluded.transform, source = excluded.source, score = excluded.score, saved_by = excluded.saved_by, saved_at = excluded.saved_at`,
  );

  const underWay = new Map<string, Promise<Alignment>>();

  function requirePair({ currentSeriesId, comparatorSeriesId }: SeriesPair): void {
    if (currentSeriesId === comparatorSeriesId) throw new ServiceError('invalid_request', 'A series is not aligned to itself.');
    imagesOf(db, currentSeriesId);
    imagesOf(db, comparatorSeriesId);
  }

  function save(pair: SeriesPair, transform: Transform, source: Alignment['source'], score: number | null): Alignment {
    const old = select.get(pair.currentSeriesId, pair.comparatorSeriesId);
    const at = new Date().toISOString();
    db.transaction(() => {
      upsert.run({ current: pair.currentSeriesId, comparator: pair.comparatorSeriesId, transform: JSON.stringify(transform), source, score, by: actor(), at });
      appendAudit(db, {
        actor: actor(),
        action: 'alignment.save',
        entity: 'series_pair',
        entityId: `${pair.currentSeriesId}:${pair.comparatorSeriesId}`,
        oldValue: old ? { transform: JSON.parse(old.transform) as unknown, source: old.source } : null,
        newValue: { transform, source, score },
      });
    })();
    return view(select.get(pair.currentSeriesId, pair.comparatorSeriesId)!);
  }

  /** Found from the images (in the worker) and saved. */
  async function align(pair: SeriesPair): Promise<Alignment> {
    const outcome = await runImageJob({ kind: 'align', current: await seriesFiles(db, pair.currentSeriesId), comparator: await seriesFiles(db, pair.comparatorSeriesId) }, workerFile, closing);
    if (!outcome.ok) throw new ServiceError('unsupported', outcome.message);
    // The reader may have switched stores (demo in or out) while the worker ran.
    if (!db.open) throw new ServiceError('conflict', 'The data store changed while aligning; nothing was saved.');
    const { rotationDeg, translationMm, centreMm } = outcome.result.transform;
    return save(pair, { rotationDeg: roundPoint(rotationDeg, 3), translationMm: roundPoint(translationMm, 3), centreMm: roundPoint(centreMm, 3) }, 'automatic', outcome.result.score);
  }

  return {
    alignment(pair: SeriesPair): Alignment | null {
      requirePair(pair);
      const row = select.get(pair.currentSeriesId, pair.comparatorSeriesId);
      return row ? view(row) : null;
    },
    saveAlignment({ transform, ...pair }: ParsedRequestOf<'saveAlignment'>): Alignment {
      requirePair(pair);
      return save(pair, transform, 'manual', null);
    },
    autoAlign(pair: SeriesPair): Promise<Alignment> {
      requirePair(pair);
      // The reading room and the derived images' queue may ask for the same pair at once: one alignment answers both.
      const key = `${pair.currentSeriesId}:${pair.comparatorSeriesId}`;
      let aligning = underWay.get(key);
      if (!aligning) {
        aligning = align(pair).finally(() => underWay.delete(key));
        underWay.set(key, aligning);
      }
      return aligning;
    },
  };
}
