// One series shown in one Cornerstone3D stack viewport: the rendering engine
// (its own, or one shared by the panes of a layout: each engine holds a WebGL
// context, and browsers allow only a few),
// the viewport, its tool bindings and the events the UI displays. The viewer
// component owns one session per opened series and destroys it on switch.
import { Enums, RenderingEngine, type Types, eventTarget, utilities } from '@cornerstonejs/core';
import { Enums as ToolEnums, PanTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool, utilities as toolUtilities } from '@cornerstonejs/tools';
import { addCheckTools, type CheckTool, holdCheckTool } from './check-tools';
import { describeLoadError } from './load-error';

export interface StackState {
  /** 0-based index of the image on screen, or -1 before the first one. */
  index: number;
  count: number;
  /** True once the first image has been drawn. */
  rendered: boolean;
  window: { width: number; center: number } | null;
  inverted: boolean;
  /** Why the image asked for could not be shown, or null. */
  error: string | null;
}

/** Zoom and pan of a pane, for the other panes to copy. */
export interface CameraView {
  zoom: number;
  pan: [number, number];
}

export interface StackSessionOptions {
  /** Called when the reader zooms or pans this pane. */
  onCamera?: () => void;
  /** Whether the wheel scrolls this stack (a follower pane hands the wheel to its group instead). */
  wheelScrolls?: boolean;
  /** An engine shared with other panes; without it the session makes (and destroys) its own. */
  engine?: RenderingEngine;
  /** The slice to open on (clamped to the stack); the first one without it. */
  initialIndex?: number | undefined;
}

export type { CheckTool } from './check-tools';

/** Zoom per wheel notch with Ctrl held. */
const WHEEL_ZOOM = 1.15;

export const INITIAL_STACK_STATE: StackState = { index: -1, count: 0, rendered: false, window: null, inverted: false, error: null };

let sessionCounter = 0;

export class StackSession {
  private readonly engine: RenderingEngine;
  private readonly ownsEngine: boolean;
  private readonly viewportId: string;
  private readonly toolGroupId: string;
  private readonly resizeObserver: ResizeObserver;
  private readonly imageIds: ReadonlySet<string>;
  private state: StackState;
  private destroyed = false;
  /** The slice last asked for (shown once it has loaded). */
  private requestedIndex = 0;
  /** True once the stack is set: until then a slice asked for waits (pendingIndex) and is shown when it is. */
  private opened = false;
  private pendingIndex: number | null = null;

