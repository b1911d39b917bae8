// The whole regression judgement for a set of planned metrics, as one call: collect the samples, run the
// statistics, decide, and build the report, annotations and summary. Emitting them is the caller's job
// (regression-check writes them as its own outputs; gradual-rollout folds them into a rollout step).
import type { Annotation } from '../action/index.ts';
import { buildAnnotations } from './annotations.ts';
import { collectMetrics, type CollectContext } from './collect.ts';
import { evaluateMetrics } from './evaluate.ts';
import type { MetricPlan } from './plan.ts';
import { buildReport, type RegressionReport } from './report.ts';
import type { MetricResult } from './result.ts';
import type { MetricsCorrection } from './settings.ts';
import { buildSummary } from './summary.ts';
import { decideVerdict, type Verdict } from './verdict.ts';

export interface JudgePolicy {
  metricsCorrection: MetricsCorrection;
  failOnRegression: boolean;
}

export interface Judgement {
  results: MetricResult[];
  verdict: Verdict;
  report: RegressionReport;
  /** Most important first; pass them to emitAnnotations. */
  annotations: Annotation[];
  /** Summary markdown; `annotationsNote` is the sentence from omittedAnnotationsNote, if any. */
  summary: (annotationsNote?: string) => string;
}

export async function judgeMetrics(plans: readonly MetricPlan[], context: CollectContext, policy: JudgePolicy): Promise<Judgement> {
  const results = evaluateMetrics(await collectMetrics(plans, context), policy.metricsCorrection);
  const verdict = decideVerdict(results, policy.failOnRegression);
  return {
    results,
    verdict,
    report: buildReport(results, verdict, policy),
    annotations: buildAnnotations(results),
    summary: (annotationsNote) => buildSummary(results, verdict, { metricsCorrection: policy.metricsCorrection, annotationsNote }),
  };
}
