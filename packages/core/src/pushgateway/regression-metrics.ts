// The regression report as Prometheus gauges, one series per checked metric (labels `metric`, `direction` and
// `critical`, so an alert rule can page on exactly what fails the step; the Pushgateway adds the job and grouping
// labels). Figures the report skipped or left null are left out, so
// a graph shows a gap rather than a made-up value. Pure.
import type { RegressionReport } from '../regression/report.ts';
import type { Severity, Skipped } from '../stats/types.ts';
import type { MetricFamily, Sample } from './exposition.ts';

export const SEVERITY_LEVEL: Record<Severity, number> = { none: 0, minor: 1, major: 2, critical: 3 };

type ReportMetric = RegressionReport['metrics'][number];

const metricLabels = (metric: ReportMetric): Record<string, string> => ({
  metric: metric.metric_name,
  direction: metric.direction,
  critical: String(metric.critical),
});

interface FamilySpec {
  name: string;
  help: string;
  samples: (metric: ReportMetric) => { labels?: Record<string, string>; value: number | null | undefined }[];
}

/** The figure, unless the report skipped it (too little data, zero variance) or left it null. */
function present<T extends object>(figure: T | Skipped | null | undefined): Exclude<T, Skipped> | undefined {
  if (!figure || ('skipped' in figure && figure.skipped === true)) return undefined;
  return figure as Exclude<T, Skipped>;
}

const FAMILIES: readonly FamilySpec[] = [
  {
    name: 'model_cicd_regression_detected',
    help: '1 when the metric regressed (significant and practically large in the worse direction), else 0.',
    samples: (m) => [{ value: m.regression ? 1 : 0 }],
  },
  {
    name: 'model_cicd_regression_severity',
    help: 'Severity of the metric\'s regression: 0 none, 1 minor, 2 major, 3 critical.',
    samples: (m) => [{ value: SEVERITY_LEVEL[m.severity] }],
  },
  {
    name: 'model_cicd_regression_inconclusive',
    help: '1 when the metric could not be judged (e.g. no data on a side), else 0.',
    samples: (m) => [{ value: m.inconclusive ? 1 : 0 }],
  },
  {
    name: 'model_cicd_regression_p_value',
    help: 'One-sided (or two-sided) p-value of each test that ran, before any correction.',
    samples: (m) => [
      { labels: { test: 't_test' }, value: present(m.tests.t_test)?.p_value },
      { labels: { test: 'mann_whitney' }, value: present(m.tests.mann_whitney)?.p_value },
    ],
  },
  {
    name: 'model_cicd_regression_effect_size',
    help: "Standardised effect size of current against baseline: Cohen's d and Hedges' g.",
    samples: (m) => {
      const effect = present(m.effect_size);
      return [
        { labels: { kind: 'cohens_d' }, value: effect?.cohens_d },
        { labels: { kind: 'hedges_g' }, value: effect?.hedges_g },
      ];
    },
  },
  {
    name: 'model_cicd_regression_relative_change',
    help: 'Relative change of current against baseline (0.1 = +10 %), of the mean and of the median.',
    samples: (m) => [
      { labels: { location: 'mean' }, value: m.relative_change.mean },
      { labels: { location: 'median' }, value: m.relative_change.median },
    ],
  },
  {
    name: 'model_cicd_regression_sample_size',
    help: 'Number of observations tested on each side, after outlier removal.',
    samples: (m) => [
      { labels: { side: 'baseline' }, value: m.baseline?.n },
      { labels: { side: 'current' }, value: m.current?.n },
    ],
  },
];

const TIMESTAMP_FAMILY = 'model_cicd_regression_check_timestamp_seconds';

/** Gauges for every metric of the report; `checkedAtSeconds` is when the check ran (unix seconds). */
export function regressionMetricFamilies(report: Pick<RegressionReport, 'metrics'>, checkedAtSeconds: number): MetricFamily[] {
  const families: MetricFamily[] = FAMILIES.map((spec) => ({
    name: spec.name,
    help: spec.help,
    type: 'gauge',
    samples: report.metrics.flatMap((metric) =>
      spec
        .samples(metric)
        .filter((sample): sample is { labels?: Record<string, string>; value: number } => typeof sample.value === 'number' && Number.isFinite(sample.value))
        .map((sample): Sample => ({ labels: { ...metricLabels(metric), ...sample.labels }, value: sample.value })),
    ),
  }));
  families.push({
    name: TIMESTAMP_FAMILY,
    help: 'Unix time (seconds) when regression-check judged the metric; alert when it is too old.',
    type: 'gauge',
    samples: report.metrics.map((metric) => ({ labels: metricLabels(metric), value: checkedAtSeconds })),
  });
  return families;
}
