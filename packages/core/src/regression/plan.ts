// What to compare for each metric: its settings, where its two samples come from, and where it was defined.
import { dirname } from 'node:path';
import { fromRecord, InputError, InputReader, parseChoice, type RawInputs } from '../action/index.ts';
import type { AnalysisOptions } from '../stats/types.ts';
import type { TimeWindowSpec } from '../prometheus/index.ts';
import type { MetricsConfig } from './config.ts';
import { METRICS_CORRECTIONS, readMetricSettings, type MetricSettings, type MetricsCorrection } from './settings.ts';

export type Side = 'baseline' | 'current';
export const SIDES: readonly Side[] = ['baseline', 'current'];

export type SampleSource =
  /** An inline JSON array or a .json/.csv/.txt path (relative to `baseDirectory`). */
  | { kind: 'data'; spec: string; column?: string; baseDirectory: string }
  /** A PromQL range query; may hold {{placeholders}} filled by the caller. */
  | { kind: 'query'; query: string; window: TimeWindowSpec; stepSeconds: number };

export interface MetricPlan {
  name: string;
  /** A critical metric that regresses fails the run; others only warn. */
  critical: boolean;
  options: AnalysisOptions;
  baseline: SampleSource;
  current: SampleSource;
  /** Set when a metrics-config file defines the metric: annotations and messages point there. */
  definedAt?: { file: string; line: number };
}

/** The error for a bad setting of this metric: the input itself, or the metrics-config entry and its line. */
export function blame(plan: Pick<MetricPlan, 'name' | 'definedAt'>, key: string, problem: string): InputError {
  if (!plan.definedAt) return new InputError(key, problem);
  return new InputError('metrics-config', `${plan.definedAt.file} line ${plan.definedAt.line}, metric '${plan.name}', ${key}: ${problem}`);
}

/** The problem part of an InputError's message (without "Input 'x': "). */
export const problemOf = (error: InputError): string => error.message.slice(`Input '${error.input}': `.length);

export interface SourceFields {
  baseline?: string;
  current?: string;
  'baseline-query'?: string;
  'current-query'?: string;
  /** One query for both sides, told apart by {{placeholders}} (e.g. track="{{track}}"). */
  query?: string;
}

/** Picks each side's source; a side needs exactly one of its data or a query. */
export function chooseSources(
  fields: SourceFields,
  settings: MetricSettings,
  baseDirectory: string,
  fail: (key: string, problem: string) => never,
): { baseline: SampleSource; current: SampleSource } {
  const pick = (side: Side): SampleSource => {
    const data = fields[side]?.trim() || undefined;
    const query = fields[`${side}-query`]?.trim() || fields.query?.trim() || undefined;
    if (data && query) fail(side, `give either ${side} data or a ${side}-query, not both.`);
    if (data) return { kind: 'data', spec: data, column: settings.column, baseDirectory };
    if (query) return { kind: 'query', query, window: settings.window, stepSeconds: settings.stepSeconds };
    return fail(side, `is missing; give a JSON array or a .json/.csv/.txt file path as ${side}, or a PromQL ${side}-query with a prometheus-url.`);
  };
  return { baseline: pick('baseline'), current: pick('current') };
}

/** One metric from action inputs; bad sources are blamed on the inputs themselves. Critical by default. */
export function planSingleMetric(name: string, settings: MetricSettings, fields: SourceFields, baseDirectory: string, critical = true): MetricPlan {
  const fail = (key: string, problem: string): never => {
    throw new InputError(key, problem);
  };
  return { name, critical, options: settings.options, ...chooseSources(fields, settings, baseDirectory, fail) };
}

export interface ConfigPlan {
  plans: MetricPlan[];
  metricsCorrection?: MetricsCorrection;
  failOnRegression?: boolean;
  prometheusUrl?: string;
}

/**
 * Plans every metric of a metrics-config: built-in/action settings (`base`) < the file's top-level keys < the
 * entry's keys. Relative sample paths start at the config file's folder; `configPath` is where it was read.
 */
export function planFromConfig(config: MetricsConfig, base: MetricSettings, configPath: string): ConfigPlan {
  const failTopLevel = (key: string, problem: string): never => {
    const line = config.defaultLines[key];
    throw new InputError('metrics-config', `${config.file}${line ? ` line ${line}` : ''}, ${key}: ${problem}`);
  };
  const defaults = new InputReader(fromRecord(config.defaults));
  const topLevel = blamingInputErrors(failTopLevel, () => readMetricSettings(defaults, base));
  const correctionText = defaults.optionalString('metrics-correction');
  const metricsCorrection =
    correctionText === undefined ? undefined : blamingInputErrors(failTopLevel, () => parseChoice('metrics-correction', correctionText, METRICS_CORRECTIONS));
  const failOnRegression = defaults.has('fail-on-regression') ? blamingInputErrors(failTopLevel, () => defaults.boolean('fail-on-regression', true)) : undefined;

  const plans = config.metrics.map((entry): MetricPlan => {
    const where = { name: entry.name, definedAt: { file: config.file, line: entry.line } };
    const fail = (key: string, problem: string): never => {
      throw blame(where, key, problem);
    };
    const raw = fromRecord(entry.fields);
    const settings = blamingInputErrors(fail, () => readMetricSettings(new InputReader(raw), topLevel));
    const critical = entry.fields.critical ?? true;
    if (typeof critical !== 'boolean') fail('critical', `must be true or false, got '${String(critical)}'.`);
    const sources = chooseSources(sourceFields(raw), settings, dirname(configPath), fail);
    return { ...where, critical: critical as boolean, options: settings.options, ...sources };
  });
  return { plans, metricsCorrection, failOnRegression, prometheusUrl: defaults.optionalString('prometheus-url') };
}

/** Runs `read`, turning an InputError into `fail(input, problem)` so it names the config place instead. */
function blamingInputErrors<T>(fail: (key: string, problem: string) => never, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError) return fail(error.input, problemOf(error));
    throw error;
  }
}

export const sourceFields = (raw: RawInputs): SourceFields => ({
  baseline: raw('baseline'),
  current: raw('current'),
  'baseline-query': raw('baseline-query'),
  'current-query': raw('current-query'),
  query: raw('query'),
});
