// The shape of a prompt-test run's results: what the JSON report, summary, annotations, JUnit and SARIF
// files are all built from.
import type { EngineName, Finding, RenderedMessage } from '../types.ts';
import type { AssertionResult } from './assertions.ts';

export type CaseStatus = 'passed' | 'failed' | 'error' | 'timed-out';

export interface CaseReport {
  name: string;
  status: CaseStatus;
  /** Where the case is defined. */
  source: { file: string; line: number; column: number };
  /** Why the case did not pass, in one line (first failing assertion, render error or provider error). */
  reason?: string;
  /** The reason is an error finding, already reported (and annotated) with the template's findings. */
  reasonIsFinding?: boolean;
  renderMs: number;
  /** Tokens of the rendered prompt (exact for OpenAI models, estimated otherwise). */
  promptTokens: number;
  assertions: AssertionResult[];
  /** Provider figures, present when a provider answered. */
  output?: string;
  latencyMs?: number;
  completionTokens?: number;
  costUsd?: number;
  cached?: boolean;
  attempts?: number;
  /** The rendered messages, kept for the prompt diff (not written to the JSON report). */
  messages?: RenderedMessage[];
}

export interface VersionComparison {
  /** False when the template is new in this pull request. */
  baseExists: boolean;
  variablesAdded: string[];
  variablesRemoved: string[];
  /** Head minus base prompt tokens of the first case both versions share, or of their first cases. */
  tokenDelta?: number;
  newlyFailing: string[];
  newlyPassing: string[];
  /** Unified diff of the first case's rendered prompt, base → head; empty when identical. */
  renderedDiff: string;
}

export interface TemplateReport {
  file: string;
  name: string;
  engine?: EngineName;
  variables: string[];
  cases: CaseReport[];
  /** Every finding of this template, however many annotations GitHub would show. */
  findings: Finding[];
  /** Present for templates a pull request changed. */
  comparison?: VersionComparison;
  /** Lines the pull request added, for ordering annotations; not serialised. */
  changedLines?: Set<number>;
}

export interface RunTotals {
  templates: number;
  cases: number;
  passed: number;
  failed: number;
  errors: number;
  warnings: number;
  notices: number;
}

export function totalsOf(templates: readonly TemplateReport[]): RunTotals {
  const totals: RunTotals = { templates: templates.length, cases: 0, passed: 0, failed: 0, errors: 0, warnings: 0, notices: 0 };
  for (const template of templates) {
    for (const testCase of template.cases) {
      totals.cases++;
      if (testCase.status === 'passed') totals.passed++;
      else totals.failed++;
    }
    for (const finding of template.findings) {
      if (finding.severity === 'error') totals.errors++;
      else if (finding.severity === 'warning') totals.warnings++;
      else totals.notices++;
    }
  }
  return totals;
}

/** The JSON report: no rendered messages or line sets, everything else as is. */
export function serialiseTemplate(template: TemplateReport): unknown {
  const { changedLines: _changed, ...rest } = template;
  return { ...rest, cases: template.cases.map(({ messages: _messages, ...testCase }) => testCase) };
}
