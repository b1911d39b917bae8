import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { analyzeMetric, DEFAULT_ANALYSIS_OPTIONS, DEFAULT_SEVERITY_THRESHOLDS, gradeSeverity, relativeChangeOf } from './analyze.ts';
import { holmCorrection } from './metrics-correction.ts';
import { allNumbers, seededNormal } from './test-support.ts';
import type { AnalysisOptions, MetricAnalysis, MannWhitneyResult, TTestResult } from './types.ts';

function normalSample(seed: number, count: number, center: number, spread: number): number[] {
  const normal = seededNormal(seed);
  return Array.from({ length: count }, () => center + spread * normal());
}

function expectNoNonFinite(analysis: MetricAnalysis): void {
  for (const [path, value] of allNumbers(analysis)) expect([path, Number.isFinite(value)]).toEqual([path, true]);
}

const baseline = normalSample(1, 200, 100, 10);

describe('analyzeMetric decisions', () => {
  test('a clear latency increase is a regression with both tests significant, graded by effect and change', () => {
    const current = normalSample(2, 200, 112, 10);
    const analysis = analyzeMetric('latency_ms', baseline, current);
    expect(analysis.regression).toBe(true);
    expect(analysis.inconclusive).toBe(false);
    expect((analysis.tests.t_test as TTestResult).significant).toBe(true);
    expect((analysis.tests.mann_whitney as MannWhitneyResult).significant).toBe(true);
    expect(analysis.severity).toBe('critical'); // |g| ≈ 1.2 ≥ 0.8
    expect(analysis.reason).toMatch(/^regression \(critical\): t_test p=.* mann_whitney p=.*median \+\d+(\.\d+)? % ≥ min-relative-change 2 %$/);
    expect(analysis.decision_p_value).toBe(Math.max((analysis.tests.t_test as TTestResult).p_value, (analysis.tests.mann_whitney as MannWhitneyResult).p_value));
    expect(analysis.practically_significant).toBe(true);
    expectNoNonFinite(analysis);
  });

  test('direction: the same shift is no regression when higher is better, and counts either way when two-sided', () => {
    const current = normalSample(2, 200, 112, 10);
    const higher = analyzeMetric('engagement', baseline, current, { direction: 'higher-is-better' });
    expect(higher.regression).toBe(false);
    expect(higher.reason).toMatch(/^no regression: .*not all ≤ alpha 0.05/);
    expect((higher.tests.t_test as TTestResult).p_value).toBeGreaterThan(0.99);
    const lower = analyzeMetric('engagement', current, baseline, { direction: 'higher-is-better' });
    expect(lower.regression).toBe(true);
    expect(analyzeMetric('score', current, baseline, { direction: 'two-sided' }).regression).toBe(true);
    expect(analyzeMetric('score', baseline, current, { direction: 'two-sided' }).regression).toBe(true);
  });

  test('practical significance: a significant but tiny shift on a huge sample is not a regression', () => {
    const big = normalSample(3, 5_000, 100, 1);
    const shifted = normalSample(4, 5_000, 100.5, 1); // +0.5 %: p ≈ 0, below the 2 % minimum change
    const analysis = analyzeMetric('latency_ms', big, shifted);
    expect((analysis.tests.t_test as TTestResult).significant).toBe(true);
    expect(analysis.practically_significant).toBe(false);
    expect(analysis.regression).toBe(false);
    expect(analysis.reason).toMatch(/below min-relative-change 2 %/);
    expect(analyzeMetric('latency_ms', big, shifted, { min_relative_change: 0.001 }).regression).toBe(true);
    // The location option picks which relative change is gated.
    expect(analyzeMetric('latency_ms', big, shifted, { min_relative_change: 0.001, location: 'mean' }).regression).toBe(true);
  });

  test('every selected test must be significant: one non-significant test blocks the regression', () => {
    // Most values unchanged, a few enormous: the mean moves, the ranks hardly do.
    const current = [...baseline.slice(0, 190), ...Array.from({ length: 10 }, () => 400)];
    const both = analyzeMetric('latency_ms', baseline, current, { outliers: 'none', location: 'mean' });
    const tOnly = analyzeMetric('latency_ms', baseline, current, { outliers: 'none', location: 'mean', tests: ['t_test'] });
    expect((both.tests.mann_whitney as MannWhitneyResult).significant).toBe(false);
    expect(tOnly.regression).toBe(true);
    expect(both.regression).toBe(false);
    expect(tOnly.tests.mann_whitney).toBeUndefined();
  });

  test('outliers are filtered per sample and counted; the trend sees the kept values in order', () => {
    const spiky = [...baseline];
    spiky[5] = 10_000;
    spiky[50] = -10_000;
    const analysis = analyzeMetric('latency_ms', spiky, baseline);
    expect(analysis.baseline.outliers_removed).toBe(2);
    expect(analysis.current.outliers_removed).toBe(0);
    expect(analysis.baseline.n).toBe(198);
    expect(analysis.baseline.max).toBeLessThan(10_000);
    expect(analyzeMetric('latency_ms', spiky, baseline, { outliers: 'none' }).baseline.outliers_removed).toBe(0);
    expect(analyzeMetric('latency_ms', spiky, baseline, { outliers: 'mad' }).baseline.outliers_removed).toBeGreaterThanOrEqual(2);
  });

  test('both samples constant: the t test is skipped with its reason and the result is inconclusive, without NaN', () => {
    const analysis = analyzeMetric('cost', [5, 5, 5, 5], [5, 5, 5]);
    expect(analysis.tests.t_test).toEqual({ skipped: true, reason: expect.stringContaining('zero variance') });
    expect(analysis.effect_size).toEqual({ skipped: true, reason: expect.any(String) });
    expect(analysis.confidence_interval.mean_difference).toEqual({ skipped: true, reason: expect.any(String) });
    expect(analysis.trend).toEqual({ skipped: true, reason: expect.any(String) });
    expect(analysis.inconclusive).toBe(true);
    expect(analysis.regression).toBe(false);
    expect(analysis.severity).toBe('none');
    expect(analysis.decision_p_value).toBeNull();
    expect(analysis.reason).toMatch(/^t_test skipped: /);
    expectNoNonFinite(analysis);
    // With the Mann-Whitney test alone, constant-but-different samples are decidable (and tiny samples are exact).
    const shifted = analyzeMetric('cost', [5, 5, 5, 5], [9, 9, 9, 9], { tests: ['mann_whitney'] });
    expect(shifted.inconclusive).toBe(false);
    expect(shifted.relative_change.median).toBeCloseTo(0.8, 15);
  });

  test('a single value (before or after filtering) is insufficient data: inconclusive with the reason', () => {
    const analysis = analyzeMetric('cost', [1, 2, 3], [7]);
    expect(analysis.inconclusive).toBe(true);
    expect(analysis.reason).toBe('insufficient data: current has 1 value(s) after outlier removal; at least 2 are needed');
    expect(analysis.tests).toEqual({
      t_test: { skipped: true, reason: analysis.reason },
      mann_whitney: { skipped: true, reason: analysis.reason },
    });
    expectNoNonFinite(analysis);
  });

  test('baseline location 0: relative change is null, and any worse move passes the practical gate', () => {
    const errors = analyzeMetric('error_rate', [0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 1, 1, 1, 1, 2, 1, 1, 0, 1], {
      outliers: 'none',
      tests: ['mann_whitney'],
    });
    expect(errors.relative_change.median).toBeNull();
    expect(errors.practically_significant).toBe(true);
    expect(errors.regression).toBe(true);
    expect(errors.reason).toMatch(/baseline of 0/);
    expect(relativeChangeOf(5, 0)).toBeNull();
    expect(relativeChangeOf(-3, -2)).toBe(-0.5);
    expectNoNonFinite(errors);
  });

  test('the per-check alpha follows the spending plan', () => {
    const current = normalSample(5, 200, 103, 10);
    const first = analyzeMetric('latency_ms', baseline, current, { check_index: 1, checks_planned: 4, alpha_spending: 'obrien-fleming' });
    expect(first.alpha).toBe(0.05);
    expect(first.alpha_per_check).toBeCloseTo(8.857543832140365e-5, 15);
    expect(analyzeMetric('latency_ms', baseline, current, { checks_planned: 5 }).alpha_per_check).toBe(0.01);
  });

  test('large samples (2 × 200,000: selection rounds, reduced trend) give finite figures and report the reduction', () => {
    const large = normalSample(6, 200_000, 100, 15);
    const analysis = analyzeMetric('latency_ms', normalSample(7, 200_000, 100, 15), large);
    expect(analysis.trend).toMatchObject({ reduced_to: 2000 });
    expect(analysis.confidence_interval.hodges_lehmann.interval[0]).toBeLessThan(analysis.confidence_interval.hodges_lehmann.estimate);
    expect(analysis.regression).toBe(false);
    expectNoNonFinite(analysis);
  });
});

