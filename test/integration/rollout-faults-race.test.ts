// Races, deterministically interleaved: with latency on every API call, two ticks that start together both read
// the same state; the compare-and-swap lets exactly one write its intent, the other stops before touching the
// cluster and says so. Repeated, so the losing path is exercised every time, not by luck.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { createTrafficRouter, KubeClient } from '@model-cicd/core/kubernetes';
import { KubeRolloutCluster, parseState, runCommand, type AnalysisResult } from '@model-cicd/core/rollout';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../servers/kube-fake.ts';
import { seedStableApp, setDeploymentStatus, type StableApp } from '../servers/kube-fixtures.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');

describe('two runs at the same moment', () => {
  let fake: FakeKubeApiServer;
  beforeAll(async () => {
    fake = await startFakeKubeApiServer();
  });
  afterAll(async () => {
    await fake?.stop();
  });

  const settle = async (app: StableApp) => {
    for (const name of [app.name, `${app.name}-canary`]) await setDeploymentStatus(fake.kubeConfig, app.namespace, name).catch(() => undefined);
  };

  it('exactly one of two simultaneous ticks advances; the other stops with a conflict and writes nothing', async () => {
    const client = new KubeClient(fake.kubeConfig);
    const analyse = async (): Promise<AnalysisResult> => ({ analysis: { verdict: 'passed', reason: 'ok', samples: { stable: 50, canary: 50 }, metrics: [] } });
    let minute = 0;
    const cluster = (app: StableApp) => new KubeRolloutCluster({ client, namespace: app.namespace, name: app.name, audit: {}, now: () => new Date(T0 + minute * MINUTE).toISOString(), analyse });
    const actor = { actor: 'race' };
    for (let round = 0; round < 8; round++) {
      fake.latencyMs = 0;
      const namespace = `race-${round}`;
      await fake.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
      const app = await seedStableApp(fake.kubeConfig, namespace, 'chat', 4);
      await settle(app);
      minute = 0;
      await runCommand(cluster(app), {
        command: 'start', name: 'chat', namespace, actor,
        start: {
          version: '2.0.0', canary: { image: 'registry.example/chat:2.0.0' }, router: { kind: 'nginx', ingress: app.ingress }, steps: [10, 25, 50, 100],
          config: { stepDurationMs: 5 * MINUTE, minSamples: 10, rollbackWindowMs: 0, checksPerStep: 3, maxRestarts: 3, metricsConfig: 'metrics: stub' }, onConflict: 'fail',
        },
      });
      await settle(app);
      minute = 1;
      await runCommand(cluster(app), { command: 'progress', name: 'chat', namespace, actor });
      await settle(app);

      minute = 7;
      fake.latencyMs = 20;
      const [a, b] = await Promise.all([
        runCommand(cluster(app), { command: 'progress', name: 'chat', namespace, actor }),
        runCommand(cluster(app), { command: 'progress', name: 'chat', namespace, actor }),
      ]);
      fake.latencyMs = 0;
      expect([a.decision, b.decision].sort()).toEqual(['advance', 'noop']);
      const loser = a.decision === 'noop' ? a : b;
      expect(loser.conflict).toMatch(/another run changed this rollout first/);
      expect(loser.writes).toBe(0);
      const state = parseState((await fake.kubeConfig.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'chat-rollout', namespace })).data!['state.json']);
      expect(state).toMatchObject({ weight: 25, currentStep: 1, checksRun: 1 });
      expect(state.events.filter((e) => e.type === 'advanced')).toHaveLength(2);
      const weight = await createTrafficRouter('nginx', { client, audit: {} }, { namespace, name: 'chat', ingress: app.ingress }).readWeight();
      expect(weight).toBe(25);
    }
  }, 120_000);
});
