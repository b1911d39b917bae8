import { describe, expect, test } from '@jest/globals';
import { sortedCopy } from './descriptive.ts';
import { exactUpperTail, mannWhitneyTest, rankSums, uStandardDeviation } from './mann-whitney.ts';
import { expectRelativelyClose } from './test-support.ts';

function ranked(current: number[], baseline: number[]) {
  return rankSums(sortedCopy(current), sortedCopy(baseline));
}

describe('rank sums', () => {
  test('U of the current sample with average ranks for ties, and the tie term', () => {
    // Pooled: 1 2 2 2 3 3 3 4 5 6 7 → the 2s share rank 3, the 3s rank 6.
    const sums = ranked([1, 2, 2, 3, 5], [2, 3, 3, 4, 6, 7]);
    // Current ranks 1 + 3 + 3 + 6 + 9 = 22; U = 22 − 15 = 7.
    expect(sums.u).toBe(7);
    expect(sums.tieTerm).toBe(2 * (27 - 3));
    expect(ranked([5, 6], [1, 2, 3]).u).toBe(6);
    expect(ranked([1, 2], [5, 6, 7]).u).toBe(0);
  });
});

describe('exact null distribution (counts of the Gaussian binomial, checked against exact integer sums)', () => {
  test.each([
    [8, 300, 1200, 0.5007872088792171],
    [8, 300, 1500, 0.1165260647478726],
    [8, 300, 1800, 0.006925935577891151],
    [8, 300, 2100, 3.537570432730938e-5],
    [8, 300, 2300, 1.2610318640732225e-8],
    [8, 300, 2390, 7.420948596766613e-14],
    [8, 300, 2400, 5.456579850563686e-16],
    // Counts beyond 2^53 (C(3008, 8) ≈ 1.6e23): double arithmetic must keep the tails' relative precision.
    [8, 3000, 12000, 0.5000797745952388],
    [8, 3000, 15000, 0.11301749104306641],
    [8, 3000, 18000, 0.006226404403646303],
    [8, 3000, 21000, 2.5740054462165796e-5],
    [8, 3000, 23000, 4.323055469331788e-9],
    [8, 3000, 23990, 8.258150156949039e-22],
    [3, 5, 0, 1],
    [3, 5, 7, 0.6071428571428571],
    [3, 5, 8, 0.5],
    [3, 5, 15, 0.017857142857142856],
    [8, 8, 32, 0.5204351204351204],
    [8, 8, 50, 0.03247863247863248],
    [8, 8, 64, 7.77000777000777e-5],
    [1, 20, 19, 0.09523809523809523],
    [1, 20, 20, 0.047619047619047616],
  ])('P(U ≥ u | m=%p, n=%p, u=%p) = %p', (m, n, u, expected) => {
    expectRelativelyClose(exactUpperTail(u, m, n), expected, 1e-12);
    expectRelativelyClose(exactUpperTail(u, n, m), expected, 1e-12);
  });

  test('an 8 × 1,000,000 comparison stays exact and finite', () => {
    const tail = exactUpperTail(7_000_000, 8, 1_000_000);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1e-3);
    expect(exactUpperTail(0, 8, 1_000_000)).toBe(1);
  });
});

describe("mannWhitneyTest = scipy.stats.mannwhitneyu(current, baseline, method='auto')", () => {
  const current = [1.1, 2.5, 3.3, 7.2, 9.9];
  const baseline = [0.5, 4.4, 6.1, 8.8, 10.2, 11.5, 12.0];
  test.each([
    ['two-sided', 0.26767676767676774],
    ['greater', 0.8989898989898989],
    ['less', 0.13383838383838387],
  ] as const)('exact, no ties, %s', (alternative, expected) => {
    const result = mannWhitneyTest(ranked(current, baseline), alternative);
    expect(result.statistic).toBe(10);
    expect(result.method).toBe('exact');
    expectRelativelyClose(result.p_value, expected, 1e-12);
  });

  test.each([
    ['two-sided', 0.16304505585423734],
    ['greater', 0.9430484277057347],
    ['less', 0.08152252792711867],
  ] as const)('ties force the normal approximation with tie and continuity correction, %s', (alternative, expected) => {
    const result = mannWhitneyTest(ranked([1, 2, 2, 3, 5], [2, 3, 3, 4, 6, 7]), alternative);
    expect(result.method).toBe('asymptotic');
    expect(result.statistic).toBe(7);
    expectRelativelyClose(result.p_value, expected, 1e-12);
  });

  test('both samples larger than 8 use the normal approximation even without ties', () => {
    const many = Array.from({ length: 9 }, (_, index) => index);
    expect(mannWhitneyTest(ranked(many, many.map((value) => value + 0.5)), 'two-sided').method).toBe('asymptotic');
    expect(mannWhitneyTest(ranked(many.slice(0, 8), many.map((value) => value + 0.5)), 'two-sided').method).toBe('exact');
  });

  test('all values tied: p = 1 (as scipy), never NaN', () => {
    const sums = ranked([5, 5, 5], [5, 5]);
    expect(uStandardDeviation(sums)).toBe(0);
    expect(mannWhitneyTest(sums, 'two-sided')).toEqual({ statistic: 3, p_value: 1, method: 'asymptotic' });
    expect(mannWhitneyTest(sums, 'greater').p_value).toBe(1);
  });
});
