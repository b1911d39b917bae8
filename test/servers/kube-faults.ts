// Fault injection shared by the fake API server and the fault proxy in front of the real one: which requests
// fail (seeded rate or n-th request) and what a failing request gets.
import { seededUniform } from '../harness/seeded-random.ts';

/**
 * conflict (409), throttle (429 with Retry-After: 0), server-error (500): answered instead of the request.
 * reset: the connection is cut before the request is handled. timeout: never answered.
 * lost-response: the request IS handled, then the connection is cut (the client cannot know it succeeded).
 */
export type FaultKind = 'conflict' | 'throttle' | 'server-error' | 'reset' | 'timeout' | 'lost-response';

export interface FaultRule {
  fault: FaultKind;
  /** Probability (0..1) per matching request, drawn from the seeded generator. */
  rate?: number;
  /** 1-based request numbers (counted since the last resetCounters) that get the fault. */
  onRequests?: number[];
  /** Only requests with this method (GET, PUT, PATCH, POST, DELETE). */
  method?: string;
  /** Only requests whose path matches. */
  path?: RegExp;
  /** Stop after injecting this many times. */
  times?: number;
}

export interface RecordedRequest {
  number: number;
  method: string;
  path: string;
  contentType?: string;
  fault?: FaultKind;
}

/** Seeded uniform numbers in [0, 1), to pick which requests fail. */
export const seededRandom = seededUniform;

export const statusBody = (code: number, reason: string, message: string, details?: object) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

export class FaultInjector {
  private rules: Array<FaultRule & { injected: number }> = [];
  private random = seededRandom(1);
  requests: RecordedRequest[] = [];

  set(rules: FaultRule[], seed = 1): void {
    this.rules = rules.map((rule) => ({ ...rule, injected: 0 }));
    this.random = seededRandom(seed);
  }

  clear(): void {
    this.rules = [];
  }

  /** Records the request and decides its fault. */
  record(method: string, path: string, contentType?: string): RecordedRequest {
    const request: RecordedRequest = { number: this.requests.length + 1, method, path, contentType };
    this.requests.push(request);
    for (const rule of this.rules) {
      if (rule.times !== undefined && rule.injected >= rule.times) continue;
      if (rule.method && rule.method !== method) continue;
      if (rule.path && !rule.path.test(path)) continue;
      const hit = rule.onRequests ? rule.onRequests.includes(request.number) : this.random() < (rule.rate ?? 0);
      if (hit) {
        rule.injected++;
        request.fault = rule.fault;
        break;
      }
    }
    return request;
  }
}

/** The answer of a fault that replaces the response, or undefined for faults that cut or hold the connection. */
export function injectedAnswer(fault: FaultKind | undefined): { code: number; body: object; headers: Record<string, string> } | undefined {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (fault) {
    case 'conflict':
      return { code: 409, body: statusBody(409, 'Conflict', 'Operation cannot be fulfilled: the object has been modified (injected)'), headers };
    case 'throttle':
      return { code: 429, body: statusBody(429, 'TooManyRequests', 'Too many requests, please try again later. (injected)', { retryAfterSeconds: 0 }), headers: { ...headers, 'retry-after': '0' } };
    case 'server-error':
      return { code: 500, body: statusBody(500, 'InternalError', 'Internal error occurred: injected'), headers };
    default:
      return undefined;
  }
}
