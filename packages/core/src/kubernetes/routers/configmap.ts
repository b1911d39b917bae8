// The configmap router: application-level routing. The ConfigMap `<name>-routing` holds the stable version, the
// canary version and the canary weight; the application reads it (mounted as files or via the API) and picks the
// version per request. To keep a user on one version while the weight grows, pick by a stable hash of the user
// id: `stickyTrack(userId, weight)` below is the reference. A user whose bucket is below the weight sees the canary,
// and because buckets never move, raising the weight only ever moves users from stable to canary.
import { createHash } from 'node:crypto';
import { PatchStrategy, type V1ConfigMap } from '@kubernetes/client-node';
import { stampAudit } from '../audit.ts';
import { ConflictError, KubernetesError, type ObjectRef } from '../errors.ts';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../state-store.ts';
import { withSuffix } from '../labels.ts';
import { ExactWeightRouter } from './exact-weight-router.ts';
import type { RouterDependencies, RouterTarget, TrafficRouter } from './router.ts';

export const ROUTING_KEYS = { stableVersion: 'stable-version', canaryVersion: 'canary-version', canaryWeight: 'canary-weight' } as const;
export const ROUTING_LABEL = 'model-cicd.dev/routing-of';
export const routingConfigMapName = (name: string) => withSuffix(name, '-routing');

/** The user's bucket in 0..9999, from SHA-256 of `salt:userId`; the same user always gets the same bucket. */
export function stickyBucket(userId: string, salt = ''): number {
  const digest = createHash('sha256').update(`${salt}:${userId}`).digest();
  return digest.readUInt32BE(0) % 10_000;
}

/** Which track serves this user at `weight` percent. */
export function stickyTrack(userId: string, weight: number, salt = ''): 'canary' | 'stable' {
  return stickyBucket(userId, salt) < Math.round(weight * 100) ? 'canary' : 'stable';
}

export class ConfigMapRouter extends ExactWeightRouter implements TrafficRouter {
  readonly kind = 'configmap' as const;
  /** The application routes, not Kubernetes: canary pods may share the stable Service. */
  readonly podLabelMode = 'shared-service' as const;
  private readonly target: RouterTarget;

  constructor(dependencies: RouterDependencies, target: RouterTarget) {
    super(dependencies);
    this.target = target;
  }

  private get ref(): ObjectRef {
    return { kind: 'ConfigMap', name: routingConfigMapName(this.target.name), namespace: this.target.namespace };
  }

  async ensure(): Promise<void> {
    await this.write(undefined);
  }

  async readWeight(): Promise<number> {
    const data = (await this.find())?.data ?? {};
    const weight = Number(data[ROUTING_KEYS.canaryWeight] ?? 0);
    return Number.isFinite(weight) ? weight : 0;
  }

  protected async write(weight: number | undefined): Promise<void> {
    const { client, audit } = this.dependencies;
    const { namespace, stableVersion, canaryVersion } = this.target;
    const name = this.ref.name as string;
    for (let round = 0; ; round++) {
      const existing = await this.find();
      const data: Record<string, string> = {};
      if (stableVersion) data[ROUTING_KEYS.stableVersion] = stableVersion;
      if (canaryVersion) data[ROUTING_KEYS.canaryVersion] = canaryVersion;
      data[ROUTING_KEYS.canaryWeight] = String(weight ?? existing?.data?.[ROUTING_KEYS.canaryWeight] ?? 0);
      try {
        if (!existing) {
          const body: V1ConfigMap = {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: stampAudit({ name, labels: { [ROUTING_LABEL]: this.target.name, [MANAGED_BY_LABEL]: MANAGED_BY } }, audit),
            data,
          };
          await client.call(this.ref, 'create', (options) => client.core.createNamespacedConfigMap({ namespace, body }, options));
          return;
        }
        const body = { metadata: stampAudit({ resourceVersion: existing.metadata?.resourceVersion }, audit), data };
        await client.call(this.ref, 'update', (options) =>
          client.core.patchNamespacedConfigMap({ name, namespace, body }, options), { retry: true, patch: PatchStrategy.MergePatch });
        return;
      } catch (error) {
        if (error instanceof ConflictError && round < 3) continue;
        throw error;
      }
    }
  }

  private async find(): Promise<V1ConfigMap | undefined> {
    const { client } = this.dependencies;
    const { namespace } = this.target;
    const name = this.ref.name as string;
    try {
      return await client.call(this.ref, 'read', (options) => client.core.readNamespacedConfigMap({ name, namespace }, options), { retry: true });
    } catch (error) {
      if (error instanceof KubernetesError && error.status === 404) return undefined;
      throw error;
    }
  }
}
