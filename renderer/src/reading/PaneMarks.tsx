// Lesion marks drawn over a pane on the slice they were made on, and the
// measuring overlay: a drag across the lesion's longest diameter.
import { type PointerEvent, useState } from 'react';
import type { SeriesImage } from '../../../shared/contract';
import { sliceNormal } from '../../../shared/geometry';
import { dot, norm, sub, type Vec3 } from '../../../shared/vector';
import type { StackSession } from '../viewer/stack-session';

export interface PaneMark {
  lesionId: number;
  label: string;
  centre: Vec3;
  diameter: readonly [Vec3, Vec3] | null;
  selected: boolean;
}

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

export function MarksLayer({ session, images, index, marks }: { session: StackSession | null; images: readonly SeriesImage[]; index: number; marks: readonly PaneMark[] }) {
  if (!session || index < 0) return null;
  const shown = marks.filter((mark) => onSlice(images, index, mark.centre));
  return (
    <svg className="marks-layer" data-testid="marks" data-count={shown.length}>
      {shown.map((mark) => {
        const centre = session.worldToCanvas(mark.centre);
        const ends = mark.diameter?.map((point) => session.worldToCanvas(point)) ?? null;
        if (!centre) return null;
        return (
          <g key={mark.lesionId} className={mark.selected ? 'mark selected' : 'mark'} data-testid="mark" data-label={mark.label}>
            {ends?.[0] && ends[1] && <line x1={ends[0][0]} y1={ends[0][1]} x2={ends[1][0]} y2={ends[1][1]} />}
            <circle cx={centre[0]} cy={centre[1]} r={3} />
            <text x={centre[0] + 8} y={centre[1] - 8}>
              {mark.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Captures one drag on the current pane and turns it into patient coordinates. */
export function MeasureLayer({ session, images, index, onMeasured }: { session: StackSession | null; images: readonly SeriesImage[]; index: number; onMeasured: (measurement: Measurement) => void }) {
  const [start, setStart] = useState<[number, number] | null>(null);
  const [end, setEnd] = useState<[number, number] | null>(null);
  const at = (event: PointerEvent<HTMLDivElement>): [number, number] => {
    const box = event.currentTarget.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };
  function finish(event: PointerEvent<HTMLDivElement>) {
    const from = start;
    const to = at(event);
    setStart(null);
    setEnd(null);
    const image = images[index];
    if (!from || !session || !image || Math.hypot(to[0] - from[0], to[1] - from[1]) < 3) return;
    const a = session.canvasToWorld(from[0], from[1]);
    const b = session.canvasToWorld(to[0], to[1]);
    if (!a || !b) return;
    onMeasured({
      centre: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2],
      diameter: [a, b],
      lengthMm: norm(sub(b, a)),
      image: { instanceId: image.instanceId, frame: image.frame },
    });
  }
  return (
    <div
      className="measure-layer"
      data-testid="measure-layer"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        setStart(at(event));
        setEnd(at(event));
      }}
      onPointerMove={(event) => start && setEnd(at(event))}
      onPointerUp={finish}
    >
      {start && end && (
        <svg className="marks-layer">
          <line className="measuring" x1={start[0]} y1={start[1]} x2={end[0]} y2={end[1]} />
        </svg>
      )}
    </div>
  );
}