describe('any valid input', () => {
  test('gives a decision with a reason and no NaN or Infinity anywhere (property)', () => {
    const values = fc.array(
      fc.oneof(
        fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }),
        fc.double({ min: -1e150, max: 1e150, noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: -2, max: 2 }),
      ),
      { minLength: 1, maxLength: 40 },
    );
    const options = fc.record({
      direction: fc.constantFrom('lower-is-better', 'higher-is-better', 'two-sided'),
      tests: fc.constantFrom(['t_test'], ['mann_whitney'], ['t_test', 'mann_whitney']),
      outliers: fc.constantFrom('iqr', 'mad', 'none'),
      location: fc.constantFrom('median', 'mean'),
      alpha_spending: fc.constantFrom('bonferroni', 'obrien-fleming', 'none'),
      checks_planned: fc.constant(3),
      check_index: fc.integer({ min: 1, max: 3 }),
      confidence_level: fc.constantFrom(0.8, 0.95, 0.999),
      min_relative_change: fc.constantFrom(0, 0.02, 0.5),
    }) as fc.Arbitrary<Partial<AnalysisOptions>>;
    fc.assert(
      fc.property(values, values, options, (baselineValues, currentValues, chosen) => {
        const analysis = analyzeMetric('fuzz', baselineValues, currentValues, chosen);
        expectNoNonFinite(analysis);
        expect(analysis.reason.length).toBeGreaterThan(0);
        expect(analysis.regression && analysis.inconclusive).toBe(false);
        expect(analysis.severity === 'none').toBe(!analysis.regression);
        const [low, high] = analysis.confidence_interval.hodges_lehmann.interval;
        expect(low).toBeLessThanOrEqual(analysis.confidence_interval.hodges_lehmann.estimate);
        expect(high).toBeGreaterThanOrEqual(analysis.confidence_interval.hodges_lehmann.estimate);
      }),
      { numRuns: 500, seed: 424242 },
    );
  });
});

