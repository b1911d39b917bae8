// Every input of the action, read once into one typed settings object.
import * as core from '@actions/core';
import { InputError, InputReader } from '@model-cicd/core/action';
import type { PrometheusConnection } from '@model-cicd/core/prometheus';
import { isValidLabelName, parsePushgatewayBase } from '@model-cicd/core/pushgateway';
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
  /** Where to push the verdict as metrics; absent when neither pushgateway-url nor PUSHGATEWAY_URL is set. */
  pushgateway?: PushgatewaySettings;
}

export interface PushgatewaySettings {
  url: string;
  job: string;
  /** The group a push replaces: pushgateway-grouping, or the repository plus the check's name. */
  grouping: Record<string, string>;
  token?: string;
}

export const DEFAULT_PUSHGATEWAY_JOB = 'model-cicd-regression-check';

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
  const pushgatewayToken = reader.optionalString('pushgateway-token');
  for (const secret of [token, password, pushgatewayToken]) if (secret) core.setSecret(secret);
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
  const metricName = reader.string('metric-name', 'metric');
  return {
    metricName,
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
    pushgateway: readPushgateway(reader, env, metricsConfig ?? metricName, pushgatewayToken),
  };
}

function readPushgateway(reader: InputReader, env: NodeJS.ProcessEnv, checkName: string, token: string | undefined): PushgatewaySettings | undefined {
  const fromInput = reader.optionalString('pushgateway-url');
  const url = fromInput ?? env.PUSHGATEWAY_URL?.trim();
  if (!url) return undefined;
  try {
    parsePushgatewayBase(url);
  } catch (error) {
    throw new InputError('pushgateway-url', `${(error as Error).message}${fromInput ? '' : ' (the value came from the PUSHGATEWAY_URL environment variable)'}`);
  }
  return {
    url,
    job: reader.string('pushgateway-job', DEFAULT_PUSHGATEWAY_JOB),
    grouping: reader.has('pushgateway-grouping') ? parseGrouping(reader.list('pushgateway-grouping')) : defaultGrouping(env, checkName),
    token,
  };
}

/**
 * One group per repository and check (the metrics-config path, or metric-name in single-metric mode): each run
 * PUTs, so it replaces its own previous series instead of adding to them, and different checks keep theirs.
 */
const defaultGrouping = (env: NodeJS.ProcessEnv, checkName: string): Record<string, string> =>
  env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY, check: checkName } : { check: checkName };

function parseGrouping(entries: readonly string[]): Record<string, string> {
  const grouping: Record<string, string> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    if (separator <= 0) throw new InputError('pushgateway-grouping', `'${entry}' is not key=value; write it like repository=octo-org/app,workflow=deploy.`);
    const label = entry.slice(0, separator).trim();
    if (!isValidLabelName(label)) {
      throw new InputError('pushgateway-grouping', `'${label}' is not a valid label name; use letters, digits and _ (not starting with a digit or __).`);
    }
    if (label === 'job') throw new InputError('pushgateway-grouping', "cannot contain 'job'; set the job name with pushgateway-job.");
    if (label in grouping) throw new InputError('pushgateway-grouping', `gives '${label}' twice; give each label once.`);
    grouping[label] = entry.slice(separator + 1).trim();
  }
  return grouping;
}
