// A check run with annotations. The API takes at most 50 annotations per request, so the rest follow in
// updates; check-run annotations are not subject to the 10-per-step cap of workflow-command annotations.
import type { Octokit, RepoRef } from './client.ts';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

const ANNOTATIONS_PER_REQUEST = 50;

export async function publishCheckRun(octokit: Octokit, repo: RepoRef, input: CheckRunInput): Promise<{ id: number; url: string }> {
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < input.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(input.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const output = (annotations: CheckAnnotation[]) => ({ title: input.title, summary: input.summary.slice(0, 65_535), annotations });
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: input.name,
    head_sha: input.headSha,
    status: 'completed',
    conclusion: input.conclusion,
    output: output(batches[0] ?? []),
  });
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ ...repo, check_run_id: data.id, output: output(batch) });
  }
  return { id: data.id, url: data.html_url ?? '' };
}
