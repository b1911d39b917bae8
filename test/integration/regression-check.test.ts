// The bundled regression-check action, run as the GitHub runner runs it (node dist/index.js with INPUT_*).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandsOf, removeRunnerTemp, runAction, type ActionRun } from '../harness/run-action.ts';
import { freePort, openMetricsText, prometheusInstalled, startPrometheus, type RunningPrometheus } from '../servers/prometheus.ts';

// A seeded normal generator, so every run sees the same samples.
function normalSample(n: number, mean: number, sd: number, seed: number): number[] {
  let state = seed;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 1) / 2147483649;
  };
  return Array.from({ length: n }, () => Number((mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())).toFixed(4)));
}

const BASELINE = normalSample(60, 200, 10, 1);
const WORSE = normalSample(60, 230, 10, 2);
const SAME = normalSample(60, 200, 10, 3);

const runs: ActionRun[] = [];
async function check(inputs: Record<string, string>, options: Parameters<typeof runAction>[2] = {}): Promise<ActionRun> {
  const run = await runAction('regression-check', inputs, options);
  runs.push(run);
  return run;
}
afterAll(async () => {
  await Promise.all(runs.map(removeRunnerTemp));
});

const reportOf = (run: ActionRun) => JSON.parse(run.outputs.report);
const STACK_TRACE = /^\s+at .+[:(].*\d+:\d+\)?$/m;

function expectNoStackTrace(run: ActionRun): void {
  expect(run.stdout).not.toMatch(STACK_TRACE);
  expect(run.stderr).not.toMatch(STACK_TRACE);
}

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'regression-check-ws-'));
  await mkdir(join(workspace, 'data'));
  await writeFile(join(workspace, 'data/baseline.json'), JSON.stringify(BASELINE));
  await writeFile(join(workspace, 'data/current.txt'), `# current\n${WORSE.join('\n')}\n`);
  await writeFile(join(workspace, 'data/runs.csv'), `run,model,latency_ms\n${SAME.map((v, i) => `${i},"gpt, v2",${v}`).join('\n')}\n`);
  await writeFile(join(workspace, 'data/inf.txt'), '1\nInfinity\n3\n');
  await writeFile(join(workspace, 'data/words.csv'), 'latency_ms\n12\nfast\n');
  await writeFile(join(workspace, 'data/one.txt'), '42\n');
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('inline arrays', () => {
  test('a clear slowdown is a critical-path regression: outputs, report, summary, one error annotation, exit 1', async () => {
    const run = await check({ 'metric-name': 'latency_ms', baseline: JSON.stringify(BASELINE), current: JSON.stringify(WORSE) });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ regression: 'true', inconclusive: 'false' });
    expect(['minor', 'major', 'critical']).toContain(run.outputs.severity);

    const report = reportOf(run);
    expect(report).toMatchObject({ regression_detected: true, inconclusive: false, failed: true, severity: run.outputs.severity });
    const metric = report.metrics[0];
    expect(metric).toMatchObject({ metric_name: 'latency_ms', direction: 'lower-is-better', regression: true, inconclusive: false, critical: true, alpha: 0.05, alpha_per_check: 0.05 });
    for (const side of ['baseline', 'current']) {
      expect(Object.keys(metric[side]).sort()).toEqual(['max', 'mean', 'median', 'min', 'n', 'outliers_removed', 'std']);
    }
    expect(metric.baseline.n + metric.baseline.outliers_removed).toBe(60);
    expect(metric.tests.t_test).toMatchObject({ significant: true });
    expect(metric.tests.t_test.p_value).toBeLessThan(1e-6);
    expect(Object.keys(metric.tests.t_test).sort()).toEqual(['df', 'p_value', 'significant', 'statistic']);
    expect(metric.tests.mann_whitney).toMatchObject({ method: 'asymptotic', significant: true });
    expect(metric.effect_size.magnitude).toBe('large');
    expect(metric.confidence_interval.level).toBe(0.95);
    expect(metric.confidence_interval.mean_difference[0]).toBeGreaterThan(0);
    expect(metric.confidence_interval.hodges_lehmann.estimate).toBeGreaterThan(20);
    expect(metric.relative_change.median).toBeGreaterThan(0.1);
    expect(Object.keys(metric.trend)).toEqual(expect.arrayContaining(['mann_kendall_s', 'p_value', 'sen_slope', 'direction']));
    expect(typeof metric.reason).toBe('string');

    expect(JSON.parse(await readFile(run.outputs['report-path'], 'utf8'))).toEqual(report);
    expect(run.outputs['report-path'].startsWith(run.runnerTemp)).toBe(true);

    expect(run.summary).toContain('❌ Regression');
    expect(run.summary).toMatch(/\| latency_ms \| ❌ regression \| median [\d.]+ \(n=\d+\) \|/);
    expect(run.summary).toMatch(/```mermaid\nxychart-beta\n {2}title "latency_ms: baseline \(bars\) vs current \(line\)"\n {2}x-axis "value" \[("[\d.]+", ){11}"[\d.]+"\]\n {2}y-axis "% of sample" 0 --> \d+\n {2}bar \[[\d., ]+\]\n {2}line \[[\d., ]+\]\n```/);

    const errors = commandsOf(run, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].properties.title).toMatch(/^Regression \((minor|major|critical)\): latency_ms$/);
    expect(errors[0].message).toMatch(/^latency_ms got worse: median [\d.]+ → [\d.]+ \(\+[\d.]+%\)/);
    expectNoStackTrace(run);
  });

  test('the same distribution passes: exit 0, no annotations', async () => {
    const run = await check({ baseline: JSON.stringify(BASELINE), current: JSON.stringify(SAME) });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ regression: 'false', severity: 'none', inconclusive: 'false' });
    expect(run.summary).toContain('✅ No regression in the metric');
    expect(commandsOf(run, 'error')).toHaveLength(0);
    expect(commandsOf(run, 'warning')).toHaveLength(0);
  });

  test('fail-on-regression: false reports the regression but passes the step', async () => {
    const run = await check({ baseline: JSON.stringify(BASELINE), current: JSON.stringify(WORSE), 'fail-on-regression': 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.regression).toBe('true');
    expect(reportOf(run)).toMatchObject({ regression_detected: true, failed: false, fail_on_regression: false });
  });

  test('constant samples cannot be judged: inconclusive with the reason, a warning, exit 0', async () => {
    const run = await check({ 'metric-name': 'tokens', baseline: '[5, 5, 5, 5]', current: '[6, 6, 6, 6]' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ regression: 'false', inconclusive: 'true' });
    expect(reportOf(run).metrics[0].tests.t_test).toEqual({ skipped: true, reason: expect.stringContaining('zero variance') });
    expect(commandsOf(run, 'warning').map((w) => w.properties.title)).toEqual(['Inconclusive: tokens']);
    expect(run.summary).toContain('| tokens | ❔ inconclusive |');
  });

  test('higher-is-better: a rise is no regression', async () => {
    const run = await check({ baseline: JSON.stringify(BASELINE), current: JSON.stringify(WORSE), direction: 'higher-is-better' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.regression).toBe('false');
  });
});

