// The bundled prompt-test action on a pull_request event, against the fake GitHub API that validates every
// request against GitHub's OpenAPI description, and against a real git repository for the fallbacks:
// only changed templates are tested, the base version is compared, the sticky comment is created once and
// then updated in place, and no request breaks GitHub's contract. Build first:
//   npm run build -w @model-cicd/prompt-test
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { commandsOf, removeRunnerTemp, runAction, type ActionRun } from '../harness/run-action.ts';
import { startGitHubApiFake, type GitHubApiFake } from '../servers/github-api.ts';

// Each test starts the bundled action as a process; a loaded CI machine can take a while.
jest.setTimeout(120_000);

const OWNER = 'octo-org';
const REPO = 'model-cicd-demo';
const PR = 7;

const BASE_FILES: Record<string, string> = {
  'prompts/post.prompt': '---\ntests:\n  - name: cats\n    vars: {style: casual, topic: cats}\n---\nWrite a {style} post about {topic}.\n',
  'prompts/stable.prompt': '---\ntests:\n  - vars: {x: 1}\n---\nUnchanged {x}\n',
  'prompts/fixed.prompt': '---\ntests:\n  - name: greet\n    vars: {name: Ann}\n---\nHello {nam}\n',
};
const HEAD_FILES: Record<string, string> = {
  // renames style to tone: the old case now misses a variable (newly failing), tone added, style removed
  'prompts/post.prompt': '---\ntests:\n  - name: cats\n    vars: {style: casual, topic: cats}\n---\nWrite a {tone} post about {topic}.\nKeep it short and friendly, please.\n',
  'prompts/fixed.prompt': '---\ntests:\n  - name: greet\n    vars: {name: Ann}\n---\nHello {name}\n',
  'prompts/new.prompt': '---\ntests:\n  - vars: {q: hi}\n---\nNew {q}\n',
};

interface Report {
  scope: string;
  templates: {
    file: string;
    cases: { name: string; status: string; reasonIsFinding?: boolean }[];
    findings: unknown[];
    comparison?: { baseExists: boolean; variablesAdded: string[]; variablesRemoved: string[]; tokenDelta?: number; newlyFailing: string[]; newlyPassing: string[]; renderedDiff: string };
  }[];
}

let workspace: string;
let baseSha: string;
let headSha: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, encoding: 'utf8' }).trim();

async function writeFiles(files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), text);
  }
}

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'prompt-test-pr-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
  await writeFiles(BASE_FILES);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  baseSha = git('rev-parse', 'HEAD');
  await writeFiles(HEAD_FILES);
  await writeFile(join(workspace, 'README.md'), 'docs\n');
  git('add', '.');
  git('commit', '-q', '-m', 'head');
  headSha = git('rev-parse', 'HEAD');
}, 180_000);
afterAll(() => rm(workspace, { recursive: true, force: true }));

const event = () => ({
  action: 'synchronize',
  number: PR,
  pull_request: {
    number: PR,
    base: { sha: baseSha, ref: 'main', repo: { full_name: `${OWNER}/${REPO}` } },
    head: { sha: headSha, ref: 'feature', repo: { full_name: `${OWNER}/${REPO}` } },
  },
});

const patchOf = (path: string) => git('diff', `${baseSha}...${headSha}`, '--', path).split('\n').slice(4).join('\n');

