// The rollout's GitHub Deployment: the pure mapping (rollout status → deployment state, descriptions within
// GitHub's 140 characters, environment names) and the publishing against the contract-checked fake API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { startGitHubApiFake, type GitHubApiFake } from '../../../../test/servers/github-api.ts';
import { startRequest, T0 } from '../rollout/fixtures.ts';
import { start } from '../rollout/machine.ts';
import { ROLLOUT_STATUSES, type Decision, type RolloutState } from '../rollout/types.ts';
import {
  closeEndedRolloutDeployment,
  createGitHubClient,
  endedRolloutDescription,
  DEPLOYMENT_DESCRIPTION_LIMIT,
  deploymentDescription,
  deploymentEnvironment,
  deploymentStateOf,
  deploymentStatusDescription,
  findRolloutDeployment,
  fitDescription,
  payloadRolloutId,
  publishRolloutDeployment,
} from './index.ts';

const startedState = (overrides: Partial<RolloutState> = {}): RolloutState => ({ ...start(startRequest(), null, { actor: 'octocat' }, T0).nextState, ...overrides });

describe('deployment state of a rollout status', () => {
  it('maps every status: moving is in_progress, promoted success, rolled back failure, stopped by a person inactive', () => {
    const mapped = Object.fromEntries(ROLLOUT_STATUSES.map((status) => [status, deploymentStateOf(status)]));
    expect(mapped).toEqual({
      progressing: 'in_progress',
      paused: 'in_progress',
      promoting: 'in_progress',
      'rolling-back': 'in_progress',
      promoted: 'success',
      'rolled-back': 'failure',
      aborted: 'inactive',
      superseded: 'inactive',
    });
  });
});

describe('descriptions', () => {
  it('tells version, status, weight, step, decision and reason', () => {
    const state = startedState({ status: 'progressing', weight: 25, currentStep: 1 });
    expect(deploymentStatusDescription(state, 'hold', 'bake time: 3m of 5m')).toBe('2.0.0 progressing at 25%, step 2/4 (holding): bake time: 3m of 5m');
    expect(deploymentStatusDescription(startedState({ status: 'rolled-back', weight: 0 }), 'rollback', 'latency regressed')).toBe('2.0.0 rolled-back at 0%, step 1/4 (rolled back): latency regressed');
    expect(deploymentDescription(state)).toBe('Gradual rollout of 2.0.0 (stable 1.0.0) in default/chat, steps 10,25,50,100%');
  });

  it('never exceeds 140 characters, keeps short text whole, and marks a cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.constantFrom<Decision>('advance', 'hold', 'rollback', 'complete', 'noop'), fc.string({ minLength: 1, maxLength: 200 }), (reason, decision, version) => {
        const text = deploymentStatusDescription(startedState({ canaryVersion: version }), decision, reason);
        expect(Array.from(text).length).toBeLessThanOrEqual(DEPLOYMENT_DESCRIPTION_LIMIT);
      }),
    );
    expect(fitDescription('short  and\nsimple')).toBe('short and simple');
    const cut = fitDescription('x'.repeat(200));
    expect(Array.from(cut)).toHaveLength(140);
    expect(cut.endsWith('…')).toBe(true);
    // counts characters, not UTF-16 units: an emoji is not split in half
    const emoji = fitDescription('🚀'.repeat(150));
    expect(Array.from(emoji)).toHaveLength(140);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('fills the environment template per rollout', () => {
    expect(deploymentEnvironment('{namespace}/{name}', { namespace: 'prod', name: 'chat' })).toBe('prod/chat');
    expect(deploymentEnvironment('production-{name}-{name}', { namespace: 'prod', name: 'chat' })).toBe('production-chat-chat');
    expect(deploymentEnvironment('production', { namespace: 'prod', name: 'chat' })).toBe('production');
  });

  it('says how an ended rollout handed over to the next one', () => {
    const successor = startedState({ canaryVersion: '3.0.0' });
    const entry = { id: 'old', canaryVersion: '2.0.0', stableVersion: '1.0.0', startedAt: T0, endedAt: T0 };
    expect(endedRolloutDescription({ ...entry, status: 'superseded' }, successor)).toBe('2.0.0 superseded by 3.0.0');
    expect(endedRolloutDescription({ ...entry, status: 'promoted' }, successor)).toBe('2.0.0 promoted; 3.0.0 started next');
  });

  it('reads the rollout id from object and JSON-string payloads only', () => {
    expect(payloadRolloutId({ rollout_id: 'r-1' })).toBe('r-1');
    expect(payloadRolloutId('{"rollout_id":"r-2"}')).toBe('r-2');
    expect(payloadRolloutId('not json')).toBeUndefined();
    expect(payloadRolloutId({ rollout_id: 7 })).toBeUndefined();
    expect(payloadRolloutId(null)).toBeUndefined();
  });
});

