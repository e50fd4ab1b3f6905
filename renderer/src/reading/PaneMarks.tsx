// Lesion marks drawn over a pane on the slice they were made on, with their
// length and maker on hover, and faint ghosts of marks made at other visits
// where the alignment carries them; for the adjudicator, both readers' marks,
// one colour per reader; the selected lesion's diameter can be dragged by its ends
// to measure it again; and the measuring overlay: a drag across the lesion's
// longest diameter, its length shown as it is drawn. Our own layer rather
// than Cornerstone's LengthTool: see docs/ARCHITECTURE.md.
import { type PointerEvent, useState } from 'react';
import type { SeriesImage } from '../../../shared/contract';
import { sliceNormal } from '../../../shared/geometry';
import { dot, norm, sub, type Vec3 } from '../../../shared/vector';
import type { ReaderTrack } from './lesion-labels';

/** How a pane maps its canvas (CSS pixels from its top-left corner) to patient coordinates and back: a stack pane's session, or a plane of the MPR layout. */
export interface CanvasMapping {
  canvasToWorld(x: number, y: number): [number, number, number] | null;
  worldToCanvas(point: readonly [number, number, number]): [number, number] | null;
}

/** What a pane shows: which patient points lie on it, and the acquired image a measurement through a point refers to. */
export interface ShownPlane {
  contains(point: Vec3): boolean;
  image(point: Vec3): SeriesImage | undefined;
}

export interface PaneMark {
  lesionId: number;
  label: string;
  centre: Vec3;
  diameter: readonly [Vec3, Vec3] | null;
  lengthMm: number | null;
  selected: boolean;
  /** The visit a ghost was marked at (its mark carried here through the alignment); null for a mark made on this visit. */
  ghostOf: string | null;
  /** Who recorded the mark, for its hover text. */
  madeBy: string | null;
  /** Whose track the mark is in, where the adjudicator sees both readers' marks (its colour); null for a reader's own marks. */
  reader: ReaderTrack | null;
}

/** The mark's classes: ghost or mark, its reader's colour, selected. */
const markClass = (kind: 'mark' | 'ghost', mark: PaneMark) => [kind, mark.reader, mark.selected && 'selected'].filter(Boolean).join(' ');

/** Reader 2's labels sit below their mark: the two readers' marks of one lesion lie a few pixels apart, and their labels would cover each other. */
const labelDrop = (mark: PaneMark) => (mark.reader === 'reader2' ? 22 : 0);

export interface Measurement {
  centre: [number, number, number];
  diameter: [[number, number, number], [number, number, number]];
  lengthMm: number;
  image: { instanceId: number; frame: number };
}

/** Whether a point lies on the slice shown (within half the distance to the next slice). */
export function onSlice(images: readonly SeriesImage[], index: number, point: Vec3): boolean {
  const image = images[index];
  const next = images[index + 1] ?? images[index - 1];
  if (!image?.position || !image.orientation) return false;
  const normal = sliceNormal(image.orientation);
  if (!normal) return false;
  const spacing = next?.position ? Math.abs(dot(sub(next.position as Vec3, image.position as Vec3), normal)) : 1;
  return Math.abs(dot(sub(point, image.position as Vec3), normal)) <= spacing / 2 + 1e-3;
}

/** A slice of a stack pane: the points within half a slice of it, and the slice itself. */
export function sliceShown(images: readonly SeriesImage[], index: number): ShownPlane {
  return { contains: (point) => onSlice(images, index, point), image: () => images[index] };
}

/** A measurement from two canvas points on the plane shown, or null where the view cannot place them. */
function measurementOf(session: CanvasMapping, shown: ShownPlane, from: readonly [number, number], to: readonly [number, number]): Measurement | null {
  const a = session.canvasToWorld(from[0], from[1]);
  const b = session.canvasToWorld(to[0], to[1]);
  const centre: Vec3 | null = a && b ? [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2] : null;
  const image = centre ? shown.image(centre) : undefined;
  if (!a || !b || !image) return null;
  return {
    centre: [centre![0], centre![1], centre![2]],
    diameter: [a, b],
    lengthMm: norm(sub(b, a)),
    image: { instanceId: image.instanceId, frame: image.frame },
  };
}

