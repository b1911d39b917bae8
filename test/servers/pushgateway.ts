// A real Pushgateway (the Debian package, binary prometheus-pushgateway) for tests, on a free loopback port,
// with no persistence file (the Debian default would write /var/lib/prometheus/pushgateway.data on exit and leak
// state between runs) and the admin API on, so tests can wipe it.
//
// API:
//   const pushgateway = await startPushgateway();
//   ... push to pushgateway.url, read await pushgateway.metrics() (GET /api/v1/metrics) ...
//   await pushgateway.wipe();   // PUT /api/v1/admin/wipe
//   await pushgateway.stop();
//   (pushgatewayInstalled() ? describe : describe.skip)('...', ...)   // CI=true: throws when missing, never skips
// No jest import here, so scripts outside jest can start one too.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from './local-process.ts';

const PUSHGATEWAY = process.env.PUSHGATEWAY_BIN ?? '/usr/bin/prometheus-pushgateway';

/** One metric family of a group, as GET /api/v1/metrics returns it (`type` upper-case, e.g. GAUGE). */
export interface PushedFamily {
  type: string;
  help: string;
  metrics: { labels: Record<string, string>; value: string }[];
}

/** One group (job plus grouping key) with its families, keyed by metric name, and the Pushgateway's own labels. */
export interface PushedGroup {
  labels: Record<string, string>;
  families: Record<string, PushedFamily>;
}

export interface RunningPushgateway {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every group the Pushgateway holds. */
  groups(): Promise<PushedGroup[]>;
  wipe(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Whether the real-Pushgateway tests can run. When the binary is missing: with CI=true it throws (a missing real
 * component must never pass silently in CI); otherwise it prints why the tests are skipped and returns false.
 */
export function pushgatewayInstalled(): boolean {
  if (existsSync(PUSHGATEWAY)) return true;
  const missing = `${PUSHGATEWAY} is missing; install it with: apt-get install -y prometheus-pushgateway`;
  if (process.env.CI === 'true') throw new Error(`${missing} (CI=true: real-Pushgateway tests must run)`);
  console.warn(`SKIPPING real-Pushgateway tests: ${missing}`);
  return false;
}

export async function startPushgateway(): Promise<RunningPushgateway> {
  const dir = await mkdtemp(join(tmpdir(), 'pushgateway-test-'));
  const server = await startLocalServer('prometheus-pushgateway', PUSHGATEWAY, dir, (port) => [
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-admin-api',
    '--persistence.file=',
  ]);
  return {
    ...server,
    groups: () => readGroups(server.url),
    wipe: async () => {
      const response = await fetch(`${server.url}/api/v1/admin/wipe`, { method: 'PUT' });
      if (!response.ok) throw new Error(`wiping the Pushgateway failed: HTTP ${response.status} ${await response.text()}`);
    },
  };
}

interface ApiGroup {
  labels: Record<string, string>;
  [metricName: string]: unknown;
}

async function readGroups(url: string): Promise<PushedGroup[]> {
  const response = await fetch(`${url}/api/v1/metrics`);
  const payload = (await response.json()) as { status: string; data: ApiGroup[] };
  if (payload.status !== 'success') throw new Error(`GET /api/v1/metrics answered ${JSON.stringify(payload)}`);
  // Besides `labels` and the families, a group carries scalars such as `last_push_successful`.
  const isFamily = (value: unknown): value is PushedFamily & { time_stamp: string } =>
    typeof value === 'object' && value !== null && Array.isArray((value as { metrics?: unknown }).metrics);
  return payload.data.map(({ labels, ...entries }) => ({
    labels,
    families: Object.fromEntries(
      Object.entries(entries)
        .filter((entry): entry is [string, PushedFamily & { time_stamp: string }] => isFamily(entry[1]))
        .map(([name, { type, help, metrics }]) => [name, { type, help, metrics: metrics.map(({ labels, value }) => ({ labels, value })) }]),
    ),
  }));
}

