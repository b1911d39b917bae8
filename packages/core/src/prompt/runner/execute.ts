// Sends rendered cases to a provider: bounded concurrency, a timeout per case, a budget for the whole run,
// the on-disk cache, and one request for identical cases (base and head often render the same prompt).
import { cacheKey, type CachedCompletion, type CompletionRequest, ResponseCache } from './cache.ts';
import { mapWithConcurrency } from '../../concurrency/index.ts';
import { AbortReason, type CompletionProvider, ProviderError, type ProviderErrorKind } from './provider.ts';

export type CallOutcome =
  | { status: 'answered'; completion: CachedCompletion; cached: boolean; attempts: number }
  | { status: 'timed-out' | 'error'; kind: ProviderErrorKind; message: string; attempts: number };

export interface ExecuteOptions {
  provider: CompletionProvider;
  cache?: ResponseCache;
  concurrency: number;
  /** Per HTTP attempt: a request without an answer by then is aborted and its case timed out. Retry waits do not count; the total budget bounds them. */
  caseTimeoutMs: number;
  totalTimeoutMs: number;
}

export interface ExecuteStats {
  requests: number;
  cacheHits: number;
  deduplicated: number;
}

export async function executeCompletions(
  requests: readonly CompletionRequest[],
  options: ExecuteOptions,
): Promise<{ outcomes: CallOutcome[]; stats: ExecuteStats }> {
  const budget = new AbortController();
  const budgetTimer = setTimeout(
    () => budget.abort(new AbortReason('budget', `the run's total-timeout of ${options.totalTimeoutMs / 1000} s was used up; raise total-timeout or lower the number of cases`)),
    options.totalTimeoutMs,
  );
  const stats: ExecuteStats = { requests: 0, cacheHits: 0, deduplicated: 0 };
  const keys = requests.map(cacheKey);
  const firstIndexOfKey = new Map<string, number>();
  keys.forEach((key, index) => {
    if (!firstIndexOfKey.has(key)) firstIndexOfKey.set(key, index);
  });
  const unique = [...firstIndexOfKey.values()];
  stats.deduplicated = requests.length - unique.length;

  try {
    const uniqueOutcomes = await mapWithConcurrency(unique, options.concurrency, async (index) => {
      const key = keys[index];
      const hit = await options.cache?.get(key);
      if (hit) {
        stats.cacheHits++;
        return { status: 'answered', completion: hit, cached: true, attempts: 0 } satisfies CallOutcome;
      }
      return callOnce(requests[index], key, options, budget.signal, stats);
    });
    const byKey = new Map(unique.map((index, at) => [keys[index], uniqueOutcomes[at]]));
    return { outcomes: keys.map((key) => byKey.get(key)!), stats };
  } finally {
    clearTimeout(budgetTimer);
  }
}

async function callOnce(
  request: CompletionRequest,
  key: string,
  options: ExecuteOptions,
  budget: AbortSignal,
  stats: ExecuteStats,
): Promise<CallOutcome> {
  if (budget.aborted) {
    const reason = budget.reason as AbortReason;
    return { status: 'timed-out', kind: 'budget', message: `not sent: ${reason.message}`, attempts: 0 };
  }
  stats.requests++;
  try {
    const completion = await options.provider.complete(request, budget, options.caseTimeoutMs);
    const entry: CachedCompletion = { text: completion.text, usage: completion.usage, latencyMs: completion.latencyMs };
    await options.cache?.set(key, entry);
    return { status: 'answered', completion: entry, cached: false, attempts: completion.attempts };
  } catch (error) {
    if (error instanceof ProviderError) {
      const timedOut = error.kind === 'timeout' || error.kind === 'budget';
      return { status: timedOut ? 'timed-out' : 'error', kind: error.kind, message: error.message, attempts: error.attempts };
    }
    return { status: 'error', kind: 'network', message: (error as Error).message ?? String(error), attempts: 1 };
  }
}
