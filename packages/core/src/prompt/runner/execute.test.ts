// Concurrency, timeouts, the total budget, caching and de-duplication, against the fake server over HTTP.
import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAiFake, scriptByContent, type OpenAiFake } from '../../../../../test/servers/openai-fake.ts';
import { ResponseCache, type CompletionRequest } from './cache.ts';
import { executeCompletions } from './execute.ts';
import { createOpenAiCompatibleProvider } from './provider.ts';

let fake: OpenAiFake;
let cacheDir: string;
beforeAll(async () => {
  fake = await startOpenAiFake();
  cacheDir = await mkdtemp(join(tmpdir(), 'prompt-exec-'));
});
afterAll(async () => {
  await fake.close();
  await rm(cacheDir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

const requestFor = (content: string): CompletionRequest => ({ messages: [{ role: 'user', content }], model: 'gpt-4o-mini', parameters: {} });
const provider = () => createOpenAiCompatibleProvider({ baseUrl: fake.baseUrl, model: 'gpt-4o-mini' });

it('keeps at most `concurrency` requests in flight', async () => {
  fake.respondWith(() => ({ delayMs: 40 }));
  const requests = Array.from({ length: 9 }, (_, i) => requestFor(`case ${i}`));
  const { outcomes, stats } = await executeCompletions(requests, { provider: provider(), concurrency: 3, caseTimeoutMs: 5000, totalTimeoutMs: 60_000 });
  expect(outcomes.map((o) => o.status)).toEqual(Array(9).fill('answered'));
  expect(outcomes[4]).toMatchObject({ completion: { text: 'ECHO: case 4' } });
  expect(fake.maxInFlight).toBe(3);
  expect(stats.requests).toBe(9);
});

it('marks a hanging case timed-out while the others answer', async () => {
  fake.respondWith(scriptByContent([{ when: 'slow', replies: [{ hang: true }] }]));
  const { outcomes } = await executeCompletions([requestFor('fast'), requestFor('slow'), requestFor('fast too')], {
    provider: provider(),
    concurrency: 4,
    caseTimeoutMs: 300,
    totalTimeoutMs: 60_000,
  });
  expect(outcomes[0].status).toBe('answered');
  expect(outcomes[1]).toMatchObject({ status: 'timed-out', kind: 'timeout' });
  expect(outcomes[1].status === 'timed-out' && outcomes[1].message).toMatch(/no answer within the timeout of 0.3 s/);
  expect(outcomes[2].status).toBe('answered');
});

it('stops at the total budget: running cases are aborted, waiting ones are not sent', async () => {
  fake.respondWith(() => ({ hang: true }));
  const { outcomes, stats } = await executeCompletions([requestFor('a'), requestFor('b'), requestFor('c')], {
    provider: provider(),
    concurrency: 1,
    caseTimeoutMs: 10_000,
    totalTimeoutMs: 250,
  });
  expect(outcomes.map((o) => o.status)).toEqual(['timed-out', 'timed-out', 'timed-out']);
  expect(outcomes[0].status !== 'answered' && outcomes[0].message).toMatch(/total-timeout of 0.25 s/);
  expect(outcomes[2].status !== 'answered' && outcomes[2].message).toMatch(/^not sent: /);
  expect(stats.requests).toBe(1);
});

it('answers unchanged cases from the cache on the next run and sends duplicates once', async () => {
  fake.respondWith(() => ({}));
  const cache = new ResponseCache(join(cacheDir, 'run'));
  const requests = [requestFor('one'), requestFor('two'), requestFor('one')];
  const first = await executeCompletions(requests, { provider: provider(), cache, concurrency: 2, caseTimeoutMs: 5000, totalTimeoutMs: 60_000 });
  expect(first.stats).toEqual({ requests: 2, cacheHits: 0, deduplicated: 1 });
  expect(fake.requests).toHaveLength(2);
  const second = await executeCompletions([...requests, requestFor('three')], { provider: provider(), cache, concurrency: 2, caseTimeoutMs: 5000, totalTimeoutMs: 60_000 });
  expect(second.stats).toEqual({ requests: 1, cacheHits: 2, deduplicated: 1 });
  expect(second.outcomes.map((o) => o.status === 'answered' && o.cached)).toEqual([true, true, true, false]);
  expect(fake.requests).toHaveLength(3);
});

it('turns a malformed answer into a per-case error', async () => {
  fake.respondWith(scriptByContent([{ when: 'bad', replies: [{ rawBody: 'not json at all' }] }]));
  const { outcomes } = await executeCompletions([requestFor('good'), requestFor('bad')], { provider: provider(), concurrency: 2, caseTimeoutMs: 5000, totalTimeoutMs: 60_000 });
  expect(outcomes[0].status).toBe('answered');
  expect(outcomes[1]).toMatchObject({ status: 'error', kind: 'malformed' });
});
