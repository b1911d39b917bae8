import { describe, expect, test } from '@jest/globals';
import { alphaPerCheck, holmStepDown, obrienFlemingSpent } from './alpha.ts';
import { analyzeMetric } from './analyze.ts';
import { holmCorrection } from './metrics-correction.ts';
import { expectRelativelyClose, seededNormal } from './test-support.ts';
import type { AlphaSpending, AnalysisOptions, MetricAnalysis } from './types.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { sqrt } = Math;

describe('alpha per check', () => {
  test('bonferroni splits alpha evenly; none repeats it', () => {
    expect(alphaPerCheck(0.05, 3, 4, 'bonferroni')).toBe(0.0125);
    expect(alphaPerCheck(0.05, 3, 4, 'none')).toBe(0.05);
    expect(alphaPerCheck(0.05, 1, 1, 'bonferroni')).toBe(0.05);
  });

  test("obrien-fleming: increments of Lan–DeMets' α(t) = 2 − 2Φ(z_{1−α/2}/√t) (scipy reference values)", () => {
    const expected = [8.857543832140365e-5, 0.005486021242462998, 0.01805052463681674, 0.026374878682398812];
    expected.forEach((increment, index) => expectRelativelyClose(alphaPerCheck(0.05, index + 1, 4, 'obrien-fleming'), increment, 1e-10));
    expectRelativelyClose(obrienFlemingSpent(0.05, 0.5), 0.005574596680784402, 1e-10);
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((sum, k) => sum + alphaPerCheck(0.05, k, 7, 'obrien-fleming'), 0);
    expectRelativelyClose(total, 0.05, 1e-13);
    expect(alphaPerCheck(0.05, 1, 1, 'obrien-fleming')).toBe(0.05);
  });

  test.each([
    [0, 1, 1, 'alpha must be between 0 and 1'],
    [0.05, 0, 3, 'check index'],
    [0.05, 4, 3, 'check index'],
    [0.05, 1, 0, 'checks planned'],
    [0.05, 1, 2.5, 'checks planned'],
  ] as const)('rejects alpha=%p check %p of %p', (alpha, index, planned, message) => {
    expect(() => alphaPerCheck(alpha, index, planned, 'bonferroni')).toThrow(message);
  });
});

describe("Holm's step-down", () => {
  test('textbook example: rejects in p order until the first failure', () => {
    const decisions = holmStepDown([0.01, 0.04, 0.03, 0.005], 0.05);
    // Sorted: 0.005 ≤ 0.0125 ✓, 0.01 ≤ 0.0167 ✓, 0.03 > 0.025 ✗ → stop; 0.04 not rejected.
    expect(decisions.map((decision) => decision.rejected)).toEqual([true, false, false, true]);
    expect(decisions.map((decision) => decision.threshold)).toEqual([0.05 / 3, 0.05 / 1, 0.05 / 2, 0.05 / 4]);
  });

  test('null p-values count towards m and are never rejected; per-hypothesis alphas rank by p/alpha', () => {
    expect(holmStepDown([0.001, null], 0.05).map((decision) => decision.rejected)).toEqual([true, false]);
    expect(holmStepDown([0.001, null], 0.05)[0].threshold).toBe(0.025);
    const mixed = holmStepDown([0.004, 0.006], [0.01, 0.05]);
    // p/alpha: 0.4 and 0.12 → the second goes first at 0.05/2, then the first at 0.01/1.
    expect(mixed).toEqual([
      { rejected: true, threshold: 0.01 },
      { rejected: true, threshold: 0.025 },
    ]);
  });
});

// A/A simulations: every comparison draws both samples from the same normal distribution, so any flagged
// regression is a false alarm. With R = 600 runs the observed rate has standard error √(α(1−α)/R) ≈ 0.009;
// we allow α + 2.33 SE ≈ 0.071, the one-sided 99 % binomial bound: a procedure whose true family-wise rate
// were exactly α would exceed it for only 1 % of seeds, while the uncorrected baselines below (≈ 0.12 for four
// looks, ≈ 0.23 for five metrics) land well above it, so the check has the power to see a missing correction.
// (600 runs × 4 looks × 3 procedures plus 600 × 5 metrics is ~10,000 comparisons, a few seconds.)
const ALPHA = 0.05;
const RUNS = 600;
const MARGIN = 2.33 * sqrt((ALPHA * (1 - ALPHA)) / RUNS);

