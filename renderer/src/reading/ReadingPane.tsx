// One visit of the reading layout: a stack viewport in a pane group, with
// the overlay a reader expects (visit and date, series, slice and its
// location, window, orientation letters, how it is aligned), and what
// assisted detection adds: the comparator resampled into the current grid in
// place of its own images, the subtraction and the candidates over the
// current pane, and the linked cursor.
import type { RenderingEngine } from '@cornerstonejs/core';
import { type ComponentProps, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { CandidateView, SeriesImage, SeriesImages, SeriesSummary } from '../../../shared/contract';
import { sliceNormal } from '../../../shared/geometry';
import type { PlannedPane } from '../../../shared/reading-plan';
import { inverseTransform } from '../../../shared/slice-sync';
import { dot, type RigidMotion, type Vec3 } from '../../../shared/vector';
import { imageIdsFor } from '../api';
import { keyLabel } from '../commands/command';
import { command } from '../commands/command-table';
import { ErrorNotice } from '../components/ErrorNotice';
import { errorMessage, formatStudyDate } from '../format';
import { EdgeLabels } from '../viewer/EdgeLabels';
import { INITIAL_STACK_STATE, StackSession, type StackState } from '../viewer/stack-session';
import type { PaneGroup } from './pane-group';
import { CandidateRings, CrosshairLayer, pointerPoint, SubtractionLayer, type SubtractionShown } from './AssistLayers';
import { candidateSpot } from './assisted';
import { ExtentLayer } from './ExtentLayer';
import { MarksLayer, type Measurement, MeasureLayer, type PaneMark, type Probe, ProbeLayer, sliceShown } from './PaneMarks';
import { useReading } from './reading-store';

export interface ReadingPaneProps {
  pane: PlannedPane;
  series: SeriesSummary | null;
  group: PaneGroup;
  engine: RenderingEngine;
  transform: RigidMotion;
  alignmentNote: string | null;
  /** The series' images, as the store that holds them listed them (for the resampled comparator: the current series', whose grid it is in). */
  listing: SeriesImages;
  /** The comparator resampled into the current grid: its derived slices, one per image of the listing, in place of the listing's own. */
  resampled?: readonly string[] | null;
  /** What the derived images say on this pane: "aligned (resampled)", "computing the subtraction…", why there is none. */
  derivedNote?: string | null;
  /** The subtraction drawn over this pane (the current one), while the reader shows it. */
  subtraction?: SubtractionShown | null;
  /** The read's candidates, ringed on their slices (the current pane). */
  candidates?: readonly CandidateView[];
  /** The window the file gives, once shown: the base of the window presets. */
  onFirstWindow?: ((window: { width: number; center: number }) => void) | undefined;
  /** Lesion marks made on this visit's images. */
  marks: readonly PaneMark[];
  /** The series switcher of this visit, when it has more than one series for the region. */
  switcher?: ReactNode;
  /** Set while the reader measures a lesion on this pane. */
  onMeasured?: ((measurement: Measurement) => void) | undefined;
  /** Set where the selected lesion's diameter may be moved by its ends. */
  onEdited?: ((lesionId: number, measurement: Measurement) => void) | undefined;
  /** The slice to open on, chosen from the images (the leading pane's; the others follow it). */
  openingSlice?: ((images: readonly SeriesImage[]) => number) | undefined;
  /** The ruler, traces and lesion ends drawn over the current pane, and the clicks of one being made. */
  extent?: Omit<ComponentProps<typeof ExtentLayer>, 'session' | 'images' | 'index'> | undefined;
  /** Set while the reader holds the probe: a click on the pane shows the value there. */
  probing?: boolean;
  /** Out of sight while another pane is maximised: it keeps its place and its sync. */
  hidden?: boolean;
  onDoubleClick?: () => void;
}

const ROLE_LABEL: Readonly<Record<PlannedPane['role'], string>> = { current: 'reading', comparator: 'comparator', other: '' };

/** Why the reader's checks are not offered on the resampled comparator, and how to measure there. */
const CHECKS_ON_ACQUIRED = `Checks measure acquired images, not this resampled one: ${command('aligned-view').keys.map(keyLabel).join(' ')} shows the comparator's own.`;

export function ReadingPane({
  pane,
  series,
  listing,
  resampled = null,
  derivedNote = null,
  subtraction = null,
  candidates = [],
  group,
  engine,
  transform,
  alignmentNote,
  onFirstWindow,
  marks,
  onMeasured,
  onEdited,
  switcher,
  openingSlice,
  probing = false,
  hidden = false,
  onDoubleClick,
  extent,
}: ReadingPaneProps) {
  const elementRef = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState<StackSession | null>(null);
  // Bumped when the view zooms or pans, so that marks and the subtraction follow the image.
  const [cameraTick, setCameraTick] = useState(0);
  const checkTool = useReading((state) => state.checkTool);
  const selectedCandidateId = useReading((state) => state.selectedCandidateId);
  const [stack, setStack] = useState<StackState>(INITIAL_STACK_STATE);
  const [failure, setFailure] = useState<string | null>(null);
  const [probes, setProbes] = useState<readonly Probe[]>([]);
  const { images } = listing;
  const leads = pane.role === 'current';
  const id = `${pane.visitCode}`;
  const transformRef = useRef(transform);
  transformRef.current = transform;

  // The session lives exactly as long as this effect run: created and joined here, destroyed and gone in its cleanup.
  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    let live = true;
    let firstWindowSent = false;
    setStack(INITIAL_STACK_STATE);
    setFailure(null);
    const session = new StackSession(
      element,
      resampled ? [...resampled] : imageIdsFor(listing),
      (state) => {
        if (!live) return;
        setStack(state);
        if (state.rendered && state.window && !firstWindowSent) {
          firstWindowSent = true;
          onFirstWindow?.(state.window);
        }
        group.stateChanged(id, state);
      },
      {
        onCamera: () => {
          if (!live) return;
          setCameraTick((tick) => tick + 1);
          group.cameraChanged(id);
        },
        wheelScrolls: leads,
        engine,
        initialIndex: openingSlice?.(images),
      },
    );
    setSession(session);
    group.join(id, { session, images, transform: transformRef.current, resampled: resampled !== null }, leads);
    session
      .open()
      .then(() => live && group.setTransform(id, transformRef.current))
      .catch((error: unknown) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
      setSession(null);
      group.leave(id, session);
      session.destroy();
    };
    // onFirstWindow, openingSlice and the resampled slices are read once per session (the pane's key follows the latter).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [images, group, engine, id, leads]);

  useEffect(() => group.setTransform(id, transform), [group, id, transform]);

  // A wheel over a mark, a handle or a measuring layer reaches the image beneath, as if they were not there:
  // slices scroll and Ctrl+wheel zooms wherever the cursor is.
  const paneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const pane = paneRef.current;
    const element = elementRef.current;
    if (!pane || !element) return;
    const forward = (event: WheelEvent) => {
      if (element.contains(event.target as Node)) return;
      event.preventDefault();
      event.stopPropagation();
      const { deltaX, deltaY, deltaZ, deltaMode, clientX, clientY, screenX, screenY, ctrlKey, shiftKey, altKey, metaKey } = event;
      element.dispatchEvent(new WheelEvent('wheel', { deltaX, deltaY, deltaZ, deltaMode, clientX, clientY, screenX, screenY, ctrlKey, shiftKey, altKey, metaKey, bubbles: true, cancelable: true }));
    };
    pane.addEventListener('wheel', forward, { capture: true, passive: false });
    return () => pane.removeEventListener('wheel', forward, { capture: true });
  }, []);

  const image = stack.index >= 0 ? images[stack.index] : undefined;
  const normal = image?.orientation ? sliceNormal(image.orientation) : null;
  const location = normal && image?.position ? dot(image.position as Vec3, normal) : null;
  const error = failure ?? stack.error;
  const shown = useMemo(() => (stack.index >= 0 ? sliceShown(images, stack.index) : null), [images, stack.index]);

  return (
    <div
      ref={paneRef}
      className={`reading-pane role-${pane.role}${hidden ? ' hidden' : ''}`}
      data-testid="reading-pane"
      data-visit={pane.visitCode}
      data-role={pane.role}
      data-series-id={series?.id ?? ''}
      data-slice-index={stack.index}
      data-slice-count={stack.count}
      data-rendered={stack.rendered ? 'true' : 'false'}
      data-view={resampled ? 'resampled' : 'native'}
      onPointerMove={(event) => {
        const element = elementRef.current;
        if (!session || !element || !useReading.getState().crosshair.on) return;
        useReading.getState().setCrosshairPoint(pointerPoint(session, element, event.clientX, event.clientY, inverseTransform(transform)));
      }}
      onContextMenu={(event) => event.preventDefault()}
      onDoubleClick={onDoubleClick}
      // A follower's wheel scrolls the group (with Ctrl it zooms the pane, and never gets here: stack-session.ts).
      onWheel={leads ? undefined : (event) => group.step(Math.sign(event.deltaY))}
    >
      <div ref={elementRef} className="cornerstone-element" />
      {stack.rendered && subtraction && <SubtractionLayer session={session} image={image} index={stack.index} shown={subtraction} view={cameraTick} />}
      {stack.rendered && candidates.length > 0 && <CandidateRings session={session} placeOf={(candidate) => (candidate.sliceIndex === stack.index ? candidateSpot(candidate) : null)} candidates={candidates} selectedId={selectedCandidateId} />}
      {stack.rendered && <MarksLayer session={session} shown={shown} marks={marks} onEdited={onEdited} />}
      {stack.rendered && <ProbeLayer session={session} shown={shown} probes={probes} onProbe={probing && !resampled ? (probe) => setProbes((placed) => [...placed, probe]) : undefined} />}
      {stack.rendered && <CrosshairLayer session={session} transform={transform} />}
      {stack.rendered && extent && <ExtentLayer session={session} images={images} index={stack.index} {...extent} />}
      {stack.rendered && onMeasured && shown && <MeasureLayer session={session} shown={shown} onMeasured={onMeasured} />}
      {switcher}
      <div className="viewer-overlay">
        <div className="corner top-left">
          <span className="visit-label">
            {pane.label}
            {ROLE_LABEL[pane.role] && <span className="role-tag">{ROLE_LABEL[pane.role]}</span>}
          </span>
          <span>{series ? formatStudyDate(series.studyDate) : ''}</span>
        </div>
        <div className="corner top-right">
          <span className="series-description">{series?.description || '–'}</span>
          {alignmentNote && <span data-testid="alignment-note">{alignmentNote}</span>}
          {derivedNote && (
            <span className={resampled ? 'derived-note resampled' : 'derived-note'} data-testid="derived-note">
              {derivedNote}
            </span>
          )}
        </div>
        <div className="corner bottom-left">
          <span data-testid="slice-label">
            slice {stack.index >= 0 ? stack.index + 1 : '–'} / {stack.count}
          </span>
          {location !== null && <span>loc {location.toFixed(1)} mm</span>}
        </div>
        <div className="corner bottom-right">
          {stack.inverted && <span className="inverted-mark">inverted</span>}
          <span data-testid="pane-window">{stack.window ? `W ${Math.round(stack.window.width)}  L ${Math.round(stack.window.center)}` : 'W –  L –'}</span>
        </div>
        <EdgeLabels orientation={image?.orientation} />
      </div>
      {resampled && checkTool && (
        <div className="pane-notice" role="status" data-testid="resampled-no-checks">
          {CHECKS_ON_ACQUIRED}
        </div>
      )}
      {!stack.rendered && !error && (
        <div className="viewer-status" role="status">
          <span className="spinner" aria-hidden="true" /> Loading {pane.label}…
        </div>
      )}
      {error && (
        <div className={stack.rendered ? 'viewer-error over-image' : 'viewer-error'}>
          <ErrorNotice title="Image not shown" message={error} />
        </div>
      )}
    </div>
  );
}
