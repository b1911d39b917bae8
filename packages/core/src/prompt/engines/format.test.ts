import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { parseFormatString } from './format-parse.ts';
import { parseFormatTemplate } from './format.ts';
import { pyFormat, pyRepr, pyStr } from './python-values.ts';

/** Runs CPython on a batch of inputs; the reference the `format` engine mirrors. */
function python<T>(script: string, input: unknown): T {
  const output = execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  return JSON.parse(output) as T;
}

type Normalized = Array<['L', string] | ['F', string, string, string | null]>;

function normalizeOurs(text: string): { pieces: Normalized; errors: string[] } {
  const parsed = parseFormatString(text);
  const pieces: Normalized = [];
  for (const piece of parsed.pieces) {
    if (piece.kind === 'literal') {
      const last = pieces[pieces.length - 1];
      if (last && last[0] === 'L') last[1] += piece.text;
      else pieces.push(['L', piece.text]);
    } else {
      pieces.push(['F', piece.field.fieldName, piece.field.formatSpec, piece.field.conversion ?? null]);
    }
  }
  return { pieces, errors: parsed.errors.map((error) => error.message) };
}

const PYTHON_PARSE = `
import json, string, sys
out = []
for text in json.load(sys.stdin):
    try:
        pieces = []
        for literal, field, spec, conv in string.Formatter().parse(text):
            if literal:
                if pieces and pieces[-1][0] == 'L': pieces[-1][1] += literal
                else: pieces.append(['L', literal])
            if field is not None:
                pieces.append(['F', field, spec, conv])
        out.append({'pieces': pieces})
    except ValueError as error:
        out.append({'error': str(error)})
print(json.dumps(out))
`;

// Errors Python raises only when formatting, not while parsing; we report them at parse time.
const FORMAT_TIME_ERRORS = /Unknown conversion|Empty attribute|Missing '\]'|Only '\.' or '\['|Max string recursion|expected ':' after conversion/;

describe('parseFormatString mirrors string.Formatter().parse', () => {
  it('splits literals, fields, conversions and specs like CPython', () => {
    expect(normalizeOurs('a{b.c[0]!r:>{w}}}}x{{')).toEqual({
      pieces: [['L', 'a'], ['F', 'b.c[0]', '>{w}', 'r'], ['L', '}x{']],
      errors: [],
    });
  });

  it('agrees with CPython on generated templates', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', '{', '}', '!', 'r', 's', ':', '>', '.', '[', ']', '0', '\n', 'é');
    const samples = fc.sample(fc.array(alphabet, { maxLength: 14 }).map((chars) => chars.join('')), { numRuns: 400, seed: 42 });
    samples.push('Generate a {style} post about {topic}', '{{literal}} {x!r} {y:>10} {z!s:^8}', '{a[key]}', '{', '}', 'a } b', '{a', '{a!}', '{a!r', '{!r}', '{a.}', '{a[}');
    const reference = python<Array<{ pieces?: Normalized; error?: string }>>(PYTHON_PARSE, samples);
    samples.forEach((text, index) => {
      const ours = normalizeOurs(text);
      const theirs = reference[index];
      if (theirs.error !== undefined) {
        expect({ text, failed: ours.errors.length > 0 }).toEqual({ text, failed: true });
      } else {
        expect({ text, pieces: ours.pieces }).toEqual({ text, pieces: theirs.pieces });
        for (const error of ours.errors) expect({ text, error }).toEqual({ text, error: expect.stringMatching(FORMAT_TIME_ERRORS) });
      }
    });
  });

  it('points at the stray brace and the unclosed field', () => {
    expect(parseFormatString('ab } cd').errors).toEqual([{ index: 3, message: expect.stringContaining("Single '}'") }]);
    expect(parseFormatString('ab {cd').errors).toEqual([{ index: 3, message: expect.stringContaining("expected '}'") }]);
    expect(parseFormatString('x {').errors).toEqual([{ index: 2, message: expect.stringContaining("Single '{'") }]);
    expect(parseFormatString('{a!x}').errors).toEqual([{ index: 3, message: expect.stringContaining('Unknown conversion specifier x') }]);
  });

  it('records where each field name, conversion and spec sits', () => {
    const [piece] = parseFormatString('{name!r:>5}').pieces;
    expect(piece).toMatchObject({ kind: 'field', field: { start: 0, end: 11, root: 'name', rootIndex: 1, conversionIndex: 6, formatSpecIndex: 8 } });
    const nested = parseFormatString('{v:{w}}').pieces[0];
    expect(nested.kind === 'field' && nested.field.nested.map((field) => [field.root, field.rootIndex])).toEqual([['w', 4]]);
  });
});

