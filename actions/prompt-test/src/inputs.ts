// Every input of the action, read once into one typed settings object.
import * as core from '@actions/core';
import { InputError, type InputReader } from '@model-cicd/core/action';
import { RULE_NAMES, type RuleName } from '@model-cicd/core/prompt';
import { PROVIDER_NAMES, type PriceOverride, type ProviderName } from '@model-cicd/core/prompt/runner';
import { isAbsolute, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

/** READMEs beside templates are documentation, though `.md` is a template extension. */
export const DEFAULT_TEMPLATES = ['prompts/**', '!**/README.md'];

export interface ProviderSettings {
  name: ProviderName;
  baseUrl: string;
  /** The input's model; a template's front-matter `model` wins for that template. */
  model: string;
  apiKey?: string;
  temperature: number;
  concurrency: number;
  caseTimeoutMs: number;
  totalTimeoutMs: number;
  cacheDir: string;
  price: PriceOverride;
}

export interface PromptTestSettings {
  workspace: string;
  /** Globs relative to the workspace. */
  templates: string[];
  allFiles: boolean;
  rules: RuleName[];
  /** Inline test cases (YAML/JSON text) and where they came from, for messages. */
  testCases?: { text: string; origin: string };
  provider: ProviderSettings;
  failOn: 'error' | 'warning';
  githubToken?: string;
  comment: boolean;
  checkRun: boolean;
  junitPath?: string;
  sarifPath?: string;
}

export async function readSettings(reader: InputReader, env: NodeJS.ProcessEnv = process.env): Promise<PromptTestSettings> {
  const apiKey = reader.optionalString('api-key');
  if (apiKey) core.setSecret(apiKey);
  const githubToken = reader.optionalString('github-token');
  if (githubToken) core.setSecret(githubToken);

  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const provider = reader.oneOf('provider', PROVIDER_NAMES, 'none');
  const baseUrl = reader.optionalString('base-url') ?? '';
  if (provider === 'openai-compatible') {
    if (!baseUrl) throw new InputError('base-url', 'is required with provider: openai-compatible (e.g. https://api.openai.com/v1 or http://localhost:8000/v1).');
    if (!/^https?:\/\//i.test(baseUrl)) throw new InputError('base-url', `'${baseUrl}' is not an http(s) URL; write it like https://api.openai.com/v1.`);
  }
  const priceInput = (name: string) => (reader.has(name) ? reader.number(name, undefined, { min: 0 }) : undefined);

  return {
    workspace,
    templates: reader.list('templates', DEFAULT_TEMPLATES),
    allFiles: reader.boolean('all-files', false),
    rules: readRules(reader),
    testCases: await readTestCases(reader, workspace),
    provider: {
      name: provider,
      baseUrl,
      model: reader.string('model', ''),
      apiKey,
      temperature: reader.number('temperature', 0, { min: 0, max: 2 }),
      concurrency: reader.number('concurrency', 4, { min: 1, max: 64, integer: true }),
      caseTimeoutMs: reader.duration('timeout', '30s'),
      totalTimeoutMs: reader.duration('total-timeout', '10m'),
      cacheDir: resolveCacheDir(reader.optionalString('cache-dir'), workspace, env),
      price: { inputPer1k: priceInput('price-per-1k-input'), outputPer1k: priceInput('price-per-1k-output') },
    },
    failOn: reader.oneOf('fail-on', ['error', 'warning'] as const, 'error'),
    githubToken,
    comment: reader.boolean('comment', false),
    checkRun: reader.boolean('check-run', false),
    junitPath: resolveOptionalPath(reader.optionalString('junit-path'), workspace),
    sarifPath: resolveOptionalPath(reader.optionalString('sarif-path'), workspace),
  };
}

function readRules(reader: InputReader): RuleName[] {
  const names = reader.list('validation-rules', RULE_NAMES);
  const unknown = names.filter((name) => !RULE_NAMES.includes(name as RuleName));
  if (unknown.length > 0) {
    throw new InputError('validation-rules', `unknown rule${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `'${n}'`).join(', ')}; use any of ${RULE_NAMES.join(', ')}.`);
  }
  return [...new Set(names as RuleName[])];
}

/** A single line naming a .yaml/.yml/.json file is a path; anything else is the cases themselves. */
async function readTestCases(reader: InputReader, workspace: string): Promise<PromptTestSettings['testCases']> {
  const value = reader.optionalString('test-cases');
  if (value === undefined) return undefined;
  if (!value.includes('\n') && /\.(ya?ml|json)$/i.test(value)) {
    const { readFile } = await import('node:fs/promises');
    const path = isAbsolute(value) ? value : join(workspace, value);
    try {
      return { text: await readFile(path, 'utf8'), origin: value };
    } catch {
      throw new InputError('test-cases', `file '${value}' cannot be read; give a path relative to the workspace, or the cases inline as YAML/JSON.`);
    }
  }
  return { text: value, origin: 'test-cases input' };
}

function resolveCacheDir(value: string | undefined, workspace: string, env: NodeJS.ProcessEnv): string {
  if (value) return isAbsolute(value) ? value : resolve(workspace, value);
  return env.RUNNER_TEMP ? join(env.RUNNER_TEMP, 'prompt-test-cache') : join(workspace || tmpdir(), '.prompt-test-cache');
}

const resolveOptionalPath = (value: string | undefined, workspace: string): string | undefined =>
  value === undefined ? undefined : isAbsolute(value) ? value : resolve(workspace, value);

