// The text a radiologist expects in the corners of the image.
import type { SeriesSummary } from '../../../shared/contract';
import { formatStudyDate } from '../format';
import type { StackState } from './stack-session';

export function ViewerOverlay({ series, stack }: { series: SeriesSummary; stack: StackState }) {
  const slice = stack.index >= 0 ? stack.index + 1 : '–';
  return (
    <div className="viewer-overlay">
      <div className="corner top-left">
        <span className="series-description">{series.description || 'no description'}</span>
        <span>
          {series.modality} · series {series.seriesNumber ?? '–'}
        </span>
      </div>
      <div className="corner top-right">
        <span>{series.patientId || '–'}</span>
        <span>{formatStudyDate(series.studyDate)}</span>
      </div>
      <div className="corner bottom-left">
        <span data-testid="slice-label">
          slice {slice} / {stack.count}
        </span>
      </div>
      <div className="corner bottom-right">
        {stack.inverted && <span className="inverted-mark">inverted</span>}
        <span data-testid="window-level">{stack.window ? `W ${Math.round(stack.window.width)}  L ${Math.round(stack.window.center)}` : 'W –  L –'}</span>
      </div>
    </div>
  );
}
