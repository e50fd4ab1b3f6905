// What assisted detection draws over a pane: the subtraction in colour (on a
// canvas above the image, placed slice by slice where the viewport puts the
// slice's pixel corners, so it follows every zoom, pan and scroll), rings at
// the read's candidates (dashed, unlike a lesion mark), and the linked
// cursor's cross at the same anatomy on every pane.
import { imageLoader, type Types } from '@cornerstonejs/core';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CandidateView, SeriesImage } from '../../../shared/contract';
import { applyTransform } from '../../../shared/registration';
import { pixelPoint } from '../../../shared/slice-sync';
import type { RigidMotion, Vec3 } from '../../../shared/vector';
import { describeLoadError } from '../viewer/load-error';
import type { StackSession } from '../viewer/stack-session';
import { colourDifference } from './assisted';
import type { CanvasMapping, ShownPlane } from './PaneMarks';
import { useReading } from './reading-store';

/** The subtraction as a pane draws it: a difference slice per slice of the pane, and the window its colours span (the image's units). */
export interface SubtractionShown {
  imageIds: readonly string[];
  window: number;
  opacity: number;
}

interface LoadedSlice {
  imageId: string;
  image: Types.IImage;
}

/** The values an image holds as the file stores them, and how they map to real values (Cornerstone may have scaled them already). */
function storedValues(image: Types.IImage): { values: ArrayLike<number>; slope: number; intercept: number } {
  const scaled = image.preScale?.scaled === true;
  return { values: image.getPixelData(), slope: scaled ? 1 : (image.slope ?? 1), intercept: scaled ? 0 : (image.intercept ?? 0) };
}

/** One slice of the difference coloured, as a canvas of its own pixels. */
function colouredSlice(image: Types.IImage, window: number, opacity: number): HTMLCanvasElement {
  const { values, slope, intercept } = storedValues(image);
  const canvas = document.createElement('canvas');
  canvas.width = image.columns;
  canvas.height = image.rows;
  canvas.getContext('2d')!.putImageData(new ImageData(colourDifference(values, slope, intercept, window, opacity), image.columns, image.rows), 0, 0);
  return canvas;
}

/**
 * The subtraction over the current pane. The difference slice of the slice
 * shown is loaded as any image is (Cornerstone's cache), coloured, and drawn
 * with the affine map that takes its pixel corners to where the viewport
 * shows them. `view` changes with every camera change and slice, and the
 * layer draws again.
 */
export function SubtractionLayer({ session, image, index, shown, view }: { session: StackSession | null; image: SeriesImage | undefined; index: number; shown: SubtractionShown; view: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const imageId = shown.imageIds[index];
  const [loaded, setLoaded] = useState<LoadedSlice | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // A pane that changes size draws again at its new size.
  const [size, setSize] = useState(0);

  useEffect(() => {
    if (!imageId) return;
    let live = true;
    setFailure(null);
    imageLoader.loadAndCacheImage(imageId).then(
      (image) => live && setLoaded({ imageId, image }),
      async (error: unknown) => {
        const reason = await describeLoadError(error);
        if (live) setFailure(reason);
      },
    );
    return () => {
      live = false;
    };
  }, [imageId]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const observer = new ResizeObserver(() => setSize((count) => count + 1));
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);

  const current = loaded?.imageId === imageId ? loaded : null;
  const coloured = useMemo(() => (current ? colouredSlice(current.image, shown.window, shown.opacity) : null), [current, shown.window, shown.opacity]);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const ratio = window.devicePixelRatio || 1;
    const [width, height] = [Math.round(canvas.clientWidth * ratio), Math.round(canvas.clientHeight * ratio)];
    if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, width, height);
    delete canvas.dataset.drawnSlice;
    if (!coloured || !image?.columns || !image.rows || !session) return;
    // The outer corners of the first pixel, of the first row's last and of the first column's last, on the pane.
    const corner = (column: number, row: number) => {
      const point = pixelPoint(image, column, row);
      return point ? session.worldToCanvas(point) : null;
    };
    const [origin, across, down] = [corner(-0.5, -0.5), corner(image.columns - 0.5, -0.5), corner(-0.5, image.rows - 0.5)];
    if (!origin || !across || !down) return;
    context.setTransform(
      (ratio * (across[0] - origin[0])) / image.columns,
      (ratio * (across[1] - origin[1])) / image.columns,
      (ratio * (down[0] - origin[0])) / image.rows,
      (ratio * (down[1] - origin[1])) / image.rows,
      ratio * origin[0],
      ratio * origin[1],
    );
    // Smoothed as Cornerstone shows the image beneath.
    context.imageSmoothingEnabled = true;
    context.drawImage(coloured, 0, 0);
    canvas.dataset.drawnSlice = String(index);
  });

  return (
    <>
      <canvas ref={canvasRef} className="subtraction-layer" data-testid="subtraction-overlay" data-view={`${view}-${size}`} />
      {failure && (
        <span className="subtraction-failure" role="status">
          Subtraction not shown: {failure}
        </span>
      )}
    </>
  );
}

