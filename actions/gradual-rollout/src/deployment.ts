// Mirrors each command's result onto the rollout's GitHub Deployment. The rollout has already happened in the
// cluster when this runs, and GitHub is only a display: any failure here becomes one warning, never a failed job.
import * as core from '@actions/core';
import { closeEndedRolloutDeployment, createGitHubClient, deploymentEnvironment, publishRolloutDeployment, statusOf } from '@model-cicd/core/github';
import { isActive, type ShellOutcome } from '@model-cicd/core/rollout';
import type { GradualRolloutSettings } from './inputs.ts';

/** Why a failed call most likely failed, in terms of what the user can change. */
function hintFor(status: number | undefined): string {
  if (status === 403 || status === 404) return ' Grant the job `permissions: deployments: write` (or pass a github-token that has it), or set github-deployment: false.';
  if (status === 401) return ' The github-token was not accepted.';
  return '';
}

/**
 * `runStartedAt` tells which rollouts in the state's history ended in this run (superseded, or finished with a
 * queued one started after it): their deployments get their final status before the current one gets its own.
 */
export async function mirrorDeployment(settings: GradualRolloutSettings, outcome: ShellOutcome, name: string, runStartedAt: string): Promise<void> {
  const deployment = settings.deployment;
  const state = outcome.state;
  // status only reads; a queued start has no rollout of its own yet; a finished rollout no run changed has nothing new
  if (!deployment || settings.command === 'status' || !state || outcome.queued || state.status === 'superseded') return;
  if (!isActive(state.status) && outcome.writes === 0) return;
  const environment = deploymentEnvironment(deployment.environmentTemplate, { namespace: state.namespace, name });
  try {
    const octokit = createGitHubClient(deployment.token);
    const target = { repo: deployment.repo, environment, ref: deployment.ref, logUrl: settings.actor.runUrl, environmentUrl: deployment.environmentUrl };
    for (const ended of state.history.filter((entry) => entry.id !== state.id && entry.endedAt >= runStartedAt)) {
      const closed = await closeEndedRolloutDeployment(octokit, target, ended, state);
      if (closed) core.info(`GitHub Deployment ${closed.deploymentId} (${environment}): ${closed.state}, ${closed.description}`);
    }
    const result = await publishRolloutDeployment(octokit, target, { state, decision: outcome.decision, reason: outcome.reason });
    core.info(`GitHub Deployment ${result.deploymentId} (${environment})${result.created ? ' created' : ''}: ${result.state}, ${result.description}`);
  } catch (error) {
    const status = statusOf(error);
    const message = (error as Error).message || String(error);
    core.warning(`Could not update the GitHub Deployment for ${environment}${status ? ` (HTTP ${status})` : ''}: ${message}. The rollout itself is unaffected.${hintFor(status)}`, { title: `gradual-rollout ${name}` });
  }
}
