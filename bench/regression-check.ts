// Whole-process timings of the bundled regression-check action (as the runner starts it) against a Python
// process doing less work (numpy load + scipy ttest_ind + mannwhitneyu) on the same files.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeRunnerTemp, repoRoot, runAction } from '../test/harness/run-action.ts';
import { seededNormal } from '../test/harness/seeded-random.ts';

export interface BenchRow {
  name: string;
  milliseconds: number;
  note?: string;
}

const PYTHON = '/usr/bin/python3';
const SIZES = [1_000, 1_000_000];
const REPEATS = 3;

const PYTHON_SCRIPT = `
import sys, numpy as np, scipy.stats as st
b = np.fromfile(sys.argv[1], sep="\\n"); c = np.fromfile(sys.argv[2], sep="\\n")
t = st.ttest_ind(c, b, equal_var=False, alternative="greater")
u = st.mannwhitneyu(c, b, alternative="greater", method="auto")
print(len(b), len(c), t.pvalue, u.pvalue)
`;

/** Deterministic log-normal latencies (mulberry32 + Box–Muller), current 1 % slower. */
function latencies(count: number, scale: number, seed: number): string {
  const normal = seededNormal(seed);
  const lines = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    lines[i] = (scale * Math.exp(0.25 * normal())).toFixed(3);
  }
  return `${lines.join('\n')}\n`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeAction(inputs: Record<string, string>, cwd: string): Promise<{ ms: number; exitCode: number; stderr: string }> {
  const started = performance.now();
  const run = await runAction('regression-check', inputs, { cwd, timeoutMs: 120_000 });
  const ms = performance.now() - started;
  await removeRunnerTemp(run);
  return { ms, exitCode: run.exitCode, stderr: run.stderr };
}

function timeProcess(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return ms;
}

function scipyAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import numpy, scipy.stats'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function benchRegressionCheck(): Promise<BenchRow[]> {
  const bundle = join(repoRoot, 'actions/regression-check/dist/index.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing; run npm run build -w @model-cicd/regression-check first.`);
  const dir = await mkdtemp(join(tmpdir(), 'bench-regression-check-'));
  const rows: BenchRow[] = [];
  const record = (row: BenchRow) => {
    rows.push(row);
    console.log(`${row.name}: ${Number.isFinite(row.milliseconds) ? `${row.milliseconds.toFixed(0)} ms` : '–'}${row.note ? ` (${row.note})` : ''}`);
  };
  const withScipy = scipyAvailable();
  try {
    const bareNode = median(Array.from({ length: REPEATS }, () => timeProcess(process.execPath, ['-e', ''])));
    const coldStarts: number[] = [];
    for (let i = 0; i < REPEATS; i++) coldStarts.push((await timeAction({ baseline: '[1, 2, 3, 4]', current: '[1, 2, 3, 4]' }, dir)).ms);
    const coldStart = median(coldStarts);
    record({
      name: 'regression-check bundle cold start (2 x 4 inline values)',
      milliseconds: coldStart,
      note: `bare node -e '': ${bareNode.toFixed(0)} ms; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
    });

    for (const size of SIZES) {
      const baseline = join(dir, `baseline-${size}.txt`);
      const current = join(dir, `current-${size}.txt`);
      await writeFile(baseline, latencies(size, 100, 1));
      await writeFile(current, latencies(size, 101, 2));
      const label = `2 x ${size.toLocaleString('en-US')}`;
      // Node and Python runs alternate, so a busy machine slows both alike and the ratio stays fair.
      const nodeTimes: number[] = [];
      const pythonTimes: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const { ms, exitCode, stderr } = await timeAction({ baseline, current, 'fail-on-regression': 'false' }, dir);
        if (exitCode !== 0) throw new Error(`the action failed on ${label} values: ${stderr}`);
        nodeTimes.push(ms);
        if (withScipy) pythonTimes.push(timeProcess(PYTHON, ['-c', PYTHON_SCRIPT, baseline, current]));
      }
      const nodeMs = median(nodeTimes);
      record({ name: `regression-check whole process, ${label} values (files)`, milliseconds: nodeMs, note: 'load + all tests, CIs, Hodges–Lehmann, trend, summary, report' });
      if (withScipy) {
        const pythonMs = median(pythonTimes);
        record({
          name: `python3 numpy+scipy ttest_ind+mannwhitneyu, ${label} values`,
          milliseconds: pythonMs,
          note: `node/python whole-process ratio ${(nodeMs / pythonMs).toFixed(2)}`,
        });
      }
    }
    if (!withScipy) record({ name: 'python3 + scipy comparison', milliseconds: NaN, note: `skipped: ${PYTHON} with scipy not found (apt-get install python3-scipy)` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRegressionCheck();
