// The reading room for one participant and region: the visit being read
// beside its comparator (or all visits four-up), aligned and scrolled
// together, with every frequent action on a key.
import { RenderingEngine } from '@cornerstonejs/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CountsReport, LesionView, ReaderView, ReadReadiness, SeriesImage, SeriesSummary, SignatureView, Worklist } from '../../../shared/contract';
import { REGIONS, type Region } from '../../../shared/protocol';
import { neighbourCell, type PlannedPane, planReading } from '../../../shared/reading-plan';
import { IDENTITY } from '../../../shared/registration';
import { nudgeAlongComparator } from '../../../shared/slice-sync';
import type { RigidMotion } from '../../../shared/vector';
import { client } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { errorMessage } from '../format';
import { type KeyMap, useKeyMap } from '../keys';
import { REGION_LABEL } from '../trial/labels';
import { PaneGroup, type SyncSettings } from './pane-group';
import { LesionPanel, NO_DETAILS, type RegionDetails } from './LesionPanel';
import type { Measurement, PaneMark } from './PaneMarks';
import { ReadingPane } from './ReadingPane';
import { SeriesSwitcher } from './SeriesSwitcher';

export interface ReadingTarget {
  participantId: number;
  region: Region;
  visitCode: string;
}

interface PaneAlignment {
  transform: RigidMotion;
  note: string;
}

const SHORTCUTS: readonly [string, string][] = [
  ['Wheel, ↑ ↓', 'previous / next slice, all panes together'],
  ['PgUp PgDn', 'a tenth of the stack'],
  ['Shift+↑ Shift+↓', 'move the comparator one slice against the current visit (saved)'],
  ['A', 'align the comparator automatically again'],
  ['Left / middle / right drag', 'window-level / pan / zoom'],
  ['1 2 3', 'window presets: from the file, narrow, wide'],
  ['R', 'reset view and window'],
  ['I', 'invert'],
  ['L', 'two panes / all visits'],
  ['S W Z', 'sync slices / window / zoom and pan on or off'],
  ['[ ]', 'previous / next region'],
  ['{ }', 'previous / next participant'],
  [', .', 'previous / next visit'],
  ['N', 'new lesion: then drag across its longest diameter'],
  ['M', 'measure the selected lesion at this visit'],
  ['Esc', 'cancel measuring; back to the worklist'],
  ['?', 'this help'],
];

const PRESET_FACTORS = { narrow: 0.6, wide: 1.6 } as const;
let sharedEngine: RenderingEngine | null = null;

/** One rendering engine (one WebGL context) for every reading pane, for the life of the page. */
function readingEngine(): RenderingEngine {
  sharedEngine ??= new RenderingEngine('lesiontrack-reading');
  return sharedEngine;
}

