// The GitHub access layer against the contract-checked fake API (every request validated against GitHub's
// OpenAPI description) and against a real git repository for the fallbacks.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubApiFake, type GitHubApiFake, type PullRequestFixture } from '../../../../test/servers/github-api.ts';
import {
  createGitHubClient,
  listChangedFiles,
  listChangedFilesFromApi,
  markerFor,
  publishCheckRun,
  readFileAtRef,
  readFileAtRefFromApi,
  readFileAtRefFromGit,
  statusOf,
  upsertStickyComment,
} from './index.ts';

const repo = { owner: 'octo-org', repo: 'prompts' };
let fake: GitHubApiFake;
let gitDir: string;
let baseSha: string;
let headSha: string;

const git = (...args: string[]) => execFileSync('git', args, { cwd: gitDir, encoding: 'utf8' }).trim();

beforeAll(async () => {
  fake = await startGitHubApiFake();
  gitDir = await mkdtemp(join(tmpdir(), 'gh-git-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 'T');
  await mkdir(join(gitDir, 'prompts'));
  await writeFile(join(gitDir, 'prompts/a.prompt'), 'line 1\nline 2\n');
  await writeFile(join(gitDir, 'prompts/gone.prompt'), 'bye\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  baseSha = git('rev-parse', 'HEAD');
  await writeFile(join(gitDir, 'prompts/a.prompt'), 'line 1\nline two\nline 3\n');
  await writeFile(join(gitDir, 'prompts/new file.prompt'), 'hi\n');
  git('rm', '-q', 'prompts/gone.prompt');
  git('add', '.');
  git('commit', '-q', '-m', 'head');
  headSha = git('rev-parse', 'HEAD');
});
afterAll(async () => {
  await fake.close();
  await rm(gitDir, { recursive: true, force: true });
});

describe('through the API', () => {
  it('lists every changed file across pages, with added lines from patches', async () => {
    const files: PullRequestFixture['files'] = Array.from({ length: 130 }, (_, i) => ({ filename: `prompts/p${i}.prompt`, status: 'added', patch: '@@ -0,0 +1,2 @@\n+a\n+b' }));
    files[3] = { filename: 'prompts/renamed.prompt', status: 'renamed', previous_filename: 'prompts/old.prompt', patch: '@@ -1,2 +1,2 @@\n x\n-y\n+z' };
    fake.repo(repo.owner, repo.repo).pulls.set(5, { files });
    const octokit = createGitHubClient('ghs_test', fake.url);
    const changed = await listChangedFilesFromApi(octokit, repo, 5);
    expect(changed).toHaveLength(130);
    expect(changed[129].path).toBe('prompts/p129.prompt');
    expect(changed[3]).toEqual({ path: 'prompts/renamed.prompt', status: 'renamed', previousPath: 'prompts/old.prompt', addedLines: new Set([2]) });
    expect(fake.calls.filter((c) => c.operationId === 'pulls/list-files')).toHaveLength(2);
    expect(fake.violations).toEqual([]);
  });

  it('reads a file at the base commit and answers undefined for a file that did not exist', async () => {
    fake.repo(repo.owner, repo.repo).files.set(`${baseSha}:prompts/a b.prompt`, 'Hello {name}\n'.repeat(20));
    const octokit = createGitHubClient('ghs_test', fake.url);
    expect(await readFileAtRefFromApi(octokit, repo, 'prompts/a b.prompt', baseSha)).toBe('Hello {name}\n'.repeat(20));
    expect(await readFileAtRefFromApi(octokit, repo, 'prompts/new.prompt', baseSha)).toBeUndefined();
    expect(fake.violations).toEqual([]);
  });

  it('keeps one sticky comment: created once, then updated in place', async () => {
    const octokit = createGitHubClient('ghs_test', fake.url);
    const state = fake.repo(repo.owner, repo.repo);
    state.comments.push({ id: 1, issueNumber: 9, body: 'a human comment', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
    const first = await upsertStickyComment(octokit, repo, 9, 'prompt-test', 'first report');
    const second = await upsertStickyComment(octokit, repo, 9, 'prompt-test', 'second report');
    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const ours = state.comments.filter((c) => c.body.includes(markerFor('prompt-test')));
    expect(ours).toHaveLength(1);
    expect(ours[0].body).toBe(`${markerFor('prompt-test')}\nsecond report`);
    expect(state.comments.find((c) => c.id === 1)?.body).toBe('a human comment');
    expect(fake.violations).toEqual([]);
  });

  it('surfaces a read-only token as a 403', async () => {
    const octokit = createGitHubClient('ghs_fork', fake.url);
    fake.readOnlyToken = true;
    try {
      const error = await upsertStickyComment(octokit, repo, 10, 'prompt-test', 'x').catch((e) => e);
      expect(statusOf(error)).toBe(403);
    } finally {
      fake.readOnlyToken = false;
    }
  });

  it('publishes a check run with more than 50 annotations in batches the API accepts', async () => {
    const octokit = createGitHubClient('ghs_test', fake.url);
    const annotations = Array.from({ length: 120 }, (_, i) => ({ path: 'prompts/a.prompt', start_line: i + 1, end_line: i + 1, annotation_level: 'warning' as const, message: `w${i}` }));
    const run = await publishCheckRun(octokit, repo, { name: 'prompt-test', headSha, conclusion: 'failure', title: '3 errors', summary: 'summary', annotations });
    const stored = fake.repo(repo.owner, repo.repo).checkRuns.find((r) => r.id === run.id);
    expect(stored?.output.annotations).toHaveLength(120);
    expect(fake.calls.filter((c) => c.operationId === 'checks/update')).toHaveLength(2);
    expect(fake.violations).toEqual([]);
  });

  it('rejects requests GitHub would reject, and records them', async () => {
    const octokit = createGitHubClient('ghs_test', fake.url);
    const error = await octokit.request('POST /repos/{owner}/{repo}/check-runs', { ...repo, name: 'x' } as never).catch((e) => e);
    expect(statusOf(error)).toBe(422);
    expect(fake.violations).toHaveLength(1);
    expect(fake.violations[0]).toMatchObject({ kind: 'request', operationId: 'checks/create' });
    expect(fake.violations[0].errors.join()).toContain("must have required property 'head_sha'");
    fake.violations.length = 0;
  });
});

describe('through git', () => {
  it('lists changed files with statuses and added lines', async () => {
    const result = await listChangedFiles({ pullNumber: 1, baseSha, headSha, cwd: gitDir });
    expect(result.source).toBe('git');
    expect(result.fallbackReason).toBe('no github-token was given');
    const byPath = Object.fromEntries(result.files.map((f) => [f.path, f]));
    expect(byPath['prompts/a.prompt']).toEqual({ path: 'prompts/a.prompt', status: 'modified', addedLines: new Set([2, 3]) });
    expect(byPath['prompts/gone.prompt'].status).toBe('removed');
    expect(byPath['prompts/new file.prompt'].status).toBe('added');
  });

  it('falls back to git when the API fails, and says why', async () => {
    const octokit = createGitHubClient('ghs_test', fake.url);
    const result = await listChangedFiles({ octokit, repo, pullNumber: 404, baseSha, headSha, cwd: gitDir });
    expect(result.source).toBe('git');
    expect(result.fallbackReason).toMatch(/the API call failed: Not Found/);
  });

  it('explains how to fix it when neither works', async () => {
    await expect(listChangedFiles({ pullNumber: 1, baseSha: 'f'.repeat(40), headSha, cwd: gitDir })).rejects.toThrow(/fetch-depth: 0/);
  });

  it('reads base content with git show', async () => {
    expect(await readFileAtRefFromGit('prompts/a.prompt', baseSha, gitDir)).toBe('line 1\nline 2\n');
    expect(await readFileAtRefFromGit('prompts/new file.prompt', baseSha, gitDir)).toBeUndefined();
    expect(await readFileAtRef({ path: 'prompts/gone.prompt', ref: baseSha, cwd: gitDir })).toBe('bye\n');
  });
});
