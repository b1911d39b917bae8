import { describe, expect, it } from '@jest/globals';
import { assertionDefinitionProblem, checkAssertion } from './assertions.ts';
import type { Assertion } from '../types.ts';

const check = (assertion: Assertion, text: string | undefined, figures = {}) => checkAssertion(assertion, { text, ...figures });

describe('checkAssertion', () => {
  it('contains / icontains / not-contains with single values and lists', () => {
    expect(check({ type: 'contains', value: 'Paris' }, 'It is Paris.').outcome).toBe('passed');
    expect(check({ type: 'contains', value: 'paris' }, 'It is Paris.').outcome).toBe('failed');
    expect(check({ type: 'icontains', value: 'paris' }, 'It is Paris.').outcome).toBe('passed');
    const missing = check({ type: 'contains', value: ['Paris', 'France'] }, 'It is Paris.');
    expect(missing.outcome).toBe('failed');
    expect(missing.message).toContain('"France"');
    expect(missing.message).not.toContain('"Paris",');
    expect(check({ type: 'not-contains', value: 'sorry' }, 'Sure!').outcome).toBe('passed');
    expect(check({ type: 'not-contains', value: ['sorry', 'Sure'] }, 'Sure!').message).toContain('"Sure"');
  });

  it('regex accepts plain patterns and /literal/flags', () => {
    expect(check({ type: 'regex', value: '^\\d{3}$' }, '123').outcome).toBe('passed');
    expect(check({ type: 'regex', value: '/hello/i' }, 'HELLO there').outcome).toBe('passed');
    expect(check({ type: 'regex', value: '/hello/' }, 'HELLO there').outcome).toBe('failed');
  });

  it('starts-with and equals (string exact, JSON structural)', () => {
    expect(check({ type: 'starts-with', value: 'Dear' }, 'Dear Ann').outcome).toBe('passed');
    expect(check({ type: 'starts-with', value: 'Dear' }, ' Dear Ann').outcome).toBe('failed');
    expect(check({ type: 'equals', value: 'yes' }, 'yes').outcome).toBe('passed');
    expect(check({ type: 'equals', value: 'yes' }, 'yes ').outcome).toBe('failed');
    expect(check({ type: 'equals', value: { a: 1, b: [2] } }, '{ "a": 1, "b": [2] }').outcome).toBe('passed');
  });

  it('is-json and json-schema, including a fenced JSON answer', () => {
    expect(check({ type: 'is-json' }, '{"ok": true}').outcome).toBe('passed');
    expect(check({ type: 'is-json' }, '```json\n{"ok": true}\n```').outcome).toBe('passed');
    const bad = check({ type: 'is-json' }, '{ok: true}');
    expect(bad.outcome).toBe('failed');
    expect(bad.message).toMatch(/not valid JSON/);
    const schema = { type: 'object', required: ['sentiment'], properties: { sentiment: { enum: ['positive', 'negative'] } } };
    expect(check({ type: 'json-schema', value: schema }, '{"sentiment":"positive"}').outcome).toBe('passed');
    const wrong = check({ type: 'json-schema', value: schema }, '{"sentiment":"meh"}');
    expect(wrong.outcome).toBe('failed');
    expect(wrong.message).toContain('/sentiment must be equal to one of the allowed values');
  });

  it('limits compare measured figures and are skipped when nothing was measured', () => {
    expect(check({ type: 'max-latency-ms', value: 500 }, 'x', { latencyMs: 120 }).outcome).toBe('passed');
    expect(check({ type: 'max-latency-ms', value: 100 }, 'x', { latencyMs: 120 }).message).toBe('latency 120 ms exceeds the limit of 100 ms');
    expect(check({ type: 'max-tokens', value: 10 }, 'x', { tokens: 11 }).outcome).toBe('failed');
    expect(check({ type: 'max-cost', value: 0.01 }, 'x', { costUsd: 0.002 }).outcome).toBe('passed');
    expect(check({ type: 'max-cost', value: 0.01 }, 'x').outcome).toBe('skipped');
  });

  it('output assertions without an answer are skipped, never passed', () => {
    const result = check({ type: 'contains', value: 'x' }, undefined);
    expect(result.outcome).toBe('skipped');
    expect(result.target).toBe('output');
    expect(check({ type: 'contains', value: 'x', target: 'prompt' }, 'xyz').target).toBe('prompt');
  });
});

describe('assertionDefinitionProblem', () => {
  it('names the fix for bad regexes, bad schemas and missing numbers', () => {
    expect(assertionDefinitionProblem({ type: 'regex', value: '(' })).toMatch(/does not compile/);
    expect(assertionDefinitionProblem({ type: 'json-schema', value: 'nope' })).toMatch(/not a valid JSON schema/);
    expect(assertionDefinitionProblem({ type: 'json-schema', value: { type: 'objekt' } })).toMatch(/not a valid JSON schema/);
    expect(assertionDefinitionProblem({ type: 'max-tokens', value: 'many' })).toMatch(/needs a number/);
    expect(assertionDefinitionProblem({ type: 'contains' })).toMatch(/needs a value/);
    expect(assertionDefinitionProblem({ type: 'is-json' })).toBeUndefined();
  });
});
