// Seeded rounds of weight changes under random API faults, with the invariants checked after each round:
// a change that succeeded is in the cluster; one that failed left the old weight or the new one, never anything
// else; the replicas router never loses capacity; and every weight is reached once faults stop.
import { expect } from '@jest/globals';
import { createTrafficRouter, KubeClient, Workloads, type TrafficRouterKind } from '@model-cicd/core/kubernetes';
import type { KubeConfig } from '@kubernetes/client-node';
import type { FaultRule } from './kube-faults.ts';
import type { StableApp } from './kube-fixtures.ts';

export const MIXED_FAULTS: FaultRule[] = [
  { fault: 'throttle', rate: 0.08 },
  { fault: 'server-error', rate: 0.08 },
  { fault: 'reset', rate: 0.08 },
  { fault: 'lost-response', rate: 0.08 },
  { fault: 'conflict', rate: 0.04, method: 'PATCH' },
];

export interface FaultSwitch {
  setFaults(rules: FaultRule[], seed: number): void;
  clearFaults(): void;
}

/** Returns how many rounds saw their change fail (and then recover). */
export async function runFaultRounds(
  kind: TrafficRouterKind,
  kubeConfig: KubeConfig,
  app: StableApp,
  faults: FaultSwitch,
  rounds: number,
): Promise<number> {
  const layer = new KubeClient(kubeConfig, { retry: { attempts: 6 }, sleep: async () => {} });
  const router = createTrafficRouter(kind, { client: layer, audit: { runId: '1' } }, { ...app, stableVersion: '1', canaryVersion: '2' });
  const workloads = new Workloads(layer);
  const stable = await workloads.readDeployment(app.namespace, app.name);
  const totalReplicas = stable.spec?.replicas ?? 1;
  await workloads.upsertCanary(stable, { version: '2', image: 'x:2' }, { mode: router.podLabelMode, replicas: router.podLabelMode === 'shared-service' ? 0 : 1 });
  await router.ensure();
  let confirmed = 0;
  let failures = 0;
  for (let seed = 1; seed <= rounds; seed++) {
    const weight = [0, 10, 25, 50, 100][seed % 5];
    faults.setFaults(MIXED_FAULTS, seed);
    let applied = true;
    try {
      await router.applyWeight(weight);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      applied = false;
      failures++;
    }
    faults.clearFaults();
    const now = await router.readWeight();
    if (applied) expect(now).toBe(weight);
    else if (kind !== 'replicas') expect([confirmed, weight]).toContain(now);
    if (kind === 'replicas') {
      const [stableNow, canaryNow] = await Promise.all([app.name, `${app.name}-canary`].map((name) => workloads.readDeployment(app.namespace, name)));
      expect((stableNow.spec?.replicas ?? 0) + (canaryNow.spec?.replicas ?? 0)).toBeGreaterThanOrEqual(totalReplicas);
    }
    if (!applied) {
      await router.applyWeight(weight);
      expect(await router.readWeight()).toBe(weight);
    }
    confirmed = weight;
  }
  return failures;
}
