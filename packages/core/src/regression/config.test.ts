import { describe, expect, test } from '@jest/globals';
import { parseMetricsConfig } from './config.ts';
import { planFromConfig } from './plan.ts';
import { SETTINGS } from './fixtures.test-helpers.ts';

const YAML = `# canary judgement for the checkout service
alpha: 0.01
direction: lower-is-better
metrics-correction: holm

metrics:
  - name: latency_p95
    baseline: data/baseline.txt
    current: data/current.txt
    critical: true

  - name: engagement
    direction: higher-is-better
    tests: [mann_whitney]
    baseline: [0.31, 0.29, 0.33]
    current: [0.30, 0.28, 0.27]
    critical: false
  - name: error_rate
    query: 'sum(rate(errors_total{track="{{track}}"}[5m]))'
`;

describe('parseMetricsConfig', () => {
  test('keeps defaults, entries and each entry line', () => {
    const config = parseMetricsConfig(YAML, '.github/canary.yml');
    expect(config.defaults).toEqual({ alpha: 0.01, direction: 'lower-is-better', 'metrics-correction': 'holm' });
    expect(config.defaultLines).toEqual({ alpha: 2, direction: 3, 'metrics-correction': 4 });
    expect(config.metrics.map((m) => [m.name, m.line])).toEqual([
      ['latency_p95', 7],
      ['engagement', 12],
      ['error_rate', 18],
    ]);
    expect(config.metrics[1].fields.tests).toEqual(['mann_whitney']);
  });
  test('JSON works too', () => {
    const config = parseMetricsConfig('{\n  "alpha": 0.02,\n  "metrics": [\n    {"name": "a", "baseline": [1, 2], "current": [3, 4]}\n  ]\n}', 'm.json');
    expect(config.metrics[0]).toMatchObject({ name: 'a', line: 4 });
  });
  test.each([
    ['metrics:\n  - name: a\n    critcal: true\n', "m.yml line 3: unknown key in a metrics entry 'critcal'"],
    ['min_relative_change: 0.1\nmetrics:\n  - name: a\n', "m.yml line 1: unknown top-level key 'min_relative_change'; write it as 'min-relative-change'"],
    ['alpha: 0.05\n', 'needs a non-empty `metrics:` list'],
    ['metrics:\n  - baseline: [1]\n', 'm.yml line 2: metrics entry 1 needs a `name`'],
    ['metrics:\n  - name: a\n  - name: a\n', "m.yml line 3: metric 'a' is defined twice (also on line 2)"],
    ['metrics: [\n', 'm.yml line'],
    ['- 1\n- 2\n', 'must be a mapping'],
  ])('%p is refused with file and line', (text, message) => {
    expect(() => parseMetricsConfig(text, 'm.yml')).toThrow(`Input 'metrics-config': `);
    expect(() => parseMetricsConfig(text, 'm.yml')).toThrow(message);
  });
});

describe('planFromConfig', () => {
  test('entry > top level > action settings; paths start at the config folder', () => {
    const { plans, metricsCorrection } = planFromConfig(parseMetricsConfig(YAML, '.github/canary.yml'), SETTINGS, '/repo/.github/canary.yml');
    expect(metricsCorrection).toBe('holm');
    expect(plans[0]).toMatchObject({
      name: 'latency_p95',
      critical: true,
      definedAt: { file: '.github/canary.yml', line: 7 },
      options: { alpha: 0.01, direction: 'lower-is-better', tests: ['t_test', 'mann_whitney'] },
      baseline: { kind: 'data', spec: 'data/baseline.txt', baseDirectory: '/repo/.github' },
    });
    expect(plans[1]).toMatchObject({ critical: false, options: { alpha: 0.01, direction: 'higher-is-better', tests: ['mann_whitney'] } });
    expect(plans[1].baseline).toMatchObject({ kind: 'data', spec: '[0.31,0.29,0.33]' });
    expect(plans[2].current).toEqual({ kind: 'query', query: 'sum(rate(errors_total{track="{{track}}"}[5m]))', window: SETTINGS.window, stepSeconds: 15 });
  });
  test('bad values name the file, line, metric and key', () => {
    const config = parseMetricsConfig('metrics:\n  - name: a\n    alpha: 2\n    baseline: [1, 2]\n    current: [1, 2]\n', 'm.yml');
    expect(() => planFromConfig(config, SETTINGS, '/r/m.yml')).toThrow("Input 'metrics-config': m.yml line 2, metric 'a', alpha: 2 is outside (0, 1).");
    const both = parseMetricsConfig('metrics:\n  - name: b\n    baseline: [1, 2]\n    baseline-query: up\n    current: [1, 2]\n', 'm.yml');
    expect(() => planFromConfig(both, SETTINGS, '/r/m.yml')).toThrow("m.yml line 2, metric 'b', baseline: give either baseline data or a baseline-query, not both.");
    const missing = parseMetricsConfig('metrics:\n  - name: c\n    baseline: [1, 2]\n', 'm.yml');
    expect(() => planFromConfig(missing, SETTINGS, '/r/m.yml')).toThrow("metric 'c', current: is missing");
    const critical = parseMetricsConfig('metrics:\n  - name: d\n    critical: maybe\n    baseline: [1, 2]\n    current: [1, 2]\n', 'm.yml');
    expect(() => planFromConfig(critical, SETTINGS, '/r/m.yml')).toThrow("metric 'd', critical: must be true or false");
    const top = parseMetricsConfig('tests: ks\nmetrics:\n  - name: e\n', 'm.yml');
    expect(() => planFromConfig(top, SETTINGS, '/r/m.yml')).toThrow("Input 'metrics-config': m.yml line 1, tests: unknown test 'ks'");
    const correction = parseMetricsConfig('alpha: 0.05\nmetrics-correction: bonferroni\nmetrics:\n  - name: e\n', 'm.yml');
    expect(() => planFromConfig(correction, SETTINGS, '/r/m.yml')).toThrow("m.yml line 2, metrics-correction: unknown value 'bonferroni'; use one of: holm, none");
  });
});
