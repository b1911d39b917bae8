// Fetches each metric's two samples: from inline arrays and files, or from Prometheus range queries.
import { InputError } from '../action/index.ts';
import { loadSample, SampleError } from '../samples/index.ts';
import { PrometheusError, queryRange, resolveTimeWindow, samplesInTimeOrder, type PrometheusConnection } from '../prometheus/index.ts';
import { mapWithConcurrency } from '../concurrency/index.ts';
import { blame, type MetricPlan, type SampleSource, type Side } from './plan.ts';

/** Metrics fetched at once (two requests each): enough to hide latency, gentle on a shared Prometheus. */
export const METRICS_IN_FLIGHT = 4;

export type CollectedSample =
  | { values: number[]; origin: string; nonFiniteDropped: number }
  /** A query that matched nothing: the metric is inconclusive, never a pass and never a regression. */
  | { values: null; origin: string; noDataReason: string };

export interface CollectedMetric {
  plan: MetricPlan;
  baseline: CollectedSample;
  current: CollectedSample;
}

export interface CollectContext {
  /** Needed only when a metric uses queries. */
  prometheus?: PrometheusConnection;
  nowMs: number;
  /** Values for {{placeholders}} in each side's query, e.g. { baseline: { track: 'stable' }, current: { track: 'canary' } }. */
  queryVariables?: Partial<Record<Side, Record<string, string>>>;
}

export async function collectMetrics(plans: readonly MetricPlan[], context: CollectContext): Promise<CollectedMetric[]> {
  return mapWithConcurrency(plans, METRICS_IN_FLIGHT, async (plan) => {
    const [baseline, current] = await Promise.all([collectSide(plan, 'baseline', context), collectSide(plan, 'current', context)]);
    return { plan, baseline, current };
  });
}

async function collectSide(plan: MetricPlan, side: Side, context: CollectContext): Promise<CollectedSample> {
  const source: SampleSource = plan[side];
  if (source.kind === 'data') {
    try {
      const loaded = await loadSample(source.spec, { baseDirectory: source.baseDirectory, column: source.column });
      return { values: loaded.values, origin: loaded.origin, nonFiniteDropped: 0 };
    } catch (error) {
      if (error instanceof SampleError) throw blame(plan, side, error.message);
      throw error;
    }
  }
  const key = `${side}-query`;
  if (!context.prometheus?.url) {
    throw blame(plan, key, 'needs a Prometheus server: set the prometheus-url input (or the PROMETHEUS_URL environment variable).');
  }
  const query = fillPlaceholders(source.query, context.queryVariables?.[side] ?? {}, (problem) => blame(plan, key, problem));
  const window = resolveTimeWindow(source.window, context.nowMs, (input, problem) => {
    throw blame(plan, input, problem);
  });
  try {
    const series = await queryRange(context.prometheus, { query, start: window.start, end: window.end, step: source.stepSeconds });
    const { values, nonFiniteDropped } = samplesInTimeOrder(series);
    const span = `${new Date(window.start * 1000).toISOString()} – ${new Date(window.end * 1000).toISOString()}`;
    if (values.length === 0) {
      const what = series.length === 0 ? 'matched no series' : `returned only NaN/Inf values (${nonFiniteDropped})`;
      return { values: null, origin: query, noDataReason: `no data: ${key} ${what} in ${span}` };
    }
    if (values.length < 2) {
      return { values: null, origin: query, noDataReason: `no data: ${key} returned only 1 value in ${span}; widen the range or shorten the step` };
    }
    return { values, origin: query, nonFiniteDropped };
  } catch (error) {
    if (!(error instanceof PrometheusError)) throw error;
    if (error.kind === 'bad-query') throw blame(plan, key, `${error.message} (query: ${query})`);
    if (error.kind === 'auth') throw new InputError('prometheus-token', error.message);
    throw new InputError('prometheus-url', error.message);
  }
}

/**
 * Fills `{{name}}` placeholders; values are escaped for a PromQL string literal (they usually sit inside
 * label matchers such as track="{{track}}"). A placeholder without a value is an error, not an empty string.
 */
export function fillPlaceholders(query: string, variables: Record<string, string>, fail: (problem: string) => Error): string {
  return query.replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) {
      const known = Object.keys(variables);
      throw fail(`uses {{${name}}} but no value for it is known${known.length ? ` (known: ${known.join(', ')})` : ''}; write the value into the query.`);
    }
    return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  });
}
