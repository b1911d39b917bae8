// One template through the whole check: load, static analysis with every case rendered (the prompt core),
// the injection scan, prompt-side assertions; then, with provider answers, output assertions, latency,
// tokens and cost. Pure apart from the render-time clock.
import type { Assertion, Finding, RuleName } from '../types.ts';
import { analyzePromptDetailed, loadPromptFile, sortFindings } from '../index.ts';
import { scanTemplate, scanTestCases } from '../injection/index.ts';
import { assertionDefinitionProblem, checkAssertion } from './assertions.ts';
import type { CompletionRequest } from './cache.ts';
import type { CallOutcome } from './execute.ts';
import { costOf, type PriceOverride, priceFor } from './pricing.ts';
import type { CaseReport, TemplateReport } from './report.ts';

export interface TemplateSource {
  file: string;
  text: string;
  sidecar?: { file: string; text: string };
}

export interface PrepareOptions {
  rules: readonly RuleName[];
  inlineTests?: { text: string; source: string };
  /** The `model` input; a front-matter `model` wins. */
  model?: string;
  /** Sampling parameters sent with every request. */
  parameters?: Record<string, unknown>;
}

export interface PreparedCase {
  report: CaseReport;
  /** Absent when the case did not render cleanly: there is nothing trustworthy to send. */
  request?: CompletionRequest;
  outputAssertions: Assertion[];
}

export interface PreparedTemplate {
  report: TemplateReport;
  cases: PreparedCase[];
}

/** A render slower than this is worth a warning: a template loop or filter is doing far too much work. */
export const SLOW_RENDER_MS = 250;

export function prepareTemplate(source: TemplateSource, options: PrepareOptions): PreparedTemplate {
  const prompt = loadPromptFile(source.file, source.text, { sidecar: source.sidecar, inlineTests: options.inlineTests });
  const rules = new Set(options.rules);
  const analysis = analyzePromptDetailed(prompt, options.rules);
  const findings: Finding[] = [...analysis.findings];
  if (rules.has('injection')) findings.push(...scanTemplate(prompt), ...scanTestCases(prompt));
  const model = prompt.model || options.model || '';
  // A template that does not load or parse renders nothing trustworthy: its cases fail with the reason.
  const brokenTemplate = findings.filter((finding) => finding.severity === 'error' && finding.rule === 'syntax');

  const cases = analysis.cases.map((analysed, index): PreparedCase => {
    // analysis.cases follows prompt.tests; without tests it holds one case rendered from defaults
    const assertions = usableAssertions(prompt.tests.length > 0 ? prompt.tests[index].assert : [], analysed.source, findings);
    const promptText = analysed.messages.map((message) => message.content).join('\n');
    const report: CaseReport = {
      name: analysed.name,
      status: 'passed',
      source: analysed.source,
      renderMs: analysed.renderMs,
      promptTokens: analysed.tokens.tokens,
      assertions: assertions.usable
        .filter((assertion) => assertion.target === 'prompt')
        .map((assertion) => checkAssertion(assertion, { text: promptText, tokens: analysed.tokens.tokens })),
      messages: analysed.messages,
    };
    if (rules.has('performance') && analysed.renderMs > SLOW_RENDER_MS) {
      findings.push({
        ...analysed.source,
        rule: 'performance',
        severity: 'warning',
        check: 'performance/slow-render',
        message: `Test case '${analysed.name}' took ${Math.round(analysed.renderMs)} ms to render (over ${SLOW_RENDER_MS} ms): a loop or filter in the template is doing too much work`,
      });
    }
    const errors = [...brokenTemplate, ...analysed.findings.filter((finding) => finding.severity === 'error'), ...assertions.problems];
    if (errors.length > 0) {
      report.status = 'failed';
      report.reason = `${errors[0].message}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`;
      report.reasonIsFinding = true;
    }
    const outputAssertions = assertions.usable.filter((assertion) => assertion.target !== 'prompt');
    for (const assertion of outputAssertions) report.assertions.push(checkAssertion(assertion, { text: undefined }));
    failOnAssertion(report);
    const renderable = errors.length === 0 && analysed.messages.length > 0;
    return { report, outputAssertions, request: renderable ? { messages: analysed.messages, model, parameters: options.parameters ?? {} } : undefined };
  });

  return {
    report: {
      file: source.file,
      name: prompt.name,
      engine: prompt.engine,
      variables: analysis.variables.map((variable) => variable.name),
      cases: cases.map((prepared) => prepared.report),
      findings: sortFindings(dedupe(findings)),
    },
    cases,
  };
}

/** Assertions whose values can be checked; each unusable one becomes an error finding at its case. */
function usableAssertions(assertions: readonly Assertion[], source: CaseReport['source'], findings: Finding[]): { usable: Assertion[]; problems: Finding[] } {
  const usable: Assertion[] = [];
  const problems: Finding[] = [];
  for (const assertion of assertions) {
    const problem = assertionDefinitionProblem(assertion);
    if (problem === undefined) {
      usable.push(assertion);
      continue;
    }
    problems.push({ ...source, rule: 'syntax', severity: 'error', check: 'load/assertion-value', message: `Assertion ${assertion.type}: ${problem}` });
  }
  findings.push(...problems);
  return { usable, problems };
}

/** Applies a provider's answer to a prepared case: output assertions, latency, tokens, cost, status. */
export function applyOutcome(prepared: PreparedCase, outcome: CallOutcome, price: PriceOverride): void {
  const report = prepared.report;
  report.assertions = report.assertions.filter((result) => result.target === 'prompt');
  report.attempts = outcome.attempts;
  if (outcome.status !== 'answered') {
    if (report.status === 'passed') {
      report.status = outcome.status;
      report.reason = outcome.message;
    }
    return;
  }
  const { completion, cached } = outcome;
  report.output = completion.text;
  report.latencyMs = completion.latencyMs;
  report.completionTokens = completion.usage.completionTokens;
  report.costUsd = costOf(completion.usage, priceFor(prepared.request?.model ?? '', price));
  report.cached = cached;
  for (const assertion of prepared.outputAssertions) {
    report.assertions.push(
      checkAssertion(assertion, { text: completion.text, latencyMs: completion.latencyMs, tokens: completion.usage.completionTokens, costUsd: report.costUsd }),
    );
  }
  failOnAssertion(report);
}

function failOnAssertion(report: CaseReport): void {
  const failed = report.assertions.find((result) => result.outcome === 'failed');
  if (report.status === 'passed' && failed) {
    report.status = 'failed';
    report.reason = `${failed.type}${failed.target === 'prompt' ? ' (prompt)' : ''}: ${failed.message}`;
  }
}

/** The injection scan and the analysis may see the same spot; report each finding once. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.file}\0${finding.line}\0${finding.column}\0${finding.check ?? finding.rule}\0${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