describe('sample files', () => {
  test('.json, .txt and a .csv column, relative to the workspace', async () => {
    const regression = await check({ baseline: 'data/baseline.json', current: 'data/current.txt' }, { cwd: workspace });
    expect(regression.exitCode).toBe(1);
    expect(reportOf(regression).metrics[0].sources).toEqual({ baseline: join(workspace, 'data/baseline.json'), current: join(workspace, 'data/current.txt') });

    const csv = await check({ baseline: 'data/baseline.json', current: 'data/runs.csv', column: 'latency_ms' }, { cwd: workspace });
    expect(csv.exitCode).toBe(0);
    const metric = reportOf(csv).metrics[0];
    expect(metric.current.n + metric.current.outliers_removed).toBe(60);
    expect(metric.current.max).toBeLessThanOrEqual(Math.max(...SAME));

    const firstNumeric = await check({ baseline: 'data/runs.csv', current: 'data/runs.csv' }, { cwd: workspace });
    expect(reportOf(firstNumeric).metrics[0].baseline.n + reportOf(firstNumeric).metrics[0].baseline.outliers_removed).toBe(60);
  });
});

describe('metrics-config', () => {
  const config = (dir: string) => `# three metrics, one run
alpha: 0.05
metrics-correction: holm

metrics:
  - name: latency_ms
    baseline: data/baseline.json
    current: data/current.txt

  - name: cost_usd
    baseline: ${JSON.stringify(BASELINE)}
    current: ${JSON.stringify(SAME)}
  - name: thumbs_up
    direction: lower-is-better
    tests: [mann_whitney]
    critical: false
    baseline: ${JSON.stringify(BASELINE)}
    current: ${JSON.stringify(WORSE)}
# ${dir}
`;

  test('judges every metric; the critical regression is an error at its line, the other a warning at its line', async () => {
    await writeFile(join(workspace, 'canary.yml'), config('yaml'));
    const run = await check({ 'metrics-config': 'canary.yml' }, { cwd: workspace });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.regression).toBe('true');
    const report = reportOf(run);
    expect(report.metrics.map((m: { metric_name: string; regression: boolean; critical: boolean; defined_at: unknown }) => [m.metric_name, m.regression, m.critical, m.defined_at])).toEqual([
      ['latency_ms', true, true, { file: 'canary.yml', line: 6 }],
      ['cost_usd', false, true, { file: 'canary.yml', line: 10 }],
      ['thumbs_up', true, false, { file: 'canary.yml', line: 13 }],
    ]);
    expect(report.metrics[2].tests).toEqual({ mann_whitney: expect.objectContaining({ significant: true }) });
    const errors = commandsOf(run, 'error');
    const warnings = commandsOf(run, 'warning');
    expect(errors.map((e) => [e.properties.file, e.properties.line, e.properties.title?.split(': ')[1]])).toEqual([['canary.yml', '6', 'latency_ms']]);
    expect(warnings.map((w) => [w.properties.file, w.properties.line, w.properties.title?.split(': ')[1]])).toEqual([['canary.yml', '13', 'thumbs_up']]);
    const rows = run.summary.split('\n').filter((line) => /^\| (latency_ms|cost_usd|thumbs_up)/.test(line));
    expect(rows).toHaveLength(3);
    expect(rows[2]).toContain('thumbs_up (non-critical) | ⚠️ regression');
    expect(run.summary.match(/```mermaid/g)).toHaveLength(3);
    expect(run.summary).toContain('Holm-corrected across 3 metrics');
  });

  test("more regressions than GitHub shows: 10 error annotations, the rest counted in the summary", async () => {
    const metrics = Array.from({ length: 12 }, (_, i) => ({ name: `m${i + 1}`, baseline: BASELINE, current: WORSE }));
    await writeFile(join(workspace, 'many.json'), JSON.stringify({ metrics }));
    const run = await check({ 'metrics-config': 'many.json' }, { cwd: workspace });
    expect(run.exitCode).toBe(1);
    expect(commandsOf(run, 'error')).toHaveLength(10);
    expect(reportOf(run).metrics.filter((m: { regression: boolean }) => m.regression)).toHaveLength(12);
    expect(run.summary).toContain('GitHub shows at most 10 annotations of each kind per step; 2 errors more are in the report.');
    expect(run.summary.match(/```mermaid/g)).toHaveLength(10);
    expect(run.summary).toContain('Distribution pictures are shown for the first 10 metrics; the report holds all 12.');
  });

  test('a non-critical regression alone warns and passes', async () => {
    await writeFile(
      join(workspace, 'warn.json'),
      JSON.stringify({ metrics: [{ name: 'thumbs_up', critical: false, baseline: BASELINE, current: WORSE }] }, null, 2),
    );
    const run = await check({ 'metrics-config': 'warn.json' }, { cwd: workspace });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.regression).toBe('false');
    expect(commandsOf(run, 'warning')).toHaveLength(1);
    expect(commandsOf(run, 'warning')[0].properties).toMatchObject({ file: 'warn.json', line: '3' });
    expect(run.summary).toContain('⚠️ No critical regression; non-critical regression in `thumbs_up`');
  });
});

