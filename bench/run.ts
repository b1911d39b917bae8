// `npm run bench`: runs every benchmark module present and prints one table. Not part of jest: timings
// depend on the machine and are reported, never asserted.
import { existsSync } from 'node:fs';

interface Row {
  benchmark: string;
  milliseconds: number;
  note: string;
}

interface Module {
  file: string;
  run: () => Promise<Row[]>;
}

const here = new URL('.', import.meta.url);

const MODULES: Module[] = [
  {
    file: 'stats.ts',
    run: async () => {
      const { benchStats } = (await import(new URL('stats.ts', here).href)) as { benchStats: () => Promise<{ size: number; milliseconds: number }[]> };
      return (await benchStats()).map((t) => ({
        benchmark: `stats analyzeMetric in-process, 2 x ${t.size.toLocaleString('en-US')} values`,
        milliseconds: t.milliseconds,
        note: 'all tests, CIs, Hodges–Lehmann, trend',
      }));
    },
  },
  {
    file: 'regression-check.ts',
    run: async () => {
      const { benchRegressionCheck } = (await import(new URL('regression-check.ts', here).href)) as typeof import('./regression-check.ts');
      return (await benchRegressionCheck()).map((row) => ({ benchmark: row.name, milliseconds: row.milliseconds, note: row.note ?? '' }));
    },
  },
];

const rows: Row[] = [];
for (const module of MODULES) {
  if (!existsSync(new URL(module.file, here))) {
    console.log(`(bench/${module.file} not present: skipped)`);
    continue;
  }
  console.log(`running bench/${module.file} ...`);
  rows.push(...(await module.run()));
}

const format = (ms: number) => (Number.isFinite(ms) ? `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)} ms` : '–');
const widths = [Math.max(9, ...rows.map((r) => r.benchmark.length)), Math.max(4, ...rows.map((r) => format(r.milliseconds).length))];
console.log(`\n${'benchmark'.padEnd(widths[0])}  ${'time'.padStart(widths[1])}  note`);
console.log(`${'-'.repeat(widths[0])}  ${'-'.repeat(widths[1])}  ----`);
for (const row of rows) console.log(`${row.benchmark.padEnd(widths[0])}  ${format(row.milliseconds).padStart(widths[1])}  ${row.note}`);
