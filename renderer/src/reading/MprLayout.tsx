// The MPR layout: the series being read in three planes (axial, sagittal,
// coronal) on the top row, its comparator's below, each plane a Cornerstone3D
// volume viewport (viewer/mpr-session.ts). Reference lines show where the
// other two planes cut each view and cross at their common point; a click
// moves the crosshair there (mpr-group.ts), the wheel scrolls a view by the
// volume's own step. Marks are the 2D panes' own layers (PaneMarks.tsx) on a
// plane instead of a slice: a mark shows on the plane within half a step of
// it, and a diameter drawn on any plane is stored in patient coordinates with
// the nearest acquired image of the series. The 2D panes' other layers work
// on a plane as they do on a slice (AssistLayers.tsx, PaneMarks.tsx): the
// read's candidates ringed at their centres (where a confirmed one's mark
// will be; a 2D pane rings them on their slice) on the current visit's views, the reader's checks
// (length and ellipse by Cornerstone's tools, the probe ours), and the
// linked cursor's cross on every view whose plane passes within half a step
// of the point under the pointer. A double-click (or f) maximises a view.
import type { RenderingEngine } from '@cornerstonejs/core';
import { useShallow } from 'zustand/react/shallow';
import { type ReactNode, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { CandidateView, SeriesImage, SeriesImages, SeriesSummary } from '../../../shared/contract';
import { distanceFromPlane, meetingDirection } from '../../../shared/mpr-planes';
import type { PlannedPane } from '../../../shared/reading-plan';
import { reconstructable } from '../../../shared/reconstructable';
import { nearestSlice } from '../../../shared/slice-sync';
import { add, cross, scale, type Vec3 } from '../../../shared/vector';
import { imageIdsFor } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatStudyDate } from '../format';
import { EdgeLabels } from '../viewer/EdgeLabels';
import { INITIAL_PROGRESS, MprSession, PLANE_AXES, type PlaneAxis, type PlaneView, type VolumeProgress } from '../viewer/mpr-session';
import { CandidateRings, CrosshairLayer } from './AssistLayers';
import type { MprGroup, MprRow } from './mpr-group';
import { MarksLayer, type Measurement, MeasureLayer, type PaneMark, type Probe, ProbeLayer, pointerAt, type ShownPlane } from './PaneMarks';
import { useReading } from './reading-store';

/** Why a series cannot be shown in three planes (shared/reconstructable.ts), or null when it can. Each listed image is one frame, placed by its own position. */
export function mprRefusal(images: readonly SeriesImage[]): string | null {
  const verdict = reconstructable(images.map(({ position, orientation, pixelSpacing, rows, columns }) => ({ position, orientation, pixelSpacing, rows, columns, frames: 1 })));
  return verdict.ok ? null : verdict.reason;
}

export interface MprRowInput {
  row: MprRow;
  pane: PlannedPane;
  series: SeriesSummary | null;
  listing: SeriesImages;
  marks: readonly PaneMark[];
  alignmentNote: string | null;
  /** The visit's series switcher (on its axial view): another series of the visit, in three planes where it is a volume. */
  switcher: ReactNode;
}

const AXIS_LABEL: Readonly<Record<PlaneAxis, string>> = { axial: 'Axial', sagittal: 'Sagittal', coronal: 'Coronal' };

/** What the reading store's `maximised` holds for a view of the layout. */
export const maximisedView = (row: MprRow, axis: PlaneAxis) => `${row}-${axis}`;

/** Reaches past any view's corners: a reference line through the centre drawn this far each way (mm) crosses the whole view. */
const LINE_REACH_MM = 2000;

export function MprLayout({
  group,
  engine,
  rows,
  candidates,
  onMeasured,
  onEdited,
}: {
  group: MprGroup;
  engine: RenderingEngine;
  rows: readonly MprRowInput[];
  /** The read's candidates, ringed on the current visit's views. */
  candidates: readonly CandidateView[];
  /** Set while the reader measures a lesion: a drag on any plane of the current visit. */
  onMeasured?: ((measurement: Measurement) => void) | undefined;
  onEdited?: ((lesionId: number, measurement: Measurement) => void) | undefined;
}) {
  const maximised = useReading((state) => state.maximised);
  return (
    <div className={maximised ? 'mpr-layout maximised' : 'mpr-layout'} data-testid="mpr-layout" data-rows={rows.length}>
      {rows.map((input) => (
        <MprRowView
          key={`${input.row}-${input.listing.seriesId}`}
          group={group}
          engine={engine}
          input={input}
          candidates={input.row === 'current' ? candidates : []}
          onMeasured={input.row === 'current' ? onMeasured : undefined}
          onEdited={input.row === 'current' ? onEdited : undefined}
        />
      ))}
    </div>
  );
}

