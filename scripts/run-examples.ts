// `npm run examples`: runs each bundled action over the data in examples/ exactly as the GitHub runner
// would (through test/harness/run-action.ts) and prints the job summary a user would see.
// Add an action's examples by appending to EXAMPLES.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandsOf, removeRunnerTemp, runAction } from '../test/harness/run-action.ts';

export interface ExampleRun {
  action: string;
  title: string;
  inputs: Record<string, string>;
  /** The exit code the example is meant to show (a demonstrated regression fails its step). */
  expectedExitCode: number;
}

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
];

async function main(): Promise<void> {
  let unexpected = 0;
  for (const example of EXAMPLES) {
    const run = await runAction(example.action, example.inputs);
    console.log(`\n${'='.repeat(100)}\n# ${example.title}\n${'='.repeat(100)}\n`);
    console.log(run.summary.trim());
    const annotations = [...commandsOf(run, 'error'), ...commandsOf(run, 'warning')];
    if (annotations.length > 0) {
      console.log('\nAnnotations:');
      for (const a of annotations) console.log(`  ${a.command}${a.properties.file ? ` ${a.properties.file}:${a.properties.line}` : ''}: ${a.message}`);
    }
    const outcome = run.exitCode === 0 ? 'the step passes' : 'the step fails';
    // Short outputs only: the JSON report is what the summary above already shows.
    const outputs = Object.entries(run.outputs).filter(([name, value]) => !name.startsWith('report') && value.length <= 80);
    console.log(`\nOutputs: ${outputs.map(([name, value]) => `${name}=${value}`).join(', ') || 'none'}; exit code ${run.exitCode} (${outcome}).`);
    if (run.exitCode !== example.expectedExitCode) {
      unexpected++;
      console.error(`Unexpected exit code ${run.exitCode} (expected ${example.expectedExitCode}).\n${run.stderr}`);
    }
    await removeRunnerTemp(run);
  }
  if (unexpected > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
