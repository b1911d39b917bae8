// Workload operations of a rollout: read the stable Deployment, create or update `<name>-canary` as a copy of its
// pod template with the new version applied, prompt bundles in content-addressed ConfigMaps, Services for the
// canary track, scaling and health. Nothing here restarts stable pods, except promoteStable, which is meant to.
import { createHash } from 'node:crypto';
import {
  PatchStrategy,
  type V1ConfigMap,
  type V1Container,
  type V1Deployment,
  type V1PodTemplateSpec,
  type V1Service,
} from '@kubernetes/client-node';
import { stampAudit, type AuditContext } from './audit.ts';
import type { KubeClient } from './client.ts';
import { ConflictError, KubernetesError, type ObjectRef } from './errors.ts';
import {
  CANARY_OF_LABEL,
  canaryName,
  canaryPodLabels,
  canarySelector,
  toLabelSelector,
  toLabelValue,
  TRACK_LABEL,
  VERSION_LABEL,
  withSuffix,
  type PodLabelMode,
} from './labels.ts';
import { MANAGED_BY, MANAGED_BY_LABEL } from './state-store.ts';

/** What makes a pod template run a version: an image, env overrides, a prompt bundle, or any mix. */
export interface VersionChange {
  version: string;
  /** The container to change; default: the first one. */
  container?: string;
  image?: string;
  env?: Record<string, string>;
  /** A ConfigMap (from ensurePromptConfigMap) mounted read-only into the container. */
  promptConfigMap?: string;
  /** Where the prompt bundle is mounted (default /etc/model-cicd/prompts). */
  promptMountPath?: string;
}

export const PROMPT_VOLUME = 'model-cicd-prompts';
export const DEFAULT_PROMPT_MOUNT_PATH = '/etc/model-cicd/prompts';
export const PROMPTS_DIR_ENV = 'MODEL_CICD_PROMPTS_DIR';
export const PROMPT_CONFIGMAP_LABEL = 'model-cicd.dev/prompts-of';

export interface WorkloadHealth {
  name: string;
  namespace: string;
  desiredReplicas: number;
  availableReplicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  /** The controller has seen the latest spec and every replica runs it. */
  rolledOut: boolean;
  /** Container restarts summed over the pods found. */
  restarts: number;
  /** Pods with a container waiting in CrashLoopBackOff, image pull errors or config errors. */
  crashLoopingPods: string[];
  podsSeen: number;
  /** Human-readable reasons why the workload is not healthy; empty when healthy. */
  problems: string[];
  healthy: boolean;
}

const BAD_WAITING_REASONS = new Set([
  'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError',
  'RunContainerError', 'InvalidImageName',
]);

const deploymentRef = (namespace: string, name: string): ObjectRef => ({ kind: 'Deployment', name, namespace });

/** Applies a version change to a copy of a pod template (pure). */
export function applyVersionChange(template: V1PodTemplateSpec, change: VersionChange, ownerName: string): V1PodTemplateSpec {
  const next = structuredClone(template);
  const spec = next.spec;
  const containers = spec?.containers ?? [];
  if (!spec || containers.length === 0) throw new Error(`Deployment '${ownerName}' has no containers in its pod template`);
  const container: V1Container | undefined = change.container ? containers.find((c) => c.name === change.container) : containers[0];
  if (!container) {
    throw new Error(
      `Container '${change.container}' not found in Deployment '${ownerName}' (containers: ${containers.map((c) => c.name).join(', ')}). Set the 'container' input to one of them.`,
    );
  }
  if (change.image) container.image = change.image;
  const env = (container.env ??= []);
  const setEnv = (name: string, value: string) => {
    const existing = env.find((variable) => variable.name === name);
    if (existing) {
      existing.value = value;
      delete existing.valueFrom;
    } else {
      env.push({ name, value });
    }
  };
  for (const [name, value] of Object.entries(change.env ?? {})) setEnv(name, value);
  if (change.promptConfigMap) {
    const mountPath = change.promptMountPath ?? DEFAULT_PROMPT_MOUNT_PATH;
    spec.volumes = [
      ...(spec.volumes ?? []).filter((volume) => volume.name !== PROMPT_VOLUME),
      { name: PROMPT_VOLUME, configMap: { name: change.promptConfigMap } },
    ];
    container.volumeMounts = [
      ...(container.volumeMounts ?? []).filter((mount) => mount.name !== PROMPT_VOLUME),
      { name: PROMPT_VOLUME, mountPath, readOnly: true },
    ];
    setEnv(PROMPTS_DIR_ENV, mountPath);
  }
  if (env.length === 0) delete container.env;
  return next;
}

