import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { compensatedSum, mean, medianOfSorted, moments, percentileOfSorted, sortedCopy, summarizeSorted, variance } from './descriptive.ts';
import { keptInOrder, outlierFilter } from './outliers.ts';
import { medianInPlace, selectInPlace } from './select.ts';


// numpy 1.24: np.percentile(x, q) (linear), and the Tukey / modified-z filters written out in numpy.
const messy = [3.1, 2.2, 50.0, 2.9, 3.3, -20.0, 3.0, 2.8, 3.6, 2.4, 3.05, 9.5];

describe('sorting and selection', () => {
  test('radix sort (large arrays) orders exactly like Float64Array#sort, including −0, subnormals and extremes', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 4096, maxLength: 6000 }), (values) => {
        const expected = Float64Array.from(values).sort();
        const actual = sortedCopy(values);
        expect(actual.length).toBe(expected.length);
        for (let index = 0; index < expected.length; index++) if (!Object.is(actual[index], expected[index])) expect([index, actual[index]]).toEqual([index, expected[index]]);
      }),
      { numRuns: 15, seed: 5 },
    );
    const edge = Float64Array.from({ length: 5000 }, (_, index) => [-0, 0, 5e-324, -5e-324, 1e308, -1e308, Infinity, -Infinity][index % 8] * (1 + (index % 3)));
    expect(Array.from(sortedCopy(edge))).toEqual(Array.from(Float64Array.from(edge).sort()));
  });

  test('selectInPlace finds every order statistic; medianInPlace is numpy.median', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 2000 }), (values) => {
        const sorted = Float64Array.from(values).sort();
        for (const k of [0, sorted.length >> 1, sorted.length - 1]) expect(selectInPlace(Float64Array.from(values), k)).toBe(sorted[k]);
        expect(medianInPlace(Float64Array.from(values))).toBe(medianOfSorted(sorted));
      }),
      { numRuns: 200, seed: 3 },
    );
    expect(() => medianInPlace(new Float64Array(0))).toThrow(RangeError);
  });
});

describe('moments and percentiles', () => {
  test('numpy.percentile linear interpolation, bit for bit', () => {
    const sorted = sortedCopy(messy);
    expect([0, 10, 25, 50, 75, 90, 100, 33.3].map((q) => percentileOfSorted(sorted, q))).toEqual([
      -20.0, 2.22, 2.6999999999999997, 3.025, 3.375, 8.910000000000002, 50.0, 2.8663,
    ]);
  });

  test('compensated sums stay exact where naive summation drifts', () => {
    const values = [1e16, 1, -1e16, 1, 1e-3];
    expect(compensatedSum(values)).toBe(2.001);
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(variance([1, 2, 3, 4], 2.5)).toBeCloseTo(1.6666666666666667, 15);
  });

  test('summaries: std with ddof 1, single values have std 0, empty samples give zeros (never NaN)', () => {
    const sorted = sortedCopy([4, 1, 3, 2]);
    expect(summarizeSorted(sorted, moments(sorted), 2)).toEqual({ n: 4, outliers_removed: 2, mean: 2.5, median: 2.5, std: Math.sqrt(5 / 3), min: 1, max: 4 });
    const single = Float64Array.of(7);
    expect(summarizeSorted(single, moments(single), 0)).toEqual({ n: 1, outliers_removed: 0, mean: 7, median: 7, std: 0, min: 7, max: 7 });
    const empty = new Float64Array(0);
    expect(summarizeSorted(empty, { n: 0, mean: 0, variance: 0 }, 0)).toEqual({ n: 0, outliers_removed: 0, mean: 0, median: 0, std: 0, min: 0, max: 0 });
  });
});

describe('outlier filters', () => {
  test('iqr: Tukey fences at 1.5 IQR from numpy quartiles remove exactly the numpy-flagged values', () => {
    const filter = outlierFilter(sortedCopy(messy), 'iqr');
    expect(filter.removed).toBe(3);
    expect(Array.from(filter.keptSorted)).toEqual([2.2, 2.4, 2.8, 2.9, 3.0, 3.05, 3.1, 3.3, 3.6]);
    expect(Array.from(keptInOrder(messy, filter))).toEqual([3.1, 2.2, 2.9, 3.3, 3.0, 2.8, 3.6, 2.4, 3.05]);
  });

  test('mad: modified z-score 0.6745 (x − median) / MAD above 3.5 is removed', () => {
    const filter = outlierFilter(sortedCopy(messy), 'mad');
    expect(filter.removed).toBe(3);
    expect(Array.from(keptInOrder(messy, filter))).toEqual([3.1, 2.2, 2.9, 3.3, 3.0, 2.8, 3.6, 2.4, 3.05]);
    // Just inside / outside the threshold: median 0, MAD 1 → |0.6745·x| ≤ 3.5 ⇔ |x| ≤ 5.189.
    const edge = outlierFilter(sortedCopy([-1, -1, 0, 0, 0, 1, 1, 5.18, -5.2]), 'mad');
    expect(Array.from(edge.keptSorted)).toEqual([-1, -1, 0, 0, 0, 1, 1, 5.18]);
  });

  test('mad with MAD 0 (most values equal) flags nothing; none keeps everything', () => {
    expect(outlierFilter(sortedCopy([1, 1, 1, 1, 9]), 'mad').removed).toBe(0);
    const none = outlierFilter(sortedCopy(messy), 'none');
    expect(none.removed).toBe(0);
    expect(keptInOrder(messy, none)).toBe(messy);
  });

  test('filters never empty a sample and keep the kept set contiguous in sorted order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.constantFrom('iqr', 'mad') , (values, method) => {
        const sorted = sortedCopy(values);
        const filter = outlierFilter(sorted, method);
        expect(filter.keptSorted.length).toBeGreaterThan(0);
        expect(filter.keptSorted.length + filter.removed).toBe(values.length);
        expect(keptInOrder(values, filter).length).toBe(filter.keptSorted.length);
        for (const value of values) {
          const inside = value >= filter.keptSorted[0] && value <= filter.keptSorted[filter.keptSorted.length - 1];
          expect(filter.keeps(value)).toBe(inside);
        }
      }),
      { numRuns: 300, seed: 17 },
    );
  });
});
