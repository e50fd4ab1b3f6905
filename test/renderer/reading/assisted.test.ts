// The pure part of assisted detection in the reading room: how a difference
// slice is coloured in a window of its noise, the overlay's opacity steps,
// and the way through a read's unreviewed candidates.
import { describe, expect, it } from 'vitest';
import type { CandidateView } from '../../../shared/contract';
import { candidateKind, candidateSpot, colourDifference, nextOpacity, unreviewedStep } from '../../../renderer/src/reading/assisted';

const pixel = (rgba: Uint8ClampedArray, index: number) => [...rgba.slice(index * 4, index * 4 + 4)];

describe('colourDifference', () => {
  it('colours an increase warm and a decrease cool, full at the window, nothing below a third of it', () => {
    // Stored values x slope 2 + intercept 0: 0, 10 (a sixth of the window), 30 (half), 60 (the window), 90, -60.
    const rgba = colourDifference([0, 5, 15, 30, 45, -30], 2, 0, 60, 0.5);
    expect(pixel(rgba, 0)).toEqual([0, 0, 0, 0]);
    expect(pixel(rgba, 1)).toEqual([0, 0, 0, 0]);
    expect(pixel(rgba, 2)).toEqual([255, Math.round(96 + 159 * 0.25), 0, Math.round(255 * 0.5 * 0.25)]);
    expect(pixel(rgba, 3)).toEqual([255, 255, 0, 128]);
    expect(pixel(rgba, 4)).toEqual(pixel(rgba, 3));
    expect(pixel(rgba, 5)).toEqual([0, 255, 255, 128]);
  });

  it('applies the intercept, and colours nothing without a window', () => {
    expect(pixel(colourDifference([100], 1, -40, 60, 1), 0)).toEqual([255, 255, 0, 255]);
    expect([...colourDifference([100, -100], 1, 0, 0, 1)].every((value) => value === 0)).toBe(true);
  });
});

describe('nextOpacity', () => {
  it('steps up a quarter at a time, round to the faintest', () => {
    expect([0.25, 0.5, 0.75, 1, 0.6].map(nextOpacity)).toEqual([0.5, 0.75, 1, 0.25, 0.75]);
  });
});

const candidate = (id: string, status: CandidateView['status']) => ({ id, status }) as CandidateView;

describe('unreviewedStep', () => {
  const list = [candidate('a', 'unreviewed'), candidate('b', 'dismissed'), candidate('c', 'unreviewed'), candidate('d', 'confirmed')];

  it('goes to the next or previous unreviewed candidate, round the end, passing the reviewed ones', () => {
    expect(unreviewedStep(list, 'a', 1)?.id).toBe('c');
    expect(unreviewedStep(list, 'c', 1)?.id).toBe('a');
    expect(unreviewedStep(list, 'c', -1)?.id).toBe('a');
    expect(unreviewedStep(list, 'b', 1)?.id).toBe('c');
    expect(unreviewedStep(list, 'd', 1)?.id).toBe('a');
  });

  it('starts at the first forward or the last back, stays on the last one left, and is null when none is left', () => {
    expect(unreviewedStep(list, null, 1)?.id).toBe('a');
    expect(unreviewedStep(list, null, -1)?.id).toBe('c');
    expect(unreviewedStep([candidate('a', 'unreviewed')], 'a', 1)?.id).toBe('a');
    expect(unreviewedStep([candidate('a', 'dismissed')], null, 1)).toBeNull();
    expect(unreviewedStep([], null, -1)).toBeNull();
  });
});

describe('candidates in words and on the image', () => {
  it('asks rather than says, and names the lesion an enlarging one grows', () => {
    expect(candidateKind({ kind: 'new', lesionLabel: null })).toBe('new?');
    expect(candidateKind({ kind: 'enlarging', lesionLabel: 'B3' })).toBe('enlarging? (B3)');
  });

  it('is shown at the middle of its diameter, which lies on its slice', () => {
    expect(candidateSpot({ diameter: [[0, 2, 10], [4, 6, 10]] })).toEqual([2, 4, 10]);
  });
});
