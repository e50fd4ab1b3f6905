import { describe, expect, it } from 'vitest';
import { analyseStack, cross, dot, orderSlices, sliceNormal } from '../../shared/geometry';

const axial = [1, 0, 0, 0, 1, 0];

describe('slice geometry', () => {
  it('computes cross and dot products', () => {
    expect(cross([1, 0, 0], [0, 1, 0])).toEqual([0, 0, 1]);
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
  });

  it('gives the unit normal of axial, sagittal and oblique orientations', () => {
    expect(sliceNormal(axial)).toEqual([0, 0, 1]);
    expect(sliceNormal([0, 1, 0, 0, 0, -1])).toEqual([-1, 0, 0]);
    const oblique = sliceNormal([1, 0, 0, 0, Math.cos(0.3), Math.sin(0.3)])!;
    expect(Math.hypot(...oblique)).toBeCloseTo(1, 12);
  });

  it('has no normal for missing, short, degenerate or non-numeric orientations', () => {
    expect(sliceNormal([])).toBeNull();
    expect(sliceNormal([1, 0, 0, 1, 0, 0])).toBeNull();
    expect(sliceNormal([1, 0, 0, 0, Number.NaN, 0])).toBeNull();
  });

  it('orders slices by position along the normal, whatever their instance numbers say', () => {
    const slices = [3, 1, 2].map((z, index) => ({ item: `z${z}`, position: [0, 0, z], orientation: axial, instanceNumber: 10 - index }));
    expect(orderSlices(slices)).toEqual(['z1', 'z2', 'z3']);
  });

  it('orders sagittal slices along x (the normal), not along z', () => {
    const sagittal = [0, 1, 0, 0, 0, -1];
    const slices = [5, -5, 0].map((x) => ({ item: x, position: [x, 100 - x, 7], orientation: sagittal, instanceNumber: null }));
    expect(orderSlices(slices)).toEqual([5, 0, -5]);
  });

  it('falls back to instance numbers when any slice lacks geometry, and breaks position ties by them', () => {
    const missing = [
      { item: 'b', position: null, orientation: axial, instanceNumber: 2 },
      { item: 'a', position: [0, 0, 9], orientation: axial, instanceNumber: 1 },
    ];
    expect(orderSlices(missing)).toEqual(['a', 'b']);
    const tie = [
      { item: 'second', position: [0, 0, 1], orientation: axial, instanceNumber: 2 },
      { item: 'first', position: [0, 0, 1], orientation: axial, instanceNumber: 1 },
    ];
    expect(orderSlices(tie)).toEqual(['first', 'second']);
    expect(orderSlices([])).toEqual([]);
  });
});

describe('analyseStack', () => {
  const at = (...zs: number[]) => zs.map((z) => ({ position: [0, 0, z], orientation: axial }));

  it('measures the spacing of an even stack with no warnings', () => {
    expect(analyseStack(at(0, 5, 10, 15))).toEqual({ spacing: 5, warnings: [] });
  });

  it('reports a gap and a duplicate position with the slices involved', () => {
    expect(analyseStack(at(0, 5, 10, 25, 30, 30))).toEqual({
      spacing: 5,
      warnings: ['gap of 15.0 mm between slices 3 and 4 (spacing 5.0 mm)', 'slices 5 and 6 are at the same position'],
    });
  });

  it('says when geometry is missing, and is silent for a single slice', () => {
    expect(analyseStack([{ position: null, orientation: null }, { position: null, orientation: null }])).toEqual({ spacing: null, warnings: ['no slice geometry: ordered by instance number'] });
    expect(analyseStack([{ position: [0, 0, 0], orientation: axial }, { position: null, orientation: axial }]).warnings).toEqual(['some slices lack a position: ordered by instance number']);
    expect(analyseStack(at(3))).toEqual({ spacing: null, warnings: [] });
  });
});
