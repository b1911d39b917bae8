// `npm run examples`: runs each bundled action over the data in examples/ exactly as the GitHub runner
// would (through test/harness/run-action.ts) and prints the job summary a user would see.
// Add an action's examples by appending to EXAMPLES.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandsOf, removeRunnerTemp, repoRoot, runAction, type ActionRun } from '../test/harness/run-action.ts';
import { prometheusInstalled, startPrometheus } from '../test/servers/prometheus.ts';
import { rolloutExamples } from './rollout-examples.ts';

/** What an example needs started first: extra inputs (e.g. a server URL) and how to stop it again. */
export interface Prepared {
  inputs: Record<string, string>;
  /** Extra environment for the step (e.g. the rollout clock). */
  env?: Record<string, string>;
  cleanup: () => Promise<void>;
}

export interface ExampleRun {
  action: string;
  title: string;
  inputs: Record<string, string>;
  /** The exit code the example is meant to show (a demonstrated regression fails its step). */
  expectedExitCode: number;
  /** Outputs the example is meant to show (checked, like the exit code). */
  expectedOutputs?: Record<string, string>;
  /** Starts what the example needs; a string says why it cannot run on this machine. */
  prepare?: () => Promise<Prepared | string>;
}

/** A local Prometheus loaded with an OpenMetrics file from examples/ (Debian package `prometheus`). */
const withPrometheus = (openMetricsFile: string) => async (): Promise<Prepared | string> => {
  if (!prometheusInstalled()) return 'needs prometheus and promtool (apt-get install -y prometheus)';
  const prometheus = await startPrometheus({ openMetrics: await readFile(resolve(repoRoot, openMetricsFile), 'utf8') });
  return { inputs: { 'prometheus-url': prometheus.url }, cleanup: prometheus.stop };
};

export const EXAMPLES: ExampleRun[] = [
  {
    action: 'regression-check',
    title: 'regression-check: one metric from two text files (p95 latency of prompt v1 vs v2)',
    inputs: {
      'metric-name': 'latency_p95_ms',
      baseline: 'examples/regression-check/latency-baseline.txt',
      current: 'examples/regression-check/latency-current.txt',
    },
    expectedExitCode: 1,
  },
  {
    action: 'regression-check',
    title: 'regression-check: three metrics from examples/regression-check/metrics-config.yml',
    inputs: { 'metrics-config': 'examples/regression-check/metrics-config.yml' },
    expectedExitCode: 1,
  },
  {
    action: 'regression-check',
    title: 'regression-check: stable vs canary pods from Prometheus (examples/regression-check/prometheus-series.om)',
    inputs: {
      'metric-name': 'p95_seconds',
      'baseline-query': 'llm_request_p95_seconds{app="support-answer",track="stable"}',
      'current-query': 'llm_request_p95_seconds{app="support-answer",track="canary"}',
      // The bundled series cover these two hours; a live setup would use `range: 2h` back from now.
      start: '2026-05-28T20:26:40Z',
      end: '2026-05-28T22:25:40Z',
      step: '1m',
      'fail-on-regression': 'false',
    },
    expectedExitCode: 0,
    prepare: withPrometheus('examples/regression-check/prometheus-series.om'),
  },
  {
    action: 'prompt-test',
    title: 'prompt-test: good and deliberately broken templates in examples/prompts (no provider, no key)',
    inputs: { templates: 'examples/prompts/**, !**/README.md', 'all-files': 'true' },
    // The broken examples are there to be caught, so this step fails on purpose.
    expectedExitCode: 1,
  },
  ...rolloutExamples,
];

/** Runs one example as the runner would; `skipped` says why it could not run here. */
export async function runExample(example: ExampleRun): Promise<{ run: ActionRun } | { skipped: string }> {
  const prepared = example.prepare ? await example.prepare() : { inputs: {}, cleanup: async () => {} };
  if (typeof prepared === 'string') return { skipped: prepared };
  try {
    return { run: await runAction(example.action, { ...example.inputs, ...prepared.inputs }, { env: prepared.env }) };
  } finally {
    await prepared.cleanup();
  }
}

async function main(): Promise<void> {
  let unexpected = 0;
  for (const example of EXAMPLES) {
    console.log(`\n${'='.repeat(100)}\n# ${example.title}\n${'='.repeat(100)}\n`);
    const outcome = await runExample(example);
    if ('skipped' in outcome) {
      console.log(`Skipped: ${outcome.skipped}.`);
      continue;
    }
    const { run } = outcome;
    console.log(run.summary.trim());
    const annotations = [...commandsOf(run, 'error'), ...commandsOf(run, 'warning')];
    if (annotations.length > 0) {
      console.log('\nAnnotations:');
      for (const a of annotations) console.log(`  ${a.command}${a.properties.file ? ` ${a.properties.file}:${a.properties.line}` : ''}: ${a.message}`);
    }
    // Short outputs only: the JSON report is what the summary above already shows.
    const outputs = Object.entries(run.outputs).filter(([name, value]) => !name.startsWith('report') && value.length <= 80);
    const step = run.exitCode === 0 ? 'the step passes' : 'the step fails';
    console.log(`\nOutputs: ${outputs.map(([name, value]) => `${name}=${value}`).join(', ') || 'none'}; exit code ${run.exitCode} (${step}).`);
    if (run.exitCode !== example.expectedExitCode) {
      unexpected++;
      console.error(`Unexpected exit code ${run.exitCode} (expected ${example.expectedExitCode}).\n${run.stderr}`);
    }
    for (const [name, value] of Object.entries(example.expectedOutputs ?? {})) {
      if (run.outputs[name] !== value) {
        unexpected++;
        console.error(`Unexpected output ${name}=${run.outputs[name]} (expected ${value}).`);
      }
    }
    await removeRunnerTemp(run);
  }
  if (unexpected > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
