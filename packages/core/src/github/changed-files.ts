// The files a pull request changes: from the API (pulls.listFiles, paginated, carries patches), else from
// `git diff base...head` in the checkout (works without a token, needs fetch-depth: 0).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Octokit, RepoRef } from './client.ts';
import { addedLinesFromPatch } from './diff.ts';

const run = promisify(execFile);

export type ChangeStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  previousPath?: string;
  /** Lines of the new file the change added; undefined when unknown (binary, huge or truncated patch). */
  addedLines?: Set<number>;
}

/** GitHub lists at most 3000 files per pull request; past that the git fallback is the complete answer. */
const API_FILE_LIMIT = 3000;

export async function listChangedFilesFromApi(octokit: Octokit, repo: RepoRef, pullNumber: number): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  if (files.length >= API_FILE_LIMIT) throw new Error(`the pull request changes ${files.length}+ files, more than the API lists`);
  return files.map((file) => ({
    path: file.filename,
    status: file.status as ChangeStatus,
    previousPath: file.previous_filename ?? undefined,
    addedLines: file.patch === undefined ? undefined : addedLinesFromPatch(file.patch),
  }));
}

const GIT_STATUS: Record<string, ChangeStatus> = { A: 'added', D: 'removed', M: 'modified', R: 'renamed', C: 'copied', T: 'changed' };

export async function listChangedFilesFromGit(baseSha: string, headSha: string, cwd: string): Promise<ChangedFile[]> {
  const range = `${baseSha}...${headSha}`;
  const { stdout } = await run('git', ['diff', '--name-status', '-M', '-z', range], { cwd, maxBuffer: 64 * 1024 * 1024 });
  const fields = stdout.split('\0').filter((field) => field !== '');
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++];
    const status = GIT_STATUS[code[0]] ?? 'changed';
    if (status === 'renamed' || status === 'copied') {
      files.push({ path: fields[i + 1], previousPath: fields[i], status });
      i += 2;
    } else {
      files.push({ path: fields[i++], status });
    }
  }
  const { stdout: patch } = await run('git', ['diff', '-U0', '-M', range], { cwd, maxBuffer: 256 * 1024 * 1024 });
  const patches = splitPatchByFile(patch);
  for (const file of files) {
    const filePatch = patches.get(file.path);
    if (filePatch !== undefined) file.addedLines = addedLinesFromPatch(filePatch);
  }
  return files;
}

function splitPatchByFile(patch: string): Map<string, string> {
  const byFile = new Map<string, string>();
  for (const section of patch.split(/^diff --git /m).slice(1)) {
    const target = /^\+\+\+ b\/(.+)$/m.exec(section);
    if (target) byFile.set(target[1], section);
  }
  return byFile;
}

export interface ChangedFilesResult {
  files: ChangedFile[];
  source: 'api' | 'git';
  /** Why the API was not used, when it was not. */
  fallbackReason?: string;
}

/** API first (when a client is given), git second; throws only when both fail, with both reasons. */
export async function listChangedFiles(options: {
  octokit?: Octokit;
  repo?: RepoRef;
  pullNumber: number;
  baseSha: string;
  headSha: string;
  cwd: string;
}): Promise<ChangedFilesResult> {
  let fallbackReason = 'no github-token was given';
  if (options.octokit && options.repo) {
    try {
      return { files: await listChangedFilesFromApi(options.octokit, options.repo, options.pullNumber), source: 'api' };
    } catch (error) {
      fallbackReason = `the API call failed: ${(error as Error).message}`;
    }
  }
  try {
    return { files: await listChangedFilesFromGit(options.baseSha, options.headSha, options.cwd), source: 'git', fallbackReason };
  } catch (error) {
    const gitProblem = ((error as { stderr?: string }).stderr || (error as Error).message).trim();
    throw new Error(
      `cannot list the pull request's changed files: ${fallbackReason}, and git diff failed (${gitProblem}). ` +
        'Pass github-token, or check out with fetch-depth: 0 so the base commit is present, or set all-files: true.',
    );
  }
}
