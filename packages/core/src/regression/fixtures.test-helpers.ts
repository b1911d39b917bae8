// Hand-built inputs for the pure regression tests (no statistics run here: those are tested in stats/).
// The options are the statistics core's defaults, so these tests follow them if they change.
import { DEFAULT_ANALYSIS_OPTIONS } from '../stats/analyze.ts';
import type { AnalysisOptions, MetricAnalysis } from '../stats/types.ts';
import type { MetricSettings } from './settings.ts';
import type { MetricResult } from './result.ts';

export const OPTIONS: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS;

export const SETTINGS: MetricSettings = { options: OPTIONS, window: { rangeMs: 1_800_000 }, stepSeconds: 15 };

const summary = (median: number, n = 50) => ({ n, outliers_removed: 0, mean: median, median, std: 1, min: median - 2, max: median + 2 });

export function analysis(name: string, change: number, regression: boolean, severity: MetricAnalysis['severity'] = regression ? 'major' : 'none'): MetricAnalysis {
  return {
    metric_name: name,
    direction: 'lower-is-better',
    baseline: summary(100),
    current: summary(100 * (1 + change)),
    tests: {
      t_test: { statistic: 3.1, df: 97.5, p_value: regression ? 0.0012 : 0.4, significant: regression },
      mann_whitney: { statistic: 1700, p_value: regression ? 0.0021 : 0.45, method: 'asymptotic', significant: regression },
    },
    effect_size: { cohens_d: 0.62, hedges_g: 0.615, magnitude: 'medium' },
    confidence_interval: { level: 0.95, mean_difference: [1, 3], hodges_lehmann: { estimate: 2, interval: [1, 3] } },
    relative_change: { mean: change, median: change },
    trend: { mann_kendall_s: 10, p_value: 0.5, sen_slope: 0.01, direction: 'no trend' },
    alpha: 0.05,
    alpha_per_check: 0.05,
    regression,
    severity,
    inconclusive: false,
    reason: regression ? 'both tests significant and median up 12%' : 'tests not significant',
  };
}

export function result(name: string, change: number, regression: boolean, extra: Partial<MetricResult> = {}): MetricResult {
  return {
    name,
    critical: true,
    location: 'median',
    analysis: analysis(name, change, regression),
    sources: { baseline: 'inline', current: 'inline' },
    samples: { baseline: [1, 2, 3, 4, 5], current: [2, 3, 4, 5, 6] },
    notes: [],
    ...extra,
  };
}
