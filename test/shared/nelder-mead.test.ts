// Nelder-Mead on functions whose minimum is known.
import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../shared/nelder-mead';

describe('nelderMead', () => {
  it("finds Rosenbrock's minimum at (1, 1) from the textbook start", () => {
    const rosenbrock = ([x, y]: readonly number[]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2;
    const found = nelderMead(rosenbrock, [-1.2, 1], { step: 0.5, maxIterations: 2000 });
    expect(found.x[0]).toBeCloseTo(1, 4);
    expect(found.x[1]).toBeCloseTo(1, 4);
    expect(found.value).toBeLessThan(1e-8);
  });

  it('finds the centre of a six-dimensional bowl with unequal axes', () => {
    const bowl = (x: readonly number[]) => x.reduce((sum, value, axis) => sum + (axis + 1) * (value - axis) ** 2, 0);
    const found = nelderMead(bowl, [0, 0, 0, 0, 0, 0], { step: 1, maxIterations: 3000 });
    found.x.forEach((value, axis) => expect(value).toBeCloseTo(axis, 3));
  });

  it('never answers worse than its start, and stops at the iteration limit', () => {
    let calls = 0;
    const cone = (x: readonly number[]) => {
      calls += 1;
      return Math.abs(x[0]!) + Math.abs(x[1]!);
    };
    const found = nelderMead(cone, [0, 0], { step: 1, maxIterations: 5 });
    expect(found.value).toBe(0);
    expect(found.x).toEqual([0, 0]);
    expect(found.evaluations).toBe(calls);
    expect(calls).toBeLessThanOrEqual(3 + 5 * 4);
  });
});
