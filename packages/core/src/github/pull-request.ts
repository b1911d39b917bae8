// The pull request an event is about, from the webhook payload the runner writes to GITHUB_EVENT_PATH.
import { readFile } from 'node:fs/promises';

export interface PullRequestRef {
  number: number;
  baseSha: string;
  headSha: string;
  baseRef: string;
  /** The head lives in another repository: its token is read-only and secrets are absent. */
  fromFork: boolean;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

interface PullRequestPayload {
  pull_request?: {
    number?: number;
    base?: { sha?: string; ref?: string; repo?: { full_name?: string } };
    head?: { sha?: string; repo?: { full_name?: string } | null };
  };
}

/** Pure: the pull request in a payload, or undefined when the event is not about one. */
export function pullRequestFromPayload(eventName: string, payload: unknown): PullRequestRef | undefined {
  if (!PULL_REQUEST_EVENTS.has(eventName)) return undefined;
  const pr = (payload as PullRequestPayload)?.pull_request;
  if (!pr || typeof pr.number !== 'number' || !pr.base?.sha || !pr.head?.sha) return undefined;
  const baseRepo = pr.base.repo?.full_name;
  const headRepo = pr.head.repo?.full_name;
  return {
    number: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    baseRef: pr.base.ref ?? '',
    fromFork: Boolean(baseRepo && headRepo !== baseRepo),
  };
}

export async function pullRequestFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<PullRequestRef | undefined> {
  if (!env.GITHUB_EVENT_NAME || !env.GITHUB_EVENT_PATH) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch {
    return undefined;
  }
  return pullRequestFromPayload(env.GITHUB_EVENT_NAME, payload);
}
