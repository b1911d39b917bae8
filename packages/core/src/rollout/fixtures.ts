// Test fixtures for the rollout core: states, observations, and a model cluster that executes plans the way
// the shell does (used by unit tests and property tests; the real shell is tested against real servers).
import { start, type StartRequest } from './machine.ts';
import type { AnalysisOutcome, DeploymentHealth, Effect, Plan, RolloutConfig, RolloutState, TickObservations } from './types.ts';

export const T0 = '2026-01-01T00:00:00.000Z';
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const baseConfig = (overrides: Partial<RolloutConfig> = {}): RolloutConfig => ({
  stepDurationMs: 5 * 60_000,
  minSamples: 30,
  rollbackWindowMs: 30 * 60_000,
  checksPerStep: 3,
  metricsConfig: 'metrics: []',
  maxRestarts: 3,
  ...overrides,
});

export const startRequest = (overrides: Partial<StartRequest> = {}): StartRequest => ({
  name: 'chat',
  namespace: 'default',
  version: '2.0.0',
  stableVersion: '1.0.0',
  canary: { image: 'registry.example/chat:2.0.0' },
  router: { kind: 'nginx', ingress: 'chat' },
  steps: [10, 25, 50, 100],
  config: baseConfig(),
  onConflict: 'fail',
  stableReplicas: 4,
  ...overrides,
});

export const health = (overrides: Partial<DeploymentHealth> = {}): DeploymentHealth => ({
  exists: true,
  desired: 4,
  available: 4,
  updated: 4,
  observedCurrent: true,
  restarts: 0,
  crashLooping: false,
  ...overrides,
});

export const passed = (samples = 200): AnalysisOutcome => ({ verdict: 'passed', reason: 'no metric regressed', samples: { stable: samples, canary: samples }, metrics: [] });
export const regressed = (samples = 200): AnalysisOutcome => ({
  verdict: 'regressed',
  reason: 'latency regressed (critical)',
  samples: { stable: samples, canary: samples },
  metrics: [{ name: 'latency', verdict: 'regressed', severity: 'critical', critical: true }],
});
export const inconclusive = (samples = 200): AnalysisOutcome => ({ verdict: 'inconclusive', reason: 'too noisy', samples: { stable: samples, canary: samples }, metrics: [] });

/** A model of the cluster: what the effects did. */
export interface ModelCluster {
  weight: number;
  canaryVersion?: string;
  canaryReplicas: number;
  stableVersion: string;
  stableReplicas: number;
  state: RolloutState | null;
  /** Every weight the router ever had, in order. */
  weights: number[];
  writes: number;
}

export const modelCluster = (stableVersion = '1.0.0'): ModelCluster => ({
  weight: 0,
  canaryReplicas: 0,
  stableVersion,
  stableReplicas: 4,
  state: null,
  weights: [0],
  writes: 0,
});

/** Observations of the model cluster as the shell would read them: pods come up instantly and healthy. */
export function observe(cluster: ModelCluster, now: string, extra: Partial<TickObservations> = {}): TickObservations {
  return {
    now,
    canaryHealth: health({
      exists: cluster.canaryVersion !== undefined,
      version: cluster.canaryVersion,
      desired: cluster.canaryReplicas,
      available: cluster.canaryReplicas,
      updated: cluster.canaryReplicas,
    }),
    stableHealth: health({ version: cluster.stableVersion, desired: cluster.stableReplicas, available: cluster.stableReplicas, updated: cluster.stableReplicas }),
    clusterWeight: cluster.weight,
    ...extra,
  };
}

export class Crash extends Error {}

/**
 * Executes a plan's effects in order on the model. `crashAfterWrites` simulates the process dying after that
 * many writes (state or cluster); a state write whose expected state is stale fails like a CAS conflict.
 */
export function execute(cluster: ModelCluster, planned: Plan, read: RolloutState | null, budget: { writes: number } = { writes: Infinity }): void {
  let expected = read;
  const write = (): void => {
    if (budget.writes <= 0) throw new Crash('crashed');
    budget.writes--;
    cluster.writes++;
  };
  for (const effect of planned.effects) {
    applyEffect(cluster, effect, () => expected, (s) => (expected = s), write);
  }
}

function applyEffect(cluster: ModelCluster, effect: Effect, expected: () => RolloutState | null, setExpected: (s: RolloutState) => void, write: () => void): void {
  switch (effect.type) {
    case 'writeState':
      if (cluster.state !== expected()) throw new Error('conflict');
      write();
      cluster.state = effect.state;
      setExpected(effect.state);
      return;
    case 'ensureCanary':
      write();
      cluster.canaryVersion = effect.version;
      cluster.canaryReplicas = Math.max(cluster.canaryReplicas, effect.replicas);
      return;
    case 'scaleCanary':
      write();
      cluster.canaryReplicas = effect.replicas;
      return;
    case 'setWeight':
      write();
      cluster.weight = effect.weight;
      cluster.weights.push(effect.weight);
      return;
    case 'promoteStable':
      write();
      cluster.stableVersion = effect.version;
      return;
    case 'warmPrevious':
      write();
      cluster.canaryVersion = effect.version;
      return;
  }
}

/** Starts a rollout on the model and runs it until it waits (pods are instant here, so step 1 is entered). */
export function startOn(cluster: ModelCluster, request: StartRequest = startRequest(), now = T0): RolloutState {
  const plan = start(request, cluster.state, { actor: 'octocat' }, now);
  execute(cluster, plan, cluster.state);
  return cluster.state!;
}
