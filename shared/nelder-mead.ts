// Nelder-Mead minimisation (the standard reflect / expand / contract / shrink
// simplex, as in Numerical Recipes and SciPy's fmin), for the last step of the
// alignment. Written here because the one small npm package for it, fmin
// 0.0.4, ships a UMD build under "type": "module", which Node's ESM loader
// reads without any exports.

export interface Minimum {
  x: number[];
  value: number;
  evaluations: number;
}

/** Minimises f from x0; the first simplex steps each coordinate by `step`. Stops after maxIterations or once the simplex's values agree within tolerance. */
export function nelderMead(f: (x: readonly number[]) => number, x0: readonly number[], options: { step: number; maxIterations: number; tolerance?: number }): Minimum {
  const n = x0.length;
  const tolerance = options.tolerance ?? 1e-7;
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations += 1;
    return { x, value: f(x) };
  };
  let simplex = [evaluate([...x0])];
  for (let axis = 0; axis < n; axis += 1) simplex.push(evaluate(x0.map((value, index) => (index === axis ? value + options.step : value))));
  // Along the line from the worst point through the centroid of the others: 1 reflects, 2 expands, 0.5 and -0.5 contract.
  const along = (centroid: number[], worst: number[], factor: number) => centroid.map((value, index) => value + factor * (value - worst[index]!));
  for (let iteration = 0; iteration < options.maxIterations; iteration += 1) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.value - best.value) <= tolerance * (Math.abs(best.value) + tolerance)) break;
    const centroid = Array.from({ length: n }, (_, index) => simplex.slice(0, n).reduce((sum, point) => sum + point.x[index]!, 0) / n);
    const reflected = evaluate(along(centroid, worst.x, 1));
    if (reflected.value < best.value) {
      const expanded = evaluate(along(centroid, worst.x, 2));
      simplex[n] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < simplex[n - 1]!.value) {
      simplex[n] = reflected;
    } else {
      const outside = reflected.value < worst.value;
      const contracted = evaluate(along(centroid, worst.x, outside ? 0.5 : -0.5));
      if (contracted.value < (outside ? reflected.value : worst.value)) simplex[n] = contracted;
      else simplex = simplex.map((point, index) => (index === 0 ? point : evaluate(point.x.map((value, axis) => best.x[axis]! + 0.5 * (value - best.x[axis]!)))));
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return { x: simplex[0]!.x, value: simplex[0]!.value, evaluations };
}
