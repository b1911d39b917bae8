// One comment per pull request and purpose, found again by a hidden marker and edited in place, so a
// pull request with twenty pushes has one up-to-date report instead of twenty.
import type { Octokit, RepoRef } from './client.ts';

export const markerFor = (key: string): string => `<!-- model-cicd:${key} -->`;

export interface StickyCommentResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
}

/** GitHub rejects comment bodies over 65536 characters. */
export const COMMENT_BODY_LIMIT = 65_536;

export function withMarker(key: string, body: string): string {
  const marker = markerFor(key);
  const note = '\n\n…(truncated; the job summary has the full report)';
  const room = COMMENT_BODY_LIMIT - marker.length - 1;
  const text = body.length > room ? `${body.slice(0, room - note.length)}${note}` : body;
  return `${marker}\n${text}`;
}

export async function upsertStickyComment(octokit: Octokit, repo: RepoRef, issueNumber: number, key: string, body: string): Promise<StickyCommentResult> {
  const marker = markerFor(key);
  const fullBody = withMarker(key, body);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  const ours = comments.find((comment) => comment.body?.includes(marker));
  if (ours) {
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: ours.id, body: fullBody });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: fullBody });
  return { action: 'created', id: data.id, url: data.html_url };
}
