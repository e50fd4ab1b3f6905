// Starts Cornerstone3D once per page: the rendering core, the DICOM loader
// with its decode workers (WebAssembly codecs, module workers from our own
// origin), the metadata fixes the viewer needs, and the interaction tools.
import { cache, Enums, eventTarget, imageLoadPoolManager, imageRetrievalPoolManager, init as initCore } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import { EllipticalROITool, LengthTool, PanTool, ProbeTool, StackScrollTool, WindowLevelTool, ZoomTool, addTool, init as initTools } from '@cornerstonejs/tools';
import { installLoadFailureRejectionFilter } from './load-failures';
import { installMinimumWindowWidth, registerUsableWindowProvider } from './window-metadata';

/**
 * Decoded images kept in memory: about 40 brain stacks of 36 slices at 256 x 256
 * (16-bit), plenty for four panes and their neighbours. Past it, Cornerstone
 * drops the least recently used images, so reading a whole worklist stays bounded.
 */
const IMAGE_CACHE_BYTES = 384 * 1024 * 1024;

/** Decoding is one image at a time while a reader scrolls: two workers keep up without crowding a laptop. */
const DECODE_WORKERS = 2;

let started = false;

/**
 * Cornerstone's annotation text boxes set their style with
 * setAttribute('style', ...), which our CSP (style-src 'self', no inline
 * styles) blocks and reports. The same declarations set through the CSSOM
 * are allowed: SVG text elements take a style attribute that way. The
 * policy stays as strict as it is.
 */
function setSvgTextStylesThroughCssom(): void {
  const setAttribute = SVGTextElement.prototype.setAttribute;
  SVGTextElement.prototype.setAttribute = function setAttributeWithoutInlineStyle(this: SVGTextElement, name: string, value: string) {
    if (name.toLowerCase() === 'style') this.style.cssText = value;
    else setAttribute.call(this, name, value);
  };
}

/**
 * Before the store changes: drops every image request still waiting its turn
 * (slices loaded ahead) and every decoded image kept. The next store's image
 * URLs differ anyway (they carry the store's identity), so this frees memory
 * and keeps the old store's requests off the wire.
 */
export function forgetStoreImages(): void {
  for (const type of Object.values(Enums.RequestType)) {
    imageLoadPoolManager.clearRequestStack(type);
    imageRetrievalPoolManager.clearRequestStack(type);
  }
  cache.purgeCache();
}

/** What Cornerstone holds in memory: the volumes, the decoded images by id, and their bytes. */
export interface ImageCacheState {
  volumeIds: string[];
  imageIds: string[];
  imageBytes: number;
}

declare global {
  interface Window {
    /** Read by the memory checks (the MPR test and bench): image ids are instance URLs, nothing about a patient. */
    lesiontrackImageCache?: () => ImageCacheState;
  }
}

/** The ids of the images in the cache, followed through its events (the cache lists its volumes, not its images). */
const cachedImageIds = new Set<string>();

function followImageCache(): void {
  eventTarget.addEventListener(Enums.Events.IMAGE_CACHE_IMAGE_ADDED, (event: Event) => void cachedImageIds.add((event as CustomEvent<{ image: { imageId: string } }>).detail.image.imageId));
  eventTarget.addEventListener(Enums.Events.IMAGE_CACHE_IMAGE_REMOVED, (event: Event) => void cachedImageIds.delete((event as CustomEvent<{ imageId: string }>).detail.imageId));
}

function imageCacheState(): ImageCacheState {
  const imageIds = [...cachedImageIds].filter((imageId) => cache.getImageLoadObject(imageId) !== undefined);
  return { volumeIds: cache.getVolumes().map((volume) => volume.volumeId), imageIds, imageBytes: cache.getCacheSize() };
}

export function startCornerstone(): void {
  if (started) return;
  initCore();
  cache.setMaxCacheSize(IMAGE_CACHE_BYTES);
  initDicomImageLoader({
    maxWebWorkers: Math.max(1, Math.min(DECODE_WORKERS, navigator.hardwareConcurrency || 1)),
    // The dicom-parser based reader: the newer dcmjs-based one of 5.14 cannot read
    // Deflated Explicit VR Little Endian files (it finds no pixel data), and it
    // reports private elements with odd VRs through console.error. This is the
    // parser main/ indexes with, so both sides read a file the same way.
    useLegacyMetadataProvider: true,
  });
  registerUsableWindowProvider();
  installMinimumWindowWidth();
  installLoadFailureRejectionFilter();
  setSvgTextStylesThroughCssom();
  followImageCache();
  window.lesiontrackImageCache = imageCacheState;
  initTools();
  for (const tool of [StackScrollTool, WindowLevelTool, PanTool, ZoomTool, LengthTool, EllipticalROITool, ProbeTool]) addTool(tool);
  started = true;
}
