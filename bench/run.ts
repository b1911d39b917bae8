// `npm run bench`: runs every benchmark module in bench/ (each exports an async `bench…()` function returning
// rows of { name, milliseconds, note? }) and prints one table. Not part of jest: timings depend on the
// machine and are reported, never asserted.
import { readdirSync } from 'node:fs';

interface Row {
  benchmark: string;
  milliseconds: number;
  note: string;
}

type BenchFunction = () => Promise<unknown[]> | unknown[];

const here = new URL('.', import.meta.url);
const modules = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.d.ts'))
  .sort();

/** Rows as the modules return them; bench/stats.ts reports `size` instead of a name. */
function toRow(file: string, raw: unknown): Row {
  const row = raw as { name?: string; size?: number; milliseconds?: number; cpuMilliseconds?: number; note?: string };
  const benchmark =
    row.name ?? (row.size !== undefined ? `${file.replace(/\.ts$/, '')} in-process, 2 x ${row.size.toLocaleString('en-US')} values` : file);
  const cpu = row.cpuMilliseconds !== undefined ? `CPU ${row.cpuMilliseconds.toFixed(0)} ms; ` : '';
  const note = cpu + (row.note ?? (file === 'stats.ts' ? 'analyzeMetric: all tests, CIs, Hodges–Lehmann, trend' : ''));
  return { benchmark, milliseconds: row.milliseconds ?? NaN, note };
}

const rows: Row[] = [];
const failures: string[] = [];
for (const file of modules) {
  const module = (await import(new URL(file, here).href)) as Record<string, unknown>;
  const benches = Object.entries(module).filter(([name, value]) => /^bench[A-Z]/.test(name) && typeof value === 'function');
  for (const [name, bench] of benches) {
    console.log(`running ${name}() from bench/${file} ...`);
    try {
      rows.push(...(await (bench as BenchFunction)()).map((row) => toRow(file, row)));
    } catch (error) {
      failures.push(`${name}() in bench/${file}: ${(error as Error).message}`);
    }
  }
}

const format = (ms: number) => (Number.isFinite(ms) ? `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)} ms` : '–');
const widths = [Math.max(9, ...rows.map((r) => r.benchmark.length)), Math.max(4, ...rows.map((r) => format(r.milliseconds).length))];
console.log(`\n${'benchmark'.padEnd(widths[0])}  ${'time'.padStart(widths[1])}  note`);
console.log(`${'-'.repeat(widths[0])}  ${'-'.repeat(widths[1])}  ----`);
for (const row of rows) console.log(`${row.benchmark.padEnd(widths[0])}  ${format(row.milliseconds).padStart(widths[1])}  ${row.note}`);
if (failures.length > 0) {
  console.error(`\nFailed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  process.exitCode = 1;
}
