// Outlier filters, applied to each sample separately. Both keep a contiguous run of the sorted sample, so
// filtering is a subarray view plus one predicate for the order-preserving copy the trend needs.

import { medianOfSorted, percentileOfSorted } from './descriptive.ts';
import { medianInPlace } from './select.ts';
import type { OutlierMethod } from './types.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs } = Math;

/** Tukey's fence multiplier. */
export const IQR_FENCE = 1.5;
/** Iglewicz & Hoaglin: modified z = 0.6745 (x − median) / MAD, flagged above 3.5. */
export const MAD_CONSISTENCY = 0.6745;
export const MAD_THRESHOLD = 3.5;

export interface OutlierFilter {
  keeps: (value: number) => boolean;
  /** Kept values of the sorted sample (a view, not a copy). */
  keptSorted: Float64Array;
  removed: number;
}

export function outlierFilter(sorted: Float64Array, method: OutlierMethod): OutlierFilter {
  const keeps = keepPredicate(sorted, method);
  let first = 0;
  let end = sorted.length;
  while (first < end && !keeps(sorted[first])) first++;
  while (end > first && !keeps(sorted[end - 1])) end--;
  return { keeps, keptSorted: sorted.subarray(first, end), removed: sorted.length - (end - first) };
}

/** The kept values in their original order. */
export function keptInOrder(values: ArrayLike<number>, filter: OutlierFilter): ArrayLike<number> {
  if (filter.removed === 0) return values;
  const kept = new Float64Array(values.length - filter.removed);
  let filled = 0;
  for (let index = 0; index < values.length; index++) if (filter.keeps(values[index])) kept[filled++] = values[index];
  return kept;
}

function keepPredicate(sorted: Float64Array, method: OutlierMethod): (value: number) => boolean {
  if (method === 'none' || sorted.length === 0) return () => true;
  if (method === 'iqr') {
    // numpy.percentile's default linear interpolation, as `scipy.stats.iqr` and most references use.
    const firstQuartile = percentileOfSorted(sorted, 25);
    const thirdQuartile = percentileOfSorted(sorted, 75);
    const spread = thirdQuartile - firstQuartile;
    const lowerFence = firstQuartile - IQR_FENCE * spread;
    const upperFence = thirdQuartile + IQR_FENCE * spread;
    return (value) => value >= lowerFence && value <= upperFence;
  }
  const center = medianOfSorted(sorted);
  const deviations = new Float64Array(sorted.length);
  for (let index = 0; index < sorted.length; index++) deviations[index] = abs(sorted[index] - center);
  const mad = medianInPlace(deviations);
  // With MAD 0 (over half the values equal) the modified z-score is undefined: nothing is flagged.
  if (mad === 0) return () => true;
  return (value) => abs((MAD_CONSISTENCY * (value - center)) / mad) <= MAD_THRESHOLD;
}
