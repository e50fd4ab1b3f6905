// One series shown in one Cornerstone3D stack viewport: the rendering engine,
// the viewport, its tool bindings and the events the UI displays. The viewer
// component owns one session per opened series and destroys it on switch.
import { Enums, RenderingEngine, type Types, eventTarget, utilities } from '@cornerstonejs/core';
import { Enums as ToolEnums, PanTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
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

export const INITIAL_STACK_STATE: StackState = { index: -1, count: 0, rendered: false, window: null, inverted: false, error: null };

const VIEWPORT_ID = 'stack';
let sessionCounter = 0;

export class StackSession {
  private readonly engine: RenderingEngine;
  private readonly toolGroupId: string;
  private readonly resizeObserver: ResizeObserver;
  private readonly imageIds: ReadonlySet<string>;
  private state: StackState;
  private destroyed = false;

  constructor(
    private readonly element: HTMLDivElement,
    private readonly orderedImageIds: readonly string[],
    private readonly onChange: (state: StackState) => void,
  ) {
    sessionCounter += 1;
    this.imageIds = new Set(orderedImageIds);
    this.state = { ...INITIAL_STACK_STATE, count: orderedImageIds.length };
    this.engine = new RenderingEngine(`lesiontrack-engine-${sessionCounter}`);
    this.engine.enableElement({
      viewportId: VIEWPORT_ID,
      type: Enums.ViewportType.STACK,
      element,
      defaultOptions: { background: [0, 0, 0] },
    });
    this.toolGroupId = `lesiontrack-tools-${sessionCounter}`;
    this.bindTools();
    element.addEventListener(Enums.Events.IMAGE_RENDERED, this.onRendered);
    element.addEventListener(Enums.Events.STACK_NEW_IMAGE, this.onNewImage as EventListener);
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onLoadFailed as EventListener);
    this.resizeObserver = new ResizeObserver(() => {
      if (!this.destroyed) this.engine.resize(true, true);
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
    try {
      await this.viewport().setStack([...this.orderedImageIds], 0);
      if (this.destroyed) return;
      this.viewport().render();
    } catch (error) {
      if (!this.destroyed) this.update({ error: `Slice 1 could not be shown: ${await describeLoadError(error)}` });
    }
  }

  goTo(index: number): void {
    if (this.destroyed || this.state.count === 0) return;
    const target = Math.min(this.state.count - 1, Math.max(0, index));
    if (target === this.viewport().getCurrentImageIdIndex()) return;
    this.viewport()
      .setImageIdIndex(target)
      .catch(async (error: unknown) => {
        if (!this.destroyed) this.update({ error: `Slice ${target + 1} could not be shown: ${await describeLoadError(error)}` });
      });
  }

  step(delta: number): void {
    const current = this.destroyed ? 0 : this.viewport().getCurrentImageIdIndex();
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

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.resizeObserver.disconnect();
    this.element.removeEventListener(Enums.Events.IMAGE_RENDERED, this.onRendered);
    this.element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, this.onNewImage as EventListener);
    eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onLoadFailed as EventListener);
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    this.engine.destroy();
  }

  private viewport(): Types.IStackViewport {
    return this.engine.getViewport(VIEWPORT_ID) as Types.IStackViewport;
  }

  private bindTools(): void {
    const toolGroup = ToolGroupManager.createToolGroup(this.toolGroupId);
    if (!toolGroup) throw new Error(`Tool group ${this.toolGroupId} exists already.`);
    for (const tool of [StackScrollTool, WindowLevelTool, PanTool, ZoomTool]) toolGroup.addTool(tool.toolName);
    const { MouseBindings } = ToolEnums;
    toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
    toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    toolGroup.addViewport(VIEWPORT_ID, this.engine.id);
  }

  /** Cornerstone also renders an empty viewport (on resize, before or without an image): only a render after an image arrived counts. */
  private readonly onRendered = (): void => {
    if (this.destroyed || this.state.index < 0) return;
    this.readDisplayProperties({ rendered: true });
  };

  private readonly onNewImage = (event: CustomEvent<{ imageIdIndex: number }>): void => {
    if (this.destroyed) return;
    this.update({ index: event.detail.imageIdIndex, error: null });
  };

  private readonly onLoadFailed = (event: CustomEvent<{ imageId: string; error: unknown }>): void => {
    const { imageId, error } = event.detail;
    if (this.destroyed || !this.imageIds.has(imageId)) return;
    const position = this.orderedImageIds.indexOf(imageId) + 1;
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
