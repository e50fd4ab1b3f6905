// Quantiles of Snedecor's F distribution, for the ICC's confidence bounds
// (shared/agreement.ts), whose degrees of freedom are not whole numbers.
// Checked against R's qf and pf (test/shared/f-distribution.test.ts).

/** Lanczos approximation (g = 7, nine terms): about 15 significant digits for positive arguments. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(z: number): number {
  // Reflection keeps the series where it is accurate (a degree of freedom below 1 gives z below 0.5).
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const shifted = z - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i += 1) series += LANCZOS[i]! / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}

/** A continued fraction stops when a step changes it by less than this: a few units in the last place of a double. */
const CONVERGED = 1e-15;
/** Lentz's guard: a denominator that comes out zero is taken as this instead. */
const TINY = 1e-300;

/** The continued fraction of the incomplete beta function (modified Lentz), which converges fast for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let fraction = d;
  // Terms needed grow like the square root of the larger parameter: thousands cover degrees of freedom in the millions.
  for (let m = 1; m <= 100_000; m += 1) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d;
      if (Math.abs(d) < TINY) d = TINY;
      c = 1 + numerator / c;
      if (Math.abs(c) < TINY) c = TINY;
      d = 1 / d;
      fraction *= d * c;
    }
    if (Math.abs(d * c - 1) < CONVERGED) return fraction;
  }
  throw new Error(`incomplete beta did not converge (x ${x}, a ${a}, b ${b})`);
}

/**
 * The regularized incomplete beta function I_x(a, b), given x and 1 - x
 * separately so that neither loses digits to a subtraction.
 */
function regularizedBeta(x: number, oneMinusX: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (oneMinusX <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(oneMinusX) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(oneMinusX, b, a)) / b;
}

/** P(F ≤ f) for F with `numerator` and `denominator` degrees of freedom. */
function fDistribution(f: number, numerator: number, denominator: number): number {
  if (f <= 0) return 0;
  const scaled = numerator * f;
  return regularizedBeta(scaled / (scaled + denominator), denominator / (scaled + denominator), numerator / 2, denominator / 2);
}

/**
 * The p-quantile of F with `numerator` and `denominator` degrees of freedom
 * (R's qf), for 0 < p < 1 and any positive degrees of freedom, whole or not:
 * within 1e-9 of qf from 0.4 to 4,000 degrees of freedom (nearer than qf
 * itself in the far lower tail with a numerator below 1). Far beyond, some
 * 1e5, the log-gamma differences lose digits: about 1e-10 of the
 * probability at 3e5. Bisection on log f: slow beside Newton's method but it
 * cannot diverge, and this runs a handful of times per report.
 */
export function fQuantile(p: number, numerator: number, denominator: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`the probability must lie strictly between 0 and 1, not ${p}`);
  if (!(numerator > 0 && denominator > 0 && Number.isFinite(numerator) && Number.isFinite(denominator))) {
    throw new RangeError(`degrees of freedom must be positive and finite, not ${numerator} and ${denominator}`);
  }
  let low = 1;
  let high = 1;
  while (fDistribution(low, numerator, denominator) > p) low /= 2;
  while (fDistribution(high, numerator, denominator) < p) high *= 2;
  // Each step halves log(high / low): stops when the two agree to the last bits of a double.
  while (high / low > 1 + 1e-15) {
    const middle = Math.sqrt(low * high);
    if (middle <= low || middle >= high) break;
    if (fDistribution(middle, numerator, denominator) < p) low = middle;
    else high = middle;
  }
  return Math.sqrt(low * high);
}
