// Reading templates (and their sidecar tests) from the checkout or from the base commit, and preparing them;
// a template that cannot be read or crashes the checks becomes an error finding, never a failed run.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileAtRef, type Octokit, type RepoRef } from '@model-cicd/core/github';
import { sidecarPathFor } from '@model-cicd/core/prompt';
import { prepareTemplate, type PrepareOptions, type PreparedTemplate } from '@model-cicd/core/prompt/runner';

export type TextReader = (path: string) => Promise<string | undefined>;

export const workspaceReader =
  (workspace: string): TextReader =>
  async (path) => {
    try {
      return await readFile(join(workspace, path), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };

export const baseReader =
  (options: { octokit?: Octokit; repo?: RepoRef; ref: string; cwd: string }): TextReader =>
  (path) =>
    readFileAtRef({ ...options, path });

/** Loads and checks one template; undefined when the file does not exist for this reader (new or deleted). */
export async function prepareFromReader(file: string, read: TextReader, options: PrepareOptions, readAs = file): Promise<PreparedTemplate | undefined> {
  let text: string | undefined;
  let sidecarText: string | undefined;
  try {
    [text, sidecarText] = await Promise.all([read(readAs), read(sidecarPathFor(readAs))]);
  } catch (error) {
    return failed(file, `could not be read: ${(error as Error).message}`, 'load/read');
  }
  if (text === undefined) return undefined;
  try {
    return prepareTemplate({ file, text, sidecar: sidecarText === undefined ? undefined : { file: sidecarPathFor(file), text: sidecarText } }, options);
  } catch (error) {
    return failed(file, `could not be checked (${(error as Error).message}); the other templates were still tested. Please report this with the template attached.`, 'load/internal');
  }
}

function failed(file: string, message: string, check: string): PreparedTemplate {
  return {
    report: { file, name: file, variables: [], cases: [], findings: [{ file, line: 1, column: 1, rule: 'syntax', severity: 'error', message: `${file} ${message}`, check }] },
    cases: [],
  };
}
