// The text a radiologist expects in the corners of the image, and the patient
// direction at its edges.
import type { SeriesSummary } from '../../../shared/contract';
import { formatStudyDate } from '../format';
import { EdgeLabels } from './EdgeLabels';
import type { StackState } from './stack-session';

/** `orientation` is the shown slice's (rows then columns), when its file gives one. */
export function ViewerOverlay({ series, stack, orientation }: { series: SeriesSummary; stack: StackState; orientation: readonly number[] | null | undefined }) {
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
      <EdgeLabels orientation={orientation} />
    </div>
  );
}
