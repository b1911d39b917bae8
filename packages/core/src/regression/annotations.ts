// Annotations: an error per critical regression, a warning per other regression and per metric that could not
// be judged (no data, or e.g. both samples constant);
// on the metric's line in the metrics-config file when it was defined there.
import type { Annotation } from '../action/index.ts';
import { formatNumber, formatPercent } from '../action/index.ts';
import { isNoData, type MetricResult } from './result.ts';

export function buildAnnotations(results: readonly MetricResult[]): Annotation[] {
  const annotations: Annotation[] = [];
  for (const result of results) {
    const place = result.definedAt ? { file: result.definedAt.file, line: result.definedAt.line } : {};
    const analysis = result.analysis;
    if (analysis.regression && !isNoData(analysis)) {
      const location = result.location;
      const change = analysis.relative_change[location];
      annotations.push({
        severity: result.critical ? 'error' : 'warning',
        title: `${result.critical ? 'Regression' : 'Non-critical regression'} (${analysis.severity}): ${result.name}`,
        message: `${result.name} got worse: ${location} ${formatNumber(analysis.baseline[location])} → ${formatNumber(analysis.current[location])} (${signed(change)}); ${analysis.reason}`,
        ...place,
      });
    } else if (isNoData(analysis)) {
      annotations.push({ severity: 'warning', title: `No data: ${result.name}`, message: `${result.name} is inconclusive: ${analysis.reason}.`, ...place });
    } else if (analysis.inconclusive) {
      annotations.push({ severity: 'warning', title: `Inconclusive: ${result.name}`, message: `${result.name} could not be judged: ${analysis.reason}`, ...place });
    }
  }
  // Errors first: GitHub caps each kind separately, and errors matter most.
  return [...annotations.filter((a) => a.severity === 'error'), ...annotations.filter((a) => a.severity !== 'error')];
}

const signed = (fraction: number | null): string => (fraction === null ? 'no change computable' : `${fraction > 0 ? '+' : ''}${formatPercent(fraction)}`);

export function pValues(result: MetricResult): string {
  const tests = result.analysis.tests as Record<string, { p_value?: number; skipped?: boolean } | undefined>;
  const parts = Object.entries(tests).map(([name, test]) =>
    test?.skipped ? `${name} skipped` : `p=${formatNumber(test?.p_value ?? null, 3)} (${name === 't_test' ? 't-test' : 'Mann-Whitney'})`,
  );
  return parts.length ? parts.join(', ') : 'no tests';
}
