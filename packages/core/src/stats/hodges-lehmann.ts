// Hodges–Lehmann shift estimate (median of all current_i − baseline_j) and its distribution-free interval.

import type { RankSums } from './mann-whitney.ts';
import { uStandardDeviation } from './mann-whitney.ts';
import { normalUpperQuantile } from './normal.ts';
import { PairwiseDifferences } from './pairwise-differences.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { floor, max, min } = Math;

export interface HodgesLehmann {
  estimate: number;
  interval: [number, number];
}

/**
 * The interval is [D_(k), D_(nm+1−k)] over the sorted pairwise differences D, with
 * k = ⌊nm/2 − z_{(1+level)/2} · σ_U⌋ (at least 1) and σ_U the tie-corrected Mann-Whitney standard deviation:
 * the normal-approximation inversion of the Mann-Whitney test (Hollander & Wolfe, §4.3), without continuity
 * correction.
 */
export function hodgesLehmann(currentSorted: Float64Array, baselineSorted: Float64Array, level: number, sums: RankSums): HodgesLehmann {
  const differences = new PairwiseDifferences(currentSorted, baselineSorted);
  const count = differences.count;
  const critical = normalUpperQuantile((1 - level) / 2);
  const lowerRank = min(max(1, floor(count / 2 - critical * uStandardDeviation(sums))), count);
  const upperRank = count + 1 - lowerRank;
  // numpy.median: the middle difference, or the mean of the two middle ones for an even count.
  const middleRank = count % 2 === 1 ? (count + 1) / 2 : count / 2;
  const [middle, lower, upper] = differences.selectMany([middleRank, lowerRank, upperRank]);
  const estimate = count % 2 === 1 ? middle : (middle + differences.nextAfter(middle, middleRank)) / 2;
  return { estimate, interval: [lower, upper] };
}
