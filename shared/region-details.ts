// What a spinal cord or optic nerve measurement records besides its
// diameter, asked of the reader right after the drag: the cord's vertebral
// levels, the optic lesion's side and extent. Pre-filled where the reading
// already knows (the lesion's own earlier record, the side of the midline
// the mark lies on), never left at a silent default: the reader confirms.
// Typed cord levels are an override of the clicked ends, so they need a
// reason (the ends, clicked after saving, need none).
import type { LesionView, Side, VertebralLevel } from './contract';
import { type Region, segmentsSpanned } from './protocol';
import type { Vec3 } from './vector';

export interface RegionDetails {
  /** Cord: the levels chosen so far, or null when the reader says they cannot be told. */
  levels: { upper: VertebralLevel | null; lower: VertebralLevel | null } | null;
  /** Cord: why the levels are typed rather than given by the lesion's clicked ends (required with typed levels). */
  extentReason: string;
  side: Side | null;
  opticExtent: { beyondHalfLength: boolean; involvesChiasm: boolean };
}

/** Within this distance of the patient's midline (mm) a mark may be on either nerve or the chiasm: the side is left to the reader. */
export const MIDLINE_MM = 4;

/**
 * The details as the form first shows them: a lesion's own latest levels and
 * extent, and its side; for a new lesion, the side of the midline its mark
 * lies on (LPS: x grows to the patient's left), and no levels.
 */
export function prefilledDetails(lesion: LesionView | null, centre: Vec3): RegionDetails {
  const typed = lesion?.observations.findLast((observation) => observation.levels);
  const levels = typed?.levels;
  const extent = lesion?.observations.findLast((observation) => observation.opticExtent)?.opticExtent;
  return {
    levels: levels ? { upper: levels.upper as VertebralLevel, lower: levels.lower as VertebralLevel } : { upper: null, lower: null },
    extentReason: typed?.extent?.source === 'typed' ? (typed.extent.overrideReason ?? '') : '',
    side: lesion ? lesion.side : Math.abs(centre[0]) <= MIDLINE_MM ? null : centre[0] > 0 ? 'left' : 'right',
    opticExtent: extent ?? { beyondHalfLength: false, involvesChiasm: false },
  };
}

/** What still stops the details from being saved, in words; null when they can be. `newLesion`: the side is asked only of a new lesion. */
export function detailsMissing(region: Region, details: RegionDetails, newLesion: boolean): string | null {
  if (region === 'spinal_cord' && details.levels) {
    const { upper, lower } = details.levels;
    if (upper === null || lower === null) return 'Choose the upper and lower vertebral levels, or say they cannot be told.';
    if (segmentsSpanned(upper, lower) === null) return `The upper level (${upper}) must be at or above the lower one (${lower}).`;
    if (details.extentReason.trim() === '') return 'Say why the levels are typed rather than clicked, or save and click the lesion\'s ends.';
  }
  if (region === 'optic_nerve' && newLesion && details.side === null) return 'Choose the side: right or left nerve, or the chiasm.';
  return null;
}
