// The canary analysis: the regression-check core run on the step's window, stable as baseline and canary as
// current, with this look's place in the rollout's family of checks so repeated looks keep the false-rollback
// rate at alpha. Queries tell the tracks apart with {{track}} and {{version}}.
import { InputError } from '../action/inputs.ts';
import { queryRange, PrometheusError, type PrometheusConnection } from '../prometheus/index.ts';
import {
  fillPlaceholders,
  judgeMetrics,
  isNoData,
  parseMetricsConfig,
  planFromConfig,
  type ConfigPlan,
  type MetricResult,
  type MetricSettings,
} from '../regression/index.ts';
import { DEFAULT_ANALYSIS_OPTIONS } from '../stats/index.ts';
import type { AnalysisResult } from './shell.ts';
import type { AnalysisRequest, MetricRow, RolloutState } from './types.ts';

/** The optional metrics-config key naming a per-track request counter for the sample-ratio check. */
export const REQUEST_COUNT_KEY = 'request-count-query';

const BASE_SETTINGS: MetricSettings = { options: DEFAULT_ANALYSIS_OPTIONS, window: { rangeMs: 30 * 60_000 }, stepSeconds: 15 };

export interface RolloutMetricsConfig {
  plan: ConfigPlan;
  /** PromQL giving a track's cumulative request count (a counter), with {{track}}; absent: no sample-ratio check. */
  requestCountQuery?: string;
}

/**
 * Parses the metrics-config text (the regression-check format plus `request-count-query`). Throws an
 * InputError on 'metrics-config' naming the file and line, so `start` refuses a bad config up front.
 */
export function parseRolloutMetricsConfig(text: string, file: string, configPath = file): RolloutMetricsConfig {
  const config = parseMetricsConfig(text, file, { extensionKeys: [REQUEST_COUNT_KEY] });
  const requestCount = config.extensions[REQUEST_COUNT_KEY];
  if (requestCount && (typeof requestCount.value !== 'string' || !requestCount.value.includes('{{track}}'))) {
    throw new InputError('metrics-config', `${file} line ${requestCount.line}: ${REQUEST_COUNT_KEY} must be a PromQL string that uses {{track}}, e.g. sum(http_requests_total{track="{{track}}"}).`);
  }
  const requestCountQuery = requestCount?.value as string | undefined;
  const plan = planFromConfig(config, BASE_SETTINGS, configPath);
  if (plan.plans.some((metric) => metric.baseline.kind === 'query' || metric.current.kind === 'query')) {
    const tracks = plan.plans.every((metric) => [metric.baseline, metric.current].every((side) => side.kind !== 'query' || /\{\{\s*(track|version)\s*\}\}/.test(side.query)));
    if (!tracks) {
      throw new InputError('metrics-config', `${file}: every query must tell the tracks apart with {{track}} (stable/canary) or {{version}}, e.g. latency{track="{{track}}"}.`);
    }
  }
  return { plan, requestCountQuery };
}

export interface CanaryAnalysisContext {
  prometheus?: PrometheusConnection;
  /** The config file name shown in messages. */
  file?: string;
  workspace?: string;
}

