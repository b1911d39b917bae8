// The regression decision for one metric: filter outliers, run the selected tests at the per-check alpha,
// gate on practical significance, grade severity, and describe everything in the report's shape.

import { alphaPerCheck } from './alpha.ts';
import { alternativeFor } from './alternative.ts';
import { moments, sortedCopy, summarizeSorted } from './descriptive.ts';
import { effectSize } from './effect-size.ts';
import { hodgesLehmann } from './hodges-lehmann.ts';
import { mannWhitneyTest, rankSums } from './mann-whitney.ts';
import { keptInOrder, outlierFilter } from './outliers.ts';
import { trendOf } from './trend.ts';
import type {
  AnalysisOptions,
  Direction,
  EffectSize,
  MannWhitneyResult,
  MetricAnalysis,
  SampleSummary,
  Severity,
  SeverityThresholds,
  Skipped,
  TestName,
  TTestResult,
} from './types.ts';
import { welchMeanDifferenceInterval, welchTTest } from './welch.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs, max, sign } = Math;
const isFiniteNumber = Number.isFinite;

/**
 * A regression is `critical` when |Hedges' g| ≥ 0.8 (Cohen's "large") or the location got ≥ 25 % worse,
 * `major` when |g| ≥ 0.5 ("medium") or ≥ 10 % worse, and `minor` otherwise. Whichever of the two criteria
 * is higher wins; when the relative change is undefined (baseline location 0) only the effect size counts.
 */
export const DEFAULT_SEVERITY_THRESHOLDS: SeverityThresholds = Object.freeze({
  major_effect: 0.5,
  critical_effect: 0.8,
  major_change: 0.1,
  critical_change: 0.25,
});

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = Object.freeze({
  direction: 'lower-is-better',
  tests: Object.freeze(['t_test', 'mann_whitney']) as TestName[],
  alpha: 0.05,
  confidence_level: 0.95,
  min_relative_change: 0.02,
  outliers: 'iqr',
  location: 'median',
  check_index: 1,
  checks_planned: 1,
  alpha_spending: 'bonferroni',
  severity_thresholds: DEFAULT_SEVERITY_THRESHOLDS,
}) as AnalysisOptions;

const KNOWN_TESTS: readonly TestName[] = ['t_test', 'mann_whitney'];
const MINIMUM_VALUES = 2;
// Squares of larger values overflow doubles, so variances (and every test built on them) would not be finite.
const MAX_MAGNITUDE = 1e150;

export function analyzeMetric(
  name: string,
  baseline: ArrayLike<number>,
  current: ArrayLike<number>,
  overrides: Partial<AnalysisOptions> = {},
): MetricAnalysis {
  const options: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, ...overrides };
  checkOptions(options);
  checkValues(name, 'baseline', baseline);
  checkValues(name, 'current', current);
  const alphaForCheck = alphaPerCheck(options.alpha, options.check_index, options.checks_planned, options.alpha_spending);
  const alternative = alternativeFor(options.direction);

  // Sort once; outlier fences, medians, ranks and the Hodges–Lehmann selection all read the sorted views.
  const baselineFilter = outlierFilter(sortedCopy(baseline), options.outliers);
  const currentFilter = outlierFilter(sortedCopy(current), options.outliers);
  const baselineKept = baselineFilter.keptSorted;
  const currentKept = currentFilter.keptSorted;
  const baselineMoments = moments(baselineKept);
  const currentMoments = moments(currentKept);
  const baselineSummary = summarizeSorted(baselineKept, baselineMoments, baselineFilter.removed);
  const currentSummary = summarizeSorted(currentKept, currentMoments, currentFilter.removed);

  const sums = rankSums(currentKept, baselineKept);
  const shortage = insufficientData(baselineSummary, currentSummary);
  const tests: MetricAnalysis['tests'] = {};
  for (const test of new Set(options.tests)) {
    if (shortage) tests[test] = { skipped: true, reason: shortage };
    else if (test === 't_test') tests.t_test = withSignificance(welchTTest(currentMoments, baselineMoments, alternative), alphaForCheck);
    else tests.mann_whitney = withSignificance(mannWhitneyTest(sums, alternative), alphaForCheck);
  }

  const effect = effectSize(currentMoments, baselineMoments);
  const relativeChange = {
    mean: relativeChangeOf(currentSummary.mean, baselineSummary.mean),
    median: relativeChangeOf(currentSummary.median, baselineSummary.median),
  };
  const analysis: MetricAnalysis = {
    metric_name: name,
    direction: options.direction,
    baseline: baselineSummary,
    current: currentSummary,
    tests,
    effect_size: effect,
    confidence_interval: {
      level: options.confidence_level,
      mean_difference: welchMeanDifferenceInterval(currentMoments, baselineMoments, options.confidence_level),
      hodges_lehmann: hodgesLehmann(currentKept, baselineKept, options.confidence_level, sums),
    },
    relative_change: relativeChange,
    trend: trendOf(keptInOrder(current, currentFilter), options.alpha),
    alpha: options.alpha,
    alpha_per_check: alphaForCheck,
    regression: false,
    severity: 'none',
    inconclusive: false,
    reason: '',
  };
  return decide(analysis, options, shortage);
}