function falseAlarmRate(spending: AlphaSpending, tests: AnalysisOptions['tests'], seed: number): number {
  const normal = seededNormal(seed);
  const looks = 4;
  const perLook = 8;
  let alarms = 0;
  for (let run = 0; run < RUNS; run++) {
    // Data accumulate over the rollout: look k sees the first k·8 values of each arm.
    const baseline = Array.from({ length: looks * perLook }, () => 100 + 10 * normal());
    const current = Array.from({ length: looks * perLook }, () => 100 + 10 * normal());
    for (let look = 1; look <= looks; look++) {
      const analysis = analyzeMetric('latency', baseline.slice(0, look * perLook), current.slice(0, look * perLook), {
        tests,
        alpha: ALPHA,
        alpha_spending: spending,
        check_index: look,
        checks_planned: looks,
        min_relative_change: 0,
        outliers: 'none',
      });
      if (analysis.regression) {
        alarms++;
        break;
      }
    }
  }
  return alarms / RUNS;
}

describe('family-wise false-alarm rate by simulation (seeded A/A)', () => {
  test('repeated looks: bonferroni and obrien-fleming stay at or below alpha; none does not', () => {
    const rates = {
      bonferroni: falseAlarmRate('bonferroni', ['t_test', 'mann_whitney'], 1),
      obrienFleming: falseAlarmRate('obrien-fleming', ['t_test'], 2),
      none: falseAlarmRate('none', ['t_test'], 4),
    };
    expect(rates.bonferroni).toBeLessThanOrEqual(ALPHA + MARGIN);
    expect(rates.obrienFleming).toBeLessThanOrEqual(ALPHA + MARGIN);
    // Four uncorrected looks at accumulating data inflate the rate to roughly 2α: the simulation can see it.
    expect(rates.none).toBeGreaterThan(ALPHA + MARGIN);
    console.log(`A/A false-alarm rates over 4 looks (alpha ${ALPHA}, bound ${(ALPHA + MARGIN).toFixed(3)}):`, rates);
  });

  test("several metrics in one run: Holm keeps the family-wise rate at or below alpha; no correction does not", () => {
    // More runs here (each is cheap): theory puts Holm at 1 - 0.99^5 ≈ 0.049 here, and 8,000 runs resolve that to ±0.005.
    const runs = 8000;
    const margin = 2.33 * sqrt((ALPHA * (1 - ALPHA)) / runs);
    const normal = seededNormal(5);
    const metrics = 5;
    let alarmsHolm = 0;
    let alarmsUncorrected = 0;
    for (let run = 0; run < runs; run++) {
      const analyses: MetricAnalysis[] = [];
      for (let metric = 0; metric < metrics; metric++) {
        const baseline = Array.from({ length: 20 }, () => 50 + 5 * normal());
        const current = Array.from({ length: 20 }, () => 50 + 5 * normal());
        analyses.push(analyzeMetric(`m${metric}`, baseline, current, { tests: ['t_test'], alpha: ALPHA, min_relative_change: 0, outliers: 'none' }));
      }
      if (analyses.some((analysis) => analysis.regression)) alarmsUncorrected++;
      if (holmCorrection(analyses).some((analysis) => analysis.regression)) alarmsHolm++;
    }
    expect(alarmsHolm / runs).toBeLessThanOrEqual(ALPHA + margin);
    expect(alarmsUncorrected / runs).toBeGreaterThan(ALPHA + margin);
    console.log(`A/A family-wise rates over ${metrics} metrics (${runs} runs): holm ${alarmsHolm / runs}, uncorrected ${alarmsUncorrected / runs}`);
  });
});
