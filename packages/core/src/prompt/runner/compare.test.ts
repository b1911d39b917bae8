import { expect, it } from '@jest/globals';
import { compareVersions } from './compare.ts';
import type { CaseReport, TemplateReport } from './report.ts';

const testCase = (name: string, status: CaseReport['status'], content: string, promptTokens: number): CaseReport => ({
  name,
  status,
  source: { file: 'p.prompt', line: 1, column: 1 },
  renderMs: 0,
  promptTokens,
  assertions: [],
  messages: [{ role: 'user', content }],
});
const template = (variables: string[], cases: CaseReport[]): TemplateReport => ({ file: 'p.prompt', name: 'p', variables, cases, findings: [] });

it('reports variables added and removed, token delta, flipped cases and the prompt diff', () => {
  const base = template(['style', 'topic'], [testCase('a', 'passed', 'Write a post\nabout cats', 10), testCase('b', 'failed', 'x', 3), testCase('gone', 'passed', 'y', 1)]);
  const head = template(['topic', 'tone'], [testCase('a', 'failed', 'Write a long post\nabout cats', 12), testCase('b', 'passed', 'x', 3), testCase('new', 'failed', 'z', 1)]);
  const comparison = compareVersions(base, head);
  expect(comparison).toMatchObject({ baseExists: true, variablesAdded: ['tone'], variablesRemoved: ['style'], tokenDelta: 2, newlyFailing: ['a'], newlyPassing: ['b'] });
  expect(comparison.renderedDiff).toContain('--- base/p.prompt (case "a")');
  expect(comparison.renderedDiff).toContain('-Write a post\n+Write a long post\n about cats');
});

it('treats a template without a base version as new', () => {
  expect(compareVersions(undefined, template(['x'], []))).toEqual({ baseExists: false, variablesAdded: ['x'], variablesRemoved: [], newlyFailing: [], newlyPassing: [], renderedDiff: '' });
});
