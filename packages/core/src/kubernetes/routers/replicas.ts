// The replicas router: one Service selects both tracks, so the canary's share of traffic is its share of the
// replicas. Coarse (3 replicas cannot serve 10 %), but it needs nothing beyond Deployments and a Service.
import { stampAudit } from '../audit.ts';
import { KubernetesError } from '../errors.ts';
import { canaryName } from '../labels.ts';
import { Workloads } from '../workload.ts';
import { checkWeight, WEIGHT_ANNOTATION, type RouterDependencies, type RouterTarget, type TrafficRouter, type WeightResult } from './router.ts';
import { PatchStrategy } from '@kubernetes/client-node';

/** How far (in percentage points) the effective share may drift from the requested one before we warn. */
export const REPLICA_SHARE_TOLERANCE = 5;

/** The stable + canary replica total the split was made from, recorded on the canary Deployment. */
export const TOTAL_ANNOTATION = 'model-cicd.dev/total-replicas';

function recordedTotal(annotations: Record<string, string> | undefined): number | undefined {
  const total = Number(annotations?.[TOTAL_ANNOTATION]);
  return Number.isInteger(total) && total > 0 ? total : undefined;
}

/** Replica counts for a weight: canary = round(total * weight / 100), stable the rest (pure). */
export function splitReplicas(total: number, weight: number): { canary: number; stable: number; effective: number } {
  const canary = Math.round((total * weight) / 100);
  return { canary, stable: total - canary, effective: total === 0 ? 0 : (canary / total) * 100 };
}

export class ReplicasRouter implements TrafficRouter {
  readonly kind = 'replicas' as const;
  readonly podLabelMode = 'shared-service' as const;
  private readonly dependencies: RouterDependencies;
  private readonly target: RouterTarget;
  private readonly workloads: Workloads;

  constructor(dependencies: RouterDependencies, target: RouterTarget) {
    this.dependencies = dependencies;
    this.target = target;
    this.workloads = new Workloads(dependencies.client, dependencies.audit);
  }

  async ensure(): Promise<void> {
    const { namespace, name } = this.target;
    await this.workloads.readDeployment(namespace, name);
    await this.workloads.readDeployment(namespace, canaryName(name));
  }

  async applyWeight(weight: number): Promise<WeightResult> {
    checkWeight(weight);
    const { namespace, name } = this.target;
    const [stable, canary] = await Promise.all([
      this.workloads.readDeployment(namespace, name),
      this.workloads.readDeployment(namespace, canaryName(name)),
    ]);
    const stableReplicas = stable.spec?.replicas ?? 1;
    const canaryReplicas = canary.spec?.replicas ?? 0;
    const total = recordedTotal(canary.metadata?.annotations) ?? stableReplicas + canaryReplicas;
    if (total === 0) {
      throw new KubernetesError(`Deployments '${name}' and '${canaryName(name)}' in namespace '${namespace}' have 0 replicas together; the replicas router has nothing to split.`, { kind: 'Deployment', name, namespace });
    }
    const split = splitReplicas(total, weight);
    // grow one side before shrinking the other, so serving capacity never dips below the total; the total is
    // recorded on the canary so that a change interrupted between the two writes cannot inflate it
    const writes: Array<[string, number, number]> = [
      [canaryName(name), canaryReplicas, split.canary],
      [name, stableReplicas, split.stable],
    ];
    writes.sort((a, b) => (b[2] - b[1]) - (a[2] - a[1]));
    for (const [deployment, current, next] of writes) {
      const isCanary = deployment === canaryName(name);
      if (current === next && !isCanary) continue;
      await this.patchReplicas(deployment, next, isCanary ? { [WEIGHT_ANNOTATION]: String(weight), [TOTAL_ANNOTATION]: String(total) } : undefined);
    }
    return this.result(weight, split.effective, total);
  }

  async readWeight(): Promise<number> {
    const { namespace, name } = this.target;
    const [stable, canary] = await Promise.all([
      this.workloads.readDeployment(namespace, name),
      this.workloads.findDeployment(namespace, canaryName(name)),
    ]);
    if (!canary) return 0;
    const stableReplicas = stable.spec?.replicas ?? 1;
    const canaryReplicas = canary.spec?.replicas ?? 0;
    const total = stableReplicas + canaryReplicas;
    const recorded = Number(canary.metadata?.annotations?.[WEIGHT_ANNOTATION]);
    // the weight asked for while both Deployments still match it; otherwise what the replicas give (drift)
    if (Number.isFinite(recorded)) {
      const split = splitReplicas(recordedTotal(canary.metadata?.annotations) ?? total, recorded);
      if (split.canary === canaryReplicas && split.stable === stableReplicas) return recorded;
    }
    return total === 0 ? 0 : (canaryReplicas / total) * 100;
  }

  async reset(): Promise<WeightResult> {
    const { namespace, name } = this.target;
    const canary = await this.workloads.findDeployment(namespace, canaryName(name));
    if (!canary) return { requested: 0, effective: 0 };
    return this.applyWeight(0);
  }

  private async patchReplicas(deployment: string, replicas: number, annotations: Record<string, string> | undefined) {
    const { client, audit } = this.dependencies;
    const { namespace } = this.target;
    const metadata = stampAudit(annotations ? { annotations } : {}, audit);
    await client.call({ kind: 'Deployment', name: deployment, namespace }, 'scale', (options) =>
      client.apps.patchNamespacedDeployment({ name: deployment, namespace, body: { metadata, spec: { replicas } } }, options),
    { retry: true, patch: PatchStrategy.MergePatch });
  }

  private result(requested: number, effective: number, total: number): WeightResult {
    const rounded = Math.round(effective * 100) / 100;
    if (Math.abs(rounded - requested) <= REPLICA_SHARE_TOLERANCE) return { requested, effective: rounded };
    return {
      requested,
      effective: rounded,
      warning: `The replicas router gives the canary ${rounded}% of traffic, not ${requested}%: ${total} replicas cannot split finer. Add replicas, or use a weighted router (nginx, gateway-api, istio).`,
    };
  }
}
