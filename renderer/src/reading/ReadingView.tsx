// The reading room for one participant and region: the visit being read
// beside its comparator (or all visits four-up), aligned and scrolled
// together. Its state is the reading store (reading-store.ts) and the query
// cache (reading-queries.ts); this view composes them, gives the panes their
// images and alignments, and offers the reading room's commands to the
// command table (every key, its help and its tooltip).
import { RenderingEngine } from '@cornerstonejs/core';
import { useQueries } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ReaderView } from '../../../shared/contract';
import { REGIONS } from '../../../shared/protocol';
import { neighbourCell, type PlannedPane, planReading } from '../../../shared/reading-plan';
import { IDENTITY } from '../../../shared/registration';
import { nudgeAlongComparator } from '../../../shared/slice-sync';
import { client } from '../api';
import type { ReadingCommands } from '../commands/command-table';
import { command } from '../commands/command-table';
import { commandTitle } from '../commands/command';
import { useCommandContext, useProvideCommands } from '../commands/use-commands';
import { ErrorNotice } from '../components/ErrorNotice';
import { errorMessage } from '../format';
import { REGION_LABEL } from '../trial/labels';
import { LesionPanel } from './LesionPanel';
import { PaneGroup } from './pane-group';
import type { Measurement, PaneMark } from './PaneMarks';
import { ReadingPane } from './ReadingPane';
import { alignmentNote, alignmentQuery, changeLesions, useCharter, useCounts, useLesions, useRealign, useSaveAlignment, useSeriesImages, useSeriesList, useSignatures, useReadiness, useWorklist } from './reading-queries';
import { type CordLevel, type ReadingTarget, type Tool, useReading } from './reading-store';
import { SeriesSwitcher } from './SeriesSwitcher';

const PRESET_FACTORS = { narrow: 0.6, wide: 1.6 } as const;
let sharedEngine: RenderingEngine | null = null;

/** One rendering engine (one WebGL context) for every reading pane, for the life of the page. */
function readingEngine(): RenderingEngine {
  sharedEngine ??= new RenderingEngine('lesiontrack-reading');
  return sharedEngine;
}

export function ReadingView({ reader, onClose }: { reader: ReaderView | null; onClose: () => void }) {
  const target = useReading((state) => state.target);
  if (!target) return <ErrorNotice title="Nothing to read" message="Open a read from the worklist." />;
  return <ReadingRoom target={target} reader={reader} onClose={onClose} />;
}

