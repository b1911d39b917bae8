// The Prometheus client against a real Prometheus loaded with synthetic series.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { PrometheusError, queryRange, samplesInTimeOrder } from '@model-cicd/core/prometheus';
import { freePort, openMetricsText, prometheusInstalled, startPrometheus, type RunningPrometheus } from '../servers/prometheus.ts';

const T0 = 1_780_000_000;
const minutes = (n: number) => Array.from({ length: n }, (_, i) => T0 + i * 60);

(prometheusInstalled() ? describe : describe.skip)('Prometheus client (real Prometheus)', () => {
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetrics: openMetricsText([
        { metric: 'latency_seconds', labels: { track: 'baseline', pod: 'a' }, samples: minutes(30).map((t, i) => [t, 0.1 + i / 1000]) },
        { metric: 'latency_seconds', labels: { track: 'baseline', pod: 'b' }, samples: minutes(30).map((t, i) => [t, 0.2 + i / 1000]) },
        { metric: 'ratio', labels: { track: 'canary' }, samples: minutes(5).map((t, i) => [t, i === 2 ? NaN : i]) },
      ]),
    });
  });
  afterAll(async () => prometheus?.stop());

  const window = { start: T0, end: T0 + 29 * 60, step: 60 };

  test('returns every series, and samples merge them in time order', async () => {
    const series = await queryRange({ url: prometheus.url }, { query: 'latency_seconds{track="baseline"}', ...window });
    expect(series.map((s) => s.labels.pod).sort()).toEqual(['a', 'b']);
    expect(series.every((s) => s.points.length === 30)).toBe(true);
    const { values } = samplesInTimeOrder(series);
    expect(values).toHaveLength(60);
    const a = series.find((s) => s.labels.pod === 'a')!;
    const b = series.find((s) => s.labels.pod === 'b')!;
    expect(values.slice(0, 2).sort()).toEqual([a.points[0][1], b.points[0][1]].sort());
    expect(values[59]).toBeCloseTo(Math.max(a.points[29][1], b.points[29][1]));
  });

  test('drops NaN points and counts them', async () => {
    const series = await queryRange({ url: prometheus.url }, { query: 'ratio', start: T0, end: T0 + 240, step: 60 });
    expect(samplesInTimeOrder(series)).toEqual({ values: [0, 1, 3, 4], nonFiniteDropped: 1 });
  });

  test('an empty result is an empty list, not an error', async () => {
    expect(await queryRange({ url: prometheus.url }, { query: 'latency_seconds{track="nope"}', ...window })).toEqual([]);
  });

  test('bad PromQL carries the text Prometheus gave', async () => {
    const failure = queryRange({ url: prometheus.url }, { query: 'rate(latency_seconds[5m]', ...window });
    await expect(failure).rejects.toThrow(PrometheusError);
    await expect(failure).rejects.toThrow(/^Prometheus rejected the query: .*parse error/);
  });

  test('a base URL with a trailing slash works', async () => {
    expect(await queryRange({ url: `${prometheus.url}/` }, { query: 'ratio', start: T0, end: T0 + 60, step: 60 })).toHaveLength(1);
  });
});

test('an unreachable server names the URL', async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const failure = queryRange({ url, timeoutMs: 2000 }, { query: 'up', start: T0, end: T0 + 60, step: 15 });
  await expect(failure).rejects.toMatchObject({ kind: 'unreachable' });
  await expect(failure).rejects.toThrow(`cannot reach Prometheus at ${url} (ECONNREFUSED)`);
});

test('a URL that is not http(s) is refused before any request', async () => {
  await expect(queryRange({ url: 'prometheus:9090' }, { query: 'up', start: 0, end: 1, step: 1 })).rejects.toThrow("'prometheus:9090' is not an http(s) URL");
});

describeWithAuthServer();

function describeWithAuthServer() {
  // Auth headers are checked on a tiny local endpoint that records them: the Debian Prometheus has no auth.
  let server: Server;
  let url = '';
  const seen: (string | undefined)[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      const ok = request.headers.authorization !== undefined;
      response.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(ok ? { status: 'success', data: { resultType: 'matrix', result: [] } } : { status: 'error' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('sends bearer or basic credentials, and explains a 401', async () => {
    const range = { query: 'up', start: 0, end: 60, step: 15 };
    await queryRange({ url, auth: { bearerToken: 's3cret' } }, range);
    await queryRange({ url, auth: { username: 'user', password: 'pw' } }, range);
    expect(seen).toEqual(['Bearer s3cret', `Basic ${Buffer.from('user:pw').toString('base64')}`]);
    await expect(queryRange({ url }, range)).rejects.toThrow(/refused the request \(HTTP 401\); check the bearer token/);
  });
}
