// Every input of the action, read once into one typed settings object.
import * as core from '@actions/core';
import { InputError, InputReader } from '@model-cicd/core/action';
import type { PrometheusConnection } from '@model-cicd/core/prometheus';
import { METRICS_CORRECTIONS, readMetricSettings, sourceFields, type MetricSettings, type MetricsCorrection, type SourceFields } from '@model-cicd/core/regression';
import { DEFAULT_ANALYSIS_OPTIONS } from '@model-cicd/core/stats';

export interface RegressionCheckSettings {
  /** Name of the single metric given by baseline/current or the queries. */
  metricName: string;
  /** Single-metric sources (empty strings when not given). */
  sources: SourceFields;
  /** Path of a metrics-config file, relative to the workspace. */
  metricsConfig?: string;
  /** Per-metric settings from the inputs; a metrics-config's keys override them. */
  metricSettings: MetricSettings;
  metricsCorrection: MetricsCorrection;
  failOnRegression: boolean;
  /** `url` is the prometheus-url input ('' when not set); a metrics-config's prometheus-url comes next. */
  prometheus: PrometheusConnection;
  /** PROMETHEUS_URL from the environment: the last resort. */
  prometheusUrlFromEnv: string;
  workspace: string;
}

/** Built-in settings: the statistics core's defaults, the last 30 minutes at a 15 s step. */
export const BUILT_IN_METRIC_SETTINGS: MetricSettings = {
  options: DEFAULT_ANALYSIS_OPTIONS,
  window: { rangeMs: 30 * 60_000 },
  stepSeconds: 15,
};

export function readSettings(reader: InputReader, env: NodeJS.ProcessEnv = process.env): RegressionCheckSettings {
  // Mask credentials before anything else can print them.
  const token = reader.optionalString('prometheus-token');
  const password = reader.optionalString('prometheus-password');
  if (token) core.setSecret(token);
  if (password) core.setSecret(password);
  const username = reader.optionalString('prometheus-username');
  if (password && !username) throw new InputError('prometheus-password', 'is set without prometheus-username; give both for basic auth, or use prometheus-token.');
  if (token && username) throw new InputError('prometheus-token', 'and prometheus-username are both set; use a bearer token or basic auth, not both.');

  const sources = sourceFields(reader.raw);
  const metricsConfig = reader.optionalString('metrics-config');
  const givenSources = Object.entries(sources).filter(([, value]) => value !== '' && value !== undefined).map(([key]) => key);
  if (metricsConfig && givenSources.length > 0) {
    throw new InputError('metrics-config', `cannot be combined with ${givenSources.join(', ')}; put that metric into the metrics-config file's metrics: list instead.`);
  }
  if (!metricsConfig && givenSources.length === 0) {
    throw new InputError(
      'baseline',
      'and current are required (JSON arrays or .json/.csv/.txt paths); or give baseline-query and current-query with prometheus-url; or a metrics-config file.',
    );
  }
  return {
    metricName: reader.string('metric-name', 'metric'),
    sources,
    metricsConfig,
    metricSettings: readMetricSettings(reader, BUILT_IN_METRIC_SETTINGS),
    metricsCorrection: reader.oneOf('metrics-correction', METRICS_CORRECTIONS, 'holm'),
    failOnRegression: reader.boolean('fail-on-regression', true),
    prometheus: {
      url: reader.optionalString('prometheus-url') ?? '',
      auth: { bearerToken: token, username, password },
      timeoutMs: reader.duration('prometheus-timeout', '30s'),
    },
    prometheusUrlFromEnv: env.PROMETHEUS_URL ?? '',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
  };
}
