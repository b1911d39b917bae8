// The RolloutCluster port on a real Kubernetes API, through the one Kubernetes layer (../kubernetes): the state
// ConfigMap with compare-and-swap, the canary Deployment, the traffic router, health. Every method is idempotent
// and skips writes that would change nothing, so a tick with nothing to do writes nothing.
import { PatchStrategy, type V1Deployment } from '@kubernetes/client-node';
import {
  ConflictError,
  createTrafficRouter,
  HTTP_ROUTE,
  VIRTUAL_SERVICE,
  KubernetesError,
  RolloutStateStore,
  toLabelValue,
  VERSION_LABEL,
  Workloads,
  type AuditContext,
  type KubeClient,
  type TrafficRouter,
  type VersionChange,
} from '../kubernetes/index.ts';
import { InputError } from '../action/inputs.ts';
import { AUDIT_ANNOTATIONS } from '../kubernetes/audit.ts';
import { readCustomObject } from '../kubernetes/routers/custom-object.ts';
import type { PrometheusConnection } from '../prometheus/index.ts';
import { analyseCanary } from './analysis.ts';
import { validateState } from './state.ts';
import type { AnalysisResult, RolloutCluster, StableInfo, StoredRollout } from './shell.ts';
import type { AnalysisRequest, CanarySpec, DeploymentHealth, Effect, Notice, RolloutState, RouterSpec, TickObservations } from './types.ts';

/** Where promotion keeps the template the stable Deployment had, so the previous version can be kept warm. */
export const PREVIOUS_TEMPLATE_ANNOTATION = 'model-cicd.dev/previous-stable-template';

export interface KubeClusterOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  audit: AuditContext;
  prometheus?: PrometheusConnection;
  metricsConfigFile?: string;
  workspace?: string;
  now?: () => string;
  /** Replaces the analysis (benchmarks and tests that do not run Prometheus). */
  analyse?: (state: RolloutState, request: AnalysisRequest) => Promise<AnalysisResult>;
}

export const stateStore = (client: KubeClient, audit: AuditContext = {}): RolloutStateStore<RolloutState> =>
  new RolloutStateStore<RolloutState>(client, {
    audit,
    parse: (value) => {
      validateState(value);
      return value;
    },
  });

export const versionChange = (version: string, canary: CanarySpec): VersionChange => ({
  version,
  container: canary.container,
  image: canary.image,
  env: canary.env,
  promptConfigMap: canary.promptConfigMap,
});

const canaryDeploymentName = (name: string): string => `${name}-canary`;

/** The version a Deployment's pod template runs: our label, else the audit annotation, else the image tag. */
export function deploymentVersion(deployment: V1Deployment, container?: string): string | undefined {
  const label = deployment.spec?.template?.metadata?.labels?.[VERSION_LABEL];
  if (label) return label;
  const annotated = deployment.metadata?.annotations?.[AUDIT_ANNOTATIONS.version];
  if (annotated) return annotated;
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  const image = (container ? containers.find((c) => c.name === container) : containers[0])?.image;
  const tag = image?.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : undefined;
  return tag && !tag.includes('/') ? tag : undefined;
}

/**
 * Does the canary already run what `desired` asks for? Compared on what we set (version label, selector, every
 * container's image, our env values and volumes), not on the whole template: the API server fills in defaults
 * (pull policy, termination paths, DNS policy...), so a whole-template comparison would rewrite the canary on
 * every run and make its status stale each time.
 */
export function sameCanary(existing: V1Deployment, desired: V1Deployment): boolean {
  const labels = (d: V1Deployment) => d.spec?.template?.metadata?.labels ?? {};
  if (JSON.stringify(existing.spec?.selector?.matchLabels ?? {}) !== JSON.stringify(desired.spec?.selector?.matchLabels ?? {})) return false;
  const wantedLabels = labels(desired);
  if (Object.entries(wantedLabels).some(([key, value]) => labels(existing)[key] !== value)) return false;
  const have = existing.spec?.template?.spec;
  const want = desired.spec?.template?.spec;
  for (const container of want?.containers ?? []) {
    const found = have?.containers?.find((c) => c.name === container.name);
    if (!found || found.image !== container.image) return false;
    for (const variable of container.env ?? []) {
      if (variable.value !== undefined && !found.env?.some((e) => e.name === variable.name && e.value === variable.value)) return false;
    }
    for (const mount of container.volumeMounts ?? []) {
      if (!found.volumeMounts?.some((m) => m.name === mount.name && m.mountPath === mount.mountPath)) return false;
    }
  }
  for (const volume of want?.volumes ?? []) {
    if (volume.configMap && !have?.volumes?.some((v) => v.name === volume.name && v.configMap?.name === volume.configMap?.name)) return false;
  }
  return true;
}

