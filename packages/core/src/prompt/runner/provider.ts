// Model providers. `none` answers nothing (prompt-side checks only, no key, safe on fork pull requests);
// `openai-compatible` POSTs to {base-url}/chat/completions of any OpenAI-compatible endpoint.
import type { CompletionRequest } from './cache.ts';
import { backoffDelayMs, type BackoffPolicy, DEFAULT_BACKOFF, isRetryableStatus, retryAfterMs } from './retry.ts';
import type { TokenUsage } from './pricing.ts';

export type ProviderName = 'none' | 'openai-compatible';
export const PROVIDER_NAMES: readonly ProviderName[] = ['none', 'openai-compatible'];

export interface Completion {
  text: string;
  usage: TokenUsage;
  latencyMs: number;
  /** Requests made, including retries. */
  attempts: number;
}

export type ProviderErrorKind = 'timeout' | 'budget' | 'http' | 'malformed' | 'network';

/** A call that gave no usable answer. The message says what the provider did and what to do about it. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly attempts: number;
  readonly status?: number;
  constructor(kind: ProviderErrorKind, message: string, attempts: number, status?: number) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.attempts = attempts;
    this.status = status;
  }
}

export interface CompletionProvider {
  readonly model: string;
  /**
   * Resolves with an answer or rejects with a ProviderError. Each HTTP attempt is aborted after
   * `attemptTimeoutMs` (the case then times out, without a retry); `signal` aborts everything (the run's budget).
   */
  complete(request: CompletionRequest, signal: AbortSignal, attemptTimeoutMs?: number): Promise<Completion>;
}

/** Time as a dependency, so retry waits are testable without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: Math.random,
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface OpenAiCompatibleOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  backoff?: BackoffPolicy;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Estimates tokens when the server omits `usage` (some local servers do). */
  estimateTokens?: (text: string) => number;
}

/** Why a signal aborted, for the error: the per-case timeout or the run's total budget. */
export class AbortReason extends Error {
  readonly kind: 'timeout' | 'budget';
  constructor(kind: 'timeout' | 'budget', message: string) {
    super(message);
    this.kind = kind;
  }
}

export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): CompletionProvider {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? fetch;
  const estimate = options.estimateTokens ?? ((text: string) => Math.ceil(text.length / 4));

  const abortError = (signal: AbortSignal, attempts: number): ProviderError => {
    const reason = signal.reason;
    if (reason instanceof AbortReason) return new ProviderError(reason.kind, reason.message, attempts);
    return new ProviderError('timeout', 'the request was aborted', attempts);
  };

  return {
    model: options.model,
    async complete(request, signal, attemptTimeoutMs) {
      const body = JSON.stringify({ ...request.parameters, model: request.model, messages: request.messages });
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      let lastProblem = '';
      for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
        if (signal.aborted) throw abortError(signal, attempt - 1);
        const started = clock.now();
        const attemptSignal = withTimeout(signal, attemptTimeoutMs);
        let response: Response;
        let text: string;
        try {
          response = await doFetch(endpoint, { method: 'POST', headers, body, signal: attemptSignal.signal });
          text = await response.text();
        } catch (error) {
          if (attemptSignal.signal.aborted) throw abortError(attemptSignal.signal, attempt);
          lastProblem = `could not reach ${endpoint}: ${describeNetworkError(error)}`;
          if (attempt === policy.maxAttempts) break;
          await waitOrAbort(clock, backoffDelayMs(attempt, policy, clock.random), signal, attempt);
          continue;
        } finally {
          attemptSignal.clear();
        }
        const latencyMs = clock.now() - started;
        if (response.ok) return parseCompletion(text, response.status, latencyMs, attempt, request, estimate);
        lastProblem = `HTTP ${response.status} from ${endpoint}${errorDetail(text)}`;
        if (!isRetryableStatus(response.status)) {
          throw new ProviderError('http', `${lastProblem}${fixFor(response.status)}`, attempt, response.status);
        }
        if (attempt === policy.maxAttempts) {
          throw new ProviderError('http', `${lastProblem} after ${attempt} attempts`, attempt, response.status);
        }
        const requested = retryAfterMs(response.headers, clock.now());
        await waitOrAbort(clock, backoffDelayMs(attempt, policy, clock.random, requested), signal, attempt);
      }
      throw new ProviderError('network', `${lastProblem} after ${policy.maxAttempts} attempts`, policy.maxAttempts);
    },
  };

  async function waitOrAbort(clockToUse: Clock, ms: number, signal: AbortSignal, attempts: number): Promise<void> {
    try {
      await clockToUse.sleep(ms, signal);
    } catch {
      throw abortError(signal, attempts);
    }
  }
}

/** `signal`, plus an abort after `timeoutMs` whose reason says it was the per-case timeout. */
function withTimeout(signal: AbortSignal, timeoutMs: number | undefined): { signal: AbortSignal; clear: () => void } {
  if (timeoutMs === undefined) return { signal, clear: () => {} };
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new AbortReason('timeout', `no answer within the timeout of ${timeoutMs / 1000} s (request aborted); raise timeout or check the provider`)),
    timeoutMs,
  );
  return { signal: AbortSignal.any([signal, controller.signal]), clear: () => clearTimeout(timer) };
}

function parseCompletion(
  text: string,
  status: number,
  latencyMs: number,
  attempts: number,
  request: CompletionRequest,
  estimate: (text: string) => number,
): Completion {
  const shown = JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError('malformed', `provider answered HTTP ${status} with a body that is not JSON: ${shown}. Check that base-url points at an OpenAI-compatible API (it should end in /v1).`, attempts);
  }
  const choice = (json as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content !== 'string') {
    throw new ProviderError('malformed', `provider answered HTTP ${status} without a string choices[0].message.content: ${shown}. Check that base-url points at an OpenAI-compatible chat completions API.`, attempts);
  }
  const usage = (json as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  const promptTokens = typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : estimate(request.messages.map((m) => m.content).join('\n'));
  const completionTokens = typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : estimate(content);
  return { text: content, usage: { promptTokens, completionTokens }, latencyMs, attempts };
}

function errorDetail(body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } })?.error?.message;
    if (typeof message === 'string') return `: ${message}`;
  } catch {
    // not JSON: fall through to a short excerpt
  }
  const trimmed = body.trim();
  return trimmed ? `: ${trimmed.slice(0, 120)}` : '';
}

function fixFor(status: number): string {
  if (status === 401 || status === 403) return '. Check the api-key input (pass it from a secret).';
  if (status === 404) return '. Check base-url (e.g. https://host/v1) and model.';
  return '';
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
