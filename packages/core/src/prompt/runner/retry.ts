// When to try a provider call again. Pure: header values and clocks come in, milliseconds come out.

export interface BackoffPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000 };

/** 429 (rate limited), 408 and 5xx are worth retrying; other 4xx are our request's fault and will not change. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status <= 599);

/**
 * The server's requested wait in ms, from `retry-after-ms` (OpenAI and Azure send it) or `Retry-After`
 * (seconds or an HTTP date, RFC 9110 §10.2.3). Undefined when absent or unparseable.
 */
export function retryAfterMs(headers: { get(name: string): string | null }, nowMs: number): number | undefined {
  const exact = headers.get('retry-after-ms');
  if (exact !== null && /^\s*\d+(\.\d+)?\s*$/.test(exact)) return Number(exact);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): a uniform
 * draw in [0, min(max, base·2^(attempt-1))]. A server-requested wait is honoured as a floor, even above the cap,
 * since retrying earlier would only be rejected again.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number, requestedMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return requestedMs === undefined ? jittered : Math.max(requestedMs, jittered);
}
