// Window presets by sequence, from the file's own window.
import { describe, expect, it } from 'vitest';
import { windowPresets } from '../../shared/window-presets';

const FILE = { width: 1400, center: 700 };

describe('windowPresets', () => {
  it('starts with the file window, then lesions and anatomy', () => {
    expect(windowPresets('FLAIR', FILE).map((preset) => preset.id)).toEqual(['file', 'lesions', 'anatomy']);
    expect(windowPresets('FLAIR', FILE)[0]!.window).toEqual(FILE);
  });

  it('narrows FLAIR to half the width, a tenth higher, for white-matter lesions', () => {
    expect(windowPresets('FLAIR', FILE)[1]).toEqual({ id: 'lesions', label: 'lesions: FLAIR hyperintensities against white matter', window: { width: 700, center: 770 } });
  });

  it('gives T2 and STIR their own lesion windows', () => {
    expect(windowPresets('T2', FILE)[1]!.window).toEqual({ width: 840, center: 735 });
    expect(windowPresets('STIR', { width: 1000, center: 400 })[1]!.window).toEqual({ width: 500, center: 460 });
  });

  it('falls back to a plain narrower window for other or unknown sequences', () => {
    expect(windowPresets('other', FILE)[1]!.window).toEqual({ width: 840, center: 700 });
    expect(windowPresets(null, FILE)[1]!.window).toEqual({ width: 840, center: 700 });
  });

  it('widens the anatomy window to 1.6 times the file width at the same centre, whatever the sequence', () => {
    for (const sequence of ['FLAIR', 'T2', 'STIR', 'T1', 'other'] as const) expect(windowPresets(sequence, FILE)[2]!.window).toEqual({ width: 2240, center: 700 });
  });
});