function MprRowView({
  group,
  engine,
  input,
  candidates,
  onMeasured,
  onEdited,
}: {
  group: MprGroup;
  engine: RenderingEngine;
  input: MprRowInput;
  candidates: readonly CandidateView[];
  onMeasured?: ((measurement: Measurement) => void) | undefined; onEdited?: ((lesionId: number, measurement: Measurement) => void) | undefined }) {
  const axial = useRef<HTMLDivElement>(null);
  const sagittal = useRef<HTMLDivElement>(null);
  const coronal = useRef<HTMLDivElement>(null);
  const elements = { axial, sagittal, coronal };
  const [session, setSession] = useState<MprSession | null>(null);
  const [progress, setProgress] = useState<VolumeProgress>(INITIAL_PROGRESS);
  // The reader's probes on this row, in its patient coordinates: each shows on every view whose plane passes by it.
  const [probes, setProbes] = useState<readonly Probe[]>([]);
  const { row, listing } = input;

  // The session (and its volume) lives exactly as long as this effect run.
  useEffect(() => {
    if (!axial.current || !sagittal.current || !coronal.current) return;
    let live = true;
    let joined = false;
    const session = new MprSession(engine, { axial: axial.current, sagittal: sagittal.current, coronal: coronal.current }, imageIdsFor(listing), {
      zoomPan: row === 'current',
      onProgress: (state) => {
        if (!live) return;
        setProgress(state);
        // A row joins once its volume is on the views: then there are cameras to follow.
        if (state.shown && !joined) {
          joined = true;
          group.join(row, session);
        }
      },
      onCamera: (axis) => live && group.cameraChanged(row, axis),
      onWindow: (axis) => live && group.windowChanged(row, axis),
    });
    setSession(session);
    void session.open();
    return () => {
      live = false;
      setSession(null);
      group.leave(row, session);
      session.destroy();
    };
  }, [listing, engine, group, row]);

  return (
    <>
      {PLANE_AXES.map((axis) => (
        <MprViewPane
          key={axis}
          axis={axis}
          elementRef={elements[axis]}
          view={session && progress.shown ? session.view(axis) : null}
          group={group}
          input={input}
          progress={progress}
          candidates={candidates}
          probes={probes}
          onProbe={(probe) => setProbes((placed) => [...placed, probe])}
          onMeasured={onMeasured}
          onEdited={onEdited}
        />
      ))}
    </>
  );
}

/** The plane a view shows, for the marks: points within half the volume's step of it, and the acquired slice nearest a point. */
function planeShown(view: PlaneView, images: readonly SeriesImage[]): ShownPlane | null {
  const plane = view.plane();
  const step = view.step();
  if (!plane || !step) return null;
  return {
    contains: (point) => Math.abs(distanceFromPlane(plane, point)) <= step / 2 + 1e-3,
    image: (point) => {
      const nearest = nearestSlice(images, point);
      return nearest ? images[nearest.index] : undefined;
    },
  };
}

/** The view's orientation as an image's would be (row then column direction), for the letters at its edges. */
function viewOrientation(view: PlaneView): number[] | null {
  const camera = view.camera();
  if (!camera) return null;
  const right = cross(camera.viewUp, camera.viewPlaneNormal);
  return [...right, ...scale(camera.viewUp, -1)];
}