  constructor(
    private readonly element: HTMLDivElement,
    private readonly orderedImageIds: readonly string[],
    private readonly onChange: (state: StackState) => void,
    private readonly options: StackSessionOptions = {},
  ) {
    sessionCounter += 1;
    this.imageIds = new Set(orderedImageIds);
    this.state = { ...INITIAL_STACK_STATE, count: orderedImageIds.length };
    this.ownsEngine = options.engine === undefined;
    this.engine = options.engine ?? new RenderingEngine(`lesiontrack-engine-${sessionCounter}`);
    this.viewportId = `stack-${sessionCounter}`;
    this.engine.enableElement({
      viewportId: this.viewportId,
      type: Enums.ViewportType.STACK,
      element,
      defaultOptions: { background: [0, 0, 0] },
    });
    this.toolGroupId = `lesiontrack-tools-${sessionCounter}`;
    this.bindTools();
    element.addEventListener(Enums.Events.IMAGE_RENDERED, this.onRendered);
    element.addEventListener(Enums.Events.STACK_NEW_IMAGE, this.onNewImage as EventListener);
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, this.onCameraModified);
    // Before Cornerstone's own wheel listener (on the same element, bubbling): Ctrl+wheel zooms instead of scrolling.
    element.addEventListener('wheel', this.onWheelZoom, { capture: true, passive: false });
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onLoadFailed as EventListener);
    // A pane that changes size (four-up, a maximised pane, the window) fits its image to the new size again:
    // keeping the camera would keep the old pane's scale, and a four-up pane showed its image a third of its height.
    this.resizeObserver = new ResizeObserver(() => {
      if (!this.destroyed) this.engine.resize(true, false);
    });
    this.resizeObserver.observe(element);
    onChange(this.state);
  }

  /** Loads the stack and shows its first image; load failures land in the state, not in a rejection. */
  async open(): Promise<void> {
    if (this.orderedImageIds.length === 0) {
      this.update({ error: 'This series has no images to show.' });
      return;
    }
    const first = this.clamp(this.pendingIndex ?? this.options.initialIndex ?? 0);
    this.pendingIndex = null;
    this.requestedIndex = first;
    try {
      await this.viewport().setStack([...this.orderedImageIds], first);
      if (this.destroyed) return;
      this.opened = true;
      this.viewport().render();
      // Neighbouring slices load ahead of the reader.
      toolUtilities.stackPrefetch.enable(this.element);
      // A slice asked for while the stack was being set (a key pressed, the leader of a layout moved) is shown now, not lost.
      const asked = this.pendingIndex;
      this.pendingIndex = null;
      if (asked !== null) this.goTo(asked);
    } catch (error) {
      if (!this.destroyed) this.update({ error: `Slice ${first + 1} could not be shown: ${await describeLoadError(error)}` });
    }
  }

  goTo(index: number): void {
    if (this.destroyed || this.state.count === 0) return;
    const target = this.clamp(index);
    if (!this.opened) {
      this.pendingIndex = target;
      return;
    }
    if (target === this.viewport().getCurrentImageIdIndex()) return;
    this.requestedIndex = target;
    this.viewport()
      .setImageIdIndex(target)
      .catch(async (error: unknown) => {
        if (!this.destroyed) this.update({ error: `Slice ${target + 1} could not be shown: ${await describeLoadError(error)}` });
      });
  }

  step(delta: number): void {
    if (this.destroyed) return;
    const current = this.opened ? this.viewport().getCurrentImageIdIndex() : (this.pendingIndex ?? this.requestedIndex);
    this.goTo(current + delta);
  }

  /** Moves a tenth of the stack (at least one image) back or forth. */
  page(direction: 1 | -1): void {
    this.step(direction * Math.max(1, Math.round(this.state.count / 10)));
  }

  /** Back to the loader's zoom, pan and window, not inverted. */
  reset(): void {
    if (this.destroyed) return;
    const viewport = this.viewport();
    viewport.resetCamera();
    viewport.resetProperties();
    viewport.render();
    this.readDisplayProperties();
  }

  toggleInvert(): void {
    if (this.destroyed) return;
    const viewport = this.viewport();
    viewport.setProperties({ invert: !viewport.getProperties().invert });
    viewport.render();
    this.readDisplayProperties();
  }

  /** The slice shown, or -1 before the stack is set (and after the session ends). */
  index(): number {
    return this.destroyed || !this.opened ? -1 : this.viewport().getCurrentImageIdIndex();
  }

  /** The window shown, once an image is. */
  displayWindow(): { width: number; center: number } | null {
    return this.state.window;
  }

  camera(): CameraView {
    const viewport = this.viewport();
    const [x, y] = viewport.getPan();
    return { zoom: viewport.getZoom(), pan: [x, y] };
  }

  applyCamera(view: CameraView): void {
    if (this.destroyed) return;
    const viewport = this.viewport();
    const now = this.camera();
    const close = (a: number, b: number) => Math.abs(a - b) < 1e-3;
    if (close(now.zoom, view.zoom) && close(now.pan[0], view.pan[0]) && close(now.pan[1], view.pan[1])) return;
    viewport.setZoom(view.zoom);
    viewport.setPan(view.pan);
    viewport.render();
  }

  /** Puts a check tool on the left button in place of window-level, or gives the button back to window-level (check-tools.ts). */
  setCheckTool(tool: CheckTool | null): void {
    const toolGroup = this.destroyed ? undefined : ToolGroupManager.getToolGroup(this.toolGroupId);
    if (toolGroup) holdCheckTool(toolGroup, tool);
  }

  /** The stored value (after the modality's rescale) of the pixel under a point of the pane, or null off the image. */
  valueAt(x: number, y: number): number | null {
    if (this.destroyed) return null;
    const viewport = this.viewport();
    const imageId = viewport.getCurrentImageId();
    const image = viewport.getCornerstoneImage();
    if (!imageId || !image) return null;
    const coordinates = utilities.worldToImageCoords(imageId, viewport.canvasToWorld([x, y]));
    if (!coordinates) return null;
    const [column, row] = coordinates.map(Math.floor) as [number, number];
    if (column < 0 || row < 0 || column >= image.columns || row >= image.rows) return null;
    return image.getPixelData()[row * image.columns + column] ?? null;
  }

  /**
   * Zooms by a factor about a point of the pane (CSS pixels from its top-left
   * corner): the anatomy under the point stays under it. Cornerstone 5.14's
   * zoom tool zooms out on a wheel turned away from the reader, and by 3% a
   * notch; readers expect the other way, and more.
   */
  zoomAbout(x: number, y: number, factor: number): void {
    if (this.destroyed) return;
    const viewport = this.viewport();
    const before = viewport.canvasToWorld([x, y]);
    viewport.setZoom(viewport.getZoom() * factor);
    const after = viewport.canvasToWorld([x, y]);
    const { focalPoint, position } = viewport.getCamera();
    if (!focalPoint || !position) return;
    const moved = (from: Types.Point3): Types.Point3 => [from[0] + before[0] - after[0], from[1] + before[1] - after[1], from[2] + before[2] - after[2]];
    viewport.setCamera({ focalPoint: moved(focalPoint), position: moved(position) });
    viewport.render();
  }

  /** Pans a zoomed-in view so that a patient point sits in the middle of the pane; a view that shows the whole image stays as it is. */
  centreOn(point: readonly [number, number, number]): void {
    if (this.destroyed) return;
    const viewport = this.viewport();
    if (viewport.getZoom() <= 1.05) return;
    const { focalPoint, position, viewPlaneNormal } = viewport.getCamera();
    if (!focalPoint || !position || !viewPlaneNormal) return;
    // The move within the view plane that brings the focal point over the point.
    const offset = [0, 1, 2].map((axis) => point[axis]! - focalPoint[axis]!);
    const along = offset[0]! * viewPlaneNormal[0] + offset[1]! * viewPlaneNormal[1] + offset[2]! * viewPlaneNormal[2];
    const shift = offset.map((value, axis) => value - along * viewPlaneNormal[axis]!);
    const moved = (from: Types.Point3): Types.Point3 => [from[0] + shift[0]!, from[1] + shift[1]!, from[2] + shift[2]!];
    viewport.setCamera({ focalPoint: moved(focalPoint), position: moved(position) });
    viewport.render();
  }

  /** Sets the window (a preset, or another pane's); width and centre in the image's units. */
  applyWindow(window: { width: number; center: number }): void {
    if (this.destroyed) return;
    const now = this.state.window;
    if (now && Math.abs(now.width - window.width) < 0.5 && Math.abs(now.center - window.center) < 0.5) return;
    const viewport = this.viewport();
    viewport.setProperties({ voiRange: utilities.windowLevel.toLowHighRange(window.width, window.center) });
    viewport.render();
    this.readDisplayProperties();
  }

  /** Patient coordinates (mm) of a point on the pane, in CSS pixels from its top-left corner. */
  canvasToWorld(x: number, y: number): [number, number, number] | null {
    if (this.destroyed) return null;
    const [wx, wy, wz] = this.viewport().canvasToWorld([x, y]);
    return [wx, wy, wz];
  }

  /** Where a patient point falls on the pane (CSS pixels), on or off the current slice. */
  worldToCanvas(point: readonly [number, number, number]): [number, number] | null {
    if (this.destroyed) return null;
    const [x, y] = this.viewport().worldToCanvas([point[0], point[1], point[2]]);
    return [x, y];
  }

  isInverted(): boolean {
    return this.state.inverted;
  }

  setInverted(inverted: boolean): void {
    if (this.destroyed || this.state.inverted === inverted) return;
    this.toggleInvert();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    toolUtilities.stackPrefetch.disable(this.element);
    this.element.removeEventListener(Enums.Events.CAMERA_MODIFIED, this.onCameraModified);
    this.element.removeEventListener('wheel', this.onWheelZoom, { capture: true });
    this.resizeObserver.disconnect();
    this.element.removeEventListener(Enums.Events.IMAGE_RENDERED, this.onRendered);
    this.element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, this.onNewImage as EventListener);
    eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onLoadFailed as EventListener);
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    if (this.ownsEngine) this.engine.destroy();
    // A shared engine may have gone already, with the layout that owned it.
    else if (!this.engine.hasBeenDestroyed) this.engine.disableElement(this.viewportId);
  }

  private clamp(index: number): number {
    return Math.min(this.orderedImageIds.length - 1, Math.max(0, index));
  }

  private viewport(): Types.IStackViewport {
    return this.engine.getViewport(this.viewportId) as Types.IStackViewport;
  }

  private bindTools(): void {
    const toolGroup = ToolGroupManager.createToolGroup(this.toolGroupId);
    if (!toolGroup) throw new Error(`Tool group ${this.toolGroupId} exists already.`);
    for (const tool of [StackScrollTool, WindowLevelTool, PanTool, ZoomTool]) toolGroup.addTool(tool.toolName);
    addCheckTools(toolGroup);
    const { MouseBindings } = ToolEnums;
    toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
    toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    if (this.options.wheelScrolls !== false) toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    toolGroup.addViewport(this.viewportId, this.engine.id);
  }

  /** Cornerstone also renders an empty viewport (on resize, before or without an image): only a render after an image arrived counts. */
  private readonly onRendered = (): void => {
    if (this.destroyed || this.state.index < 0) return;
    this.readDisplayProperties({ rendered: true });
  };

  /** Ctrl+wheel: a notch away from the reader zooms in about the cursor, towards them out. */
  private readonly onWheelZoom = (event: WheelEvent): void => {
    if (!event.ctrlKey || this.destroyed) return;
    event.preventDefault();
    event.stopPropagation();
    const box = this.element.getBoundingClientRect();
    this.zoomAbout(event.clientX - box.left, event.clientY - box.top, event.deltaY < 0 ? WHEEL_ZOOM : 1 / WHEEL_ZOOM);
  };

  private readonly onCameraModified = (): void => {
    if (!this.destroyed) this.options.onCamera?.();
  };

  private readonly onNewImage = (event: CustomEvent<{ imageIdIndex: number }>): void => {
    if (this.destroyed) return;
    this.update({ index: event.detail.imageIdIndex, error: null });
  };

  private readonly onLoadFailed = (event: CustomEvent<{ imageId: string; error: unknown }>): void => {
    const { imageId, error } = event.detail;
    if (this.destroyed || !this.imageIds.has(imageId)) return;
    const position = this.orderedImageIds.indexOf(imageId) + 1;
    // A slice loaded ahead (prefetch) that fails says so when the reader asks for it, not over another slice.
    if (position - 1 !== this.requestedIndex) return;
    void describeLoadError(error).then((reason) => {
      if (!this.destroyed) this.update({ error: `Slice ${position} could not be shown: ${reason}` });
    });
  };

  private readDisplayProperties(extra: Partial<StackState> = {}): void {
    const { voiRange, invert } = this.viewport().getProperties();
    const window = voiRange ? utilities.windowLevel.toWindowLevel(voiRange.lower, voiRange.upper) : null;
    this.update({
      ...extra,
      window: window ? { width: window.windowWidth, center: window.windowCenter } : null,
      inverted: invert === true,
    });
  }

  private update(changes: Partial<StackState>): void {
    const next = { ...this.state, ...changes };
    const same =
      next.index === this.state.index &&
      next.count === this.state.count &&
      next.rendered === this.state.rendered &&
      next.inverted === this.state.inverted &&
      next.error === this.state.error &&
      next.window?.width === this.state.window?.width &&
      next.window?.center === this.state.window?.center;
    if (same) return;
    this.state = next;
    this.onChange(next);
  }
}
