// Assertion checks (promptfoo's names). Pure: each takes the subject text plus measured figures and returns
// a verdict with a message that says what was expected and what was seen.
import { Ajv } from 'ajv';
import type { Assertion, AssertionType } from '../types.ts';
import { ASSERTION_TYPES } from '../test-cases.ts';


/** What an assertion is checked against. Figures are absent when no provider ran. */
export interface AssertionSubject {
  /** The text under test: the model's answer, or the rendered prompt for `target: prompt`. */
  text: string | undefined;
  latencyMs?: number;
  /** Tokens of the subject: completion tokens for output, prompt tokens for the prompt. */
  tokens?: number;
  costUsd?: number;
}

export type AssertionOutcome = 'passed' | 'failed' | 'skipped';

export interface AssertionResult {
  type: AssertionType;
  target: 'prompt' | 'output';
  outcome: AssertionOutcome;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const compiledSchemas = new Map<string, ReturnType<typeof ajv.compile>>();

const preview = (text: string, limit = 80): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > limit ? `${flat.slice(0, limit)}…` : flat);
};

const needsText = new Set<AssertionType>(['contains', 'icontains', 'not-contains', 'regex', 'starts-with', 'is-json', 'json-schema', 'equals']);

/** Checks one assertion. An output assertion without a provider answer is skipped, never passed. */
export function checkAssertion(assertion: Assertion, subject: AssertionSubject): AssertionResult {
  const target = assertion.target ?? 'output';
  const verdict = (outcome: AssertionOutcome, message: string): AssertionResult => ({ type: assertion.type, target, outcome, message });
  if (needsText.has(assertion.type) && subject.text === undefined) {
    return verdict('skipped', `needs a model answer; set provider: openai-compatible or use target: prompt`);
  }
  const text = subject.text ?? '';
  const value = assertion.value;
  switch (assertion.type) {
    case 'contains':
    case 'icontains':
    case 'not-contains': {
      const needles = (Array.isArray(value) ? value : [value]).map(String);
      const fold = assertion.type === 'icontains' ? (s: string) => s.toLowerCase() : (s: string) => s;
      const haystack = fold(text);
      if (assertion.type === 'not-contains') {
        const found = needles.filter((needle) => haystack.includes(fold(needle)));
        return found.length === 0
          ? verdict('passed', `does not contain ${needles.map((n) => JSON.stringify(n)).join(', ')}`)
          : verdict('failed', `contains ${found.map((n) => JSON.stringify(n)).join(', ')}, which it must not; got ${preview(text)}`);
      }
      const missing = needles.filter((needle) => !haystack.includes(fold(needle)));
      return missing.length === 0
        ? verdict('passed', `contains ${needles.map((n) => JSON.stringify(n)).join(', ')}`)
        : verdict('failed', `expected to contain ${missing.map((n) => JSON.stringify(n)).join(', ')}; got ${preview(text)}`);
    }
    case 'regex': {
      const pattern = regexOf(value);
      return pattern.test(text)
        ? verdict('passed', `matches ${pattern}`)
        : verdict('failed', `expected to match ${pattern}; got ${preview(text)}`);
    }
    case 'starts-with': {
      const prefix = String(value);
      return text.startsWith(prefix)
        ? verdict('passed', `starts with ${JSON.stringify(prefix)}`)
        : verdict('failed', `expected to start with ${JSON.stringify(prefix)}; got ${preview(text)}`);
    }
    case 'equals': {
      const expected = typeof value === 'string' ? value : JSON.stringify(value);
      const actual = typeof value === 'string' ? text : canonicalJson(text);
      return actual === expected
        ? verdict('passed', `equals ${preview(expected)}`)
        : verdict('failed', `expected ${preview(expected)}; got ${preview(text)}`);
    }
    case 'is-json': {
      const parsed = parseJson(text);
      return parsed.ok ? verdict('passed', 'is valid JSON') : verdict('failed', `is not valid JSON (${parsed.error}); got ${preview(text)}`);
    }
    case 'json-schema': {
      const parsed = parseJson(text);
      if (!parsed.ok) return verdict('failed', `is not valid JSON (${parsed.error}); got ${preview(text)}`);
      const validate = compileSchema(value);
      if (validate(parsed.value)) return verdict('passed', 'matches the JSON schema');
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
      return verdict('failed', `does not match the JSON schema: ${problems}`);
    }
    case 'max-latency-ms':
      return limitVerdict(verdict, 'latency', subject.latencyMs, Number(value), 'ms');
    case 'max-tokens':
      return limitVerdict(verdict, 'tokens', subject.tokens, Number(value), 'tokens');
    case 'max-cost':
      return limitVerdict(verdict, 'cost', subject.costUsd, Number(value), 'USD');
    default:
      return verdict('failed', `unknown assertion type '${String(assertion.type)}'; use one of ${ASSERTION_TYPES.join(', ')}`);
  }
}

function limitVerdict(
  verdict: (outcome: AssertionOutcome, message: string) => AssertionResult,
  what: string,
  measured: number | undefined,
  limit: number,
  unit: string,
): AssertionResult {
  if (measured === undefined) return verdict('skipped', `no ${what} measured (no provider answer)`);
  return measured <= limit
    ? verdict('passed', `${what} ${round(measured)} ${unit} ≤ ${limit} ${unit}`)
    : verdict('failed', `${what} ${round(measured)} ${unit} exceeds the limit of ${limit} ${unit}`);
}

const round = (n: number) => Number(n.toPrecision(4));

/** A regex assertion value: a pattern string, or `/pattern/flags`. */
export function regexOf(value: unknown): RegExp {
  const text = String(value);
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
  return literal ? new RegExp(literal[1], literal[2].replace(/[gy]/g, '')) : new RegExp(text);
}

/**
 * Why an assertion's value is unusable (a regex that does not compile, a schema that is not one, a limit that
 * is not a number), or undefined when fine. Types and targets are checked where test cases load.
 */
export function assertionDefinitionProblem(assertion: Assertion): string | undefined {
  switch (assertion.type) {
    case 'regex':
      try {
        regexOf(assertion.value);
        return undefined;
      } catch (error) {
        return `regex ${JSON.stringify(assertion.value)} does not compile: ${(error as Error).message}`;
      }
    case 'json-schema':
      try {
        compileSchema(assertion.value);
        return undefined;
      } catch (error) {
        return `json-schema value is not a valid JSON schema: ${(error as Error).message}`;
      }
    case 'max-latency-ms':
    case 'max-tokens':
    case 'max-cost':
      return Number.isFinite(Number(assertion.value)) && assertion.value !== null && assertion.value !== ''
        ? undefined
        : `${assertion.type} needs a number value, got ${JSON.stringify(assertion.value)}`;
    case 'is-json':
      return undefined;
    default:
      return assertion.value === undefined ? `${assertion.type} needs a value` : undefined;
  }
}

function compileSchema(schema: unknown) {
  if (typeof schema !== 'object' || schema === null) throw new Error('the schema must be an object');
  const key = JSON.stringify(schema);
  let validate = compiledSchemas.get(key);
  if (!validate) {
    validate = ajv.compile(schema as object);
    compiledSchemas.set(key, validate);
  }
  return validate;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(stripJsonFence(text)) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Models often wrap JSON in a ```json fence; the JSON inside is what the assertion is about. */
const stripJsonFence = (text: string): string => {
  const fence = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return fence ? fence[1] : text;
};

const canonicalJson = (text: string): string => {
  const parsed = parseJson(text);
  return parsed.ok ? JSON.stringify(parsed.value) : text;
};