function MprViewPane({
  axis,
  elementRef,
  view,
  group,
  input,
  progress,
  candidates,
  probes,
  onProbe,
  onMeasured,
  onEdited,
}: {
  axis: PlaneAxis;
  elementRef: React.RefObject<HTMLDivElement | null>;
  view: PlaneView | null;
  group: MprGroup;
  input: MprRowInput;
  progress: VolumeProgress;
  candidates: readonly CandidateView[];
  probes: readonly Probe[];
  onProbe: (probe: Probe) => void;
  onMeasured?: ((measurement: Measurement) => void) | undefined;
  onEdited?: ((lesionId: number, measurement: Measurement) => void) | undefined;
}) {
  // Every camera or window change anywhere draws the overlays again.
  const version = useSyncExternalStore(group.subscribe, group.snapshot);
  const pressed = useRef<[number, number] | null>(null);
  const { row, listing, pane, series } = input;
  const shown = useMemo(() => (view ? planeShown(view, listing.images) : null), [view, listing.images, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const centre = view ? group.centre(row) : null;
  const centreOnCanvas = centre && view ? view.worldToCanvas(centre) : null;
  const window = view?.window() ?? null;
  const camera = view?.camera() ?? null;
  const loading = progress.total > 0 && progress.loaded < progress.total;
  const { checkTool, selectedCandidateId, maximised } = useReading(useShallow((state) => ({ checkTool: state.checkTool, selectedCandidateId: state.selectedCandidateId, maximised: state.maximised })));
  const hidden = maximised !== null && maximised !== maximisedView(row, axis);

  return (
    <div
      className={`mpr-view axis-${axis} row-${row}${hidden ? ' hidden' : ''}`}
      data-testid="mpr-view"
      data-row={row}
      data-axis={axis}
      data-series-id={listing.seriesId}
      data-rendered={progress.shown ? 'true' : 'false'}
      data-centre={centreOnCanvas ? `${centreOnCanvas[0].toFixed(2)},${centreOnCanvas[1].toFixed(2)}` : ''}
      data-centre-world={centre ? centre.map((value) => value.toFixed(3)).join(',') : ''}
      data-camera={camera ? JSON.stringify(camera) : ''}
      data-step={view?.step() ?? ''}
      onPointerMove={(event) => {
        group.setActive(row, axis);
        const point = view && useReading.getState().crosshair.on ? view.canvasToWorld(...pointerAt(event, event.currentTarget)) : null;
        if (point) useReading.getState().setCrosshairPoint(group.toCurrent(row, point));
      }}
      onPointerDown={(event) => {
        // The series switcher's buttons and list are not the image; a check tool's press is its own.
        const onControl = event.target instanceof Element && event.target.closest('button, [role="listbox"]') !== null;
        pressed.current = event.button === 0 && !onMeasured && !checkTool && !onControl ? pointerAt(event, event.currentTarget) : null;
      }}
      onPointerUp={(event) => {
        const from = pressed.current;
        pressed.current = null;
        const to = pointerAt(event, event.currentTarget);
        if (!from || !view || Math.hypot(to[0] - from[0], to[1] - from[1]) > 3) return;
        const point = view.canvasToWorld(to[0], to[1]);
        if (point) group.pointTo(row, point);
      }}
      onWheel={(event) => group.step(Math.sign(event.deltaY), axis)}
      onDoubleClick={() => useReading.getState().toggleMaximised(maximisedView(row, axis))}
      onContextMenu={(event) => event.preventDefault()}
    >
      <div ref={elementRef} className="cornerstone-element" />
      {view && centre && <ReferenceLines view={view} group={group} row={row} axis={axis} centre={centre} />}
      {view && shown && candidates.length > 0 && <CandidateRings session={view} placeOf={(candidate) => (shown.contains(candidate.centre) ? candidate.centre : null)} candidates={candidates} selectedId={selectedCandidateId} />}
      {view && <MarksLayer session={view} shown={shown} marks={input.marks} onEdited={onEdited} />}
      {view && <ProbeLayer session={view} shown={shown} probes={probes} onProbe={checkTool === 'probe' ? onProbe : undefined} />}
      {view && <CrosshairLayer session={view} transform={group.rowTransform(row)} shown={shown} />}
      {view && shown && onMeasured && <MeasureLayer session={view} shown={shown} onMeasured={onMeasured} />}
      {axis === 'axial' && input.switcher}
      <div className="viewer-overlay">
        <div className="corner top-left">
          <span className="visit-label">
            {pane.label}
            <span className="role-tag">{AXIS_LABEL[axis]}</span>
          </span>
          <span>{series ? formatStudyDate(series.studyDate) : ''}</span>
        </div>
        <div className="corner top-right">
          <span className="series-description">{series?.description || '–'}</span>
          {input.alignmentNote && axis === 'axial' && <span data-testid="alignment-note">{input.alignmentNote}</span>}
        </div>
        <div className="corner bottom-left">
          {loading && (
            <span className="mpr-progress" data-testid="mpr-progress" data-loaded={progress.loaded} data-total={progress.total}>
              <progress max={progress.total} value={progress.loaded} /> {progress.loaded} / {progress.total} slices
            </span>
          )}
          {centre && <span>{centre.map((value) => value.toFixed(1)).join(', ')} mm</span>}
        </div>
        <div className="corner bottom-right">
          {view?.isInverted() && <span className="inverted-mark">inverted</span>}
          <span data-testid="pane-window">{window ? `W ${Math.round(window.width)}  L ${Math.round(window.center)}` : 'W –  L –'}</span>
        </div>
        <EdgeLabels orientation={view ? viewOrientation(view) : undefined} />
      </div>
      {!progress.shown && !progress.error && (
        <div className="viewer-status" role="status">
          <span className="spinner" aria-hidden="true" /> Loading {pane.label} ({progress.loaded} / {progress.total} slices)…
        </div>
      )}
      {progress.error && (
        <div className="viewer-error">
          <ErrorNotice title="Volume not shown" message={progress.error} />
        </div>
      )}
    </div>
  );
}

/** Where the other two planes of the row cut this view: one line each, in the other plane's colour, crossing at the row's centre. */
function ReferenceLines({ view, group, row, axis, centre }: { view: PlaneView; group: MprGroup; row: MprRow; axis: PlaneAxis; centre: Vec3 }) {
  const session = group.session(row);
  const plane = view.plane();
  if (!session || !plane) return null;
  return (
    <svg className="reference-lines" data-testid="reference-lines">
      {PLANE_AXES.filter((other) => other !== axis).map((other) => {
        const otherPlane = session.view(other).plane();
        const direction = otherPlane ? meetingDirection(plane, otherPlane) : null;
        const from = direction ? view.worldToCanvas(add(centre, scale(direction, -LINE_REACH_MM))) : null;
        const to = direction ? view.worldToCanvas(add(centre, scale(direction, LINE_REACH_MM))) : null;
        return from && to ? <line key={other} className={`reference-line axis-${other}`} data-axis={other} x1={from[0]} y1={from[1]} x2={to[0]} y2={to[1]} /> : null;
      })}
    </svg>
  );
}
