// Behaviour of @model-cicd/core/kubernetes, written once and run twice: against the in-process fake
// (packages/core/src/kubernetes/layer.test.ts) and against the real API server with the least-privilege
// identity of examples/kubernetes/rbac.yaml (test/integration/kubernetes-layer.test.ts).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import {
  AUDIT_ANNOTATIONS,
  ConflictError,
  createTrafficRouter,
  KubeClient,
  KubernetesError,
  NotFoundError,
  PROMPT_VOLUME,
  RolloutStateStore,
  stickyTrack,
  TRACK_LABEL,
  VERSION_LABEL,
  Workloads,
  type AuditContext,
  type TrafficRouterKind,
} from '@model-cicd/core/kubernetes';
import { createPodWithStatus, seedStableApp, setDeploymentStatus, type StableApp } from './kube-fixtures.ts';

export interface LayerTarget {
  /** Sets up fixtures and plays the controllers. */
  admin: KubeConfig;
  /** What the layer runs with (the restricted identity on the real server). */
  layer: KubeConfig;
  /** A fresh namespace the layer may work in. */
  newNamespace(): Promise<string>;
  /** Whether `layer` is the least-privilege identity (cluster-wide calls must then be refused). */
  restricted: boolean;
  stop(): Promise<void>;
}

const audit: AuditContext = {
  version: '2.0.0',
  runId: '4242',
  sha: 'abc123',
  actor: 'octocat',
  runUrl: 'https://github.example/acme/shop/actions/runs/4242',
};

interface RolloutState {
  id: string;
  status: string;
  weight: number;
  history: Array<{ actor: string; reason: string }>;
}

