import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { emitAnnotations, InputReader, omittedAnnotationsNote, runAction, writeReportFile, writeSummary } from '@model-cicd/core/action';
import {
  createGitHubClient,
  listChangedFiles,
  publishCheckRun,
  pullRequestFromEnv,
  repoFromEnv,
  statusOf,
  upsertStickyComment,
  type Octokit,
  type PullRequestRef,
  type RepoRef,
} from '@model-cicd/core/github';
import {
  applyOutcome,
  compareVersions,
  createOpenAiCompatibleProvider,
  executeCompletions,
  type ExecuteStats,
  type PreparedCase,
  type PreparedTemplate,
  type PrepareOptions,
  ResponseCache,
  serialiseTemplate,
  type TemplateReport,
  totalsOf,
} from '@model-cicd/core/prompt/runner';
import { countTokens } from '@model-cicd/core/prompt';
import { mapWithConcurrency } from '@model-cicd/core/concurrency';
import { buildAnnotations } from './annotations.ts';
import { discoverTemplates, selectChanged, type Selection } from './discover.ts';
import { readSettings, type PromptTestSettings } from './inputs.ts';
import { buildJunit } from './junit.ts';
import { reportOutput } from './report-output.ts';
import { buildSarif } from './sarif.ts';
import { buildComment, buildSummary, headline, type RunContext } from './summary.ts';
import { prepareAll } from './parallel.ts';
import { baseReader, readTemplate, type SourceOrFailure, workspaceReader } from './templates.ts';

const TOOL_VERSION = '1.0.0';
/** Bounded so a thousand templates (and their sidecars) never exhaust file descriptors. */
const FILE_READS_IN_FLIGHT = 64;
const BASE_READS_IN_FLIGHT = 8;
const COMMENT_KEY = 'prompt-test';

export interface RunOptions {
  /** Script to start template-preparing workers from (the bundle itself); without it all runs on one thread. */
  workerEntry?: string;
}

export async function run(options: RunOptions = {}): Promise<void> {
  await runAction(async () => {
    const started = Date.now();
    const settings = await readSettings(new InputReader((name) => core.getInput(name)));
    const discovered = await discoverTemplates(settings.templates, settings.workspace);
    const pullRequest = await pullRequestFromEnv();
    const repo = repoFromEnv();
    const octokit = settings.githubToken ? createGitHubClient(settings.githubToken) : undefined;
    const { selection, scope } = await selectTemplates(settings, discovered, pullRequest, octokit, repo);

    const prepareOptions: PrepareOptions = {
      rules: settings.rules,
      inlineTests: settings.testCases ? { text: settings.testCases.text, source: settings.testCases.origin } : undefined,
      model: settings.provider.model || undefined,
      parameters: { temperature: settings.provider.temperature },
    };
    const readHead = workspaceReader(settings.workspace);
    const heads = await prepareTemplates(
      await mapWithConcurrency(selection.files, FILE_READS_IN_FLIGHT, (file) => readTemplate(file, readHead)),
      prepareOptions,
      options.workerEntry,
    );
    const bases = await prepareBases(settings, selection, heads, pullRequest, octokit, repo, prepareOptions, options.workerEntry);

    const providerStats = await runProvider(settings, [...heads, ...bases.values()]);
    const templates: TemplateReport[] = heads.map((head) => {
      const change = selection.changes.get(head.report.file);
      if (!change) return head.report;
      return { ...head.report, changedLines: change.addedLines, comparison: compareVersions(bases.get(head.report.file)?.report, head.report) };
    });
    await report(settings, templates, { scope, started, providerStats, pullRequest, octokit, repo });
  });
}

async function selectTemplates(
  settings: PromptTestSettings,
  discovered: string[],
  pullRequest: PullRequestRef | undefined,
  octokit: Octokit | undefined,
  repo: RepoRef | undefined,
): Promise<{ selection: Selection; scope: string }> {
  if (!pullRequest || settings.allFiles) {
    const why = pullRequest ? 'all-files: true' : `${process.env.GITHUB_EVENT_NAME || 'local'} event`;
    return { selection: { files: discovered, changes: new Map(), skipped: 0 }, scope: `All ${discovered.length} matched templates tested (${why})` };
  }
  const changed = await listChangedFiles({ octokit, repo, pullNumber: pullRequest.number, baseSha: pullRequest.baseSha, headSha: pullRequest.headSha, cwd: settings.workspace });
  if (changed.fallbackReason) core.info(`Changed files come from git diff because ${changed.fallbackReason}.`);
  const selection = selectChanged(discovered, changed.files);
  return {
    selection,
    scope: `Pull request #${pullRequest.number}: ${selection.files.length} changed template${selection.files.length === 1 ? '' : 's'} tested, ${selection.skipped} unchanged skipped (set all-files: true to test all)`,
  };
}

