// The OpenAI-compatible client against the project's fake server over real HTTP. Retry waits go through a
// recording clock, so Retry-After handling is checked without waiting for it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOpenAiFake, scriptByContent, type OpenAiFake } from '../../../../../test/servers/openai-fake.ts';
import { AbortReason, type Clock, createOpenAiCompatibleProvider, ProviderError, systemClock } from './provider.ts';

let fake: OpenAiFake;
beforeAll(async () => {
  fake = await startOpenAiFake();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const recordingClock = () => {
  const waits: number[] = [];
  const clock: Clock = { now: Date.now, random: () => 0.5, sleep: async (ms, signal) => { if (signal.aborted) throw signal.reason; waits.push(ms); } };
  return { clock, waits };
};

const ask = (content: string, options: Partial<Parameters<typeof createOpenAiCompatibleProvider>[0]> = {}, signal = new AbortController().signal, attemptTimeoutMs?: number) =>
  createOpenAiCompatibleProvider({ baseUrl: fake.baseUrl, model: 'gpt-4o-mini', apiKey: 'sk-test', ...options }).complete(
    { messages: [{ role: 'user', content }], model: 'gpt-4o-mini', parameters: { temperature: 0 } },
    signal,
    attemptTimeoutMs,
  );

describe('openai-compatible provider', () => {
  it('posts model, messages and parameters with the key, and reads text and usage', async () => {
    fake.respondWith(() => ({ text: 'Bonjour', usage: { prompt_tokens: 7, completion_tokens: 2 } }));
    const completion = await ask('Say hello in French');
    expect(completion).toMatchObject({ text: 'Bonjour', usage: { promptTokens: 7, completionTokens: 2 }, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].path).toBe('/v1/chat/completions');
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
    expect(fake.requests[0].body).toEqual({ temperature: 0, model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in French' }] });
  });

  it('estimates usage when the server omits it', async () => {
    fake.respondWith(() => ({ text: 'abcdefgh', usage: null }));
    const completion = await ask('x', { estimateTokens: (text) => text.length });
    expect(completion.usage).toEqual({ promptTokens: 1, completionTokens: 8 });
  });

  it('retries 429 honouring Retry-After seconds, HTTP dates and retry-after-ms', async () => {
    const inFive = new Date(Date.now() + 5000).toUTCString();
    fake.respondWith(
      scriptByContent([
        { when: 'q', replies: [{ status: 429, headers: { 'retry-after': '2' } }, { status: 429, headers: { 'retry-after': inFive } }, { status: 503, headers: { 'retry-after-ms': '1234' } }, { text: 'ok' }] },
      ]),
    );
    const { clock, waits } = recordingClock();
    const completion = await ask('q', { clock, backoff: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100 } });
    expect(completion).toMatchObject({ text: 'ok', attempts: 4 });
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThan(3000);
    expect(waits[1]).toBeLessThanOrEqual(5000);
    expect(waits[2]).toBe(1234);
    expect(fake.requests).toHaveLength(4);
  });

  it('gives up after the last attempt with the status and the server message', async () => {
    fake.respondWith(() => ({ status: 500 }));
    const { clock, waits } = recordingClock();
    const error = (await ask('q', { clock, backoff: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 } }).catch((e) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('http');
    expect(error.message).toMatch(/HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: scripted 500 after 3 attempts/);
    expect(waits).toEqual([50, 100]);
  });

  it('does not retry a 401 and says which input to fix', async () => {
    fake.respondWith(() => ({ status: 401 }));
    const error = (await ask('q').catch((e) => e)) as ProviderError;
    expect(error.message).toMatch(/HTTP 401 .*Check the api-key input/);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports malformed bodies clearly, without retrying', async () => {
    fake.respondWith(() => ({ rawBody: '<html>gateway</html>' }));
    const notJson = (await ask('q').catch((e) => e)) as ProviderError;
    expect(notJson.kind).toBe('malformed');
    expect(notJson.message).toContain('body that is not JSON: "<html>gateway</html>"');
    fake.respondWith(() => ({ rawBody: '{"choices":[]}' }));
    const noChoice = (await ask('q').catch((e) => e)) as ProviderError;
    expect(noChoice.message).toContain('without a string choices[0].message.content');
    expect(fake.requests).toHaveLength(2);
  });

  it('aborts a hanging request when the signal fires, naming the reason', async () => {
    fake.respondWith(() => ({ hang: true }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new AbortReason('timeout', 'no answer within the timeout of 0.2 s')), 200);
    const error = (await ask('q', { clock: systemClock }, controller.signal).catch((e) => e)) as ProviderError;
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('no answer within the timeout of 0.2 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('times out each attempt separately; waiting for Retry-After does not use up the timeout', async () => {
    fake.respondWith(scriptByContent([{ when: 'q', replies: [{ status: 429, headers: { 'retry-after': '0.4' } }, { delayMs: 100, text: 'late but fine' }] }]));
    const completion = await ask('q', { clock: systemClock }, new AbortController().signal, 300);
    expect(completion).toMatchObject({ text: 'late but fine', attempts: 2 });
    fake.respondWith(() => ({ hang: true }));
    const error = (await ask('q', { clock: systemClock }, new AbortController().signal, 200).catch((e) => e)) as ProviderError;
    expect(error).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect(error.message).toMatch(/^no answer within the timeout of 0.2 s/);
  });

  it('reports an unreachable endpoint as a network error after retries', async () => {
    const { clock } = recordingClock();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = (await ask('q', { baseUrl: `http://127.0.0.1:${port}/v1`, clock, backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e) => e)) as ProviderError;
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: ECONNREFUSED after 2 attempts/);
  });
});
