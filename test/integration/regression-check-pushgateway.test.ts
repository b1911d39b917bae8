// The bundled regression-check pushing its verdict to a REAL Pushgateway (Debian prometheus-pushgateway), read
// back through the Pushgateway's own JSON API; and the core client against the same server.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { pushMetrics, regressionMetricFamilies, renderExposition } from '@model-cicd/core/pushgateway';
import { spawnSync } from 'node:child_process';
import { commandsOf, removeRunnerTemp, runAction, type ActionRun } from '../harness/run-action.ts';
import { freePort, prometheusBinaries } from '../servers/prometheus.ts';
import { pushgatewayInstalled, startPushgateway, type PushedGroup, type RunningPushgateway } from '../servers/pushgateway.ts';

const CONFIG = 'examples/regression-check/metrics-config.yml';
const REPOSITORY = 'octo-org/model-cicd-demo'; // the harness's GITHUB_REPOSITORY
const JOB = 'model-cicd-regression-check';

const runs: ActionRun[] = [];
async function check(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const run = await runAction('regression-check', inputs, { env });
  runs.push(run);
  return run;
}
afterAll(async () => {
  await Promise.all(runs.map(removeRunnerTemp));
});

interface ReportMetric {
  metric_name: string;
  direction: string;
  critical: boolean;
  regression: boolean;
  severity: string;
  inconclusive: boolean;
  tests: Record<string, { p_value?: number; skipped?: true }>;
  effect_size: { cohens_d?: number; hedges_g?: number; skipped?: true } | null;
  relative_change: { mean: number | null; median: number | null };
  baseline: { n: number } | null;
  current: { n: number } | null;
}

/** What the report says each series must hold, written out here independently of the code that builds them. */
function expectedSeries(metric: ReportMetric): [string, Record<string, string>, number][] {
  const severity = { none: 0, minor: 1, major: 2, critical: 3 }[metric.severity]!;
  const rows: [string, Record<string, string>, number | null | undefined][] = [
    ['model_cicd_regression_detected', {}, metric.regression ? 1 : 0],
    ['model_cicd_regression_severity', {}, severity],
    ['model_cicd_regression_inconclusive', {}, metric.inconclusive ? 1 : 0],
    ['model_cicd_regression_p_value', { test: 't_test' }, metric.tests.t_test?.p_value],
    ['model_cicd_regression_p_value', { test: 'mann_whitney' }, metric.tests.mann_whitney?.p_value],
    ['model_cicd_regression_effect_size', { kind: 'cohens_d' }, metric.effect_size?.cohens_d],
    ['model_cicd_regression_effect_size', { kind: 'hedges_g' }, metric.effect_size?.hedges_g],
    ['model_cicd_regression_relative_change', { location: 'mean' }, metric.relative_change.mean],
    ['model_cicd_regression_relative_change', { location: 'median' }, metric.relative_change.median],
    ['model_cicd_regression_sample_size', { side: 'baseline' }, metric.baseline?.n],
    ['model_cicd_regression_sample_size', { side: 'current' }, metric.current?.n],
  ];
  return rows.filter((row): row is [string, Record<string, string>, number] => typeof row[2] === 'number');
}

/** Every series of a group except the Pushgateway's own bookkeeping, as [name, labels, value]. */
function seriesOf(group: PushedGroup): [string, Record<string, string>, number][] {
  return Object.entries(group.families)
    .filter(([name]) => name.startsWith('model_cicd_'))
    .flatMap(([name, family]) => family.metrics.map((m): [string, Record<string, string>, number] => [name, m.labels, Number(m.value)]));
}

const byKey = (rows: [string, Record<string, string>, number][]) =>
  Object.fromEntries(rows.map(([name, labels, value]) => [`${name}${JSON.stringify(Object.entries(labels).sort())}`, value]));