function decide(analysis: MetricAnalysis, options: AnalysisOptions, shortage: string | null): MetricAnalysis {
  const selected = [...new Set(options.tests)];
  const results = selected.map((test) => [test, analysis.tests[test]!] as const);
  const skipped = results.filter(([, result]) => 'skipped' in result) as [TestName, Skipped][];
  const worseChange = worseRelativeChange(analysis, options);
  analysis.practically_significant = worseChange >= options.min_relative_change;
  if (shortage || skipped.length > 0) {
    analysis.inconclusive = true;
    analysis.decision_p_value = null;
    analysis.reason = shortage ?? skipped.map(([test, result]) => `${test} skipped: ${result.reason}`).join('; ');
    return analysis;
  }
  const pValues = results.map(([test, result]) => [test, (result as TTestResult | MannWhitneyResult).p_value] as const);
  const decisionP = max(...pValues.map(([, p]) => p));
  analysis.decision_p_value = decisionP;
  const statisticallySignificant = decisionP <= analysis.alpha_per_check;
  analysis.regression = statisticallySignificant && analysis.practically_significant;
  if (analysis.regression) analysis.severity = gradeSeverity(analysis.effect_size, worseChange, options.severity_thresholds);
  analysis.reason = explain(analysis, options, pValues, statisticallySignificant, worseChange);
  return analysis;
}

/** How much worse the chosen location got, as a fraction of the baseline's (±Infinity when the baseline is 0). */
function worseRelativeChange(analysis: MetricAnalysis, options: AnalysisOptions): number {
  const relative = analysis.relative_change[options.location];
  const shift = relative ?? sign(analysis.current[options.location] - analysis.baseline[options.location]) * Infinity;
  const worse = inWorseDirection(shift, options.direction);
  return Number.isNaN(worse) ? 0 : worse;
}

function inWorseDirection(change: number, direction: Direction): number {
  if (direction === 'lower-is-better') return change;
  if (direction === 'higher-is-better') return -change;
  return abs(change);
}

export function gradeSeverity(effect: EffectSize | Skipped, worseChange: number, thresholds: SeverityThresholds): Severity {
  const size = 'skipped' in effect ? 0 : abs(effect.hedges_g);
  const change = Number.isFinite(worseChange) ? worseChange : 0;
  if (size >= thresholds.critical_effect || change >= thresholds.critical_change) return 'critical';
  if (size >= thresholds.major_effect || change >= thresholds.major_change) return 'major';
  return 'minor';
}