/** `<name>-prompts-<hash>`: the hash covers every file name and content, so a bundle never overwrites another. */
export function promptConfigMapName(name: string, files: Record<string, string>): string {
  const canonical = JSON.stringify(Object.keys(files).sort().map((key) => [key, files[key]]));
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 10);
  return withSuffix(name, `-prompts-${hash}`);
}

export class Workloads {
  private readonly client: KubeClient;
  private readonly audit: AuditContext;

  constructor(client: KubeClient, audit: AuditContext = {}) {
    this.client = client;
    this.audit = audit;
  }

  async readDeployment(namespace: string, name: string): Promise<V1Deployment> {
    return this.client.call(deploymentRef(namespace, name), 'read', (options) =>
      this.client.apps.readNamespacedDeployment({ name, namespace }, options), { retry: true });
  }

  async findDeployment(namespace: string, name: string): Promise<V1Deployment | undefined> {
    try {
      return await this.readDeployment(namespace, name);
    } catch (error) {
      if (error instanceof KubernetesError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Creates or updates `<stable>-canary`: the stable pod template with the change applied and canary labels.
   * The canary's selector is immutable, so a canary whose selector no longer fits (the router changed) is recreated.
   */
  async upsertCanary(
    stable: V1Deployment,
    change: VersionChange,
    settings: { mode: PodLabelMode; replicas: number; serviceSelector?: Record<string, string> },
  ): Promise<V1Deployment> {
    const namespace = stable.metadata?.namespace as string;
    const stableName = stable.metadata?.name as string;
    const desired = this.canaryDeployment(stable, change, settings);
    const name = desired.metadata?.name as string;
    const ref = deploymentRef(namespace, name);
    for (let round = 0; ; round++) {
      const existing = await this.findDeployment(namespace, name);
      try {
        if (!existing) {
          return await this.client.call(ref, 'create', (options) =>
            this.client.apps.createNamespacedDeployment({ namespace, body: desired }, options));
        }
        if (JSON.stringify(existing.spec?.selector) !== JSON.stringify(desired.spec?.selector)) {
          await this.deleteDeployment(namespace, name);
          continue;
        }
        const body: V1Deployment = {
          ...desired,
          metadata: { ...desired.metadata, resourceVersion: existing.metadata?.resourceVersion },
        };
        return await this.client.call(ref, 'update', (options) =>
          this.client.apps.replaceNamespacedDeployment({ name, namespace, body }, options), { retry: true });
      } catch (error) {
        // someone else wrote the canary between our read and write: read again (bounded)
        if (error instanceof ConflictError && round < 3) continue;
        if (error instanceof KubernetesError) throw error;
        throw new Error(`Could not create canary of Deployment '${stableName}' in namespace '${namespace}': ${(error as Error).message}`);
      }
    }
  }

  /** The canary Deployment object (pure apart from the audit clock). */
  canaryDeployment(
    stable: V1Deployment,
    change: VersionChange,
    settings: { mode: PodLabelMode; replicas: number; serviceSelector?: Record<string, string> },
  ): V1Deployment {
    const stableName = stable.metadata?.name as string;
    const stableSelector = stable.spec?.selector?.matchLabels ?? {};
    if (stable.spec?.selector?.matchExpressions?.length && settings.mode === 'separate-service') {
      throw new Error(`Deployment '${stableName}' selects pods with matchExpressions; weighted routers need a matchLabels selector.`);
    }
    const template = applyVersionChange(stable.spec?.template ?? {}, change, stableName);
    const selectorKeys = new Set([...Object.keys(stableSelector), ...Object.keys(settings.serviceSelector ?? {})]);
    template.metadata = {
      ...template.metadata,
      labels: canaryPodLabels(template.metadata?.labels ?? {}, selectorKeys, settings.mode, change.version),
    };
    const {
      'deployment.kubernetes.io/revision': _revision,
      'kubectl.kubernetes.io/last-applied-configuration': _applied,
      ...keptAnnotations
    } = stable.metadata?.annotations ?? {};
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: stampAudit({
        name: canaryName(stableName),
        namespace: stable.metadata?.namespace,
        labels: {
          ...stable.metadata?.labels,
          [TRACK_LABEL]: 'canary',
          [VERSION_LABEL]: toLabelValue(change.version),
          [CANARY_OF_LABEL]: stableName,
          [MANAGED_BY_LABEL]: MANAGED_BY,
        },
        annotations: keptAnnotations,
      }, { ...this.audit, version: change.version }),
      spec: {
        replicas: settings.replicas,
        minReadySeconds: stable.spec?.minReadySeconds,
        progressDeadlineSeconds: stable.spec?.progressDeadlineSeconds,
        revisionHistoryLimit: stable.spec?.revisionHistoryLimit,
        strategy: stable.spec?.strategy,
        selector: {
          matchLabels: canarySelector(stableSelector, settings.mode),
          ...(stable.spec?.selector?.matchExpressions ? { matchExpressions: stable.spec.selector.matchExpressions } : {}),
        },
        template,
      },
    };
  }

  /**
   * Promotion: the stable Deployment takes the version change (this restarts the stable pods, as intended).
   * Returns the updated Deployment; a ConflictError if it changed since `stable` was read (including when a
   * retried write had in fact succeeded: re-read and compare the template before writing again).
   */
  async promoteStable(stable: V1Deployment, change: VersionChange): Promise<V1Deployment> {
    const namespace = stable.metadata?.namespace as string;
    const name = stable.metadata?.name as string;
    const template = applyVersionChange(stable.spec?.template ?? {}, change, name);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [VERSION_LABEL]: toLabelValue(change.version) } };
    const body: V1Deployment = {
      ...stable,
      metadata: stampAudit({ ...stable.metadata }, { ...this.audit, version: change.version }),
      spec: { ...(stable.spec as NonNullable<V1Deployment['spec']>), template },
    };
    delete body.status;
    return this.client.call(deploymentRef(namespace, name), 'update', (options) =>
      this.client.apps.replaceNamespacedDeployment({ name, namespace, body }, options), { retry: true });
  }

