// The manual commands, bad inputs and concurrent ticks of the bundled gradual-rollout action on a REAL
// kube-apiserver (no analysis here: steps advance on bake time and pod health; analysis is proven in
// gradual-rollout.test.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { ApiException, AppsV1Api, CoreV1Api, NetworkingV1Api, RbacAuthorizationV1Api, type V1Role, type V1RoleBinding } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../harness/run-action.ts';
import { createTrafficRouter, KubeClient } from '@model-cicd/core/kubernetes';
import { parseState, type RolloutState } from '@model-cicd/core/rollout';
import { commandsOf, runAction, type ActionRun } from '../harness/run-action.ts';
import { createNamespace, describeWithRealApiServer, startRealApiServer, type RealApiServer } from '../servers/kube-real.ts';
import { createPodWithStatus, seedStableApp, settleTracks, type StableApp } from '../servers/kube-fixtures.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * MINUTE).toISOString();

describeWithRealApiServer('gradual-rollout commands on a real API server', () => {
  let server: RealApiServer;
  let kubeconfig: string;

  beforeAll(async () => {
    server = await startRealApiServer();
    kubeconfig = await readFile(server.kubeconfigPath, 'utf8');
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const apps = () => server.kubeConfig.makeApiClient(AppsV1Api);

  const settle = (app: StableApp) => settleTracks(server.kubeConfig, app);

  async function state(app: StableApp): Promise<RolloutState> {
    const configMap = await server.kubeConfig.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: `${app.name}-rollout`, namespace: app.namespace });
    return parseState(configMap.data!['state.json']);
  }

  const ingressWeight = (app: StableApp): Promise<number> =>
    createTrafficRouter('nginx', { client: new KubeClient(server.kubeConfig), audit: {} }, { namespace: app.namespace, name: app.name, service: app.service, ingress: app.ingress }).readWeight();

  function action(app: StableApp, minute: number, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
    return runAction('gradual-rollout', { kubeconfig, name: app.name, namespace: app.namespace, ...inputs }, { env: { MODEL_CICD_NOW: at(minute), ...env } });
  }

  const start = (app: StableApp, extra: Record<string, string> = {}) => ({
    command: 'start',
    version: '2.0.0',
    image: 'registry.example/chat:2.0.0',
    container: 'server',
    'traffic-router': 'nginx',
    ingress: app.ingress,
    'step-duration': '5m',
    ...extra,
  });

  async function running(prefix: string): Promise<StableApp> {
    const app = await seedStableApp(server.kubeConfig, await createNamespace(server.kubeConfig, prefix), 'chat', 4);
    await settle(app);
    expect((await action(app, 0, start(app))).exitCode).toBe(0);
    await settle(app);
    const entered = await action(app, 1, { command: 'progress' });
    expect(entered.outputs).toMatchObject({ weight: '10', decision: 'advance' });
    return app;
  }

  describe('manual commands', () => {
    it('set-weight, pause, resume, status, then promote', async () => {
      const app = await running('manual');
      const set = await action(app, 2, { command: 'set-weight', weight: '30', reason: 'more traffic please' });
      expect(commandsOf(set, 'error')).toEqual([]);
      expect(set.exitCode).toBe(0);
      expect(set.outputs).toMatchObject({ weight: '30', status: 'progressing', decision: 'advance' });
      expect(await ingressWeight(app)).toBe(30);
      // the canary got enough pods for 30 % of 4 replicas before the weight rose
      expect((await apps().readNamespacedDeployment({ name: 'chat-canary', namespace: app.namespace })).spec!.replicas).toBe(2);
      expect((await state(app)).steps).toEqual([10, 25, 30, 50, 100]);

      const paused = await action(app, 3, { command: 'pause', reason: 'looking at a dashboard' });
      expect(paused.outputs).toMatchObject({ status: 'paused', weight: '30' });
      await settle(app);
      const tickWhilePaused = await action(app, 30, { command: 'progress' });
      expect(tickWhilePaused.outputs).toMatchObject({ status: 'paused', decision: 'noop', weight: '30' });

      const resumed = await action(app, 31, { command: 'resume' });
      // bake time passed while paused with traffic, so the resumed rollout advances at once
      expect(resumed.outputs).toMatchObject({ status: 'progressing', weight: '50' });

      const status = await action(app, 32, { command: 'status' });
      expect(status.outputs).toMatchObject({ status: 'progressing', weight: '50', step: '4', decision: 'noop' });
      expect(status.summary).toMatch(/10% ✅ → 25% ✅ → 30% ✅ → \*\*50% ⏳\*\* → 100%/);

      await settle(app);
      const promoting = await action(app, 33, { command: 'promote', reason: 'looks great' });
      expect(promoting.outputs).toMatchObject({ status: 'promoting', decision: 'advance' });
      const stable = await apps().readNamespacedDeployment({ name: 'chat', namespace: app.namespace });
      expect(stable.spec!.template.spec!.containers[0].image).toBe('registry.example/chat:2.0.0');
      expect(stable.metadata!.annotations).toMatchObject({ 'model-cicd.dev/actor': 'octocat', 'model-cicd.dev/run-id': '4242', 'model-cicd.dev/version': '2.0.0' });
      await settle(app);
      const promoted = await action(app, 34, { command: 'progress' });
      expect(promoted.outputs).toMatchObject({ status: 'promoted', weight: '0' });
      expect(await ingressWeight(app)).toBe(0);
      const history = (await state(app)).events.map((e) => [e.type, e.actor]);
      expect(history).toEqual(expect.arrayContaining([['manual-weight', 'octocat'], ['paused', 'octocat'], ['resumed', 'octocat'], ['promotion-started', 'octocat'], ['promoted', 'scheduler']]));
      expect((await state(app)).events.find((e) => e.type === 'manual-weight')!.reason).toBe('more traffic please');
    }, 120_000);

    it('abort sends all traffic back to stable at once and scales the canary down', async () => {
      const app = await running('abort');
      const aborted = await action(app, 2, { command: 'abort', reason: 'wrong build' });
      expect(aborted.exitCode).toBe(0);
      expect(aborted.outputs).toMatchObject({ status: 'aborted', weight: '0', decision: 'rollback' });
      expect(await ingressWeight(app)).toBe(0);
      expect((await apps().readNamespacedDeployment({ name: 'chat-canary', namespace: app.namespace })).spec!.replicas).toBe(0);
      expect(commandsOf(aborted, 'warning')[0].message).toMatch(/aborted: wrong build/);
      const again = await action(app, 3, { command: 'abort' });
      expect(again.exitCode).toBe(1);
      expect(commandsOf(again, 'error')[0].message).toMatch(/Cannot abort the rollout of 2.0.0: it is aborted/);
    }, 120_000);

    it('rolls back a crash-looping canary on the next tick', async () => {
      const app = await running('crash');
      const canary = await apps().readNamespacedDeployment({ name: 'chat-canary', namespace: app.namespace });
      await createPodWithStatus(server.kubeConfig, app.namespace, 'chat-canary-x1', canary.spec!.template.metadata!.labels!, { restarts: 5, waitingReason: 'CrashLoopBackOff' });
      const tick = await action(app, 2, { command: 'progress' });
      expect(tick.outputs).toMatchObject({ decision: 'rollback', status: 'rolled-back', weight: '0' });
      expect(commandsOf(tick, 'error')[0].message).toMatch(/crash-looping/);
      expect(await ingressWeight(app)).toBe(0);
    }, 120_000);

    it('a second start fails unless it queues or supersedes', async () => {
      const app = await running('conflict');
      const refused = await action(app, 2, start(app, { version: '3.0.0', image: 'registry.example/chat:3.0.0' }));
      expect(refused.exitCode).toBe(1);
      expect(commandsOf(refused, 'error')[0].message).toMatch(/is progressing at 10%. Set on-conflict to queue/);
      const queued = await action(app, 2, start(app, { version: '3.0.0', image: 'registry.example/chat:3.0.0', 'on-conflict': 'queue' }));
      expect(queued.outputs).toMatchObject({ status: 'queued', weight: '10' });
      const superseding = await action(app, 3, start(app, { version: '4.0.0', image: 'registry.example/chat:4.0.0', 'on-conflict': 'supersede' }));
      expect(superseding.exitCode).toBe(0);
      const current = await state(app);
      expect(current).toMatchObject({ canaryVersion: '4.0.0', weight: 0, queue: [{ version: '3.0.0' }] });
      expect(current.history[0]).toMatchObject({ canaryVersion: '2.0.0', status: 'superseded' });
      expect(await ingressWeight(app)).toBe(0);
      const canary = await apps().readNamespacedDeployment({ name: 'chat-canary', namespace: app.namespace });
      expect(canary.spec!.template.spec!.containers[0].image).toBe('registry.example/chat:4.0.0');
    }, 120_000);
  });

  describe('the scheduled tick', () => {
    /** examples/kubernetes/rbac.yaml applied to `namespace` for the restricted ServiceAccount. */
    async function grantRollout(namespace: string): Promise<void> {
      const core = server.kubeConfig.makeApiClient(CoreV1Api);
      for (const create of [
        () => core.createNamespace({ body: { metadata: { name: server.restrictedNamespace } } }),
        () => core.createNamespacedServiceAccount({ namespace: server.restrictedNamespace, body: { metadata: { name: 'model-cicd-rollout' } } }),
      ]) {
        await create().catch((error) => {
          if (!(error instanceof ApiException && error.code === 409)) throw error;
        });
      }
      const documents = parseAllDocuments(await readFile(`${repoRoot}/examples/kubernetes/rbac.yaml`, 'utf8')).map((d) => d.toJS());
      const role = documents.find((d) => d.kind === 'Role') as V1Role;
      const binding = documents.find((d) => d.kind === 'RoleBinding') as V1RoleBinding;
      const rbac = server.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
      await rbac.createNamespacedRole({ namespace, body: { ...role, metadata: { ...role.metadata, namespace } } });
      await rbac.createNamespacedRoleBinding({
        namespace,
        body: { ...binding, metadata: { ...binding.metadata, namespace }, subjects: binding.subjects?.map((subject) => ({ ...subject, namespace: server.restrictedNamespace })) },
      });
    }

    it('progress without a name ticks every rollout in the namespace, as the least-privilege ServiceAccount', async () => {
      const namespace = await createNamespace(server.kubeConfig, 'fleet');
      await grantRollout(namespace);
      const restricted = await readFile(server.restrictedKubeconfigPath, 'utf8');
      const names = ['alpha', 'beta', 'gamma'];
      const fleet = await Promise.all(names.map((name) => seedStableApp(server.kubeConfig, namespace, name, 4)));
      for (const app of fleet) {
        await settle(app);
        const started = await action(app, 0, { ...start(app), image: `registry.example/${app.name}:2.0.0` }, {});
        expect(started.exitCode).toBe(0);
        await settle(app);
      }
      // beta is paused: the tick leaves it alone; alpha and gamma enter step 1
      const runAs = (minute: number, inputs: Record<string, string>) =>
        runAction('gradual-rollout', { kubeconfig: restricted, namespace, ...inputs }, { env: { MODEL_CICD_NOW: at(minute) } });
      expect((await runAs(0, { command: 'pause', name: 'beta' })).outputs.status).toBe('paused');
      const tick = await runAs(1, { command: 'progress' });
      expect(tick.exitCode).toBe(0);
      expect(tick.outputs.status).toBe(`${namespace}/alpha=progressing,${namespace}/beta=paused,${namespace}/gamma=progressing`);
      expect(tick.outputs.weight).toBe(`${namespace}/alpha=10,${namespace}/beta=0,${namespace}/gamma=10`);
      expect(tick.outputs.decision).toBe('advance');
      expect(tick.summary).toMatch(/progress of 3 rollouts/);
      for (const app of fleet) await settle(app);
      const later = await runAs(7, { command: 'progress' });
      expect(later.outputs.weight).toBe(`${namespace}/alpha=25,${namespace}/beta=0,${namespace}/gamma=25`);
      const report = JSON.parse(await readFile(later.outputs['report-path'], 'utf8'));
      expect(report.rollouts).toHaveLength(3);
    }, 120_000);
  });

  describe('concurrency', () => {
    it('two ticks started at the same moment: exactly one advances', async () => {
      const app = await running('race');
      await settle(app);
      const before = await state(app);
      const [a, b] = await Promise.all([action(app, 7, { command: 'progress' }), action(app, 7, { command: 'progress' })]);
      expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
      const decisions = [a.outputs.decision, b.outputs.decision].sort();
      expect(decisions.filter((d) => d === 'advance')).toHaveLength(1);
      const after = await state(app);
      expect(after.weight).toBe(25);
      expect(after.events.filter((e) => e.type === 'advanced').length - before.events.filter((e) => e.type === 'advanced').length).toBe(1);
      expect(await ingressWeight(app)).toBe(25);
    }, 120_000);
  });

  describe('bad inputs: a clear error and the cluster untouched', () => {
    let app: StableApp;
    let snapshot: () => Promise<string>;
    beforeAll(async () => {
      app = await seedStableApp(server.kubeConfig, await createNamespace(server.kubeConfig, 'bad'), 'chat', 4);
      snapshot = async () => {
        const namespace = app.namespace;
        const [configMaps, deployments, services, ingresses] = await Promise.all([
          server.kubeConfig.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace }),
          apps().listNamespacedDeployment({ namespace }),
          server.kubeConfig.makeApiClient(CoreV1Api).listNamespacedService({ namespace }),
          server.kubeConfig.makeApiClient(NetworkingV1Api).listNamespacedIngress({ namespace }),
        ]);
        return JSON.stringify([configMaps, deployments, services, ingresses].map((list) => list.items.map((item) => `${item.metadata!.name}@${item.metadata!.resourceVersion}`)));
      };
    }, 60_000);

    const cases: [string, (app: StableApp) => Record<string, string>, RegExp][] = [
      ['unknown router', (a) => start(a, { 'traffic-router': 'haproxy' }), /Input 'traffic-router': unknown value 'haproxy'/],
      ['a weight outside 0..100', (a) => start(a, { steps: '10,150' }), /Input 'steps': 150 is outside 1..100/],
      ['weights not increasing', (a) => start(a, { steps: '50,25,100' }), /Input 'steps': steps must increase: 50 is followed by 25/],
      ['a Deployment that does not exist', (a) => ({ ...start(a), name: 'nope' }), /Input 'name': Deployment 'nope' not found in namespace/],
      ['a version equal to the stable one', (a) => start(a, { version: '1.0.0' }), /Version '1.0.0' is already the stable version of chat/],
      ['an invalid duration', (a) => start(a, { 'step-duration': 'five minutes' }), /Input 'step-duration': 'five minutes' is not a duration/],
      ['a metrics config that does not parse', (a) => start(a, { 'metrics-config': 'package.json' }), /Input 'metrics-config': package.json/],
      ['a metrics config that is missing', (a) => start(a, { 'metrics-config': 'nope.yml' }), /Input 'metrics-config': file 'nope.yml' does not exist/],
      ['a missing ingress for nginx', (a) => start(a, { ingress: '' }), /Input 'ingress': is required when traffic-router is 'nginx'/],
      ['an ingress that does not exist', (a) => start(a, { ingress: 'nope' }), /Input 'ingress': Ingress 'nope' not found/],
      ['an unknown container', (a) => start(a, { container: 'sidecar' }), /Input 'container': 'sidecar' is not a container of Deployment 'chat'/],
      ['nothing that changes', (a) => start(a, { image: '' }), /Input 'version'.*image, env .* and\/or prompt-configmap/],
      ['set-weight without weight', () => ({ command: 'set-weight' }), /Input 'weight': is required/],
      ['set-weight above 100', () => ({ command: 'set-weight', weight: '120' }), /Input 'weight': 120 is outside \[0, 100\]/],
      ['an unknown command', () => ({ command: 'deploy' }), /Input 'command': unknown value 'deploy'/],
      ['a command on a rollout that does not exist', () => ({ command: 'promote' }), /No rollout named 'chat' in namespace/],
    ];

    for (const [what, inputs, message] of cases) {
      it(what, async () => {
        const before = await snapshot();
        const run = await action(app, 0, inputs(app));
        expect(run.exitCode).toBe(1);
        const errors = commandsOf(run, 'error');
        expect(errors).toHaveLength(1);
        expect(errors[0].message).toMatch(message);
        expect(run.stdout).not.toMatch(/\n\s+at /);
        expect(await snapshot()).toBe(before);
      }, 60_000);
    }

    it('no kubeconfig at all: refuses instead of falling back to localhost:8080', async () => {
      const run = await runAction('gradual-rollout', { ...start(app), name: app.name, namespace: app.namespace }, { env: { KUBECONFIG: '' } });
      expect(run.exitCode).toBe(1);
      expect(commandsOf(run, 'error')[0].message).toMatch(/No Kubernetes credentials found/);
    }, 60_000);
  });
});
