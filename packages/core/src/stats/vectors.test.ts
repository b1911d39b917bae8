// The 70 reference cases computed with scipy 1.10.1 / numpy 1.24.2 (../shared/testdata/stats-vectors.json,
// beside the repository; MODEL_CICD_STATS_VECTORS overrides the path). Under CI=true a missing file fails.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { analyzeMetric } from './analyze.ts';
import { allNumbers, expectRelativelyClose } from './test-support.ts';
import type { Direction, MetricAnalysis, Skipped } from './types.ts';


interface VectorCase {
  name: string;
  direction: Direction;
  baseline: number[];
  current: number[];
  expected: Record<ExpectedField, number | null>;
}

type ExpectedField =
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

const vectorsPath =
  process.env.MODEL_CICD_STATS_VECTORS ?? fileURLToPath(new URL('../../../../../shared/testdata/stats-vectors.json', import.meta.url));
const available = existsSync(vectorsPath);
const cases: VectorCase[] = available ? (JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: VectorCase[] }).cases : [];

const RELATIVE_TOLERANCE = 1e-9;

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

describe('scipy reference vectors', () => {
  test('the reference file is present (required under CI=true)', () => {
    if (!available && process.env.CI === 'true') {
      throw new Error(`stats reference vectors not found at ${vectorsPath}; set MODEL_CICD_STATS_VECTORS or check out ../shared`);
    }
    if (available) expect(cases).toHaveLength(70);
  });

  const runnable = available ? test.each(cases.map((entry) => [entry.name, entry] as const)) : test.skip.each([['(reference file missing)', null]]);
  runnable('%s matches scipy within 1e-9 relative', (_name, entry) => {
    const vector = entry as VectorCase;
    const analysis = analyzeMetric(vector.name, vector.baseline, vector.current, {
      direction: vector.direction,
      outliers: 'none',
      tests: ['t_test', 'mann_whitney'],
    });
    for (const [field, expected] of Object.entries(vector.expected) as [ExpectedField, number | null][]) {
      const actual = figure(analysis, field);
      if (expected === null) {
        expect(actual).toEqual({ skipped: true, reason: expect.any(String) });
        continue;
      }
      if (typeof actual !== 'number') throw new Error(`${vector.name}.${field}: expected ${expected}, got skipped (${actual.reason})`);
      if (EXACT_FIELDS.has(field)) expect([field, actual]).toEqual([field, expected]);
      else if (expected !== 0 && Math.abs(expected) < 1e-300) expect(actual).toBeLessThan(1e-290);
      else expectRelativelyClose(actual, expected, RELATIVE_TOLERANCE, `${vector.name}.${field}`);
    }
    for (const [path, value] of allNumbers(analysis)) expect([path, Number.isFinite(value)]).toEqual([path, true]);
  });
});
