// Runs a bundled action exactly as the GitHub runner does: `node actions/<name>/dist/index.js` with INPUT_*
// variables and temp files for the file commands, then reads outputs, summary and workflow commands back.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface ActionRun {
  exitCode: number;
  outputs: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
  stdout: string;
  stderr: string;
  runnerTemp: string;
}

export interface RunActionOptions {
  /** Extra environment (e.g. GITHUB_EVENT_NAME, PROMETHEUS_URL); merged over the runner defaults. */
  env?: Record<string, string>;
  /** The webhook payload written to GITHUB_EVENT_PATH. */
  event?: unknown;
  /** Working directory (GITHUB_WORKSPACE); defaults to the repo root. */
  cwd?: string;
  timeoutMs?: number;
}

/** The runner's rule: `INPUT_` + name upper-cased with spaces as `_` (dashes stay). */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

export async function runAction(
  action: string,
  inputs: Record<string, string>,
  options: RunActionOptions = {},
): Promise<ActionRun> {
  const runnerTemp = await mkdtemp(join(tmpdir(), `runner-${action}-`));
  const outputFile = join(runnerTemp, 'github_output');
  const summaryFile = join(runnerTemp, 'step_summary.md');
  const eventFile = join(runnerTemp, 'event.json');
  const stateFile = join(runnerTemp, 'github_state');
  await Promise.all([
    writeFile(outputFile, ''),
    writeFile(summaryFile, ''),
    writeFile(stateFile, ''),
    writeFile(eventFile, JSON.stringify(options.event ?? {})),
  ]);
  const workspace = options.cwd ?? repoRoot;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/model-cicd-demo',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_WORKFLOW: 'test',
    GITHUB_JOB: 'test',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;

  const entry = join(repoRoot, 'actions', action, 'dist', 'index.js');
  const { exitCode, stdout, stderr } = await spawnNode(entry, env, workspace, options.timeoutMs ?? 60_000);
  const [outputText, summary] = await Promise.all([readFile(outputFile, 'utf8'), readFile(summaryFile, 'utf8')]);
  return { exitCode, outputs: parseOutputFile(outputText), summary, commands: parseWorkflowCommands(stdout), stdout, stderr, runnerTemp };
}

export async function removeRunnerTemp(run: ActionRun): Promise<void> {
  await rm(run.runnerTemp, { recursive: true, force: true });
}

function spawnNode(entry: string, env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number) {
  return new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [entry], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` blocks (and plain `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: unterminated value for ${name}`);
      outputs[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** Parses `::command key=value,key=value::message` lines the way the runner does. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command, props = '', message] = match;
    const properties: Record<string, string> = {};
    for (const pair of props.split(',').filter(Boolean)) {
      const at = pair.indexOf('=');
      if (at > 0) properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
    commands.push({ command, properties, message: unescapeData(message) });
  }
  return commands;
}

export const commandsOf = (run: ActionRun, command: string): WorkflowCommand[] =>
  run.commands.filter((c) => c.command === command);
