// Runs in the reading-room bench's page (bundled by scripts/build.mjs as a
// script the bench evaluates there): the floor of opening a reading view.
// It fetches the instances the panes show and decodes them as the viewer's
// loader does for the demo trial's uncompressed images: dicom-parser (the
// parser the loader is set to use), a copy of the frame's bytes, a typed view
// of them and their minimum and maximum (what Cornerstone's little-endian
// decoder and getMinMax do), with no viewport, metadata or rendering around it.
import dicomParser from 'dicom-parser';

export interface InstanceToDecode {
  url: string;
  /** 1-based, as in the viewer's image ids. */
  frame: number;
}

/** The transfer syntaxes the demo trial is written in; any other needs a codec this floor does not have. */
const LITTLE_ENDIAN = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

async function fetchAndDecode({ url, frame }: InstanceToDecode): Promise<{ min: number; max: number }> {
  const bytes = new Uint8Array(await (await fetch(url, { cache: 'no-store' })).arrayBuffer());
  const dataSet = dicomParser.parseDicom(bytes);
  const transferSyntax = dataSet.string('x00020010') ?? '';
  if (!LITTLE_ENDIAN.has(transferSyntax)) throw new Error(`the floor decodes little endian only, not ${transferSyntax}`);
  if (dataSet.uint16('x00280100') !== 16 || dataSet.uint16('x00280002') !== 1) throw new Error('the floor decodes 16-bit greyscale only');
  const frameLength = dataSet.uint16('x00280010')! * dataSet.uint16('x00280011')! * 2;
  const frameStart = dataSet.elements.x7fe00010!.dataOffset + (frame - 1) * frameLength;
  const frameBytes = bytes.buffer.slice(frameStart, frameStart + frameLength);
  const pixels = dataSet.uint16('x00280103') === 1 ? new Int16Array(frameBytes) : new Uint16Array(frameBytes);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of pixels) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

(globalThis as unknown as { lesiontrackReadingFloor: typeof fetchAndDecode }).lesiontrackReadingFloor = fetchAndDecode;
