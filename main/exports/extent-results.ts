// A cord or optic lesion's extent at a visit as the exports give it (SDTM TR
// with SUPPTR, DICOM SR): one result per value recorded, each with where it
// came from. The recorded levels or optic flags are the ones measured from
// the ends clicked on the image, the reader's typed override of those (with
// its reason, and what the image measured beside it), or typed with no ends
// clicked. The length along the cord and the fraction of the nerve exist only
// when measured, with the clicked ends they were measured between.
import type { ObservationView } from '../../shared/contract';
import type { Vec3 } from '../../shared/vector';

/** measured: from the clicked ends; override: typed over what the ends measure, for a reason; typed: chosen from the list, no ends clicked. */
export type ExtentSource = 'measured' | 'override' | 'typed';

export interface ExtentResult {
  /** SDTM test code (8 characters at most) and name; the SR uses them as its local codes. */
  code: string;
  name: string;
  /** A number with its unit ('mm', or '1' for a fraction), or text ('C3-C6', 'Y', 'N'). */
  value: number | string;
  unit: 'mm' | '1' | null;
  source: ExtentSource;
  /** The reader's reason, for an override. */
  reason: string | null;
  /** What the image measured, where the recorded value overrides it. */
  measured: string | null;
  /** The two ends clicked on the image (patient coordinates, mm), on the results measured between them. */
  ends: [Vec3, Vec3] | null;
}

const yesNo = (flag: boolean) => (flag ? 'Y' : 'N');

/** The extent results of an observation: none for a brain lesion, or one whose extent was never recorded. */
export function extentResults(observation: ObservationView): ExtentResult[] {
  const { levels, opticExtent, extent } = observation;
  const source: ExtentSource = !extent || extent.source === 'typed' ? 'typed' : extent.source === 'image' ? 'measured' : 'override';
  const reason = extent?.overrideReason ?? null;
  const recorded = (code: string, name: string, value: string | number, measured: string | null = null): ExtentResult => ({
    code,
    name,
    value,
    unit: null,
    source,
    reason,
    measured: source === 'override' ? measured : null,
    ends: null,
  });
  const fromEnds = (code: string, name: string, value: number, unit: 'mm' | '1'): ExtentResult => ({ code, name, value, unit, source: 'measured', reason: null, measured: null, ends: extent!.ends });
  const results: ExtentResult[] = [];
  if (levels) {
    const measuredLevels = extent?.measuredLevels ? `${extent.measuredLevels.upper}-${extent.measuredLevels.lower}` : null;
    results.push(recorded('VERTLEVS', 'Vertebral Levels Spanned', `${levels.upper}-${levels.lower}`, measuredLevels));
    if (levels.segments !== null) results.push(recorded('VERTSEG', 'Vertebral Segments Spanned', levels.segments));
    results.push(recorded('LETM', 'Longitudinally Extensive', yesNo(levels.longitudinallyExtensive)));
    if (extent?.lengthMm !== null && extent?.lengthMm !== undefined) results.push(fromEnds('LENGTH', 'Length Along the Cord', extent.lengthMm, 'mm'));
  }
  if (opticExtent) {
    const measuredOptic = extent?.measuredOptic ?? null;
    results.push(recorded('GTHALFNL', 'More Than Half the Optic Nerve Length', yesNo(opticExtent.beyondHalfLength), measuredOptic && yesNo(measuredOptic.beyondHalfLength)));
    results.push(recorded('CHIASM', 'Involves the Optic Chiasm', yesNo(opticExtent.involvesChiasm), measuredOptic && yesNo(measuredOptic.involvesChiasm)));
    if (extent?.fractionOfNerve !== null && extent?.fractionOfNerve !== undefined) results.push(fromEnds('NERVFRAC', 'Fraction of the Optic Nerve Length', extent.fractionOfNerve, '1'));
  }
  return results;
}

/** Words for where a result came from, as the exports write them. */
export const SOURCE_TEXT: Readonly<Record<ExtentSource, string>> = {
  measured: 'MEASURED ON IMAGE',
  override: 'READER OVERRIDE OF MEASURED VALUE',
  typed: 'READER ENTRY, NOT MEASURED',
};

/** Clicked ends as text: "x, y, z" of each end (mm), the ends separated by a semicolon (no backslash: DICOM reads it as a value separator). */
export function endsText(ends: readonly [Vec3, Vec3]): string {
  return ends.map((end) => end.map((value) => Number(value.toFixed(2))).join(', ')).join('; ');
}
