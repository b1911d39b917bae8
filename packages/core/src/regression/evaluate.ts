// Runs the statistics on each collected metric, corrects across metrics, and keeps what the summary needs.
import { analyzeMetric, holmCorrection } from '../stats/index.ts';
import type { MetricAnalysis } from '../stats/types.ts';
import type { CollectedMetric } from './collect.ts';
import type { MetricPlan } from './plan.ts';
import { isNoData, type MetricResult, type NoDataAnalysis } from './result.ts';
import type { MetricsCorrection } from './settings.ts';

export function evaluateMetrics(collected: readonly CollectedMetric[], correction: MetricsCorrection): MetricResult[] {
  const results = collected.map(evaluateOne);
  if (correction === 'holm') {
    const analyzed = results.filter((result) => !isNoData(result.analysis));
    if (analyzed.length > 1) {
      const corrected = holmCorrection(analyzed.map((result) => result.analysis as MetricAnalysis));
      analyzed.forEach((result, i) => (result.analysis = corrected[i]));
    }
  }
  return results;
}

function evaluateOne({ plan, baseline, current }: CollectedMetric): MetricResult {
  const common = {
    name: plan.name,
    critical: plan.critical,
    location: plan.options.location,
    definedAt: plan.definedAt,
    sources: { baseline: baseline.origin, current: current.origin },
  };
  if (baseline.values === null || current.values === null) {
    const reasons = [baseline, current].flatMap((side) => (side.values === null ? [side.noDataReason] : []));
    return { ...common, analysis: noDataAnalysis(plan, reasons.join('; ')), notes: [] };
  }
  const notes: string[] = [];
  for (const [side, sample] of [['baseline', baseline], ['current', current]] as const) {
    if (sample.nonFiniteDropped > 0) notes.push(`${sample.nonFiniteDropped} NaN/Inf point(s) from the ${side} query were left out.`);
  }
  const analysis = analyzeMetric(plan.name, baseline.values, current.values, plan.options);
  return { ...common, analysis, samples: { baseline: baseline.values, current: current.values }, notes };
}

function noDataAnalysis(plan: MetricPlan, reason: string): NoDataAnalysis {
  return {
    metric_name: plan.name,
    direction: plan.options.direction,
    baseline: null,
    current: null,
    tests: {},
    effect_size: null,
    confidence_interval: null,
    relative_change: { mean: null, median: null },
    trend: null,
    alpha: plan.options.alpha,
    alpha_per_check: null,
    regression: false,
    severity: 'none',
    inconclusive: true,
    reason,
  };
}