export function ReadingView({ target, reader, onNavigate, onClose }: { target: ReadingTarget; reader: ReaderView | null; onNavigate: (target: ReadingTarget) => void; onClose: () => void }) {
  const [worklist, setWorklist] = useState<Worklist | null>(null);
  const [comparatorRule, setComparatorRule] = useState<'previous' | 'baseline'>('previous');
  const [seriesById, setSeriesById] = useState<Map<number, SeriesSummary>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [layout, setLayout] = useState<'two' | 'four'>('two');
  const [sync, setSync] = useState<SyncSettings>({ slices: true, window: true, zoomPan: true });
  const [help, setHelp] = useState(false);
  const [alignments, setAlignments] = useState<Record<string, PaneAlignment>>({});
  const [imagesByVisit, setImagesByVisit] = useState<Record<string, readonly SeriesImage[]>>({});
  const [defaultWindow, setDefaultWindow] = useState<{ width: number; center: number } | null>(null);
  const [lesions, setLesions] = useState<LesionView[]>([]);
  const [counts, setCounts] = useState<CountsReport | null>(null);
  const [signature, setSignature] = useState<SignatureView | null>(null);
  const [readiness, setReadiness] = useState<ReadReadiness | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [measuring, setMeasuring] = useState<'new' | 'existing' | 'split' | null>(null);
  const [details, setDetails] = useState<RegionDetails>(NO_DETAILS);
  const [lesionsGeneration, setLesionsGeneration] = useState(0);
  // The series a reader picked for a visit, where the visit has more than one for the region.
  const [chosenSeries, setChosenSeries] = useState<Record<string, number>>({});
  const seriesFor = useCallback((pane: PlannedPane) => chosenSeries[pane.visitCode] ?? pane.seriesIds[0]!, [chosenSeries]);

  useEffect(() => {
    Promise.all([client.worklist({}), client.charter({}), client.listSeries({})])
      .then(([list, charter, series]) => {
        setWorklist(list);
        setComparatorRule(charter.comparator);
        setSeriesById(new Map(series.map((item) => [item.id, item])));
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, []);

  // The lesions of this participant and region, and the counts they give, after every change.
  useEffect(() => {
    let cancelled = false;
    Promise.all([
      client.listLesions({ participantId: target.participantId }),
      client.counts({ participantId: target.participantId }),
      client.signatures({ participantId: target.participantId, visitCode: target.visitCode, region: target.region }),
      client.readReadiness({ participantId: target.participantId, visitCode: target.visitCode, region: target.region }),
    ])
      .then(([all, report, signatures, ready]) => {
        if (cancelled) return;
        setLesions(all.filter((lesion) => lesion.region === target.region));
        setCounts(report);
        setSignature(signatures.find((item) => item.supersededAt === null) ?? null);
        setReadiness(ready);
      })
      .catch((failure: unknown) => !cancelled && setError(errorMessage(failure)));
    return () => {
      cancelled = true;
    };
  }, [target.participantId, target.region, target.visitCode, lesionsGeneration]);
  const reloadLesions = useCallback(() => setLesionsGeneration((value) => value + 1), []);

  const row = worklist?.rows.find((item) => item.participantId === target.participantId) ?? null;
  const plan = useMemo(() => (worklist && row ? planReading(worklist.visits, row, target.region, target.visitCode, comparatorRule) : null), [worklist, row, target, comparatorRule]);
  const panes: PlannedPane[] = plan ? (layout === 'four' ? plan.all : [plan.current, ...(plan.comparator ? [plan.comparator] : [])]) : [];
  const targetKey = `${target.participantId}-${target.region}-${target.visitCode}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const group = useMemo(() => new PaneGroup(sync), [targetKey]);
  const engine = readingEngine();
  useEffect(() => group.setSettings(sync), [group, sync]);

  const currentSeriesId = plan ? seriesFor(plan.current) : undefined;
  const planSeries = plan ? plan.all.map(seriesFor).join(',') : '';

  useEffect(() => setChosenSeries({}), [target.participantId, target.region]);

  // The images of every visit the layout may show, loaded before any pane starts.
  useEffect(() => {
    setImagesByVisit({});
    if (!plan) return;
    let cancelled = false;
    Promise.all(plan.all.map(async (pane) => [pane.visitCode, (await client.seriesImages({ seriesId: seriesFor(pane) })).images] as const))
      .then((entries) => !cancelled && setImagesByVisit(Object.fromEntries(entries)))
      .catch((failure: unknown) => !cancelled && setError(errorMessage(failure)));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [planSeries]);

  // Each other pane's alignment to the current visit: the stored one, else found now from the images.
  useEffect(() => {
    setAlignments({});
    setDefaultWindow(null);
    if (!plan || currentSeriesId === undefined) return;
    let cancelled = false;
    for (const pane of plan.all.filter((item) => item.role !== 'current')) {
      const pair = { currentSeriesId, comparatorSeriesId: seriesFor(pane) };
      const show = (alignment: PaneAlignment) => !cancelled && setAlignments((all) => ({ ...all, [pane.visitCode]: alignment }));
      show({ transform: IDENTITY, note: 'aligning…' });
      client
        .alignment(pair)
        .then((stored) => stored ?? client.autoAlign(pair))
        .then((found) => show({ transform: found.transform, note: found.source === 'manual' ? 'aligned by hand' : `aligned automatically (${(found.score ?? 0).toFixed(2)})` }))
        .catch((failure: unknown) => show({ transform: IDENTITY, note: `not aligned: ${errorMessage(failure)}` }));
    }
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [targetKey, planSeries]);

  const nudge = useCallback(
    (steps: number) => {
      const comparator = plan?.comparator;
      const images = comparator ? imagesByVisit[comparator.visitCode] : undefined;
      if (!comparator || !images || currentSeriesId === undefined) return;
      const from = alignments[comparator.visitCode]?.transform ?? IDENTITY;
      const transform = nudgeAlongComparator(from, images, steps);
      setAlignments((all) => ({ ...all, [comparator.visitCode]: { transform, note: 'aligned by hand' } }));
      const [r, t, c] = [transform.rotationDeg, transform.translationMm, transform.centreMm];
      client
        .saveAlignment({ currentSeriesId, comparatorSeriesId: seriesFor(comparator), transform: { rotationDeg: [r[0], r[1], r[2]], translationMm: [t[0], t[1], t[2]], centreMm: [c[0], c[1], c[2]] } })
        .catch((failure: unknown) => setError(`The alignment was not saved: ${errorMessage(failure)}`));
    },
    [plan, imagesByVisit, alignments, currentSeriesId, seriesFor],
  );

  const realign = useCallback(() => {
    const comparator = plan?.comparator;
    if (!comparator || currentSeriesId === undefined) return;
    setAlignments((all) => ({ ...all, [comparator.visitCode]: { transform: all[comparator.visitCode]?.transform ?? IDENTITY, note: 'aligning…' } }));
    client
      .autoAlign({ currentSeriesId, comparatorSeriesId: seriesFor(comparator) })
      .then((found) => setAlignments((all) => ({ ...all, [comparator.visitCode]: { transform: found.transform, note: `aligned automatically (${(found.score ?? 0).toFixed(2)})` } })))
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, [plan, currentSeriesId, seriesFor]);

  const act = useCallback(
    (action: () => Promise<LesionView>) => {
      action()
        .then((lesion) => {
          setSelectedId(lesion.id);
          setError(null);
        })
        .catch((failure: unknown) => setError(errorMessage(failure)))
        .finally(reloadLesions);
    },
    [reloadLesions],
  );

  const readKey = { participantId: target.participantId, visitCode: target.visitCode, region: target.region };
  // A signed read is read-only: every editing control says who signed it and how to change it.
  const lockedBy = signature ? `Signed by ${signature.reader} at ${signature.signedAt.replace('T', ' ').slice(0, 16)} UTC. Unlock it (below, with your secret and a reason) to change it.` : null;
  const startMeasuring = (mode: 'new' | 'existing' | 'split') => (lockedBy ? setError(lockedBy) : setMeasuring(mode));

  /** Selects a lesion and brings the current pane to where it was last marked. */
  const jumpTo = (lesionId: number) => {
    setSelectedId(lesionId);
    const marked = lesions.find((lesion) => lesion.id === lesionId)?.observations.filter((observation) => observation.marks).at(-1);
    if (marked?.marks) group.goToPoint(marked.marks.centre, marked.visitCode);
  };
  const signOff = (action: () => Promise<unknown>) =>
    void action()
      .then(() => setError(null))
      .catch((failure: unknown) => setError(errorMessage(failure)))
      .finally(reloadLesions);

  const measured = useCallback(
    (measurement: Measurement) => {
      const series = currentSeriesId;
      if (series === undefined || measuring === null) return;
      const observation = {
        visitCode: target.visitCode,
        finding: { kind: 'measured' as const, longestDiameterMm: Math.max(0.1, Math.round(measurement.lengthMm * 10) / 10) },
        image: { seriesId: series, ...measurement.image },
        marks: { centre: measurement.centre, diameter: measurement.diameter },
        ...(target.region === 'spinal_cord' && details.levels ? { levels: details.levels } : {}),
        ...(target.region === 'optic_nerve' ? { opticExtent: details.opticExtent } : {}),
      };
      const lesionId = selectedId;
      setMeasuring(null);
      if (measuring === 'existing' && lesionId !== null) act(() => client.recordObservation({ lesionId, ...observation }));
      else
        act(() =>
          client.createLesion({
            participantId: target.participantId,
            region: target.region,
            ...(target.region === 'optic_nerve' && details.side ? { side: details.side } : {}),
            ...(measuring === 'split' && lesionId !== null ? { splitFromLesionId: lesionId } : {}),
            observation,
          }),
        );
    },
    [currentSeriesId, measuring, target, details, selectedId, act],
  );

  const go = useCallback(
    (step: 'region' | 'participant', direction: 1 | -1) => {
      const next = worklist ? neighbourCell(worklist, target, step, direction, REGIONS) : null;
      if (next) onNavigate(next);
    },
    [worklist, target, onNavigate],
  );

  const goVisit = useCallback(
    (direction: 1 | -1) => {
      if (!worklist || !row) return;
      const scanned = worklist.visits.filter((visit) => row.cells.some((cell) => cell.visitCode === visit.code && cell.region === target.region && cell.status === 'present'));
      const next = scanned[scanned.findIndex((visit) => visit.code === target.visitCode) + direction];
      if (next) onNavigate({ ...target, visitCode: next.code });
    },
    [worklist, row, target, onNavigate],
  );

  const preset = useCallback(
    (kind: 'file' | keyof typeof PRESET_FACTORS) => {
      const leader = group.leader();
      if (!leader) return;
      if (kind === 'file') {
        group.each((session) => session.reset());
        return;
      }
      const base = defaultWindow;
      if (base) group.each((session) => session.applyWindow({ width: base.width * PRESET_FACTORS[kind], center: base.center }));
    },
    [group, defaultWindow],
  );

  const keys = useMemo<KeyMap>(
    () => ({
      ArrowUp: () => group.step(-1),
      ArrowDown: () => group.step(1),
      PageUp: () => group.page(-1),
      PageDown: () => group.page(1),
      'Shift+ArrowUp': () => nudge(-1),
      'Shift+ArrowDown': () => nudge(1),
      a: realign,
      r: () => group.each((session) => session.reset()),
      i: () => {
        const inverted = !(group.leader()?.isInverted() ?? false);
        group.each((session) => session.setInverted(inverted));
      },
      '1': () => preset('file'),
      '2': () => preset('narrow'),
      '3': () => preset('wide'),
      l: () => setLayout((value) => (value === 'two' ? 'four' : 'two')),
      s: () => setSync((value) => ({ ...value, slices: !value.slices })),
      w: () => setSync((value) => ({ ...value, window: !value.window })),
      z: () => setSync((value) => ({ ...value, zoomPan: !value.zoomPan })),
      ']': () => go('region', 1),
      '[': () => go('region', -1),
      '}': () => go('participant', 1),
      '{': () => go('participant', -1),
      '.': () => goVisit(1),
      ',': () => goVisit(-1),
      n: () => startMeasuring('new'),
      m: () => selectedId !== null && startMeasuring('existing'),
      Escape: () => (help ? setHelp(false) : measuring ? setMeasuring(null) : onClose()),
      '?': () => setHelp((value) => !value),
    }),
    [group, nudge, realign, preset, go, goVisit, help, onClose, selectedId, measuring, lockedBy],
  );
  useKeyMap(keys);

  if (error && !worklist) return <ErrorNotice title="The reading layout could not be opened" message={error} />;
  if (!worklist) return <p className="muted page-pad">Opening…</p>;
  if (!row || !plan) return <ErrorNotice title="Nothing to read here" message={`No ${REGION_LABEL[target.region].toLowerCase()} series at ${target.visitCode} for this participant.`} />;

  const marksAt = (visitCode: string): PaneMark[] =>
    lesions.flatMap((lesion) =>
      lesion.observations
        .filter((observation) => observation.visitCode === visitCode && observation.marks)
        .map((observation) => ({ lesionId: lesion.id, label: lesion.label, centre: observation.marks!.centre, diameter: observation.marks!.diameter ?? null, selected: lesion.id === selectedId })),
    );

  const toggle = (key: keyof SyncSettings, label: string) => (
    <label className="sync-toggle">
      <input type="checkbox" checked={sync[key]} data-testid={`sync-${key}`} onChange={() => setSync((value) => ({ ...value, [key]: !value[key] }))} /> {label}
    </label>
  );

  return (
    <div className="reading" data-testid="reading-view" data-layout={layout}>
      <div className="reading-bar">
        <button type="button" onClick={onClose} title="Back to the worklist (Esc)">
          ← Worklist
        </button>
        <strong data-testid="reading-title">
          {row.subjectCode} · {REGION_LABEL[target.region]} · {plan.current.label}
        </strong>
        <span className="muted">{plan.comparator ? `compared with ${plan.comparator.label} (${comparatorRule === 'previous' ? 'previous scan' : 'baseline'})` : 'baseline: no comparator'}</span>
        <span className="spacer" />
        {toggle('slices', 'slices')}
        {toggle('window', 'window')}
        {toggle('zoomPan', 'zoom/pan')}
        <button type="button" data-testid="layout-toggle" onClick={() => setLayout((value) => (value === 'two' ? 'four' : 'two'))}>
          {layout === 'two' ? 'All visits' : 'Two panes'}
        </button>
        <button type="button" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
          ?
        </button>
      </div>
      {error && <ErrorNotice title="Not saved" message={error} />}
      <div className="reading-body">
      <div className={`reading-panes panes-${panes.length}`}>
        {panes.map((pane) => {
          const images = imagesByVisit[pane.visitCode];
          return images ? (
          <ReadingPane
            key={`${targetKey}-${pane.visitCode}-${seriesFor(pane)}`}
            pane={pane}
            series={seriesById.get(seriesFor(pane)) ?? null}
            switcher={
              <SeriesSwitcher
                choices={pane.seriesIds.flatMap((id) => seriesById.get(id) ?? [])}
                chosenId={seriesFor(pane)}
                onChoose={(seriesId) => setChosenSeries((all) => ({ ...all, [pane.visitCode]: seriesId }))}
              />
            }
            images={images}
            group={group}
            engine={engine}
            transform={alignments[pane.visitCode]?.transform ?? IDENTITY}
            alignmentNote={pane.role === 'current' ? null : (alignments[pane.visitCode]?.note ?? null)}
            onFirstWindow={pane.role === 'current' ? setDefaultWindow : undefined}
            marks={marksAt(pane.visitCode)}
            onMeasured={pane.role === 'current' && measuring ? measured : undefined}
          />
          ) : (
            <div key={`${targetKey}-${pane.visitCode}`} className="reading-pane" role="status">
              <div className="viewer-status">
                <span className="spinner" aria-hidden="true" /> Loading {pane.label}…
              </div>
            </div>
          );
        })}
      </div>
      <LesionPanel
        reader={reader}
        region={target.region}
        visitCode={target.visitCode}
        visits={worklist.visits}
        lesions={lesions}
        counts={counts}
        selectedId={selectedId}
        measuring={measuring}
        details={details}
        onDetails={setDetails}
        onSelect={setSelectedId}
        lockedBy={lockedBy}
        readiness={readiness}
        onJump={jumpTo}
        onNewLesion={() => startMeasuring('new')}
        onMeasureSelected={() => startMeasuring('existing')}
        onCancelMeasure={() => setMeasuring(null)}
        onFinding={(lesionId, kind) => act(() => client.recordObservation({ lesionId, visitCode: target.visitCode, finding: { kind } }))}
        onMerge={(lesionId, intoLesionId) => act(() => client.recordObservation({ lesionId, visitCode: target.visitCode, finding: { kind: 'merged', intoLesionId } }))}
        onSplit={() => startMeasuring('split')}
        onOverride={(lesionId, status, reason) => act(() => client.overrideStatus({ lesionId, visitCode: target.visitCode, status, ...(reason ? { reason } : {}) }))}
        signature={signature}
        onSign={(secret) => signOff(() => client.signRead({ ...readKey, secret }))}
        onUnlock={(secret, reason) => signOff(() => client.unlockRead({ ...readKey, secret, reason }))}
      />
      </div>
      {help && (
        <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" data-testid="help">
          <dl className="shortcuts">
            {SHORTCUTS.flatMap(([key, what]) => [<dt key={`${key}-k`}>{key}</dt>, <dd key={`${key}-d`}>{what}</dd>])}
          </dl>
          <button type="button" onClick={() => setHelp(false)}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}
