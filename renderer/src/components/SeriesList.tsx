// Every stored series, one row each; image series open in the viewer,
// objects without pixels (SR, presentation states) are listed but not openable.
import type { SeriesSummary } from '../../../shared/contract';
import { formatStudyDate, plural } from '../format';

function imageCount(series: SeriesSummary): string {
  if (series.frameCount > series.instanceCount) return `${plural(series.frameCount, 'frame')} in ${plural(series.instanceCount, 'file')}`;
  return plural(series.instanceCount, series.isImage ? 'image' : 'object');
}

function rowTitle(series: SeriesSummary): string {
  const lines = [series.studyDescription && `Study: ${series.studyDescription}`, series.orientation && `Orientation: ${series.orientation}`, ...series.warnings];
  if (!series.isImage) lines.unshift('No pixel data: nothing to display.');
  return lines.filter(Boolean).join('\n');
}

function SeriesRow({ series, selected, onOpen }: { series: SeriesSummary; selected: boolean; onOpen: (series: SeriesSummary) => void }) {
  const classes = ['series-row', selected ? 'selected' : '', series.isImage ? '' : 'not-image'].filter(Boolean).join(' ');
  return (
    <li>
      <button
        type="button"
        className={classes}
        data-testid="series-row"
        data-series-uid={series.seriesUid}
        aria-pressed={selected}
        aria-disabled={!series.isImage}
        title={rowTitle(series) || undefined}
        onClick={() => {
          if (series.isImage) onOpen(series);
        }}
      >
        <span className="series-line">
          <span className="series-name">{series.description || <em>no description</em>}</span>
          {series.warnings.length > 0 && (
            <span className="warning-mark" aria-label={`${series.warnings.length} warnings`}>
              !
            </span>
          )}
          <span className="series-count" title={`${series.instanceCount} instances, ${series.frameCount} frames`}>
            {imageCount(series)}
          </span>
        </span>
        <span className="series-line details">
          <span className="series-patient">{series.patientId || 'no patient id'}</span>
          <span>{formatStudyDate(series.studyDate)}</span>
          <span>{series.modality || '–'}</span>
          <span>#{series.seriesNumber ?? '–'}</span>
          {!series.isImage && <span>no images</span>}
        </span>
      </button>
    </li>
  );
}

export function SeriesList({
  series,
  selectedId,
  onOpen,
}: {
  /** Undefined while the list is being read: "nothing imported" is said only of a list that came back empty. */
  series: readonly SeriesSummary[] | undefined;
  selectedId: number | null;
  onOpen: (series: SeriesSummary) => void;
}) {
  return (
    <section className="panel series-panel" aria-labelledby="series-title">
      <h2 id="series-title">
        Series <span className="count">{series?.length ?? '…'}</span>
      </h2>
      {series === undefined ? (
        <p className="muted">Reading the series…</p>
      ) : series.length === 0 ? (
        <p className="hint">Nothing imported yet. Import a folder of DICOM files to see its series here.</p>
      ) : (
        <ul className="series-list">
          {series.map((item) => (
            <SeriesRow key={item.id} series={item} selected={item.id === selectedId} onOpen={onOpen} />
          ))}
        </ul>
      )}
    </section>
  );
}
