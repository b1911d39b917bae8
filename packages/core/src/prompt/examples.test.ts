// examples/prompts/README.md lists every broken example with the finding and position prompt-test reports;
// this test holds the README, the example files and the analysis to each other.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePrompt, loadPromptFile, sidecarPathFor } from './index.ts';
import { scanTemplate, scanTestCases } from './injection/index.ts';
import type { Finding } from './types.ts';

const DIRECTORY = join(import.meta.dirname, '../../../../examples/prompts');
const README = readFileSync(join(DIRECTORY, 'README.md'), 'utf8');

function findingsOf(name: string): Finding[] {
  const file = join(DIRECTORY, name);
  const sidecarFile = sidecarPathFor(file);
  const sidecar = existsSync(sidecarFile) ? { file: sidecarFile, text: readFileSync(sidecarFile, 'utf8') } : undefined;
  const prompt = loadPromptFile(name, readFileSync(file, 'utf8'), { sidecar });
  return [...analyzePrompt(prompt), ...scanTemplate(prompt), ...scanTestCases(prompt)];
}

interface Expectation {
  file: string;
  check: string;
  line: number;
  column: number;
}

const EXPECTED: Expectation[] = [...README.matchAll(/^\| `([^`]+)` \| [\w-]+ \| `([^`]+)` \| (\d+):(\d+) \|/gm)].map((match) => ({
  file: match[1],
  check: match[2],
  line: Number(match[3]),
  column: Number(match[4]),
}));

const GOOD = readdirSync(DIRECTORY).filter(
  (name) => !name.startsWith('broken-') && !name.startsWith('injection-') && !name.endsWith('.md') && !name.endsWith('.tests.yaml'),
);

describe('examples/prompts', () => {
  it('lists every broken example in the README', () => {
    const broken = readdirSync(DIRECTORY).filter((name) => name.startsWith('broken-'));
    expect(broken.length).toBeGreaterThanOrEqual(12);
    expect([...new Set(EXPECTED.map((row) => row.file))].filter((file) => file.startsWith('broken-')).sort()).toEqual(broken.sort());
  });

  for (const row of EXPECTED) {
    it(`${row.file} reports ${row.check} at ${row.line}:${row.column}`, () => {
      const findings = findingsOf(row.file);
      expect(findings.map((item) => `${item.check} ${item.line}:${item.column}`)).toContain(`${row.check} ${row.line}:${row.column}`);
      if (row.file.startsWith('broken-')) {
        // The fault's own comment names the same position.
        const comment = readFileSync(join(DIRECTORY, row.file), 'utf8').split('\n---')[0];
        expect(comment).toMatch(new RegExp(`line ${row.line},\\s*(?:#\\s*)?column ${row.column}`));
      }
    });
  }

  it('has one good template per engine, a chat template and a sidecar', () => {
    const engines = GOOD.map((name) => loadPromptFile(name, readFileSync(join(DIRECTORY, name), 'utf8'))).map((prompt) => [prompt.engine, prompt.messages.length]);
    expect(new Set(engines.map(([engine]) => engine))).toEqual(new Set(['format', 'mustache', 'handlebars', 'jinja2']));
    expect(engines.some(([, messages]) => (messages as number) > 1)).toBe(true);
    expect(GOOD.some((name) => existsSync(join(DIRECTORY, sidecarPathFor(name))))).toBe(true);
  });

  for (const name of GOOD) {
    it(`${name} is clean`, () => {
      expect(findingsOf(name).filter((item) => item.severity !== 'notice')).toEqual([]);
    });
  }
});
