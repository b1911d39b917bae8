import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseDocument, type Scalar } from 'yaml';
import { lineStartsOf, offsetToPosition, positionAt, scalarSegments, type ScalarStyle } from './source-map.ts';

describe('offsetToPosition', () => {
  it('maps offsets to 1-based lines and columns', () => {
    const starts = lineStartsOf('ab\ncd\n\nef');
    expect([0, 1, 2, 3, 6, 7, 8].map((offset) => offsetToPosition(starts, offset))).toEqual([
      { line: 1, column: 1 }, { line: 1, column: 2 }, { line: 1, column: 3 }, { line: 2, column: 1 },
      { line: 3, column: 1 }, { line: 4, column: 1 }, { line: 4, column: 2 },
    ]);
  });
});

describe('positionAt', () => {
  it('offsets the first line by the start column and later lines from column 1', () => {
    const template = { text: 'ab\ncd', line: 10, column: 5 };
    expect(positionAt(template, 1)).toEqual({ line: 10, column: 6 });
    expect(positionAt(template, 4)).toEqual({ line: 11, column: 2 });
  });
});

/** Every non-space character of a scalar value must map to the same character in the file. */
function assertExactMapping(file: string): void {
  const document = parseDocument(file);
  const node = document.get('content', true) as Scalar<string>;
  const segments = scalarSegments(node.value, file, lineStartsOf(file), node.range![0], node.range![1], node.type as ScalarStyle);
  const lines = file.split('\n');
  const template = { text: node.value, line: segments[0].line, column: segments[0].column, segments };
  for (let index = 0; index < node.value.length; index++) {
    const char = node.value[index];
    if (/\s|["'\\]/.test(char)) continue;
    const { line, column } = positionAt(template, index);
    const at = lines[line - 1]?.[column - 1];
    // A character written as an escape (\u00e9) maps to the escape's backslash.
    expect({ index, char, at: at === '\\' ? char : at }).toEqual({ index, char, at: char });
  }
}

describe('scalarSegments', () => {
  it('maps block literals, folded, quoted and plain scalars character by character', () => {
    assertExactMapping('content: |\n  line one {x}\n    indented {y}\n\n  last {z}\n');
    assertExactMapping('content: |-\n    deeper indent {a}\n    more\n');
    assertExactMapping('content: >\n  folded {a}\n  text {b}\n\n  para {c}\n');
    assertExactMapping('content: "esc \\t {a} \\u00e9 {b}\\n next {c}"\n');
    assertExactMapping("content: 'single ''quoted'' {a}'\n");
    assertExactMapping('content: plain {a}\n  continued {b}\n');
    assertExactMapping('k: 1\nlist:\n  - x\ncontent: |\n  a {b}\n');
  });

  it('holds for generated block scalars', () => {
    const line = fc.stringMatching(/^[a-z{}#: ]{0,12}$/).filter((text) => !text.startsWith(' ') && !text.startsWith('#'));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 6 }), (lines, indent) => {
        const pad = ' '.repeat(indent);
        const file = `content: |\n${lines.map((text) => (text.trim() === '' ? '' : pad + text)).join('\n')}\n`;
        assertExactMapping(file);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
