// gradual-rollout with 50 ms of latency injected on every Kubernetes API call (the in-process fake): a manual
// weight change end to end, a progress tick that advances (analysis included, on a real Prometheus when it is
// installed), and one scheduled tick over 100 rollouts. Times and API calls of each. Targets: a weight change
// under 0.5 s, 100 rollouts under 10 s.
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { KubeClient } from '../packages/core/src/kubernetes/index.ts';
import { KubeRolloutCluster, progressAll, runCommand, type AnalysisResult, type CommandRequest, type StartSettings } from '../packages/core/src/rollout/index.ts';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../test/servers/kube-fake.ts';
import { seedStableApp, setDeploymentStatus, type StableApp } from '../test/servers/kube-fixtures.ts';
import { openMetricsText, prometheusBinaries, startPrometheus, type SyntheticSeries } from '../test/servers/prometheus.ts';
import { runAction } from '../test/harness/run-action.ts';

const LATENCY_MS = 50;
const MINUTE = 60_000;
const T0 = Math.floor((Date.now() - 2 * 60 * MINUTE) / MINUTE) * MINUTE;
const at = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();

interface Row {
  name: string;
  milliseconds: number;
  note: string;
}

function series(): SyntheticSeries[] {
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out: SyntheticSeries[] = [];
  for (const track of ['stable', 'canary']) {
    const samples: [number, number][] = [];
    for (let second = 0; second <= 30 * 60; second += 15) samples.push([T0 / 1000 + second, 0.2 + 0.02 * (random() - 0.5)]);
    out.push({ metric: 'latency_seconds', labels: { track }, samples, type: 'gauge' });
  }
  return out;
}

async function settle(fake: FakeKubeApiServer, app: StableApp): Promise<void> {
  for (const name of [app.name, `${app.name}-canary`]) {
    try {
      await setDeploymentStatus(fake.kubeConfig, app.namespace, name);
    } catch {
      // no canary yet
    }
  }
}

const startSettings = (app: StableApp, metricsConfig?: string, prometheusUrl?: string): StartSettings => ({
  version: '2.0.0',
  canary: { image: 'registry.example/chat:2.0.0', container: 'server' },
  router: { kind: 'nginx', service: app.service, ingress: app.ingress },
  steps: [10, 25, 50, 100],
  config: { stepDurationMs: 5 * MINUTE, minSamples: 10, rollbackWindowMs: 30 * MINUTE, checksPerStep: 3, maxRestarts: 3, ...(metricsConfig ? { metricsConfig, prometheusUrl } : {}) },
  onConflict: 'fail',
});

async function measure(fake: FakeKubeApiServer, body: () => Promise<unknown>): Promise<{ milliseconds: number; calls: number }> {
  fake.resetCounters();
  const started = performance.now();
  await body();
  return { milliseconds: performance.now() - started, calls: fake.requestCount };
}

