// Which of a visit's region series a pane shows, each with a thumbnail of its
// middle slice.
import { useState } from 'react';
import type { SeriesSummary } from '../../../shared/contract';
import { SeriesThumbnail } from '../viewer/SeriesThumbnail';

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
                <SeriesThumbnail series={series} />
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
