// Provider answers cached on disk, keyed by what determines the answer: rendered messages, model and
// parameters. An unchanged case costs nothing on the next run; keep the directory with actions/cache.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderedMessage } from '../types.ts';
import type { TokenUsage } from './pricing.ts';

export interface CompletionRequest {
  messages: readonly RenderedMessage[];
  model: string;
  /** Sampling parameters sent with the request (temperature, max_tokens, ...). */
  parameters: Readonly<Record<string, unknown>>;
}

export interface CachedCompletion {
  text: string;
  usage: TokenUsage;
  /** Latency of the call that filled the cache; a cache hit itself takes no provider time. */
  latencyMs: number;
}

/** Bumped when the cached shape changes, so old entries are ignored rather than misread. */
const CACHE_FORMAT = 1;

/** JSON with sorted keys, so `{a, b}` and `{b, a}` hash alike. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function cacheKey(request: CompletionRequest): string {
  const material = stableStringify({
    format: CACHE_FORMAT,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    model: request.model,
    parameters: request.parameters,
  });
  return createHash('sha256').update(material).digest('hex');
}

export class ResponseCache {
  readonly directory: string;
  constructor(directory: string) {
    this.directory = directory;
  }

  private pathOf(key: string): string {
    return join(this.directory, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedCompletion | undefined> {
    let text: string;
    try {
      text = await readFile(this.pathOf(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as { format?: number; completion?: CachedCompletion };
      return entry.format === CACHE_FORMAT && typeof entry.completion?.text === 'string' ? entry.completion : undefined;
    } catch {
      return undefined; // a torn or foreign file is a miss, never an error
    }
  }

  /** Writes via a temp file and rename, so a parallel reader never sees half an entry. */
  async set(key: string, completion: CachedCompletion): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(join(this.directory, key.slice(0, 2)), { recursive: true });
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, JSON.stringify({ format: CACHE_FORMAT, completion }));
    await rename(temp, path);
  }
}
