// A real Prometheus (the Debian package) for tests: synthetic series are backfilled with promtool before the
// server starts, so they are queryable at once and carry the timestamps the test chose.
//
// API (stable; gradual-rollout and others reuse it):
//   const prometheus = await startPrometheus({ openMetrics: openMetricsText([{ metric, labels, samples }]) });
//   ... query prometheus.url with start/end INSIDE the samples' time range ...
//   await prometheus.stop();                       // kills the server and removes its data dir
//   (prometheusInstalled() ? describe : describe.skip)('...', ...)   // CI=true: throws when missing, never skips
// No jest import here, so scripts outside jest can start a Prometheus too.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLocalServer } from './local-process.ts';

const execFileAsync = promisify(execFile);

export interface SyntheticSeries {
  /** Metric name; a counter's name must end in `_total`. */
  metric: string;
  labels?: Record<string, string>;
  /** [unix SECONDS, value] pairs, in time order. */
  samples: [number, number][];
  type?: 'gauge' | 'counter';
}

export interface RunningPrometheus {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** OpenMetrics text ending in `# EOF` (see openMetricsText). */
  openMetrics: string;
  /** Extra server flags, e.g. ['--web.enable-admin-api']. */
  extraArgs?: string[];
}

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

/** Both binaries exist (Debian: apt-get install prometheus). */
export const prometheusBinaries = (): boolean => existsSync(PROMETHEUS) && existsSync(PROMTOOL);

/**
 * Whether the real-Prometheus tests can run. When the binaries are missing: with CI=true it throws (a missing
 * real component must never pass silently in CI); otherwise it prints why the tests are skipped and returns false.
 */
export function prometheusInstalled(): boolean {
  if (prometheusBinaries()) return true;
  const missing = `${PROMETHEUS} or ${PROMTOOL} is missing; install them with: apt-get install -y prometheus`;
  if (process.env.CI === 'true') throw new Error(`${missing} (CI=true: real-Prometheus tests must run)`);
  console.warn(`SKIPPING real-Prometheus tests: ${missing}`);
  return false;
}

/** OpenMetrics text for promtool: one `# TYPE` per metric, timestamps in seconds, closing `# EOF`. */
export function openMetricsText(series: readonly SyntheticSeries[]): string {
  const byMetric = new Map<string, SyntheticSeries[]>();
  for (const s of series) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s]);
  const lines: string[] = [];
  for (const [metric, group] of byMetric) {
    const type = group[0].type ?? (metric.endsWith('_total') ? 'counter' : 'gauge');
    const family = type === 'counter' ? metric.replace(/_total$/, '') : metric;
    lines.push(`# TYPE ${family} ${type}`);
    for (const s of group) {
      const labels = Object.entries(s.labels ?? {})
        .map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',');
      const name = labels ? `${metric}{${labels}}` : metric;
      for (const [time, value] of s.samples) lines.push(`${name} ${formatValue(value)} ${time}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

const formatValue = (value: number): string => (Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : String(value));

export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'prometheus-test-'));
  const dataDir = join(dir, 'data');
  const seriesFile = join(dir, 'series.om');
  const configFile = join(dir, 'prometheus.yml');
  try {
    await writeFile(seriesFile, options.openMetrics);
    await writeFile(configFile, 'global: {scrape_interval: 15s, evaluation_interval: 15s}\nscrape_configs: []\n');
    await execFileAsync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', seriesFile, dataDir], { timeout: 60_000 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return startLocalServer('prometheus', PROMETHEUS, dir, (port) => [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    // Fixtures carry old timestamps; the default 15-day retention would delete them at start.
    '--storage.tsdb.retention.time=100y',
    `--web.listen-address=127.0.0.1:${port}`,
    ...(options.extraArgs ?? []),
  ]);
}

export { freePort } from './local-process.ts';
