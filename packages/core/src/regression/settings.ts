// Per-metric settings, read the same way from action inputs, metrics-config top-level keys and metrics-config
// entries: each layer starts from the one below it and overrides only what it names.
import { InputError, type InputReader } from '../action/index.ts';
import type { AlphaSpending, AnalysisOptions, Direction, Location, OutlierMethod, SeverityThresholds, TestName } from '../stats/types.ts';
import type { TimeWindowSpec } from '../prometheus/index.ts';

export const DIRECTIONS: readonly Direction[] = ['lower-is-better', 'higher-is-better', 'two-sided'];
export const TEST_NAMES: readonly TestName[] = ['t_test', 'mann_whitney'];
export const OUTLIER_METHODS: readonly OutlierMethod[] = ['iqr', 'mad', 'none'];
export const LOCATIONS: readonly Location[] = ['median', 'mean'];
export const ALPHA_SPENDINGS: readonly AlphaSpending[] = ['bonferroni', 'obrien-fleming', 'none'];
export const METRICS_CORRECTIONS = ['holm', 'none'] as const;
export type MetricsCorrection = (typeof METRICS_CORRECTIONS)[number];

/** Inputs that shape one metric's analysis; every one may appear in a metrics-config (top level or entry). */
export const METRIC_SETTING_KEYS = [
  'direction',
  'tests',
  'alpha',
  'confidence-level',
  'min-relative-change',
  'outliers',
  'location',
  'check-index',
  'checks-planned',
  'alpha-spending',
  'severity-thresholds',
  'column',
  'range',
  'start',
  'end',
  'step',
] as const;

export interface MetricSettings {
  options: AnalysisOptions;
  /** CSV column for file samples. */
  column?: string;
  /** Window and resolution of Prometheus range queries. */
  window: TimeWindowSpec;
  stepSeconds: number;
}

const TEST_ALIASES: Record<string, TestName> = {
  t_test: 't_test',
  ttest: 't_test',
  welch: 't_test',
  mann_whitney: 'mann_whitney',
  mannwhitney: 'mann_whitney',
  mann_whitney_u: 'mann_whitney',
};

const THRESHOLD_KEYS: Record<string, keyof SeverityThresholds> = {
  'major-effect': 'major_effect',
  'critical-effect': 'critical_effect',
  'major-change': 'major_change',
  'critical-change': 'critical_change',
};

/** Reads every per-metric setting present in `reader`; absent ones keep `base`'s value. */
export function readMetricSettings(reader: InputReader, base: MetricSettings): MetricSettings {
  const checksPlanned = reader.number('checks-planned', base.options.checks_planned, { min: 1, integer: true });
  const checkIndex = reader.number('check-index', base.options.check_index, { min: 1, integer: true });
  if (checkIndex > checksPlanned) {
    throw new InputError('check-index', `${checkIndex} is beyond checks-planned (${checksPlanned}); count looks from 1 and raise checks-planned to the number of looks you plan.`);
  }
  const options: AnalysisOptions = {
    direction: reader.oneOf('direction', DIRECTIONS, base.options.direction),
    tests: reader.has('tests') ? parseTests(reader.raw('tests')) : [...base.options.tests],
    alpha: reader.number('alpha', base.options.alpha, { min: 0, max: 1, exclusive: true }),
    confidence_level: reader.number('confidence-level', base.options.confidence_level, { min: 0, max: 1, exclusive: true }),
    min_relative_change: reader.number('min-relative-change', base.options.min_relative_change, { min: 0 }),
    outliers: reader.oneOf('outliers', OUTLIER_METHODS, base.options.outliers),
    location: reader.oneOf('location', LOCATIONS, base.options.location),
    check_index: checkIndex,
    checks_planned: checksPlanned,
    alpha_spending: reader.oneOf('alpha-spending', ALPHA_SPENDINGS, base.options.alpha_spending),
    severity_thresholds: reader.has('severity-thresholds')
      ? parseSeverityThresholds(reader.raw('severity-thresholds'), base.options.severity_thresholds)
      : { ...base.options.severity_thresholds },
  };
  return {
    options,
    column: reader.optionalString('column') ?? base.column,
    window: {
      rangeMs: reader.has('range') ? reader.duration('range') : base.window.rangeMs,
      start: reader.optionalString('start') ?? base.window.start,
      end: reader.optionalString('end') ?? base.window.end,
    },
    stepSeconds: reader.has('step') ? positiveStep(reader.duration('step')) : base.stepSeconds,
  };
}

function positiveStep(ms: number): number {
  if (ms <= 0) throw new InputError('step', 'must be longer than 0s; use e.g. 15s or 1m.');
  return ms / 1000;
}

export function parseTests(text: string): TestName[] {
  const names = listItems(text);
  if (names.length === 0) throw new InputError('tests', `is empty; name at least one of ${TEST_NAMES.join(', ')}.`);
  const tests = names.map((name) => {
    const test = TEST_ALIASES[name.toLowerCase().replace(/[-\s]/g, '_').replace(/_+/g, '_')];
    if (!test) throw new InputError('tests', `unknown test '${name}'; use ${TEST_NAMES.join(' and/or ')}, separated by commas.`);
    return test;
  });
  return [...new Set(tests)];
}

/** `major-effect=0.5, critical-change=0.3` (or the same as a JSON/YAML mapping); unnamed thresholds keep `base`. */
export function parseSeverityThresholds(text: string, base: SeverityThresholds): SeverityThresholds {
  const pairs: [string, string][] = text.trim().startsWith('{')
    ? Object.entries(parseJsonObject(text)).map(([key, value]) => [key, String(value)])
    : listItems(text).map((item) => {
        const at = item.indexOf('=');
        if (at < 0) throw new InputError('severity-thresholds', `'${item}' is not key=value; write e.g. major-effect=0.5, critical-change=0.25.`);
        return [item.slice(0, at).trim(), item.slice(at + 1).trim()];
      });
  const thresholds = { ...base };
  for (const [key, value] of pairs) {
    const field = THRESHOLD_KEYS[key.replace(/_/g, '-')];
    if (!field) throw new InputError('severity-thresholds', `unknown threshold '${key}'; use ${Object.keys(THRESHOLD_KEYS).join(', ')}.`);
    const number = Number(value);
    if (value === '' || !Number.isFinite(number) || number < 0) throw new InputError('severity-thresholds', `${key} must be a number ≥ 0, got '${value}'.`);
    thresholds[field] = number;
  }
  if (thresholds.major_effect > thresholds.critical_effect || thresholds.major_change > thresholds.critical_change) {
    throw new InputError('severity-thresholds', 'each major threshold must be at most its critical one (major-effect ≤ critical-effect, major-change ≤ critical-change).');
  }
  return thresholds;
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the message below
  }
  throw new InputError('severity-thresholds', 'must be key=value pairs (major-effect=0.5, critical-change=0.25) or a mapping of them.');
}

/** A list written as `a, b`, one per line, or (from YAML/JSON) as a JSON array. */
function listItems(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const items: unknown = JSON.parse(trimmed);
      if (Array.isArray(items)) return items.map((item) => String(item).trim()).filter(Boolean);
    } catch {
      // not JSON: read it as a plain list below
    }
  }
  return trimmed
    .replace(/^\[|\]$/g, '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}