describe('publishing against the contract-checked fake', () => {
  let fake: GitHubApiFake;
  const repo = { owner: 'octo-org', repo: 'service' };
  const target = (environment = 'default/chat') => ({ repo, environment, ref: 'a'.repeat(40), logUrl: 'https://github.com/octo-org/service/actions/runs/1' });
  beforeAll(async () => {
    fake = await startGitHubApiFake();
  });
  afterAll(() => fake.close());

  it('creates one deployment per rollout, finds it again from any run, and adds a status each time', async () => {
    const octokit = createGitHubClient('test-token', fake.url);
    const state = startedState();
    const first = await publishRolloutDeployment(octokit, target(), { state, decision: 'advance', reason: 'started' });
    expect(first).toMatchObject({ created: true, state: 'in_progress' });
    // a second client (another runner) with no memory of the first finds the same deployment
    const again = await publishRolloutDeployment(createGitHubClient('test-token', fake.url), target(), { state: { ...state, status: 'promoted', weight: 0 }, decision: 'complete', reason: 'all steps passed' });
    expect(again).toMatchObject({ created: false, deploymentId: first.deploymentId, state: 'success' });

    // a later rollout of the same app gets its own deployment in the same environment
    const next = await publishRolloutDeployment(octokit, target(), { state: { ...state, id: 'another-rollout' }, decision: 'advance', reason: 'started' });
    expect(next.deploymentId).not.toBe(first.deploymentId);
    expect(await findRolloutDeployment(octokit, target(), state.id)).toBe(first.deploymentId);
    expect(await findRolloutDeployment(octokit, target('other/env'), state.id)).toBeUndefined();

    const [deployment] = fake.repo(repo.owner, repo.repo).deployments;
    expect(deployment).toMatchObject({ ref: 'a'.repeat(40), environment: 'default/chat', transientEnvironment: false, payload: { rollout_id: state.id, version: '2.0.0', weight: state.weight } });
    expect(deployment.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(deployment.statuses[0].logUrl).toBe('https://github.com/octo-org/service/actions/runs/1');
    expect(fake.violations).toEqual([]);
  });

  it('closes an ended rollout on its own deployment, and never creates one for it', async () => {
    const octokit = createGitHubClient('test-token', fake.url);
    const ended = startedState({ id: 'ended-rollout' });
    const { deploymentId } = await publishRolloutDeployment(octokit, target('default/ended'), { state: ended, decision: 'advance', reason: 'started' });
    const successor = startedState({ id: 'successor', canaryVersion: '3.0.0' });
    const entry = { id: ended.id, canaryVersion: '2.0.0', stableVersion: '1.0.0', status: 'superseded' as const, startedAt: T0, endedAt: T0 };
    expect(await closeEndedRolloutDeployment(octokit, target('default/ended'), entry, successor)).toEqual({ deploymentId, created: false, state: 'inactive', description: '2.0.0 superseded by 3.0.0' });
    const before = fake.repo(repo.owner, repo.repo).deployments.length;
    expect(await closeEndedRolloutDeployment(octokit, target('default/ended'), { ...entry, id: 'never-mirrored' }, successor)).toBeUndefined();
    expect(fake.repo(repo.owner, repo.repo).deployments).toHaveLength(before);
    expect(fake.violations).toEqual([]);
  });

  it('surfaces API failures to the caller as errors with the HTTP status', async () => {
    fake.readOnlyToken = true;
    try {
      await expect(publishRolloutDeployment(createGitHubClient('test-token', fake.url), target('default/ro'), { state: startedState({ id: 'ro' }), decision: 'advance', reason: '' })).rejects.toMatchObject({ status: 403 });
    } finally {
      fake.readOnlyToken = false;
    }
  });
});