const PYTHON_RENDER = `
import json, sys
out = []
for case in json.load(sys.stdin):
    try:
        out.append({'text': case['template'].format(**case['vars'])})
    except Exception as error:
        out.append({'error': type(error).__name__})
print(json.dumps(out))
`;

describe('the format engine renders like str.format', () => {
  it('agrees with CPython on values, conversions and format specs', () => {
    const specs = ['', '>8', '<6', '^9', '*^9', '+d', ' d', '08.3f', '.2f', ',', '_', ',.2f', '.1%', 'e', '.3E', 'x', '#x', '#o', 'b', '#b', 'X', '.3s', '10.2s', 'g', '.3g', '=+8', '05', 'c', '.0f', '>+10.1f'];
    const values: unknown[] = [0, 7, -42, 1234567, 3.14159, -0.5, 1e-7, 123456.789, 'text', 'ünïcode', true, null, [1, 'a'], { k: 'v' }];
    const cases: Array<{ template: string; vars: Record<string, unknown> }> = [];
    for (const spec of specs) for (const value of values) cases.push({ template: `[{v${spec === '' ? '' : `:${spec}`}}]`, vars: { v: value } });
    for (const conversion of ['r', 's', 'a']) for (const value of values) cases.push({ template: `{v!${conversion}}`, vars: { v: value } });
    cases.push({ template: '{v:{w}.{p}f}', vars: { v: 3.14159, w: 10, p: 2 } }, { template: "{{literal}} {v!r:>12}", vars: { v: "it's" } });
    const reference = python<Array<{ text?: string; error?: string }>>(PYTHON_RENDER, cases);
    let compared = 0;
    const mismatches: unknown[] = [];
    cases.forEach((testCase, index) => {
      const parsed = parseFormatTemplate(testCase.template);
      let ours: { text?: string; error?: boolean };
      try {
        ours = { text: parsed.render(testCase.vars) };
      } catch {
        ours = { error: true };
      }
      const theirs = reference[index];
      // Python's bool is an int subclass and its float repr differs for integral floats (1.0): skip those.
      if (typeof testCase.vars.v === 'boolean' || (typeof testCase.vars.v === 'number' && Number.isInteger(testCase.vars.v) && /[eEfFgG%]/.test(testCase.template))) return;
      compared++;
      const agrees = theirs.error !== undefined ? ours.error === true : ours.text === theirs.text;
      if (!agrees) mismatches.push({ template: testCase.template, vars: testCase.vars, ours, python: theirs });
    });
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(350);
  });

  it('extracts named variables and flags positional, spaced and JSON-looking fields', () => {
    const parsed = parseFormatTemplate('Generate a {style} post about {topic}. {} {0} { name } {"k": 1}');
    expect(parsed.variables.map((use) => [use.name, use.index])).toEqual([['style', 12], ['topic', 31]]);
    expect(parsed.issues.map((issue) => [issue.check, issue.index])).toEqual([
      ['syntax/format-positional', 39],
      ['syntax/format-positional', 42],
      ['syntax/format-field-name', 46],
      ['syntax/format-field-name', 55],
    ]);
    expect(parsed.renderable).toBe(false);
  });

  it('warns about attribute and index access and resolves only own keys', () => {
    const parsed = parseFormatTemplate('{user.name} {items[1]} {user.constructor}');
    expect(parsed.issues.map((issue) => [issue.check, issue.severity, issue.index])).toEqual([
      ['variables/attribute-access', 'warning', 5],
      ['variables/attribute-access', 'warning', 18],
      ['variables/attribute-access', 'warning', 28],
    ]);
    expect(() => parsed.render({ user: { name: 'Ada' }, items: ['a', 'b'] })).toThrow("'user' has no attribute 'constructor'");
    expect(parseFormatTemplate('{user.name} {items[1]}').render({ user: { name: 'Ada' }, items: ['a', 'b'] })).toBe('Ada b');
  });

  it('reports an invalid format spec statically', () => {
    const parsed = parseFormatTemplate('{x:>>>}');
    expect(parsed.issues).toEqual([expect.objectContaining({ check: 'syntax/format-spec', index: 3 })]);
  });

  it('formats Python values', () => {
    expect(pyStr([1, 'a', null, true])).toBe("[1, 'a', None, True]");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyFormat(1234.5, ',.1f')).toBe('1,234.5');
  });
});
