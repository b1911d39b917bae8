// A small client for Prometheus's HTTP query API (range queries), with errors a workflow author can act on.
import { authorizationHeaders, fetchFailure, type HttpCredentials } from '../http/index.ts';

/** A failed request to Prometheus. `kind` lets callers decide which input to blame. */
export class PrometheusError extends Error {
  readonly kind: 'bad-query' | 'unreachable' | 'timeout' | 'auth' | 'http';
  constructor(kind: PrometheusError['kind'], message: string) {
    super(message);
    this.name = 'PrometheusError';
    this.kind = kind;
  }
}

export type PrometheusAuth = HttpCredentials;

export interface PrometheusConnection {
  /** Base URL, e.g. http://prometheus:9090 or https://example.org/prometheus (a path prefix is kept). */
  url: string;
  auth?: PrometheusAuth;
  timeoutMs?: number;
}

export interface RangeQuery {
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  /** Resolution in seconds. */
  step: number;
}

export interface Series {
  labels: Record<string, string>;
  /** [unix seconds, value] in time order, as Prometheus returns them (values may be NaN or ±Inf). */
  points: [number, number][];
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export async function queryRange(connection: PrometheusConnection, range: RangeQuery): Promise<Series[]> {
  const endpoint = apiUrl(connection.url, 'api/v1/query_range');
  const body = new URLSearchParams({ query: range.query, start: String(range.start), end: String(range.end), step: String(range.step) });
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...authorizationHeaders(connection.auth) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw connectionError(error, connection.url, timeoutMs);
  }
  const text = await response.text();
  const payload = parsePayload(text);
  if (!response.ok || payload?.status !== 'success') throw responseError(response.status, payload, text, connection.url);
  return toSeries(payload.data);
}

interface ApiPayload {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

function parsePayload(text: string): ApiPayload | undefined {
  try {
    return JSON.parse(text) as ApiPayload;
  } catch {
    return undefined;
  }
}

function toSeries(data: ApiPayload['data']): Series[] {
  if (data?.resultType !== 'matrix' || !Array.isArray(data.result)) {
    throw new PrometheusError('http', `Prometheus answered a range query with '${data?.resultType}' data instead of a matrix; is the URL a Prometheus-compatible API?`);
  }
  return (data.result as { metric: Record<string, string>; values?: [number, string][] }[]).map((series) => ({
    labels: series.metric ?? {},
    points: (series.values ?? []).map(([time, value]) => [time, Number(value)] as [number, number]),
  }));
}

/**
 * The values of every series, merged in time order (ties keep series order), without NaN and ±Inf, which
 * Prometheus returns e.g. for 0/0 ratios and which no test can use.
 */
export function samplesInTimeOrder(series: readonly Series[]): { values: number[]; nonFiniteDropped: number } {
  const points: { time: number; order: number; value: number }[] = [];
  let nonFiniteDropped = 0;
  series.forEach((s, seriesIndex) => {
    for (const [time, value] of s.points) {
      if (Number.isFinite(value)) points.push({ time, order: seriesIndex, value });
      else nonFiniteDropped++;
    }
  });
  points.sort((a, b) => a.time - b.time || a.order - b.order);
  return { values: points.map((p) => p.value), nonFiniteDropped };
}

export function apiUrl(base: string, path: string): URL {
  let url: URL;
  try {
    url = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new PrometheusError('unreachable', `'${base}' is not a URL; write it like http://prometheus.monitoring:9090.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PrometheusError('unreachable', `'${base}' is not an http(s) URL; write it like http://prometheus.monitoring:9090.`);
  }
  return new URL(path, url);
}

function connectionError(error: unknown, url: string, timeoutMs: number): PrometheusError {
  const failure = fetchFailure(error);
  if (failure.kind === 'timeout') {
    return new PrometheusError('timeout', `Prometheus at ${url} did not answer within ${timeoutMs / 1000} s; check the URL and the server's load, or raise the timeout.`);
  }
  return new PrometheusError(
    'unreachable',
    `cannot reach Prometheus at ${url} (${failure.reason}); check the URL, that the server runs, and that this runner can reach it (self-hosted runners inside the network, or a tunnel).`,
  );
}

function responseError(status: number, payload: ApiPayload | undefined, text: string, url: string): PrometheusError {
  if (status === 401 || status === 403) {
    return new PrometheusError('auth', `Prometheus at ${url} refused the request (HTTP ${status}); check the bearer token or username/password.`);
  }
  if (payload?.error && (status === 400 || status === 422 || payload.errorType === 'bad_data')) {
    return new PrometheusError('bad-query', `Prometheus rejected the query: ${payload.error}`);
  }
  const detail = payload?.error ?? text.trim().slice(0, 200);
  return new PrometheusError('http', `Prometheus at ${url} answered HTTP ${status}${detail ? `: ${detail}` : ''}; is this the Prometheus base URL (without /api/v1)?`);
}
