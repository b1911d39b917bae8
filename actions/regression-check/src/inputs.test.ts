import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fromRecord, InputReader } from '@model-cicd/core/action';
import { DEFAULT_ANALYSIS_OPTIONS } from '@model-cicd/core/stats';
import { readSettings } from './inputs.ts';

const actionYml = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const defaults = Object.fromEntries(Object.entries(actionYml.inputs).map(([name, input]) => [name, input.default ?? '']));

test("action.yml's defaults are the statistics core's defaults (the runner always sends them)", () => {
  const settings = readSettings(new InputReader(fromRecord({ ...defaults, baseline: '[1, 2]', current: '[1, 2]' })), {});
  expect(settings.metricSettings.options).toEqual(DEFAULT_ANALYSIS_OPTIONS);
  expect(settings).toMatchObject({ metricName: 'metric', metricsCorrection: 'holm', failOnRegression: true, metricSettings: { window: { rangeMs: 1_800_000 }, stepSeconds: 15 } });
  expect(settings.prometheus.timeoutMs).toBe(30_000);
});

test('action.yml documents every input and the five outputs, and runs on node24', () => {
  for (const [name, input] of Object.entries(actionYml.inputs)) expect([name, input.description.length > 20]).toEqual([name, true]);
  expect(Object.keys(actionYml.outputs).sort()).toEqual(['inconclusive', 'regression', 'report', 'report-path', 'severity']);
  expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
});

test('PROMETHEUS_URL is kept apart as the last-resort URL; conflicting credentials and sources are refused', () => {
  const read = (record: Record<string, string>, env: NodeJS.ProcessEnv = {}) => readSettings(new InputReader(fromRecord({ ...defaults, ...record })), env);
  expect(read({ 'baseline-query': 'up', 'current-query': 'up' }, { PROMETHEUS_URL: 'http://p:9090' })).toMatchObject({ prometheus: { url: '' }, prometheusUrlFromEnv: 'http://p:9090' });
  expect(read({ 'baseline-query': 'up', 'current-query': 'up', 'prometheus-url': 'http://q:9090' }).prometheus.url).toBe('http://q:9090');
  expect(() => read({ baseline: '[1,2]', current: '[1,2]', 'prometheus-password': 'pw' })).toThrow("Input 'prometheus-password': is set without prometheus-username");
  expect(() => read({ baseline: '[1,2]', current: '[1,2]', 'prometheus-token': 't', 'prometheus-username': 'u' })).toThrow("Input 'prometheus-token'");
  expect(() => read({ baseline: '[1,2]', 'metrics-config': 'm.yml' })).toThrow("Input 'metrics-config': cannot be combined with baseline");
});

describe('pushgateway inputs', () => {
  const read = (record: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
    readSettings(new InputReader(fromRecord({ ...defaults, baseline: '[1,2]', current: '[1,2]', 'metric-name': 'latency_ms', ...record })), env);

  test('no URL, no push; the URL comes from the input, else PUSHGATEWAY_URL', () => {
    expect(read({}).pushgateway).toBeUndefined();
    expect(read({}, { PUSHGATEWAY_URL: 'http://env:9091' }).pushgateway?.url).toBe('http://env:9091');
    expect(read({ 'pushgateway-url': 'http://in:9091' }, { PUSHGATEWAY_URL: 'http://env:9091' }).pushgateway?.url).toBe('http://in:9091');
  });

  test('default job and grouping: the repository plus the check (metric-name, or the metrics-config path)', () => {
    expect(read({ 'pushgateway-url': 'http://pg:9091' }, { GITHUB_REPOSITORY: 'octo-org/app' }).pushgateway).toEqual({
      url: 'http://pg:9091',
      job: 'model-cicd-regression-check',
      grouping: { repository: 'octo-org/app', check: 'latency_ms' },
      token: undefined,
    });
    const config = readSettings(new InputReader(fromRecord({ ...defaults, 'metrics-config': '.github/regression.yml', 'pushgateway-url': 'http://pg:9091' })), {
      GITHUB_REPOSITORY: 'octo-org/app',
    });
    expect(config.pushgateway?.grouping).toEqual({ repository: 'octo-org/app', check: '.github/regression.yml' });
    expect(read({ 'pushgateway-url': 'http://pg:9091' }).pushgateway?.grouping).toEqual({ check: 'latency_ms' });
  });

  test('an explicit grouping replaces the default; bad entries name the input', () => {
    const grouping = (text: string) => read({ 'pushgateway-url': 'http://pg:9091', 'pushgateway-grouping': text }, { GITHUB_REPOSITORY: 'o/r' }).pushgateway?.grouping;
    expect(grouping('repository=octo-org/app, workflow = deploy\nenv=')).toEqual({ repository: 'octo-org/app', workflow: 'deploy', env: '' });
    expect(grouping('query=a=b')).toEqual({ query: 'a=b' });
    expect(() => grouping('repository')).toThrow("Input 'pushgateway-grouping': 'repository' is not key=value");
    expect(() => grouping('=x')).toThrow("Input 'pushgateway-grouping': '=x' is not key=value");
    expect(() => grouping('my-label=x')).toThrow("Input 'pushgateway-grouping': 'my-label' is not a valid label name");
    expect(() => grouping('job=x')).toThrow("Input 'pushgateway-grouping': cannot contain 'job'");
    expect(() => grouping('a=1,a=2')).toThrow("Input 'pushgateway-grouping': gives 'a' twice");
  });

  test('the URL is validated up front, naming the input (and the variable when it came from there)', () => {
    expect(() => read({ 'pushgateway-url': 'pushgateway:9091' })).toThrow("Input 'pushgateway-url': 'pushgateway:9091' is not an http(s) URL");
    expect(() => read({}, { PUSHGATEWAY_URL: 'nope' })).toThrow(/Input 'pushgateway-url': 'nope' is not a URL.*PUSHGATEWAY_URL environment variable/);
  });

  test('the token is kept for the push', () => {
    expect(read({ 'pushgateway-url': 'http://pg:9091', 'pushgateway-token': 's3cret' }).pushgateway?.token).toBe('s3cret');
  });
});
