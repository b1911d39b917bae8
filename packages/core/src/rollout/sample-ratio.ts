// Sample-ratio mismatch: when the canary's observed share of requests is far from the weight we asked the
// router for, the comparison between tracks is biased (sticky sessions, a broken router, a crashing pod
// shedding load), so the analysis must not be trusted. Pearson's chi-square with one degree of freedom.
import type { SampleRatioResult } from './types.ts';

/** p below this is a mismatch: strict, because a false alarm only holds the rollout for one more tick. */
export const SAMPLE_RATIO_ALPHA = 0.001;

/**
 * Complementary error function, W. J. Cody's rational approximations as given in Numerical Recipes
 * (`erfcc`, fractional error below 1.2e-7 everywhere), enough for a p-value compared with 0.001.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Upper tail of the chi-square distribution with one degree of freedom. */
export const chiSquare1Survival = (statistic: number): number => (statistic <= 0 ? 1 : erfc(Math.sqrt(statistic / 2)));

/**
 * Compares observed request counts per track with the intended canary share (0..1). Returns null when the
 * test is undefined: no requests, or an intended share of exactly 0 or 1 (one track has no expected traffic).
 */
export function sampleRatioCheck(
  canaryCount: number,
  stableCount: number,
  intendedShare: number,
  alpha = SAMPLE_RATIO_ALPHA,
): SampleRatioResult | null {
  const total = canaryCount + stableCount;
  if (!(total > 0) || !(intendedShare > 0 && intendedShare < 1)) return null;
  const expectedCanary = total * intendedShare;
  const expectedStable = total - expectedCanary;
  const chiSquare = (canaryCount - expectedCanary) ** 2 / expectedCanary + (stableCount - expectedStable) ** 2 / expectedStable;
  const pValue = chiSquare1Survival(chiSquare);
  return {
    canaryCount,
    stableCount,
    intendedWeight: intendedShare * 100,
    observedShare: canaryCount / total,
    chiSquare,
    pValue,
    mismatch: pValue < alpha,
  };
}
