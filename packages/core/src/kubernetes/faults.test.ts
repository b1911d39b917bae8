// Retries, deadlines and conflict handling under injected API faults (in-process fake API server).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../../../../test/servers/kube-fake.ts';
import { seedStableApp, type StableApp } from '../../../../test/servers/kube-fixtures.ts';
import { runFaultRounds } from '../../../../test/servers/kube-fault-rounds.ts';
import { ConflictError, createTrafficRouter, KubeClient, KubernetesError, RolloutStateStore, TRAFFIC_ROUTER_KINDS, Workloads } from './index.ts';

const noSleep = async () => {};
let fake: FakeKubeApiServer;
let namespaceCounter = 0;

async function freshApp(): Promise<StableApp> {
  const namespace = `faults-${++namespaceCounter}`;
  await fake.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  return seedStableApp(fake.kubeConfig, namespace);
}

const client = (attempts = 5, requestTimeoutMs = 2000) =>
  new KubeClient(fake.kubeConfig, { retry: { attempts }, sleep: noSleep, requestTimeoutMs });

beforeAll(async () => {
  fake = await startFakeKubeApiServer();
});
afterAll(async () => fake.stop());
beforeEach(() => {
  fake.clearFaults();
  fake.latencyMs = 0;
});

describe('retries of transient failures', () => {
  test.each([['throttle'], ['server-error'], ['reset']] as const)('%s on the first two requests: the read succeeds on the third', async (fault) => {
    const app = await freshApp();
    fake.resetCounters();
    fake.setFaults([{ fault, onRequests: [1, 2] }]);
    const deployment = await new Workloads(client()).readDeployment(app.namespace, 'checkout');
    expect(deployment.metadata?.name).toBe('checkout');
    expect(fake.requests.map((request) => request.fault ?? 'ok')).toEqual([fault, fault, 'ok']);
  });

  test('a request that hangs is abandoned at the deadline and retried', async () => {
    const app = await freshApp();
    fake.resetCounters();
    fake.setFaults([{ fault: 'timeout', onRequests: [1] }]);
    const deployment = await new Workloads(client(3, 300)).readDeployment(app.namespace, 'checkout');
    expect(deployment.metadata?.name).toBe('checkout');
    expect(fake.requestCount).toBe(2);
  });

  test('when retries run out, the error names the object, the namespace and what the server said', async () => {
    const app = await freshApp();
    fake.setFaults([{ fault: 'server-error', rate: 1 }]);
    const error = await new Workloads(client(3)).readDeployment(app.namespace, 'checkout').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesError);
    expect((error as KubernetesError).status).toBe(500);
    expect((error as Error).message).toBe(`Could not read Deployment 'checkout' in namespace '${app.namespace}': InternalError (500): Internal error occurred: injected.`);
    fake.setFaults([{ fault: 'timeout', rate: 1 }]);
    await expect(new Workloads(client(2, 200)).readDeployment(app.namespace, 'checkout'))
      .rejects.toThrow(`Could not read Deployment 'checkout' in namespace '${app.namespace}': the Kubernetes API did not answer in time`);
  });

  test('conflicts are not retried blindly: they surface as ConflictError after one request', async () => {
    const app = await freshApp();
    const store = new RolloutStateStore(client());
    const created = await store.create(app.namespace, 'checkout', { step: 0 });
    fake.resetCounters();
    fake.setFaults([{ fault: 'conflict', method: 'PUT', rate: 1 }]);
    await expect(store.compareAndSwap(created, { step: 1 })).rejects.toThrow(ConflictError);
    expect(fake.requestCount).toBe(1);
  });
});

describe('writes whose response was lost', () => {
  test('compare-and-swap: the retry sees 409, re-reads, and recognises its own write', async () => {
    const app = await freshApp();
    const store = new RolloutStateStore(client());
    const created = await store.create(app.namespace, 'checkout', { step: 0 });
    fake.resetCounters();
    fake.setFaults([{ fault: 'lost-response', method: 'PUT', onRequests: [1] }]);
    const swapped = await store.compareAndSwap(created, { step: 1 });
    expect(swapped.state).toEqual({ step: 1 });
    expect(fake.requests.map((request) => `${request.method}${request.fault ? ':' + request.fault : ''}`)).toEqual(['PUT:lost-response', 'PUT', 'GET']);
  });

  test('compare-and-swap: a lost response followed by a different writer is still a conflict', async () => {
    const app = await freshApp();
    const store = new RolloutStateStore(client());
    const created = await store.create(app.namespace, 'checkout', { step: 0 });
    const other = await store.read(app.namespace, 'checkout');
    await store.compareAndSwap(other!, { step: 5 });
    await expect(store.compareAndSwap(created, { step: 1 })).rejects.toThrow(ConflictError);
  });

  test('create: AlreadyExists on the retry is recognised as our own create', async () => {
    const app = await freshApp();
    const store = new RolloutStateStore(client());
    fake.resetCounters();
    fake.setFaults([{ fault: 'lost-response', method: 'POST', onRequests: [1] }]);
    const created = await store.create(app.namespace, 'checkout', { step: 0 });
    expect(created.state).toEqual({ step: 0 });
    expect(fake.requests.map((request) => request.method)).toEqual(['POST', 'POST', 'GET']);
  });
});

describe('randomised faults (seeded): every router converges to the asked weight once faults stop', () => {
  test.each(TRAFFIC_ROUTER_KINDS.map((kind) => [kind]))('%s', async (kind) => {
    const failures = await runFaultRounds(kind, fake.kubeConfig, await freshApp(), fake, 30);
    expect(failures).toBeLessThan(30);
  });
});

describe('API calls per operation (what the bench multiplies by latency)', () => {
  test.each(TRAFFIC_ROUTER_KINDS.map((kind) => [kind]))('%s applyWeight', async (kind) => {
    const app = await freshApp();
    const layer = client();
    const router = createTrafficRouter(kind, { client: layer, audit: {} }, app);
    const workloads = new Workloads(layer);
    await workloads.upsertCanary(await workloads.readDeployment(app.namespace, 'checkout'), { version: '2', image: 'x:2' }, { mode: router.podLabelMode, replicas: 0 });
    await router.ensure();
    fake.resetCounters();
    layer.requestCount = 0;
    await router.applyWeight(25);
    const calls = fake.requestCount;
    expect(layer.requestCount).toBe(calls);
    // reads and one write: replicas reads two Deployments and scales both
    expect(calls).toBeLessThanOrEqual(kind === 'replicas' ? 4 : kind === 'nginx' ? 3 : 2);
    expect(fake.requests.filter((request) => request.method !== 'GET').length).toBeGreaterThanOrEqual(1);
  });
});
