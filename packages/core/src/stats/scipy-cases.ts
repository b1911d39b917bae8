// Comparing an analysis with the figures scipy/numpy computed for the same two samples (shared by the
// reference-vector tests).

import { expect } from '@jest/globals';
import { analyzeMetric } from './analyze.ts';
import { allNumbers, expectRelativelyClose } from './test-support.ts';
import type { Direction, MetricAnalysis, Skipped } from './types.ts';

export interface VectorCase {
  name: string;
  direction: Direction;
  baseline: number[];
  current: number[];
  expected: Partial<Record<ExpectedField, number | null>>;
}

export type ExpectedField =
  | 't_statistic'
  | 't_p'
  | 'u'
  | 'u_p'
  | 'cohens_d'
  | 'hodges_lehmann'
  | 'trend_p'
  | 'sen_slope'
  | 'mean_b'
  | 'mean_c'
  | 'median_b'
  | 'median_c';

export const RELATIVE_TOLERANCE = 1e-9;

function notSkipped<T extends object>(value: T | Skipped | undefined, what: string): T {
  if (value === undefined || 'skipped' in value) throw new Error(`${what} was skipped: ${value && 'reason' in value ? value.reason : 'absent'}`);
  return value;
}

/** The analysis figure for each reference field, or the Skipped that stands for it. */
function figure(analysis: MetricAnalysis, field: ExpectedField): number | Skipped {
  const { t_test: tTest, mann_whitney: mannWhitney } = analysis.tests;
  const trend = analysis.trend;
  const effect = analysis.effect_size;
  switch (field) {
    case 't_statistic':
      return tTest && 'skipped' in tTest ? tTest : notSkipped(tTest, 't_test').statistic;
    case 't_p':
      return tTest && 'skipped' in tTest ? tTest : notSkipped(tTest, 't_test').p_value;
    case 'u':
      return notSkipped(mannWhitney, 'mann_whitney').statistic;
    case 'u_p':
      return notSkipped(mannWhitney, 'mann_whitney').p_value;
    case 'cohens_d':
      return 'skipped' in effect ? effect : effect.cohens_d;
    case 'hodges_lehmann':
      return analysis.confidence_interval.hodges_lehmann.estimate;
    case 'trend_p':
      return 'skipped' in trend ? trend : trend.p_value;
    case 'sen_slope':
      return 'skipped' in trend ? trend : trend.sen_slope;
    case 'mean_b':
      return analysis.baseline.mean;
    case 'mean_c':
      return analysis.current.mean;
    case 'median_b':
      return analysis.baseline.median;
    case 'median_c':
      return analysis.current.median;
  }
}

// Order statistics are computed by the same IEEE operations numpy performs, so they must agree bit for bit.
const EXACT_FIELDS = new Set<ExpectedField>(['u', 'hodges_lehmann', 'sen_slope', 'median_b', 'median_c']);

/** Analyzes the case as the reference did (no outlier filtering) and checks every expected figure. */
export function expectMatchesScipy(vector: VectorCase): void {
  const analysis = analyzeMetric(vector.name, vector.baseline, vector.current, {
    direction: vector.direction,
    outliers: 'none',
    tests: ['t_test', 'mann_whitney'],
  });
  for (const [field, expected] of Object.entries(vector.expected) as [ExpectedField, number | null][]) {
    const actual = figure(analysis, field);
    if (expected === null) {
      expect([field, actual]).toEqual([field, { skipped: true, reason: expect.any(String) }]);
      continue;
    }
    if (typeof actual !== 'number') throw new Error(`${vector.name}.${field}: expected ${expected}, got skipped (${actual.reason})`);
    // numpy may order −0 and 0 either way, so a zero's sign is not compared (=== treats them as equal).
    if (EXACT_FIELDS.has(field)) expect([field, actual === expected ? expected : actual]).toEqual([field, expected]);
    else if (expected !== 0 && Math.abs(expected) < 1e-300) expect(actual).toBeLessThan(1e-290);
    else expectRelativelyClose(actual, expected, RELATIVE_TOLERANCE, `${vector.name}.${field}`);
  }
  for (const [path, value] of allNumbers(analysis)) expect([path, Number.isFinite(value)]).toEqual([path, true]);
}
