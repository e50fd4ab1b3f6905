// A DICOM file as a blinded reader is given it (main/reads/blinding.ts): the
// same bytes with every date, time and age, and the descriptive and
// identifying text of the headers, overwritten with spaces in place. The
// lengths stay, so the pixel data and every offset are where they were and
// the image shows as before; nothing in the headers tells the visit or date.
import dicomParser from 'dicom-parser';

/** Value representations that carry a date, a time or an age. */
const DATED_VRS: ReadonlySet<string> = new Set(['DA', 'DT', 'TM', 'AS']);

/** By tag, for files whose VR is implicit as well: dates, times and ages, then descriptions and identifiers. */
const BLANKED_TAGS: ReadonlySet<string> = new Set([
  'x00080012', 'x00080013', 'x00080020', 'x00080021', 'x00080022', 'x00080023', 'x0008002a', 'x00080030', 'x00080031', 'x00080032', 'x00080033',
  'x00100030', 'x00100032', 'x00101010', 'x00400244', 'x00400245', 'x00400250', 'x00400251', 'x00321032', 'x00321033',
  'x00081030', 'x0008103e', 'x00100010', 'x00100020', 'x00101000', 'x00101001', 'x00080050', 'x00200010', 'x00080080', 'x00080081', 'x00080090',
  'x00081010', 'x00081040', 'x00081048', 'x00081050', 'x00081060', 'x00081070', 'x00181030', 'x00400254', 'x00400253', 'x00321060', 'x00204000', 'x00380010', 'x00380300',
]);

const SPACE = 0x20;

/** Throws where dicom-parser cannot read the headers: such a file is not shown blinded. */
export function blindedDicom(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  // Headers only: the pixel data is left as it is.
  const dataSet = dicomParser.parseDicom(copy, { untilTag: 'x7fe00010' });
  blankElements(copy, dataSet);
  return copy;
}

function blankElements(bytes: Uint8Array, dataSet: dicomParser.DataSet): void {
  for (const [tag, element] of Object.entries(dataSet.elements)) {
    if (element.items) {
      for (const item of element.items) if (item.dataSet) blankElements(bytes, item.dataSet);
      continue;
    }
    if (tag.startsWith('x0002') || element.length <= 0 || element.length === 0xffffffff) continue;
    if (BLANKED_TAGS.has(tag) || (element.vr !== undefined && DATED_VRS.has(element.vr))) bytes.fill(SPACE, element.dataOffset, element.dataOffset + element.length);
  }
}
