// The GitHub Deployment that mirrors a rollout, end to end: the bundled gradual-rollout action on a REAL
// kube-apiserver (replicas router: the quickest, no traffic objects) talking to the fake GitHub API, which
// holds every request to GitHub's OpenAPI description. One deployment per rollout, found again by later runs
// on other commits; a status per command; and GitHub failures only ever warn. Build first:
//   npm run build -w @model-cicd/gradual-rollout
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { AppsV1Api } from '@kubernetes/client-node';
import { commandsOf, runAction, type ActionRun } from '../harness/run-action.ts';
import { defaultHandlers, startGitHubApiFake, type FakeDeployment, type GitHubApiFake } from '../servers/github-api.ts';
import { createNamespace, describeWithRealApiServer, startRealApiServer, type RealApiServer } from '../servers/kube-real.ts';
import { createPodWithStatus, seedStableApp, settleTracks, type StableApp } from '../servers/kube-fixtures.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * MINUTE).toISOString();
const TOKEN = 'ghs_deploymentTestToken0123456789';
const OWNER = 'octo-org';
const REPO = 'model-cicd-demo';
const START_SHA = '0123456789abcdef0123456789abcdef01234567';
const RUN_URL = `https://github.com/${OWNER}/${REPO}/actions/runs/4242`;