export class KubeRolloutCluster implements RolloutCluster {
  private readonly options: KubeClusterOptions;
  private readonly store: RolloutStateStore<RolloutState>;
  private readonly workloads: Workloads;

  constructor(options: KubeClusterOptions) {
    this.options = options;
    this.store = stateStore(options.client, options.audit);
    this.workloads = new Workloads(options.client, options.audit);
  }

  now(): string {
    return this.options.now?.() ?? new Date().toISOString();
  }

  isConflict(error: unknown): boolean {
    return error instanceof ConflictError;
  }

  async readState(): Promise<StoredRollout | undefined> {
    const stored = await this.store.read(this.options.namespace, this.options.name);
    return stored && { state: stored.state, resourceVersion: stored.resourceVersion };
  }

  async createState(state: RolloutState): Promise<StoredRollout> {
    const created = await this.store.create(this.options.namespace, this.options.name, state, this.auditFor(state));
    return { state: created.state, resourceVersion: created.resourceVersion };
  }

  async swapState(current: StoredRollout, next: RolloutState): Promise<StoredRollout> {
    const swapped = await this.store.compareAndSwap(
      { state: current.state, resourceVersion: current.resourceVersion, rollout: this.options.name, namespace: this.options.namespace },
      next,
      this.auditFor(next),
    );
    return { state: swapped.state, resourceVersion: swapped.resourceVersion };
  }

  router(state: RolloutState): TrafficRouter {
    return createTrafficRouter(state.router.kind, { client: this.options.client, audit: this.auditFor(state) }, {
      namespace: state.namespace,
      name: state.name,
      service: state.router.service,
      ingress: state.router.ingress,
      httproute: state.router.httproute,
      virtualservice: state.router.virtualservice,
      stableVersion: state.stableVersion,
      canaryVersion: state.canaryVersion,
    });
  }

  async observe(state: RolloutState): Promise<Omit<TickObservations, 'now' | 'analysis' | 'sampleRatio'>> {
    const [canaryHealth, stableHealth, clusterWeight] = await Promise.all([
      this.health(state, canaryDeploymentName(state.name), state.canaryVersion),
      this.health(state, state.name, state.stableVersion),
      this.readWeight(state),
    ]);
    return { canaryHealth, stableHealth, clusterWeight };
  }

  private async readWeight(state: RolloutState): Promise<number | null> {
    try {
      return await this.router(state).readWeight();
    } catch (error) {
      if (error instanceof KubernetesError && error.status === 404) return null;
      throw error;
    }
  }

  private async health(state: RolloutState, name: string, expectedVersion: string): Promise<DeploymentHealth> {
    const missing = (error: unknown) => {
      if (error instanceof KubernetesError && error.status === 404) return undefined;
      throw error;
    };
    // both in parallel: one round trip fewer than reading first and asking for health after
    const [deployment, health] = await Promise.all([
      this.workloads.findDeployment(state.namespace, name),
      this.workloads.health(state.namespace, name).catch(missing),
    ]);
    if (!deployment || !health) return { exists: false, desired: 0, available: 0, updated: 0, observedCurrent: false, restarts: 0, crashLooping: false };
    const label = deployment.spec?.template?.metadata?.labels?.[VERSION_LABEL];
    return {
      exists: true,
      version: label === toLabelValue(expectedVersion) ? expectedVersion : label,
      desired: deployment.spec?.replicas ?? 1,
      available: health.availableReplicas,
      updated: health.updatedReplicas,
      observedCurrent: (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0),
      restarts: health.restarts,
      crashLooping: health.crashLoopingPods.length > 0,
    };
  }

