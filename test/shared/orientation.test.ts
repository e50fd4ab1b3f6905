import { describe, expect, it } from 'vitest';
import { directionLetters, edgeLabels } from '../../shared/orientation';

describe('orientation letters', () => {
  it('label the edges of axial, sagittal and coronal images', () => {
    expect(edgeLabels([1, 0, 0, 0, 1, 0])).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(edgeLabels([0, 1, 0, 0, 0, -1])).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    expect(edgeLabels([1, 0, 0, 0, 0, -1])).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
  });

  it('name obliques by their strongest axes first', () => {
    expect(directionLetters([0.8, -0.6, 0])).toBe('LA');
    expect(directionLetters([0.1, 0.2, -0.97])).toBe('I');
  });
});