/** Prepares what could be read (in order), and keeps read failures as failed templates. */
async function prepareTemplates(read: (SourceOrFailure | undefined)[], prepareOptions: PrepareOptions, workerEntry?: string): Promise<PreparedTemplate[]> {
  const present = read.filter((item): item is SourceOrFailure => item !== undefined);
  const prepared = await prepareAll(
    present.flatMap((item) => ('source' in item ? [item.source] : [])),
    prepareOptions,
    workerEntry,
  );
  let next = 0;
  return present.map((item) => ('source' in item ? prepared[next++] : item.failure));
}

async function prepareBases(
  settings: PromptTestSettings,
  selection: Selection,
  heads: PreparedTemplate[],
  pullRequest: PullRequestRef | undefined,
  octokit: Octokit | undefined,
  repo: RepoRef | undefined,
  prepareOptions: PrepareOptions,
  workerEntry?: string,
): Promise<Map<string, PreparedTemplate>> {
  const bases = new Map<string, PreparedTemplate>();
  if (!pullRequest) return bases;
  const read = baseReader({ octokit, repo, ref: pullRequest.baseSha, cwd: settings.workspace });
  const changed = heads.map((head) => head.report.file).filter((file) => {
    const change = selection.changes.get(file);
    return change !== undefined && change.status !== 'added';
  });
  // few at a time: GitHub's secondary rate limits punish bursts of concurrent requests
  const sources = await mapWithConcurrency(changed, BASE_READS_IN_FLIGHT, async (file) => {
    const readAs = selection.changes.get(file)?.previousPath ?? file;
    const source = await readTemplate(file, read, readAs);
    // a base version that cannot be read is not compared; it is no fault of the pull request
    if (source && 'failure' in source) core.warning(`The base version of ${file} could not be read, so it is not compared: ${source.failure.report.findings[0].message}`);
    return source && 'source' in source ? source : undefined;
  });
  const prepared = await prepareTemplates(sources, prepareOptions, workerEntry);
  const present = changed.filter((_, index) => sources[index] !== undefined);
  present.forEach((file, index) => bases.set(file, prepared[index]));
  return bases;
}

async function runProvider(settings: PromptTestSettings, templates: PreparedTemplate[]): Promise<ExecuteStats | undefined> {
  const { provider } = settings;
  if (provider.name === 'none') return undefined;
  const sendable: PreparedCase[] = [];
  for (const template of templates) {
    for (const prepared of template.cases) {
      if (!prepared.request) continue;
      if (!prepared.request.model) {
        prepared.report.status = 'error';
        prepared.report.reason = 'no model to call: set the model input, or model: in the template front-matter';
        continue;
      }
      sendable.push(prepared);
    }
  }
  const client = createOpenAiCompatibleProvider({
    baseUrl: provider.baseUrl,
    model: provider.model,
    apiKey: provider.apiKey,
    estimateTokens: (text) => countTokens(text, provider.model || undefined).tokens,
  });
  const { outcomes, stats } = await executeCompletions(
    sendable.map((prepared) => prepared.request!),
    {
      provider: client,
      cache: new ResponseCache(provider.cacheDir),
      concurrency: provider.concurrency,
      caseTimeoutMs: provider.caseTimeoutMs,
      totalTimeoutMs: provider.totalTimeoutMs,
    },
  );
  sendable.forEach((prepared, index) => applyOutcome(prepared, outcomes[index], provider.price));
  return stats;
}

