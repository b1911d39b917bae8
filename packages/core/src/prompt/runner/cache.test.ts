import { expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, ResponseCache, stableStringify } from './cache.ts';

const request = { messages: [{ role: 'user' as const, content: 'hi' }], model: 'm', parameters: { temperature: 0, max_tokens: 5 } };

it('keys by messages, model and parameters, independent of key order', () => {
  expect(cacheKey(request)).toMatch(/^[0-9a-f]{64}$/);
  expect(cacheKey({ ...request, parameters: { max_tokens: 5, temperature: 0 } })).toBe(cacheKey(request));
  expect(cacheKey({ ...request, model: 'n' })).not.toBe(cacheKey(request));
  expect(cacheKey({ ...request, parameters: { temperature: 1, max_tokens: 5 } })).not.toBe(cacheKey(request));
  expect(cacheKey({ ...request, messages: [{ role: 'system', content: 'hi' }] })).not.toBe(cacheKey(request));
  expect(stableStringify({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
});

it('stores and reads entries, treating torn files as misses', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'prompt-cache-'));
  try {
    const cache = new ResponseCache(directory);
    const key = cacheKey(request);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, { text: 'hello', usage: { promptTokens: 1, completionTokens: 1 }, latencyMs: 12 });
    expect(await cache.get(key)).toEqual({ text: 'hello', usage: { promptTokens: 1, completionTokens: 1 }, latencyMs: 12 });
    expect(await readdir(join(directory, key.slice(0, 2)))).toEqual([`${key}.json`]);
    await writeFile(join(directory, key.slice(0, 2), `${key}.json`), '{"format":1,"compl');
    expect(await cache.get(key)).toBeUndefined();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
