// Mann-Whitney U test of current vs baseline with scipy's method='auto' (scipy 1.10): the exact null
// distribution when either sample has at most 8 values and no value repeats, otherwise the normal
// approximation with tie correction and continuity correction ½.

import type { Alternative } from './alternative.ts';
import { normalSf } from './normal.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { max, min, round, sqrt } = Math;

export const EXACT_MAX_SMALLER_SAMPLE = 8;

export interface RankSums {
  /** U of the current sample: R₁ − n₁(n₁+1)/2 with average ranks for ties. */
  u: number;
  currentSize: number;
  baselineSize: number;
  /** Σ (t³ − t) over groups of tied values in the pooled sample. */
  tieTerm: number;
}

/** Ranks the pooled sample by merging the two sorted samples: O(n₁ + n₂), no second sort. */
export function rankSums(currentSorted: ArrayLike<number>, baselineSorted: ArrayLike<number>): RankSums {
  const currentSize = currentSorted.length;
  const baselineSize = baselineSorted.length;
  let i = 0;
  let j = 0;
  let ranked = 0;
  let currentRankSum = 0;
  let tieTerm = 0;
  while (i < currentSize || j < baselineSize) {
    const value = i < currentSize && (j >= baselineSize || currentSorted[i] <= baselineSorted[j]) ? currentSorted[i] : baselineSorted[j];
    const currentStart = i;
    while (i < currentSize && currentSorted[i] === value) i++;
    const baselineStart = j;
    while (j < baselineSize && baselineSorted[j] === value) j++;
    const inCurrent = i - currentStart;
    const group = inCurrent + (j - baselineStart);
    // Ranks ranked+1 … ranked+group share their average; half-integers, so the sum stays exact.
    currentRankSum += inCurrent * (ranked + (group + 1) / 2);
    if (group > 1) tieTerm += group * group * group - group;
    ranked += group;
  }
  return { u: currentRankSum - (currentSize * (currentSize + 1)) / 2, currentSize, baselineSize, tieTerm };
}

export interface MannWhitneyTest {
  statistic: number;
  p_value: number;
  method: 'exact' | 'asymptotic';
}

export function mannWhitneyTest(sums: RankSums, alternative: Alternative): MannWhitneyTest {
  const { currentSize, baselineSize, tieTerm } = sums;
  const product = currentSize * baselineSize;
  const uCurrent = sums.u;
  const uBaseline = product - uCurrent;
  // scipy evaluates every alternative through the upper tail of one U (the distribution is symmetric).
  const [u, factor] =
    alternative === 'greater' ? [uCurrent, 1] : alternative === 'less' ? [uBaseline, 1] : [max(uCurrent, uBaseline), 2];
  const exact = min(currentSize, baselineSize) <= EXACT_MAX_SMALLER_SAMPLE && tieTerm === 0;
  const tail = exact ? exactUpperTail(round(u), currentSize, baselineSize) : asymptoticUpperTail(u, sums);
  return { statistic: uCurrent, p_value: min(1, max(0, factor * tail)), method: exact ? 'exact' : 'asymptotic' };
}

/** Standard deviation of U under the null, tie-corrected. */
export function uStandardDeviation(sums: RankSums): number {
  const { currentSize, baselineSize, tieTerm } = sums;
  const total = currentSize + baselineSize;
  return sqrt(((currentSize * baselineSize) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
}

function asymptoticUpperTail(u: number, sums: RankSums): number {
  const spread = uStandardDeviation(sums);
  // All values tied: U sits at its mean and the continuity-corrected z is −∞ (scipy gives p = 1).
  if (spread === 0) return 1;
  const z = (u - (sums.currentSize * sums.baselineSize) / 2 - 0.5) / spread;
  return normalSf(z);
}

/**
 * P(U ≥ u) under the null without ties. The number of arrangements with U = k is the coefficient of q^k in the
 * Gaussian binomial [m+n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), m the smaller size: m ≤ 8 passes of
 * O(mn) each instead of scipy's O(m·n·k) recursion, so an 8 × 1,000,000 comparison stays fast. Like scipy, the
 * upper tail is read as the lower tail at mn − u by symmetry and summed from the small end.
 */
export function exactUpperTail(u: number, currentSize: number, baselineSize: number): number {
  const small = min(currentSize, baselineSize);
  const large = max(currentSize, baselineSize);
  const product = small * large;
  const k = product - u;
  if (k < 0) return 0;
  if (k >= product) return 1;
  // Only coefficients up to mn/2 are needed: beyond it, the CDF is 1 minus the mirrored lower tail.
  const mirrored = 2 * k > product;
  const limit = mirrored ? product - k - 1 : k;
  const counts = gaussianBinomialCoefficients(small, large, limit);
  let below = 0;
  for (let index = 0; index <= limit; index++) below += counts[index];
  const arrangements = binomialCoefficient(small + large, small);
  return mirrored ? 1 - below / arrangements : below / arrangements;
}

function gaussianBinomialCoefficients(small: number, large: number, limit: number): Float64Array {
  const counts = new Float64Array(limit + 1);
  counts[0] = 1;
  for (let i = 1; i <= small; i++) {
    const shift = large + i;
    for (let index = limit; index >= shift; index--) counts[index] -= counts[index - shift];
    for (let index = i; index <= limit; index++) counts[index] += counts[index - i];
  }
  return counts;
}

function binomialCoefficient(total: number, chosen: number): number {
  let result = 1;
  for (let index = 1; index <= chosen; index++) result = (result * (total - chosen + index)) / index;
  return result;
}
