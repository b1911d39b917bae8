// The JSON report (the `report` output and the report-path file). Field names are snake_case.
import type { MetricResult } from './result.ts';
import type { MetricsCorrection } from './settings.ts';
import type { Verdict } from './verdict.ts';

export interface RegressionReport {
  regression_detected: boolean;
  severity: Verdict['severity'];
  inconclusive: boolean;
  failed: boolean;
  status: Verdict['status'];
  fail_on_regression: boolean;
  metrics_correction: MetricsCorrection;
  metrics: (MetricResult['analysis'] & {
    critical: boolean;
    defined_at: { file: string; line: number } | null;
    sources: { baseline: string; current: string };
    notes: string[];
  })[];
}

export function buildReport(results: readonly MetricResult[], verdict: Verdict, settings: { failOnRegression: boolean; metricsCorrection: MetricsCorrection }): RegressionReport {
  return {
    regression_detected: verdict.regression,
    severity: verdict.severity,
    inconclusive: verdict.inconclusive,
    failed: verdict.failed,
    status: verdict.status,
    fail_on_regression: settings.failOnRegression,
    metrics_correction: settings.metricsCorrection,
    metrics: results.map((result) => ({
      ...result.analysis,
      critical: result.critical,
      defined_at: result.definedAt ?? null,
      sources: result.sources,
      notes: result.notes,
    })),
  };
}