  async apply(effect: Exclude<Effect, { type: 'writeState' }>, state: RolloutState): Promise<Notice[]> {
    switch (effect.type) {
      case 'ensureCanary':
        await this.ensureCanary(state, effect.version, effect.canary, effect.replicas);
        return [];
      case 'scaleCanary':
        await this.scaleCanary(state, effect.replicas);
        return [];
      case 'setWeight': {
        if (effect.weight === 0 && state.router.kind === 'replicas' && !(await this.workloads.findDeployment(state.namespace, canaryDeploymentName(state.name)))) {
          return []; // no canary pods: nothing takes traffic from stable
        }
        const result = await this.router(state).applyWeight(effect.weight);
        return result.warning ? [{ severity: 'warning', message: result.warning }] : [];
      }
      case 'promoteStable':
        await this.promoteStable(state, effect.version, effect.canary);
        return [];
      case 'warmPrevious':
        await this.warmPrevious(state, effect.version);
        return [];
    }
  }

  analyse(state: RolloutState, request: AnalysisRequest): Promise<AnalysisResult> {
    if (this.options.analyse) return this.options.analyse(state, request);
    // a tick without prometheus-url uses the URL recorded at start
    const prometheus = this.options.prometheus ?? (state.config.prometheusUrl ? { url: state.config.prometheusUrl } : undefined);
    return analyseCanary(state, request, { prometheus, file: this.options.metricsConfigFile, workspace: this.options.workspace });
  }

  async preflight(router: RouterSpec, canary: CanarySpec): Promise<StableInfo> {
    const { namespace, name, client } = this.options;
    const stable = await this.workloads.findDeployment(namespace, name);
    if (!stable) throw new InputError('name', `Deployment '${name}' not found in namespace '${namespace}'. Name the stable Deployment that runs the current version (and check the namespace input).`);
    const containers = stable.spec?.template?.spec?.containers ?? [];
    if (canary.container && !containers.some((c) => c.name === canary.container)) {
      throw new InputError('container', `'${canary.container}' is not a container of Deployment '${name}' (containers: ${containers.map((c) => c.name).join(', ')}).`);
    }
    const missing = async (input: string, what: string, read: () => Promise<unknown>): Promise<void> => {
      try {
        await read();
      } catch (error) {
        if (error instanceof KubernetesError && error.status === 404) throw new InputError(input, `${what} not found in namespace '${namespace}'.`);
        throw error;
      }
    };
    if (router.kind !== 'replicas' && router.kind !== 'configmap') {
      const service = router.service ?? name;
      await missing('service', `Service '${service}'`, () => this.workloads.readService(namespace, service));
    }
    if (router.kind === 'nginx') {
      const ingress = router.ingress!;
      await missing('ingress', `Ingress '${ingress}'`, () => client.call({ kind: 'Ingress', name: ingress, namespace }, 'read', (options) => client.networking.readNamespacedIngress({ name: ingress, namespace }, options)));
    }
    if (router.kind === 'gateway-api') await missing('httproute', `HTTPRoute '${router.httproute}'`, () => readCustomObject(client, HTTP_ROUTE, namespace, router.httproute!));
    if (router.kind === 'istio') await missing('virtualservice', `VirtualService '${router.virtualservice}'`, () => readCustomObject(client, VIRTUAL_SERVICE, namespace, router.virtualservice!));
    if (canary.promptConfigMap) {
      await missing('prompt-configmap', `ConfigMap '${canary.promptConfigMap}'`, () => client.call({ kind: 'ConfigMap', name: canary.promptConfigMap, namespace }, 'read', (options) => client.core.readNamespacedConfigMap({ name: canary.promptConfigMap!, namespace }, options)));
    }
    return { replicas: stable.spec?.replicas ?? 1, version: deploymentVersion(stable, canary.container) };
  }

  private auditFor(state: RolloutState): AuditContext {
    return { ...this.options.audit, version: state.canaryVersion };
  }

  private async stable(state: RolloutState): Promise<V1Deployment> {
    return this.workloads.readDeployment(state.namespace, state.name);
  }

