// The bundled prompt-test action with provider: openai-compatible against the project's fake OpenAI server
// (real HTTP): answers and assertions, per-case timeouts, retries honouring Retry-After, the concurrency
// limit, the on-disk cache on a second run, and a malformed body reported per case. Build first:
//   npm run build -w @model-cicd/prompt-test
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { commandsOf, removeRunnerTemp, runAction, type ActionRun } from '../harness/run-action.ts';
import { scriptByContent, startOpenAiFake, type OpenAiFake } from '../servers/openai-fake.ts';

// Each test starts the bundled action as a process; a loaded CI machine can take a while.
jest.setTimeout(120_000);

async function workspaceWith(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'prompt-test-provider-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const QA_TEMPLATE = `---
name: qa
model: gpt-4o-mini
variables:
  question: {type: string, trusted: true}
tests:
  - name: capital
    vars: {question: capital of France}
    assert:
      - {type: icontains, value: paris}
      - {type: max-cost, value: 0.01}
      - {type: max-latency-ms, value: 20000}
  - name: structured
    vars: {question: sentiment as JSON}
    assert:
      - type: json-schema
        value: {type: object, required: [sentiment], properties: {sentiment: {enum: [positive, negative]}}}
  - name: rate limited
    vars: {question: busy hour}
    assert:
      - {type: contains, value: calm}
  - name: hangs
    vars: {question: never answers}
  - name: garbage
    vars: {question: broken proxy}
  - name: wrong answer
    vars: {question: capital of Spain}
    assert:
      - {type: contains, value: Madrid}
---
Answer briefly: {question}
`;

interface CaseRow {
  name: string;
  status: string;
  reason?: string;
  output?: string;
  cached?: boolean;
  costUsd?: number;
  latencyMs?: number;
  attempts?: number;
}
const casesOf = (run: ActionRun): Record<string, CaseRow> =>
  Object.fromEntries((JSON.parse(run.outputs.report).templates[0].cases as CaseRow[]).map((c) => [c.name, c]));

describe('prompt-test with an OpenAI-compatible provider', () => {
  let fake: OpenAiFake;
  let workspace: string;
  let first: ActionRun;
  let second: ActionRun;
  let firstRequests: OpenAiFake['requests'];
  let secondRequests: OpenAiFake['requests'];

  const inputs = () => ({
    templates: 'prompts/**',
    provider: 'openai-compatible',
    'base-url': fake.baseUrl,
    'api-key': 'sk-test-secret-4242',
    timeout: '1s',
    concurrency: '2',
    'cache-dir': '.prompt-test-cache',
    'validation-rules': 'syntax,variables,length,performance',
  });

  beforeAll(async () => {
    fake = await startOpenAiFake(
      scriptByContent([
        { when: 'capital of France', replies: [{ text: 'Paris.', usage: { prompt_tokens: 20, completion_tokens: 2 } }] },
        { when: 'sentiment as JSON', replies: [{ text: '```json\n{"sentiment": "positive"}\n```' }] },
        { when: 'busy hour', replies: [{ status: 429, headers: { 'retry-after': '1' } }, { text: 'Stay calm.' }] },
        { when: 'never answers', replies: [{ hang: true }] },
        { when: 'broken proxy', replies: [{ rawBody: '<html>502 Bad Gateway</html>' }] },
        { when: 'capital of Spain', replies: [{ text: 'Barcelona.' }] },
      ]),
    );
    workspace = await workspaceWith({ 'prompts/qa.prompt': QA_TEMPLATE });
    first = await runAction('prompt-test', inputs(), { cwd: workspace });
    firstRequests = [...fake.requests];
    fake.reset();
    second = await runAction('prompt-test', inputs(), { cwd: workspace });
    secondRequests = [...fake.requests];
  }, 180_000);
  afterAll(async () => {
    await fake.close();
    await Promise.all([removeRunnerTemp(first), removeRunnerTemp(second)]);
    await rm(workspace, { recursive: true, force: true });
  });

  it('checks answers against output assertions and prices them', () => {
    const cases = casesOf(first);
    expect(cases.capital).toMatchObject({ status: 'passed', output: 'Paris.', cached: false });
    expect(cases.capital.costUsd).toBeCloseTo((20 * 0.15 + 2 * 0.6) / 1e6, 12);
    expect(cases.structured.status).toBe('passed');
    expect(cases['wrong answer']).toMatchObject({ status: 'failed', reason: 'contains: expected to contain "Madrid"; got "Barcelona."' });
    expect(first.exitCode).toBe(1);
    const annotation = commandsOf(first, 'error').find((c) => c.properties.title === 'prompt-test case "wrong answer" failed');
    expect(annotation?.properties).toMatchObject({ file: 'prompts/qa.prompt', line: '26', col: '5' });
  });

  it('sends model, messages and the masked key', () => {
    const request = firstRequests.find((r) => r.rawBody.includes('capital of France'))!;
    expect(request.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'Answer briefly: capital of France' }] });
    expect(request.headers.authorization).toBe('Bearer sk-test-secret-4242');
    expect(first.stdout).toContain('::add-mask::sk-test-secret-4242');
  });

  it('retries a 429 after the Retry-After the server asked for', () => {
    const attempts = firstRequests.filter((r) => r.rawBody.includes('busy hour'));
    expect(attempts).toHaveLength(2);
    expect(attempts[1].receivedAt - attempts[0].finishedAt!).toBeGreaterThanOrEqual(950);
    expect(casesOf(first)['rate limited']).toMatchObject({ status: 'passed', attempts: 2 });
  });

  it('aborts a hanging request at the timeout and marks only that case timed out', () => {
    expect(casesOf(first).hangs).toMatchObject({ status: 'timed-out', reason: expect.stringMatching(/no answer within the timeout of 1 s/) });
    expect(firstRequests.find((r) => r.rawBody.includes('never answers'))?.aborted).toBe(true);
  });

  it('reports a malformed body as that case\'s error, naming the fix', () => {
    expect(casesOf(first).garbage).toMatchObject({ status: 'error', reason: expect.stringMatching(/body that is not JSON: "<html>502 Bad Gateway<\/html>".*base-url/) });
  });

  it('never has more requests in flight than the concurrency input', () => {
    expect(fake.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('answers unchanged cases from the cache on the next run', () => {
    const cases = casesOf(second);
    for (const name of ['capital', 'structured', 'rate limited', 'wrong answer']) expect(cases[name]).toMatchObject({ cached: true, status: casesOf(first)[name].status });
    // only the cases that got no answer are sent again
    const sent = new Set(secondRequests.map((r) => r.body?.messages?.[0].content));
    expect([...sent].sort()).toEqual(['Answer briefly: broken proxy', 'Answer briefly: never answers']);
    expect(second.summary).toMatch(/Provider calls: 2 sent, 4 answered from the cache/);
  });
});

describe('concurrency limit', () => {
  it('keeps exactly `concurrency` requests in flight when there is enough work', async () => {
    const fake = await startOpenAiFake(() => ({ delayMs: 250, text: 'ok' }));
    const tests = Array.from({ length: 9 }, (_, i) => `  - name: case ${i}\n    vars: {n: "${i}"}`).join('\n');
    const workspace = await workspaceWith({ 'prompts/many.prompt': `---\nmodel: gpt-4o-mini\ntests:\n${tests}\n---\nSay {n}\n` });
    const run = await runAction('prompt-test', { provider: 'openai-compatible', 'base-url': fake.baseUrl, concurrency: '3', 'cache-dir': join(workspace, 'cache') }, { cwd: workspace });
    try {
      expect(run.exitCode).toBe(0);
      expect(fake.requests).toHaveLength(9);
      expect(fake.maxInFlight).toBe(3);
      expect(run.outputs.passed).toBe('9');
    } finally {
      await fake.close();
      await removeRunnerTemp(run);
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