const lengthText = (lengthMm: number) => `${lengthMm.toFixed(1)} mm`;

/** Where a pointer is on a layer (or a pane), in canvas pixels from its top-left corner. */
export function pointerAt(event: PointerEvent<Element>, layer: Element): [number, number] {
  const box = layer.getBoundingClientRect();
  return [event.clientX - box.left, event.clientY - box.top];
}

export function MarksLayer({
  session,
  shown: plane,
  marks,
  onEdited,
}: {
  session: CanvasMapping | null;
  /** What the pane shows, or null before it shows anything. */
  shown: ShownPlane | null;
  marks: readonly PaneMark[];
  /** Given where marks may be changed (the current visit's pane of a read that is not signed): the selected mark's new diameter. */
  onEdited?: ((lesionId: number, measurement: Measurement) => void) | undefined;
}) {
  // The end being dragged, and where it is now.
  const [drag, setDrag] = useState<{ lesionId: number; end: 0 | 1; at: [number, number] } | null>(null);
  if (!session || !plane) return null;
  const shown = marks.filter((mark) => plane.contains(mark.centre));
  const own = shown.filter((mark) => mark.ghostOf === null);
  return (
    <svg className="marks-layer" data-testid="marks" data-count={own.length}>
      {shown.map((mark) => {
        const centre = mark.ghostOf === null ? null : session.worldToCanvas(mark.centre);
        return centre ? (
          <g key={mark.lesionId} className={markClass('ghost', mark)} data-testid="ghost-mark" data-label={mark.label} data-reader={mark.reader ?? undefined}>
            <title>{`${mark.label}, marked at ${mark.ghostOf}`}</title>
            <circle cx={centre[0]} cy={centre[1]} r={9} />
            <text x={centre[0] + 12} y={centre[1] + 4 + labelDrop(mark)}>
              {mark.label} ({mark.ghostOf})
            </text>
          </g>
        ) : null;
      })}
      {own.map((mark) => {
        const centre = session.worldToCanvas(mark.centre);
        const stored = mark.diameter?.map((point) => session.worldToCanvas(point)) ?? null;
        if (!centre) return null;
        const ends = stored?.[0] && stored[1] ? ([stored[0], stored[1]] as [[number, number], [number, number]]) : null;
        if (ends && drag?.lesionId === mark.lesionId) ends[drag.end] = drag.at;
        const editing = drag?.lesionId === mark.lesionId && ends ? measurementOf(session, plane, ends[0], ends[1]) : null;
        const length = editing?.lengthMm ?? mark.lengthMm;
        const editable = onEdited !== undefined && mark.selected && ends !== null;
        return (
          <g key={mark.lesionId} className={markClass('mark', mark)} data-testid="mark" data-label={mark.label} data-reader={mark.reader ?? undefined}>
            <title>{[length === null ? mark.label : `${mark.label}: ${lengthText(length)}`, mark.madeBy && `by ${mark.madeBy}`].filter(Boolean).join(', ')}</title>
            {ends && (
              <>
                <line x1={ends[0][0]} y1={ends[0][1]} x2={ends[1][0]} y2={ends[1][1]} />
                <line className="hit" x1={ends[0][0]} y1={ends[0][1]} x2={ends[1][0]} y2={ends[1][1]} />
              </>
            )}
            <circle cx={centre[0]} cy={centre[1]} r={3} />
            <text x={centre[0] + 8} y={centre[1] - 8 + labelDrop(mark)}>
              {mark.label}
              {length !== null && (
                <tspan className="length" data-testid="mark-length">
                  {' '}
                  {lengthText(length)}
                </tspan>
              )}
            </text>
            {editable &&
              ends.map((point, end) => (
                <circle
                  key={end}
                  className="handle"
                  data-testid="mark-handle"
                  cx={point[0]}
                  cy={point[1]}
                  r={6}
                  onPointerDown={(event) => {
                    event.stopPropagation();
                    event.currentTarget.setPointerCapture(event.pointerId);
                    setDrag({ lesionId: mark.lesionId, end: end as 0 | 1, at: pointerAt(event, event.currentTarget.ownerSVGElement!) });
                  }}
                  onPointerMove={(event) => drag && setDrag({ ...drag, at: pointerAt(event, event.currentTarget.ownerSVGElement!) })}
                  onPointerUp={() => {
                    setDrag(null);
                    if (editing && editing.lengthMm > 0) onEdited(mark.lesionId, editing);
                  }}
                />
              ))}
          </g>
        );
      })}
    </svg>
  );
}

