import { describe, expect, it } from '@jest/globals';
import { backoffDelayMs, DEFAULT_BACKOFF, isRetryableStatus, retryAfterMs } from './retry.ts';

const headers = (values: Record<string, string>) => new Headers(values);

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds, HTTP dates and retry-after-ms (which wins)', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now)).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after': '3', 'retry-after-ms': '250' }), now)).toBe(250);
  });
  it('ignores absent or garbage values', () => {
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after-ms': 'x', 'retry-after': '2' }), now)).toBe(2000);
  });
});

describe('backoffDelayMs', () => {
  const policy = { ...DEFAULT_BACKOFF, baseDelayMs: 100, maxDelayMs: 1000 };
  it('grows exponentially under full jitter and is capped', () => {
    expect(backoffDelayMs(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBe(399);
    expect(backoffDelayMs(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });
  it('treats a server-requested wait as a floor, even above the cap', () => {
    expect(backoffDelayMs(1, policy, () => 0.5, 5000)).toBe(5000);
    expect(backoffDelayMs(4, policy, () => 0.999, 10)).toBe(799);
  });
});

it('retries rate limits, timeouts and server errors only', () => {
  expect([408, 429, 500, 502, 503, 599].every(isRetryableStatus)).toBe(true);
  expect([400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
});
