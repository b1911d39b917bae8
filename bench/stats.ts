// In-process timings of the full statistics analysis (all tests, intervals, Hodges–Lehmann, trend).

import { analyzeMetric } from '../packages/core/src/stats/index.ts';
import { seededNormal } from '../test/harness/seeded-random.ts';

/** Deterministic standard normals (mulberry32 + Box–Muller), so every run times the same data. */
function normalSamples(count: number, center: number, spread: number, seed: number): Float64Array {
  const normal = seededNormal(seed);
  const values = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    values[index] = center + spread * normal();
  }
  return values;
}

export interface StatsTiming {
  /** Values per sample. */
  size: number;
  /** Wall-clock time of one analyzeMetric call. */
  milliseconds: number;
  /** CPU time (user + system) of the same call: steadier than wall time on a shared machine. */
  cpuMilliseconds: number;
}

function cpuMilliseconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export async function benchStats(): Promise<StatsTiming[]> {
  const timings: StatsTiming[] = [];
  for (const size of [1_000, 1_000_000]) {
    const baseline = normalSamples(size, 100, 15, 1);
    const current = normalSamples(size, 101, 15, 2);
    // Like the action, the first analysis runs cold: no warm-up beyond loading the module.
    const cpuStarted = cpuMilliseconds();
    const started = performance.now();
    const analysis = analyzeMetric('latency_ms', baseline, current);
    const milliseconds = performance.now() - started;
    const cpu = cpuMilliseconds() - cpuStarted;
    timings.push({ size, milliseconds, cpuMilliseconds: cpu });
    console.log(
      `stats in-process, 2 x ${size.toLocaleString('en-US')} values: ${milliseconds.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU ` +
        `(all tests, CIs, Hodges-Lehmann, trend; regression=${analysis.regression})`,
    );
  }
  return timings;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStats();
