// The job-summary markdown: verdict, one table row per metric, a distribution picture per metric, notes. Pure.
import { fenced, formatNumber, formatPercent, table } from '../action/index.ts';
import type { MetricAnalysis } from '../stats/types.ts';
import { distributionChart } from './chart.ts';
import { pValues } from './annotations.ts';
import { isNoData, type MetricResult } from './result.ts';
import type { MetricsCorrection } from './settings.ts';
import { verdictLine, type Verdict } from './verdict.ts';

/** Mermaid charts are heavy to render; beyond this many metrics the rest are listed in the table only. */
export const MAX_CHARTS = 10;

export interface SummaryContext {
  metricsCorrection: MetricsCorrection;
  /** A sentence about annotations GitHub would not show (from omittedAnnotationsNote), or ''. */
  annotationsNote?: string;
}

export function buildSummary(results: readonly MetricResult[], verdict: Verdict, context: SummaryContext): string {
  const sections = [`## regression-check\n\n**${verdictLine(verdict, results.length)}**`];
  sections.push(
    table(
      ['Metric', 'Result', 'Baseline', 'Current', 'Change', 'Shift (Hodges–Lehmann, CI)', 'p-values', "Effect (Hedges' g)", 'Severity'],
      results.map((result) => metricRow(result)),
    ),
  );
  sections.push(alphaLine(results, context.metricsCorrection));
  const charted = results.filter((result) => result.samples);
  for (const result of charted.slice(0, MAX_CHARTS)) {
    sections.push(`### ${result.name}\n\n${fenced(distributionChart(result.name, result.samples!.baseline, result.samples!.current), 'mermaid')}`);
  }
  if (charted.length > MAX_CHARTS) sections.push(`Distribution pictures are shown for the first ${MAX_CHARTS} metrics; the report holds all ${charted.length}.`);
  const notes = results.flatMap((result) => metricNotes(result));
  if (context.annotationsNote) notes.push(context.annotationsNote);
  if (notes.length > 0) sections.push(`**Notes**\n\n${notes.map((note) => `- ${note}`).join('\n')}`);
  return `${sections.join('\n\n')}\n`;
}

function metricRow(result: MetricResult): string[] {
  const analysis = result.analysis;
  const name = `${result.name}${result.critical ? '' : ' (non-critical)'}`;
  if (isNoData(analysis)) return [name, '❔ no data', '–', '–', '–', '–', '–', '–', '–'];
  const location = result.location;
  const outcome = analysis.regression ? (result.critical ? '❌ regression' : '⚠️ regression') : analysis.inconclusive ? '❔ inconclusive' : '✅ ok';
  const describe = (side: MetricAnalysis['baseline']) => `${location} ${formatNumber(side[location])} (n=${side.n})`;
  const change = analysis.relative_change[location];
  const { estimate, interval } = analysis.confidence_interval.hodges_lehmann;
  const shift = `${estimate > 0 ? '+' : ''}${formatNumber(estimate)} [${formatNumber(interval[0])}, ${formatNumber(interval[1])}]`;
  const effect = 'skipped' in analysis.effect_size ? 'skipped' : `${formatNumber(analysis.effect_size.hedges_g, 3)} (${analysis.effect_size.magnitude})`;
  return [
    name,
    outcome,
    describe(analysis.baseline),
    describe(analysis.current),
    change === null ? '–' : `${change > 0 ? '+' : ''}${formatPercent(change)}`,
    shift,
    pValues(result),
    effect,
    analysis.regression ? analysis.severity : '–',
  ];
}

function alphaLine(results: readonly MetricResult[], correction: MetricsCorrection): string {
  const first = results.find((result) => !isNoData(result.analysis))?.analysis as MetricAnalysis | undefined;
  if (!first) return 'No metric had data to test.';
  const parts = [`Family-wise alpha ${formatNumber(first.alpha)}, per check ${formatNumber(first.alpha_per_check)}`];
  if (results.length > 1) parts.push(correction === 'holm' ? `Holm-corrected across ${results.length} metrics` : 'no correction across metrics');
  return `${parts.join('; ')}.`;
}

function metricNotes(result: MetricResult): string[] {
  const analysis = result.analysis;
  if (isNoData(analysis)) return [`\`${result.name}\`: ${analysis.reason}.`];
  const notes = result.notes.map((note) => `\`${result.name}\`: ${note}`);
  const removed = [analysis.baseline.outliers_removed, analysis.current.outliers_removed];
  if (removed[0] + removed[1] > 0) notes.push(`\`${result.name}\`: outlier filter removed ${removed[0]} baseline and ${removed[1]} current value(s).`);
  if (!('skipped' in analysis.trend) && analysis.trend.reduced_to) {
    notes.push(`\`${result.name}\`: trend computed on ${analysis.trend.reduced_to} bucket medians of the current series.`);
  }
  if (!('skipped' in analysis.trend) && analysis.trend.direction !== 'no trend') {
    notes.push(`\`${result.name}\`: the current series is ${analysis.trend.direction} (Mann-Kendall p=${formatNumber(analysis.trend.p_value, 3)}, Sen's slope ${formatNumber(analysis.trend.sen_slope, 3)} per point).`);
  }
  if (analysis.reason && !analysis.regression) notes.push(`\`${result.name}\`: ${analysis.reason}`);
  return notes;
}