  async scale(namespace: string, name: string, replicas: number, version?: string): Promise<V1Deployment> {
    const body = { metadata: stampAudit({}, { ...this.audit, version: version ?? this.audit.version }), spec: { replicas } };
    return this.client.call(deploymentRef(namespace, name), 'scale', (options) =>
      this.client.apps.patchNamespacedDeployment({ name, namespace, body }, options), { retry: true, patch: PatchStrategy.MergePatch });
  }

  async deleteDeployment(namespace: string, name: string): Promise<void> {
    try {
      await this.client.call(deploymentRef(namespace, name), 'delete', (options) =>
        this.client.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' }, options), { retry: true });
    } catch (error) {
      if (!(error instanceof KubernetesError && error.status === 404)) throw error;
    }
  }

  /**
   * Health from the Deployment status and, when pods exist, from their container statuses. Stable pods are told
   * apart from canary pods by the track label, because with the replicas router their selectors overlap.
   * Two API calls (one when `alreadyRead` is given).
   */
  async health(namespace: string, name: string, alreadyRead?: V1Deployment): Promise<WorkloadHealth> {
    // a caller that has just read the Deployment passes it, saving a round trip
    const deployment = alreadyRead ?? await this.readDeployment(namespace, name);
    const status = deployment.status ?? {};
    const desiredReplicas = deployment.spec?.replicas ?? 1;
    const availableReplicas = status.availableReplicas ?? 0;
    const readyReplicas = status.readyReplicas ?? 0;
    const updatedReplicas = status.updatedReplicas ?? 0;
    const observed = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
    const problems: string[] = [];
    for (const condition of status.conditions ?? []) {
      if (condition.type === 'Progressing' && condition.status === 'False') {
        problems.push(`Deployment '${name}' is not progressing (${condition.reason ?? 'unknown'}): ${condition.message ?? ''}`.trim());
      }
      if (condition.type === 'ReplicaFailure' && condition.status === 'True') {
        problems.push(`Deployment '${name}' cannot create pods (${condition.reason ?? 'ReplicaFailure'}): ${condition.message ?? ''}`.trim());
      }
    }
    const matchLabels = deployment.spec?.selector?.matchLabels ?? {};
    const isCanary = matchLabels[TRACK_LABEL] === 'canary';
    const labelSelector = [toLabelSelector(matchLabels), isCanary ? '' : `${TRACK_LABEL}!=canary`].filter(Boolean).join(',');
    const pods = await this.client.call({ kind: 'Pod', namespace }, 'list', (options) =>
      this.client.core.listNamespacedPod({ namespace, labelSelector }, options), { retry: true });
    let restarts = 0;
    const crashLoopingPods: string[] = [];
    for (const pod of pods.items) {
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      restarts += statuses.reduce((sum, container) => sum + (container.restartCount ?? 0), 0);
      const bad = statuses.find((container) => BAD_WAITING_REASONS.has(container.state?.waiting?.reason ?? ''));
      if (bad) crashLoopingPods.push(`${pod.metadata?.name} (${bad.name}: ${bad.state?.waiting?.reason})`);
    }
    if (crashLoopingPods.length) problems.push(`Pods of '${name}' are failing: ${crashLoopingPods.join(', ')}`);
    if (availableReplicas < desiredReplicas) problems.push(`Deployment '${name}' has ${availableReplicas} of ${desiredReplicas} replicas available`);
    const rolledOut = observed && updatedReplicas >= desiredReplicas && availableReplicas >= desiredReplicas;
    return {
      name,
      namespace,
      desiredReplicas,
      availableReplicas,
      readyReplicas,
      updatedReplicas,
      rolledOut,
      restarts,
      crashLoopingPods,
      podsSeen: pods.items.length,
      problems,
      healthy: problems.length === 0,
    };
  }

  /**
   * Stores a prompt bundle in an immutable ConfigMap named by its content hash; an existing one with the same
   * name is reused (same content), never overwritten.
   */
  async ensurePromptConfigMap(namespace: string, name: string, files: Record<string, string>, version: string): Promise<{ name: string; created: boolean }> {
    const configMapName = promptConfigMapName(name, files);
    const ref: ObjectRef = { kind: 'ConfigMap', name: configMapName, namespace };
    const body: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: stampAudit({
        name: configMapName,
        labels: { [PROMPT_CONFIGMAP_LABEL]: name, [VERSION_LABEL]: toLabelValue(version), [MANAGED_BY_LABEL]: MANAGED_BY },
      }, { ...this.audit, version }),
      immutable: true,
      data: files,
    };
    try {
      await this.client.call(ref, 'create', (options) => this.client.core.createNamespacedConfigMap({ namespace, body }, options), { retry: true });
      return { name: configMapName, created: true };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const existing = await this.client.call(ref, 'read', (options) =>
        this.client.core.readNamespacedConfigMap({ name: configMapName, namespace }, options), { retry: true });
      if (JSON.stringify(sortKeys(existing.data ?? {})) !== JSON.stringify(sortKeys(files))) {
        throw new Error(`ConfigMap '${configMapName}' in namespace '${namespace}' exists with different content; refusing to overwrite a prompt bundle.`);
      }
      return { name: configMapName, created: false };
    }
  }

