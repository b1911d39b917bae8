// The `report` output within GitHub's limits: outputs are capped at 1 MB, so a large run's output keeps
// every finding and each case's verdict, and leaves the details (assertions, answers) to the report file.
import type { CaseReport } from '@model-cicd/core/prompt/runner';

export const OUTPUT_LIMIT_BYTES = 1_000_000;

interface ReportShape {
  templates: Array<{ cases: Partial<CaseReport>[] } & Record<string, unknown>>;
  [key: string]: unknown;
}

/** The JSON for the `report` output: the full report when it fits, else a compact one that says so. */
export function reportOutput(report: ReportShape, reportPath: string, limit = OUTPUT_LIMIT_BYTES): string {
  const full = JSON.stringify(report);
  if (Buffer.byteLength(full) <= limit) return full;
  const compact = {
    ...report,
    truncated: `the full report is ${Buffer.byteLength(full).toLocaleString('en-US')} bytes, over GitHub's output limit; read report-path (${reportPath}) for every case's details`,
    templates: report.templates.map((template) => ({
      ...template,
      comparison: undefined,
      cases: template.cases.map(({ name, status, reason, source }) => ({ name, status, reason, source })),
    })),
  };
  const compactText = JSON.stringify(compact);
  if (Buffer.byteLength(compactText) <= limit) return compactText;
  // Still too big: totals and findings only, which is what annotations and gates need.
  return JSON.stringify({
    ...compact,
    templates: report.templates.map((template) => ({ file: template.file, findings: template.findings, failedCases: template.cases.filter((c) => c.status !== 'passed').map((c) => c.name) })),
  });
}
