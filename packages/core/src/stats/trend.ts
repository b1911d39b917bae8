// Trend of the current sample in the order given: the Mann-Kendall test (S, tie-corrected variance, no
// continuity correction; the two-sided p of scipy.stats.kendalltau(range(n), y, method='asymptotic')) and
// Sen's slope (scipy.stats.theilslopes(y, range(n))[0]). Both are O(n²), so longer series are first reduced
// to MAX_TREND_POINTS equal-count bucket medians.

import { medianInPlace } from './select.ts';
import { normalSf } from './normal.ts';
import type { Skipped, TrendResult } from './types.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs, ceil, floor, min, sqrt } = Math;

export const MAX_TREND_POINTS = 2000;
export const MIN_TREND_POINTS = 3;

/** Medians of `buckets` consecutive runs of (almost) equal length, bucket b covering [⌊bn/B⌋, ⌊(b+1)n/B⌋). */
export function bucketMedians(series: ArrayLike<number>, buckets: number): Float64Array {
  const count = series.length;
  const medians = new Float64Array(buckets);
  const scratch = new Float64Array(ceil(count / buckets) + 1);
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = floor((bucket * count) / buckets);
    const end = floor(((bucket + 1) * count) / buckets);
    for (let index = start; index < end; index++) scratch[index - start] = series[index];
    medians[bucket] = medianInPlace(scratch.subarray(0, end - start));
  }
  return medians;
}

export interface MannKendall {
  s: number;
  variance: number;
  p_value: number;
}

export function mannKendall(series: ArrayLike<number>): MannKendall | Skipped {
  const count = series.length;
  // scipy's kendalltau is NaN for two points (an x-ties term becomes 0/0), and two points say nothing about
  // a trend anyway.
  if (count < MIN_TREND_POINTS) return { skipped: true, reason: `trend needs at least ${MIN_TREND_POINTS} points, got ${count}` };
  let s = 0;
  for (let i = 0; i < count - 1; i++) {
    const value = series[i];
    for (let j = i + 1; j < count; j++) {
      const later = series[j];
      // Branch-free sign: concordant pairs add 1, discordant subtract 1, ties nothing.
      s += +(later > value) - +(later < value);
    }
  }
  const sorted = Float64Array.from(series).sort();
  let tiedPairs = 0;
  let tieAdjustment = 0;
  for (let start = 0; start < count; ) {
    let end = start + 1;
    while (end < count && sorted[end] === sorted[start]) end++;
    const group = end - start;
    tiedPairs += (group * (group - 1)) / 2;
    tieAdjustment += group * (group - 1) * (2 * group + 5);
    start = end;
  }
  if (tiedPairs === (count * (count - 1)) / 2) return { skipped: true, reason: 'trend is undefined: every point of the series is equal' };
  // kendalltau's variance with no ties in x = range(n): its x-tie terms vanish.
  const variance = (count * (count - 1) * (2 * count + 5) - tieAdjustment) / 18;
  const z = s / sqrt(variance);
  return { s, variance, p_value: min(1, 2 * normalSf(abs(z))) };
}

/** Median of the slopes (y_j − y_i) / (j − i) over all i < j. */
export function senSlope(series: ArrayLike<number>): number {
  const count = series.length;
  if (count < 2) throw new RangeError(`Sen's slope needs at least 2 points, got ${count}`);
  const slopes = new Float64Array((count * (count - 1)) / 2);
  let filled = 0;
  for (let j = 1; j < count; j++) {
    const later = series[j];
    for (let i = 0; i < j; i++) slopes[filled++] = (later - series[i]) / (j - i);
  }
  return medianInPlace(slopes);
}

export function trendOf(series: ArrayLike<number>, significanceLevel: number): TrendResult | Skipped {
  const reduced = series.length > MAX_TREND_POINTS;
  const points = reduced ? bucketMedians(series, MAX_TREND_POINTS) : series;
  const test = mannKendall(points);
  if ('skipped' in test) return test;
  const significant = test.p_value <= significanceLevel;
  const direction = !significant || test.s === 0 ? 'no trend' : test.s > 0 ? 'increasing' : 'decreasing';
  // On bucket medians one step is n/B original points: rescale so the slope is always per original point.
  const slope = reduced ? (senSlope(points) * MAX_TREND_POINTS) / series.length : senSlope(points);
  const result: TrendResult = { mann_kendall_s: test.s, p_value: test.p_value, sen_slope: slope, direction };
  if (reduced) result.reduced_to = MAX_TREND_POINTS;
  return result;
}
