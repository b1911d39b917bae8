// A GitHub Deployment per gradual rollout, so the repository's Environments and pull requests show where a
// rollout stands. Nothing is stored for it in the cluster: the deployment is found again by listing the
// environment's deployments and matching the rollout id in the payload, so any runner that picks up the next
// tick finds the same one. GitHub is a mirror here, never a gate: callers treat every failure as a warning.
import type { Octokit, RepoRef } from './client.ts';
import type { Decision, HistoryEntry, RolloutState, RolloutStatus } from '../rollout/types.ts';

/** The states GitHub accepts for a deployment status. */
export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

/** GitHub rejects a status or deployment description longer than this. */
export const DEPLOYMENT_DESCRIPTION_LIMIT = 140;

/** The environment when none is configured; `{namespace}` and `{name}` are replaced per rollout. */
export const DEFAULT_ENVIRONMENT_TEMPLATE = '{namespace}/{name}';

/** Deployments of one environment scanned to find a rollout's own (newest first; one rollout is recent). */
const LOOKUP_PAGE_SIZE = 100;

/** How long one GitHub call may take before it is abandoned, so a slow API never holds up the job. */
export const DEPLOYMENT_REQUEST_TIMEOUT_MS = 15_000;

const PAYLOAD_TOOL = 'model-cicd/gradual-rollout';

/**
 * How a rollout status reads as a deployment: still moving (progressing, paused, promoting and rolling back
 * are all in progress), done (promoted), failed (rolled back by analysis or health), or stopped by a person
 * (aborted, superseded: the version no longer serves and it was not its own fault).
 */
export function deploymentStateOf(status: RolloutStatus): DeploymentState {
  switch (status) {
    case 'progressing':
    case 'paused':
    case 'promoting':
    case 'rolling-back':
      return 'in_progress';
    case 'promoted':
      return 'success';
    case 'rolled-back':
      return 'failure';
    case 'aborted':
    case 'superseded':
      return 'inactive';
  }
}

/** Cuts `text` to GitHub's limit, marking the cut with an ellipsis. */
export function fitDescription(text: string, limit = DEPLOYMENT_DESCRIPTION_LIMIT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= limit ? flat : `${chars.slice(0, limit - 1).join('').trimEnd()}…`;
}

const DECISION_WORDS: Record<Decision, string> = { advance: 'advanced', hold: 'holding', rollback: 'rolled back', complete: 'completed', noop: 'no change' };

/** One line for the status: version, where it is, what this run decided and why (cut to 140 chars). */
export function deploymentStatusDescription(state: RolloutState, decision: Decision, reason: string): string {
  const where = `${state.canaryVersion} ${state.status} at ${state.weight}%, step ${state.currentStep + 1}/${state.steps.length}`;
  const why = reason.trim() ? `: ${reason.trim()}` : '';
  return fitDescription(`${where} (${DECISION_WORDS[decision]})${why}`);
}

/** The deployment's own description, written once when it is created. */
export function deploymentDescription(state: RolloutState): string {
  return fitDescription(`Gradual rollout of ${state.canaryVersion} (stable ${state.stableVersion}) in ${state.namespace}/${state.name}, steps ${state.steps.join(',')}%`);
}

/** The environment name for a rollout from a template with `{namespace}` and `{name}`. */
export function deploymentEnvironment(template: string, rollout: { namespace: string; name: string }): string {
  return template.replace(/\{namespace\}/g, rollout.namespace).replace(/\{name\}/g, rollout.name);
}

/** What the deployment carries for tools reading it (the rollout id is how later runs find it again). */
export function deploymentPayload(state: RolloutState): Record<string, unknown> {
  return {
    tool: PAYLOAD_TOOL,
    rollout_id: state.id,
    name: state.name,
    namespace: state.namespace,
    version: state.canaryVersion,
    stable_version: state.stableVersion,
    weight: state.weight,
    steps: state.steps,
  };
}

/** The rollout id in a listed deployment's payload (an object, or a JSON string from older clients). */
export function payloadRolloutId(payload: unknown): string | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const id = (value as { rollout_id?: unknown } | null)?.rollout_id;
  return typeof id === 'string' ? id : undefined;
}

