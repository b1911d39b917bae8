// judgeMetrics in-process with the real statistics: the pieces fit, and Holm's correction changes decisions.
import { expect, test } from '@jest/globals';
import { analyzeMetric } from '../stats/index.ts';
import { judgeMetrics } from './judge.ts';
import { planSingleMetric } from './plan.ts';
import { SETTINGS } from './fixtures.test-helpers.ts';

const settings = { ...SETTINGS, options: { ...SETTINGS.options, min_relative_change: 0.01, outliers: 'none' as const } };
const baseline = Array.from({ length: 40 }, (_, i) => 100 + ((i * 7) % 40) * 0.5);
const shifted = (d: number) => baseline.map((v) => v + d);

// The smallest shift that is a regression on its own, with a decision p-value above alpha / 2.
const borderline = (() => {
  for (let d = 0.05; d < 10; d += 0.05) {
    const analysis = analyzeMetric('x', baseline, shifted(d), settings.options);
    if (analysis.regression) return { d, p: analysis.decision_p_value! };
  }
  throw new Error('no borderline shift found');
})();

const plan = (name: string, current: number[]) =>
  planSingleMetric(name, settings, { baseline: JSON.stringify(baseline), current: JSON.stringify(current) }, '/');

test('the borderline shift is a regression alone (its p lies between alpha/2 and alpha)', () => {
  expect(borderline.p).toBeGreaterThan(0.025);
  expect(borderline.p).toBeLessThanOrEqual(0.05);
});

test("Holm's correction across two metrics withdraws the borderline regression; without it, it stands", async () => {
  const plans = [plan('latency', shifted(borderline.d)), plan('cost', baseline.map((v) => v + 0.01))];
  const context = { nowMs: 0 };
  const holm = await judgeMetrics(plans, context, { metricsCorrection: 'holm', failOnRegression: true });
  const none = await judgeMetrics(plans, context, { metricsCorrection: 'none', failOnRegression: true });
  expect(none.verdict).toMatchObject({ regression: true, failed: true, criticalRegressions: ['latency'] });
  expect(holm.verdict).toMatchObject({ regression: false, failed: false, status: 'pass' });
  expect(holm.results[0].analysis.reason).toContain("Holm's correction across 2 metrics");
  expect(holm.report.metrics_correction).toBe('holm');
  expect(none.annotations.map((a) => a.severity)).toEqual(['error']);
  expect(holm.annotations).toEqual([]);
  expect(holm.summary()).toContain('Holm-corrected across 2 metrics');
});
