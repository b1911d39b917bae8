// Randomised fault runs (seeded): rollouts driven by commands and ticks through the real shell and Kubernetes
// layer against the in-process fake API server, with API faults (409, 429, 500, resets, timeouts, lost
// responses) and the run killed after a random number of writes. After every command: the state is valid, the
// router's weight is the state's weight or its previous one, and traffic never goes to a track with no available
// pods. When the faults stop, ticks settle everything and a rollback always completes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { createTrafficRouter, KubeClient } from '@model-cicd/core/kubernetes';
import {
  KubeRolloutCluster,
  parseState,
  runCommand,
  type AnalysisResult,
  type CommandRequest,
  type RolloutState,
  type RouterKind,
} from '@model-cicd/core/rollout';
import { startFakeKubeApiServer, type FakeKubeApiServer, type FaultKind } from '../servers/kube-fake.ts';
import { seedStableApp, setDeploymentStatus, type StableApp } from '../servers/kube-fixtures.ts';
import { seededUniform } from '../harness/seeded-random.ts';

class Crash extends Error {}


const ROUTERS: RouterKind[] = ['nginx', 'configmap', 'gateway-api', 'istio', 'replicas'];
const FAULTS: FaultKind[] = ['conflict', 'throttle', 'server-error', 'reset', 'timeout', 'lost-response' as FaultKind];
const MINUTE = 60_000;
const T0 = Date.parse('2026-05-01T08:00:00Z');
// 200 by default (hundreds, as the rollout must survive) keeps the file near two minutes on 2 cores; ROLLOUT_FAULT_RUNS=1000 for a longer soak
const RUNS = Number(process.env.ROLLOUT_FAULT_RUNS ?? 200);