export interface RolloutDeploymentTarget {
  repo: RepoRef;
  environment: string;
  /** The commit a new deployment records (GITHUB_SHA of the run that creates it). */
  ref: string;
  /** The workflow run, shown as the status's log. */
  logUrl?: string;
  environmentUrl?: string;
  timeoutMs?: number;
}

export interface RolloutDeploymentResult {
  deploymentId: number;
  created: boolean;
  state: DeploymentState;
  description: string;
}

const requestOptions = (target: RolloutDeploymentTarget) => ({ request: { signal: AbortSignal.timeout(target.timeoutMs ?? DEPLOYMENT_REQUEST_TIMEOUT_MS) } });

/** The id of the deployment made for this rollout, if one exists in the environment. */
export async function findRolloutDeployment(octokit: Octokit, target: RolloutDeploymentTarget, rolloutId: string): Promise<number | undefined> {
  const { data } = await octokit.rest.repos.listDeployments({ ...target.repo, environment: target.environment, per_page: LOOKUP_PAGE_SIZE, ...requestOptions(target) });
  return data.find((deployment) => payloadRolloutId(deployment.payload) === rolloutId)?.id;
}

/**
 * Adds a status for the rollout's current state to its deployment, creating the deployment first when this
 * rollout has none yet. Throws on any API failure; the caller decides that it is only a warning.
 */
export async function publishRolloutDeployment(
  octokit: Octokit,
  target: RolloutDeploymentTarget,
  rollout: { state: RolloutState; decision: Decision; reason: string },
): Promise<RolloutDeploymentResult> {
  const { state } = rollout;
  let deploymentId = await findRolloutDeployment(octokit, target, state.id);
  const created = deploymentId === undefined;
  if (deploymentId === undefined) {
    const response = await octokit.rest.repos.createDeployment({
      ...target.repo,
      ref: target.ref,
      environment: target.environment,
      description: deploymentDescription(state),
      payload: deploymentPayload(state),
      // a rollout deploys exactly the commit it was started from; it must neither merge nor wait on checks
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      ...requestOptions(target),
    });
    if (response.status !== 201 || !('id' in response.data)) {
      throw new Error(`GitHub did not create the deployment (HTTP ${response.status}: ${(response.data as { message?: string }).message ?? 'no message'})`);
    }
    deploymentId = response.data.id;
  }
  const description = deploymentStatusDescription(state, rollout.decision, rollout.reason);
  return { deploymentId, created, ...(await addStatus(octokit, target, deploymentId, deploymentStateOf(state.status), description)) };
}

/** The last status of a rollout that ended in this run and handed over to `successor` (superseded, or dequeued after it). */
export function endedRolloutDescription(entry: HistoryEntry, successor: RolloutState): string {
  const handover = entry.status === 'superseded' ? `superseded by ${successor.canaryVersion}` : `${entry.status}; ${successor.canaryVersion} started next`;
  return fitDescription(`${entry.canaryVersion} ${handover}`);
}

/**
 * Gives a rollout that ended in this run its final status, when it has a deployment. A run that supersedes a
 * rollout, or ends one and starts a queued one, would otherwise leave the ended one in progress forever.
 */
export async function closeEndedRolloutDeployment(octokit: Octokit, target: RolloutDeploymentTarget, entry: HistoryEntry, successor: RolloutState): Promise<RolloutDeploymentResult | undefined> {
  const deploymentId = await findRolloutDeployment(octokit, target, entry.id);
  if (deploymentId === undefined) return undefined;
  return { deploymentId, created: false, ...(await addStatus(octokit, target, deploymentId, deploymentStateOf(entry.status), endedRolloutDescription(entry, successor))) };
}

async function addStatus(octokit: Octokit, target: RolloutDeploymentTarget, deploymentId: number, state: DeploymentState, description: string): Promise<{ state: DeploymentState; description: string }> {
  await octokit.rest.repos.createDeploymentStatus({
    ...target.repo,
    deployment_id: deploymentId,
    state,
    description,
    environment: target.environment,
    ...(target.logUrl ? { log_url: target.logUrl } : {}),
    ...(target.environmentUrl ? { environment_url: target.environmentUrl } : {}),
    ...requestOptions(target),
  });
  return { state, description };
}
