// Which of a visit's region series a pane shows: each with a thumbnail of its
// middle slice (rendered by Cornerstone into a small canvas, on the CPU).
import { utilities } from '@cornerstonejs/core';
import { useEffect, useRef, useState } from 'react';
import type { SeriesSummary } from '../../../shared/contract';
import { client, imageIdsFor } from '../api';

function Thumbnail({ seriesId }: { seriesId: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'shown' | 'failed'>('loading');
  useEffect(() => {
    let cancelled = false;
    client
      .seriesImages({ seriesId })
      .then(({ images }) => {
        const ids = imageIdsFor(images);
        const middle = ids[Math.floor(ids.length / 2)];
        if (cancelled || !middle || !canvasRef.current) return;
        return utilities.loadImageToCanvas({ canvas: canvasRef.current, imageId: middle, thumbnail: true, useCPURendering: true }).then(() => !cancelled && setState('shown'));
      })
      .catch(() => !cancelled && setState('failed'));
    return () => {
      cancelled = true;
    };
  }, [seriesId]);
  return <canvas ref={canvasRef} width={96} height={96} className={`thumbnail ${state}`} data-testid="thumbnail" data-state={state} />;
}

export function SeriesSwitcher({ choices, chosenId, onChoose }: { choices: readonly SeriesSummary[]; chosenId: number; onChoose: (seriesId: number) => void }) {
  const [open, setOpen] = useState(false);
  if (choices.length < 2) return null;
  return (
    <div className="series-switcher">
      <button type="button" data-testid="series-switcher" onClick={() => setOpen((value) => !value)} title="Other series of this visit and region">
        {choices.length} series ▾
      </button>
      {open && (
        <ul className="series-choices" role="listbox" aria-label="Series of this visit and region">
          {choices.map((series) => (
            <li key={series.id}>
              <button
                type="button"
                role="option"
                aria-selected={series.id === chosenId}
                data-testid="series-choice"
                className={series.id === chosenId ? 'chosen' : ''}
                onClick={() => {
                  onChoose(series.id);
                  setOpen(false);
                }}
              >
                <Thumbnail seriesId={series.id} />
                <span>
                  {series.description || 'no description'}
                  <span className="muted"> · {series.instanceCount} images</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
