import { expect, test } from '@jest/globals';
import { buildReport } from '../regression/report.ts';
import { analysis, result } from '../regression/fixtures.test-helpers.ts';
import type { MetricResult } from '../regression/result.ts';
import { decideVerdict } from '../regression/verdict.ts';
import { renderExposition } from './exposition.ts';
import { regressionMetricFamilies } from './regression-metrics.ts';

const noData: MetricResult = {
  ...result('error_rate', 0, false),
  analysis: {
    metric_name: 'error_rate',
    direction: 'lower-is-better',
    baseline: { n: 30, outliers_removed: 0, mean: 0.01, median: 0.01, std: 0.001, min: 0.008, max: 0.012 },
    current: null,
    tests: {},
    effect_size: null,
    confidence_interval: null,
    relative_change: { mean: null, median: null },
    trend: null,
    alpha: 0.05,
    alpha_per_check: null,
    regression: false,
    severity: 'none',
    inconclusive: true,
    reason: 'the current query returned no data',
  },
};

const tooSmall: MetricResult = {
  ...result('accuracy', 0.01, false),
  critical: false,
  analysis: {
    ...analysis('accuracy', 0.01, false),
    direction: 'higher-is-better',
    baseline: { n: 1, outliers_removed: 0, mean: 0.9, median: 0.9, std: 0, min: 0.9, max: 0.9 },
    tests: { t_test: { skipped: true, reason: 'needs at least 2 values per side' }, mann_whitney: { statistic: 3, p_value: 0.5, method: 'exact', significant: false } },
    effect_size: { skipped: true, reason: 'zero variance' },
    relative_change: { mean: 0.01, median: null },
  },
};

const results = [result('latency_ms', 0.12, true), tooSmall, noData];
const report = buildReport(results, decideVerdict(results, true), { failOnRegression: true, metricsCorrection: 'holm' });
const families = regressionMetricFamilies(report, 1_795_707_359);
const series = (name: string) => families.find((family) => family.name === name)!.samples;

test('the eight gauge families, in order, all gauges with help', () => {
  expect(families.map((family) => family.name)).toEqual([
    'model_cicd_regression_detected',
    'model_cicd_regression_severity',
    'model_cicd_regression_inconclusive',
    'model_cicd_regression_p_value',
    'model_cicd_regression_effect_size',
    'model_cicd_regression_relative_change',
    'model_cicd_regression_sample_size',
    'model_cicd_regression_check_timestamp_seconds',
  ]);
  for (const family of families) expect([family.type, family.help.length > 10]).toEqual(['gauge', true]);
});

test('verdict gauges: one series per metric, labelled metric, direction and whether it is critical', () => {
  expect(series('model_cicd_regression_detected')).toEqual([
    { labels: { metric: 'latency_ms', direction: 'lower-is-better', critical: 'true' }, value: 1 },
    { labels: { metric: 'accuracy', direction: 'higher-is-better', critical: 'false' }, value: 0 },
    { labels: { metric: 'error_rate', direction: 'lower-is-better', critical: 'true' }, value: 0 },
  ]);
  expect(series('model_cicd_regression_severity').map((s) => s.value)).toEqual([2, 0, 0]); // major, none, none
  expect(series('model_cicd_regression_inconclusive').map((s) => s.value)).toEqual([0, 0, 1]);
  expect(series('model_cicd_regression_check_timestamp_seconds').map((s) => s.value)).toEqual([1_795_707_359, 1_795_707_359, 1_795_707_359]);
});

test('figures come from the report; skipped tests, skipped effect sizes and null changes are left out', () => {
  expect(series('model_cicd_regression_p_value')).toEqual([
    { labels: { metric: 'latency_ms', direction: 'lower-is-better', critical: 'true', test: 't_test' }, value: 0.0012 },
    { labels: { metric: 'latency_ms', direction: 'lower-is-better', critical: 'true', test: 'mann_whitney' }, value: 0.0021 },
    { labels: { metric: 'accuracy', direction: 'higher-is-better', critical: 'false', test: 'mann_whitney' }, value: 0.5 },
  ]);
  expect(series('model_cicd_regression_effect_size')).toEqual([
    { labels: { metric: 'latency_ms', direction: 'lower-is-better', critical: 'true', kind: 'cohens_d' }, value: 0.62 },
    { labels: { metric: 'latency_ms', direction: 'lower-is-better', critical: 'true', kind: 'hedges_g' }, value: 0.615 },
  ]);
  expect(series('model_cicd_regression_relative_change').map((s) => [s.labels.metric, s.labels.location, s.value])).toEqual([
    ['latency_ms', 'mean', 0.12],
    ['latency_ms', 'median', 0.12],
    ['accuracy', 'mean', 0.01],
  ]);
  expect(series('model_cicd_regression_sample_size').map((s) => [s.labels.metric, s.labels.side, s.value])).toEqual([
    ['latency_ms', 'baseline', 50],
    ['latency_ms', 'current', 50],
    ['accuracy', 'baseline', 1],
    ['accuracy', 'current', 50],
    ['error_rate', 'baseline', 30],
  ]);
});

test('the families render as valid exposition text without NaN', () => {
  const text = renderExposition(families);
  expect(text).not.toMatch(/NaN|Inf/);
  expect(text).toContain('model_cicd_regression_p_value{critical="true",direction="lower-is-better",metric="latency_ms",test="t_test"} 0.0012\n');
  expect(text.match(/^# TYPE /gm)).toHaveLength(8);
});

test('an empty report gives no samples at all', () => {
  expect(renderExposition(regressionMetricFamilies({ metrics: [] }, 1))).toBe('');
});