function ReadingRoom({ target, reader, onClose }: { target: ReadingTarget; reader: ReaderView | null; onClose: () => void }) {
  const { layout, sync, chosenSeries, selectedLesionId, tool, notice } = useReading(
    useShallow((state) => ({ layout: state.layout, sync: state.sync, chosenSeries: state.chosenSeries, selectedLesionId: state.selectedLesionId, tool: state.tool, notice: state.notice })),
  );
  const store = useReading.getState();
  const worklist = useWorklist();
  const charter = useCharter();
  const seriesList = useSeriesList();
  const lesions = useLesions(target.participantId);
  const counts = useCounts(target.participantId);
  const signatures = useSignatures(target);
  const readiness = useReadiness(target);
  const saveAlignment = useSaveAlignment();
  const realignment = useRealign();
  const helpOpen = useCommandContext((state) => state.helpOpen);

  const row = worklist.data?.rows.find((item) => item.participantId === target.participantId) ?? null;
  const plan = useMemo(
    () => (worklist.data && row && charter.data ? planReading(worklist.data.visits, row, target.region, target.visitCode, charter.data.comparator) : null),
    [worklist.data, row, charter.data, target],
  );
  const seriesFor = useCallback((pane: PlannedPane) => chosenSeries[pane.visitCode] ?? pane.seriesIds[0]!, [chosenSeries]);
  const panes: PlannedPane[] = plan ? (layout === 'four' ? plan.all : [plan.current, ...(plan.comparator ? [plan.comparator] : [])]) : [];
  const images = useSeriesImages(plan ? plan.all.map(seriesFor) : []);
  const imagesOf = (pane: PlannedPane) => images.data?.[plan!.all.indexOf(pane)];
  const currentSeriesId = plan ? seriesFor(plan.current) : null;

  // The alignment to the current visit of every other pane shown: stored, else found from the images (seconds of work each, so only for what is shown).
  const others = panes.filter((pane) => pane.role !== 'current');
  const alignments = useQueries({ queries: others.map((pane) => alignmentQuery({ currentSeriesId: currentSeriesId!, comparatorSeriesId: seriesFor(pane) })) });
  const alignmentOf = (pane: PlannedPane) => alignments[others.indexOf(pane)];

  const targetKey = `${target.participantId}-${target.region}-${target.visitCode}`;
  // A new group for each read: the panes of a read join it, and leave with their read.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const group = useMemo(() => new PaneGroup(sync), [targetKey]);
  useEffect(() => group.setSettings(sync), [group, sync]);
  const engine = readingEngine();

  const signature = signatures.data?.find((item) => item.supersededAt === null) ?? null;
  // A signed read is read-only: every editing control says who signed it and how to change it.
  const lockedBy = signature ? `Signed by ${signature.reader} at ${signature.signedAt.replace('T', ' ').slice(0, 16)} UTC. Unlock it (below, with your secret and a reason) to change it.` : null;
  const regionLesions = useMemo(() => (lesions.data ?? []).filter((lesion) => lesion.region === target.region), [lesions.data, target.region]);
  const startTool = useCallback((mode: Tool) => (lockedBy ? store.say(lockedBy) : store.startTool(mode)), [lockedBy, store]);

  const commands = useMemo((): ReadingCommands | null => {
    if (!plan || !worklist.data || !row) return null;
    const comparator = plan.comparator;
    const comparatorPair = comparator && currentSeriesId !== null ? { currentSeriesId, comparatorSeriesId: seriesFor(comparator) } : null;
    const visitStep = (direction: 1 | -1) => {
      const scanned = worklist.data.visits.filter((visit) => row.cells.some((cell) => cell.visitCode === visit.code && cell.region === target.region && cell.status === 'present'));
      const next = scanned[scanned.findIndex((visit) => visit.code === target.visitCode) + direction];
      if (next) store.open({ ...target, visitCode: next.code });
    };
    return {
      step: (delta) => group.step(delta),
      page: (direction) => group.page(direction),
      nudge: (steps) => {
        const comparatorImages = comparator ? imagesOf(comparator) : undefined;
        const current = comparator ? alignmentOf(comparator)?.data : undefined;
        if (!comparatorPair || !comparatorImages) return;
        const transform = nudgeAlongComparator(current?.transform ?? IDENTITY, comparatorImages, steps);
        const [r, t, c] = [transform.rotationDeg, transform.translationMm, transform.centreMm];
        saveAlignment.mutate({ ...comparatorPair, transform: { rotationDeg: [r[0], r[1], r[2]], translationMm: [t[0], t[1], t[2]], centreMm: [c[0], c[1], c[2]] } });
      },
      realign: () => comparatorPair && realignment.mutate(comparatorPair),
      resetView: () => group.each((session) => session.reset()),
      toggleInvert: () => {
        const inverted = !(group.leader()?.isInverted() ?? false);
        group.each((session) => session.setInverted(inverted));
      },
      windowPreset: (preset) => {
        const base = useReading.getState().fileWindow;
        if (preset === 'file') group.each((session) => session.reset());
        else if (base) group.each((session) => session.applyWindow({ width: base.width * PRESET_FACTORS[preset], center: base.center }));
      },
      toggleLayout: store.toggleLayout,
      toggleSync: store.toggleSync,
      go: (step, direction) => {
        if (step === 'visit') return visitStep(direction);
        const next = neighbourCell(worklist.data, target, step, direction, REGIONS);
        if (next) store.open(next);
      },
      startTool,
      cancelTool: store.cancelTool,
      close: onClose,
      hasComparator: comparatorPair !== null,
      hasSelection: selectedLesionId !== null,
      measuring: tool !== null,
    };
    // imagesOf and alignmentOf read the queries above, which these dependencies follow.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [plan, worklist.data, row, target, group, currentSeriesId, seriesFor, images.data, alignments, startTool, selectedLesionId, tool, onClose]);
  useProvideCommands('reading', commands);

  const measured = useCallback(
    (measurement: Measurement) => {
      const { tool: mode, details, selectedLesionId: lesionId } = useReading.getState();
      if (currentSeriesId === null || mode === null) return;
      store.cancelTool();
      const observation = {
        visitCode: target.visitCode,
        finding: { kind: 'measured' as const, longestDiameterMm: Math.max(0.1, Math.round(measurement.lengthMm * 10) / 10) },
        image: { seriesId: currentSeriesId, ...measurement.image },
        marks: { centre: measurement.centre, diameter: measurement.diameter },
        ...(target.region === 'spinal_cord' && details.levels ? { levels: details.levels } : {}),
        ...(target.region === 'optic_nerve' ? { opticExtent: details.opticExtent } : {}),
      };
      void changeLesions(target, () =>
        mode === 'existing' && lesionId !== null
          ? client.recordObservation({ lesionId, ...observation })
          : client.createLesion({
              participantId: target.participantId,
              region: target.region,
              ...(target.region === 'optic_nerve' && details.side ? { side: details.side } : {}),
              ...(mode === 'split' && lesionId !== null ? { splitFromLesionId: lesionId } : {}),
              observation,
            }),
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [currentSeriesId, target],
  );

  /** A diameter moved by its ends: measured again at this visit, keeping what else was recorded with it. */
  const edited = (lesionId: number, measurement: Measurement) => {
    const here = regionLesions.find((lesion) => lesion.id === lesionId)?.observations.find((observation) => observation.visitCode === target.visitCode);
    if (!here || currentSeriesId === null) return;
    void changeLesions(target, () =>
      client.recordObservation({
        lesionId,
        visitCode: target.visitCode,
        finding: { kind: 'measured', longestDiameterMm: Math.max(0.1, Math.round(measurement.lengthMm * 10) / 10) },
        image: { seriesId: currentSeriesId, ...measurement.image },
        marks: { centre: measurement.centre, diameter: measurement.diameter },
        ...(here.levels ? { levels: { upper: here.levels.upper as CordLevel, lower: here.levels.lower as CordLevel } } : {}),
        ...(here.opticExtent ? { opticExtent: here.opticExtent } : {}),
      }),
    );
  };

  const failure = worklist.error ?? charter.error;
  if (failure) return <ErrorNotice title="The reading layout could not be opened" message={errorMessage(failure)} />;
  if (!worklist.data || !charter.data) return <p className="muted page-pad">Opening…</p>;
  if (!row || !plan) return <ErrorNotice title="Nothing to read here" message={`No ${REGION_LABEL[target.region].toLowerCase()} series at ${target.visitCode} for this participant.`} />;

  const seriesById = new Map((seriesList.data ?? []).map((item) => [item.id, item]));
  const marksAt = (visitCode: string): PaneMark[] =>
    regionLesions.flatMap((lesion) =>
      lesion.observations
        .filter((observation) => observation.visitCode === visitCode && observation.marks)
        .map((observation) => ({
          lesionId: lesion.id,
          label: lesion.label,
          centre: observation.marks!.centre,
          diameter: observation.marks!.diameter ?? null,
          lengthMm: observation.finding.kind === 'measured' ? observation.finding.longestDiameterMm : null,
          selected: lesion.id === selectedLesionId,
        })),
    );
  /** Selects a lesion and brings the current pane to where it was last marked. */
  const jumpTo = (lesionId: number) => {
    store.select(lesionId);
    const marked = regionLesions.find((lesion) => lesion.id === lesionId)?.observations.filter((observation) => observation.marks).at(-1);
    if (marked?.marks) group.goToPoint(marked.marks.centre, marked.visitCode);
  };

  const toggle = (key: 'slices' | 'window' | 'zoomPan', label: string, id: string) => (
    <label className="sync-toggle" title={commandTitle(command(id))}>
      <input type="checkbox" checked={sync[key]} data-testid={`sync-${key}`} onChange={() => store.toggleSync(key)} /> {label}
    </label>
  );

  return (
    <div className="reading" data-testid="reading-view" data-layout={layout}>
      <div className="reading-bar">
        <button type="button" onClick={onClose} title={commandTitle(command('close-reading'))}>
          ← Worklist
        </button>
        <strong data-testid="reading-title">
          {row.subjectCode} · {REGION_LABEL[target.region]} · {plan.current.label}
        </strong>
        <span className="muted">{plan.comparator ? `compared with ${plan.comparator.label} (${charter.data.comparator === 'previous' ? 'previous scan' : 'baseline'})` : 'baseline: no comparator'}</span>
        <span className="spacer" />
        {toggle('slices', 'slices', 'sync-slices')}
        {toggle('window', 'window', 'sync-window')}
        {toggle('zoomPan', 'zoom/pan', 'sync-zoom-pan')}
        <button type="button" data-testid="layout-toggle" title={commandTitle(command('layout'))} onClick={store.toggleLayout}>
          {layout === 'two' ? 'All visits' : 'Two panes'}
        </button>
        <button type="button" onClick={useCommandContext.getState().toggleHelp} title={commandTitle(command('help'))} aria-pressed={helpOpen}>
          ?
        </button>
      </div>
      {notice && <ErrorNotice title="Not saved" message={notice} />}
      {images.error && <ErrorNotice title="The images could not be listed" message={errorMessage(images.error)} />}
      <div className="reading-body">
        <div className={`reading-panes panes-${panes.length}`}>
          {panes.map((pane) => {
            const paneImages = imagesOf(pane);
            const alignment = pane.role === 'current' ? null : alignmentOf(pane);
            const realigning = realignment.isPending && realignment.variables?.comparatorSeriesId === seriesFor(pane);
            return paneImages ? (
              <ReadingPane
                key={`${targetKey}-${pane.visitCode}-${seriesFor(pane)}`}
                pane={pane}
                series={seriesById.get(seriesFor(pane)) ?? null}
                switcher={<SeriesSwitcher choices={pane.seriesIds.flatMap((id) => seriesById.get(id) ?? [])} chosenId={seriesFor(pane)} onChoose={(seriesId) => store.chooseSeries(pane.visitCode, seriesId)} />}
                images={paneImages}
                group={group}
                engine={engine}
                transform={alignment?.data?.transform ?? IDENTITY}
                alignmentNote={alignment ? alignmentNote(alignment, realigning) : null}
                onFirstWindow={pane.role === 'current' ? store.setFileWindow : undefined}
                marks={marksAt(pane.visitCode)}
                onMeasured={pane.role === 'current' && tool ? measured : undefined}
                onEdited={pane.role === 'current' && !lockedBy && !tool ? edited : undefined}
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
          read={target}
          visits={worklist.data.visits}
          lesions={regionLesions}
          counts={counts.data ?? null}
          signature={signature}
          readiness={readiness.data ?? null}
          lockedBy={lockedBy}
          actions={{ jumpTo, startTool }}
        />
      </div>
    </div>
  );
}
