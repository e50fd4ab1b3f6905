// One series shown as a volume in three planes (axial, sagittal, coronal):
// Cornerstone3D's streaming volume, loaded slice by slice into three
// orthographic viewports of the shared rendering engine, each with the same
// canvas <-> patient mapping the stack panes give (PaneMarks.tsx draws on
// both), and its own slice step along its normal. The MPR layout
// (reading/mpr-group.ts) owns one session per row and destroys it, and the
// volume and its decoded slices with it, when the row goes.
import { cache, Enums, eventTarget, getRenderingEngines, type RenderingEngine, setVolumesForViewports, type Types, utilities, volumeLoader } from '@cornerstonejs/core';
import { Enums as ToolEnums, PanTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { distanceFromPlane, type Plane, type PlaneCamera, stepAlong } from '../../../shared/mpr-planes';
import { add, dot, scale, type Vec3 } from '../../../shared/vector';
import { addCheckTools, type CheckTool, holdCheckTool } from './check-tools';
import { describeLoadError } from './load-error';

export type PlaneAxis = 'axial' | 'sagittal' | 'coronal';
export const PLANE_AXES: readonly PlaneAxis[] = ['axial', 'sagittal', 'coronal'];

const ORIENTATION: Readonly<Record<PlaneAxis, Enums.OrientationAxis>> = {
  axial: Enums.OrientationAxis.AXIAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
  coronal: Enums.OrientationAxis.CORONAL,
};

export interface VolumeProgress {
  /** Slices in the volume so far, of all. */
  loaded: number;
  total: number;
  /** True once the volume is on the three views (partly loaded or not). */
  shown: boolean;
  error: string | null;
}

export const INITIAL_PROGRESS: VolumeProgress = { loaded: 0, total: 0, shown: false, error: null };

/** A view's camera with its scale (half the height it shows, in mm): what the comparator's view copies. */
export interface ViewCamera extends PlaneCamera {
  parallelScale: number;
}

export interface MprSessionOptions {
  /** Whether the reader's mouse zooms and pans these views (the comparator's follow the current visit's instead). */
  zoomPan: boolean;
  onProgress: (progress: VolumeProgress) => void;
  /** A view's camera moved (a scroll, zoom, pan or the crosshair): the layout follows it. */
  onCamera: (axis: PlaneAxis) => void;
  /** A view's window changed. */
  onWindow: (axis: PlaneAxis) => void;
}

let sessionCounter = 0;

/**
 * While slices stream in, a session's views draw at most this often, and once
 * more when the last slice is in. Cornerstone draws every view of a volume
 * after every 2% of its slices, and each draw copies the view off the GPU (in
 * the 3D FLAIR's load that copying took half the time); a picture that fills
 * in twice a second is as readable a progress, and the slices land sooner.
 */
const STREAMING_REDRAW_MS = 500;

/** The image ids of every live session's volume, counted (two rows may show one series): a closed session's slices stay while another holds them. */
const heldImageIds = new Map<string, number>();

function hold(imageIds: readonly string[]): void {
  for (const imageId of imageIds) heldImageIds.set(imageId, (heldImageIds.get(imageId) ?? 0) + 1);
}

function letGo(imageIds: readonly string[]): void {
  for (const imageId of imageIds) {
    const count = (heldImageIds.get(imageId) ?? 0) - 1;
    if (count > 0) heldImageIds.set(imageId, count);
    else heldImageIds.delete(imageId);
  }
}

/** The images some viewport still shows or scrolls through: the 2D panes' stacks and any other volume's slices. */
function imageIdsInViewports(): Set<string> {
  const shown = new Set<string>();
  for (const engine of getRenderingEngines() ?? []) {
    if (engine.hasBeenDestroyed) continue;
    for (const viewport of engine.getViewports()) {
      // A viewport with nothing on it yet shows no image (and a volume viewport without a volume throws when asked).
      if (viewport.getActors().length === 0) continue;
      const ids = (viewport as { getImageIds?: () => string[] }).getImageIds?.() ?? [];
      for (const imageId of ids) shown.add(imageId);
    }
  }
  return shown;
}

/**
 * Frees a closed session's volume and then its decoded slices, once nothing
 * can still put them back or read their headers: the volume's queued loads
 * are cancelled with it, the loads already under way are awaited (one that
 * lands later would cache its slice again), and a slice another live session
 * holds or a viewport shows stays. Removing a slice also drops its file's
 * parsed header (the DICOM loader's data set cache), which a volume being
 * built reads: slices of a volume being built are held from its session's
 * start, so none is taken from under it.
 */
async function releaseVolume(volumeId: string, imageIds: readonly string[], building: Promise<unknown> | null): Promise<void> {
  // The volume is cached once its first, middle and last headers are read: wait for that before removing it.
  if (building) await building.catch(() => undefined);
  if (cache.getVolume(volumeId)) cache.removeVolumeLoadObject(volumeId);
  letGo(imageIds);
  const loading = imageIds.map((imageId) => (cache.isLoaded(imageId) ? undefined : cache.getImageLoadObject(imageId)?.promise)).filter((promise) => promise !== undefined);
  await Promise.allSettled(loading);
  const inUse = imageIdsInViewports();
  for (const imageId of new Set(imageIds)) {
    if (heldImageIds.has(imageId) || inUse.has(imageId) || !cache.getImageLoadObject(imageId)) continue;
    cache.removeImageLoadObject(imageId, { force: true });
  }
}

/** One plane of the volume on one viewport: what marks, reference lines and the layout need of it. */
export class PlaneView {
  constructor(
    readonly axis: PlaneAxis,
    private readonly viewport: () => Types.IVolumeViewport | null,
    private readonly grid: () => { axes: [Vec3, Vec3, Vec3]; spacing: Vec3; corners: Vec3[] } | null,
  ) {}

  /** Patient coordinates (mm) of a point on the view, in CSS pixels from its top-left corner. */
  canvasToWorld(x: number, y: number): [number, number, number] | null {
    const viewport = this.viewport();
    if (!viewport) return null;
    const [wx, wy, wz] = viewport.canvasToWorld([x, y]);
    return [wx, wy, wz];
  }

  /** Where a patient point falls on the view (CSS pixels), on its plane or not. */
  worldToCanvas(point: readonly [number, number, number]): [number, number] | null {
    const viewport = this.viewport();
    if (!viewport) return null;
    const [x, y] = viewport.worldToCanvas([point[0], point[1], point[2]]);
    return [x, y];
  }

  camera(): ViewCamera | null {
    const camera = this.viewport()?.getCamera();
    if (!camera?.focalPoint || !camera.position || !camera.viewUp || !camera.viewPlaneNormal || camera.parallelScale === undefined) return null;
    return { focalPoint: camera.focalPoint, position: camera.position, viewUp: camera.viewUp, viewPlaneNormal: camera.viewPlaneNormal, parallelScale: camera.parallelScale };
  }

  /** The plane shown. */
  plane(): Plane | null {
    const camera = this.camera();
    return camera ? { point: camera.focalPoint, normal: camera.viewPlaneNormal } : null;
  }

  /** The distance between neighbouring planes of the volume seen along this view's normal: one scroll step, and the thickness a mark is shown within. */
  step(): number | null {
    const grid = this.grid();
    const plane = this.plane();
    return grid && plane ? stepAlong(grid.axes, grid.spacing, plane.normal) : null;
  }

  setCamera(camera: Partial<ViewCamera>): void {
    const viewport = this.viewport();
    if (!viewport) return;
    const toPoint = (value: Vec3 | undefined) => (value ? ([value[0], value[1], value[2]] as Types.Point3) : undefined);
    viewport.setCamera({
      ...(camera.focalPoint ? { focalPoint: toPoint(camera.focalPoint) } : {}),
      ...(camera.position ? { position: toPoint(camera.position) } : {}),
      ...(camera.viewUp ? { viewUp: toPoint(camera.viewUp) } : {}),
      ...(camera.viewPlaneNormal ? { viewPlaneNormal: toPoint(camera.viewPlaneNormal) } : {}),
      ...(camera.parallelScale !== undefined ? { parallelScale: camera.parallelScale } : {}),
    });
    viewport.render();
  }

  /** How far the volume reaches along this view's normal (mm): from the first plane through it to the last. */
  depth(): number {
    const range = this.range();
    return range ? range.last - range.first : 0;
  }

  /**
   * Moves the plane along its normal by a distance (mm), kept within the
   * volume; the view does not pan. A scroll (`onGrid`) lands on the
   * volume's own planes where the view faces along a grid axis: the
   * acquired slices, not planes between them.
   */
  moveBy(distanceMm: number, onGrid = false): void {
    const camera = this.camera();
    const range = this.range();
    const step = this.step();
    if (!camera || !range || !step) return;
    const here = dot(camera.focalPoint, camera.viewPlaneNormal);
    const wanted = onGrid ? range.first + Math.round((here + distanceMm - range.first) / step) * step : here + distanceMm;
    const target = Math.min(range.last, Math.max(range.first, wanted));
    const shift = scale(camera.viewPlaneNormal, target - here);
    this.setCamera({ focalPoint: add(camera.focalPoint, shift), position: add(camera.position, shift) });
  }

  /** The first and last planes of the volume along this view's normal (mm from the origin of patient space). */
  private range(): { first: number; last: number } | null {
    const normal = this.plane()?.normal;
    const grid = this.grid();
    if (!normal || !grid) return null;
    const along = grid.corners.map((corner) => dot(corner, normal));
    return { first: Math.min(...along), last: Math.max(...along) };
  }

  /** One cine frame: the plane a step on along its normal, from the last plane of the volume back to the first. */
  advance(): void {
    const camera = this.camera();
    const range = this.range();
    const step = this.step();
    if (!camera || !range || !step) return;
    const here = dot(camera.focalPoint, camera.viewPlaneNormal);
    this.moveBy(here + step > range.last + step / 2 ? range.first - here : step, true);
  }

  /** Moves the plane along its normal until it passes through a point. */
  moveOnto(point: Vec3): void {
    const plane = this.plane();
    if (plane) this.moveBy(distanceFromPlane(plane, point));
  }

  /**
   * The volume's value at a point of the view (CSS pixels): the voxel whose centre lies nearest the patient point
   * there (no interpolation, so a reader reads a value the scanner stored), as the volume holds it (the modality's
   * rescale applied by the loader); null off the volume.
   */
  valueAt(x: number, y: number): number | null {
    const viewport = this.viewport();
    const data = viewport?.getImageData();
    if (!viewport || !data?.voxelManager) return null;
    const [i, j, k] = utilities.transformWorldToIndex(data.imageData, viewport.canvasToWorld([x, y])) as [number, number, number];
    const [ni, nj, nk] = data.dimensions;
    if (i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk) return null;
    const value = data.voxelManager.getAtIJK(i, j, k);
    return typeof value === 'number' ? value : null;
  }

  isInverted(): boolean {
    return this.viewport()?.getProperties()?.invert === true;
  }

  setInverted(inverted: boolean): void {
    const viewport = this.viewport();
    if (!viewport || this.isInverted() === inverted) return;
    viewport.setProperties({ invert: inverted });
    viewport.render();
  }

  window(): { width: number; center: number } | null {
    const range = this.viewport()?.getProperties()?.voiRange;
    if (!range) return null;
    const { windowWidth, windowCenter } = utilities.windowLevel.toWindowLevel(range.lower, range.upper);
    return { width: windowWidth, center: windowCenter };
  }

  applyWindow(window: { width: number; center: number }): void {
    const viewport = this.viewport();
    const now = this.window();
    if (!viewport || (now && Math.abs(now.width - window.width) < 0.5 && Math.abs(now.center - window.center) < 0.5)) return;
    viewport.setProperties({ voiRange: utilities.windowLevel.toLowHighRange(window.width, window.center) });
    viewport.render();
  }
}

export class MprSession {
  private readonly volumeId: string;
  private readonly viewportIds: Readonly<Record<PlaneAxis, string>>;
  private readonly toolGroupId: string;
  private readonly resizeObserver: ResizeObserver;
  private readonly views: Readonly<Record<PlaneAxis, PlaneView>>;
  private progress: VolumeProgress;
  private destroyed = false;
  /** The volume's creation while under way (it reads three headers first). */
  private building: Promise<unknown> | null = null;
  /** The next draw of the views while slices stream in, when one is due. */
  private redraw: ReturnType<typeof setTimeout> | null = null;
  private gridOfVolume: { axes: [Vec3, Vec3, Vec3]; spacing: Vec3; corners: Vec3[] } | null = null;
  /** Each view's listeners, kept to be removed. */
  private readonly listeners: Readonly<Record<PlaneAxis, { camera: () => void; window: () => void }>>;

  constructor(
    private readonly engine: RenderingEngine,
    private readonly elements: Readonly<Record<PlaneAxis, HTMLDivElement>>,
    /** The series' image ids in the order of their positions along the slice normal (main lists them so). */
    private readonly imageIds: readonly string[],
    private readonly options: MprSessionOptions,
  ) {
    sessionCounter += 1;
    this.volumeId = `cornerstoneStreamingImageVolume:lesiontrack-mpr-${sessionCounter}`;
    this.viewportIds = { axial: `mpr-${sessionCounter}-axial`, sagittal: `mpr-${sessionCounter}-sagittal`, coronal: `mpr-${sessionCounter}-coronal` };
    this.toolGroupId = `lesiontrack-mpr-tools-${sessionCounter}`;
    this.progress = { ...INITIAL_PROGRESS, total: imageIds.length };
    hold(imageIds);
    const grid = () => this.gridOfVolume;
    this.views = {
      axial: new PlaneView('axial', () => this.viewport('axial'), grid),
      sagittal: new PlaneView('sagittal', () => this.viewport('sagittal'), grid),
      coronal: new PlaneView('coronal', () => this.viewport('coronal'), grid),
    };
    const listen = (axis: PlaneAxis) => ({
      camera: () => !this.destroyed && options.onCamera(axis),
      window: () => !this.destroyed && options.onWindow(axis),
    });
    this.listeners = { axial: listen('axial'), sagittal: listen('sagittal'), coronal: listen('coronal') };
    for (const axis of PLANE_AXES) {
      engine.enableElement({ viewportId: this.viewportIds[axis], type: Enums.ViewportType.ORTHOGRAPHIC, element: elements[axis], defaultOptions: { orientation: ORIENTATION[axis], background: [0, 0, 0] } });
      elements[axis].addEventListener(Enums.Events.CAMERA_MODIFIED, this.listeners[axis].camera);
      elements[axis].addEventListener(Enums.Events.VOI_MODIFIED, this.listeners[axis].window);
    }
    this.bindTools();
    eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, this.onVolumeModified as EventListener);
    // Views that change size (a view maximised, the window) keep their cameras: the plane and where it is centred,
    // and the height shown in mm, so the image grows or shrinks with the view. Without keeping them, Cornerstone
    // recentres every viewport of the engine in the volume, and the crosshair's planes were lost on a resize.
    // The resize moves no camera event, yet changes where every point is drawn: the layout is told, as of a camera.
    this.resizeObserver = new ResizeObserver(() => {
      if (this.destroyed) return;
      this.engine.resize(true, true);
      for (const axis of PLANE_AXES) options.onCamera(axis);
    });
    for (const axis of PLANE_AXES) this.resizeObserver.observe(elements[axis]);
    options.onProgress(this.progress);
  }

  /**
   * Creates the volume and puts it on the three views at once; its slices
   * stream in afterwards (the views draw each as it lands). The streaming
   * loader reads the headers of the first, middle and last slices before
   * the volume exists (for wadouri ids it takes the others to lie evenly
   * between, in the order given), so the first picture waits for three files,
   * not for all.
   */
  async open(): Promise<void> {
    if (this.imageIds.length === 0) return this.update({ error: 'This series has no images to show.' });
    try {
      this.building = volumeLoader.createAndCacheVolume(this.volumeId, { imageIds: [...this.imageIds] });
      const volume = (await this.building) as Awaited<ReturnType<typeof volumeLoader.createAndCacheVolume>>;
      // A session closed meanwhile frees the volume (destroy waited for it).
      if (this.destroyed) return;
      // The direction's rows are the grid's axes: along a row, down a column, and across the slices.
      const axis = (row: number): Vec3 => [volume.direction[row * 3]!, volume.direction[row * 3 + 1]!, volume.direction[row * 3 + 2]!];
      const axes: [Vec3, Vec3, Vec3] = [axis(0), axis(1), axis(2)];
      const spacing: Vec3 = [volume.spacing[0], volume.spacing[1], volume.spacing[2]];
      const [nx, ny, nz] = volume.dimensions;
      const origin: Vec3 = [volume.origin[0], volume.origin[1], volume.origin[2]];
      const corners = [0, 1].flatMap((i) => [0, 1].flatMap((j) => [0, 1].map((k) => add(add(add(origin, scale(axes[0], i * (nx - 1) * spacing[0])), scale(axes[1], j * (ny - 1) * spacing[1])), scale(axes[2], k * (nz - 1) * spacing[2])))));
      this.gridOfVolume = { axes, spacing, corners };
      // The views draw as the slices land on our schedule (onVolumeModified), not after every 2% of them.
      (volume as unknown as { autoRenderOnLoad: boolean }).autoRenderOnLoad = false;
      (volume as unknown as { load: (callback?: () => void) => void }).load();
      await setVolumesForViewports(this.engine, [{ volumeId: this.volumeId }], PLANE_AXES.map((axis) => this.viewportIds[axis]));
      if (this.destroyed) return;
      this.engine.renderViewports(PLANE_AXES.map((axis) => this.viewportIds[axis]));
      this.update({ shown: true });
    } catch (error) {
      if (!this.destroyed) this.update({ error: `The volume could not be built: ${await describeLoadError(error)}` });
    }
  }

  view(axis: PlaneAxis): PlaneView {
    return this.views[axis];
  }

  state(): VolumeProgress {
    return this.progress;
  }

  /** Back to each view's own orientation through the volume's centre, fitted, with the file's window. */
  reset(): void {
    for (const axis of PLANE_AXES) {
      const viewport = this.viewport(axis);
      if (!viewport) continue;
      viewport.setOrientation(ORIENTATION[axis]);
      viewport.resetCamera();
      viewport.resetProperties();
      viewport.render();
    }
  }

  /** Puts a check tool on the left button of the three views, or gives it back to window-level (check-tools.ts). */
  setCheckTool(tool: CheckTool | null): void {
    const toolGroup = this.destroyed ? undefined : ToolGroupManager.getToolGroup(this.toolGroupId);
    if (toolGroup) holdCheckTool(toolGroup, tool);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.redraw !== null) clearTimeout(this.redraw);
    eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, this.onVolumeModified as EventListener);
    this.resizeObserver.disconnect();
    for (const axis of PLANE_AXES) {
      this.elements[axis].removeEventListener(Enums.Events.CAMERA_MODIFIED, this.listeners[axis].camera);
      this.elements[axis].removeEventListener(Enums.Events.VOI_MODIFIED, this.listeners[axis].window);
    }
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    if (!this.engine.hasBeenDestroyed) for (const axis of PLANE_AXES) this.engine.disableElement(this.viewportIds[axis]);
    // The volume goes with the layout, and its decoded slices with it, unless someone else still uses them.
    void releaseVolume(this.volumeId, this.imageIds, this.building);
  }

  private viewport(axis: PlaneAxis): Types.IVolumeViewport | null {
    if (this.destroyed || this.engine.hasBeenDestroyed) return null;
    return (this.engine.getViewport(this.viewportIds[axis]) as Types.IVolumeViewport | undefined) ?? null;
  }

  private bindTools(): void {
    const toolGroup = ToolGroupManager.createToolGroup(this.toolGroupId);
    if (!toolGroup) throw new Error(`Tool group ${this.toolGroupId} exists already.`);
    const { MouseBindings } = ToolEnums;
    toolGroup.addTool(WindowLevelTool.toolName);
    toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
    addCheckTools(toolGroup);
    if (this.options.zoomPan) {
      toolGroup.addTool(PanTool.toolName);
      toolGroup.addTool(ZoomTool.toolName);
      toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
      toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    }
    for (const axis of PLANE_AXES) toolGroup.addViewport(this.viewportIds[axis], this.engine.id);
  }

  private readonly onVolumeModified = (event: CustomEvent<{ volumeId: string; framesProcessed?: number; numberOfFrames?: number }>): void => {
    const { volumeId, framesProcessed, numberOfFrames } = event.detail;
    if (this.destroyed || volumeId !== this.volumeId || framesProcessed === undefined) return;
    this.update({ loaded: framesProcessed, total: numberOfFrames ?? this.progress.total });
    if (this.progress.loaded >= this.progress.total) this.drawViews();
    else this.redraw ??= setTimeout(() => this.drawViews(), STREAMING_REDRAW_MS);
  };

  private drawViews(): void {
    if (this.redraw !== null) clearTimeout(this.redraw);
    this.redraw = null;
    if (!this.destroyed && !this.engine.hasBeenDestroyed) this.engine.renderViewports(PLANE_AXES.map((axis) => this.viewportIds[axis]));
  }

  private update(changes: Partial<VolumeProgress>): void {
    this.progress = { ...this.progress, ...changes };
    this.options.onProgress(this.progress);
  }
}
