// The bundled gradual-rollout action, run as the runner runs it, against a REAL kube-apiserver and a REAL
// Prometheus: with every router, a good canary is promoted through every step and a bad one is rolled back at
// the first step whose data shows it. The test plays the missing controllers (Deployment status) between runs
// and sets the action's clock (MODEL_CICD_NOW) so that each tick analyses a window of recorded metrics.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createTrafficRouter, KubeClient } from '@model-cicd/core/kubernetes';
import { parseState, type RolloutState, type RouterKind } from '@model-cicd/core/rollout';
import { commandsOf, runAction, type ActionRun } from '../harness/run-action.ts';
import { createNamespace, describeWithRealApiServer, startRealApiServer, type RealApiServer } from '../servers/kube-real.ts';
import { seedStableApp, settleTracks, type StableApp } from '../servers/kube-fixtures.ts';
import { openMetricsText, startPrometheus, type RunningPrometheus, type SyntheticSeries } from '../servers/prometheus.ts';
import { seededUniform } from '../harness/seeded-random.ts';

const MINUTE = 60_000;
// the recorded metrics start three hours ago, on a whole minute
const T0 = Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE;
const at = (minutes: number): string => new Date(T0 + minutes * MINUTE).toISOString();
/** The canary of the 'bad' scenario is 50 % slower from this minute on: the window of step 2 (25 %). */
const BAD_FROM_MINUTE = 12;
/** The weight schedule the ticks below produce, used to make request counts that match it. */
const WEIGHT_BY_MINUTE = (minute: number): number => (minute < 2 ? 0 : minute < 12 ? 10 : minute < 22 ? 25 : minute < 32 ? 50 : 100);

function syntheticSeries(): SyntheticSeries[] {
  const random = seededUniform(7);
  const normal = (mean: number, sd: number) => mean + sd * Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const series: SyntheticSeries[] = [];
  for (const scenario of ['good', 'bad', 'skewed']) {
    for (const track of ['stable', 'canary']) {
      const latency: [number, number][] = [];
      const requests: [number, number][] = [];
      let count = 0;
      for (let second = 0; second <= 60 * 60; second += 15) {
        const minute = second / 60;
        const slow = scenario === 'bad' && track === 'canary' && minute >= BAD_FROM_MINUTE;
        latency.push([T0 / 1000 + second, normal(slow ? 0.3 : 0.2, 0.01)]);
        // the increase up to this sample counts the requests of the 15 s before it
        const asked = WEIGHT_BY_MINUTE((second - 15) / 60) / 100;
        // 'skewed': the router sends the canary three times its share (sticky sessions gone wrong)
        const share = scenario === 'skewed' ? Math.min(1, asked * 3) : asked;
        count += Math.round(1000 * (track === 'canary' ? share : 1 - share));
        requests.push([T0 / 1000 + second, count]);
      }
      series.push({ metric: 'latency_seconds', labels: { track, scenario }, samples: latency, type: 'gauge' });
      series.push({ metric: 'http_requests_total', labels: { track, scenario }, samples: requests, type: 'counter' });
    }
  }
  return series;
}

const metricsConfig = (scenario: string, withRequestCounts: boolean) =>
  [
    'alpha: 0.05',
    'step: 15s',
    ...(withRequestCounts ? [`request-count-query: sum(http_requests_total{track="{{track}}",scenario="${scenario}"})`] : []),
    'metrics:',
    '  - name: latency',
    `    query: latency_seconds{track="{{track}}",scenario="${scenario}"}`,
    '    direction: lower-is-better',
  ].join('\n');

const ROUTERS: RouterKind[] = ['replicas', 'nginx', 'gateway-api', 'istio', 'configmap'];