export async function benchGradualRollout(): Promise<Row[]> {
  const fake = await startFakeKubeApiServer();
  const prometheus = prometheusBinaries() ? await startPrometheus({ openMetrics: openMetricsText(series()) }) : undefined;
  const rows: Row[] = [];
  try {
    const core = fake.kubeConfig.makeApiClient(CoreV1Api);
    const client = new KubeClient(fake.kubeConfig);
    const actor = { actor: 'bench' };
    let minute = 0;
    const fakeAnalysis = async (): Promise<AnalysisResult> => ({ analysis: { verdict: 'passed', reason: 'bench', samples: { stable: 100, canary: 100 }, metrics: [] } });
    const clusterFor = (name: string, namespace: string, real = false) =>
      new KubeRolloutCluster({ client, name, namespace, audit: { actor: 'bench' }, now: () => at(minute), ...(real && prometheus ? {} : { analyse: fakeAnalysis }) });

    // one rollout at step 1 (10 %), canary ready
    await core.createNamespace({ body: { metadata: { name: 'bench' } } });
    const app = await seedStableApp(fake.kubeConfig, 'bench', 'chat', 4);
    await settle(fake, app);
    const metrics = 'step: 15s\nmetrics:\n  - name: latency\n    query: latency_seconds{track="{{track}}"}\n';
    await runCommand(clusterFor('chat', 'bench'), { command: 'start', name: 'chat', namespace: 'bench', actor, start: startSettings(app, metrics, prometheus?.url) });
    await settle(fake, app);
    minute = 1;
    await runCommand(clusterFor('chat', 'bench'), { command: 'progress', name: 'chat', namespace: 'bench', actor });
    await settle(fake, app);

    fake.latencyMs = LATENCY_MS;
    minute = 2;
    const setWeight: CommandRequest = { command: 'set-weight', name: 'chat', namespace: 'bench', actor, weight: 20 };
    const manual = await measure(fake, () => runCommand(clusterFor('chat', 'bench'), setWeight));
    rows.push({ name: `gradual-rollout set-weight 10→20 % in-process, ${LATENCY_MS} ms per API call`, milliseconds: manual.milliseconds, note: `${manual.calls} API calls; target < 500 ms` });

    const bundle = new URL('../actions/gradual-rollout/dist/index.js', import.meta.url);
    if (existsSync(bundle)) {
      const workspace = await mkdtemp(join(tmpdir(), 'bench-rollout-'));
      const kubeconfig = join(workspace, 'kubeconfig');
      await writeFile(kubeconfig, fake.kubeconfigYaml);
      fake.resetCounters();
      const started = performance.now();
      const run = await runAction('gradual-rollout', { command: 'set-weight', name: 'chat', namespace: 'bench', weight: '25', kubeconfig }, { cwd: workspace, env: { MODEL_CICD_NOW: at(3) } });
      const ms = performance.now() - started;
      if (run.exitCode !== 0) throw new Error(`bundled set-weight failed: ${run.stdout}`);
      rows.push({ name: `gradual-rollout set-weight 20→25 % as the runner runs it (node + bundle), ${LATENCY_MS} ms per API call`, milliseconds: ms, note: `${fake.requestCount} API calls; includes process start and loading the 6 MB bundle` });
    }
    await settle(fake, app);

    minute = 20;
    const advance = await measure(fake, async () => {
      const outcome = await runCommand(clusterFor('chat', 'bench', true), { command: 'progress', name: 'chat', namespace: 'bench', actor });
      if (outcome.decision !== 'advance') throw new Error(`the tick did not advance: ${outcome.reason}`);
    });
    rows.push({
      name: `gradual-rollout progress tick that advances, analysis included, ${LATENCY_MS} ms per API call`,
      milliseconds: advance.milliseconds,
      note: `${advance.calls} API calls; analysis ${prometheus ? 'on a real Prometheus (no latency added)' : 'stubbed: Prometheus not installed'}`,
    });

    // 100 rollouts at step 1 whose bake time is over: one scheduled tick advances them all
    fake.latencyMs = 0;
    minute = 100;
    await core.createNamespace({ body: { metadata: { name: 'fleet' } } });
    for (let i = 0; i < 100; i++) {
      const member = await seedStableApp(fake.kubeConfig, 'fleet', `app-${i}`, 4);
      await settle(fake, member);
      await runCommand(clusterFor(member.name, 'fleet'), { command: 'start', name: member.name, namespace: 'fleet', actor, start: startSettings(member) });
      await settle(fake, member);
      await runCommand(clusterFor(member.name, 'fleet'), { command: 'progress', name: member.name, namespace: 'fleet', actor });
      await settle(fake, member);
    }
    fake.latencyMs = LATENCY_MS;
    minute = 110;
    let advanced = 0;
    const fleet = await measure(fake, async () => {
      const { results } = await progressAll({ client, namespace: 'fleet', actor, clusterFor: (name, namespace) => clusterFor(name, namespace) });
      advanced = results.filter((r) => r.outcome?.decision === 'advance').length;
      const failed = results.filter((r) => r.error);
      if (failed.length) throw new Error(`${failed.length} ticks failed: ${failed[0].error}`);
    });
    rows.push({ name: `gradual-rollout one progress tick over 100 rollouts (all advance), ${LATENCY_MS} ms per API call`, milliseconds: fleet.milliseconds, note: `${fleet.calls} API calls (${(fleet.calls / 100).toFixed(1)} per rollout), ${advanced} advanced, 10 at a time; target < 10 s` });

    minute = 111;
    const quiet = await measure(fake, () => progressAll({ client, namespace: 'fleet', actor, clusterFor: (name, namespace) => clusterFor(name, namespace) }));
    rows.push({ name: `gradual-rollout one progress tick over 100 baking rollouts (nothing to do), ${LATENCY_MS} ms per API call`, milliseconds: quiet.milliseconds, note: `${quiet.calls} API calls, no writes` });
  } finally {
    await fake.stop();
    await prometheus?.stop();
  }
  for (const row of rows) console.log(`${row.name}: ${row.milliseconds.toFixed(0)} ms (${row.note})`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchGradualRollout();
