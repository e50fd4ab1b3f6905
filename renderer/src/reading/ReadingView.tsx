// The reading room for one participant and region: the visit being read
// beside its comparator (or all visits four-up), aligned and scrolled
// together. Its state is the reading store (reading-store.ts) and the query
// cache (reading-queries.ts); this view composes them, gives the panes their
// images and alignments (and assisted detection's derived images,
// use-assisted.ts), and offers the reading room's commands to the command
// table (every key, its help and its tooltip).
import { RenderingEngine } from '@cornerstonejs/core';
import { useQueries } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CandidateView, HangingLayout, LesionView, ReaderView, SeriesImage, VertebralLevel } from '../../../shared/contract';
import { matchingSeries, preferredSeries, preferring } from '../../../shared/hanging';
import { prefilledDetails } from '../../../shared/region-details';
import { cordExtent, cordRuler, rulerProblem } from '../../../shared/cord-levels';
import { opticStretch, traceProblem } from '../../../shared/optic-extent';
import { projectOntoPolyline } from '../../../shared/polyline';
import { VERTEBRAL_LEVELS } from '../../../shared/protocol';
import { windowPresets } from '../../../shared/window-presets';
import { REGIONS } from '../../../shared/protocol';
import { neighbourCell, type PlannedPane, planReading } from '../../../shared/reading-plan';
import { applyTransform, IDENTITY } from '../../../shared/registration';
import { inverseTransform, type MarkedAt, lesionPointAt, nearestSlice, nudgeAlongComparator, pointBetweenVisits, sliceCentre } from '../../../shared/slice-sync';
import type { Vec3 } from '../../../shared/vector';
import { client } from '../api';
import type { ReadingCommands } from '../commands/command-table';
import { command } from '../commands/command-table';
import { commandTitle } from '../commands/command';
import { useCommandContext, useProvideCommands } from '../commands/use-commands';
import { ErrorNotice } from '../components/ErrorNotice';
import { actorName } from '../../../shared/actor';
import { errorMessage } from '../format';
import { REGION_LABEL } from '../trial/labels';
import { AdjudicationPanel } from './AdjudicationPanel';
import { AssistPanel } from './AssistPanel';
import { candidateSpot, unreviewedStep } from './assisted';
import { LesionPanel } from './LesionPanel';
import { isReaderTrack, readerLabel } from './lesion-labels';
import { MprGroup } from './mpr-group';
import { MprLayout, type MprRowInput, maximisedView, mprRefusal } from './MprLayout';
import { PaneGroup } from './pane-group';
import type { Measurement, PaneMark } from './PaneMarks';
import type { CheckTool } from '../viewer/stack-session';
import { ReadingPane } from './ReadingPane';
import { type LesionEnds } from './ExtentLayer';
import { ExtentPanel, NO_RULER, noTrace } from './ExtentPanel';
import { queryClient, queryKeys } from '../queries';
import {
  alignmentNote,
  alignmentQuery,
  changeLesions,
  reviewCandidate,
  useAdjudicatorRoom,
  useCharter,
  useCounts,
  useLesions,
  useRealign,
  useSaveAlignment,
  useSeriesImages,
  useSeriesList,
  useSignatures,
  useReadiness,
  useReadingDesign,
  useReadingLayout,
  useWorklist,
  saveExtentBasis,
  useNerveTraces,
  useVertebralRuler,
} from './reading-queries';
import { CINE_RATES, type PendingMeasurement, type ReadingTarget, type Tool, useReading } from './reading-store';
import { SeriesSwitcher } from './SeriesSwitcher';
import { useAssistedReading } from './use-assisted';

let sharedEngine: RenderingEngine | null = null;

/** One rendering engine (one WebGL context) for every reading pane, for the life of the page. */
function readingEngine(): RenderingEngine {
  sharedEngine ??= new RenderingEngine('lesiontrack-reading');
  return sharedEngine;
}

const CHECK_TOOLS: readonly (readonly [CheckTool, string])[] = [
  ['length', 'Length'],
  ['ellipse', 'Ellipse'],
  ['probe', 'Probe'],
];

/** A diameter drawn and waiting for its details, shown where it was drawn. */
function pendingMark({ measurement }: PendingMeasurement): PaneMark {
  return { lesionId: -1, label: 'unsaved', centre: measurement.centre, diameter: measurement.diameter, lengthMm: measurement.lengthMm, selected: false, ghostOf: null, madeBy: null, reader: null };
}

/** Why nothing can be drawn or changed in the adjudicator's reading room. */
const ADJUDICATOR_MARKS_NOTHING = "An adjudicator marks no lesions: the readers' marks show as they signed them, and you call the reads they differ on in the panel.";

/** A mark carried into other coordinates (a comparator's marks onto its resampled images, which are in the current visit's). */
function carriedMark(mark: PaneMark, carry: (point: Vec3) => Vec3): PaneMark {
  return { ...mark, centre: carry(mark.centre), diameter: mark.diameter ? [carry(mark.diameter[0]), carry(mark.diameter[1])] : null };
}

/** Where a lesion was marked, visit by visit. */
function marksOf(lesion: LesionView): MarkedAt[] {
  return lesion.observations.flatMap((observation) => (observation.marks ? [{ visitCode: observation.visitCode, centre: observation.marks.centre }] : []));
}

/** What a lesion's clicked ends measured, in words: "C3–C5, 3 segments, LETM" or "62% of the nerve, chiasm". */
export function extentWords(observation: LesionView['observations'][number]): string {
  const extent = observation.extent;
  if (!extent) return '';
  const override = extent.source === 'override' ? ' (typed override)' : extent.source === 'typed' ? ' (typed)' : '';
  if (observation.levels) {
    const { upper, lower, segments, longitudinallyExtensive } = observation.levels;
    return `${upper}–${lower}, ${segments ?? '?'} segment${segments === 1 ? '' : 's'}${longitudinallyExtensive ? ', LETM' : ''}${override}`;
  }
  const fraction = extent.fractionOfNerve === null ? '' : `${Math.round(extent.fractionOfNerve * 100)}% of the nerve`;
  return [fraction, observation.opticExtent?.involvesChiasm ? 'chiasm' : null].filter(Boolean).join(', ') + override;
}