describe('rollout under API faults and crashes (seeded, randomised)', () => {
  let fake: FakeKubeApiServer;
  beforeAll(async () => {
    fake = await startFakeKubeApiServer();
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it(`keeps its invariants in ${RUNS} runs and always finishes a rollback once faults stop`, async () => {
    const stats = { commands: 0, crashed: 0, failed: 0, conflicts: 0, rollbacksFinished: 0, promoted: 0, faults: 0 };
    for (let run = 0; run < RUNS; run++) {
      await scenario(run, stats);
    }
    // the runs really exercised the failure paths
    expect(stats.crashed).toBeGreaterThan(RUNS / 2);
    expect(stats.failed).toBeGreaterThan(RUNS / 4);
    expect(stats.faults).toBeGreaterThan(RUNS);
    expect(stats.rollbacksFinished).toBeGreaterThan(RUNS / 5);
    console.log(`rollout-faults: ${JSON.stringify(stats)}`);
  }, 600_000);

  async function scenario(run: number, stats: Record<string, number>): Promise<void> {
    const random = seededUniform(1000 + run);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const router = ROUTERS[run % ROUTERS.length];
    const namespace = `faults-${run}`;
    await fake.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    const app = await seedStableApp(fake.kubeConfig, namespace, 'chat', router === 'replicas' ? 10 : 4);
    await settle(app);
    // short deadlines while faults are injected (a 'timeout' fault never answers); normal ones once they stop
    const faultyClient = new KubeClient(fake.kubeConfig, { retry: { attempts: 3 }, sleep: async () => {}, requestTimeoutMs: 60 });
    const calmClient = new KubeClient(fake.kubeConfig, { requestTimeoutMs: 10_000 });
    let client = faultyClient;
    let minute = 0;
    const analysisVerdicts = () => (random() < 0.2 ? 'regressed' : random() < 0.2 ? 'inconclusive' : 'passed');
    const analyse = async (): Promise<AnalysisResult> => {
      const verdict = analysisVerdicts();
      return { analysis: { verdict, reason: `seeded ${verdict}`, samples: { stable: 100, canary: 100 }, metrics: [] } };
    };
    const cluster = () => new KubeRolloutCluster({ client, namespace, name: app.name, audit: { actor: 'faults' }, now: () => new Date(T0 + minute * MINUTE).toISOString(), analyse });
    const startRequest = (version: string, onConflict: 'fail' | 'supersede' = 'fail'): CommandRequest => ({
      command: 'start',
      name: app.name,
      namespace,
      actor: { actor: 'faults' },
      start: {
        version,
        canary: { image: `registry.example/chat:${version}`, container: 'server' },
        router: { kind: router, service: app.service, ingress: app.ingress, httproute: app.httproute, virtualservice: app.virtualservice },
        steps: [10, 25, 50, 100],
        config: { stepDurationMs: 5 * MINUTE, minSamples: 10, rollbackWindowMs: 10 * MINUTE, checksPerStep: 3, maxRestarts: 3, metricsConfig: 'metrics: seeded' },
        onConflict,
      },
    });
    let versions = 1;
    const commands = Array.from({ length: 6 + Math.floor(random() * 8) }, (_, i): CommandRequest => {
      if (i === 0) return startRequest(`2.${versions++}.0`);
      const roll = random();
      const base = { name: app.name, namespace, actor: { actor: 'faults' } };
      if (roll < 0.55) return { ...base, command: 'progress' };
      if (roll < 0.7) return { ...base, command: 'set-weight', weight: pick([0, 5, 30, 60, 100]) };
      if (roll < 0.8) return { ...base, command: 'abort' };
      if (roll < 0.87) return { ...base, command: 'promote' };
      if (roll < 0.93) return { ...base, command: pick(['pause', 'resume'] as const) };
      return startRequest(`2.${versions++}.0`, 'supersede');
    });

    for (const request of commands) {
      minute += 1 + Math.floor(random() * 8);
      const rate = random() * 0.35;
      fake.setFaults([{ fault: pick(FAULTS), rate }, { fault: pick(FAULTS), rate: rate / 2 }], 7 * run + stats.commands);
      const crashAt = random() < 0.6 ? 1 + Math.floor(random() * 6) : Infinity;
      stats.commands++;
      const before = fake.requestCount;
      try {
        const outcome = await runCommand(cluster(), request, {
          afterWrite: (count) => {
            if (count >= crashAt) throw new Crash(`killed after ${count} writes`);
          },
        });
        if (outcome.conflict) stats.conflicts++;
      } catch (error) {
        if (error instanceof Crash) stats.crashed++;
        else stats.failed++;
      }
      stats.faults += fake.requests.slice(before).filter((r) => r.fault).length;
      fake.clearFaults();
      await checkInvariants(app, router, `run ${run} after ${request.command}`);
      await settle(app);
    }

    // faults stop: ticks settle whatever was left unconfirmed, and a rollback always completes
    fake.clearFaults();
    client = calmClient;
    for (let round = 0; round < 6; round++) {
      minute += 6;
      const state = await readState(app);
      if (!state) break;
      const outcome = await runCommand(cluster(), { command: 'progress', name: app.name, namespace, actor: { actor: 'faults' } });
      await settle(app);
      await checkInvariants(app, router, `run ${run} settling`);
      if (!outcome.state?.pending && outcome.decision === 'noop') break;
    }
    const final = await readState(app);
    if (final) {
      expect(final.pending).toBeUndefined();
      expect(final.status).not.toBe('rolling-back');
      expect(await routerWeight(app, router, final)).toBe(final.weight);
      if (final.status === 'rolled-back' || final.status === 'aborted') {
        stats.rollbacksFinished++;
        expect(final.weight).toBe(0);
        const canary = await fake.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'chat-canary', namespace }).catch(() => undefined);
        expect(canary?.spec?.replicas ?? 0).toBe(0);
      }
      if (final.status === 'promoted') stats.promoted++;
    }
  }

  async function settle(app: StableApp): Promise<void> {
    for (const name of [app.name, `${app.name}-canary`]) {
      const exists = await fake.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace: app.namespace }).then(() => true, () => false);
      if (exists) await setDeploymentStatus(fake.kubeConfig, app.namespace, name);
    }
  }

  async function readState(app: StableApp): Promise<RolloutState | undefined> {
    const configMap = await fake.kubeConfig.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: `${app.name}-rollout`, namespace: app.namespace }).catch(() => undefined);
    return configMap ? parseState(configMap.data!['state.json']) : undefined;
  }

  async function routerWeight(app: StableApp, router: RouterKind, state: RolloutState): Promise<number> {
    return createTrafficRouter(router, { client: new KubeClient(fake.kubeConfig), audit: {} }, {
      namespace: app.namespace, name: app.name, service: app.service, ingress: app.ingress, httproute: app.httproute, virtualservice: app.virtualservice,
      stableVersion: state.stableVersion, canaryVersion: state.canaryVersion,
    }).readWeight();
  }

  async function checkInvariants(app: StableApp, router: RouterKind, where: string): Promise<void> {
    const state = await readState(app);
    if (!state) return;
    const weight = await routerWeight(app, router, state);
    const allowed = [state.weight, state.previousWeight];
    if (router === 'replicas') {
      // the replicas router scales two Deployments, one after the other (up before down): a run stopped between
      // them leaves a share between the old weight and the new one, with neither track below its pods
      const [low, high] = [Math.min(...allowed), Math.max(...allowed)];
      expect({ where, weight, between: weight >= low - 5 && weight <= high + 5 }).toEqual({ where, weight, between: true });
      return;
    }
    expect({ where, weight, allowed }).toEqual({ where, weight, allowed: expect.arrayContaining([weight]) });
    const apps = fake.kubeConfig.makeApiClient(AppsV1Api);
    if (weight > 0 && router !== 'configmap') {
      const canary = await apps.readNamespacedDeployment({ name: 'chat-canary', namespace: app.namespace });
      // the controller played after the previous command: these are the pods that were available then
      expect({ where, canaryAvailable: (canary.status?.availableReplicas ?? 0) > 0 }).toEqual({ where, canaryAvailable: true });
    }
    if (weight < 100) {
      const stable = await apps.readNamespacedDeployment({ name: 'chat', namespace: app.namespace });
      expect({ where, stableAvailable: (stable.status?.availableReplicas ?? 0) > 0 }).toEqual({ where, stableAvailable: true });
    }
  }
});
