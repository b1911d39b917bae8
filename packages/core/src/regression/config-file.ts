// Reads a metrics-config file from the workspace and plans its metrics.
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../action/index.ts';
import { parseMetricsConfig } from './config.ts';
import { planFromConfig, type ConfigPlan } from './plan.ts';
import type { MetricSettings } from './settings.ts';

/**
 * `path` is relative to `workspace` (GITHUB_WORKSPACE). The file is named in messages and annotations by its
 * workspace-relative path, which is how GitHub places annotations on a file.
 */
export async function loadMetricsConfig(path: string, workspace: string, base: MetricSettings): Promise<ConfigPlan> {
  const absolute = isAbsolute(path) ? path : resolve(workspace, path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `file '${path}' does not exist (resolved to ${absolute}); check the path relative to the repository root and that actions/checkout ran first.`
        : code === 'EISDIR'
          ? `'${path}' is a folder; give the path of a .yml, .yaml or .json file.`
          : `file '${path}' cannot be read (${code ?? (error as Error).message}).`;
    throw new InputError('metrics-config', problem);
  }
  const shownPath = relative(workspace, absolute).startsWith('..') ? absolute : relative(workspace, absolute);
  return planFromConfig(parseMetricsConfig(text, shownPath), base, absolute);
}
