// Bad input must become findings, never exceptions: fuzz whole prompt files through load, analysis and
// rendering for every engine.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { analyzePromptDetailed } from './analyze.ts';
import { loadPromptFile } from './load.ts';
import { renderPrompt } from './render.ts';
import { RULE_NAMES } from './types.ts';

const PIECES = [
  '{', '}', '{{', '}}', '{%', '%}', '{#', '#}', '{{#', '{{/', '{{^', '{{>', 'name', 'items', ' ', '\n', ':', '!r', '|', 'upper',
  'for x in items', 'endfor', 'if', 'endif', 'each', '.', '[0]', '"', "'", '---', '- ', 'tests', 'vars', 'é', '\u200b',
];
const EXTENSIONS = ['prompt', 'mustache', 'hbs', 'j2'];

const fragment = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => parts.join(''));
const frontMatter = fc.oneof(
  fc.constant(''),
  fragment.map((yaml) => `---\n${yaml}\n---\n`),
  fc.constant('---\ntests:\n  - {name: a, items: [{name: x}]}\n  - 7\n---\n'),
  fc.constant('---\nmessages:\n  - role: system\n    content: |\n      {{ name }} {name}\n---\n'),
);

describe('robustness', () => {
  it('never throws on arbitrary prompt files, for every engine', () => {
    fc.assert(
      fc.property(frontMatter, fragment, fc.constantFrom(...EXTENSIONS), (head, body, extension) => {
        const prompt = loadPromptFile(`fuzz.${extension}`, head + body);
        const analysis = analyzePromptDetailed(prompt, RULE_NAMES);
        for (const item of analysis.findings) {
          expect(item.line).toBeGreaterThanOrEqual(1);
          expect(item.column).toBeGreaterThanOrEqual(1);
        }
        renderPrompt(prompt, { name: 'n', items: [{ name: 'x' }, 'y'] });
      }),
      { numRuns: 400, seed: 3 },
    );
  });
});
