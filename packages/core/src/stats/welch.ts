// Welch's unequal-variance t test of current vs baseline, and the Welch interval for the mean difference.
// Same definitions as scipy.stats.ttest_ind(current, baseline, equal_var=False, alternative=…).

import type { Alternative } from './alternative.ts';
import type { Moments } from './descriptive.ts';
import { studentTSf, studentTUpperQuantile } from './student-t.ts';
import type { Skipped } from './types.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs, max, min, sqrt } = Math;

export interface WelchTest {
  statistic: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  p_value: number;
}

interface WelchParts {
  difference: number;
  standardError: number;
  df: number;
}

function welchParts(current: Moments, baseline: Moments): WelchParts | Skipped {
  if (current.n < 2 || baseline.n < 2) {
    return { skipped: true, reason: `Welch's t test needs at least 2 values in each sample (baseline ${baseline.n}, current ${current.n})` };
  }
  const currentShare = current.variance / current.n;
  const baselineShare = baseline.variance / baseline.n;
  const combined = currentShare + baselineShare;
  if (combined === 0) {
    return { skipped: true, reason: "Welch's t test is undefined: both samples are constant (zero variance)" };
  }
  // Welch–Satterthwaite on shares scaled by the larger one: the same value, but squares of tiny (or huge)
  // variances can no longer underflow to 0/0 (or overflow).
  const scale = max(currentShare, baselineShare);
  const currentScaled = currentShare / scale;
  const baselineScaled = baselineShare / scale;
  const df =
    (currentScaled + baselineScaled) ** 2 /
    ((currentScaled * currentScaled) / (current.n - 1) + (baselineScaled * baselineScaled) / (baseline.n - 1));
  return { difference: current.mean - baseline.mean, standardError: sqrt(combined), df };
}

export function welchTTest(current: Moments, baseline: Moments, alternative: Alternative): WelchTest | Skipped {
  const parts = welchParts(current, baseline);
  if ('skipped' in parts) return parts;
  const statistic = parts.difference / parts.standardError;
  let pValue: number;
  if (alternative === 'greater') pValue = studentTSf(statistic, parts.df);
  else if (alternative === 'less') pValue = studentTSf(-statistic, parts.df);
  else pValue = min(1, 2 * studentTSf(abs(statistic), parts.df));
  return { statistic, df: parts.df, p_value: pValue };
}

/** Two-sided Welch confidence interval for mean(current) − mean(baseline) at `level` (e.g. 0.95). */
export function welchMeanDifferenceInterval(current: Moments, baseline: Moments, level: number): [number, number] | Skipped {
  const parts = welchParts(current, baseline);
  if ('skipped' in parts) return parts;
  const critical = studentTUpperQuantile((1 - level) / 2, parts.df);
  const halfWidth = critical * parts.standardError;
  return [parts.difference - halfWidth, parts.difference + halfWidth];
}
