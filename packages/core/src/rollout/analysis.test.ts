import { describe, expect, it } from '@jest/globals';
import { InputError } from '../action/inputs.ts';
import { parseRolloutMetricsConfig, REQUEST_COUNT_KEY } from './analysis.ts';

describe('rollout metrics config', () => {
  const metrics = 'metrics:\n  - name: latency\n    query: latency_seconds{track="{{track}}"}\n';

  it('takes the regression-check format and plans a query per track', () => {
    const config = parseRolloutMetricsConfig(`alpha: 0.01\n${metrics}`, 'rollout.yml');
    expect(config.requestCountQuery).toBeUndefined();
    expect(config.plan.plans).toHaveLength(1);
    expect(config.plan.plans[0]).toMatchObject({ name: 'latency', critical: true, baseline: { kind: 'query' }, current: { kind: 'query' } });
    expect(config.plan.plans[0].options.alpha).toBe(0.01);
  });

  it('takes request-count-query out for the sample-ratio check', () => {
    const config = parseRolloutMetricsConfig(`${REQUEST_COUNT_KEY}: sum(http_requests_total{track="{{track}}"})\n${metrics}`, 'rollout.yml');
    expect(config.requestCountQuery).toBe('sum(http_requests_total{track="{{track}}"})');
    expect(config.plan.plans.map((p) => p.name)).toEqual(['latency']);
  });

  it('keeps the file lines of everything after request-count-query in messages', () => {
    const text = `${REQUEST_COUNT_KEY}: sum(http_requests_total{track="{{track}}"})\nmetrics:\n  - name: latency\n    query: x{track="{{track}}"}\n    colour: blue\n`;
    expect(() => parseRolloutMetricsConfig(text, 'rollout.yml')).toThrow(/rollout\.yml line 5: unknown key in a metrics entry 'colour'/);
    expect(() => parseRolloutMetricsConfig(`alpha: 0.01\n${REQUEST_COUNT_KEY}: 42\n${metrics}`, 'rollout.yml')).toThrow(/rollout\.yml line 2: request-count-query/);
  });

  it('refuses queries that cannot tell the tracks apart, and bad configs, naming metrics-config', () => {
    const cases: [string, RegExp][] = [
      ['metrics:\n  - name: latency\n    query: latency_seconds\n', /every query must tell the tracks apart with \{\{track\}\}/],
      [`${REQUEST_COUNT_KEY}: sum(http_requests_total)\n${metrics}`, /request-count-query must be a PromQL string that uses \{\{track\}\}/],
      ['metrics: [oops', /not valid YAML/],
      ['alpha: 2\n' + metrics, /alpha/],
      ['metrics:\n  - name: latency\n    query: x{track="{{track}}"}\n    colour: blue\n', /colour/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseRolloutMetricsConfig(text, 'rollout.yml');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe('metrics-config');
      expect((error as Error).message).toMatch(message);
    }
  });
});
