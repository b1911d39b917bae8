// Every input of gradual-rollout, read once and validated up front into one typed settings object: a bad value
// stops the run before anything touches the cluster, with a message that names the input and the fix.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { InputError, type InputReader } from '@model-cicd/core/action';
import { DEFAULT_ENVIRONMENT_TEMPLATE, repoFromEnv, type RepoRef } from '@model-cicd/core/github';
import {
  CONFLICT_POLICIES,
  DEFAULT_INITIAL_PERCENTAGE,
  DEFAULT_STEPS,
  parseRolloutMetricsConfig,
  parseSteps,
  ROLLOUT_COMMANDS,
  ROUTER_KINDS,
  scheduleSteps,
  type Actor,
  type CanarySpec,
  type RolloutCommandName,
  type RolloutConfig,
  type RouterSpec,
  type StartSettings,
} from '@model-cicd/core/rollout';

/** Looks allowed per step before a person must decide; the rollout's family of checks is steps × this. */
export const CHECKS_PER_STEP = 3;
/** Container restarts of the canary above which it counts as unhealthy. */
export const MAX_RESTARTS = 3;
export const DEFAULT_MIN_SAMPLES = 30;

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface PromptBundle {
  /** Files of the bundle: name -> content (a content-hash-named ConfigMap is made from them). */
  files: Record<string, string>;
  source: string;
}

/** Where and how each command mirrors the rollout as a GitHub Deployment (absent: no token or turned off). */
export interface DeploymentSettings {
  token: string;
  repo: RepoRef;
  /** The commit a new deployment records. */
  ref: string;
  /** The environment name with `{namespace}` and `{name}` placeholders. */
  environmentTemplate: string;
  environmentUrl?: string;
}

export interface GradualRolloutSettings {
  command: RolloutCommandName;
  /** Undefined only for `progress`, which then ticks every rollout found by label. */
  name?: string;
  namespace: string;
  kubeconfig?: string;
  actor: Actor;
  start?: StartSettings;
  /** A folder or file of prompts to bundle into a content-hash ConfigMap (instead of a ConfigMap name). */
  promptBundle?: PromptBundle;
  weight?: number;
  prometheusUrl?: string;
  /** The metrics-config path as given (for messages). */
  metricsConfigFile?: string;
  workspace: string;
  /**
   * MODEL_CICD_NOW: the time to act as of (ISO 8601), for replaying a rollout against recorded metrics and for
   * tests; bake times, analysis windows and event times use it. Unset: the real clock.
   */
  now?: string;
  deployment?: DeploymentSettings;
}

function parseEnv(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new InputError('env', `is not valid JSON (${(error as Error).message}); use a JSON object or KEY=VALUE lines.`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('env', 'must be a JSON object of names to values, or KEY=VALUE lines.');
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [checkEnvName(key), String(value)]));
  }
  const env: Record<string, string> = {};
  for (const line of trimmed.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0) throw new InputError('env', `'${line}' is not KEY=VALUE; write one variable per line, e.g. PROMPT_VERSION=2.0.0.`);
    env[checkEnvName(line.slice(0, at).trim())] = line.slice(at + 1).trim();
  }
  return env;
}

function checkEnvName(name: string): string {
  if (!ENV_NAME.test(name)) throw new InputError('env', `'${name}' is not a valid environment variable name (letters, digits and _, not starting with a digit).`);
  return name;
}

function checkName(input: string, value: string): string {
  if (value.length > 253 || !NAME_PATTERN.test(value)) {
    throw new InputError(input, `'${value}' is not a Kubernetes object name (lower-case letters, digits and '-', starting and ending with a letter or digit).`);
  }
  return value;
}

function readPromptBundle(spec: string, workspace: string): PromptBundle | undefined {
  const path = isAbsolute(spec) ? spec : resolve(workspace, spec);
  if (!existsSync(path)) return undefined;
  const files: Record<string, string> = {};
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      const file = join(path, entry);
      if (statSync(file).isFile()) files[entry] = readFileSync(file, 'utf8');
    }
  } else {
    files[basename(path)] = readFileSync(path, 'utf8');
  }
  if (Object.keys(files).length === 0) throw new InputError('prompt-configmap', `folder '${spec}' holds no files to bundle.`);
  const size = Object.values(files).reduce((sum, content) => sum + Buffer.byteLength(content), 0);
  if (size > 900 * 1024) throw new InputError('prompt-configmap', `the bundle '${spec}' is ${Math.round(size / 1024)} KiB; a ConfigMap holds at most 1 MiB. Bundle fewer files.`);
  return { files, source: relative(workspace, path) || basename(path) };
}

