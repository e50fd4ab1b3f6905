// Every stored series, by participant (or DICOM patient while unlinked) and
// study, each with a thumbnail; a study's localizers fold into one row.
// Image series open in the viewer; objects without pixels (SR, presentation
// states) are listed but not openable.
import { type ReactNode, useMemo, useState } from 'react';
import type { SeriesSummary } from '../../../shared/contract';
import { type PersonGroup, type StudyGroup, groupSeries } from '../../../shared/series-groups';
import { formatStudyDate, plural } from '../format';
import { SeriesThumbnail } from '../viewer/SeriesThumbnail';

type Open = (series: SeriesSummary) => void;

function imageCount(series: SeriesSummary): string {
  if (series.frameCount > series.instanceCount) return `${plural(series.frameCount, 'frame')} in ${plural(series.instanceCount, 'file')}`;
  return plural(series.instanceCount, series.isImage ? 'image' : 'object');
}

function rowTitle(series: SeriesSummary): string {
  const lines = [`PatientID: ${series.patientId || 'none'}`, series.orientation && `Orientation: ${series.orientation}`, ...series.warnings];
  if (!series.isImage) lines.unshift('No pixel data: nothing to display.');
  return lines.filter(Boolean).join('\n');
}

function SeriesRow({ series, selected, onOpen }: { series: SeriesSummary; selected: boolean; onOpen: Open }) {
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
        title={rowTitle(series)}
        onClick={() => {
          if (series.isImage) onOpen(series);
        }}
      >
        <SeriesThumbnail series={series} />
        <span className="series-text">
          <span className="series-line">
            <span className="series-name">{series.description || <em>no description</em>}</span>
            {series.warnings.length > 0 && (
              <span className="warning-mark" aria-label={`${series.warnings.length} warnings`}>
                !
              </span>
            )}
          </span>
          <span className="series-line details">
            <span>{series.modality || '–'}</span>
            <span>#{series.seriesNumber ?? '–'}</span>
            <span className="series-count" title={`${series.instanceCount} instances, ${series.frameCount} frames`}>
              {imageCount(series)}
            </span>
            {!series.isImage && <span>no images</span>}
          </span>
        </span>
      </button>
    </li>
  );
}

/** The keys of what the reader folded or unfolded; everything starts open but localizers. */
function useToggles() {
  const [flipped, setFlipped] = useState<ReadonlySet<string>>(new Set());
  const flip = (key: string) =>
    setFlipped((old) => {
      const next = new Set(old);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  return { flipped, flip };
}

function Toggle({ expanded, onToggle, className, testId, children }: { expanded: boolean; onToggle: () => void; className: string; testId: string; children: ReactNode }) {
  return (
    <button type="button" className={`group-toggle ${className}`} aria-expanded={expanded} data-testid={testId} onClick={onToggle}>
      <span className="chevron" aria-hidden="true">
        {expanded ? '▾' : '▸'}
      </span>
      {children}
    </button>
  );
}

function Study({ study, selectedId, onOpen, flipped, flip }: { study: StudyGroup<SeriesSummary>; selectedId: number | null; onOpen: Open } & ReturnType<typeof useToggles>) {
  const key = `study:${study.studyUid}`;
  const open = !flipped.has(key);
  const localizersKey = `localizers:${study.studyUid}`;
  const localizersOpen = flipped.has(localizersKey) || study.localizers.some((item) => item.id === selectedId);
  const count = study.series.length + study.localizers.length;
  return (
    <li className="study-group" data-testid="study-group" data-study-date={study.studyDate}>
      <Toggle expanded={open} onToggle={() => flip(key)} className="study-toggle" testId="study-toggle">
        <span className="group-name">{formatStudyDate(study.studyDate)}</span>
        <span className="group-detail">{study.description || 'no study description'}</span>
        <span className="count">{count}</span>
      </Toggle>
      {open && (
        <ul className="series-list">
          {study.series.map((item) => (
            <SeriesRow key={item.id} series={item} selected={item.id === selectedId} onOpen={onOpen} />
          ))}
          {study.localizers.length > 0 && (
            <li className="localizers" data-testid="localizers" data-count={study.localizers.length}>
              <Toggle expanded={localizersOpen} onToggle={() => flip(localizersKey)} className="localizers-toggle" testId="localizers-toggle">
                {plural(study.localizers.length, 'localizer')}
              </Toggle>
              {localizersOpen && (
                <ul className="series-list">
                  {study.localizers.map((item) => (
                    <SeriesRow key={item.id} series={item} selected={item.id === selectedId} onOpen={onOpen} />
                  ))}
                </ul>
              )}
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

function Person({ group, ...rest }: { group: PersonGroup<SeriesSummary>; selectedId: number | null; onOpen: Open } & ReturnType<typeof useToggles>) {
  const open = !rest.flipped.has(group.key);
  const name = group.kind === 'participant' ? `Participant ${group.label}` : group.label ? `Patient ${group.label}` : 'No PatientID';
  return (
    <li className="person-group" data-testid="series-group" data-kind={group.kind} data-label={group.label}>
      <Toggle expanded={open} onToggle={() => rest.flip(group.key)} className="person-toggle" testId="group-toggle">
        <span className="group-name">{name}</span>
        {group.kind === 'patient' && <span className="group-detail">not linked to a participant</span>}
        <span className="count">{plural(group.studies.length, 'study', 'studies')}</span>
      </Toggle>
      {open && (
        <ul className="study-groups">
          {group.studies.map((study) => (
            <Study key={study.studyUid} study={study} {...rest} />
          ))}
        </ul>
      )}
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
  onOpen: Open;
}) {
  const toggles = useToggles();
  const groups = useMemo(() => groupSeries(series ?? []), [series]);
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
        <ul className="series-groups">
          {groups.map((group) => (
            <Person key={group.key} group={group} selectedId={selectedId} onOpen={onOpen} {...toggles} />
          ))}
        </ul>
      )}
    </section>
  );
}
