// What one metric's evaluation yields: the analysis (or an inconclusive no-data entry) plus what the summary needs.
import type { Direction, Location, MetricAnalysis, SampleSummary } from '../stats/types.ts';
import type { MetricPlan } from './plan.ts';

/** The report entry of a metric that had no data on a side: inconclusive, with every statistic absent. */
export interface NoDataAnalysis {
  metric_name: string;
  direction: Direction;
  baseline: SampleSummary | null;
  current: SampleSummary | null;
  tests: Record<string, never>;
  effect_size: null;
  confidence_interval: null;
  relative_change: { mean: null; median: null };
  trend: null;
  alpha: number;
  alpha_per_check: null;
  regression: false;
  severity: 'none';
  inconclusive: true;
  reason: string;
}

export interface MetricResult {
  name: string;
  critical: boolean;
  /** The statistic the decision compares (median or mean). */
  location: Location;
  definedAt?: MetricPlan['definedAt'];
  analysis: MetricAnalysis | NoDataAnalysis;
  /** 'inline', a file path, or the PromQL query, per side. */
  sources: { baseline: string; current: string };
  /** The raw samples, for the distribution picture (not copied into the report). */
  samples?: { baseline: number[]; current: number[] };
  notes: string[];
}

export const isNoData = (analysis: MetricAnalysis | NoDataAnalysis): analysis is NoDataAnalysis => analysis.confidence_interval === null;