export function readSettings(reader: InputReader, env: NodeJS.ProcessEnv = process.env): GradualRolloutSettings {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const command = reader.oneOf('command', ROLLOUT_COMMANDS);
  const nameText = reader.optionalString('name');
  if (!nameText && command !== 'progress') {
    throw new InputError('name', `is required for command '${command}': the stable Deployment (the rollout's state is the ConfigMap <name>-rollout).`);
  }
  const name = nameText ? checkName('name', nameText) : undefined;
  const namespaceText = reader.string('namespace', 'default');
  // '*' lets the scheduled progress tick every namespace (needs a ClusterRole to list ConfigMaps)
  const namespace = namespaceText === '*' && command === 'progress' && !name ? '*' : checkName('namespace', namespaceText);
  const actor: Actor = {
    actor: env.GITHUB_ACTOR || 'unknown',
    reason: reader.optionalString('reason'),
    runUrl: env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
  };
  const settings: GradualRolloutSettings = {
    command,
    name,
    namespace,
    kubeconfig: reader.optionalString('kubeconfig'),
    actor,
    prometheusUrl: reader.optionalString('prometheus-url') ?? env.PROMETHEUS_URL ?? undefined,
    workspace,
  };
  if (env.MODEL_CICD_NOW) {
    const at = Date.parse(env.MODEL_CICD_NOW);
    if (Number.isNaN(at)) throw new InputError('MODEL_CICD_NOW', `'${env.MODEL_CICD_NOW}' is not an ISO 8601 time.`);
    settings.now = new Date(at).toISOString();
  }
  if (settings.prometheusUrl && !/^https?:\/\//.test(settings.prometheusUrl)) {
    throw new InputError('prometheus-url', `'${settings.prometheusUrl}' is not an http(s) URL.`);
  }

  settings.deployment = readDeploymentSettings(reader, env);

  if (command === 'set-weight') {
    if (!reader.has('weight')) throw new InputError('weight', "is required for command 'set-weight': the canary's share of traffic in percent (0..100).");
    settings.weight = reader.number('weight', undefined, { min: 0, max: 100 });
  }

  if (command === 'start') {
    const version = reader.string('version');
    const router: RouterSpec = { kind: reader.oneOf('traffic-router', ROUTER_KINDS, 'replicas') };
    for (const input of ['service', 'ingress', 'httproute', 'virtualservice'] as const) {
      const value = reader.optionalString(input);
      if (value) router[input] = checkName(input, value);
    }
    const needs = { nginx: 'ingress', 'gateway-api': 'httproute', istio: 'virtualservice' } as const;
    const needed = needs[router.kind as keyof typeof needs];
    if (needed && !router[needed]) throw new InputError(needed, `is required when traffic-router is '${router.kind}': name the object that routes to the stable Service.`);

    const canary: CanarySpec = {};
    const image = reader.optionalString('image');
    if (image) canary.image = image;
    const container = reader.optionalString('container');
    if (container) canary.container = container;
    if (reader.has('env')) canary.env = parseEnv(reader.raw('env'));
    const promptConfigMap = reader.optionalString('prompt-configmap');
    if (promptConfigMap) {
      const bundle = readPromptBundle(promptConfigMap, workspace);
      if (bundle) settings.promptBundle = bundle;
      else canary.promptConfigMap = checkName('prompt-configmap', promptConfigMap);
    }
    if (!image && !canary.env && !promptConfigMap) {
      throw new InputError('version', 'says what to call the new version; also give what changes: image, env (e.g. PROMPT_VERSION=2.0.0) and/or prompt-configmap.');
    }

    const steps = scheduleSteps(reader.has('steps') ? parseSteps(reader.raw('steps')) : [...DEFAULT_STEPS], reader.number('initial-percentage', DEFAULT_INITIAL_PERCENTAGE, { min: 1, max: 100 }));
    const config: RolloutConfig = {
      stepDurationMs: reader.duration('step-duration', '5m'),
      minSamples: reader.number('min-samples', DEFAULT_MIN_SAMPLES, { min: 0, integer: true }),
      rollbackWindowMs: reader.duration('rollback-window', '30m'),
      checksPerStep: CHECKS_PER_STEP,
      maxRestarts: MAX_RESTARTS,
    };
    const metricsConfig = reader.optionalString('metrics-config');
    if (metricsConfig) {
      const path = isAbsolute(metricsConfig) ? metricsConfig : resolve(workspace, metricsConfig);
      if (!existsSync(path) || !statSync(path).isFile()) {
        throw new InputError('metrics-config', `file '${metricsConfig}' does not exist (resolved to ${path}); check the path and that actions/checkout ran first.`);
      }
      const text = readFileSync(path, 'utf8');
      const parsed = parseRolloutMetricsConfig(text, metricsConfig, path);
      const needsPrometheus = parsed.plan.plans.some((plan) => plan.baseline.kind === 'query' || plan.current.kind === 'query');
      const url = settings.prometheusUrl ?? parsed.plan.prometheusUrl;
      if (needsPrometheus && !url) throw new InputError('prometheus-url', `is required: ${metricsConfig} has Prometheus queries. Set prometheus-url (or PROMETHEUS_URL).`);
      config.metricsConfig = text;
      if (url) config.prometheusUrl = url;
      settings.metricsConfigFile = metricsConfig;
    }
    settings.start = { version, canary, router, steps, config, onConflict: reader.oneOf('on-conflict', CONFLICT_POLICIES, 'fail') };
  }
  return settings;
}

/** The GitHub Deployment mirror: on when a token is at hand (input or GITHUB_TOKEN) unless turned off. */
function readDeploymentSettings(reader: InputReader, env: NodeJS.ProcessEnv): DeploymentSettings | undefined {
  const token = reader.optionalString('github-token') ?? (env.GITHUB_TOKEN || undefined);
  if (token) core.setSecret(token);
  const wanted = reader.boolean('github-deployment', true);
  const environmentTemplate = reader.string('environment', DEFAULT_ENVIRONMENT_TEMPLATE);
  if (environmentTemplate.length > 255) throw new InputError('environment', `is ${environmentTemplate.length} characters; GitHub environment names have at most 255.`);
  const environmentUrl = reader.optionalString('environment-url');
  if (environmentUrl && !/^https?:\/\//.test(environmentUrl)) throw new InputError('environment-url', `'${environmentUrl}' is not an http(s) URL.`);
  const repo = repoFromEnv(env);
  if (!wanted || !token || !repo || !env.GITHUB_SHA) return undefined;
  return { token, repo, ref: env.GITHUB_SHA, environmentTemplate, ...(environmentUrl ? { environmentUrl } : {}) };
}
