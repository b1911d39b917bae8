// The run's overall decision from per-metric results. Pure.
import type { Severity } from '../stats/types.ts';
import type { MetricResult } from './result.ts';

export type VerdictStatus = 'regression' | 'warning' | 'inconclusive' | 'pass';

export interface Verdict {
  /** A critical metric regressed (the `regression` output). */
  regression: boolean;
  /** Highest severity among critical regressions ('none' without one). */
  severity: Severity;
  /** Some metric could not be judged (e.g. no data). */
  inconclusive: boolean;
  /** The step fails: a critical regression with fail-on-regression on. */
  failed: boolean;
  status: VerdictStatus;
  criticalRegressions: string[];
  /** Non-critical metrics that regressed: warnings only. */
  warnings: string[];
  inconclusiveMetrics: string[];
}

const SEVERITY_ORDER: readonly Severity[] = ['none', 'minor', 'major', 'critical'];

export const worseSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b);

export function decideVerdict(results: readonly MetricResult[], failOnRegression: boolean): Verdict {
  const regressed = results.filter((result) => result.analysis.regression);
  const critical = regressed.filter((result) => result.critical);
  const inconclusive = results.filter((result) => result.analysis.inconclusive && !result.analysis.regression);
  const severity = critical.reduce<Severity>((worst, result) => worseSeverity(worst, result.analysis.severity), 'none');
  const status: VerdictStatus = critical.length > 0 ? 'regression' : regressed.length > 0 ? 'warning' : inconclusive.length > 0 ? 'inconclusive' : 'pass';
  return {
    regression: critical.length > 0,
    severity,
    inconclusive: inconclusive.length > 0,
    failed: failOnRegression && critical.length > 0,
    status,
    criticalRegressions: critical.map((result) => result.name),
    warnings: regressed.filter((result) => !result.critical).map((result) => result.name),
    inconclusiveMetrics: inconclusive.map((result) => result.name),
  };
}

/** One line that says what happened, for the summary's heading and the log. */
export function verdictLine(verdict: Verdict, metricCount: number): string {
  const list = (names: string[]) => names.map((name) => `\`${name}\``).join(', ');
  const all = metricCount === 1 ? 'the metric' : `all ${metricCount} metrics`;
  switch (verdict.status) {
    case 'regression':
      return `❌ Regression (${verdict.severity}) in ${list(verdict.criticalRegressions)}${verdict.failed ? '' : ' (fail-on-regression is off: the step passes)'}`;
    case 'warning':
      return `⚠️ No critical regression; non-critical regression in ${list(verdict.warnings)}`;
    case 'inconclusive':
      return `❔ Inconclusive: no verdict for ${list(verdict.inconclusiveMetrics)}${verdict.inconclusiveMetrics.length < metricCount ? '; no regression in the others' : ''}`;
    default:
      return `✅ No regression in ${all}`;
  }
}
