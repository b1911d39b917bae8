// The report writers: annotation order, SARIF structure, JUnit counts and escaping, summary caps.
import { expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import type { TemplateReport } from '@model-cicd/core/prompt/runner';
import { buildAnnotations } from './annotations.ts';
import { buildJunit } from './junit.ts';
import { buildSarif } from './sarif.ts';
import { buildSummary, type RunContext } from './summary.ts';
import { totalsOf } from '@model-cicd/core/prompt/runner';

const templates: TemplateReport[] = [
  {
    file: 'prompts/a.prompt',
    name: 'a',
    variables: ['topic'],
    changedLines: new Set([7]),
    findings: [
      { file: 'prompts/a.prompt', line: 3, column: 5, rule: 'variables', severity: 'warning', message: 'unused', check: 'variables/unused' },
      { file: 'prompts/a.prompt', line: 9, column: 1, rule: 'syntax', severity: 'error', message: 'stray }', check: 'syntax/format' },
      { file: 'prompts/a.prompt', line: 7, column: 2, rule: 'injection', severity: 'error', message: 'ignore previous <instructions> & "more"', check: 'injection/override-phrase' },
    ],
    cases: [
      { name: 'ok', status: 'passed', source: { file: 'prompts/a.prompt', line: 12, column: 5 }, renderMs: 0.2, promptTokens: 10, assertions: [] },
      {
        name: 'bad <one>',
        status: 'failed',
        reason: 'contains (output): expected "x"',
        source: { file: 'prompts/a.prompt', line: 15, column: 5 },
        renderMs: 0.3,
        promptTokens: 12,
        latencyMs: 40,
        assertions: [{ type: 'contains', target: 'output', outcome: 'failed', message: 'expected "x"' }],
      },
      { name: 'slow', status: 'timed-out', reason: 'no answer within 30 s', source: { file: 'prompts/a.prompt', line: 18, column: 5 }, renderMs: 0.1, promptTokens: 5, assertions: [] },
    ],
  },
  { file: 'prompts/b.hbs', name: 'b', variables: [], cases: [], findings: [{ file: 'prompts/b.hbs', line: 1, column: 1, rule: 'length', severity: 'notice', message: 'n' }] },
];

it('orders annotations errors first, changed lines first, then by position', () => {
  const annotations = buildAnnotations(templates);
  expect(annotations.map((a) => `${a.severity}:${a.line}`)).toEqual(['error:7', 'error:9', 'error:15', 'error:18', 'warning:3', 'notice:1']);
  expect(annotations[0]).toMatchObject({ file: 'prompts/a.prompt', column: 2, title: 'prompt-test injection (injection/override-phrase)' });
  expect(annotations[2].title).toBe('prompt-test case "bad <one>" failed');
});

it('writes SARIF 2.1.0 with one rule per check and physical locations', () => {
  const sarif = buildSarif(templates, '1.0.0') as any;
  expect(sarif.version).toBe('2.1.0');
  const run = sarif.runs[0];
  expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['variables/unused', 'syntax/format', 'injection/override-phrase', 'case/failed', 'case/timed-out', 'length']);
  expect(run.results).toHaveLength(6);
  const injectionRule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'injection/override-phrase');
  expect(injectionRule.shortDescription.text).not.toBe(run.tool.driver.rules.find((r: { id: string }) => r.id === 'syntax/format').shortDescription.text);
  expect(injectionRule.shortDescription.text.length).toBeGreaterThan(10);
  for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  expect(run.results[1]).toMatchObject({ level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'prompts/a.prompt' }, region: { startLine: 9, startColumn: 1 } } }] });
  expect(run.results[5].level).toBe('note');
  // the parts of the SARIF 2.1.0 schema GitHub code scanning relies on
  const validate = new Ajv({ strict: false }).compile({
    type: 'object',
    required: ['version', 'runs'],
    properties: {
      runs: {
        type: 'array',
        items: {
          type: 'object',
          required: ['tool', 'results'],
          properties: {
            tool: { type: 'object', required: ['driver'], properties: { driver: { type: 'object', required: ['name', 'rules'] } } },
            results: {
              type: 'array',
              items: {
                type: 'object',
                required: ['ruleId', 'message', 'locations', 'level'],
                properties: { level: { enum: ['none', 'note', 'warning', 'error'] }, message: { type: 'object', required: ['text'] } },
              },
            },
          },
        },
      },
    },
  });
  expect(validate(sarif)).toBe(true);
});

it('writes JUnit with counts, escaped names and a template-checks case', () => {
  const xml = buildJunit(templates);
  expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="prompt-test" tests="5" failures="2" errors="1">/);
  expect(xml).toContain('<testsuite name="prompts/a.prompt" tests="4" failures="2" errors="1" skipped="0"');
  expect(xml).toContain('name="bad &lt;one&gt;" time="0.040"');
  expect(xml).toContain('ignore previous &lt;instructions&gt; &amp; &quot;more&quot;');
  expect(xml).toContain('<error message="no answer within 30 s" type="timed-out"/>');
  expect(xml).toContain('<testcase classname="prompts/b.hbs" name="template checks" time="0"></testcase>');
});

it('summarises every case and finding, and the omitted annotations', () => {
  const context: RunContext = {
    totals: totalsOf(templates),
    verdict: 'failed',
    failOn: 'error',
    provider: 'none',
    scope: 'All 2 matched templates tested',
    annotationsNote: 'GitHub shows at most 10 annotations of each kind per step; 3 errors more are in the report.',
    reportPath: '/tmp/r.json',
    wallMs: 1234,
  };
  const summary = buildSummary(templates, context);
  expect(summary).toContain('❌ **1** of 3 cases passed, **2** failed; 2 errors, 1 warning across 2 templates (fail-on: error).');
  expect(summary).toContain('| prompts/a.prompt | bad <one> | ❌ failed | 12 |');
  expect(summary).toContain('| prompts/b.hbs | (no cases) |');
  expect(summary).toContain('> GitHub shows at most 10 annotations');
  expect(summary).toContain('| prompts/a.prompt:9:1 | error | syntax | stray } |');
  expect(summary).not.toContain('not checked');
  const skipped = structuredClone(templates);
  skipped[0].cases[0].assertions.push({ type: 'contains', target: 'output', outcome: 'skipped', message: 'needs a model answer' });
  expect(buildSummary(skipped, context)).toContain('1 output assertion was not checked (no model answer); set `provider: openai-compatible` to check it.');
});
