// Holm's correction across the metrics judged in one run, applied on top of each metric's per-check alpha.

import { holmStepDown } from './alpha.ts';
import type { MetricAnalysis } from './types.ts';

/**
 * Re-decides each metric with Holm's step-down over the metrics' decision p-values (each metric's own
 * per-check alpha as its level; inconclusive metrics count towards the family but are never rejected).
 * Holm's levels never exceed the per-check alpha, so the correction can only withdraw regressions; their
 * severity becomes 'none' and the reason says why. Per-test `significant` flags keep the per-check alpha.
 */
export function holmCorrection(analyses: readonly MetricAnalysis[]): MetricAnalysis[] {
  const decisions = holmStepDown(
    analyses.map((analysis) => (analysis.inconclusive ? null : (analysis.decision_p_value ?? null))),
    analyses.map((analysis) => analysis.alpha_per_check),
  );
  return analyses.map((analysis, index) => {
    const { rejected, threshold } = decisions[index];
    const corrected: MetricAnalysis = { ...analysis, alpha_adjusted: threshold };
    if (analysis.regression && !rejected) {
      corrected.regression = false;
      corrected.severity = 'none';
      corrected.reason =
        `no regression after Holm's correction across ${analyses.length} metrics: decision p=${analysis.decision_p_value} ` +
        `does not pass the step-down at its level ${threshold} (was: ${analysis.reason})`;
    }
    return corrected;
  });
}