export function defineLayerSuite(start: () => Promise<LayerTarget>): void {
  let target: LayerTarget;
  let client: KubeClient;
  let workloads: Workloads;
  let apps: AppsV1Api;
  let core: CoreV1Api;

  beforeAll(async () => {
    target = await start();
    client = new KubeClient(target.layer, { retry: { baseDelayMs: 10 } });
    workloads = new Workloads(client, audit);
    apps = target.admin.makeApiClient(AppsV1Api);
    core = target.admin.makeApiClient(CoreV1Api);
  }, 90_000);
  afterAll(async () => target?.stop());

  async function newApp(): Promise<StableApp> {
    const namespace = await target.newNamespace();
    return seedStableApp(target.admin, namespace);
  }

  test('state store: create, read, compare-and-swap, conflicts, list by label, delete', async () => {
    const { namespace } = await newApp();
    const store = new RolloutStateStore<RolloutState>(client, { audit });
    expect(await store.read(namespace, 'checkout')).toBeUndefined();
    const initial: RolloutState = { id: 'r1', status: 'progressing', weight: 10, history: [{ actor: 'octocat', reason: 'start' }] };
    const created = await store.create(namespace, 'checkout', initial);
    expect(created.state).toEqual(initial);
    await expect(store.create(namespace, 'checkout', initial)).rejects.toThrow(ConflictError);

    const read = await store.read(namespace, 'checkout');
    expect(read?.resourceVersion).toBe(created.resourceVersion);
    const advanced = await store.compareAndSwap(read!, { ...initial, weight: 25 });
    expect(advanced.state.weight).toBe(25);
    // a second write from the same (now stale) read loses
    const stale = store.compareAndSwap(read!, { ...initial, weight: 50 });
    await expect(stale).rejects.toThrow(ConflictError);
    await expect(stale).rejects.toThrow(`ConfigMap 'checkout-rollout' in namespace '${namespace}'`);

    // two ticks that read the same state at the same moment: exactly one advances
    const both = await store.read(namespace, 'checkout');
    const results = await Promise.allSettled([
      store.compareAndSwap(both!, { ...initial, weight: 50, status: 'tick-a' }),
      store.compareAndSwap(both!, { ...initial, weight: 50, status: 'tick-b' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConflictError);
    const winner = (results.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<{ state: RolloutState }>).value;
    expect((await store.read(namespace, 'checkout'))?.state).toEqual(winner.state);

    const configMap = await core.readNamespacedConfigMap({ name: 'checkout-rollout', namespace });
    expect(configMap.metadata?.labels?.['model-cicd.dev/rollout']).toBe('checkout');
    expect(configMap.metadata?.annotations?.[AUDIT_ANNOTATIONS.runUrl]).toBe(audit.runUrl);
    expect(JSON.parse(configMap.data?.['state.json'] ?? '')).toEqual(winner.state);

    await store.create(namespace, 'search', { ...initial, id: 'r2' });
    expect((await store.list(namespace)).map((stored) => [stored.rollout, stored.state.id]).sort()).toEqual([['checkout', 'r1'], ['search', 'r2']]);
    if (target.restricted) {
      await expect(store.list()).rejects.toThrow(/Forbidden \(403\).*rbac\.yaml/s);
    } else {
      expect((await store.list()).some((stored) => stored.namespace === namespace && stored.rollout === 'search')).toBe(true);
    }
    await store.delete(namespace, 'search');
    await store.delete(namespace, 'search');
    expect(await store.read(namespace, 'search')).toBeUndefined();
  });

  test('canary for weighted routers: a copy of the stable template with the version applied, selector values suffixed, stable untouched', async () => {
    const app = await newApp();
    const stableBefore = await apps.readNamespacedDeployment({ name: 'checkout', namespace: app.namespace });
    const prompts = await workloads.ensurePromptConfigMap(app.namespace, 'checkout', { 'system.txt': 'You are helpful.', 'user.txt': 'Q: {{q}}' }, '2.0.0');
    expect(prompts.name).toMatch(/^checkout-prompts-[0-9a-f]{10}$/);
    expect(prompts.created).toBe(true);
    expect(await workloads.ensurePromptConfigMap(app.namespace, 'checkout', { 'user.txt': 'Q: {{q}}', 'system.txt': 'You are helpful.' }, '2.0.0')).toEqual({ name: prompts.name, created: false });
    const other = await workloads.ensurePromptConfigMap(app.namespace, 'checkout', { 'system.txt': 'You are terse.' }, '3.0.0');
    expect(other.name).not.toBe(prompts.name);

    const stable = await workloads.readDeployment(app.namespace, 'checkout');
    const canary = await workloads.upsertCanary(stable, {
      version: '2.0.0', container: 'server', image: 'registry.example/checkout:2.0.0', env: { PROMPT_VERSION: '2.0.0', NEW_FLAG: 'on' }, promptConfigMap: prompts.name,
    }, { mode: 'separate-service', replicas: 2, serviceSelector: { app: 'checkout' } });
    expect(canary.metadata?.name).toBe('checkout-canary');
    expect(canary.spec?.replicas).toBe(2);
    expect(canary.spec?.selector.matchLabels).toEqual({ app: 'checkout-canary', [TRACK_LABEL]: 'canary' });
    const labels = canary.spec?.template.metadata?.labels;
    expect(labels).toEqual({ app: 'checkout-canary', tier: 'web', [TRACK_LABEL]: 'canary', [VERSION_LABEL]: '2.0.0' });
    const [server, proxy] = canary.spec?.template.spec?.containers ?? [];
    expect(server.image).toBe('registry.example/checkout:2.0.0');
    expect(server.env).toEqual([
      { name: 'PROMPT_VERSION', value: '2.0.0' }, { name: 'LOG_LEVEL', value: 'info' }, { name: 'NEW_FLAG', value: 'on' },
      { name: 'MODEL_CICD_PROMPTS_DIR', value: '/etc/model-cicd/prompts' },
    ]);
    expect(server.volumeMounts).toEqual([{ name: PROMPT_VOLUME, mountPath: '/etc/model-cicd/prompts', readOnly: true }]);
    // the real server adds defaults (configMap.defaultMode 420)
    expect(canary.spec?.template.spec?.volumes).toEqual([expect.objectContaining({ name: PROMPT_VOLUME, configMap: expect.objectContaining({ name: prompts.name }) })]);
    expect(proxy.image).toBe('registry.example/proxy:3');
    expect(canary.metadata?.annotations?.[AUDIT_ANNOTATIONS.version]).toBe('2.0.0');
    expect(canary.metadata?.annotations?.[AUDIT_ANNOTATIONS.actor]).toBe('octocat');
    expect(canary.metadata?.annotations?.owner).toBe('team-ml');

    const stableAfter = await apps.readNamespacedDeployment({ name: 'checkout', namespace: app.namespace });
    expect(stableAfter.metadata?.resourceVersion).toBe(stableBefore.metadata?.resourceVersion);

    const service = await workloads.ensureCanaryService(app.namespace, 'checkout', '2.0.0');
    expect(service.metadata?.name).toBe('checkout-canary');
    expect(service.spec?.selector).toEqual({ app: 'checkout-canary', [TRACK_LABEL]: 'canary' });
    expect(service.spec?.ports?.map((port) => [port.name, port.port, port.targetPort])).toEqual([['http', 80, 8080]]);
    expect((await workloads.ensureCanaryService(app.namespace, 'checkout')).metadata?.resourceVersion).toBe(service.metadata?.resourceVersion);

    // a new version on the same canary updates it in place
    const next = await workloads.upsertCanary(stable, { version: '2.1.0', image: 'registry.example/checkout:2.1.0' }, { mode: 'separate-service', replicas: 2 });
    expect(next.metadata?.uid).toBe(canary.metadata?.uid);
    expect(next.spec?.template.spec?.containers[0].image).toBe('registry.example/checkout:2.1.0');
    // switching to a shared-service router changes the immutable selector: the canary is recreated
    const shared = await workloads.upsertCanary(stable, { version: '2.1.0', env: { PROMPT_VERSION: '2.1.0' } }, { mode: 'shared-service', replicas: 0 });
    expect(shared.spec?.selector.matchLabels).toEqual({ app: 'checkout', [TRACK_LABEL]: 'canary' });
    expect(shared.spec?.template.metadata?.labels?.app).toBe('checkout');

    await expect(workloads.upsertCanary(stable, { version: '9', container: 'nope', image: 'x' }, { mode: 'shared-service', replicas: 0 }))
      .rejects.toThrow("Container 'nope' not found in Deployment 'checkout' (containers: server, proxy)");
    await expect(workloads.readDeployment(app.namespace, 'missing')).rejects.toThrow(`Deployment 'missing' not found in namespace '${app.namespace}'`);
    await expect(workloads.readDeployment(app.namespace, 'missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  test('health: available replicas from status, crash loops and restarts from pods, failed conditions; scale and promotion', async () => {
    const app = await newApp();
    const stable = await workloads.readDeployment(app.namespace, 'checkout');
    await workloads.upsertCanary(stable, { version: '2.0.0', image: 'registry.example/checkout:2.0.0' }, { mode: 'separate-service', replicas: 2 });

    let health = await workloads.health(app.namespace, 'checkout-canary');
    expect(health).toMatchObject({ desiredReplicas: 2, availableReplicas: 0, healthy: false, rolledOut: false });
    await setDeploymentStatus(target.admin, app.namespace, 'checkout-canary');
    health = await workloads.health(app.namespace, 'checkout-canary');
    expect(health).toMatchObject({ availableReplicas: 2, healthy: true, rolledOut: true, restarts: 0, problems: [] });

    const canaryLabels = { app: 'checkout-canary', [TRACK_LABEL]: 'canary' };
    await createPodWithStatus(target.admin, app.namespace, 'checkout-canary-a', canaryLabels, { restarts: 5, waitingReason: 'CrashLoopBackOff' });
    await createPodWithStatus(target.admin, app.namespace, 'checkout-canary-b', canaryLabels, { restarts: 1 });
    await createPodWithStatus(target.admin, app.namespace, 'checkout-stable-a', { app: 'checkout' }, { restarts: 7, waitingReason: 'CrashLoopBackOff' });
    health = await workloads.health(app.namespace, 'checkout-canary');
    expect(health.restarts).toBe(6);
    expect(health.podsSeen).toBe(2);
    expect(health.crashLoopingPods).toEqual(['checkout-canary-a (server: CrashLoopBackOff)']);
    expect(health.healthy).toBe(false);

    await setDeploymentStatus(target.admin, app.namespace, 'checkout-canary', {
      available: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet has timed out progressing.' }],
    });
    health = await workloads.health(app.namespace, 'checkout-canary');
    expect(health.problems).toEqual(expect.arrayContaining([
      "Deployment 'checkout-canary' is not progressing (ProgressDeadlineExceeded): ReplicaSet has timed out progressing.",
      "Deployment 'checkout-canary' has 1 of 2 replicas available",
    ]));

    // stable health never counts canary pods, even where selectors overlap
    await setDeploymentStatus(target.admin, app.namespace, 'checkout');
    const stableHealth = await workloads.health(app.namespace, 'checkout');
    expect(stableHealth.podsSeen).toBe(1);
    expect(await workloads.health(app.namespace, 'checkout', await workloads.readDeployment(app.namespace, 'checkout'))).toEqual(stableHealth);
    expect(stableHealth.restarts).toBe(7);

    const scaled = await workloads.scale(app.namespace, 'checkout-canary', 0, '2.0.0');
    expect(scaled.spec?.replicas).toBe(0);
    expect(scaled.metadata?.annotations?.[AUDIT_ANNOTATIONS.runId]).toBe('4242');

    const promoted = await workloads.promoteStable(await workloads.readDeployment(app.namespace, 'checkout'), {
      version: '2.0.0', container: 'server', image: 'registry.example/checkout:2.0.0', env: { PROMPT_VERSION: '2.0.0' },
    });
    expect(promoted.spec?.template.spec?.containers[0].image).toBe('registry.example/checkout:2.0.0');
    expect(promoted.spec?.selector.matchLabels).toEqual({ app: 'checkout' });
    expect(promoted.spec?.template.metadata?.labels?.[VERSION_LABEL]).toBe('2.0.0');
    expect(promoted.metadata?.annotations?.[AUDIT_ANNOTATIONS.version]).toBe('2.0.0');
    await expect(workloads.promoteStable(stable, { version: '2.0.0', image: 'x' })).rejects.toThrow(ConflictError);
  });

  const weighted: Array<[TrafficRouterKind, (app: StableApp) => Promise<Record<string, unknown>>]> = [
    ['nginx', async (app) => {
      const ingress = await target.admin.makeApiClient(NetworkingV1Api).readNamespacedIngress({ name: 'checkout-canary', namespace: app.namespace });
      return {
        annotations: ingress.metadata?.annotations,
        backend: ingress.spec?.rules?.[0].http?.paths[0].backend.service?.name,
        host: ingress.spec?.rules?.[0].host,
      };
    }],
    ['gateway-api', async (app) => {
      const route = await target.admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
        group: 'gateway.networking.k8s.io', version: 'v1', namespace: app.namespace, plural: 'httproutes', name: 'checkout',
      });
      return { rules: route.spec.rules, annotations: route.metadata.annotations };
    }],
    ['istio', async (app) => {
      const vs = await target.admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
        group: 'networking.istio.io', version: 'v1beta1', namespace: app.namespace, plural: 'virtualservices', name: 'checkout',
      });
      return { http: vs.spec.http, annotations: vs.metadata.annotations };
    }],
  ];

  test.each(weighted)('router %s: ensure creates the canary pieces, weights move and read back, reset returns to stable', async (kind, inspect) => {
    const app = await newApp();
    const router = createTrafficRouter(kind, { client, audit }, app);
    expect(router.podLabelMode).toBe('separate-service');
    expect(await router.readWeight()).toBe(0);
    await router.ensure();
    expect(await router.readWeight()).toBe(0);
    const canaryService = await core.readNamespacedService({ name: 'checkout-canary', namespace: app.namespace });
    expect(canaryService.spec?.selector).toEqual({ app: 'checkout-canary', [TRACK_LABEL]: 'canary' });

    expect(await router.applyWeight(10)).toEqual({ requested: 10, effective: 10 });
    expect(await router.readWeight()).toBe(10);
    const at10 = await inspect(app);
    expect((at10.annotations as Record<string, string>)[AUDIT_ANNOTATIONS.runId]).toBe('4242');
    if (kind === 'nginx') {
      expect(at10).toMatchObject({ backend: 'checkout-canary', host: 'checkout.example' });
      expect(at10.annotations).toMatchObject({
        'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10', 'kubernetes.io/ingress.class': 'nginx',
      });
    }
    if (kind === 'gateway-api') {
      expect(at10.rules).toEqual([
        { matches: [{ path: { type: 'PathPrefix', value: '/healthz' } }], backendRefs: [{ name: 'health', port: 80 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'checkout', port: 80, weight: 90 }, { name: 'checkout-canary', port: 80, weight: 10 }] },
      ]);
    }
    if (kind === 'istio') {
      expect(at10.http).toEqual([
        { match: [{ uri: { prefix: '/admin' } }], route: [{ destination: { host: 'admin' } }] },
        {
          route: [
            { destination: { host: `checkout.${app.namespace}.svc.cluster.local`, port: { number: 80 } }, weight: 90 },
            { destination: { host: `checkout-canary.${app.namespace}.svc.cluster.local`, port: { number: 80 } }, weight: 10 },
          ],
        },
      ]);
    }
    await router.applyWeight(50);
    await router.ensure(); // ensure never moves traffic
    expect(await router.readWeight()).toBe(50);
    await router.applyWeight(50); // idempotent
    expect(await router.readWeight()).toBe(50);
    expect(await router.reset()).toEqual({ requested: 0, effective: 0 });
    expect(await router.readWeight()).toBe(0);
    await expect(router.applyWeight(101)).rejects.toThrow('between 0 and 100');
  });

  test('router replicas: one Service for both tracks, weight as a share of replicas, warning when replicas cannot match', async () => {
    const app = await newApp();
    const stable = await workloads.readDeployment(app.namespace, 'checkout');
    const router = createTrafficRouter('replicas', { client, audit }, app);
    expect(router.podLabelMode).toBe('shared-service');
    await workloads.upsertCanary(stable, { version: '2.0.0', image: 'registry.example/checkout:2.0.0' }, { mode: router.podLabelMode, replicas: 0 });
    await router.ensure();
    expect(await router.readWeight()).toBe(0);

    const at25 = await router.applyWeight(25);
    expect(at25).toEqual({ requested: 25, effective: 25 });
    const replicas = async () => [
      (await apps.readNamespacedDeployment({ name: 'checkout', namespace: app.namespace })).spec?.replicas,
      (await apps.readNamespacedDeployment({ name: 'checkout-canary', namespace: app.namespace })).spec?.replicas,
    ];
    expect(await replicas()).toEqual([3, 1]);
    expect(await router.readWeight()).toBe(25);

    const at10 = await router.applyWeight(10);
    expect(at10.effective).toBe(0);
    expect(at10.warning).toContain('4 replicas cannot split finer');
    expect(await replicas()).toEqual([4, 0]);
    expect(await router.readWeight()).toBe(10);

    expect((await router.applyWeight(50)).effective).toBe(50);
    expect(await replicas()).toEqual([2, 2]);
    // someone scaled the stable Deployment by hand: the weight read back is what the replicas now give
    await apps.patchNamespacedDeployment({ name: 'checkout', namespace: app.namespace, body: [{ op: 'replace', path: '/spec/replicas', value: 6 }] });
    expect(await router.readWeight()).toBe(25);
    // the total the rollout started from is recorded on the canary: a reset restores it (drift is undone)
    await router.reset();
    expect(await replicas()).toEqual([4, 0]);
    expect(await router.readWeight()).toBe(0);
  });

  test('router configmap: <name>-routing holds versions and weight for the application', async () => {
    const app = await newApp();
    const router = createTrafficRouter('configmap', { client, audit }, { ...app, stableVersion: '1.0.0', canaryVersion: '2.0.0' });
    expect(await router.readWeight()).toBe(0);
    await router.ensure();
    await router.applyWeight(25);
    const routing = await core.readNamespacedConfigMap({ name: 'checkout-routing', namespace: app.namespace });
    expect(routing.data).toEqual({ 'stable-version': '1.0.0', 'canary-version': '2.0.0', 'canary-weight': '25' });
    expect(routing.metadata?.annotations?.[AUDIT_ANNOTATIONS.sha]).toBe('abc123');
    expect(await router.readWeight()).toBe(25);
    await router.reset();
    expect(await router.readWeight()).toBe(0);
    // sticky: a user on the canary at 25 % stays there as the weight grows
    const users = Array.from({ length: 400 }, (_, index) => `user-${index}`);
    const at25 = users.filter((user) => stickyTrack(user, 25) === 'canary');
    expect(at25.every((user) => stickyTrack(user, 50) === 'canary')).toBe(true);
    expect(at25.length / users.length).toBeGreaterThan(0.17);
    expect(at25.length / users.length).toBeLessThan(0.33);
  });

  test('routers name what is missing', async () => {
    const app = await newApp();
    expect(() => createTrafficRouter('nginx', { client, audit }, { namespace: app.namespace, name: 'checkout' })).toThrow("Input 'ingress': is required when traffic-router is 'nginx'");
    expect(() => createTrafficRouter('linkerd', { client, audit }, app)).toThrow("Input 'traffic-router': 'linkerd' is not a traffic router");
    await expect(createTrafficRouter('gateway-api', { client, audit }, { ...app, httproute: 'nope' }).applyWeight(10))
      .rejects.toThrow(`HTTPRoute 'nope' not found in namespace '${app.namespace}'`);
    await expect(createTrafficRouter('istio', { client, audit }, { ...app, service: 'other' }).applyWeight(10))
      .rejects.toThrow("has no http route to host 'other'");
    await expect(createTrafficRouter('nginx', { client, audit }, { ...app, service: 'nope' }).ensure())
      .rejects.toThrow(`Service 'nope' not found in namespace '${app.namespace}'`);
    const error = await createTrafficRouter('replicas', { client, audit }, app).applyWeight(10).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesError);
    expect((error as Error).message).toBe(`Deployment 'checkout-canary' not found in namespace '${app.namespace}'`);
  });
}