/** Runs one look of the analysis for `state` over `request`'s window. */
export async function analyseCanary(state: RolloutState, request: AnalysisRequest, context: CanaryAnalysisContext): Promise<AnalysisResult> {
  const file = context.file ?? 'metrics-config';
  const config = parseRolloutMetricsConfig(state.config.metricsConfig ?? '', file, context.workspace ? `${context.workspace}/${file}` : file);
  const window = { start: request.start, end: request.end };
  const plans = config.plan.plans.map((metric) => ({
    ...metric,
    options: { ...metric.options, check_index: request.checkIndex, checks_planned: request.checksPlanned },
    baseline: metric.baseline.kind === 'query' ? { ...metric.baseline, window } : metric.baseline,
    current: metric.current.kind === 'query' ? { ...metric.current, window } : metric.current,
  }));
  const prometheus = context.prometheus ?? (config.plan.prometheusUrl ? { url: config.plan.prometheusUrl } : undefined);
  const queryVariables = {
    baseline: { track: 'stable', version: state.stableVersion },
    current: { track: 'canary', version: state.canaryVersion },
  };
  const correction = config.plan.metricsCorrection ?? 'holm';
  const judgement = await judgeMetrics(plans, { prometheus, nowMs: Date.parse(request.end), queryVariables }, { metricsCorrection: correction, failOnRegression: true });
  const { results, verdict } = judgement;
  const rows = results.map(metricRow);
  const analysed = results.filter((result) => !isNoData(result.analysis));
  const samples = {
    stable: analysed.length ? Math.min(...analysed.map((r) => (r.analysis as { baseline: { n: number } }).baseline.n)) : 0,
    canary: analysed.length ? Math.min(...analysed.map((r) => (r.analysis as { current: { n: number } }).current.n)) : 0,
  };
  const summary = judgement.summary('');
  const sampleRatio = config.requestCountQuery && prometheus ? await requestCounts(prometheus, config.requestCountQuery, request, queryVariables, file) : undefined;

  if (verdict.regression) {
    return { analysis: { verdict: 'regressed', reason: `${verdict.criticalRegressions.join(', ')} regressed (${verdict.severity})`, samples, metrics: rows }, sampleRatio, summary };
  }
  const missing = results.filter((result) => isNoData(result.analysis));
  if (missing.length > 0) {
    return { analysis: 'no-data', sampleRatio, summary };
  }
  if (verdict.inconclusive) {
    return { analysis: { verdict: 'inconclusive', reason: `no verdict for ${verdict.inconclusiveMetrics.join(', ')}`, samples, metrics: rows }, sampleRatio, summary };
  }
  const warn = verdict.warnings.length ? `; non-critical regression in ${verdict.warnings.join(', ')}` : '';
  return { analysis: { verdict: 'passed', reason: `no critical metric regressed${warn}`, samples, metrics: rows }, sampleRatio, summary };
}

function metricRow(result: MetricResult): MetricRow {
  const analysis = result.analysis;
  if (isNoData(analysis)) return { name: result.name, verdict: 'no-data', critical: result.critical };
  const location = result.location;
  const pValues = [analysis.tests.t_test, analysis.tests.mann_whitney].flatMap((test) => (test && 'p_value' in test ? [test.p_value] : []));
  return {
    name: result.name,
    verdict: analysis.regression ? 'regressed' : analysis.inconclusive ? 'inconclusive' : 'pass',
    severity: analysis.severity,
    stableMedian: analysis.baseline[location],
    canaryMedian: analysis.current[location],
    relativeChange: analysis.relative_change[location],
    pValue: pValues.length ? Math.min(...pValues) : null,
    samples: { stable: analysis.baseline.n, canary: analysis.current.n },
    critical: result.critical,
  };
}

/** Requests per track over the window: the increase of the counter the query returns. */
async function requestCounts(
  prometheus: PrometheusConnection,
  query: string,
  request: AnalysisRequest,
  variables: { baseline: Record<string, string>; current: Record<string, string> },
  file: string,
): Promise<{ canaryCount: number; stableCount: number } | undefined> {
  const start = Date.parse(request.start) / 1000;
  const end = Date.parse(request.end) / 1000;
  const step = Math.max(15, Math.floor((end - start) / 200));
  const fail = (problem: string) => new InputError('metrics-config', `${file}, ${REQUEST_COUNT_KEY}: ${problem}`);
  const increase = async (vars: Record<string, string>): Promise<number | undefined> => {
    try {
      const series = await queryRange(prometheus, { query: fillPlaceholders(query, vars, fail), start, end, step });
      const points = series[0]?.points.filter(([, value]) => Number.isFinite(value)) ?? [];
      if (points.length < 2) return undefined;
      return Math.max(0, points[points.length - 1][1] - points[0][1]);
    } catch (error) {
      if (error instanceof PrometheusError && error.kind === 'bad-query') throw fail(error.message);
      throw error;
    }
  };
  const [stableCount, canaryCount] = await Promise.all([increase(variables.baseline), increase(variables.current)]);
  if (stableCount === undefined || canaryCount === undefined) return undefined;
  return { canaryCount, stableCount };
}
