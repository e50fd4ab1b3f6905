// Window presets named by what they show, for the sequence being read, made
// from the series' own window (the one its file gives): lesions (narrower,
// and for the bright-lesion sequences centred a little higher, so that a
// hyperintensity stands out from the tissue around it) and anatomy (wide).
import type { Sequence } from './contract';

export type WindowPresetId = 'file' | 'lesions' | 'anatomy';

export interface WindowPreset {
  id: WindowPresetId;
  label: string;
  window: { width: number; center: number };
}

interface Shape {
  /** Width and centre as multiples of the file's. */
  width: number;
  center: number;
  label: string;
}

const LESIONS: Readonly<Record<Sequence, Shape>> = {
  FLAIR: { width: 0.5, center: 1.1, label: 'lesions: FLAIR hyperintensities against white matter' },
  T2: { width: 0.6, center: 1.05, label: 'lesions: T2 hyperintensities against tissue' },
  STIR: { width: 0.5, center: 1.15, label: 'lesions: cord hyperintensities on STIR' },
  T1: { width: 0.7, center: 1, label: 'lesions: T1 contrast, narrower' },
  other: { width: 0.6, center: 1, label: 'lesions: narrower' },
};

const ANATOMY: Shape = { width: 1.6, center: 1, label: 'anatomy: wide, every tissue in range' };

/** The presets of a sequence (null: not known), from the window the file gives. */
export function windowPresets(sequence: Sequence | null, file: { width: number; center: number }): WindowPreset[] {
  // To a thousandth: 700 * 1.1 is 770, not 770.0000000000001.
  const exact = (value: number) => Math.round(value * 1000) / 1000;
  const scaled = (id: WindowPresetId, shape: Shape): WindowPreset => ({ id, label: shape.label, window: { width: exact(file.width * shape.width), center: exact(file.center * shape.center) } });
  return [{ id: 'file', label: 'the window the file gives', window: file }, scaled('lesions', LESIONS[sequence ?? 'other']), scaled('anatomy', ANATOMY)];
}
