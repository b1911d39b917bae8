import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { sortedCopy } from './descriptive.ts';
import { hodgesLehmann } from './hodges-lehmann.ts';
import { rankSums, uStandardDeviation } from './mann-whitney.ts';
import { normalUpperQuantile } from './normal.ts';
import { medianPairwiseDifference, PairwiseDifferences } from './pairwise-differences.ts';
import { seededNormal, seededUniform } from './test-support.ts';

/** numpy.subtract.outer(x, y), flattened and sorted. */
function allDifferencesSorted(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const differences = new Float64Array(x.length * y.length);
  let filled = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < y.length; j++) differences[filled++] = x[i] - y[j];
  return differences.sort();
}

/** numpy.median of sorted values. */
function numpyMedian(sorted: Float64Array): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// Finite doubles without −0 (x + 0 turns −0 into +0), or small integers to force many ties.
const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((v) => v + 0),
  fc.integer({ min: -3, max: 3 }),
);
const sample = fc.array(value, { minLength: 1, maxLength: 25 });
// Tiny samples and gather limits push small inputs through the sampling rounds, not just the direct path.
const tunings = [{}, { sampleSize: 8, gatherLimit: 3 }, { sampleSize: 64, gatherLimit: 10 }];

describe('pairwise-difference selection vs brute force', () => {
  test('every rank equals the sorted outer difference (property)', () => {
    fc.assert(
      fc.property(sample, sample, fc.double({ min: 0, max: 1, noNaN: true }), (x, y, where) => {
        const brute = allDifferencesSorted(x, y);
        const rank = 1 + Math.min(brute.length - 1, Math.floor(where * brute.length));
        for (const tuning of tunings) {
          const differences = new PairwiseDifferences(sortedCopy(x), sortedCopy(y), tuning);
          expect(differences.select(rank)).toBe(brute[rank - 1]);
          expect(differences.countAtMost(brute[rank - 1])).toBe(brute.filter((d) => d <= brute[rank - 1]).length);
        }
      }),
      { numRuns: 400, seed: 20261126 },
    );
  });

  test('the median equals numpy.median(numpy.subtract.outer(x, y)) exactly (property)', () => {
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const expected = numpyMedian(allDifferencesSorted(x, y));
        for (const tuning of tunings) {
          expect(medianPairwiseDifference(new PairwiseDifferences(sortedCopy(x), sortedCopy(y), tuning))).toBe(expected);
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  test('heavily tied data (three distinct differences) terminates through the tie resolution', () => {
    const x = new Float64Array(300).map((_, index) => index % 2);
    const y = new Float64Array(200).map((_, index) => index % 2);
    const differences = new PairwiseDifferences(sortedCopy(x), sortedCopy(y), { sampleSize: 16, gatherLimit: 5 });
    const brute = allDifferencesSorted(x, y);
    for (const rank of [1, 15_000, 15_001, 30_000, 45_000, 60_000]) expect(differences.select(rank)).toBe(brute[rank - 1]);
  });

  test('1,200 × 1,500 with the production tuning (sampling rounds) matches brute force at many ranks', () => {
    const normal = seededNormal(11);
    const uniform = seededUniform(12);
    const x = Float64Array.from({ length: 1200 }, () => 100 + 15 * normal());
    const y = Float64Array.from({ length: 1500 }, () => Math.round(100 + 10 * uniform()));
    const brute = allDifferencesSorted(x, y);
    const differences = new PairwiseDifferences(sortedCopy(x), sortedCopy(y));
    for (const rank of [1, 17, 500_000, 900_000, 900_001, 1_799_999, 1_800_000]) {
      expect(differences.select(rank)).toBe(brute[rank - 1]);
    }
    expect(medianPairwiseDifference(differences)).toBe(numpyMedian(brute));
    expect(differences.nextAbove(brute[brute.length - 1])).toBe(Infinity);
  });

  test('rejects ranks outside 1..n·m and empty samples', () => {
    const differences = new PairwiseDifferences(Float64Array.of(1, 2), Float64Array.of(0));
    expect(() => differences.select(0)).toThrow(RangeError);
    expect(() => differences.select(3)).toThrow(RangeError);
    expect(() => differences.select(1.5)).toThrow(RangeError);
    expect(() => new PairwiseDifferences(new Float64Array(0), Float64Array.of(1))).toThrow(RangeError);
  });
});

describe('Hodges–Lehmann estimate and interval', () => {
  test('interval = [D(k), D(nm+1−k)] with k = ⌊nm/2 − z·σ_U⌋, bracketing the estimate (property)', () => {
    fc.assert(
      fc.property(sample, sample, fc.constantFrom(0.8, 0.9, 0.95, 0.99), (x, y, level) => {
        const current = sortedCopy(x);
        const baseline = sortedCopy(y);
        const sums = rankSums(current, baseline);
        const brute = allDifferencesSorted(x, y);
        const count = brute.length;
        const k = Math.min(count, Math.max(1, Math.floor(count / 2 - normalUpperQuantile((1 - level) / 2) * uStandardDeviation(sums))));
        const result = hodgesLehmann(current, baseline, level, sums);
        expect(result.estimate).toBe(numpyMedian(brute));
        expect(result.interval).toEqual([brute[k - 1], brute[count - k]]);
        expect(result.interval[0]).toBeLessThanOrEqual(result.estimate);
        expect(result.interval[1]).toBeGreaterThanOrEqual(result.estimate);
      }),
      { numRuns: 300, seed: 99 },
    );
  });

  test('a wider confidence level never gives a narrower interval', () => {
    const normal = seededNormal(3);
    const current = sortedCopy(Array.from({ length: 60 }, () => 5 + normal()));
    const baseline = sortedCopy(Array.from({ length: 40 }, () => normal()));
    const sums = rankSums(current, baseline);
    const narrow = hodgesLehmann(current, baseline, 0.8, sums).interval;
    const wide = hodgesLehmann(current, baseline, 0.99, sums).interval;
    expect(wide[0]).toBeLessThanOrEqual(narrow[0]);
    expect(wide[1]).toBeGreaterThanOrEqual(narrow[1]);
    expect(narrow[0]).toBeGreaterThan(3);
    expect(narrow[1]).toBeLessThan(7);
  });
});