describeWithRealApiServer('gradual-rollout action on a real API server with real Prometheus', () => {
  let server: RealApiServer;
  let prometheus: RunningPrometheus;
  let workspace: string;
  let kubeconfig: string;

  beforeAll(async () => {
    [server, prometheus] = await Promise.all([startRealApiServer(), startPrometheus({ openMetrics: openMetricsText(syntheticSeries()) })]);
    workspace = await mkdtemp(join(tmpdir(), 'gradual-rollout-ws-'));
    for (const scenario of ['good', 'bad', 'skewed', 'absent']) {
      await writeFile(join(workspace, `metrics-${scenario}.yml`), metricsConfig(scenario, false));
      await writeFile(join(workspace, `metrics-${scenario}-srm.yml`), metricsConfig(scenario, true));
    }
    kubeconfig = await readFile(server.kubeconfigPath, 'utf8');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), prometheus?.stop()]);
  });

  const kube = (): KubeConfig => server.kubeConfig;

  const settleDeployments = (app: StableApp) => settleTracks(kube(), app);

  async function readState(app: StableApp): Promise<RolloutState> {
    const configMap = await kube().makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: `${app.name}-rollout`, namespace: app.namespace });
    return parseState(configMap.data!['state.json']);
  }

  async function routerWeight(app: StableApp, router: RouterKind): Promise<number> {
    return createTrafficRouter(router, { client: new KubeClient(kube()), audit: {} }, { namespace: app.namespace, name: app.name, service: app.service, ingress: app.ingress, httproute: app.httproute, virtualservice: app.virtualservice }).readWeight();
  }

  function action(app: StableApp, minute: number, inputs: Record<string, string>): Promise<ActionRun> {
    return runAction('gradual-rollout', { kubeconfig, name: app.name, namespace: app.namespace, 'prometheus-url': prometheus.url, ...inputs }, { cwd: workspace, env: { MODEL_CICD_NOW: at(minute) } });
  }

  const startInputs = (app: StableApp, router: RouterKind, scenario: string, srm = false): Record<string, string> => ({
    command: 'start',
    version: '2.0.0',
    image: `registry.example/${app.name}:2.0.0`,
    container: 'server',
    env: 'PROMPT_VERSION=2.0.0',
    'traffic-router': router,
    service: app.service,
    ...(router === 'nginx' ? { ingress: app.ingress } : {}),
    ...(router === 'gateway-api' ? { httproute: app.httproute } : {}),
    ...(router === 'istio' ? { virtualservice: app.virtualservice } : {}),
    'step-duration': '5m',
    'metrics-config': `metrics-${scenario}${srm ? '-srm' : ''}.yml`,
    reason: 'ship prompt v2',
  });

  /** start, then enter step 1 once the canary pods are there. */
  async function startRollout(app: StableApp, router: RouterKind, scenario: string, srm = false): Promise<void> {
    const started = await action(app, 1, startInputs(app, router, scenario, srm));
    expect(started.stderr).toBe('');
    expect(started.exitCode).toBe(0);
    expect(started.outputs.status).toBe('progressing');
    if (router === 'replicas') {
      // the replicas router makes the canary pods itself: the first step is entered at once
      expect(started.outputs).toMatchObject({ weight: '10', step: '1', decision: 'advance' });
      await settleDeployments(app);
      return;
    }
    // weighted routers wait for canary pods before sending traffic
    expect(started.outputs).toMatchObject({ weight: '0', decision: 'advance' });
    expect(started.summary).toMatch(/waiting for 2.0.0 canary pods/);
    await settleDeployments(app);
    const entered = await action(app, 2, { command: 'progress' });
    expect(entered.exitCode).toBe(0);
    expect(entered.outputs).toMatchObject({ status: 'progressing', weight: '10', step: '1', decision: 'advance' });
    await settleDeployments(app);
  }

  describe('holds without trustworthy data', () => {
    it('holds and warns on a sample-ratio mismatch, whatever the metrics say', async () => {
      const app = await seedStableApp(kube(), await createNamespace(kube(), 'skewed'), 'chat', 4);
      await settleDeployments(app);
      await startRollout(app, 'nginx', 'skewed', true);
      const tick = await action(app, 12, { command: 'progress' });
      expect(tick.outputs).toMatchObject({ decision: 'hold', weight: '10', status: 'progressing' });
      expect(commandsOf(tick, 'warning')[0].message).toMatch(/Sample-ratio mismatch: the canary got 30.00% of requests, expected 10.00% \(chi-square \d+\.\d, p < 1e-16\)/);
      expect((await readState(app)).analysis).toEqual([]);
    }, 120_000);

    it('holds on missing data: it never passes or fails a step', async () => {
      const app = await seedStableApp(kube(), await createNamespace(kube(), 'absent'), 'chat', 4);
      await settleDeployments(app);
      await startRollout(app, 'nginx', 'absent');
      for (const minute of [12, 40]) {
        const tick = await action(app, minute, { command: 'progress' });
        expect(tick.outputs).toMatchObject({ decision: 'hold', weight: '10', status: 'progressing' });
        expect(commandsOf(tick, 'warning')[0].message).toMatch(/No metric data for 2.0.0 at 10%: holding/);
      }
      const state = await readState(app);
      expect(state).toMatchObject({ checksRun: 0, weight: 10, analysis: [] });
    }, 120_000);
  });

  for (const router of ROUTERS) {
    describe(`traffic-router ${router}`, () => {
      it('promotes a good canary through every step', async () => {
        const namespace = await createNamespace(kube(), `good-${router.replace('-', '')}`);
        const app = await seedStableApp(kube(), namespace, 'chat', router === 'replicas' ? 10 : 4);
        await settleDeployments(app);
        const srm = router === 'nginx';
        await startRollout(app, router, 'good', srm);
        expect(await routerWeight(app, router)).toBe(10);

        // a tick inside the bake time holds and changes nothing (no object is rewritten: the API server's
        // defaulted fields must not look like a change)
        const generations = async () => {
          const apps = kube().makeApiClient(AppsV1Api);
          const [stable, canary, state] = await Promise.all([
            apps.readNamespacedDeployment({ name: app.name, namespace }),
            apps.readNamespacedDeployment({ name: `${app.name}-canary`, namespace }),
            kube().makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: `${app.name}-rollout`, namespace }),
          ]);
          return [stable.metadata!.resourceVersion, canary.metadata!.resourceVersion, state.metadata!.resourceVersion];
        };
        const before = await generations();
        const baking = await action(app, 4, { command: 'progress' });
        expect(baking.outputs).toMatchObject({ decision: 'hold', weight: '10' });
        expect(await generations()).toEqual(before);
        expect(baking.summary).toMatch(/baking step 1\/4 at 10%/);

        const weights: string[] = [];
        for (const minute of [12, 22, 32]) {
          const tick = await action(app, minute, { command: 'progress' });
          expect(tick.exitCode).toBe(0);
          if (tick.outputs.decision !== 'advance') console.log(tick.summary);
          expect({ minute, decision: tick.outputs.decision }).toEqual({ minute, decision: 'advance' });
          weights.push(tick.outputs.weight);
          await settleDeployments(app);
        }
        expect(weights).toEqual(['25', '50', '100']);
        expect(await routerWeight(app, router)).toBe(100);

        // the last step passes: stable takes the new template; promotion waits until it is available
        const completing = await action(app, 42, { command: 'progress' });
        expect(completing.outputs).toMatchObject({ decision: 'complete', status: 'promoting' });
        const stable = await kube().makeApiClient(AppsV1Api).readNamespacedDeployment({ name: app.name, namespace });
        const server = stable.spec!.template.spec!.containers.find((c) => c.name === 'server')!;
        expect(server.image).toBe('registry.example/chat:2.0.0');
        expect(server.env).toContainEqual({ name: 'PROMPT_VERSION', value: '2.0.0' });
        expect(stable.metadata!.annotations!['model-cicd.dev/version']).toBe('2.0.0');
        await settleDeployments(app);

        const promoted = await action(app, 43, { command: 'progress' });
        expect(promoted.outputs).toMatchObject({ status: 'promoted', weight: '0', decision: 'complete' });
        expect(await routerWeight(app, router)).toBe(0);
        const state = await readState(app);
        expect(state).toMatchObject({ stableVersion: '2.0.0', lastStableVersions: ['1.0.0'], weight: 0 });
        expect(state.analysis.map((a) => [a.weight, a.verdict, a.checkIndex, a.checksPlanned])).toEqual([
          [10, 'passed', 1, 12],
          [25, 'passed', 2, 12],
          [50, 'passed', 3, 12],
          [100, 'passed', 4, 12],
        ]);
        if (srm) expect(state.analysis[0].sampleRatio).toMatchObject({ mismatch: false, intendedWeight: 10 });
        expect(state.events[0]).toMatchObject({ type: 'started', actor: 'octocat', reason: 'ship prompt v2' });
        expect(state.events.every((event) => event.actor && event.at)).toBe(true);
        const canary = await kube().makeApiClient(AppsV1Api).readNamespacedDeployment({ name: `${app.name}-canary`, namespace });
        if (['nginx', 'gateway-api', 'istio'].includes(router)) {
          // the previous version stays warm, with no traffic, for the rollback window
          expect(state.warmPrevious).toMatchObject({ version: '1.0.0', deployment: 'chat-canary' });
          expect(canary.spec!.template.metadata!.labels!['model-cicd.dev/version']).toBe('1.0.0');
          expect(canary.spec!.replicas).toBe(4);
        } else {
          expect(state.warmPrevious).toBeUndefined();
          expect(canary.spec!.replicas).toBe(0);
        }
        expect(promoted.summary).toMatch(/## gradual-rollout: chat 1.0.0 → 2.0.0|## gradual-rollout: chat 2.0.0 → 2.0.0/);
        expect(promoted.summary).toMatch(/### Events/);
        const report = JSON.parse(await readFile(promoted.outputs['report-path'], 'utf8'));
        expect(report).toMatchObject({ status: 'promoted', rolloutId: state.id });
      }, 120_000);

      it('rolls back a bad canary at the first step whose data shows it', async () => {
        const namespace = await createNamespace(kube(), `bad-${router.replace('-', '')}`);
        const app = await seedStableApp(kube(), namespace, 'chat', router === 'replicas' ? 10 : 4);
        await settleDeployments(app);
        await startRollout(app, router, 'bad');
        const passed = await action(app, 12, { command: 'progress' });
        expect(passed.outputs).toMatchObject({ decision: 'advance', weight: '25' });
        await settleDeployments(app);
        const rolledBack = await action(app, 22, { command: 'progress' });
        expect(rolledBack.exitCode).toBe(0);
        expect(rolledBack.outputs).toMatchObject({ decision: 'rollback', status: 'rolled-back', weight: '0' });
        const errors = commandsOf(rolledBack, 'error');
        expect(errors[0].message).toMatch(/rolled back: analysis check 2\/12 at 25%: latency regressed/);
        expect(await routerWeight(app, router)).toBe(0);
        const canary = await kube().makeApiClient(AppsV1Api).readNamespacedDeployment({ name: `${app.name}-canary`, namespace });
        expect(canary.spec!.replicas).toBe(0);
        const stable = await kube().makeApiClient(AppsV1Api).readNamespacedDeployment({ name: app.name, namespace });
        expect(stable.spec!.template.spec!.containers[0].image).toBe('registry.example/chat:1.0.0');
        const state = await readState(app);
        expect(state.analysis.map((a) => [a.weight, a.verdict])).toEqual([[10, 'passed'], [25, 'regressed']]);
        expect(state.events.map((e) => e.type)).toContain('rolled-back');
        expect(rolledBack.summary).toMatch(/latency/);
      }, 120_000);
    });
  }
});
