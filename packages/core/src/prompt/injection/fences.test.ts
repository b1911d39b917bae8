import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { mapFences } from './fences.ts';
import { scanText } from './scan.ts';
import { isUntrusted } from './trust.ts';
import { variableUses } from './variable-uses.ts';

const fencedAt = (text: string, needle: string): boolean => {
  const start = text.indexOf(needle);
  return mapFences(text).isFenced(start, start + needle.length);
};

describe('fences', () => {
  test.each([
    ['<doc title="a">\n{x}\n</doc>', true],
    ['<source>{x}</source>', true],
    ['<a><b>{x}</b></a>', true],
    ['<a>{x}</b>', false],
    ['```text\n{x}\n```', true],
    ['~~~\n{x}\n~~~', true],
    ['"""{x}"""', true],
    ["'''\n{x}\n'''", true],
    ['---\n{x}\n---', true],
    ['>>>\n{x}\n<<<', true],
    ['=== BEGIN INPUT ===\n{x}\n=== END INPUT ===', true],
    ['[{x}]', true],
    ['« {x} »', true],
    ['"{x}"', false],
    ['Q: {x}', false],
    ['---\n{x}', false],
    ['```\ncode\n```\n{x}', false],
  ])('%j fenced: %s', (text, expected) => {
    expect(fencedAt(text, '{x}')).toBe(expected);
  });

  test('the innermost enclosing tag names the fence', () => {
    const text = '<outer><user_input>{x}</user_input></outer>';
    const start = text.indexOf('{x}');
    expect(mapFences(text).enclosingTag(start, start + 3)).toBe('user_input');
  });
});

describe('trust', () => {
  test.each([
    ['input', true], ['query', true], ['question', true], ['documents', true], ['context', true], ['message', true],
    ['user_name', true], ['customer_input', true], ['search_query', true], ['chat_history', true],
    ['style', false], ['topic', false], ['product_name', false], ['inputs_count', false], ['contextual', false],
  ])('%s untrusted by name: %s', (name, expected) => {
    expect(isUntrusted(name, {})).toBe(expected);
  });

  test('a declaration wins over the name', () => {
    expect(isUntrusted('question', { question: { trusted: true } })).toBe(false);
    expect(isUntrusted('tone', { tone: { trusted: false } })).toBe(true);
  });
});

describe('variableUses', () => {
  const uses = (engine: Parameters<typeof variableUses>[1], text: string) =>
    variableUses({ text, line: 1, column: 1 }, engine).map((u) => `${u.name}:${u.kind}${u.item ? ':item' : ''}@${text.slice(u.start, u.end)}`);

  test('jinja loops: the loop tag, whole-item outputs and fields', () => {
    expect(uses('jinja2', '{% for d in docs %}{{ d }} {{ d.title }}{% endfor %}{{ q }}')).toEqual([
      'docs:block@{% for d in docs %}',
      'docs:output:item@{{ d }}',
      'docs:output:item@{{ d.title }}',
      'q:output@{{ q }}',
    ]);
  });

  test('mustache sections and handlebars each, with this and an alias', () => {
    expect(uses('mustache', '{{#docs}}{{.}}{{/docs}}')).toEqual(['docs:block@{{#docs}}', 'docs:output:item@{{.}}']);
    expect(uses('handlebars', '{{#each docs as |d|}}{{d}}{{/each}}{{#each more}}{{this}}{{/each}}')).toEqual([
      'docs:block@{{#each docs as |d|}}',
      'docs:output:item@{{d}}',
      'more:block@{{#each more}}',
      'more:output:item@{{this}}',
    ]);
  });

  test('format fields', () => {
    expect(uses('format', 'A {x} and {{literal}} and {y!r:>10}')).toEqual(['x:output@{x}', 'y:output@{y!r:>10}']);
  });
});

describe('scanText on arbitrary text', () => {
  test('never throws, is deterministic, and points inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom<'template' | 'test-data'>('template', 'test-data'), (text, context) => {
        const origin = { file: 'f', line: 3, column: 2 };
        const findings = scanText(text, origin, context);
        expect(scanText(text, origin, context)).toEqual(findings);
        const lines = text.split('\n');
        for (const finding of findings) {
          expect(finding.line).toBeGreaterThanOrEqual(3);
          expect(finding.line).toBeLessThan(3 + lines.length);
          const lineText = lines[finding.line - 3];
          const lineStartColumn = finding.line === 3 ? 2 : 1;
          expect(finding.column).toBeGreaterThanOrEqual(lineStartColumn);
          expect(finding.column).toBeLessThanOrEqual(lineStartColumn + lineText.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('survives the characters the checks care about, in any order', () => {
    const pieces = ['ignore', ' previous ', 'instructions', '\u200B', '\u200D', '\u202E', '\u2067', '\u2069', '\u{E0069}', '\u{E007F}', '🏴', '👩', '\uFE0F', '\u{E0100}',
      'а', 'ο', 'שלום', '{', '}', '{{', '}}', '{%', '%}', '](', '![', 'https://', '<img src=', '<|im_start|>', '\n', ' ', '"', 'sk-', 'AKIA', 'x9Kf2Lm4Np6Qr8St0Uv2'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.constantFrom<'format' | 'jinja2' | undefined>('format', 'jinja2', undefined), (parts, engine) => {
        const text = parts.join('');
        const findings = scanText(text, { file: 'f', line: 1, column: 1 }, engine ? 'template' : 'test-data', { engine });
        for (const finding of findings) expect(finding.line).toBeLessThanOrEqual(text.split('\n').length);
      }),
      { numRuns: 400 },
    );
  });
});