function explain(
  analysis: MetricAnalysis,
  options: AnalysisOptions,
  pValues: readonly (readonly [TestName, number])[],
  statisticallySignificant: boolean,
  worseChange: number,
): string {
  const alphaText = `alpha ${formatP(analysis.alpha_per_check)}${analysis.alpha_per_check === analysis.alpha ? '' : ' for this check'}`;
  const testsText = pValues.map(([test, p]) => `${test} p=${formatP(p)}`).join(', ');
  const changeText = `${options.location} ${describeChange(analysis.relative_change[options.location])}`;
  const gate = `min-relative-change ${formatPercent(options.min_relative_change)}`;
  if (analysis.regression) return `regression (${analysis.severity}): ${testsText} ≤ ${alphaText}; ${changeText} ≥ ${gate}`;
  if (!statisticallySignificant) return `no regression: ${testsText}; not all ≤ ${alphaText}`;
  const worse = Number.isFinite(worseChange) ? formatPercent(worseChange) : 'none';
  return `no regression: significant (${testsText} ≤ ${alphaText}) but ${changeText} (worse by ${worse}) is below ${gate}`;
}

function describeChange(relative: number | null): string {
  if (relative === null) return 'changed from a baseline of 0 (relative change undefined)';
  return `${relative >= 0 ? '+' : ''}${formatPercent(relative)}`;
}

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}

function formatP(p: number): string {
  return p === 0 ? '0' : p < 1e-4 ? p.toExponential(2) : String(Number(p.toPrecision(3)));
}

function withSignificance<T extends { p_value: number }>(result: T | Skipped, alpha: number): (T & { significant: boolean }) | Skipped {
  if ('skipped' in result) return result;
  return { ...result, significant: result.p_value <= alpha };
}

/**
 * (current − baseline) / |baseline|: positive means current is larger. Null when the baseline is 0 (or so
 * close to it that the ratio overflows).
 */
export function relativeChangeOf(current: number, baseline: number): number | null {
  const ratio = (current - baseline) / abs(baseline);
  return isFiniteNumber(ratio) ? ratio : null;
}

function insufficientData(baseline: SampleSummary, current: SampleSummary): string | null {
  const short = [baseline.n < MINIMUM_VALUES ? `baseline has ${baseline.n}` : '', current.n < MINIMUM_VALUES ? `current has ${current.n}` : '']
    .filter(Boolean)
    .join(' and ');
  return short ? `insufficient data: ${short} value(s) after outlier removal; at least ${MINIMUM_VALUES} are needed` : null;
}

function checkOptions(options: AnalysisOptions): void {
  if (!(options.alpha > 0 && options.alpha < 1)) throw new RangeError(`alpha must be between 0 and 1 (exclusive), got ${options.alpha}`);
  if (!(options.confidence_level > 0 && options.confidence_level < 1)) {
    throw new RangeError(`confidence_level must be between 0 and 1 (exclusive), got ${options.confidence_level}`);
  }
  if (!(options.min_relative_change >= 0 && Number.isFinite(options.min_relative_change))) {
    throw new RangeError(`min_relative_change must be a finite number ≥ 0, got ${options.min_relative_change}`);
  }
  if (options.tests.length === 0) throw new RangeError(`tests must name at least one of ${KNOWN_TESTS.join(', ')}`);
  for (const test of options.tests) {
    if (!KNOWN_TESTS.includes(test)) throw new RangeError(`unknown test '${test}'; use ${KNOWN_TESTS.join(', ')}`);
  }
}

function checkValues(name: string, sample: 'baseline' | 'current', values: ArrayLike<number>): void {
  if (values.length === 0) throw new RangeError(`${name}: the ${sample} sample is empty`);
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (typeof value !== 'number' || !isFiniteNumber(value)) {
      throw new RangeError(`${name}: ${sample} value #${index + 1} is ${String(value)}; every value must be a finite number`);
    }
    if (abs(value) > MAX_MAGNITUDE) {
      throw new RangeError(`${name}: ${sample} value #${index + 1} is ${value}; values beyond ±1e150 are not supported (their squares overflow): rescale the metric`);
    }
  }
}
