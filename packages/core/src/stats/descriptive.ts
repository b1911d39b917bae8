// Descriptive statistics over sorted samples. Sums are compensated (Neumaier) so means agree with numpy's
// pairwise summation far inside the 1e-9 tolerance even for a million values and small mean differences.

import type { SampleSummary } from './types.ts';

export { sortedCopy } from './sort.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs, floor, min, sqrt } = Math;

export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    const next = sum + value;
    compensation += abs(sum) >= abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return sum + compensation;
}

export function mean(values: ArrayLike<number>): number {
  return compensatedSum(values) / values.length;
}

/** Sample variance around `center` with `ddof` delta degrees of freedom (numpy's two-pass definition). */
export function variance(values: ArrayLike<number>, center: number, ddof = 1): number {
  let sum = 0;
  let compensation = 0;
  for (let index = 0; index < values.length; index++) {
    const deviation = values[index] - center;
    const square = deviation * deviation;
    const next = sum + square;
    compensation += sum >= square ? sum - next + square : square - next + sum;
    sum = next;
  }
  return (sum + compensation) / (values.length - ddof);
}

export function medianOfSorted(sorted: ArrayLike<number>): number {
  const count = sorted.length;
  if (count === 0) throw new RangeError('median of no values');
  const middle = count >> 1;
  return count % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** numpy.percentile(values, q) with the default 'linear' method, on already sorted values; q in [0, 100]. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const count = sorted.length;
  if (count === 0) throw new RangeError('percentile of no values');
  const position = (q / 100) * (count - 1);
  const below = floor(position);
  const above = min(below + 1, count - 1);
  const fraction = position - below;
  const a = sorted[below];
  const b = sorted[above];
  // numpy's _lerp: interpolate from whichever end is nearer, which keeps the result monotone in q.
  const difference = b - a;
  return fraction >= 0.5 ? b - difference * (1 - fraction) : a + difference * fraction;
}

export interface Moments {
  n: number;
  mean: number;
  /** Sample variance, ddof 1. */
  variance: number;
}

export function moments(values: ArrayLike<number>): Moments {
  // A constant sample has exactly its value as mean and exactly 0 variance; summation could miss by an ulp
  // and turn "undefined" t statistics into rounding noise (as numpy's does).
  if (isConstant(values)) return { n: values.length, mean: values.length > 0 ? values[0] : 0, variance: 0 };
  const center = mean(values);
  return { n: values.length, mean: center, variance: values.length > 1 ? variance(values, center) : 0 };
}

function isConstant(values: ArrayLike<number>): boolean {
  for (let index = 1; index < values.length; index++) if (values[index] !== values[0]) return false;
  return true;
}

/** The report's description of a sample (std with ddof 1; 0 when there is a single value). */
export function summarizeSorted(sorted: ArrayLike<number>, sampleMoments: Moments, outliersRemoved: number): SampleSummary {
  const count = sorted.length;
  if (count === 0) return { n: 0, outliers_removed: outliersRemoved, mean: 0, median: 0, std: 0, min: 0, max: 0 };
  return {
    n: count,
    outliers_removed: outliersRemoved,
    mean: sampleMoments.mean,
    median: medianOfSorted(sorted),
    std: sqrt(sampleMoments.variance),
    min: sorted[0],
    max: sorted[count - 1],
  };
}
