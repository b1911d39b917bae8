// The nginx router: ingress-nginx's canary Ingress, a copy of the stable Ingress whose backends point at
// `<service>-canary`, with `nginx.ingress.kubernetes.io/canary: "true"` and `canary-weight`.
import { PatchStrategy, type V1Ingress, type V1IngressBackend } from '@kubernetes/client-node';
import { stampAudit } from '../audit.ts';
import { ConflictError, KubernetesError, type ObjectRef } from '../errors.ts';
import { CANARY_OF_LABEL, canaryName, TRACK_LABEL } from '../labels.ts';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../state-store.ts';
import { Workloads } from '../workload.ts';
import { checkWeight, type RouterDependencies, type RouterTarget, type TrafficRouter, type WeightResult } from './router.ts';

export const NGINX_CANARY = 'nginx.ingress.kubernetes.io/canary';
export const NGINX_CANARY_WEIGHT = 'nginx.ingress.kubernetes.io/canary-weight';
/** Annotations of the stable Ingress the canary copy keeps: ingress-nginx matches canaries by class and host. */
const KEPT_ANNOTATIONS = ['kubernetes.io/ingress.class'];

/** The canary copy of the stable Ingress's spec: every backend on `service` moves to `<service>-canary` (pure). */
export function canaryIngressSpec(stable: V1Ingress, service: string): NonNullable<V1Ingress['spec']> {
  const spec = structuredClone(stable.spec ?? {});
  let found = false;
  const redirect = (backend: V1IngressBackend | undefined) => {
    if (backend?.service?.name === service) {
      backend.service.name = canaryName(service);
      found = true;
    }
  };
  redirect(spec.defaultBackend);
  for (const rule of spec.rules ?? []) for (const path of rule.http?.paths ?? []) redirect(path.backend);
  if (!found) {
    throw new Error(`Ingress '${stable.metadata?.name}' in namespace '${stable.metadata?.namespace}' has no backend on Service '${service}'. Set the 'service' input to the Service the Ingress routes to.`);
  }
  return spec;
}

export class NginxRouter implements TrafficRouter {
  readonly kind = 'nginx' as const;
  readonly podLabelMode = 'separate-service' as const;
  private readonly dependencies: RouterDependencies;
  private readonly target: Required<Pick<RouterTarget, 'namespace' | 'name' | 'service' | 'ingress'>>;

  constructor(dependencies: RouterDependencies, target: RouterTarget & { ingress: string }) {
    this.dependencies = dependencies;
    this.target = { namespace: target.namespace, name: target.name, service: target.service ?? target.name, ingress: target.ingress };
  }

  private get canaryRef(): ObjectRef {
    return { kind: 'Ingress', name: canaryName(this.target.ingress), namespace: this.target.namespace };
  }

  async ensure(): Promise<void> {
    await new Workloads(this.dependencies.client, this.dependencies.audit).ensureCanaryService(this.target.namespace, this.target.service);
    await this.upsert();
  }

  async applyWeight(weight: number): Promise<WeightResult> {
    checkWeight(weight);
    await this.upsert(weight);
    return { requested: weight, effective: weight };
  }

  async readWeight(): Promise<number> {
    const canary = await this.find(this.canaryRef.name as string);
    const annotations = canary?.metadata?.annotations ?? {};
    if (annotations[NGINX_CANARY] !== 'true') return 0;
    const weight = Number(annotations[NGINX_CANARY_WEIGHT] ?? 0);
    return Number.isFinite(weight) ? weight : 0;
  }

  async reset(): Promise<WeightResult> {
    if (!(await this.find(this.canaryRef.name as string))) return { requested: 0, effective: 0 };
    return this.applyWeight(0);
  }

  /** Creates the canary Ingress (weight 0 unless given) or sets its weight; the spec follows the stable Ingress. */
  private async upsert(weight?: number): Promise<void> {
    const { client, audit } = this.dependencies;
    const { namespace, ingress, service } = this.target;
    const name = this.canaryRef.name as string;
    for (let round = 0; ; round++) {
      const [stable, existing] = await Promise.all([this.find(ingress), this.find(name)]);
      if (!stable) throw new KubernetesError(`Ingress '${ingress}' not found in namespace '${namespace}'`, { kind: 'Ingress', name: ingress, namespace }, { status: 404, reason: 'NotFound' });
      const spec = canaryIngressSpec(stable, service);
      const annotations: Record<string, string> = {};
      for (const key of KEPT_ANNOTATIONS) {
        const value = stable.metadata?.annotations?.[key];
        if (value) annotations[key] = value;
      }
      annotations[NGINX_CANARY] = 'true';
      annotations[NGINX_CANARY_WEIGHT] = String(weight ?? Number(existing?.metadata?.annotations?.[NGINX_CANARY_WEIGHT] ?? 0));
      try {
        if (!existing) {
          const body: V1Ingress = {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: stampAudit({
              name,
              labels: { [TRACK_LABEL]: 'canary', [CANARY_OF_LABEL]: ingress, [MANAGED_BY_LABEL]: MANAGED_BY },
              annotations,
            }, audit),
            spec,
          };
          await client.call(this.canaryRef, 'create', (options) => client.networking.createNamespacedIngress({ namespace, body }, options));
          return;
        }
        const body = { metadata: stampAudit({ annotations, resourceVersion: existing.metadata?.resourceVersion }, audit), spec };
        await client.call(this.canaryRef, 'update', (options) =>
          client.networking.patchNamespacedIngress({ name, namespace, body }, options), { retry: true, patch: PatchStrategy.MergePatch });
        return;
      } catch (error) {
        if (error instanceof ConflictError && round < 3) continue;
        throw error;
      }
    }
  }

  private async find(name: string): Promise<V1Ingress | undefined> {
    const { client } = this.dependencies;
    const { namespace } = this.target;
    try {
      return await client.call({ kind: 'Ingress', name, namespace }, 'read', (options) =>
        client.networking.readNamespacedIngress({ name, namespace }, options), { retry: true });
    } catch (error) {
      if (error instanceof KubernetesError && error.status === 404) return undefined;
      throw error;
    }
  }
}