/**
 * What a new diameter keeps of an observation's extent: its clicked ends (main measures them again), and typed
 * levels or flags with their reason. Null where nothing was clicked or given a reason (older records).
 */
function keptExtent(observation: LesionView['observations'][number] | undefined) {
  const extent = observation?.extent;
  if (!extent) return null;
  const overridden = extent.source !== 'image';
  return {
    ...(extent.ends ? { ends: extent.ends } : {}),
    ...(overridden && observation.levels ? { levels: { upper: observation.levels.upper as VertebralLevel, lower: observation.levels.lower as VertebralLevel } } : {}),
    ...(overridden && observation.opticExtent ? { opticExtent: observation.opticExtent } : {}),
    ...(overridden && extent.overrideReason ? { extentReason: extent.overrideReason } : {}),
  };
}

/** The cine rate one step faster or slower, within the rates offered. */
function nextRate(framesPerSecond: number, direction: 1 | -1): number {
  const index = CINE_RATES.indexOf(framesPerSecond as (typeof CINE_RATES)[number]);
  return CINE_RATES[Math.min(CINE_RATES.length - 1, Math.max(0, index + direction))]!;
}

/** blinded: a blinded reader's room (main/reads/blinding.ts), whose two panes are "Current" and "Prior". */
export function ReadingView({ reader, onClose, blinded }: { reader: ReaderView | null; onClose: () => void; blinded: boolean }) {
  const target = useReading((state) => state.target);
  if (!target) return <ErrorNotice title="Nothing to read" message="Open a read from the worklist." />;
  return <ReadingRoom target={target} reader={reader} onClose={onClose} blinded={blinded} />;
}

