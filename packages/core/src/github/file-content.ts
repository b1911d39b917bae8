// A file's content at another commit (the pull request's base): repos.getContent, else `git show`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { statusOf, type Octokit, type RepoRef } from './client.ts';

const run = promisify(execFile);

/** The text of `path` at `ref`, or undefined when the file does not exist there. */
export async function readFileAtRefFromApi(octokit: Octokit, repo: RepoRef, path: string, ref: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file') return undefined;
    if ('content' in data && typeof data.content === 'string' && data.encoding === 'base64' && data.content !== '') {
      return Buffer.from(data.content, 'base64').toString('utf8');
    }
    // Files over 1 MB come back without content; the raw media type returns them whole.
    const raw = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { ...repo, path, ref, mediaType: { format: 'raw' } });
    return String(raw.data);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

export async function readFileAtRefFromGit(path: string, ref: string, cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['show', `${ref}:${path}`], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    if (/does not exist|exists on disk, but not in/.test(stderr)) return undefined;
    throw new Error(`git show ${ref}:${path} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

/** API first when a client is given, git otherwise or when the API fails for a reason other than 404. */
export async function readFileAtRef(options: { octokit?: Octokit; repo?: RepoRef; path: string; ref: string; cwd: string }): Promise<string | undefined> {
  if (options.octokit && options.repo) {
    try {
      return await readFileAtRefFromApi(options.octokit, options.repo, options.path, options.ref);
    } catch {
      // fall through to git: a local checkout may still have the base commit
    }
  }
  return readFileAtRefFromGit(options.path, options.ref, options.cwd);
}
