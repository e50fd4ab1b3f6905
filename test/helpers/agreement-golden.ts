// The statistics of shared/agreement.ts and shared/f-distribution.ts as
// independent implementations compute them: R (psych, stats) and Python
// (scikit-learn, statsmodels), all cases in one run of
// scripts/agreement-golden.py, whose header says which figure comes from where.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LesionCounts } from '../../shared/agreement';
import { tempFolder } from './fixtures';
import { projectRoot } from './paths';
import { requirePythonModule, requireRPackage } from './tools';

export interface GoldenCases {
  icc?: (readonly (readonly [number, number])[])[];
  kappa?: (readonly (readonly [boolean, boolean])[])[];
  f1?: LesionCounts[];
  proportion?: { successes: number; total: number }[];
  fQuantile?: { p: number; numerator: number; denominator: number }[];
  fDistribution?: { f: number; numerator: number; denominator: number }[];
}

/** A reference's answer; null where it gives NaN, NA, an infinity or an error. */
export interface GoldenEstimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface Golden {
  icc: GoldenEstimate[];
  /** `value` is scikit-learn's, the interval and `psychValue` psych's. */
  kappa: (GoldenEstimate & { psychValue: number | null })[];
  f1: GoldenEstimate[];
  proportion: GoldenEstimate[];
  fQuantile: { value: number | null }[];
  fDistribution: { value: number | null }[];
}

export function agreementGolden(cases: GoldenCases): Golden {
  requireRPackage('psych', 'r-cran-psych');
  requirePythonModule('sklearn', 'python3-sklearn');
  const python = requirePythonModule('statsmodels', 'python3-statsmodels');
  const file = join(tempFolder('agreement-golden-'), 'cases.json');
  writeFileSync(file, JSON.stringify(cases));
  return JSON.parse(execFileSync(python, [join(projectRoot, 'scripts', 'agreement-golden.py'), file], { encoding: 'utf8' })) as Golden;
}
