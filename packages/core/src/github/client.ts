// One way to get an Octokit: the token from the action, the API root from the runner (GHES sets its own).
import { getOctokit } from '@actions/github';

export type Octokit = ReturnType<typeof getOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** `baseUrl` defaults to GITHUB_API_URL so GitHub Enterprise Server and test servers just work. */
export function createGitHubClient(token: string, baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com'): Octokit {
  return getOctokit(token, { baseUrl, request: { retries: 0 } });
}

/** `owner/repo` from GITHUB_REPOSITORY. */
export function repoFromEnv(env: NodeJS.ProcessEnv = process.env): RepoRef | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return owner && repo ? { owner, repo } : undefined;
}

/** The HTTP status of an Octokit RequestError, or undefined for other errors. */
export const statusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
};