describe('bad input: one clear ::error naming the input, exit 1, no stack trace', () => {
  let unusedPort = 0;
  beforeAll(async () => {
    unusedPort = await freePort();
    await writeFile(join(workspace, 'bad-entry.yml'), 'metrics:\n  - name: ok\n    baseline: [1, 2, 3]\n    current: [1, 2, 3]\n  - name: broken\n    alpha: 0\n    baseline: [1, 2, 3]\n    current: [1, 2, 3]\n');
    await writeFile(join(workspace, 'bad-sample.yml'), 'metrics:\n  - name: cost\n    baseline: [1, 2, 3]\n    current: data/words.csv\n');
  });
  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['non-numeric value', () => ({ baseline: '[1, "fast", 3]', current: '[1, 2, 3]' }), /^Input 'baseline': value 2 is the string "fast", not a number/],
    ['non-numeric CSV cell', () => ({ baseline: '[1, 2, 3]', current: 'data/words.csv' }), /^Input 'current': file 'data\/words.csv': row 3, column 'latency_ms', is 'fast', not a number/],
    ['NaN', () => ({ baseline: '[1, 2, 3]', current: '[1, 2, NaN]' }), /^Input 'current': value 3 is NaN; NaN and Infinity cannot be compared/],
    ['Infinity in a file', () => ({ baseline: 'data/inf.txt', current: '[1, 2, 3]' }), /^Input 'baseline': file 'data\/inf.txt': line 2 is Infinity/],
    ['fewer than 2 values', () => ({ baseline: '[5]', current: '[1, 2, 3]' }), /^Input 'baseline': holds only 1 value; at least 2 are needed/],
    ['fewer than 2 values in a file', () => ({ baseline: '[1, 2]', current: 'data/one.txt' }), /^Input 'current': file 'data\/one.txt': holds only 1 value/],
    ['unreadable file', () => ({ baseline: 'data/missing.csv', current: '[1, 2, 3]' }), /^Input 'baseline': file 'data\/missing.csv' \(resolved to .*\) does not exist; check the path/],
    ['unknown test name', () => ({ baseline: '[1, 2, 3]', current: '[1, 2, 3]', tests: 't_test,kolmogorov' }), /^Input 'tests': unknown test 'kolmogorov'; use t_test and\/or mann_whitney/],
    ['alpha 0', () => ({ baseline: '[1, 2, 3]', current: '[1, 2, 3]', alpha: '0' }), /^Input 'alpha': 0 is outside \(0, 1\)/],
    ['alpha 1.5', () => ({ baseline: '[1, 2, 3]', current: '[1, 2, 3]', alpha: '1.5' }), /^Input 'alpha': 1.5 is outside \(0, 1\)/],
    ['no samples at all', () => ({}), /^Input 'baseline': and current are required/],
    ['unreachable Prometheus', () => ({ 'prometheus-url': `http://127.0.0.1:${unusedPort}`, 'baseline-query': 'up', 'current-query': 'up' }), /^Input 'prometheus-url': cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
    ['query without a Prometheus URL', () => ({ 'baseline-query': 'up', 'current-query': 'up' }), /^Input 'baseline-query': needs a Prometheus server: set the prometheus-url input/],
    ['missing metrics-config', () => ({ 'metrics-config': 'nope.yml' }), /^Input 'metrics-config': file 'nope.yml' does not exist/],
    ['bad value in a metrics-config entry', () => ({ 'metrics-config': 'bad-entry.yml' }), /^Input 'metrics-config': bad-entry.yml line 5, metric 'broken', alpha: 0 is outside \(0, 1\)/],
    ['bad sample of a metrics-config entry', () => ({ 'metrics-config': 'bad-sample.yml' }), /^Input 'metrics-config': bad-sample.yml line 2, metric 'cost', current: file 'data\/words.csv': row 3/],
  ];
  test.each(cases)('%s', async (_, inputs, message) => {
    const run = await check(inputs(), { cwd: workspace });
    expect(run.exitCode).toBe(1);
    const errors = commandsOf(run, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(message);
    expect(run.outputs.report).toBeUndefined();
    expectNoStackTrace(run);
  });
});

(prometheusInstalled() ? describe : describe.skip)('Prometheus queries (real Prometheus)', () => {
  const T0 = 1_780_000_000;
  const minutes = (values: number[]) => values.map((value, i) => [T0 + i * 60, value] as [number, number]);
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetrics: openMetricsText([
        { metric: 'latency_ms', labels: { track: 'stable', pod: 'a' }, samples: minutes(normalSample(60, 200, 10, 11)) },
        { metric: 'latency_ms', labels: { track: 'stable', pod: 'b' }, samples: minutes(normalSample(60, 200, 10, 12)) },
        { metric: 'latency_ms', labels: { track: 'canary', pod: 'c' }, samples: minutes(normalSample(60, 235, 10, 13)) },
        { metric: 'cost_usd', labels: { track: 'stable' }, samples: minutes(normalSample(60, 0.02, 0.002, 14)) },
        { metric: 'cost_usd', labels: { track: 'canary' }, samples: minutes(normalSample(60, 0.02, 0.002, 15)) },
        { metric: 'cost_usd', labels: { track: 'gappy' }, samples: minutes(normalSample(60, 0.02, 0.002, 16).map((v, i) => (i % 20 === 5 ? NaN : v))) },
      ]),
    });
  });
  afterAll(async () => prometheus?.stop());
  const window = () => ({ start: String(T0), end: String(T0 + 59 * 60), step: '1m' });

  test('a slower canary is a regression; every series counts, in time order', async () => {
    const run = await check({
      'metric-name': 'latency_ms',
      'prometheus-url': prometheus.url,
      'baseline-query': 'latency_ms{track="stable"}',
      'current-query': 'latency_ms{track="canary"}',
      ...window(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.regression).toBe('true');
    const metric = reportOf(run).metrics[0];
    expect(metric.baseline.n + metric.baseline.outliers_removed).toBe(120);
    expect(metric.current.n + metric.current.outliers_removed).toBe(60);
    expect(metric.sources).toEqual({ baseline: 'latency_ms{track="stable"}', current: 'latency_ms{track="canary"}' });
    expect(commandsOf(run, 'error')).toHaveLength(1);
  });

  test('an unchanged canary passes (URL from PROMETHEUS_URL, token masked)', async () => {
    const run = await check(
      { 'baseline-query': 'cost_usd{track="stable"}', 'current-query': 'cost_usd{track="canary"}', 'prometheus-token': 'tok-3f9a1c', ...window() },
      { env: { PROMETHEUS_URL: prometheus.url } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ regression: 'false', inconclusive: 'false' });
    expect(commandsOf(run, 'add-mask').map((c) => c.message)).toEqual(['tok-3f9a1c']);
    expect(run.stdout.replace('::add-mask::tok-3f9a1c', '')).not.toContain('tok-3f9a1c');
  });

  test('NaN points are left out, counted in the report and the summary', async () => {
    const run = await check({
      'metric-name': 'cost',
      'prometheus-url': prometheus.url,
      'baseline-query': 'cost_usd{track="stable"}',
      'current-query': 'cost_usd{track="gappy"}',
      ...window(),
    });
    expect(run.exitCode).toBe(0);
    const metric = reportOf(run).metrics[0];
    expect(metric.current.n + metric.current.outliers_removed).toBe(57);
    expect(metric.notes).toEqual(['3 NaN/Inf point(s) from the current query were left out.']);
    expect(run.summary).toContain('`cost`: 3 NaN/Inf point(s) from the current query were left out.');
  });

  test('an empty result is inconclusive "no data": never a pass, never a regression', async () => {
    const run = await check({
      'metric-name': 'errors',
      'prometheus-url': prometheus.url,
      'baseline-query': 'latency_ms{track="stable"}',
      'current-query': 'latency_ms{track="does-not-exist"}',
      ...window(),
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ regression: 'false', severity: 'none', inconclusive: 'true' });
    const metric = reportOf(run).metrics[0];
    expect(metric).toMatchObject({ inconclusive: true, regression: false, severity: 'none' });
    expect(metric.reason).toMatch(/^no data: current-query matched no series in /);
    expect(run.summary).toContain('❔ Inconclusive');
    expect(run.summary).toContain('| errors | ❔ no data |');
    expect(commandsOf(run, 'error')).toHaveLength(0);
    expect(commandsOf(run, 'warning').map((w) => w.properties.title)).toEqual(['No data: errors']);
  });

  test('bad PromQL: one ::error with Prometheus\'s own text', async () => {
    const run = await check({ 'prometheus-url': prometheus.url, 'baseline-query': 'rate(latency_ms[5m]', 'current-query': 'latency_ms', ...window() });
    expect(run.exitCode).toBe(1);
    const errors = commandsOf(run, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^Input 'baseline-query': Prometheus rejected the query: .*parse error.* \(query: rate\(latency_ms\[5m\]\)$/);
    expectNoStackTrace(run);
  });

  test("metrics-config with queries, defaults from the top level; its prometheus-url wins over PROMETHEUS_URL", async () => {
    await writeFile(
      join(workspace, 'prom.yml'),
      `prometheus-url: ${prometheus.url}\nstart: "${T0}"\nend: "${T0 + 59 * 60}"\nstep: 1m\nmetrics:\n  - name: latency\n    baseline-query: latency_ms{track="stable"}\n    current-query: latency_ms{track="canary"}\n  - name: cost\n    baseline-query: cost_usd{track="stable"}\n    current-query: cost_usd{track="canary"}\n`,
    );
    const run = await check({ 'metrics-config': 'prom.yml' }, { cwd: workspace, env: { PROMETHEUS_URL: `http://127.0.0.1:${await freePort()}` } });
    expect(run.exitCode).toBe(1);
    expect(reportOf(run).metrics.map((m: { regression: boolean }) => m.regression)).toEqual([true, false]);
    expect(commandsOf(run, 'error')[0].properties).toMatchObject({ file: 'prom.yml', line: '6' });
  });
});