  async readService(namespace: string, name: string): Promise<V1Service> {
    return this.client.call({ kind: 'Service', name, namespace }, 'read', (options) =>
      this.client.core.readNamespacedService({ name, namespace }, options), { retry: true });
  }

  /**
   * Makes sure `<service>-canary` exists and selects the canary pods (mode `separate-service`): same ports as the
   * stable Service, ClusterIP, selector values suffixed with `-canary`.
   */
  async ensureCanaryService(namespace: string, service: string, version?: string): Promise<V1Service> {
    const stable = await this.readService(namespace, service);
    const selector = stable.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) {
      throw new Error(`Service '${service}' in namespace '${namespace}' has no selector; a canary Service cannot be derived from it.`);
    }
    const name = canaryName(service);
    const ref: ObjectRef = { kind: 'Service', name, namespace };
    const desiredSelector = canarySelector(selector, 'separate-service');
    const ports = (stable.spec?.ports ?? []).map(({ nodePort: _nodePort, ...port }) => port);
    const metadata = stampAudit({
      name,
      labels: { ...stable.metadata?.labels, [TRACK_LABEL]: 'canary', [CANARY_OF_LABEL]: service, [MANAGED_BY_LABEL]: MANAGED_BY },
    }, { ...this.audit, version: version ?? this.audit.version });
    for (let round = 0; ; round++) {
      let existing: V1Service | undefined;
      try {
        existing = await this.readService(namespace, name);
      } catch (error) {
        if (!(error instanceof KubernetesError && error.status === 404)) throw error;
      }
      try {
        if (!existing) {
          const body: V1Service = { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ClusterIP', selector: desiredSelector, ports } };
          return await this.client.call(ref, 'create', (options) => this.client.core.createNamespacedService({ namespace, body }, options));
        }
        if (JSON.stringify(sortKeys(existing.spec?.selector ?? {})) === JSON.stringify(sortKeys(desiredSelector))) return existing;
        // the selector is a map: a replace (not a merge) drops keys that no longer belong
        const body: V1Service = {
          ...existing,
          metadata: { ...existing.metadata, annotations: { ...existing.metadata?.annotations, ...metadata.annotations } },
          spec: { ...existing.spec, selector: desiredSelector },
        };
        return await this.client.call(ref, 'update', (options) =>
          this.client.core.replaceNamespacedService({ name, namespace, body }, options), { retry: true });
      } catch (error) {
        if (error instanceof ConflictError && round < 3) continue;
        throw error;
      }
    }
  }
}

function sortKeys(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