/**
 * Rings at the candidates on the slice or plane shown, where `placeOf` puts them (null: not on it): the selected one
 * bold, a dismissed one faint; confirmed and marked ones are lesion marks now.
 */
export function CandidateRings({ session, placeOf, candidates, selectedId }: { session: CanvasMapping | null; placeOf: (candidate: CandidateView) => Vec3 | null; candidates: readonly CandidateView[]; selectedId: string | null }) {
  if (!session) return null;
  const shown = candidates.filter((candidate) => candidate.status === 'unreviewed' || candidate.status === 'dismissed');
  return (
    <svg className="marks-layer candidate-layer">
      {shown.map((candidate) => {
        const place = placeOf(candidate);
        const ends = candidate.diameter.map((point) => session.worldToCanvas(point));
        const centre = place ? session.worldToCanvas(place) : null;
        if (!centre || !ends[0] || !ends[1]) return null;
        const radius = Math.max(8, Math.hypot(ends[1][0] - ends[0][0], ends[1][1] - ends[0][1]) / 2 + 5);
        const classes = ['candidate', candidate.status, candidate.id === selectedId && 'selected'].filter(Boolean).join(' ');
        return (
          <g key={candidate.id} className={classes} data-testid="candidate-ring" data-candidate={candidate.id} data-status={candidate.status}>
            <circle cx={centre[0]} cy={centre[1]} r={radius} />
          </g>
        );
      })}
    </svg>
  );
}

/** Half the length of each arm of the cross, and the gap at its centre that leaves the anatomy there visible (CSS pixels). */
const ARM = 16;
const GAP = 4;

/**
 * The linked cursor's cross on a pane: the point (the current visit's coordinates) carried into the pane's by its
 * transform. Given `shown` (a plane of the MPR layout), only where the point lies within half a step of the plane.
 */
export function CrosshairLayer({ session, transform, shown }: { session: CanvasMapping | null; transform: RigidMotion; shown?: ShownPlane | null }) {
  const point = useReading((state) => (state.crosshair.on ? state.crosshair.point : null));
  const carried = point ? applyTransform(transform, point) : null;
  const at = session && carried && (shown === undefined || shown?.contains(carried)) ? session.worldToCanvas(carried) : null;
  if (!at) return null;
  const [x, y] = at;
  return (
    <svg className="crosshair-layer">
      <g className="crosshair" data-testid="crosshair" data-x={x.toFixed(1)} data-y={y.toFixed(1)}>
        <line x1={x - ARM} y1={y} x2={x - GAP} y2={y} />
        <line x1={x + GAP} y1={y} x2={x + ARM} y2={y} />
        <line x1={x} y1={y - ARM} x2={x} y2={y - GAP} />
        <line x1={x} y1={y + GAP} x2={x} y2={y + ARM} />
      </g>
    </svg>
  );
}

/** The point under a pointer on a pane, in the current visit's patient coordinates (the pane's own carried back by its transform's inverse). */
export function pointerPoint(session: CanvasMapping, element: HTMLElement, clientX: number, clientY: number, toCurrent: RigidMotion): Vec3 | null {
  const box = element.getBoundingClientRect();
  const point = session.canvasToWorld(clientX - box.left, clientY - box.top);
  return point ? applyTransform(toCurrent, point) : null;
}
