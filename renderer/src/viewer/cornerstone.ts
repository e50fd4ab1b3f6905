// Starts Cornerstone3D once per page: the rendering core, the DICOM loader
// with its decode workers (WebAssembly codecs, module workers from our own
// origin), the metadata fixes the viewer needs, and the interaction tools.
import { init as initCore } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import { PanTool, StackScrollTool, WindowLevelTool, ZoomTool, addTool, init as initTools } from '@cornerstonejs/tools';
import { installLoadFailureRejectionFilter } from './load-failures';
import { installMinimumWindowWidth, registerUsableWindowProvider } from './window-metadata';

/** Decoding is one image at a time while a reader scrolls: two workers keep up without crowding a laptop. */
const DECODE_WORKERS = 2;

let started = false;

export function startCornerstone(): void {
  if (started) return;
  initCore();
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
  initTools();
  for (const tool of [StackScrollTool, WindowLevelTool, PanTool, ZoomTool]) addTool(tool);
  started = true;
}