async function report(
  settings: PromptTestSettings,
  templates: TemplateReport[],
  context: { scope: string; started: number; providerStats?: ExecuteStats; pullRequest?: PullRequestRef; octokit?: Octokit; repo?: RepoRef },
): Promise<void> {
  const totals = totalsOf(templates);
  const failed = totals.failed > 0 || totals.errors > 0 || (settings.failOn === 'warning' && totals.warnings > 0);
  const tally = emitAnnotations(buildAnnotations(templates));
  const reportBody = {
    tool: 'prompt-test',
    version: TOOL_VERSION,
    verdict: failed ? 'failed' : 'passed',
    failOn: settings.failOn,
    provider: settings.provider.name,
    scope: context.scope,
    totals,
    providerStats: context.providerStats,
    templates: templates.map(serialiseTemplate),
  };
  const reportPath = await writeReportFile('prompt-test.json', reportBody);
  core.setOutput('report', reportOutput(reportBody as never, reportPath));
  core.setOutput('report-path', reportPath);
  const runContext: RunContext = {
    totals,
    verdict: failed ? 'failed' : 'passed',
    failOn: settings.failOn,
    provider: settings.provider.name === 'none' ? 'none' : `${settings.provider.name} ${settings.provider.baseUrl}`,
    scope: context.scope,
    annotationsNote: omittedAnnotationsNote(tally),
    providerStats: context.providerStats,
    reportPath,
    wallMs: Date.now() - context.started,
  };
  await writeSummary(buildSummary(templates, runContext));
  if (settings.junitPath) await writeFileCreatingDirs(settings.junitPath, buildJunit(templates));
  if (settings.sarifPath) await writeFileCreatingDirs(settings.sarifPath, `${JSON.stringify(buildSarif(templates, TOOL_VERSION), null, 2)}\n`);
  core.setOutput('passed', String(totals.passed));
  core.setOutput('failed', String(totals.failed));
  core.setOutput('warnings', String(totals.warnings));
  if (settings.comment) await comment(templates, runContext, context);
  if (settings.checkRun) await checkRun(templates, runContext, context);

  core.info(headline(runContext).replace(/\*\*/g, ''));
  // Each problem is already an annotation; setFailed would add one more error that says nothing new.
  if (failed) process.exitCode = 1;
}

async function comment(
  templates: TemplateReport[],
  runContext: RunContext,
  context: { pullRequest?: PullRequestRef; octokit?: Octokit; repo?: RepoRef },
): Promise<void> {
  if (!context.pullRequest) return core.info('comment: true has no effect outside pull_request events.');
  if (!context.octokit || !context.repo) return core.warning('comment: true needs github-token (with pull-requests: write); no comment was written.');
  const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runUrl = process.env.GITHUB_RUN_ID ? `${server}/${context.repo.owner}/${context.repo.repo}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined;
  try {
    const result = await upsertStickyComment(context.octokit, context.repo, context.pullRequest.number, COMMENT_KEY, buildComment(templates, runContext, runUrl));
    core.info(`Pull request comment ${result.action}: ${result.url}`);
  } catch (error) {
    const status = statusOf(error);
    const hint =
      status === 403 || status === 404
        ? context.pullRequest.fromFork
          ? 'pull requests from forks get a read-only token; the job summary has the report'
          : 'give the job `permissions: pull-requests: write`'
        : (error as Error).message;
    core.warning(`The pull request comment could not be written (${status ?? 'error'}): ${hint}.`);
  }
}

const CHECK_LEVEL = { error: 'failure', warning: 'warning', notice: 'notice' } as const;

async function checkRun(templates: TemplateReport[], runContext: RunContext, context: { pullRequest?: PullRequestRef; octokit?: Octokit; repo?: RepoRef }): Promise<void> {
  if (!context.octokit || !context.repo) return core.warning('check-run: true needs github-token (with checks: write); no check run was published.');
  const headSha = context.pullRequest?.headSha ?? process.env.GITHUB_SHA;
  if (!headSha) return core.warning('check-run: true needs a commit (GITHUB_SHA); no check run was published.');
  const annotations = buildAnnotations(templates)
    .filter((annotation) => annotation.file && annotation.line)
    .map((annotation) => ({
      path: annotation.file!,
      start_line: annotation.line!,
      end_line: annotation.line!,
      start_column: annotation.column,
      end_column: annotation.column,
      annotation_level: CHECK_LEVEL[annotation.severity],
      title: annotation.title,
      message: annotation.message,
    }));
  try {
    const result = await publishCheckRun(context.octokit, context.repo, {
      name: 'prompt-test',
      headSha,
      conclusion: runContext.verdict === 'passed' ? 'success' : 'failure',
      title: headline(runContext).replace(/\*\*/g, ''),
      summary: buildComment(templates, runContext, undefined),
      annotations,
    });
    core.info(`Check run published with ${annotations.length} annotations: ${result.url}`);
  } catch (error) {
    const status = statusOf(error);
    core.warning(`The check run could not be published (${status ?? 'error'}): ${status === 403 ? 'give the job `permissions: checks: write`' : (error as Error).message}.`);
  }
}

async function writeFileCreatingDirs(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