describe('severity grading', () => {
  const thresholds = DEFAULT_SEVERITY_THRESHOLDS;
  const effect = (g: number) => ({ cohens_d: g, hedges_g: g, magnitude: 'small' as const });
  test.each([
    [0.1, 0.03, 'minor'],
    [0.5, 0.03, 'major'],
    [0.1, 0.1, 'major'],
    [0.8, 0.03, 'critical'],
    [0.1, 0.25, 'critical'],
    [-0.9, 0.03, 'critical'],
    [0.1, Infinity, 'minor'],
  ] as const)('|g| = %p, worse by %p → %p', (g, change, expected) => {
    expect(gradeSeverity(effect(g), change, thresholds)).toBe(expected);
  });

  test('thresholds are configurable and effect sizes that are skipped count as 0', () => {
    expect(gradeSeverity(effect(0.3), 0.03, { ...thresholds, major_effect: 0.25 })).toBe('major');
    expect(gradeSeverity({ skipped: true, reason: 'constant' }, 0.5, thresholds)).toBe('critical');
    expect(DEFAULT_ANALYSIS_OPTIONS.severity_thresholds).toBe(DEFAULT_SEVERITY_THRESHOLDS);
  });
});

describe('options and input validation', () => {
  test.each([
    [{ alpha: 1 }, 'alpha must be between 0 and 1'],
    [{ confidence_level: 0 }, 'confidence_level must be between 0 and 1'],
    [{ min_relative_change: -0.1 }, 'min_relative_change must be a finite number ≥ 0'],
    [{ tests: [] }, 'tests must name at least one of t_test, mann_whitney'],
    [{ tests: ['z_test' as never] }, "unknown test 'z_test'"],
    [{ check_index: 3, checks_planned: 2 }, 'check index must be a whole number from 1 to 2'],
  ])('%p is rejected', (options, message) => {
    expect(() => analyzeMetric('m', [1, 2, 3], [1, 2, 3], options)).toThrow(message);
  });

  test('non-finite or empty samples are rejected naming the sample and the position', () => {
    expect(() => analyzeMetric('m', [1, Number.NaN, 3], [1, 2])).toThrow('m: baseline value #2 is NaN; every value must be a finite number');
    expect(() => analyzeMetric('m', [1, 2], [Infinity, 2])).toThrow('m: current value #1 is Infinity');
    expect(() => analyzeMetric('m', [], [1, 2])).toThrow('m: the baseline sample is empty');
    expect(() => analyzeMetric('m', [1, 2], [1, -2e150])).toThrow('m: current value #2 is -2e+150; values beyond ±1e150 are not supported');
  });
});

describe('holmCorrection across metrics', () => {
  test('withdraws a regression that does not survive the step-down and leaves strong ones', () => {
    const strong = analyzeMetric('latency', baseline, normalSample(8, 200, 110, 10));
    const borderline = analyzeMetric('cost', baseline, normalSample(19, 200, 102, 10), { tests: ['t_test'], min_relative_change: 0 });
    const quiet = analyzeMetric('errors', baseline, normalSample(9, 200, 100, 10));
    expect(strong.regression).toBe(true);
    expect(borderline.regression).toBe(true);
    expect(borderline.decision_p_value!).toBeGreaterThan(0.05 / 2);
    const corrected = holmCorrection([strong, borderline, quiet]);
    expect(corrected[0].regression).toBe(true);
    expect(corrected[0].alpha_adjusted).toBeCloseTo(0.05 / 3, 15);
    expect(corrected[1].regression).toBe(false);
    expect(corrected[1].severity).toBe('none');
    expect(corrected[1].reason).toMatch(/^no regression after Holm's correction across 3 metrics/);
    expect(corrected[2]).toMatchObject({ regression: false, reason: quiet.reason });
    // Inputs are not mutated.
    expect(borderline.regression).toBe(true);
  });
});
