import { expect, test } from '@jest/globals';
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
