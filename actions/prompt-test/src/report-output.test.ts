import { expect, it } from '@jest/globals';
import { reportOutput } from './report-output.ts';

const finding = { file: 'p.prompt', line: 1, column: 1, rule: 'syntax', severity: 'error', message: 'x' };
const report = (cases: number) => ({
  totals: { cases },
  templates: [
    {
      file: 'p.prompt',
      findings: [finding],
      cases: Array.from({ length: cases }, (_, i) => ({ name: `c${i}`, status: i === 0 ? 'failed' : 'passed', source: { file: 'p.prompt', line: 2, column: 1 }, assertions: [{ message: 'y'.repeat(200) }], output: 'z'.repeat(300) })),
    },
  ],
});

it('is the full report when it fits', () => {
  expect(JSON.parse(reportOutput(report(2) as never, '/r.json'))).toEqual(report(2));
});

it('drops case details, never findings, when the report is too big', () => {
  const parsed = JSON.parse(reportOutput(report(50) as never, '/r.json', 10_000));
  expect(parsed.truncated).toMatch(/over GitHub's output limit; read report-path \(\/r.json\)/);
  expect(parsed.templates[0].findings).toEqual([finding]);
  expect(parsed.templates[0].cases[0]).toEqual({ name: 'c0', status: 'failed', source: { file: 'p.prompt', line: 2, column: 1 } });
});

it('keeps only findings and failed case names when even that is too big', () => {
  const parsed = JSON.parse(reportOutput(report(500) as never, '/r.json', 10_000));
  expect(parsed.templates).toEqual([{ file: 'p.prompt', findings: [finding], failedCases: ['c0'] }]);
});
