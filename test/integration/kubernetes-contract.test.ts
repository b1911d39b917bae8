// The fake API server's fidelity: the same checks, through @kubernetes/client-node, against the in-process fake
// and against a real kube-apiserver. Every behaviour the Kubernetes layer relies on is pinned here.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import { startFakeKubeApiServer } from '../servers/kube-fake.ts';
import { createNamespace, describeWithRealApiServer, startRealApiServer } from '../servers/kube-real.ts';

interface Target {
  kubeConfig: KubeConfig;
  stop(): Promise<void>;
}

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

async function apiError(promise: Promise<unknown>): Promise<{ code: number; reason: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const apiException = error as ApiException<string>;
    expect(typeof apiException.body).toBe('string');
    return { code: apiException.code, reason: JSON.parse(apiException.body).reason };
  }
  throw new Error('expected the call to fail');
}

const deployment = (name: string): V1Deployment => ({
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'app', image: 'registry.example/app:1', env: [{ name: 'PROMPT_VERSION', value: '1.0.0' }] },
          { name: 'sidecar', image: 'registry.example/proxy:1' },
        ],
      },
    },
  },
});

function contract(label: string, start: () => Promise<Target>, defineSuite: (name: string, body: () => void) => void) {
  defineSuite(`Kubernetes API contract: ${label}`, () => {
    let target: Target;
    let namespace: string;
    let core: CoreV1Api;
    let apps: AppsV1Api;
    let networking: NetworkingV1Api;
    let custom: CustomObjectsApi;

    beforeAll(async () => {
      target = await start();
      core = target.kubeConfig.makeApiClient(CoreV1Api);
      apps = target.kubeConfig.makeApiClient(AppsV1Api);
      networking = target.kubeConfig.makeApiClient(NetworkingV1Api);
      custom = target.kubeConfig.makeApiClient(CustomObjectsApi);
      namespace = await createNamespace(target.kubeConfig, 'contract');
    }, 60_000);
    afterAll(async () => target?.stop());

    test('Deployments: create, strategic-merge a container, merge-patch replicas, generation bumps, stale replace conflicts', async () => {
      const created = await apps.createNamespacedDeployment({ namespace, body: deployment('web') });
      expect(created.metadata?.generation).toBe(1);
      expect(created.metadata?.namespace).toBe(namespace);

      const patched = await apps.patchNamespacedDeployment({
        name: 'web', namespace,
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.example/app:2' }] } } } },
      }, strategic);
      const containers = patched.spec?.template.spec?.containers ?? [];
      expect(containers.map((c) => [c.name, c.image])).toEqual([['app', 'registry.example/app:2'], ['sidecar', 'registry.example/proxy:1']]);
      expect(containers[0].env).toEqual([{ name: 'PROMPT_VERSION', value: '1.0.0' }]);
      expect(patched.metadata?.generation).toBe(2);

      const scaled = await apps.patchNamespacedDeployment({ name: 'web', namespace, body: { spec: { replicas: 5 } } }, merge);
      expect(scaled.spec?.replicas).toBe(5);
      expect(scaled.metadata?.generation).toBe(3);
      expect(Number(scaled.metadata?.resourceVersion)).toBeGreaterThan(Number(patched.metadata?.resourceVersion));

      const annotated = await apps.patchNamespacedDeployment({ name: 'web', namespace, body: { metadata: { annotations: { a: 'b' } } } }, merge);
      // Deployments count annotation changes as a new generation too
      expect(annotated.metadata?.generation).toBe(4);

      // client-node's default patch type is JSON Patch: an object body is rejected
      expect(await apiError(apps.patchNamespacedDeployment({ name: 'web', namespace, body: { spec: { replicas: 1 } } }))).toEqual({ code: 400, reason: 'BadRequest' });

      const stale = { ...created, spec: { ...created.spec!, replicas: 9 } };
      expect(await apiError(apps.replaceNamespacedDeployment({ name: 'web', namespace, body: stale }))).toEqual({ code: 409, reason: 'Conflict' });

      const list = await apps.listNamespacedDeployment({ namespace });
      expect(list.items.map((item) => item.metadata?.name)).toEqual(['web']);
    });

    test('validation the layer must respect: selector matches template labels and is immutable; label values', async () => {
      const mismatched = deployment('mismatch');
      mismatched.spec!.template.metadata!.labels = { app: 'other' };
      expect(await apiError(apps.createNamespacedDeployment({ namespace, body: mismatched }))).toEqual({ code: 422, reason: 'Invalid' });
      await apps.createNamespacedDeployment({ namespace, body: deployment('fixed') });
      const moved = { spec: { selector: { matchLabels: { app: 'moved' } }, template: { metadata: { labels: { app: 'moved' } } } } };
      expect(await apiError(apps.patchNamespacedDeployment({ name: 'fixed', namespace, body: moved }, merge))).toEqual({ code: 422, reason: 'Invalid' });
      const longLabel = { metadata: { name: 'long', labels: { version: 'v'.repeat(64) } } };
      expect(await apiError(core.createNamespacedConfigMap({ namespace, body: longLabel }))).toEqual({ code: 422, reason: 'Invalid' });
      const badLabel = { metadata: { name: 'bad', labels: { version: '2.0.0+build/7' } } };
      expect(await apiError(core.createNamespacedConfigMap({ namespace, body: badLabel }))).toEqual({ code: 422, reason: 'Invalid' });
    });

    test('status subresource: only /status writes status; status writes keep spec and generation', async () => {
      await apps.createNamespacedDeployment({ namespace, body: deployment('status-demo') });
      const current = await apps.readNamespacedDeployment({ name: 'status-demo', namespace });
      const withStatus = await apps.replaceNamespacedDeploymentStatus({
        name: 'status-demo', namespace,
        body: { ...current, spec: { ...current.spec!, replicas: 7 }, status: { replicas: 2, availableReplicas: 2, readyReplicas: 2, updatedReplicas: 2, observedGeneration: 1 } },
      });
      expect(withStatus.status?.availableReplicas).toBe(2);
      expect(withStatus.spec?.replicas).toBe(2);
      expect(withStatus.metadata?.generation).toBe(1);

      const merged = await apps.patchNamespacedDeploymentStatus({
        name: 'status-demo', namespace,
        body: { status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'stuck' }] } },
      }, merge);
      expect(merged.status?.conditions?.[0].reason).toBe('ProgressDeadlineExceeded');
      expect(merged.status?.availableReplicas).toBe(2);

      const mainWrite = await apps.patchNamespacedDeployment({ name: 'status-demo', namespace, body: { status: { availableReplicas: 0 } } }, merge);
      expect(mainWrite.status?.availableReplicas).toBe(2);
    });

    test('ConfigMaps: 404 NotFound, create, 409 AlreadyExists, merge-patch, resourceVersion preconditions in patches, immutable data', async () => {
      expect(await apiError(core.readNamespacedConfigMap({ name: 'missing', namespace }))).toEqual({ code: 404, reason: 'NotFound' });
      const body = { metadata: { name: 'state', labels: { 'model-cicd.dev/rollout': 'web' } }, data: { 'state.json': '{}' } };
      const created = await core.createNamespacedConfigMap({ namespace, body });
      expect(await apiError(core.createNamespacedConfigMap({ namespace, body }))).toEqual({ code: 409, reason: 'AlreadyExists' });

      const patched = await core.patchNamespacedConfigMap({ name: 'state', namespace, body: { data: { extra: 'x' } } }, merge);
      expect(patched.data).toEqual({ 'state.json': '{}', extra: 'x' });

      const staleMerge = { metadata: { resourceVersion: created.metadata?.resourceVersion }, data: { extra: 'y' } };
      expect(await apiError(core.patchNamespacedConfigMap({ name: 'state', namespace, body: staleMerge }, merge))).toEqual({ code: 409, reason: 'Conflict' });
      const staleJson = [
        { op: 'replace', path: '/metadata/resourceVersion', value: created.metadata?.resourceVersion },
        { op: 'replace', path: '/data/extra', value: 'z' },
      ];
      expect(await apiError(core.patchNamespacedConfigMap({ name: 'state', namespace, body: staleJson }, jsonPatch))).toEqual({ code: 409, reason: 'Conflict' });
      const freshMerge = { metadata: { resourceVersion: patched.metadata?.resourceVersion }, data: { extra: 'y' } };
      expect((await core.patchNamespacedConfigMap({ name: 'state', namespace, body: freshMerge }, merge)).data?.extra).toBe('y');

      const failedTest = [{ op: 'test', path: '/data/extra', value: 'nope' }];
      expect(await apiError(core.patchNamespacedConfigMap({ name: 'state', namespace, body: failedTest }, jsonPatch))).toEqual({ code: 422, reason: 'Invalid' });

      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'frozen' }, immutable: true, data: { a: '1' } } });
      expect(await apiError(core.patchNamespacedConfigMap({ name: 'frozen', namespace, body: { data: { a: '2' } } }, merge))).toEqual({ code: 422, reason: 'Invalid' });
      const labelled = await core.patchNamespacedConfigMap({ name: 'frozen', namespace, body: { metadata: { labels: { x: 'y' } } } }, merge);
      expect(labelled.metadata?.labels).toEqual({ x: 'y' });
    });

    test('label selectors: per namespace and across all namespaces', async () => {
      const other = await createNamespace(target.kubeConfig, 'contract-other');
      // a label value of this run only: a shared server keeps other runs' objects
      const rollout = other.slice(-12);
      await core.createNamespacedConfigMap({ namespace: other, body: { metadata: { name: 'b-rollout', labels: { 'model-cicd.dev/rollout': rollout } }, data: {} } });
      await core.createNamespacedConfigMap({ namespace: other, body: { metadata: { name: 'unrelated', labels: { app: 'x' } }, data: {} } });
      const here = await core.listNamespacedConfigMap({ namespace: other, labelSelector: 'model-cicd.dev/rollout' });
      expect(here.items.map((item) => item.metadata?.name)).toEqual(['b-rollout']);
      const everywhere = await core.listConfigMapForAllNamespaces({ labelSelector: `model-cicd.dev/rollout=${rollout}` });
      expect(everywhere.items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`)).toEqual([`${other}/b-rollout`]);
      const negative = await core.listNamespacedConfigMap({ namespace: other, labelSelector: 'app!=x' });
      expect(negative.items.map((item) => item.metadata?.name)).toEqual(['b-rollout']);
    });

    test('Services: strategic-merge selector, clusterIP allocated, a taken clusterIP is refused', async () => {
      const created = await core.createNamespacedService({
        namespace,
        body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
      });
      expect(created.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const patched = await core.patchNamespacedService({ name: 'web', namespace, body: { spec: { selector: { track: 'stable' } } } }, strategic);
      expect(patched.spec?.selector).toEqual({ app: 'web', track: 'stable' });
      const copy = { metadata: { name: 'copy' }, spec: { clusterIP: created.spec?.clusterIP, selector: { app: 'web' }, ports: [{ port: 80 }] } };
      expect(await apiError(core.createNamespacedService({ namespace, body: copy }))).toEqual({ code: 422, reason: 'Invalid' });
    });

    test('Ingress: create and merge-patch canary annotations', async () => {
      await networking.createNamespacedIngress({
        namespace,
        body: {
          metadata: { name: 'web' },
          spec: { rules: [{ host: 'web.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
        },
      });
      const patched = await networking.patchNamespacedIngress({
        name: 'web', namespace,
        body: { metadata: { annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' } } },
      }, merge);
      expect(patched.metadata?.annotations?.['nginx.ingress.kubernetes.io/canary-weight']).toBe('10');
    });

    test('custom objects: create, merge-patch replaces lists, strategic merge is 415, JSON patch, 404', async () => {
      const route = {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web' },
        spec: { rules: [{ backendRefs: [{ name: 'web', port: 80, weight: 100 }] }] },
      };
      const group = { group: 'gateway.networking.k8s.io', version: 'v1', namespace, plural: 'httproutes' };
      const created = await custom.createNamespacedCustomObject({ ...group, body: route });
      expect(created.metadata.generation).toBe(1);
      const weights = { spec: { rules: [{ backendRefs: [{ name: 'web', port: 80, weight: 90 }, { name: 'web-canary', port: 80, weight: 10 }] }] } };
      const patched = await custom.patchNamespacedCustomObject({ ...group, name: 'web', body: weights }, merge);
      expect(patched.spec.rules[0].backendRefs).toEqual(weights.spec.rules[0].backendRefs);
      expect(patched.metadata.generation).toBe(2);
      const onlyOne = { spec: { rules: [{ backendRefs: [{ name: 'web', port: 80, weight: 100 }] }] } };
      const replaced = await custom.patchNamespacedCustomObject({ ...group, name: 'web', body: onlyOne }, merge);
      expect(replaced.spec.rules[0].backendRefs).toHaveLength(1);
      expect(await apiError(custom.patchNamespacedCustomObject({ ...group, name: 'web', body: weights }, strategic))).toEqual({ code: 415, reason: 'UnsupportedMediaType' });
      const stale = { metadata: { resourceVersion: created.metadata.resourceVersion }, spec: weights.spec };
      expect(await apiError(custom.patchNamespacedCustomObject({ ...group, name: 'web', body: stale }, merge))).toEqual({ code: 409, reason: 'Conflict' });

      const vsGroup = { group: 'networking.istio.io', version: 'v1beta1', namespace, plural: 'virtualservices' };
      await custom.createNamespacedCustomObject({
        ...vsGroup,
        body: {
          apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'web' },
          spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' }, weight: 100 }] }] },
        },
      });
      const vs = await custom.patchNamespacedCustomObject({
        ...vsGroup, name: 'web',
        body: [{ op: 'replace', path: '/spec/http/0/route', value: [{ destination: { host: 'web' }, weight: 80 }, { destination: { host: 'web-canary' }, weight: 20 }] }],
      }, jsonPatch);
      expect(vs.spec.http[0].route.map((d: { weight: number }) => d.weight)).toEqual([80, 20]);
      expect(await apiError(custom.getNamespacedCustomObject({ ...vsGroup, name: 'missing' }))).toEqual({ code: 404, reason: 'NotFound' });
      await custom.deleteNamespacedCustomObject({ ...vsGroup, name: 'web' });
      expect(await apiError(custom.getNamespacedCustomObject({ ...vsGroup, name: 'web' }))).toEqual({ code: 404, reason: 'NotFound' });
    });

    test('pods: status through /status, listed by selector with a negative requirement', async () => {
      for (const [name, track] of [['p-stable', 'stable'], ['p-canary', 'canary']]) {
        await core.createNamespacedPod({
          namespace,
          body: { metadata: { name, labels: { app: 'web', 'model-cicd.dev/track': track } }, spec: { containers: [{ name: 'app', image: 'x' }] } },
        });
      }
      const pod = await core.readNamespacedPod({ name: 'p-canary', namespace });
      await core.replaceNamespacedPodStatus({
        name: 'p-canary', namespace,
        body: { ...pod, status: { phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } },
      });
      const stableOnly = await core.listNamespacedPod({ namespace, labelSelector: 'app=web,model-cicd.dev/track!=canary' });
      expect(stableOnly.items.map((item) => item.metadata?.name)).toEqual(['p-stable']);
      const canary = await core.listNamespacedPod({ namespace, labelSelector: 'app=web,model-cicd.dev/track=canary' });
      expect(canary.items[0].status?.containerStatuses?.[0].restartCount).toBe(4);
    });

    test('a create in a namespace that does not exist is 404', async () => {
      expect(await apiError(core.createNamespacedConfigMap({ namespace: 'no-such-namespace', body: { metadata: { name: 'x' } } }))).toEqual({ code: 404, reason: 'NotFound' });
    });
  });
}

contract('in-process fake', async () => {
  const fake = await startFakeKubeApiServer();
  return { kubeConfig: fake.kubeConfig, stop: () => fake.stop() };
}, describe);

contract('real kube-apiserver', async () => {
  const real = await startRealApiServer();
  return { kubeConfig: real.kubeConfig, stop: () => real.stop() };
}, describeWithRealApiServer);
