// Reading layouts as data, like OHIF's hanging protocols: per region, two
// panes or four, and which series a visit shows where it has more than one
// (the first sequence of the preference that the visit has). A reader's own
// layout is remembered per region; without one, the trial's default hangs
// (set with the charter), and these until the trial sets one.
import type { DefaultLayouts, HangingLayout, Sequence } from './contract';

export const DEFAULT_LAYOUTS: DefaultLayouts = {
  brain: { layout: 'two', sequences: ['FLAIR', 'T2'] },
  spinal_cord: { layout: 'two', sequences: ['STIR', 'T2'] },
  optic_nerve: { layout: 'two', sequences: ['STIR', 'T2', 'FLAIR'] },
};

/** The series a visit shows: the first whose sequence comes earliest in the preference, else the visit's first. */
export function preferredSeries(series: readonly { seriesId: number; sequence: Sequence }[], sequences: readonly Sequence[]): number | null {
  for (const sequence of sequences) {
    const found = series.find((item) => item.sequence === sequence);
    if (found) return found.seriesId;
  }
  return series[0]?.seriesId ?? null;
}

const descriptionKey = (description: string) => description.trim().replace(/\s+/g, ' ').toUpperCase();

/**
 * The series another visit shows while the reader has chosen one for the visit read and none for that visit:
 * the series of the same description (a protocol names its series alike at every visit, and the sequence alone
 * does not tell a 2D FLAIR from a 3D one), as a workstation hangs the prior's matching series. Null when none has it.
 */
export function matchingSeries(series: readonly { seriesId: number; description: string }[], chosen: { description: string } | undefined): number | null {
  if (!chosen) return null;
  return series.find((item) => descriptionKey(item.description) === descriptionKey(chosen.description))?.seriesId ?? null;
}

/** A layout after the reader picked a series of this sequence: that sequence first, the others after it in their order. */
export function preferring(layout: HangingLayout, sequence: Sequence): HangingLayout {
  return { ...layout, sequences: [sequence, ...layout.sequences.filter((item) => item !== sequence)].slice(0, 5) };
}
