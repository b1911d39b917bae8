import { describe, expect, test } from '@jest/globals';
import { buildAnnotations } from './annotations.ts';
import { buildReport } from './report.ts';
import { buildSummary } from './summary.ts';
import { decideVerdict, verdictLine } from './verdict.ts';
import { result } from './fixtures.test-helpers.ts';
import type { MetricResult, NoDataAnalysis } from './result.ts';

const noData = (name: string): MetricResult => ({
  name,
  critical: true,
  location: 'median',
  analysis: {
    metric_name: name, direction: 'lower-is-better', baseline: null, current: null, tests: {}, effect_size: null, confidence_interval: null,
    relative_change: { mean: null, median: null }, trend: null, alpha: 0.05, alpha_per_check: null, regression: false, severity: 'none',
    inconclusive: true, reason: 'no data: current-query matched no series in 2026-01-01T00:00:00.000Z – 2026-01-01T00:30:00.000Z',
  } satisfies NoDataAnalysis,
  sources: { baseline: 'q1', current: 'q2' },
  notes: [],
});

describe('decideVerdict', () => {
  test('a critical regression fails the run; a non-critical one only warns', () => {
    const critical = decideVerdict([result('latency', 0.12, true), result('cost', 0, false)], true);
    expect(critical).toMatchObject({ regression: true, severity: 'major', failed: true, status: 'regression', criticalRegressions: ['latency'] });
    const warning = decideVerdict([result('engagement', 0.12, true, { critical: false })], true);
    expect(warning).toMatchObject({ regression: false, severity: 'none', failed: false, status: 'warning', warnings: ['engagement'] });
  });
  test('fail-on-regression false keeps the verdict but not the failure', () => {
    expect(decideVerdict([result('latency', 0.12, true)], false)).toMatchObject({ regression: true, failed: false });
  });
  test('no data is inconclusive: never a pass, never a regression', () => {
    const verdict = decideVerdict([noData('errors'), result('latency', 0, false)], true);
    expect(verdict).toMatchObject({ regression: false, inconclusive: true, failed: false, status: 'inconclusive', inconclusiveMetrics: ['errors'] });
    expect(verdictLine(verdict, 2)).toContain('Inconclusive');
  });
  test('everything fine is a pass', () => {
    const verdict = decideVerdict([result('latency', 0.001, false)], true);
    expect(verdict.status).toBe('pass');
    expect(verdictLine(verdict, 1)).toBe('✅ No regression in the metric');
  });
});

describe('buildSummary', () => {
  const results = [result('latency', 0.12, true), result('engagement', 0.05, true, { critical: false }), noData('errors')];
  const summary = buildSummary(results, decideVerdict(results, true), { metricsCorrection: 'holm' });
  test('has the verdict, one row per metric and a chart per metric with data', () => {
    expect(summary).toContain('**❌ Regression (major) in `latency`**');
    const rows = summary.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Metric') && !line.startsWith('| ---'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^\| latency \| ❌ regression \| median 100 \(n=50\) \| median 112 \(n=50\) \| \+12% \| \+2 \[1, 3\] \| p=0\.0012 \(t-test\), p=0\.0021 \(Mann-Whitney\) \| 0\.615 \(medium\) \| major \|$/);
    expect(rows[1]).toContain('| engagement (non-critical) | ⚠️ regression |');
    expect(rows[2]).toContain('| errors | ❔ no data |');
    expect(summary.match(/```mermaid\nxychart-beta/g)).toHaveLength(2);
    expect(summary).toContain('Holm-corrected across 3 metrics');
    expect(summary).toContain('`errors`: no data: current-query matched no series');
  });
});

describe('buildAnnotations', () => {
  test('error per critical regression (first, at its config line), warning per other one and per metric that could not be judged', () => {
    const annotations = buildAnnotations([
      result('engagement', 0.05, true, { critical: false }),
      result('latency', 0.12, true, { definedAt: { file: '.github/canary.yml', line: 7 } }),
      result('cost', 0, false),
      noData('errors'),
      result('tokens', 0, false, { analysis: { ...result('tokens', 0, false).analysis, inconclusive: true, reason: 't_test skipped: both samples are constant' } }),
    ]);
    expect(annotations.map((a) => [a.severity, a.title, a.file, a.line])).toEqual([
      ['error', 'Regression (major): latency', '.github/canary.yml', 7],
      ['warning', 'Non-critical regression (major): engagement', undefined, undefined],
      ['warning', 'No data: errors', undefined, undefined],
      ['warning', 'Inconclusive: tokens', undefined, undefined],
    ]);
    expect(annotations[0].message).toBe('latency got worse: median 100 → 112 (+12%); both tests significant and median up 12%');
  });
});

test('the report flattens each analysis with its critical flag, place and sources', () => {
  const results = [result('latency', 0.12, true, { definedAt: { file: 'c.yml', line: 3 } }), noData('errors')];
  const report = buildReport(results, decideVerdict(results, true), { failOnRegression: true, metricsCorrection: 'holm' });
  expect(report).toMatchObject({ regression_detected: true, severity: 'major', inconclusive: true, failed: true, metrics_correction: 'holm' });
  expect(report.metrics[0]).toMatchObject({ metric_name: 'latency', critical: true, defined_at: { file: 'c.yml', line: 3 }, tests: { t_test: { p_value: 0.0012 } } });
  expect(report.metrics[1]).toMatchObject({ metric_name: 'errors', inconclusive: true, regression: false, defined_at: null });
  expect(JSON.stringify(report)).not.toContain('samples');
});
