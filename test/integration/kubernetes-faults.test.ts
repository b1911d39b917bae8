// Fault handling against real semantics: a fault-injecting proxy in front of a real kube-apiserver.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { ConflictError, KubeClient, RolloutStateStore, TRAFFIC_ROUTER_KINDS, Workloads } from '@model-cicd/core/kubernetes';
import { startFaultProxy, type FaultProxy } from '../servers/kube-fault-proxy.ts';
import { runFaultRounds } from '../servers/kube-fault-rounds.ts';
import { seedStableApp } from '../servers/kube-fixtures.ts';
import { createNamespace, describeWithRealApiServer, startRealApiServer, type RealApiServer } from '../servers/kube-real.ts';

describeWithRealApiServer('Kubernetes layer under injected faults, on a real kube-apiserver', () => {
  let server: RealApiServer;
  let proxy: FaultProxy;
  const client = (requestTimeoutMs = 5000) => new KubeClient(proxy.kubeConfig, { retry: { attempts: 5 }, sleep: async () => {}, requestTimeoutMs });

  beforeAll(async () => {
    server = await startRealApiServer();
    proxy = await startFaultProxy(server.kubeConfig);
  }, 90_000);
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  test('compare-and-swap whose response was lost: the real 409 on the retry is recognised as our own write', async () => {
    const namespace = await createNamespace(server.kubeConfig, 'faults');
    const store = new RolloutStateStore(client());
    const created = await store.create(namespace, 'checkout', { step: 0 });
    proxy.resetCounters();
    proxy.setFaults([{ fault: 'lost-response', method: 'PUT', onRequests: [1] }]);
    expect((await store.compareAndSwap(created, { step: 1 })).state).toEqual({ step: 1 });
    expect(proxy.requests.map((request) => `${request.method}${request.fault ? ':' + request.fault : ''}`)).toEqual(['PUT:lost-response', 'PUT', 'GET']);
    proxy.clearFaults();
    // while a genuinely stale swap is still refused
    await expect(store.compareAndSwap(created, { step: 2 })).rejects.toThrow(ConflictError);
  });

  test('create whose response was lost, and a request that hangs past the deadline', async () => {
    const namespace = await createNamespace(server.kubeConfig, 'faults');
    const store = new RolloutStateStore(client(1000));
    proxy.setFaults([{ fault: 'lost-response', method: 'POST', onRequests: [1] }, { fault: 'timeout', method: 'GET', onRequests: [3] }]);
    proxy.resetCounters();
    expect((await store.create(namespace, 'checkout', { step: 0 })).state).toEqual({ step: 0 });
    expect((await store.read(namespace, 'checkout'))?.state).toEqual({ step: 0 });
    // POST lost, POST again (409 AlreadyExists), GET to compare (hangs, abandoned, retried), then the read
    expect(proxy.requests.map((request) => `${request.method}:${request.fault ?? 'ok'}`))
      .toEqual(['POST:lost-response', 'POST:ok', 'GET:timeout', 'GET:ok', 'GET:ok']);
    proxy.clearFaults();
  });

  test.each(TRAFFIC_ROUTER_KINDS.map((kind) => [kind]))('router %s: seeded random faults, every weight reached, no weight but the old or the new', async (kind) => {
    const namespace = await createNamespace(server.kubeConfig, 'faults');
    const app = await seedStableApp(server.kubeConfig, namespace);
    const failures = await runFaultRounds(kind, proxy.kubeConfig, app, proxy, 10);
    expect(failures).toBeLessThan(10);
    // the stable Deployment is never restarted by routing: its pod template is the seeded one
    const stable = await new Workloads(new KubeClient(server.kubeConfig)).readDeployment(namespace, 'checkout');
    expect(stable.spec?.template.spec?.containers[0].image).toBe('registry.example/checkout:1.0.0');
  });
});
