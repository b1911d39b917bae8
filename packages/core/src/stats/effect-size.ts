// Standardized effect sizes: Cohen's d with the pooled (ddof 1) standard deviation, and Hedges' g with the
// exact small-sample correction J(ν) = Γ(ν/2) / (√(ν/2) Γ((ν−1)/2)), ν = n₁ + n₂ − 2.

import type { Moments } from './descriptive.ts';
import { logGamma, logGammaIncrement } from './gamma.ts';
import type { EffectSize, Magnitude, Skipped } from './types.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs, exp, sqrt } = Math;

/** Cohen's (1988) conventional bounds on |d|: below 0.2 negligible, then small, medium, and large from 0.8. */
export const MAGNITUDE_BOUNDS = { small: 0.2, medium: 0.5, large: 0.8 } as const;

export function magnitudeOf(effect: number): Magnitude {
  const size = abs(effect);
  if (size >= MAGNITUDE_BOUNDS.large) return 'large';
  if (size >= MAGNITUDE_BOUNDS.medium) return 'medium';
  if (size >= MAGNITUDE_BOUNDS.small) return 'small';
  return 'negligible';
}

/** Hedges' correction factor J(ν) for ν > 1 degrees of freedom. */
export function hedgesCorrection(df: number): number {
  const halfBelow = (df - 1) / 2;
  // ln Γ(ν/2) − ln Γ((ν−1)/2), cancellation-free for large ν.
  const logRatio = halfBelow >= 10 ? logGammaIncrement(0.5, halfBelow) : logGamma(df / 2) - logGamma(halfBelow);
  return exp(logRatio) / sqrt(df / 2);
}

export function effectSize(current: Moments, baseline: Moments): EffectSize | Skipped {
  const df = current.n + baseline.n - 2;
  if (current.n < 2 || baseline.n < 2) {
    return { skipped: true, reason: `effect size needs at least 2 values in each sample (baseline ${baseline.n}, current ${current.n})` };
  }
  const pooledVariance = ((current.n - 1) * current.variance + (baseline.n - 1) * baseline.variance) / df;
  if (pooledVariance === 0) return { skipped: true, reason: "Cohen's d is undefined: both samples are constant (pooled SD 0)" };
  const cohensD = (current.mean - baseline.mean) / sqrt(pooledVariance);
  return { cohens_d: cohensD, hedges_g: cohensD * hedgesCorrection(df), magnitude: magnitudeOf(cohensD) };
}