  private async serviceSelector(state: RolloutState, router: TrafficRouter): Promise<Record<string, string> | undefined> {
    if (router.podLabelMode !== 'separate-service') return undefined;
    const service = await this.workloads.readService(state.namespace, state.router.service ?? state.name);
    return service.spec?.selector ?? undefined;
  }

  private async ensureCanary(state: RolloutState, version: string, canary: CanarySpec, replicas: number): Promise<void> {
    const router = this.router(state);
    const [stable, existing, serviceSelector] = await Promise.all([
      this.stable(state),
      this.workloads.findDeployment(state.namespace, canaryDeploymentName(state.name)),
      this.serviceSelector(state, router),
    ]);
    const settings = { mode: router.podLabelMode, replicas: Math.max(replicas, existing?.spec?.replicas ?? 0), serviceSelector };
    const desired = this.workloads.canaryDeployment(stable, versionChange(version, canary), settings);
    const same = existing !== undefined && sameCanary(existing, desired) && (existing.spec?.replicas ?? 0) >= replicas;
    if (!same) await this.workloads.upsertCanary(stable, versionChange(version, canary), settings);
    if (router.podLabelMode === 'separate-service' || router.kind === 'configmap') await router.ensure();
  }

  private async scaleCanary(state: RolloutState, replicas: number): Promise<void> {
    try {
      await this.workloads.scale(state.namespace, canaryDeploymentName(state.name), replicas, state.canaryVersion);
    } catch (error) {
      // nothing to scale down is the goal already reached
      if (!(replicas === 0 && error instanceof KubernetesError && error.status === 404)) throw error;
    }
  }

  /**
   * The stable Deployment takes the canary's version. Its current template is first saved on the canary
   * Deployment, which later runs it with no traffic (warmPrevious). Skipped when stable already runs `version`.
   */
  private async promoteStable(state: RolloutState, version: string, canary: CanarySpec): Promise<void> {
    const stable = await this.stable(state);
    if (stable.spec?.template?.metadata?.labels?.[VERSION_LABEL] === toLabelValue(version)) return;
    const canaryName = canaryDeploymentName(state.name);
    const previous = { version: state.stableVersion, template: stable.spec?.template };
    const annotation = { metadata: { annotations: { [PREVIOUS_TEMPLATE_ANNOTATION]: JSON.stringify(previous) } } };
    try {
      await this.options.client.call({ kind: 'Deployment', name: canaryName, namespace: state.namespace }, 'annotate', (options) =>
        this.options.client.apps.patchNamespacedDeployment({ name: canaryName, namespace: state.namespace, body: annotation }, options), { retry: true, patch: PatchStrategy.MergePatch });
    } catch (error) {
      // no canary Deployment (a forced promotion before it was made): nothing can be kept warm
      if (!(error instanceof KubernetesError && error.status === 404)) throw error;
    }
    await this.workloads.promoteStable(stable, versionChange(version, canary));
  }

  /** The canary Deployment runs the saved previous stable template, as many replicas as stable, with no traffic. */
  private async warmPrevious(state: RolloutState, version: string): Promise<void> {
    const canaryName = canaryDeploymentName(state.name);
    const [canary, stable] = await Promise.all([this.workloads.findDeployment(state.namespace, canaryName), this.stable(state)]);
    const saved = canary?.metadata?.annotations?.[PREVIOUS_TEMPLATE_ANNOTATION];
    if (!canary || !saved) return;
    const previous = JSON.parse(saved) as { version: string; template: V1Deployment['spec'] extends infer S ? S extends { template: infer T } ? T : never : never };
    if (canary.spec?.template?.metadata?.labels?.[VERSION_LABEL] === toLabelValue(version) && (canary.spec?.replicas ?? 0) >= (stable.spec?.replicas ?? 1)) return;
    const router = this.router(state);
    const base: V1Deployment = { ...stable, spec: { ...(stable.spec as NonNullable<V1Deployment['spec']>), template: previous.template } };
    await this.workloads.upsertCanary(base, { version }, { mode: router.podLabelMode, replicas: stable.spec?.replicas ?? 1, serviceSelector: await this.serviceSelector(state, router) });
  }
}
