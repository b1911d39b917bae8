// Reading templates (and their sidecar tests) from the checkout or from the base commit. A template that
// cannot be read, or crashes the checks, becomes an error finding, never a failed run.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileAtRef, type Octokit, type RepoRef } from '@model-cicd/core/github';
import { sidecarPathFor } from '@model-cicd/core/prompt';
import { prepareTemplate, type PrepareOptions, type PreparedTemplate, type TemplateSource } from '@model-cicd/core/prompt/runner';

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

/** What to prepare: a template's text, or why it could not be read. */
export type SourceOrFailure = { source: TemplateSource } | { failure: PreparedTemplate };

/**
 * Reads one template and its sidecar (`readAs` is where it lives for this reader, e.g. its name before a
 * rename); undefined when it does not exist there (a new file has no base version).
 */
export async function readTemplate(file: string, read: TextReader, readAs = file): Promise<SourceOrFailure | undefined> {
  let text: string | undefined;
  let sidecarText: string | undefined;
  try {
    [text, sidecarText] = await Promise.all([read(readAs), read(sidecarPathFor(readAs))]);
  } catch (error) {
    return { failure: failedTemplate(file, `could not be read: ${(error as Error).message}`, 'load/read') };
  }
  if (text === undefined) return undefined;
  return { source: { file, text, sidecar: sidecarText === undefined ? undefined : { file: sidecarPathFor(file), text: sidecarText } } };
}

/** prepareTemplate, with a crash confined to its template. */
export function prepareSafely(source: TemplateSource, options: PrepareOptions): PreparedTemplate {
  try {
    return prepareTemplate(source, options);
  } catch (error) {
    return failedTemplate(source.file, `could not be checked (${(error as Error).message}); the other templates were still tested. Please report this with the template attached.`, 'load/internal');
  }
}

function failedTemplate(file: string, message: string, check: string): PreparedTemplate {
  return {
    report: { file, name: file, variables: [], cases: [], findings: [{ file, line: 1, column: 1, rule: 'syntax', severity: 'error', message: `${file} ${message}`, check }] },
    cases: [],
  };
}