/** A probe the reader placed: where, and the value there. */
export interface Probe {
  point: [number, number, number];
  value: number | null;
}

/** A pane that can say the value under a point of its canvas: a stack pane's slice, or a plane of the MPR layout's volume. */
export interface ValueMapping extends CanvasMapping {
  valueAt(x: number, y: number): number | null;
}

/** The reader's probes on the slice or plane shown (within half a step of it); while `onProbe` is given, a click places another. Not saved, not counted. */
export function ProbeLayer({ session, shown: plane, probes, onProbe }: { session: ValueMapping | null; shown: ShownPlane | null; probes: readonly Probe[]; onProbe?: ((probe: Probe) => void) | undefined }) {
  if (!session || !plane) return null;
  const shown = (
    <svg className="marks-layer">
      {probes
        .filter((probe) => plane.contains(probe.point))
        .map((probe) => {
          const at = session.worldToCanvas(probe.point);
          return at ? (
            <g key={probe.point.join()} className="probe" data-testid="probe" data-point={probe.point.join(',')}>
              <circle cx={at[0]} cy={at[1]} r={3} />
              <text x={at[0] + 8} y={at[1] + 4}>
                {probe.value === null ? 'off the image' : String(Math.round(probe.value * 100) / 100)}
              </text>
            </g>
          ) : null;
        })}
    </svg>
  );
  if (!onProbe) return shown;
  return (
    <div
      className="measure-layer"
      data-testid="probe-layer"
      onPointerDown={(event) => {
        const [x, y] = pointerAt(event, event.currentTarget);
        const point = session.canvasToWorld(x, y);
        if (point) onProbe({ point, value: session.valueAt(x, y) });
      }}
    >
      {shown}
    </div>
  );
}

/** Captures one drag on the current pane and turns it into patient coordinates, its length shown as it is drawn. */
export function MeasureLayer({ session, shown, onMeasured }: { session: CanvasMapping | null; shown: ShownPlane; onMeasured: (measurement: Measurement) => void }) {
  const [start, setStart] = useState<[number, number] | null>(null);
  const [end, setEnd] = useState<[number, number] | null>(null);
  const drawn = start && end && session ? measurementOf(session, shown, start, end) : null;
  function finish(event: PointerEvent<HTMLDivElement>) {
    const from = start;
    const to = pointerAt(event, event.currentTarget);
    setStart(null);
    setEnd(null);
    if (!from || !session || Math.hypot(to[0] - from[0], to[1] - from[1]) < 3) return;
    const measurement = measurementOf(session, shown, from, to);
    if (measurement) onMeasured(measurement);
  }
  return (
    <div
      className="measure-layer"
      data-testid="measure-layer"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        setStart(pointerAt(event, event.currentTarget));
        setEnd(pointerAt(event, event.currentTarget));
      }}
      onPointerMove={(event) => start && setEnd(pointerAt(event, event.currentTarget))}
      onPointerUp={finish}
    >
      {start && end && (
        <svg className="marks-layer">
          <line className="measuring" x1={start[0]} y1={start[1]} x2={end[0]} y2={end[1]} />
          {drawn && (
            <text className="live-length" data-testid="live-length" x={end[0] + 8} y={end[1] - 8}>
              {lengthText(drawn.lengthMm)}
            </text>
          )}
        </svg>
      )}
    </div>
  );
}
