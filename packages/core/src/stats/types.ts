// The shapes the statistics core takes and returns. Field names are the report's (snake_case) so the JSON
// report is these objects as they are, with no mapping layer to drift.

export type Direction = 'lower-is-better' | 'higher-is-better' | 'two-sided';
export type TestName = 't_test' | 'mann_whitney';
export type OutlierMethod = 'iqr' | 'mad' | 'none';
export type Location = 'median' | 'mean';
export type AlphaSpending = 'bonferroni' | 'obrien-fleming' | 'none';
export type Severity = 'none' | 'minor' | 'major' | 'critical';
export type Magnitude = 'negligible' | 'small' | 'medium' | 'large';

/** Effect-size (|Hedges' g|) and relative-change thresholds that grade a regression; all configurable. */
export interface SeverityThresholds {
  /** |g| at or above this (or relative change at or above `major_change`) makes a regression major. */
  major_effect: number;
  critical_effect: number;
  major_change: number;
  critical_change: number;
}

export interface AnalysisOptions {
  direction: Direction;
  tests: TestName[];
  /** Family-wise alpha across all planned checks. */
  alpha: number;
  confidence_level: number;
  min_relative_change: number;
  outliers: OutlierMethod;
  location: Location;
  /** 1-based index of this look among `checks_planned` repeated looks at the same metric. */
  check_index: number;
  checks_planned: number;
  alpha_spending: AlphaSpending;
  severity_thresholds: SeverityThresholds;
}

export interface SampleSummary {
  n: number;
  outliers_removed: number;
  mean: number;
  median: number;
  std: number;
  min: number;
  max: number;
}

/** A test or figure that could not be computed for this data, with the reason (never NaN). */
export interface Skipped {
  skipped: true;
  reason: string;
}

export interface TTestResult {
  statistic: number;
  df: number;
  p_value: number;
  significant: boolean;
}

export interface MannWhitneyResult {
  statistic: number;
  p_value: number;
  method: 'exact' | 'asymptotic';
  significant: boolean;
}

export interface EffectSize {
  cohens_d: number;
  hedges_g: number;
  magnitude: Magnitude;
}

export interface ConfidenceIntervals {
  level: number;
  mean_difference: [number, number] | Skipped;
  hodges_lehmann: { estimate: number; interval: [number, number] };
}

export interface TrendResult {
  mann_kendall_s: number;
  p_value: number;
  sen_slope: number;
  direction: 'increasing' | 'decreasing' | 'no trend';
  /** Set when the series was reduced to bucket medians first. */
  reduced_to?: number;
}

export interface MetricAnalysis {
  metric_name: string;
  direction: Direction;
  baseline: SampleSummary;
  current: SampleSummary;
  tests: { t_test?: TTestResult | Skipped; mann_whitney?: MannWhitneyResult | Skipped };
  effect_size: EffectSize | Skipped;
  confidence_interval: ConfidenceIntervals;
  relative_change: { mean: number | null; median: number | null };
  trend: TrendResult | Skipped;
  alpha: number;
  alpha_per_check: number;
  regression: boolean;
  severity: Severity;
  inconclusive: boolean;
  reason: string;
  /**
   * The largest p-value of the selected tests: "every selected test is significant" is the intersection-union
   * test whose p-value is that maximum (null when inconclusive). Holm's correction across metrics ranks these.
   */
  decision_p_value?: number | null;
  /** Whether the location moved in the worse direction by at least `min_relative_change`. */
  practically_significant?: boolean;
  /** Set by the across-metrics correction: the level `decision_p_value` was finally compared with. */
  alpha_adjusted?: number;
}