describeWithRealApiServer('gradual-rollout GitHub Deployment on a real API server', () => {
  let server: RealApiServer;
  let kubeconfig: string;
  let github: GitHubApiFake;

  beforeAll(async () => {
    [server, github] = await Promise.all([startRealApiServer(), startGitHubApiFake()]);
    kubeconfig = await readFile(server.kubeconfigPath, 'utf8');
  }, 120_000);
  afterAll(async () => {
    await github?.close();
    await server?.stop();
  });

  const apps = () => server.kubeConfig.makeApiClient(AppsV1Api);

  const settle = (app: StableApp) => settleTracks(server.kubeConfig, app);

  function action(app: StableApp, minute: number, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
    return runAction('gradual-rollout', { kubeconfig, name: app.name, namespace: app.namespace, 'github-token': TOKEN, ...inputs }, { env: { MODEL_CICD_NOW: at(minute), GITHUB_API_URL: github.url, ...env } });
  }

  const start = { command: 'start', version: '2.0.0', image: 'registry.example/chat:2.0.0', container: 'server', 'traffic-router': 'replicas', 'step-duration': '5m' };

  async function started(prefix: string): Promise<StableApp> {
    const app = await seedStableApp(server.kubeConfig, await createNamespace(server.kubeConfig, prefix), 'chat', 10);
    await settle(app);
    const run = await action(app, 0, start);
    expect(commandsOf(run, 'warning')).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'progressing', weight: '10' });
    await settle(app);
    return app;
  }

  const deploymentsOf = (app: StableApp): FakeDeployment[] => github.repo(OWNER, REPO).deployments.filter((d) => d.environment === `${app.namespace}/${app.name}`);
  const states = (deployment: FakeDeployment) => deployment.statuses.map((s) => s.state);

  it('start creates the deployment; later runs on other commits add statuses to the same one until success', async () => {
    const app = await started('ghdeploy');
    const [deployment, ...others] = deploymentsOf(app);
    expect(others).toEqual([]);
    expect(deployment).toMatchObject({ ref: START_SHA, task: 'deploy', transientEnvironment: false, payload: { tool: 'model-cicd/gradual-rollout', version: '2.0.0', stable_version: '1.0.0', weight: 10, name: 'chat', namespace: app.namespace } });
    expect(deployment.description).toBe(`Gradual rollout of 2.0.0 (stable 1.0.0) in ${app.namespace}/chat, steps 10,25,50,100%`);
    expect(states(deployment)).toEqual(['in_progress']);
    expect(deployment.statuses[0]).toMatchObject({ logUrl: RUN_URL, environment: `${app.namespace}/chat` });
    expect(deployment.statuses[0].description).toMatch(/^2\.0\.0 progressing at 10%, step 1\/4/);

    // the scheduled tick runs on a newer commit with the workflow's GITHUB_TOKEN instead of the input
    const tick = await action(app, 2, { command: 'progress', 'github-token': '' }, { GITHUB_SHA: 'f'.repeat(40), GITHUB_TOKEN: TOKEN });
    expect(tick.outputs).toMatchObject({ decision: 'hold', status: 'progressing' });
    expect(commandsOf(tick, 'warning')).toEqual([]);
    expect(states(deployment)).toEqual(['in_progress', 'in_progress']);
    expect(deployment.statuses[1].description).toBe('2.0.0 progressing at 10%, step 1/4 (holding): baking step 1/4 at 10%: 3m left');

    const promoting = await action(app, 3, { command: 'promote', reason: 'looks great' });
    expect(promoting.outputs).toMatchObject({ status: 'promoting' });
    await settle(app);
    const promoted = await action(app, 4, { command: 'progress' });
    expect(promoted.outputs).toMatchObject({ status: 'promoted' });
    expect(states(deployment)).toEqual(['in_progress', 'in_progress', 'in_progress', 'success']);
    expect(deployment.statuses[3].description).toMatch(/^2\.0\.0 promoted/);

    // status only reads: no new status, no new deployment
    const status = await action(app, 5, { command: 'status' });
    expect(status.exitCode).toBe(0);
    expect(deploymentsOf(app)).toHaveLength(1);
    expect(states(deployment)).toHaveLength(4);
    expect(deployment.payload).toMatchObject({ rollout_id: status.outputs['rollout-id'] });
    expect(deployment.ref).toBe(START_SHA);

    // the token is masked before anything could print it, and never printed otherwise
    expect(commandsOf(promoted, 'add-mask').map((c) => c.message)).toContain(TOKEN);
    for (const run of [promoting, promoted, status]) expect((run.stdout + run.stderr).split(TOKEN).length - 1).toBe(commandsOf(run, 'add-mask').filter((c) => c.message === TOKEN).length);
    expect(github.violations).toEqual([]);
  }, 120_000);

  it('a rolled-back canary ends in failure; an aborted one in inactive', async () => {
    const crashed = await started('ghfail');
    const canary = await apps().readNamespacedDeployment({ name: 'chat-canary', namespace: crashed.namespace });
    await createPodWithStatus(server.kubeConfig, crashed.namespace, 'chat-canary-x1', canary.spec!.template.metadata!.labels!, { restarts: 5, waitingReason: 'CrashLoopBackOff' });
    const tick = await action(crashed, 1, { command: 'progress' });
    expect(tick.outputs).toMatchObject({ decision: 'rollback', status: 'rolled-back' });
    const [failed] = deploymentsOf(crashed);
    expect(states(failed)).toEqual(['in_progress', 'failure']);
    expect(failed.statuses[1].description).toMatch(/rolled-back at 0%.*\(rolled back\).*crash-looping/);
    expect(failed.statuses[1].description.length).toBeLessThanOrEqual(140);

    const stopped = await started('ghabort');
    const aborted = await action(stopped, 1, { command: 'abort', reason: 'wrong build' });
    expect(aborted.outputs).toMatchObject({ status: 'aborted' });
    expect(states(deploymentsOf(stopped)[0])).toEqual(['in_progress', 'inactive']);
    expect(github.violations).toEqual([]);
  }, 120_000);

  it('a superseded rollout ends inactive and its successor gets its own deployment; so does a queued one after promotion', async () => {
    const app = await started('ghsuper');
    const superseding = await action(app, 1, { ...start, version: '3.0.0', image: 'registry.example/chat:3.0.0', 'on-conflict': 'supersede' });
    expect(superseding.exitCode).toBe(0);
    expect(superseding.outputs).toMatchObject({ status: 'progressing' });
    const [first, second, ...more] = deploymentsOf(app);
    expect(more).toEqual([]);
    expect(states(first)).toEqual(['in_progress', 'inactive']);
    expect(first.statuses[1].description).toBe('2.0.0 superseded by 3.0.0');
    expect(second.payload).toMatchObject({ version: '3.0.0', rollout_id: superseding.outputs['rollout-id'] });
    expect(states(second)).toEqual(['in_progress']);
    await settle(app);

    const queued = await action(app, 2, { ...start, version: '4.0.0', image: 'registry.example/chat:4.0.0', 'on-conflict': 'queue' });
    expect(queued.outputs).toMatchObject({ status: 'queued' });
    expect(deploymentsOf(app)).toHaveLength(2);
    expect(await action(app, 3, { command: 'promote' })).toMatchObject({ exitCode: 0 });
    await settle(app);
    const promoted = await action(app, 4, { command: 'progress' });
    expect(promoted.exitCode).toBe(0);
    // one run promoted 3.0.0 and started the queued 4.0.0: both deployments hear of it
    expect(states(second).at(-1)).toBe('success');
    expect(second.statuses.at(-1)!.description).toBe('3.0.0 promoted; 4.0.0 started next');
    const third = deploymentsOf(app)[2];
    expect(third?.payload).toMatchObject({ version: '4.0.0' });
    expect(states(third)).toEqual(['in_progress']);
    expect(github.violations).toEqual([]);
  }, 120_000);

  it('a custom environment name works for the scheduled tick over every rollout in the namespace', async () => {
    const app = await seedStableApp(server.kubeConfig, await createNamespace(server.kubeConfig, 'ghenv'), 'chat', 10);
    await settle(app);
    const environment = { environment: 'canary-{name}-{namespace}', 'environment-url': 'https://chat.example/' };
    expect((await action(app, 0, { ...start, ...environment })).exitCode).toBe(0);
    await settle(app);
    const tick = await runAction('gradual-rollout', { kubeconfig, command: 'progress', namespace: app.namespace, 'github-token': TOKEN, ...environment }, { env: { MODEL_CICD_NOW: at(2), GITHUB_API_URL: github.url } });
    expect(tick.exitCode).toBe(0);
    const deployments = github.repo(OWNER, REPO).deployments.filter((d) => d.environment === `canary-chat-${app.namespace}`);
    expect(deployments).toHaveLength(1);
    expect(states(deployments[0])).toEqual(['in_progress', 'in_progress']);
    expect(deployments[0].statuses[1].environmentUrl).toBe('https://chat.example/');
    expect(github.violations).toEqual([]);
  }, 120_000);

  describe('GitHub failures never fail or block the rollout', () => {
    const warningsAbout = (run: ActionRun) => commandsOf(run, 'warning').filter((c) => /GitHub Deployment/.test(c.message));

    it('a 500, a read-only token (403) and an unreachable API each give one warning and a successful command', async () => {
      const app = await seedStableApp(server.kubeConfig, await createNamespace(server.kubeConfig, 'ghdown'), 'chat', 10);
      await settle(app);
      const before = github.calls.length;
      github.on('repos/list-deployments', () => ({ status: 500, body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest', status: '500' } }));
      let run: ActionRun;
      try {
        run = await action(app, 0, start);
      } finally {
        github.on('repos/list-deployments', defaultHandlers['repos/list-deployments']);
      }
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ status: 'progressing', weight: '10', decision: 'advance' });
      expect(commandsOf(run, 'error')).toEqual([]);
      expect(warningsAbout(run)).toHaveLength(1);
      expect(warningsAbout(run)[0].message).toMatch(/Could not update the GitHub Deployment for .*\/chat \(HTTP 500\).*The rollout itself is unaffected/);
      expect(github.calls.length).toBeGreaterThan(before);
      await settle(app);

      github.readOnlyToken = true;
      try {
        run = await action(app, 2, { command: 'progress' });
      } finally {
        github.readOnlyToken = false;
      }
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ status: 'progressing', decision: 'hold' });
      expect(warningsAbout(run)).toHaveLength(1);
      expect(warningsAbout(run)[0].message).toMatch(/\(HTTP 403\).*permissions: deployments: write/);

      // nothing listens on port 9 (the harness's default GITHUB_API_URL)
      run = await action(app, 3, { command: 'pause', reason: 'offline' }, { GITHUB_API_URL: 'http://127.0.0.1:9' });
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ status: 'paused' });
      expect(warningsAbout(run)).toHaveLength(1);
      expect(deploymentsOf(app)).toEqual([]);
      expect(github.violations).toEqual([]);
    }, 120_000);

    it('github-deployment: false and a missing token make no GitHub call at all', async () => {
      const app = await seedStableApp(server.kubeConfig, await createNamespace(server.kubeConfig, 'ghoff'), 'chat', 10);
      await settle(app);
      const before = github.calls.length;
      const off = await action(app, 0, { ...start, 'github-deployment': 'false' });
      expect(off.exitCode).toBe(0);
      const tokenless = await action(app, 1, { command: 'pause', 'github-token': '' });
      expect(tokenless.exitCode).toBe(0);
      expect(commandsOf(tokenless, 'warning')).toEqual([]);
      expect(github.calls.length).toBe(before);
    }, 120_000);
  });
});
