// What measures an extent, drawn over the current pane: the series'
// vertebral ruler (a tick where each level begins, its label at the body's
// centre, the clicked bodies as diamonds), the optic nerves' traces, each
// cord or optic lesion's clicked ends with its levels or fraction, and the
// clicks of a ruler, trace or pair of ends being made. While one is being
// made, a click on the pane adds its next point (in patient coordinates,
// through the pane's canvas<->world mapping, so that it works in any plane).
import type { NerveTrace, SeriesImage, VertebralRuler } from '../../../shared/contract';
import { cordRuler, rulerProblem, rulerTicks, type RulerAnchor } from '../../../shared/cord-levels';
import type { Vec3 } from '../../../shared/vector';
import type { StackSession } from '../viewer/stack-session';
import { onSlice, pointerAt } from './PaneMarks';
import type { ExtentDraft } from './reading-store';

/** A lesion's ends as the layer shows them. */
export interface LesionEnds {
  lesionId: number;
  label: string;
  ends: readonly [Vec3, Vec3];
  /** What they measured: "C3–C5, 3 segments, LETM" or "62% of the nerve, chiasm". */
  text: string;
  selected: boolean;
}

type Canvas = readonly [number, number];

const TICK_PX = 9;

function Polyline({ points, className, testId }: { points: readonly (Canvas | null)[]; className: string; testId?: string }) {
  const placed = points.filter((point): point is Canvas => point !== null);
  return placed.length > 1 ? <polyline className={className} data-testid={testId} points={placed.map((point) => point.join(',')).join(' ')} /> : null;
}

function RulerTicks({ session, anchors }: { session: StackSession; anchors: readonly RulerAnchor[] }) {
  const ticks = rulerTicks(cordRuler(anchors)).map((tick) => ({ level: tick.level, top: session.worldToCanvas(tick.top), centre: session.worldToCanvas(tick.centre) }));
  return (
    <g className="ruler" data-testid="ruler-ticks" data-count={ticks.length}>
      <Polyline points={anchors.map((anchor) => session.worldToCanvas(anchor.point))} className="ruler-line" />
      {ticks.map(({ level, top, centre }) => {
        if (!top || !centre) return null;
        const length = Math.hypot(centre[0] - top[0], centre[1] - top[1]) || 1;
        // Across the spine: perpendicular to the way it runs here.
        const across = [-(centre[1] - top[1]) / length, (centre[0] - top[0]) / length] as const;
        return (
          <g key={level}>
            <line x1={top[0] - across[0] * TICK_PX} y1={top[1] - across[1] * TICK_PX} x2={top[0] + across[0] * TICK_PX} y2={top[1] + across[1] * TICK_PX} />
            <text x={centre[0] + across[0] * (TICK_PX + 14)} y={centre[1] + across[1] * (TICK_PX + 14) + 4} textAnchor="middle">
              {level}
            </text>
          </g>
        );
      })}
      {anchors.map((anchor) => {
        const at = session.worldToCanvas(anchor.point);
        return at ? <rect key={anchor.level} className="anchor" x={at[0] - 4} y={at[1] - 4} width={8} height={8} transform={`rotate(45 ${at[0]} ${at[1]})`} /> : null;
      })}
    </g>
  );
}

export function ExtentLayer({
  session,
  images,
  index,
  ruler,
  traces,
  lesionEnds,
  draft,
  onClick,
}: {
  session: StackSession | null;
  images: readonly SeriesImage[];
  index: number;
  ruler: VertebralRuler | null;
  traces: readonly NerveTrace[];
  lesionEnds: readonly LesionEnds[];
  draft: ExtentDraft | null;
  /** Given while a draft takes clicks: the clicked point, in patient coordinates, and the image it was clicked on. */
  onClick?: ((point: [number, number, number], image: { instanceId: number; frame: number }) => void) | undefined;
}) {
  if (!session || index < 0) return null;
  const draftAnchors = draft?.kind === 'ruler' ? draft.anchors : null;
  // A ruler being made shows its ticks once it has two bodies; until then the saved one stays out of the way.
  const shownRuler = draftAnchors ? (draftAnchors.length > 1 && rulerProblem(draftAnchors) === null ? draftAnchors : null) : (ruler?.anchors ?? null);
  const layer = (
    <svg className="marks-layer extent-layer" data-testid="extent-layer">
      {shownRuler && <RulerTicks session={session} anchors={shownRuler} />}
      {traces
        .filter((trace) => !(draft?.kind === 'trace' && draft.side === trace.side))
        .map((trace) => (
          <g key={trace.side} className="trace" data-testid="nerve-trace" data-side={trace.side}>
            <Polyline points={trace.points.map((point) => session.worldToCanvas(point))} className="trace-line" />
            {trace.points.map((point, at) => {
              const canvas = session.worldToCanvas(point);
              // A clicked point on this slice is filled; the others show where the trace runs through the slices.
              return canvas ? <circle key={at} className={onSlice(images, index, point) ? 'here' : 'elsewhere'} cx={canvas[0]} cy={canvas[1]} r={3} /> : null;
            })}
          </g>
        ))}
      {lesionEnds.map((lesion) => {
        const [a, b] = [session.worldToCanvas(lesion.ends[0]), session.worldToCanvas(lesion.ends[1])];
        if (!a || !b) return null;
        return (
          <g key={lesion.lesionId} className={lesion.selected ? 'lesion-ends selected' : 'lesion-ends'} data-testid="lesion-ends" data-label={lesion.label}>
            <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} />
            <circle cx={a[0]} cy={a[1]} r={4} />
            <circle cx={b[0]} cy={b[1]} r={4} />
            <text x={Math.max(a[0], b[0]) + 10} y={(a[1] + b[1]) / 2 + 16}>
              {lesion.label} {lesion.text}
            </text>
          </g>
        );
      })}
      {draft && (
        <g className="extent-draft" data-testid="extent-draft" data-kind={draft.kind}>
          {draft.kind === 'ruler' &&
            draft.anchors.map((anchor) => {
              const at = session.worldToCanvas(anchor.point);
              return at ? (
                <g key={anchor.level}>
                  <rect className="anchor" x={at[0] - 4} y={at[1] - 4} width={8} height={8} transform={`rotate(45 ${at[0]} ${at[1]})`} />
                  <text x={at[0] - 12} y={at[1] + 4} textAnchor="end">
                    {anchor.level}
                  </text>
                </g>
              ) : null;
            })}
          {draft.kind === 'trace' && <Polyline points={draft.points.map((point) => session.worldToCanvas(point))} className="trace-line" />}
          {(draft.kind === 'trace' ? draft.points : draft.kind === 'ends' ? draft.ends : []).map((point, at) => {
            const canvas = session.worldToCanvas(point);
            return canvas ? <circle key={at} cx={canvas[0]} cy={canvas[1]} r={4} /> : null;
          })}
        </g>
      )}
    </svg>
  );
  if (!onClick) return layer;
  return (
    <div
      className="measure-layer"
      data-testid="extent-click-layer"
      onPointerDown={(event) => {
        const point = session.canvasToWorld(...pointerAt(event, event.currentTarget));
        const image = images[index];
        if (point && image) onClick(point, { instanceId: image.instanceId, frame: image.frame });
      }}
    >
      {layer}
    </div>
  );
}
