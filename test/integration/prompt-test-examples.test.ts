// The bundled action over the repository's examples/prompts, as the README's main job runs it: every
// deliberately broken template listed in examples/prompts/README.md is reported with its check at the
// listed line and column (in the report, and as an annotation while under GitHub's cap), and the good
// templates pass. Build first: npm run build -w @model-cicd/prompt-test
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commandsOf, removeRunnerTemp, repoRoot, runAction, type ActionRun } from '../harness/run-action.ts';

// Each test starts the bundled action as a process; a loaded CI machine can take a while.
jest.setTimeout(120_000);

interface Row {
  file: string;
  check: string;
  line: number;
  column: number;
}

/** Rows of the README's tables that name a file, a check and a Line:Col. */
async function expectedFindings(): Promise<Row[]> {
  const readme = await readFile(join(repoRoot, 'examples/prompts/README.md'), 'utf8');
  const rows: Row[] = [];
  for (const line of readme.split('\n')) {
    const match = /^\| `([^`]+)` \|[^|]*\| `([a-z-]+\/[a-z-]+)` \| (\d+):(\d+) \|/.exec(line);
    if (match) rows.push({ file: `examples/prompts/${match[1]}`, check: match[2], line: Number(match[3]), column: Number(match[4]) });
  }
  return rows;
}

interface Report {
  templates: { file: string; cases: { name: string; status: string }[]; findings: (Row & { severity: string; rule: string; message: string })[] }[];
}

let run: ActionRun;
let report: Report;
let rows: Row[];
beforeAll(async () => {
  rows = await expectedFindings();
  run = await runAction('prompt-test', { templates: 'examples/prompts/**, !**/README.md', 'all-files': 'true' }, { cwd: repoRoot });
  report = JSON.parse(await readFile(run.outputs['report-path'], 'utf8'));
}, 180_000);
afterAll(() => removeRunnerTemp(run));

it('finds the README rows to check', () => {
  expect(rows.length).toBeGreaterThanOrEqual(10);
});

it('reports every listed fault with its check at the listed line and column', () => {
  const findings = report.templates.flatMap((t) => t.findings);
  const missing = rows.filter((row) => !findings.some((f) => f.file === row.file && f.check === row.check && f.line === row.line && f.column === row.column));
  expect(missing).toEqual([]);
});

it('annotates errors at their position, within GitHub\'s cap, and says how many more there are', () => {
  const errors = commandsOf(run, 'error');
  expect(errors.length).toBeLessThanOrEqual(10);
  for (const annotation of errors) {
    const file = annotation.properties.file;
    const template = report.templates.find((t) => t.file === file);
    expect(template).toBeDefined();
  }
  const totalErrors = report.templates.flatMap((t) => t.findings).filter((f) => f.severity === 'error').length;
  if (totalErrors > 10) expect(run.summary).toMatch(/GitHub shows at most 10 annotations of each kind per step; \d+ errors? /);
  expect(run.exitCode).toBe(1);
});

it('passes the good templates with no error or warning', () => {
  const good = report.templates.filter((t) => !/\/(broken|injection)-/.test(t.file));
  expect(good.length).toBeGreaterThanOrEqual(5);
  for (const template of good) {
    expect({ file: template.file, problems: template.findings.filter((f) => f.severity !== 'notice') }).toEqual({ file: template.file, problems: [] });
    expect({ file: template.file, failing: template.cases.filter((c) => c.status !== 'passed') }).toEqual({ file: template.file, failing: [] });
  }
});
