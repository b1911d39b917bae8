// Which template files to test: the `templates` globs, minus sidecar test files, narrowed on pull requests
// to what the pull request changed.
import { glob, stat } from 'node:fs/promises';
import { InputError } from '@model-cicd/core/action';
import type { ChangedFile } from '@model-cicd/core/github';
import { sidecarPathFor } from '@model-cicd/core/prompt';

/** `<name>.tests.yaml` next to `<name>.<ext>` holds test cases; it is data for a template, not a template. */
const SIDECAR = /\.tests\.(ya?ml|json)$/i;

export const isSidecar = (path: string): boolean => SIDECAR.test(path);

/** Never templates, and too big to walk. */
const ALWAYS_EXCLUDED = ['**/node_modules', '**/.git'];

/**
 * Template files matched by the globs (workspace-relative, `/`-separated, sorted), or an InputError naming
 * the glob that matched nothing. A pattern starting with `!` excludes (`!**\/README.md`).
 */
export async function discoverTemplates(patterns: readonly string[], workspace: string): Promise<string[]> {
  const found = new Set<string>();
  const empty: string[] = [];
  const exclude = [...ALWAYS_EXCLUDED, ...patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))];
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    let matched = 0;
    for await (const entry of glob(pattern, { cwd: workspace, exclude })) {
      const path = String(entry).split('\\').join('/');
      if (isSidecar(path)) continue;
      const info = await stat(`${workspace}/${path}`).catch(() => undefined);
      if (!info?.isFile()) continue;
      matched++;
      found.add(path);
    }
    if (matched === 0) empty.push(pattern);
  }
  if (empty.length > 0) {
    throw new InputError(
      'templates',
      `${empty.map((p) => `'${p}'`).join(', ')} matched no template files under ${workspace}. Fix the glob (it is relative to the workspace, e.g. prompts/**/*.prompt) or check that actions/checkout ran first.`,
    );
  }
  return [...found].sort();
}

export interface Selection {
  files: string[];
  /** Templates the pull request changed, with what changed (absent for templates tested for other reasons). */
  changes: Map<string, ChangedFile>;
  skipped: number;
}

/** On a pull request: the templates it changed, or whose sidecar tests it changed. Removed files are not tested. */
export function selectChanged(templates: readonly string[], changed: readonly ChangedFile[]): Selection {
  const byPath = new Map(changed.filter((file) => file.status !== 'removed').map((file) => [file.path, file]));
  const changes = new Map<string, ChangedFile>();
  const files = templates.filter((template) => {
    const own = byPath.get(template);
    if (own) changes.set(template, own);
    return own !== undefined || byPath.has(sidecarPathFor(template));
  });
  return { files, changes, skipped: templates.length - files.length };
}
