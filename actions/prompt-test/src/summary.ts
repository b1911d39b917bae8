// The job summary and the sticky comment, from the run's templates and totals.
import { details, fenced, formatNumber, table } from '@model-cicd/core/action';
import type { CaseReport, RunTotals, TemplateReport } from '@model-cicd/core/prompt/runner';

/** Rows beyond these go to the JSON report only, keeping the summary under GitHub's 1 MiB limit. */
const MAX_CASE_ROWS = 300;
const MAX_FINDING_ROWS = 200;
const MAX_DIFF_CHARS = 6000;

export interface RunContext {
  totals: RunTotals;
  verdict: 'passed' | 'failed';
  failOn: 'error' | 'warning';
  provider: string;
  /** e.g. "pull request #12: 3 changed templates tested, 40 unchanged skipped". */
  scope: string;
  annotationsNote: string;
  providerStats?: { requests: number; cacheHits: number; deduplicated: number };
  reportPath: string;
  wallMs: number;
}

const STATUS_ICON: Record<CaseReport['status'], string> = { passed: '✅ passed', failed: '❌ failed', error: '💥 error', 'timed-out': '⏱️ timed out' };

const ms = (value: number | undefined) => (value === undefined ? '–' : `${formatNumber(value, 3)} ms`);
const usd = (value: number | undefined) => (value === undefined ? '–' : `$${formatNumber(value, 3)}`);

export function headline(context: RunContext): string {
  const { totals } = context;
  const icon = context.verdict === 'passed' ? '✅' : '❌';
  return `${icon} **${totals.passed}** of ${totals.cases} case${totals.cases === 1 ? '' : 's'} passed, **${totals.failed}** failed; ${totals.errors} error${totals.errors === 1 ? '' : 's'}, ${totals.warnings} warning${totals.warnings === 1 ? '' : 's'} across ${totals.templates} template${totals.templates === 1 ? '' : 's'} (fail-on: ${context.failOn}).`;
}

export function buildSummary(templates: readonly TemplateReport[], context: RunContext): string {
  const parts = [`## prompt-test`, headline(context), `${context.scope} · provider: \`${context.provider}\` · ${formatNumber(context.wallMs / 1000, 3)} s`];
  if (context.providerStats) {
    const s = context.providerStats;
    parts.push(`Provider calls: ${s.requests} sent, ${s.cacheHits} answered from the cache, ${s.deduplicated} identical cases sent once.`);
  }
  if (context.annotationsNote) parts.push(`> ${context.annotationsNote}`);
  const skipped = templates.reduce((sum, t) => sum + t.cases.reduce((n, c) => n + c.assertions.filter((a) => a.outcome === 'skipped').length, 0), 0);
  if (skipped > 0) {
    parts.push(`${skipped} output assertion${skipped === 1 ? ' was' : 's were'} not checked (no model answer); set \`provider: openai-compatible\` to check ${skipped === 1 ? 'it' : 'them'}.`);
  }

  parts.push('### Cases', caseTable(templates));
  const findings = templates.flatMap((t) => t.findings);
  if (findings.length > 0) {
    const rows = findings.slice(0, MAX_FINDING_ROWS).map((f) => [`${f.file}:${f.line}:${f.column}`, f.severity, f.rule, f.message]);
    parts.push('### Findings', table(['Where', 'Severity', 'Rule', 'Message'], rows));
    if (findings.length > MAX_FINDING_ROWS) parts.push(`…and ${findings.length - MAX_FINDING_ROWS} more findings in the JSON report (\`${context.reportPath}\`).`);
  }
  const changed = templates.filter((t) => t.comparison);
  if (changed.length > 0) parts.push('### Changes against the base branch', changesSection(changed));
  return `${parts.join('\n\n')}\n`;
}

function caseTable(templates: readonly TemplateReport[]): string {
  const rows: unknown[][] = [];
  let total = 0;
  for (const template of templates) {
    if (template.cases.length === 0) {
      total++;
      if (rows.length < MAX_CASE_ROWS) {
        const errors = template.findings.filter((f) => f.severity === 'error').length;
        rows.push([template.file, '(no cases)', errors ? `❌ ${errors} error${errors === 1 ? '' : 's'}` : '–', '–', '–', '–', '–', '']);
      }
    }
    for (const testCase of template.cases) {
      total++;
      if (rows.length >= MAX_CASE_ROWS) continue;
      rows.push([
        template.file,
        testCase.name,
        STATUS_ICON[testCase.status],
        formatNumber(testCase.promptTokens),
        ms(testCase.renderMs),
        testCase.cached ? 'cached' : ms(testCase.latencyMs),
        usd(testCase.costUsd),
        testCase.status === 'passed' ? '' : (testCase.reason ?? ''),
      ]);
    }
  }
  const more = total > MAX_CASE_ROWS ? `\n\n…and ${total - MAX_CASE_ROWS} more rows in the JSON report.` : '';
  return table(['Template', 'Case', 'Status', 'Prompt tokens', 'Render', 'Latency', 'Cost', 'Detail'], rows) + more;
}

function changesSection(changed: readonly TemplateReport[]): string {
  const rows = changed.map((t) => {
    const c = t.comparison!;
    return [
      t.file,
      c.baseExists ? 'modified' : 'new',
      c.variablesAdded.join(', ') || '–',
      c.variablesRemoved.join(', ') || '–',
      c.tokenDelta === undefined ? '–' : `${c.tokenDelta > 0 ? '+' : ''}${c.tokenDelta}`,
      c.newlyFailing.join(', ') || '–',
      c.newlyPassing.join(', ') || '–',
    ];
  });
  const diffs = changed
    .filter((t) => t.comparison?.renderedDiff)
    .map((t) => {
      const diff = t.comparison!.renderedDiff;
      const shown = diff.length > MAX_DIFF_CHARS ? `${diff.slice(0, MAX_DIFF_CHARS)}\n… (diff truncated)` : diff;
      return details(`Rendered prompt diff: <code>${t.file.replace(/[<>&]/g, '')}</code>`, fenced(shown, 'diff'));
    });
  return [table(['Template', 'Change', 'Variables added', 'Variables removed', 'Token Δ', 'Newly failing', 'Newly passing'], rows), ...diffs].join('\n\n');
}

/** The sticky comment: the headline, what failed and what changed; the job summary has the rest. */
export function buildComment(templates: readonly TemplateReport[], context: RunContext, runUrl: string | undefined): string {
  const parts = ['### prompt-test', headline(context), context.scope];
  const failing = templates.flatMap((t) => t.cases.filter((c) => c.status !== 'passed').map((c) => [t.file, c.name, STATUS_ICON[c.status], c.reason ?? '']));
  if (failing.length) parts.push(table(['Template', 'Case', 'Status', 'Why'], failing.slice(0, 50)));
  const errors = templates.flatMap((t) => t.findings.filter((f) => f.severity !== 'notice')).map((f) => [`${f.file}:${f.line}`, f.severity, f.rule, f.message]);
  if (errors.length) parts.push(table(['Where', 'Severity', 'Rule', 'Message'], errors.slice(0, 50)));
  if (failing.length > 50 || errors.length > 50) parts.push('(first 50 rows of each; see the job summary for all)');
  const changed = templates.filter((t) => t.comparison);
  if (changed.length) parts.push(changesSection(changed));
  if (runUrl) parts.push(`[Full report in the job summary](${runUrl})`);
  return parts.join('\n\n');
}
