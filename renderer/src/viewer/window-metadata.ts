// Some scanners write a window of width 0 (the GE Signa series among the
// fixtures has WindowCenter 0, WindowWidth 0). Cornerstone's stack viewport
// takes that at face value and draws a black pane. DICOM requires a width of
// at least 1, so a non-positive width means "no window": this provider drops
// such windows from the VOI LUT module, and the loader then windows the image
// by its own minimum and maximum, as it does for files without a window.
import { Enums, eventTarget, metaData } from '@cornerstonejs/core';

type WindowValue = number | number[] | undefined;

interface VoiLutModule {
  windowCenter?: WindowValue;
  windowWidth?: WindowValue;
  windowCenterWidthExplanation?: string | string[];
  [key: string]: unknown;
}

const asList = (value: WindowValue): number[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The module with only the windows a viewer can use, or unchanged when all are usable. */
export function withUsableWindows(module: VoiLutModule): VoiLutModule {
  const centers = asList(module.windowCenter);
  const widths = asList(module.windowWidth);
  if (widths.length === 0) return module;
  const usable = widths.flatMap((width, index) => {
    const center = centers[index] ?? centers[0];
    return Number.isFinite(width) && width > 0 && center !== undefined && Number.isFinite(center) ? [{ width, center, index }] : [];
  });
  if (usable.length === widths.length && centers.length >= widths.length) return module;
  const explanations = asList(module.windowCenterWidthExplanation as WindowValue) as unknown[];
  return {
    ...module,
    windowCenter: usable.length > 0 ? usable.map((window) => window.center) : undefined,
    windowWidth: usable.length > 0 ? usable.map((window) => window.width) : undefined,
    windowCenterWidthExplanation: Array.isArray(module.windowCenterWidthExplanation)
      ? (usable.map((window) => explanations[window.index]).filter((text) => typeof text === 'string') as string[])
      : module.windowCenterWidthExplanation,
  };
}

/** Well above the loader's providers, so every VOI LUT query passes through here first. */
const PRIORITY = 10_000;
let consulting = false;

function usableWindowProvider(type: string, query: unknown): unknown {
  if (type !== Enums.MetadataModules.VOI_LUT || consulting || typeof query !== 'string') return undefined;
  consulting = true;
  try {
    const module = metaData.get(type, query) as VoiLutModule | undefined;
    return module ? withUsableWindows(module) : undefined;
  } finally {
    consulting = false;
  }
}

export function registerUsableWindowProvider(): void {
  metaData.addProvider(usableWindowProvider as Parameters<typeof metaData.addProvider>[0], PRIORITY);
}

/**
 * An image of one value throughout (a blank frame, a uniform test phantom)
 * gets a window of width 0 from the loader's minimum-to-maximum fallback, and
 * the renderer then logs "attempt to set zero width color range" on every
 * draw; a width of 1 gives the same empty range. An image whose window is 1
 * or narrower gets a window of width 2 instead, the narrowest whose linear
 * range (DICOM PS3.3 C.11.2.1.2: centre - 0.5 ± (width - 1) / 2) is not
 * empty. This runs before the viewport sees the image: the listener is
 * attached to the same load promise earlier than the viewport's.
 */
const MINIMUM_WIDTH = 2;

export function installMinimumWindowWidth(): void {
  eventTarget.addEventListener(Enums.Events.IMAGE_LOADED, ((event: CustomEvent<{ image: { windowWidth?: number | number[] } }>) => {
    const { image } = event.detail;
    if (typeof image.windowWidth === 'number' && !(image.windowWidth > 1)) image.windowWidth = MINIMUM_WIDTH;
  }) as EventListener);
}
