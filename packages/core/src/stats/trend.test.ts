import { describe, expect, test } from '@jest/globals';
import { bucketMedians, mannKendall, MAX_TREND_POINTS, senSlope, trendOf } from './trend.ts';
import { expectRelativelyClose, seededNormal } from './test-support.ts';


describe('Mann-Kendall and Sen slope', () => {
  test("tied series: p = scipy.stats.kendalltau(range(n), y, method='asymptotic').pvalue, slope = theilslopes", () => {
    const series = [5, 5, 6, 5, 7, 7, 8, 6, 9, 9, 9, 10];
    const result = mannKendall(series);
    if ('skipped' in result) throw new Error(result.reason);
    expectRelativelyClose(result.p_value, 0.0004541534245630925, 1e-12);
    expect(senSlope(series)).toBe(0.5);
    // S by hand: concordant minus discordant pairs (ties count for neither).
    let s = 0;
    for (let i = 0; i < series.length; i++) for (let j = i + 1; j < series.length; j++) s += Math.sign(series[j] - series[i]);
    expect(result.s).toBe(s);
  });

  test('three points', () => {
    const result = mannKendall([1, 3, 2]);
    if ('skipped' in result) throw new Error(result.reason);
    expectRelativelyClose(result.p_value, 0.6015081344405899, 1e-12);
    expect(senSlope([1, 3, 2])).toBe(0.5);
  });

  test('constant series and series under 3 points are skipped with a reason (scipy: NaN)', () => {
    expect(mannKendall([4, 4, 4])).toEqual({ skipped: true, reason: expect.stringContaining('equal') });
    expect(mannKendall([4])).toEqual({ skipped: true, reason: 'trend needs at least 3 points, got 1' });
    expect(mannKendall([1, 2])).toEqual({ skipped: true, reason: 'trend needs at least 3 points, got 2' });
    expect(trendOf([4, 4, 4], 0.05)).toEqual({ skipped: true, reason: expect.any(String) });
  });
});

describe('trend of long series', () => {
  test('bucket medians cover equal-count runs', () => {
    expect(Array.from(bucketMedians([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3))).toEqual([2, 5, 8.5]);
  });

  test('series longer than 2,000 points are reduced, reported, and the slope stays per original point', () => {
    const normal = seededNormal(4);
    const series = Float64Array.from({ length: 10_000 }, (_, index) => 0.003 * index + normal());
    const result = trendOf(series, 0.05);
    if ('skipped' in result) throw new Error(result.reason);
    expect(result.reduced_to).toBe(MAX_TREND_POINTS);
    expect(result.direction).toBe('increasing');
    expect(result.sen_slope).toBeGreaterThan(0.0027);
    expect(result.sen_slope).toBeLessThan(0.0033);
    const exact = trendOf(Float64Array.from({ length: 10_000 }, (_, index) => -2 * index), 0.05);
    if ('skipped' in exact) throw new Error(exact.reason);
    expect(exact.sen_slope).toBe(-2);
    expect(exact.direction).toBe('decreasing');
  });

  test('short series are not reduced and a flat noisy series shows no trend', () => {
    const normal = seededNormal(8);
    const result = trendOf(Array.from({ length: 300 }, () => normal()), 0.01);
    if ('skipped' in result) throw new Error(result.reason);
    expect(result.reduced_to).toBeUndefined();
    expect(result.direction).toBe('no trend');
  });
});
