// Rollout state lives in one ConfigMap per rollout, `<name>-rollout`, so any runner can pick up where the last
// one stopped. Every write is a compare-and-swap on resourceVersion: of two runs that read the same state,
// exactly one can write; the other gets a ConflictError and must re-read.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { stampAudit, type AuditContext } from './audit.ts';
import type { KubeClient } from './client.ts';
import { ConflictError, KubernetesError, type ObjectRef } from './errors.ts';

export const ROLLOUT_LABEL = 'model-cicd.dev/rollout';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'model-cicd';
export const STATE_KEY = 'state.json';

export const rolloutStateName = (rollout: string) => `${rollout}-rollout`;

export interface StoredState<S> {
  state: S;
  /** The ConfigMap's resourceVersion when read or written: the token for the next compareAndSwap. */
  resourceVersion: string;
  rollout: string;
  namespace: string;
}

export interface StateStoreOptions<S> {
  /** Validates and types the parsed JSON; throw to reject (the message is shown with the object's name). */
  parse?: (value: unknown) => S;
  audit?: AuditContext;
}

export class RolloutStateStore<S = unknown> {
  private readonly client: KubeClient;
  private readonly parseState: (value: unknown) => S;
  private readonly audit: AuditContext;

  constructor(client: KubeClient, options: StateStoreOptions<S> = {}) {
    this.client = client;
    this.parseState = options.parse ?? ((value) => value as S);
    this.audit = options.audit ?? {};
  }

  /** The current state, or undefined when the rollout has none yet. */
  async read(namespace: string, rollout: string): Promise<StoredState<S> | undefined> {
    const ref = this.ref(namespace, rollout);
    try {
      const configMap = await this.client.call(ref, 'read', (options) =>
        this.client.core.readNamespacedConfigMap({ name: ref.name as string, namespace }, options));
      return this.decode(configMap, namespace, rollout);
    } catch (error) {
      if (error instanceof KubernetesError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Creates the state; a ConflictError when the rollout already has one. */
  async create(namespace: string, rollout: string, state: S, audit: AuditContext = this.audit): Promise<StoredState<S>> {
    const ref = this.ref(namespace, rollout);
    const body = this.encode(rollout, state, audit);
    let lastAttempt = 1;
    try {
      const created = await this.client.call(ref, 'create', (options, attempt) => {
        lastAttempt = attempt;
        return this.client.core.createNamespacedConfigMap({ namespace, body }, options);
      }, { retry: true });
      return this.decode(created, namespace, rollout);
    } catch (error) {
      // after a lost response, AlreadyExists may be our own create: the content tells
      if (error instanceof ConflictError && lastAttempt > 1) {
        const current = await this.read(namespace, rollout);
        if (current && JSON.stringify(current.state) === JSON.stringify(state)) return current;
      }
      throw error;
    }
  }

  /**
   * Writes `next` only if the state is still at `current.resourceVersion`; a ConflictError otherwise.
   */
  async compareAndSwap(current: StoredState<S>, next: S, audit: AuditContext = this.audit): Promise<StoredState<S>> {
    const { namespace, rollout } = current;
    const ref = this.ref(namespace, rollout);
    const body = this.encode(rollout, next, audit);
    body.metadata = { ...body.metadata, resourceVersion: current.resourceVersion };
    let lastAttempt = 1;
    try {
      const replaced = await this.client.call(ref, 'update', (options, attempt) => {
        lastAttempt = attempt;
        return this.client.core.replaceNamespacedConfigMap({ name: ref.name as string, namespace, body }, options);
      }, { retry: true });
      return this.decode(replaced, namespace, rollout);
    } catch (error) {
      if (error instanceof ConflictError && lastAttempt > 1) {
        const now = await this.read(namespace, rollout);
        if (now && JSON.stringify(now.state) === JSON.stringify(next)) return now;
      }
      throw error;
    }
  }

  /** Deletes the state (a finished rollout that should be forgotten); no error when it is already gone. */
  async delete(namespace: string, rollout: string): Promise<void> {
    const ref = this.ref(namespace, rollout);
    try {
      await this.client.call(ref, 'delete', (options) =>
        this.client.core.deleteNamespacedConfigMap({ name: ref.name as string, namespace }, options), { retry: true });
    } catch (error) {
      if (!(error instanceof KubernetesError && error.status === 404)) throw error;
    }
  }

  /** Every rollout state in `namespace`, or in all namespaces when it is undefined (needs cluster-wide list). */
  async list(namespace?: string): Promise<StoredState<S>[]> {
    const labelSelector = ROLLOUT_LABEL;
    const ref: ObjectRef = { kind: 'ConfigMap', namespace };
    const list = await this.client.call(ref, 'list', (options) =>
      namespace
        ? this.client.core.listNamespacedConfigMap({ namespace, labelSelector }, options)
        : this.client.core.listConfigMapForAllNamespaces({ labelSelector }, options), { retry: true });
    return list.items
      .filter((item) => item.data?.[STATE_KEY] !== undefined)
      .map((item) => this.decode(item, item.metadata?.namespace ?? namespace ?? '', item.metadata?.labels?.[ROLLOUT_LABEL] ?? ''));
  }

  private ref(namespace: string, rollout: string): ObjectRef {
    return { kind: 'ConfigMap', name: rolloutStateName(rollout), namespace };
  }

  private encode(rollout: string, state: S, audit: AuditContext): V1ConfigMap {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: stampAudit({
        name: rolloutStateName(rollout),
        labels: { [ROLLOUT_LABEL]: rollout, [MANAGED_BY_LABEL]: MANAGED_BY },
      }, audit),
      // indented so that `kubectl get configmap <name>-rollout -o yaml` reads as a story
      data: { [STATE_KEY]: JSON.stringify(state, null, 2) + '\n' },
    };
  }

  private decode(configMap: V1ConfigMap, namespace: string, rollout: string): StoredState<S> {
    const text = configMap.data?.[STATE_KEY];
    const where = `ConfigMap '${rolloutStateName(rollout)}' in namespace '${namespace}'`;
    if (text === undefined) throw new Error(`${where} has no '${STATE_KEY}' key; it was not written by model-cicd, or was edited by hand.`);
    let state: S;
    try {
      state = this.parseState(JSON.parse(text));
    } catch (error) {
      throw new Error(`${where} holds an invalid rollout state: ${(error as Error).message}`, { cause: error });
    }
    return { state, resourceVersion: configMap.metadata?.resourceVersion ?? '', rollout, namespace };
  }
}