function ReadingRoom({ target, reader, onClose, blinded }: { target: ReadingTarget; reader: ReaderView | null; onClose: () => void; blinded: boolean }) {
  const { layout, mpr, sync, chosenSeries, selectedLesionId, selectedCandidateId, tool, checkTool, pending, notice, cine, maximised, marksHidden, extentDraft } = useReading(
    useShallow((state) => ({
      layout: state.layout,
      mpr: state.mpr,
      sync: state.sync,
      chosenSeries: state.chosenSeries,
      selectedLesionId: state.selectedLesionId,
      selectedCandidateId: state.selectedCandidateId,
      tool: state.tool,
      checkTool: state.checkTool,
      pending: state.pending,
      notice: state.notice,
      cine: state.cine,
      maximised: state.maximised,
      marksHidden: state.marksHidden,
      extentDraft: state.extentDraft,
    })),
  );
  const store = useReading.getState();
  const worklist = useWorklist();
  const charter = useCharter();
  const seriesList = useSeriesList();
  const design = useReadingDesign();
  // The adjudicator of a double read sees both readers' signed marks together, and marks nothing.
  const adjudicating = reader?.role === 'adjudicator' && design.data?.design === 'double';
  const ownLesions = useLesions(target.participantId, design.data !== undefined && !adjudicating);
  const adjudicatorRoom = useAdjudicatorRoom(target.participantId, adjudicating);
  const shownLesions = design.data === undefined ? undefined : adjudicating ? adjudicatorRoom.lesions : ownLesions.data;
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
  // How this region's reads hang for this reader (or by default): two panes or four, and which series a visit shows.
  const hanging = useReadingLayout(reader?.id ?? null, target.region);
  const hungFor = useRef<string | null>(null);
  useEffect(() => {
    // Once per participant and region: another visit keeps the layout on screen.
    const key = `${target.participantId}-${target.region}`;
    if (!hanging.data || hungFor.current === key) return;
    hungFor.current = key;
    store.setLayout(hanging.data.layout);
  }, [hanging.data, target.participantId, target.region, store]);
  const visitSeries = useCallback(
    (visitCode: string) => row?.cells.find((cell) => cell.visitCode === visitCode && cell.region === target.region)?.series ?? [],
    [row, target.region],
  );
  /**
   * A pane's series: the reader's choice for its visit; else the match of their choice for the visit read (or, when
   * they made none there, for another visit of the region: a 3D FLAIR chosen at week 12 stays chosen at week 0); else the hanging's.
   */
  const seriesFor = useCallback(
    (pane: PlannedPane) => {
      const chosen = [target.visitCode, ...Object.keys(chosenSeries)].map((visit) => visitSeries(visit).find((series) => series.seriesId === chosenSeries[visit])).find(Boolean);
      return (
        chosenSeries[pane.visitCode] ??
        matchingSeries(visitSeries(pane.visitCode), chosen) ??
        preferredSeries(visitSeries(pane.visitCode), hanging.data?.sequences ?? []) ??
        pane.seriesIds[0]!
      );
    },
    [chosenSeries, visitSeries, hanging.data, target.visitCode],
  );
  /** Remembers the reader's layout for the region, for their next read of it. */
  const rememberLayout = (change: (layout: HangingLayout) => HangingLayout) => {
    if (!reader || !hanging.data) return;
    const next = change(hanging.data);
    const key = queryKeys.readingLayout(reader.id, target.region);
    // A fetch still under way would bring the layout as it was before this change: it is dropped.
    void queryClient.cancelQueries({ queryKey: key });
    queryClient.setQueryData(key, next);
    client.saveReadingLayout({ region: target.region, layout: next }).catch((failure: unknown) => store.say(errorMessage(failure)));
  };
  /**
   * Two panes or all visits. In three planes the 2D layout is out of sight, and changing it unseen would surprise:
   * the key (and the button) go back to 2D in the layout the reader left, unchanged.
   */
  const toggleLayout = () => {
    if (showMpr) return store.toggleMpr();
    const next = useReading.getState().layout === 'two' ? 'four' : 'two';
    store.setLayout(next);
    rememberLayout((hung) => ({ ...hung, layout: next }));
  };
  const chooseSeries = (visitCode: string, seriesId: number) => {
    store.chooseSeries(visitCode, seriesId);
    const sequence = visitSeries(visitCode).find((item) => item.seriesId === seriesId)?.sequence;
    if (sequence) rememberLayout((hung) => preferring(hung, sequence));
  };
  const images = useSeriesImages(plan ? plan.all.map(seriesFor) : []);
  const currentListing = plan ? images.data?.[plan.all.indexOf(plan.current)] : undefined;
  /** Why the series read cannot be shown in three planes (null when it can, or before its images are listed). */
  const mprRefused = currentListing ? mprRefusal(currentListing.images) : null;
  const showMpr = mpr && currentListing !== undefined && mprRefused === null;
  const panes: PlannedPane[] = plan ? (layout === 'four' && !showMpr ? plan.all : [plan.current, ...(plan.comparator ? [plan.comparator] : [])].map((pane) => (blinded ? { ...pane, label: pane.role === 'current' ? 'Current' : 'Prior' } : pane))) : [];
  const listingOf = (pane: PlannedPane) => images.data?.[plan!.all.findIndex((planned) => planned.visitCode === pane.visitCode)];
  const imagesOf = (pane: PlannedPane) => listingOf(pane)?.images;
  const currentSeriesId = plan ? seriesFor(plan.current) : null;
  /** The sequence being read (FLAIR, T2, STIR...): its window presets. */
  const currentSequence = visitSeries(target.visitCode).find((series) => series.seriesId === currentSeriesId)?.sequence ?? null;
  // What extents are measured with in this read: the cord series' vertebral ruler, the optic nerves' traces at this visit.
  const ruler = useVertebralRuler(target.region === 'spinal_cord' && !adjudicating ? currentSeriesId : null);
  const traces = useNerveTraces(target.participantId, target.visitCode, target.region === 'optic_nerve' && !adjudicating);

  // The alignment to the current visit of every other pane shown: stored, else found from the images (seconds of work each, so only for what is shown).
  const others = panes.filter((pane) => pane.role !== 'current');
  const alignments = useQueries({ queries: others.map((pane) => alignmentQuery({ currentSeriesId: currentSeriesId!, comparatorSeriesId: seriesFor(pane) })) });
  const alignmentOf = (pane: PlannedPane) => alignments[others.indexOf(pane)];

  /** Current visit -> each shown visit, where known: how marks and positions travel between the panes. */
  const transforms = new Map(panes.flatMap((pane) => (pane.role === 'current' ? [[pane.visitCode, IDENTITY] as const] : alignmentOf(pane)?.data ? [[pane.visitCode, alignmentOf(pane)!.data!.transform] as const] : [])));

  // Assisted detection: the subtraction of the read's pair (current and comparator series), its candidates, and how the panes show them.
  const comparatorPane = panes.find((pane) => pane.role === 'comparator') ?? null;
  const pair = useMemo(() => (plan?.comparator && currentSeriesId !== null ? { currentSeriesId, comparatorSeriesId: seriesFor(plan.comparator) } : null), [plan, currentSeriesId, seriesFor]);
  const assisted = useAssistedReading(target, pair, comparatorPane ? alignmentOf(comparatorPane)?.data : undefined, plan ? listingOf(plan.current)?.store : undefined);
  const candidates = assisted.candidates?.candidates ?? [];
  /** The visit whose pane shows its images resampled into the current grid: its marks and points are carried there. */
  const resampledVisit = assisted.resampled && comparatorPane ? comparatorPane.visitCode : null;
  /** A point of a visit's own coordinates where its pane shows it: on the resampled comparator, in the current visit's. */
  const onPane = (visitCode: string, point: Vec3): Vec3 => (visitCode === resampledVisit ? applyTransform(inverseTransform(transforms.get(visitCode) ?? IDENTITY), point) : point);

  const targetKey = `${target.participantId}-${target.region}-${target.visitCode}`;
  // A new group for each read: the panes of a read join it, and leave with their read. The reading store keeps where its leader is.
  const group = useMemo(
    () =>
      new PaneGroup(sync, (images, index) => {
        const centre = images[index] ? sliceCentre(images[index]) : null;
        if (centre) useReading.getState().setPosition({ ...target, point: [centre[0], centre[1], centre[2]], fraction: images.length > 1 ? index / (images.length - 1) : 0 });
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [targetKey],
  );
  useEffect(() => group.setSettings(sync), [group, sync]);
  // The MPR layout's rows keep together as the 2D panes do, through the same alignment and sync settings.
  const mprGroup = useMemo(() => new MprGroup(sync), [targetKey]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => mprGroup.setSettings(sync), [mprGroup, sync]);
  const comparatorListing = comparatorPane ? listingOf(comparatorPane) : undefined;
  const comparatorRefused = comparatorListing ? mprRefusal(comparatorListing.images) : null;
  const comparatorTransform = comparatorPane ? alignmentOf(comparatorPane)?.data?.transform : undefined;
  useEffect(() => mprGroup.setTransform(comparatorTransform ?? IDENTITY), [mprGroup, comparatorTransform]);
  useEffect(() => group.setCheckTool(checkTool), [group, checkTool]);
  useEffect(() => mprGroup.setCheckTool(checkTool), [mprGroup, checkTool]);
  useEffect(() => {
    if (!cine.playing) return;
    const timer = setInterval(() => (showMpr ? mprGroup.cineStep() : group.cineStep()), 1000 / cine.framesPerSecond);
    return () => clearInterval(timer);
  }, [group, mprGroup, showMpr, cine]);
  const engine = readingEngine();

  const signature = signatures.data?.find((item) => item.supersededAt === null) ?? null;
  // A signed read is read-only: every editing control says who signed it and how to change it.
  const lockedBy = adjudicating ? ADJUDICATOR_MARKS_NOTHING : signature ? `Signed by ${signature.reader} at ${signature.signedAt.replace('T', ' ').slice(0, 16)} UTC. Unlock it (below, with your secret and a reason) to change it.` : null;
  const regionLesions = useMemo(() => (shownLesions ?? []).filter((lesion) => lesion.region === target.region), [shownLesions, target.region]);
  const startTool = useCallback((mode: Tool) => (lockedBy ? store.say(lockedBy) : store.startTool(mode)), [lockedBy, store]);

  /** Selects a lesion and brings every pane to it: its own mark on a visit that has one, else where the alignment carries its mark. */
  const jumpTo = (lesionId: number) => {
    store.select(lesionId);
    const lesion = regionLesions.find((item) => item.id === lesionId);
    if (!lesion) return;
    // In three planes the crosshair goes to the lesion: its mark at this visit, else where the alignment carries another visit's.
    const here = lesionPointAt(marksOf(lesion), target.visitCode, transforms);
    if (showMpr && here) mprGroup.pointTo('current', here.point);
    group.goToLesion((visitCode) => {
      const found = lesionPointAt(marksOf(lesion), visitCode, transforms);
      return found && { ...found, point: onPane(visitCode, found.point) };
    });
  };

  /** Selects a candidate and brings every pane to it: the current pane to its slice, the others where their alignment carries it. */
  const goToCandidate = (candidate: CandidateView) => {
    store.selectCandidate(candidate.id);
    const spot = candidateSpot(candidate);
    // In three planes the crosshair goes to its centre, where confirming it puts its mark (in the current series' coordinates).
    if (showMpr) mprGroup.pointTo('current', candidate.centre);
    group.goToLesion((visitCode) => ({ point: onPane(visitCode, pointBetweenVisits(spot, target.visitCode, visitCode, transforms)), from: target.visitCode }));
  };
  /**
   * Confirms or dismisses a candidate, then goes on to the next unreviewed one: the list is worked through as a
   * queue, one key a candidate. What was recorded is said in the panel, and the lesion list holds it.
   */
  const review = async (candidateId: string, decision: 'confirm' | 'dismiss') => {
    if (!pair) return;
    const answered = await reviewCandidate(target, pair, candidateId, decision);
    const next = answered && useReading.getState().selectedCandidateId === candidateId ? unreviewedStep(answered.candidates, candidateId, 1) : null;
    if (next) goToCandidate(next);
  };

  /** Where the current pane opens: where the reader was (same participant and region: the same point; else as far through the stack), else at the first marked lesion, else mid-stack. */
  const openingSlice = (images: readonly SeriesImage[]): number => {
    const from = useReading.getState().startFrom;
    const kept = from && from.participantId === target.participantId && from.region === target.region ? nearestSlice(images, from.point)?.index : undefined;
    if (kept !== undefined) return kept;
    if (from) return Math.round(from.fraction * (images.length - 1));
    const first = regionLesions.map((lesion) => lesionPointAt(marksOf(lesion), target.visitCode, transforms)).find((found) => found !== null);
    return (first ? nearestSlice(images, first.point)?.index : undefined) ?? Math.floor((images.length - 1) / 2);
  };

  /** Starts clicking a ruler, a trace or a lesion's ends on the current pane; refused on a signed read. */
  const startExtent = (kind: 'ruler' | 'trace' | 'ends') => {
    if (lockedBy) return store.say(lockedBy);
    if (kind === 'ruler') store.setExtentDraft({ kind, nextLevel: 'C2', anchors: [] });
    else if (kind === 'trace') store.setExtentDraft({ kind, side: (traces.data ?? []).some((trace) => trace.side === 'right') ? 'left' : 'right', points: [] });
    else store.setExtentDraft({ kind, lesionId: useReading.getState().selectedLesionId, ends: [] });
  };

  /** Saves the ruler or trace being clicked: main measures every unsigned lesion that used the old one again. */
  const saveExtent = async () => {
    const draft = useReading.getState().extentDraft;
    if (!draft || currentSeriesId === null) return;
    const problem = draft.kind === 'ruler' ? rulerProblem(draft.anchors) : draft.kind === 'trace' ? traceProblem(draft.points) : null;
    if (problem) return store.say(problem);
    const saved =
      draft.kind === 'ruler'
        ? await saveExtentBasis(
            target,
            async () => {
              const answer = await client.saveVertebralRuler({ seriesId: currentSeriesId, anchors: draft.anchors });
              queryClient.setQueryData(queryKeys.vertebralRuler(currentSeriesId), answer.ruler);
              return answer;
            },
            'Vertebral ruler',
          )
        : draft.kind === 'trace'
          ? await saveExtentBasis(
              target,
              async () => {
                const answer = await client.saveNerveTrace({ participantId: target.participantId, visitCode: target.visitCode, side: draft.side, seriesId: currentSeriesId, points: draft.points });
                void queryClient.invalidateQueries({ queryKey: queryKeys.nerveTraces(target.participantId, target.visitCode) });
                return answer;
              },
              `The ${draft.side} nerve's trace`,
            )
          : false;
    if (saved) store.setExtentDraft(null);
  };

  /** A lesion's two ends clicked: recorded at this visit for the selected lesion, or as a new lesion; main measures them. */
  const saveEnds = (lesionId: number | null, ends: [Vec3, Vec3], image: { instanceId: number; frame: number }) => {
    if (currentSeriesId === null) return;
    // The length along the cord or nerve stands as the longest diameter of a lesion measured by its ends (main measures its own).
    let lengthMm: number;
    let side: 'left' | 'right' | null = null;
    if (target.region === 'spinal_cord') {
      if (!ruler.data) return store.say(NO_RULER);
      const extent = cordExtent(cordRuler(ruler.data.anchors), ends[0], ends[1]);
      if (typeof extent === 'string') return store.say(extent);
      lengthMm = extent.lengthMm;
    } else {
      const lesion = regionLesions.find((item) => item.id === lesionId);
      const nearest = (traces.data ?? [])
        .map((trace) => ({ trace, off: projectOntoPolyline(trace.points, ends[0], false).offMm }))
        .sort((a, b) => a.off - b.off)[0]?.trace;
      const trace = lesion ? (traces.data ?? []).find((item) => item.side === lesion.side) : nearest;
      if (!trace) return store.say(lesion?.side === 'left' || lesion?.side === 'right' ? noTrace(lesion.side) : 'Trace the nerve first (T): the stretch is measured along it.');
      const stretch = opticStretch(trace.points, ends[0], ends[1]);
      if (typeof stretch === 'string') return store.say(stretch);
      lengthMm = stretch.fromGlobeMm[1] - stretch.fromGlobeMm[0];
      side = trace.side;
    }
    const here = regionLesions.find((item) => item.id === lesionId)?.observations.find((observation) => observation.visitCode === target.visitCode);
    const centre: Vec3 = [(ends[0][0] + ends[1][0]) / 2, (ends[0][1] + ends[1][1]) / 2, (ends[0][2] + ends[1][2]) / 2];
    const observation = {
      visitCode: target.visitCode,
      finding: here?.finding.kind === 'measured' ? here.finding : { kind: 'measured' as const, longestDiameterMm: Math.max(0.1, Math.round(lengthMm * 10) / 10) },
      image: here?.image ?? { seriesId: currentSeriesId, ...image },
      marks: here?.marks ?? { centre: [centre[0], centre[1], centre[2]] as [number, number, number], diameter: [ends[0], ends[1]] as [[number, number, number], [number, number, number]] },
      ends: [ends[0], ends[1]] as [[number, number, number], [number, number, number]],
    };
    store.setExtentDraft(null);
    void changeLesions(target, () =>
      lesionId !== null
        ? client.recordObservation({ lesionId, ...observation, image: { seriesId: currentSeriesId, ...image } })
        : client.createLesion({ participantId: target.participantId, region: target.region, ...(side ? { side } : {}), observation }),
    );
  };

  /** A click on the current pane while a ruler, trace or pair of ends is being made. */
  const extentClick = (point: [number, number, number], image: { instanceId: number; frame: number }) => {
    const draft = useReading.getState().extentDraft;
    if (!draft) return;
    if (draft.kind === 'ruler') {
      const anchors = [...draft.anchors.filter((anchor) => anchor.level !== draft.nextLevel), { level: draft.nextLevel, point }];
      const next = VERTEBRAL_LEVELS[VERTEBRAL_LEVELS.indexOf(draft.nextLevel) + 1] ?? draft.nextLevel;
      store.setExtentDraft({ ...draft, anchors, nextLevel: next });
    } else if (draft.kind === 'trace') store.setExtentDraft({ ...draft, points: [...draft.points, point] });
    else if (draft.ends.length === 0) store.setExtentDraft({ ...draft, ends: [point] });
    else saveEnds(draft.lesionId, [draft.ends[0]!, point], image);
  };

  const commands = useMemo((): ReadingCommands | null => {
    if (!plan || !worklist.data || !row) return null;
    const visitStep = (direction: 1 | -1) => {
      const scanned = worklist.data.visits.filter((visit) => row.cells.some((cell) => cell.visitCode === visit.code && cell.region === target.region && cell.status === 'present'));
      const next = scanned[scanned.findIndex((visit) => visit.code === target.visitCode) + direction];
      if (next) store.open({ ...target, visitCode: next.code }, { keepPosition: true });
    };
    const lesionStep = (direction: 1 | -1) => {
      if (regionLesions.length === 0) return;
      const at = regionLesions.findIndex((lesion) => lesion.id === selectedLesionId);
      // From no selection, the first lesion forward or the last one back.
      const next = at < 0 ? (direction === 1 ? 0 : regionLesions.length - 1) : (at + direction + regionLesions.length) % regionLesions.length;
      jumpTo(regionLesions[next]!.id);
    };
    return {
      step: (delta) => (showMpr ? mprGroup.step(delta) : group.step(delta)),
      page: (direction) => (showMpr ? mprGroup.page(direction) : group.page(direction)),
      nudge: (steps) => {
        const comparatorImages = comparatorPane ? imagesOf(comparatorPane) : undefined;
        const current = comparatorPane ? alignmentOf(comparatorPane)?.data : undefined;
        if (!pair || !comparatorImages) return;
        const transform = nudgeAlongComparator(current?.transform ?? IDENTITY, comparatorImages, steps);
        const [r, t, c] = [transform.rotationDeg, transform.translationMm, transform.centreMm];
        saveAlignment.mutate({ ...pair, transform: { rotationDeg: [r[0], r[1], r[2]], translationMm: [t[0], t[1], t[2]], centreMm: [c[0], c[1], c[2]] } });
      },
      realign: () => pair && realignment.mutate(pair),
      resetView: () => {
        if (!showMpr) return group.each((session) => session.reset());
        mprGroup.each((session) => session.reset());
        mprGroup.setInverted(false);
      },
      toggleInvert: () => {
        if (showMpr) return mprGroup.setInverted(!mprGroup.isInverted());
        const inverted = !(group.leader()?.isInverted() ?? false);
        group.each((session) => session.setInverted(inverted));
      },
      windowPreset: (preset) => {
        const base = useReading.getState().fileWindow;
        const chosen = base ? windowPresets(currentSequence, base).find((item) => item.id === preset) : undefined;
        if (preset === 'file') group.each((session) => session.reset());
        else if (chosen) {
          group.each((session) => session.applyWindow(chosen.window));
          // One view of the current volume takes it; the group hands it on (mpr-group.ts).
          mprGroup.session('current')?.view('axial').applyWindow(chosen.window);
          store.confirm(`Window: ${chosen.label}.`);
        }
      },
      toggleLayout,
      toggleMpr: store.toggleMpr,
      toggleSync: store.toggleSync,
      go: (step, direction) => {
        if (step === 'visit') return visitStep(direction);
        const next = neighbourCell(worklist.data, target, step, direction, REGIONS);
        if (next) store.open(next, { keepPosition: true });
      },
      goToLesion: lesionStep,
      startTool,
      cancel: store.cancel,
      toggleCine: store.toggleCine,
      cineRate: (direction) => store.setCineRate(nextRate(useReading.getState().cine.framesPerSecond, direction)),
      toggleMarks: store.toggleMarks,
      takeCheckTool: store.takeCheckTool,
      // In three planes, the view last pointed at; f again (or Esc) restores the layout.
      toggleMaximised: () => {
        const { row, axis } = mprGroup.activeView();
        store.toggleMaximised(showMpr ? (useReading.getState().maximised ?? maximisedView(row, axis)) : target.visitCode);
      },
      toggleAligned: store.toggleAligned,
      toggleSubtraction: store.toggleSubtraction,
      subtractionWindow: store.setSubtractionWindow,
      subtractionOpacity: () => store.setSubtractionOpacity(),
      toggleCrosshair: store.toggleCrosshair,
      goToCandidate: (direction) => {
        const next = unreviewedStep(candidates, useReading.getState().selectedCandidateId, direction);
        if (next) goToCandidate(next);
      },
      reviewCandidate: (decision) => {
        const selected = useReading.getState().selectedCandidateId;
        if (selected) void review(selected, decision);
      },
      startExtent,
      saveExtent: () => void saveExtent(),
      close: onClose,
      region: target.region,
      hasExtentDraft: extentDraft !== null && extentDraft.kind !== 'ends',
      hasComparator: pair !== null,
      hasUnreviewed: (assisted.candidates?.unreviewed ?? 0) > 0,
      hasCandidateSelection: candidates.some((candidate) => candidate.id === selectedCandidateId),
      hasSelection: selectedLesionId !== null,
      hasLesions: regionLesions.length > 0,
      canCancel: tool !== null || pending !== null || checkTool !== null || maximised !== null || extentDraft !== null,
    };
    // imagesOf, alignmentOf, jumpTo, goToCandidate and toggleLayout read the queries above, which these dependencies follow.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [plan, worklist.data, row, target, group, mprGroup, showMpr, pair, seriesFor, images.data, alignments, startTool, selectedLesionId, selectedCandidateId, tool, checkTool, pending, maximised, regionLesions, reader, hanging.data, onClose, assisted.candidates, resampledVisit, extentDraft, ruler.data, traces.data]);
  useProvideCommands('reading', commands);

  /** Saves a measurement with its region details: a new lesion, a split, or the selected lesion measured again. */
  const save = (pending: PendingMeasurement, thenEnds = false) => {
    const { measurement, details, tool: mode, lesionId } = pending;
    // Measured again where its ends were clicked: the ends stay, and give the levels or flags as before.
    const kept = mode === 'existing' ? keptExtent(regionLesions.find((lesion) => lesion.id === lesionId)?.observations.find((observation) => observation.visitCode === target.visitCode)) : null;
    const levels = details.levels?.upper && details.levels.lower ? { upper: details.levels.upper, lower: details.levels.lower } : null;
    const observation = {
      visitCode: target.visitCode,
      finding: { kind: 'measured' as const, longestDiameterMm: Math.max(0.1, Math.round(measurement.lengthMm * 10) / 10) },
      image: { seriesId: pending.seriesId, ...measurement.image },
      marks: { centre: measurement.centre, diameter: measurement.diameter },
      ...(kept ?? {
        ...(target.region === 'spinal_cord' && levels ? { levels, extentReason: details.extentReason.trim() } : {}),
        // Ends to be clicked next give the optic extent: no flags are ticked for it meanwhile.
        ...(target.region === 'optic_nerve' && !thenEnds ? { opticExtent: details.opticExtent } : {}),
      }),
    };
    store.dropPending();
    const saved = changeLesions(target, () =>
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
    // The lesion saved is the one selected: its ends are clicked next.
    if (thenEnds) void saved.then((done) => done && store.setExtentDraft({ kind: 'ends', lesionId: useReading.getState().selectedLesionId, ends: [] }));
  };

  /** A diameter drawn: a brain lesion is saved at once; a cord or optic one waits for its details, asked in the panel. */
  const measured = (measurement: Measurement) => {
    const { tool: mode, selectedLesionId } = useReading.getState();
    if (currentSeriesId === null || mode === null) return;
    const lesionId = mode === 'new' ? null : selectedLesionId;
    const lesion = regionLesions.find((item) => item.id === lesionId) ?? null;
    const pending: PendingMeasurement = { measurement, seriesId: currentSeriesId, tool: mode, lesionId, details: prefilledDetails(lesion, measurement.centre) };
    if (target.region === 'brain') {
      store.cancelTool();
      save(pending);
    } else store.hold(pending);
  };

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
        ...(keptExtent(here) ?? {
          ...(here.levels ? { levels: { upper: here.levels.upper as VertebralLevel, lower: here.levels.lower as VertebralLevel } } : {}),
          ...(here.opticExtent ? { opticExtent: here.opticExtent } : {}),
        }),
      }),
    );
  };

  const failure = worklist.error ?? charter.error;
  if (failure) return <ErrorNotice title="The reading layout could not be opened" message={errorMessage(failure)} />;
  if (!worklist.data || !charter.data) return <p className="muted page-pad">Opening…</p>;
  if (!row || !plan) return <ErrorNotice title="Nothing to read here" message={`No ${REGION_LABEL[target.region].toLowerCase()} series at ${target.visitCode} for this participant.`} />;

  const seriesById = new Map((seriesList.data ?? []).map((item) => [item.id, item]));
  /**
   * A visit's own marks, and a ghost of every other lesion where its mark at another visit falls on this visit's images.
   * The adjudicator's marks carry their reader: its colour, and its tag on the label ("R1 B1").
   */
  const marksAt = (visitCode: string): PaneMark[] =>
    regionLesions.flatMap((lesion): PaneMark[] => {
      const own = lesion.observations.find((observation) => observation.visitCode === visitCode && observation.marks);
      const selected = lesion.id === selectedLesionId;
      const reader = adjudicating && isReaderTrack(lesion.track) ? lesion.track : null;
      const label = reader ? readerLabel(reader, lesion.label) : lesion.label;
      if (own?.marks) {
        const lengthMm = own.finding.kind === 'measured' ? own.finding.longestDiameterMm : null;
        return [{ lesionId: lesion.id, label, centre: own.marks.centre, diameter: own.marks.diameter ?? null, lengthMm, selected, ghostOf: null, madeBy: actorName(own.recordedBy), reader }];
      }
      const carried = lesionPointAt(marksOf(lesion), visitCode, transforms);
      if (!carried) return [];
      return [{ lesionId: lesion.id, label, centre: carried.point, diameter: null, lengthMm: null, selected, ghostOf: carried.from, madeBy: null, reader }];
    });
  /** A pane's marks where it shows them: the resampled comparator's carried into the current visit's coordinates. */
  const paneMarks = (visitCode: string): PaneMark[] => (visitCode === resampledVisit ? marksAt(visitCode).map((mark) => carriedMark(mark, (point) => onPane(visitCode, point))) : marksAt(visitCode));
  /** Each lesion's clicked ends at this visit, with what they measured. */
  const lesionEnds: LesionEnds[] = regionLesions.flatMap((lesion) => {
    const here = lesion.observations.find((observation) => observation.visitCode === target.visitCode);
    if (!here?.extent?.ends) return [];
    return [{ lesionId: lesion.id, label: lesion.label, ends: here.extent.ends, text: extentWords(here), selected: lesion.id === selectedLesionId }];
  });
  const toggle = (key: 'slices' | 'window' | 'zoomPan', label: string, id: string) => (
    <label className="sync-toggle" title={commandTitle(command(id))}>
      <input type="checkbox" checked={sync[key]} data-testid={`sync-${key}`} onChange={() => store.toggleSync(key)} /> {label}
    </label>
  );

  return (
    <div className={marksHidden ? 'reading marks-hidden' : 'reading'} data-testid="reading-view" data-layout={layout} data-mpr={mpr ? (showMpr ? 'shown' : 'wanted') : 'off'} data-maximised={maximised ?? ''} data-check-tool={checkTool ?? ''}>
      <div className="reading-bar">
        <button type="button" onClick={onClose} title={commandTitle(command('close-reading'))}>
          ← Worklist
        </button>
        <strong data-testid="reading-title">
          {row.subjectCode} · {REGION_LABEL[target.region]} · {blinded ? 'Current' : plan.current.label}
        </strong>
        {blinded ? (
          <span className="muted comparator-note">{plan.comparator ? 'vs Prior' : 'no earlier scan'}</span>
        ) : (
          <span className="muted comparator-note" title={plan.comparator ? `Compared with ${plan.comparator.label}: the charter's comparator is the ${charter.data.comparator === 'previous' ? 'previous scan' : 'baseline'}.` : 'The baseline: nothing earlier to compare with.'}>
            {plan.comparator ? `vs ${plan.comparator.visitCode}` : 'baseline'}
          </span>
        )}
        <span className="spacer" />
        {toggle('slices', 'slices', 'sync-slices')}
        {toggle('window', 'window', 'sync-window')}
        {toggle('zoomPan', 'zoom/pan', 'sync-zoom-pan')}
        <span className="cine-controls">
          <button type="button" data-testid="cine" aria-pressed={cine.playing} title={commandTitle(command('cine'))} onClick={store.toggleCine}>
            {cine.playing ? '❚❚ Pause' : '▶ Cine'}
          </button>
          <select aria-label="Cine rate" data-testid="cine-rate" value={cine.framesPerSecond} onChange={(event) => store.setCineRate(Number(event.target.value))} title={`${commandTitle(command('cine-faster'))}; ${commandTitle(command('cine-slower'))}`}>
            {CINE_RATES.map((rate) => (
              <option key={rate} value={rate}>
                {rate} / s
              </option>
            ))}
          </select>
        </span>
        <span className="check-tools" role="group" aria-label="Checks (not counted)">
          {CHECK_TOOLS.map(([name, label]) => (
            <button key={name} type="button" data-testid={`check-${name}`} aria-pressed={checkTool === name} title={commandTitle(command(`check-${name}`))} onClick={() => store.takeCheckTool(name)}>
              {label}
            </button>
          ))}
        </span>
        <button type="button" data-testid="marks-toggle" aria-pressed={marksHidden} title={commandTitle(command('marks'))} onClick={store.toggleMarks}>
          {marksHidden ? 'Show marks' : 'Hide marks'}
        </button>
        <button type="button" data-testid="layout-toggle" title={commandTitle(command('layout'))} onClick={toggleLayout}>
          {showMpr ? (layout === 'two' ? '2D: two panes' : '2D: all visits') : layout === 'two' ? 'All visits' : 'Two panes'}
        </button>
        <button type="button" data-testid="mpr-toggle" aria-pressed={showMpr} title={commandTitle(command('mpr'))} onClick={store.toggleMpr}>
          {showMpr ? '2D' : '3 planes'}
        </button>
        {showMpr && comparatorPane && comparatorRefused !== null && (
          <span className="muted mpr-refused" role="status" data-testid="mpr-comparator-refused">
            The comparator&apos;s series is not shown in three planes: {comparatorRefused}.
          </span>
        )}
        {mpr && mprRefused !== null && (
          <span className="muted mpr-refused" role="status" data-testid="mpr-refused">
            2D only: this series cannot be shown in three planes, {mprRefused}.
          </span>
        )}
        <button type="button" onClick={useCommandContext.getState().toggleHelp} title={commandTitle(command('help'))} aria-pressed={helpOpen}>
          ?
        </button>
      </div>
      {notice && <ErrorNotice title="Not saved" message={notice} />}
      {images.error && <ErrorNotice title="The images could not be listed" message={errorMessage(images.error)} />}
      <div className="reading-body">
        {showMpr ? (
          <MprLayout
            group={mprGroup}
            engine={engine}
            rows={[plan.current, ...(comparatorPane ? [comparatorPane] : [])].flatMap((pane): MprRowInput[] => {
              const listing = listingOf(pane);
              // A comparator series that is no volume has no row: the bar says why.
              if (pane.role !== 'current' && (!listing || mprRefusal(listing.images) !== null)) return [];
              const role = pane.role === 'current' ? 'current' : 'comparator';
              const alignment = role === 'comparator' ? alignmentOf(pane) : undefined;
              const marks = role === 'current' && pending ? [...marksAt(pane.visitCode), pendingMark(pending)] : marksAt(pane.visitCode);
              const switcher = <SeriesSwitcher choices={pane.seriesIds.flatMap((id) => seriesById.get(id) ?? [])} chosenId={seriesFor(pane)} onChoose={(seriesId) => chooseSeries(pane.visitCode, seriesId)} />;
              return listing ? [{ row: role, pane, series: seriesById.get(seriesFor(pane)) ?? null, listing, marks, alignmentNote: alignment ? alignmentNote(alignment, false) : null, switcher }] : [];
            })}
            candidates={candidates}
            onMeasured={tool ? measured : undefined}
            onEdited={!lockedBy && !tool ? edited : undefined}
          />
        ) : (
        <div className={`reading-panes panes-${maximised ? 1 : panes.length}`}>
          {panes.map((pane) => {
            const resampled = pane.visitCode === resampledVisit ? assisted.resampled : null;
            // The resampled comparator lies on the current series' slices, whose geometry it takes.
            const listing = listingOf(resampled ? plan.current : pane);
            const alignment = pane.role === 'current' ? null : alignmentOf(pane);
            const realigning = realignment.isPending && realignment.variables?.comparatorSeriesId === seriesFor(pane);
            // The current pane waits for the lesions: it opens at the first one.
            return listing && shownLesions && hanging.data ? (
              <ReadingPane
                key={`${targetKey}-${pane.visitCode}-${seriesFor(pane)}-${resampled ? assisted.ready?.resultId : 'acquired'}`}
                pane={pane}
                series={seriesById.get(seriesFor(pane)) ?? null}
                switcher={<SeriesSwitcher choices={pane.seriesIds.flatMap((id) => seriesById.get(id) ?? [])} chosenId={seriesFor(pane)} onChoose={(seriesId) => chooseSeries(pane.visitCode, seriesId)} />}
                listing={listing}
                resampled={resampled}
                derivedNote={pane.role === 'current' ? assisted.currentNote : pane.role === 'comparator' ? assisted.comparatorNote : null}
                subtraction={pane.role === 'current' ? assisted.overlay : null}
                candidates={pane.role === 'current' ? candidates : undefined}
                group={group}
                engine={engine}
                transform={resampled ? IDENTITY : (alignment?.data?.transform ?? IDENTITY)}
                alignmentNote={alignment ? alignmentNote(alignment, realigning) : null}
                onFirstWindow={pane.role === 'current' ? store.setFileWindow : undefined}
                openingSlice={pane.role === 'current' ? openingSlice : undefined}
                hidden={maximised !== null && maximised !== pane.visitCode}
                probing={checkTool === 'probe'}
                onDoubleClick={() => store.toggleMaximised(pane.visitCode)}
                marks={pane.role === 'current' && pending ? [...marksAt(pane.visitCode), pendingMark(pending)] : paneMarks(pane.visitCode)}
                onMeasured={pane.role === 'current' && tool ? measured : undefined}
                onEdited={pane.role === 'current' && !lockedBy && !tool && !extentDraft ? edited : undefined}
                extent={
                  pane.role === 'current' && target.region !== 'brain' && !resampled
                    ? { ruler: ruler.data ?? null, traces: traces.data ?? [], lesionEnds, draft: extentDraft, onClick: extentDraft ? extentClick : undefined }
                    : undefined
                }
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
        )}
        <div className="side-panels">
          {!adjudicating && (
            <ExtentPanel region={target.region} ruler={ruler.data ?? null} traces={traces.data ?? []} draft={extentDraft} lockedBy={lockedBy} lesions={regionLesions} onSave={() => void saveExtent()} />
          )}
          <AssistPanel assisted={assisted} onGoTo={goToCandidate} onReview={(candidate, decision) => void review(candidate.id, decision)} />
          {adjudicating ? (
            <AdjudicationPanel read={target} standing={adjudicatorRoom.standing} error={adjudicatorRoom.error} lesions={regionLesions} onJump={jumpTo} />
          ) : (
            <LesionPanel
              reader={reader}
              read={target}
              visits={worklist.data.visits}
              lesions={regionLesions}
              counts={counts.data ?? null}
              signature={signature}
              readiness={readiness.data ?? null}
              lockedBy={lockedBy}
              unreviewed={assisted.candidates?.unreviewed ?? 0}
              actions={{ jumpTo, startTool, save, nextCandidate: () => commands?.goToCandidate(1) }}
            />
          )}
        </div>
      </div>
    </div>
  );
}