(pushgatewayInstalled() ? describe : describe.skip)('regression-check with a real Pushgateway', () => {
  let pushgateway: RunningPushgateway;
  beforeAll(async () => {
    pushgateway = await startPushgateway();
  });
  afterAll(() => pushgateway?.stop());
  beforeEach(() => pushgateway.wipe());

  test('every figure of the report arrives as a gauge, labelled metric, direction, critical, job and the default grouping', async () => {
    const startedAt = Date.now() / 1000;
    const run = await check({ 'metrics-config': CONFIG, 'pushgateway-url': pushgateway.url, 'pushgateway-token': 'pg-s3cret' });
    const without = await check({ 'metrics-config': CONFIG });
    expect(run.exitCode).toBe(without.exitCode);
    expect(commandsOf(run, 'warning')).toEqual(commandsOf(without, 'warning'));
    expect(commandsOf(run, 'add-mask').map((c) => c.message)).toContain('pg-s3cret');
    expect(run.summary).toContain('Metrics pushed to the Pushgateway');

    const groups = await pushgateway.groups();
    expect(groups).toHaveLength(1);
    const grouping = { job: JOB, repository: REPOSITORY, check: CONFIG };
    expect(groups[0].labels).toEqual(grouping);

    const report = JSON.parse(run.outputs.report) as { metrics: ReportMetric[] };
    expect(report.metrics.length).toBeGreaterThanOrEqual(3);
    const pushed = seriesOf(groups[0]);
    const timestamps = pushed.filter(([name]) => name === 'model_cicd_regression_check_timestamp_seconds');
    const expected = report.metrics.flatMap((metric) =>
      expectedSeries(metric).map(([name, labels, value]): [string, Record<string, string>, number] => [
        name,
        { ...grouping, instance: '', metric: metric.metric_name, direction: metric.direction, critical: String(metric.critical), ...labels },
        value,
      ]),
    );
    expect(byKey(pushed.filter(([name]) => name !== 'model_cicd_regression_check_timestamp_seconds'))).toEqual(byKey(expected));
    // The examples regress one critical metric: the gauges say so, as the outputs do.
    expect(pushed.filter(([name, , value]) => name === 'model_cicd_regression_detected' && value === 1).length).toBe(report.metrics.filter((m) => m.regression).length);
    expect(timestamps).toHaveLength(report.metrics.length);
    for (const [, , value] of timestamps) {
      expect(value).toBeGreaterThanOrEqual(Math.floor(startedAt));
      expect(value).toBeLessThanOrEqual(Date.now() / 1000);
    }
    for (const family of Object.values(groups[0].families)) expect(family.type).toBe('GAUGE');
  });

  test('a second run replaces its group (same series, newer values); a smaller check in the same group drops the rest', async () => {
    const first = await check({ 'metrics-config': CONFIG, 'pushgateway-url': pushgateway.url });
    const before = await pushgateway.groups();
    const second = await check({ 'metrics-config': CONFIG }, { PUSHGATEWAY_URL: pushgateway.url });
    expect(second.exitCode).toBe(first.exitCode);
    const after = await pushgateway.groups();
    expect(after).toHaveLength(1);
    const keys = (groups: PushedGroup[]) => Object.keys(byKey(seriesOf(groups[0]))).sort();
    expect(keys(after)).toEqual(keys(before));
    const pushTime = (groups: PushedGroup[]) => Number(groups[0].families.push_time_seconds.metrics[0].value);
    expect(pushTime(after)).toBeGreaterThan(pushTime(before));

    // Same grouping, one metric only: PUT leaves nothing of the three-metric push behind.
    await check({
      'metric-name': 'latency_p95_ms',
      baseline: '[100, 101, 99, 102, 98, 100]',
      current: '[100, 102, 99, 101, 98, 100]',
      'pushgateway-url': pushgateway.url,
      'pushgateway-grouping': `repository=${REPOSITORY},check=${CONFIG}`,
    });
    const replaced = await pushgateway.groups();
    expect(replaced).toHaveLength(1);
    expect(new Set(seriesOf(replaced[0]).map(([, labels]) => labels.metric))).toEqual(new Set(['latency_p95_ms']));
    expect(seriesOf(replaced[0]).find(([name]) => name === 'model_cicd_regression_detected')?.[2]).toBe(0);
  });

  test('different checks keep separate groups; a custom job and grouping are used as given', async () => {
    const inline = { baseline: '[1, 2, 3, 4, 5, 6]', current: '[1, 2, 3, 4, 5, 7]' };
    await check({ ...inline, 'metric-name': 'a', 'pushgateway-url': pushgateway.url });
    await check({ ...inline, 'metric-name': 'b', 'pushgateway-url': pushgateway.url });
    await check({ ...inline, 'metric-name': 'c', 'pushgateway-url': pushgateway.url, 'pushgateway-job': 'nightly/evals', 'pushgateway-grouping': 'team=search,env=' });
    const labels = (await pushgateway.groups()).map((group) => group.labels);
    expect(labels).toEqual(
      expect.arrayContaining([
        { job: JOB, repository: REPOSITORY, check: 'a' },
        { job: JOB, repository: REPOSITORY, check: 'b' },
        { job: 'nightly/evals', team: 'search', env: '' },
      ]),
    );
    expect(labels).toHaveLength(3);
  });

  test('an unreachable Pushgateway: one warning naming the URL, and the same exit code and outputs as without it', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const run = await check({ 'metrics-config': CONFIG, 'pushgateway-url': deadUrl });
    const without = await check({ 'metrics-config': CONFIG });
    // The examples hold a critical regression, so "the same exit code" is the failing one.
    expect([run.exitCode, without.exitCode]).toEqual([1, 1]);
    expect(run.outputs.regression).toBe(without.outputs.regression);
    expect(run.outputs.severity).toBe(without.outputs.severity);
    expect(commandsOf(run, 'error')).toEqual(commandsOf(without, 'error'));
    const extraWarnings = commandsOf(run, 'warning').filter((w) => !commandsOf(without, 'warning').some((o) => o.message === w.message));
    expect(extraWarnings).toHaveLength(1);
    expect(extraWarnings[0].message).toContain(`Could not push the regression metrics to the Pushgateway at ${deadUrl}`);
    expect(extraWarnings[0].message).toContain('ECONNREFUSED');
    expect(extraWarnings[0].message).toContain('The verdict is unaffected');
    expect(run.summary).toContain(deadUrl);
  });

  test('a bad pushgateway-url fails the step up front with one error naming the input', async () => {
    const run = await check({ 'metric-name': 'x', baseline: '[1,2,3]', current: '[1,2,3]', 'pushgateway-url': 'pushgateway:9091' });
    expect(run.exitCode).toBe(1);
    const errors = commandsOf(run, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain("Input 'pushgateway-url'");
  });

  (prometheusBinaries() ? test : test.skip)("the report's exposition text passes promtool's metrics linter", async () => {
    const run = await check({ 'metrics-config': CONFIG });
    const text = renderExposition(regressionMetricFamilies(JSON.parse(run.outputs.report), Date.now() / 1000));
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: lint.status, stdout: lint.stdout, stderr: lint.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  describe('the core client', () => {
    test('label values with backslash, quote, newline and unicode, and @base64 grouping values, round-trip exactly', async () => {
      const tricky = 'C:\\path "quoted"\nline two ünï/😀';
      const text = renderExposition([{ name: 'roundtrip', help: 'a "help"\\ text\nwith newline', type: 'gauge', samples: [{ labels: { value: tricky }, value: 0.125 }] }]);
      const result = await pushMetrics({ url: pushgateway.url, job: 'a/b', grouping: { path: '/x/y', empty: '', plain: 'a b?' }, text, method: 'PUT', timeoutMs: 5000 });
      expect(result.status).toBe(200);
      const [group] = await pushgateway.groups();
      expect(group.labels).toEqual({ job: 'a/b', path: '/x/y', empty: '', plain: 'a b?' });
      expect(group.families.roundtrip.help).toBe('a "help"\\ text\nwith newline');
      expect(group.families.roundtrip.metrics).toEqual([{ labels: { job: 'a/b', path: '/x/y', empty: '', plain: 'a b?', instance: '', value: tricky }, value: '0.125' }]);
    });

    test('POST replaces only the families it sends; PUT replaces the group', async () => {
      const push = (method: 'PUT' | 'POST', text: string) => pushMetrics({ url: pushgateway.url, job: 'j', grouping: {}, text, method, timeoutMs: 5000 });
      await push('PUT', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 2\n');
      await push('POST', '# TYPE a gauge\na 3\n');
      const names = async () => Object.keys((await pushgateway.groups())[0].families).filter((name) => name.length === 1).sort();
      expect(await names()).toEqual(['a', 'b']);
      await push('PUT', '# TYPE a gauge\na 4\n');
      expect(await names()).toEqual(['a']);
    });

    test("a refused push reports the status and the Pushgateway's message", async () => {
      const push = pushMetrics({ url: pushgateway.url, job: 'j', grouping: {}, text: 'with_timestamp 1 1700000000000\n', method: 'PUT', timeoutMs: 5000 });
      await expect(push).rejects.toThrow(new RegExp(`Pushgateway at ${pushgateway.url} answered HTTP 400 to PUT /metrics/job/j: .*must not have timestamps`));
    });
  });
});