describe('through the GitHub API', () => {
  let fake: GitHubApiFake;
  let first: ActionRun;
  let second: ActionRun;
  let report: Report;

  const run = () =>
    runAction('prompt-test', { 'github-token': 'ghs_pr_token', comment: 'true', 'check-run': 'true' }, { cwd: workspace, event: event(), env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_API_URL: fake.url } });

  beforeAll(async () => {
    fake = await startGitHubApiFake();
    const state = fake.repo(OWNER, REPO);
    state.pulls.set(PR, {
      files: [
        { filename: 'README.md', status: 'added', patch: '@@ -0,0 +1 @@\n+docs' },
        { filename: 'prompts/fixed.prompt', status: 'modified', patch: patchOf('prompts/fixed.prompt') },
        { filename: 'prompts/new.prompt', status: 'added', patch: patchOf('prompts/new.prompt') },
        { filename: 'prompts/post.prompt', status: 'modified', patch: patchOf('prompts/post.prompt') },
      ],
    });
    for (const [path, text] of Object.entries(BASE_FILES)) state.files.set(`${baseSha}:${path}`, text);
    first = await run();
    report = JSON.parse(first.outputs.report);
    second = await run();
  }, 180_000);
  afterAll(async () => {
    await fake.close();
    await Promise.all([removeRunnerTemp(first), removeRunnerTemp(second)]);
  });

  it('tests only the templates the pull request changed', () => {
    expect(report.templates.map((t) => t.file)).toEqual(['prompts/fixed.prompt', 'prompts/new.prompt', 'prompts/post.prompt']);
    expect(report.scope).toBe('Pull request #7: 3 changed templates tested, 1 unchanged skipped (set all-files: true to test all)');
    expect(fake.calls.filter((c) => c.operationId === 'pulls/list-files')).toHaveLength(2);
  });

  it('compares each changed template with its base-branch version', () => {
    const byFile = Object.fromEntries(report.templates.map((t) => [t.file, t]));
    expect(byFile['prompts/post.prompt'].comparison).toMatchObject({ baseExists: true, variablesAdded: ['tone'], variablesRemoved: ['style'], newlyFailing: ['cats'], newlyPassing: [] });
    expect(byFile['prompts/post.prompt'].comparison!.tokenDelta).toBeGreaterThan(0);
    expect(byFile['prompts/post.prompt'].comparison!.renderedDiff).toContain('+Keep it short and friendly, please.');
    expect(byFile['prompts/fixed.prompt'].comparison).toMatchObject({ newlyPassing: ['greet'], newlyFailing: [], variablesAdded: ['name'], variablesRemoved: ['nam'] });
    expect(byFile['prompts/new.prompt'].comparison).toMatchObject({ baseExists: false });
    expect(first.summary).toContain('### Changes against the base branch');
    expect(first.summary).toContain('| prompts/post.prompt | modified | tone | style | +');
    const baseReads = fake.calls.filter((c) => c.operationId === 'repos/get-content' && c.status === 200);
    expect(baseReads.length).toBeGreaterThanOrEqual(2);
  });

  it('fails the step on the newly failing case and annotates it where the case is defined', () => {
    expect(first.exitCode).toBe(1);
    expect(commandsOf(first, 'error').map((c) => `${c.properties.file}:${c.properties.line}`)).toEqual(['prompts/post.prompt:3']);
  });

  it('keeps one sticky comment: created on the first run, updated on the second', () => {
    const comments = fake.repo(OWNER, REPO).comments.filter((c) => c.issueNumber === PR);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/^<!-- model-cicd:prompt-test -->\n### prompt-test\n/);
    expect(comments[0].body).toContain('| Newly failing |');
    expect(fake.calls.filter((c) => c.operationId === 'issues/create-comment')).toHaveLength(1);
    expect(fake.calls.filter((c) => c.operationId === 'issues/update-comment')).toHaveLength(1);
    expect(first.stdout).toMatch(/Pull request comment created: https:\/\/github.com\/octo-org\/model-cicd-demo\/pull\/7#issuecomment-\d+/);
    expect(second.stdout).toMatch(/Pull request comment updated/);
  });

  it('publishes a check run carrying every finding and failed case on the head commit', () => {
    const runs = fake.repo(OWNER, REPO).checkRuns;
    expect(runs).toHaveLength(2);
    const full = JSON.parse(first.outputs.report) as Report;
    const expected = full.templates.reduce((sum, t) => sum + t.findings.length + t.cases.filter((c) => c.status !== 'passed' && !c.reasonIsFinding).length, 0);
    expect(runs[0]).toMatchObject({ name: 'prompt-test', head_sha: headSha, conclusion: 'failure' });
    expect(runs[0].output.annotations).toHaveLength(expected);
    expect(runs[0].output.annotations[0]).toMatchObject({ path: 'prompts/post.prompt', annotation_level: 'failure', start_line: 3 });
  });

  it('makes no request that GitHub would reject', () => {
    expect(fake.violations).toEqual([]);
  });

  it('warns, without failing differently, when the token may not comment (fork pull requests)', async () => {
    fake.readOnlyToken = true;
    const readOnly = await run();
    fake.readOnlyToken = false;
    await removeRunnerTemp(readOnly);
    expect(commandsOf(readOnly, 'warning').map((c) => c.message)).toContain(
      'The pull request comment could not be written (403): give the job `permissions: pull-requests: write`.',
    );
    expect(readOnly.outputs.failed).toBe(first.outputs.failed);
  });
});

describe('without a token (git fallback)', () => {
  it('lists changed files with git diff and reads base versions with git show', async () => {
    const run = await runAction('prompt-test', {}, { cwd: workspace, event: event(), env: { GITHUB_EVENT_NAME: 'pull_request' } });
    try {
      const report = JSON.parse(run.outputs.report) as Report;
      expect(report.templates.map((t) => t.file)).toEqual(['prompts/fixed.prompt', 'prompts/new.prompt', 'prompts/post.prompt']);
      expect(report.templates[2].comparison).toMatchObject({ variablesAdded: ['tone'], variablesRemoved: ['style'], newlyFailing: ['cats'] });
      expect(run.stdout).toContain('Changed files come from git diff because no github-token was given.');
    } finally {
      await removeRunnerTemp(run);
    }
  });

  it('tests every template with all-files: true', async () => {
    const run = await runAction('prompt-test', { 'all-files': 'true' }, { cwd: workspace, event: event(), env: { GITHUB_EVENT_NAME: 'pull_request' } });
    try {
      const report = JSON.parse(run.outputs.report) as Report;
      expect(report.templates.map((t) => t.file)).toEqual(['prompts/fixed.prompt', 'prompts/new.prompt', 'prompts/post.prompt', 'prompts/stable.prompt']);
    } finally {
      await removeRunnerTemp(run);
    }
  });
});
