// The main area: one series in a Cornerstone3D stack viewport, its overlay,
// and a clear message instead of a blank pane when something fails.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesImage, SeriesSummary } from '../../../shared/contract';
import { client, imageIdsFor } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { errorMessage } from '../format';
import { INITIAL_STACK_STATE, StackSession, type StackState } from './stack-session';
import type { ViewerCommands } from '../commands/command-table';
import { useProvideCommands } from '../commands/use-commands';
import { ViewerOverlay } from './ViewerOverlay';

export function Viewer({ series }: { series: SeriesSummary }) {
  const elementRef = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState<StackSession | null>(null);
  const [stack, setStack] = useState<StackState>(INITIAL_STACK_STATE);
  const [images, setImages] = useState<readonly SeriesImage[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    let cancelled = false;
    let opened: StackSession | null = null;
    setStack(INITIAL_STACK_STATE);
    setListError(null);
    setLoading(true);
    client
      .seriesImages({ seriesId: series.id })
      .then((listing) => {
        if (cancelled) return;
        setImages(listing.images);
        opened = new StackSession(element, imageIdsFor(listing), (state) => {
          if (!cancelled) setStack(state);
        });
        setSession(opened);
        return opened.open();
      })
      .catch((error: unknown) => {
        if (!cancelled) setListError(errorMessage(error));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
      opened?.destroy();
      setSession(null);
    };
  }, [series.id]);

  const commands = useMemo<ViewerCommands | null>(
    () => session && { step: (delta) => session.step(delta), page: (direction) => session.page(direction), resetView: () => session.reset(), toggleInvert: () => session.toggleInvert() },
    [session],
  );
  useProvideCommands('viewer', commands);

  const failure = listError ?? stack.error;
  return (
    <div
      className="viewer"
      data-testid="viewport"
      data-series-id={series.id}
      data-slice-index={stack.index}
      data-slice-count={stack.count}
      data-rendered={stack.rendered ? 'true' : 'false'}
      onContextMenu={(event) => event.preventDefault()}
    >
      <div ref={elementRef} className="cornerstone-element" />
      <ViewerOverlay series={series} stack={stack} orientation={images[stack.index]?.orientation} />
      {loading && !stack.rendered && !failure && (
        <div className="viewer-status" role="status">
          <span className="spinner" aria-hidden="true" /> Loading {series.description || 'series'}…
        </div>
      )}
      {failure && (
        <div className={stack.rendered ? 'viewer-error over-image' : 'viewer-error'}>
          <ErrorNotice title={listError ? 'This series could not be opened' : 'Image not shown'} message={failure} />
        </div>
      )}
    </div>
  );
}
