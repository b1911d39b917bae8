// A small Pushgateway client: PUT replaces the whole group (job plus grouping key), POST replaces only the
// metric families it sends. Errors name the URL and say what to check.
import { isValidLabelName } from './exposition.ts';
import { authorizationHeaders, fetchFailure, type HttpCredentials } from '../http/index.ts';

export class PushgatewayError extends Error {
  readonly kind: 'invalid' | 'unreachable' | 'timeout' | 'http';
  constructor(kind: PushgatewayError['kind'], message: string) {
    super(message);
    this.name = 'PushgatewayError';
    this.kind = kind;
  }
}

export interface PushgatewayAuth {
  bearer?: string;
  basic?: { username: string; password: string };
}

const toCredentials = (auth: PushgatewayAuth | undefined): HttpCredentials | undefined =>
  auth && { bearerToken: auth.bearer, username: auth.basic?.username, password: auth.basic?.password };

export interface PushOptions {
  /** Base URL, e.g. http://pushgateway.monitoring:9091 (a path prefix is kept). */
  url: string;
  job: string;
  /** Labels that, with the job, identify the group a PUT replaces. */
  grouping: Record<string, string>;
  /** Exposition text (see renderExposition). */
  text: string;
  auth?: PushgatewayAuth;
  method: 'PUT' | 'POST';
  timeoutMs: number;
}

export interface PushResult {
  /** The group's URL the metrics went to. */
  url: string;
  status: number;
}

/** Checks that `text` is an http(s) URL and returns it parsed (with a trailing slash, so paths append). */
export function parsePushgatewayBase(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.endsWith('/') ? text : `${text}/`);
  } catch {
    throw new PushgatewayError('invalid', `'${text}' is not a URL; write it like http://pushgateway.monitoring:9091.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PushgatewayError('invalid', `'${text}' is not an http(s) URL; write it like http://pushgateway.monitoring:9091.`);
  }
  if (url.search || url.hash) throw new PushgatewayError('invalid', `'${text}' has a query or fragment; give only the Pushgateway's base URL.`);
  return url;
}

/**
 * One path segment pair. A value with `/` cannot be a plain segment (even encoded, proxies and the Pushgateway's
 * router treat %2F as a separator), and an empty one would vanish, so both use the documented
 * `<label>@base64/<base64url value>` form; an empty value is `@base64/=`.
 */
function groupingSegment(label: string, value: string): string {
  if (value === '') return `${label}@base64/=`;
  if (value.includes('/')) return `${label}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${label}/${encodeURIComponent(value)}`;
}

/** `<base>/metrics/job/<job>/<label>/<value>...`, with labels in sorted order so one group has one URL. */
export function groupUrl(base: string, job: string, grouping: Record<string, string>): URL {
  if (job === '') throw new PushgatewayError('invalid', 'the job name is empty; the Pushgateway needs one.');
  const segments = [groupingSegment('job', job)];
  for (const label of Object.keys(grouping).sort()) {
    if (!isValidLabelName(label)) throw new PushgatewayError('invalid', `'${label}' is not a valid grouping label name (letters, digits and _, not starting with a digit or __).`);
    if (label === 'job') throw new PushgatewayError('invalid', "'job' cannot be a grouping label; it is the job name already.");
    segments.push(groupingSegment(label, grouping[label]));
  }
  return new URL(`metrics/${segments.join('/')}`, parsePushgatewayBase(base));
}

export async function pushMetrics(options: PushOptions): Promise<PushResult> {
  const url = groupUrl(options.url, options.job, options.grouping);
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method,
      headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', ...authorizationHeaders(toCredentials(options.auth)) },
      body: options.text,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw connectionError(error, options.url, options.timeoutMs);
  }
  const body = await response.text().catch(() => '');
  if (!response.ok) {
    const detail = body.trim().slice(0, 500);
    const hint = response.status === 401 || response.status === 403 ? '; check the token' : response.status === 404 ? '; is this the Pushgateway base URL (without /metrics)?' : '';
    throw new PushgatewayError('http', `the Pushgateway at ${options.url} answered HTTP ${response.status} to ${options.method} ${url.pathname}${detail ? `: ${detail}` : ''}${hint}`);
  }
  return { url: url.toString(), status: response.status };
}

function connectionError(error: unknown, url: string, timeoutMs: number): PushgatewayError {
  const failure = fetchFailure(error);
  if (failure.kind === 'timeout') {
    return new PushgatewayError('timeout', `the Pushgateway at ${url} did not answer within ${timeoutMs / 1000} s`);
  }
  return new PushgatewayError('unreachable', `cannot reach the Pushgateway at ${url} (${failure.reason}); check the URL and that this runner can reach it`);
}
