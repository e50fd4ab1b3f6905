// A small picture of a series' middle slice, for lists of series. Drawn by
// Cornerstone on the CPU into a canvas of its own (no WebGL context per
// thumbnail; not through loadImageToCanvas, which writes every failure to
// the console, where the placeholder already says it), only once the
// thumbnail scrolls into view, a few at a time so that a list of a hundred
// series does not queue a hundred decodes ahead of the viewer, and kept in
// the query cache for the page's life.
import { imageLoader, utilities } from '@cornerstonejs/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { SeriesSummary } from '../../../shared/contract';
import { client, imageIdsFor } from '../api';
import { queryKeys } from '../queries';
import { describeLoadError } from './load-error';

/** Device pixels of a drawn thumbnail: sharp at up to 64 CSS pixels on a 1.5x screen. */
const SIZE = 96;

/** Thumbnails drawn at once: as many as there are decode workers. */
const AT_ONCE = 2;

let running = 0;
const waiting: (() => void)[] = [];

async function fewAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (running < AT_ONCE) running += 1;
  // A finished drawing hands its place straight to the next waiting one, so none can slip in between.
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** `signal` is aborted when the query is cancelled (the store changes): an image listed by the old store is then never asked of the new one. */
async function drawMiddleSlice(seriesId: number, signal: AbortSignal): Promise<HTMLCanvasElement> {
  signal.throwIfAborted();
  const listing = await client.seriesImages({ seriesId });
  signal.throwIfAborted();
  const middle = imageIdsFor(listing)[Math.floor(listing.images.length / 2)];
  if (!middle) throw new Error('the series has no image to show.');
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  const image = await imageLoader.loadAndCacheImage(middle).catch(async (error: unknown) => {
    throw new Error(await describeLoadError(error));
  });
  await utilities.renderToCanvasCPU(canvas, image);
  return canvas;
}

export function SeriesThumbnail({ series }: { series: Pick<SeriesSummary, 'id' | 'isImage'> }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [seen, setSeen] = useState(false);
  const query = useQuery({
    queryKey: queryKeys.thumbnail(series.id),
    queryFn: ({ signal }) => fewAtATime(() => drawMiddleSlice(series.id, signal)),
    enabled: seen && series.isImage,
    staleTime: Infinity,
    gcTime: Infinity,
  });

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || seen) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setSeen(true);
    });
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [seen]);

  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (context && query.data) context.drawImage(query.data, 0, 0, SIZE, SIZE);
  }, [query.data]);

  const why = !series.isImage ? 'No pixel data: nothing to show.' : query.error ? `No thumbnail: ${query.error.message}` : null;
  if (why)
    return (
      <span className="thumbnail placeholder" role="img" aria-label={why} title={why} data-testid="thumbnail" data-state="failed">
        ×
      </span>
    );
  return <canvas ref={canvasRef} width={SIZE} height={SIZE} className="thumbnail" aria-hidden="true" data-testid="thumbnail" data-state={query.data ? 'shown' : 'loading'} />;
}
