// Findings and failed cases as annotations, most important first: errors before warnings before notices,
// and within a severity the lines this pull request changed before the rest (GitHub shows only 10 of each).
import type { Annotation } from '@model-cicd/core/action';
import type { TemplateReport } from '@model-cicd/core/prompt/runner';

interface Ranked extends Annotation {
  changed: boolean;
}

const SEVERITY_RANK = { error: 0, warning: 1, notice: 2 } as const;

export function buildAnnotations(templates: readonly TemplateReport[]): Annotation[] {
  const ranked: Ranked[] = [];
  for (const template of templates) {
    const changed = (line: number) => template.changedLines?.has(line) ?? false;
    for (const finding of template.findings) {
      ranked.push({
        severity: finding.severity,
        title: `prompt-test ${finding.rule}${finding.check ? ` (${finding.check})` : ''}`,
        message: finding.message,
        file: finding.file,
        line: finding.line,
        column: finding.column,
        changed: changed(finding.line),
      });
    }
    for (const testCase of template.cases) {
      // a case failed by a finding is annotated once, by that finding
      if (testCase.status === 'passed' || testCase.reasonIsFinding) continue;
      ranked.push({
        severity: 'error',
        title: `prompt-test case "${testCase.name}" ${testCase.status}`,
        message: testCase.reason ?? testCase.status,
        file: testCase.source.file,
        line: testCase.source.line,
        column: testCase.source.column,
        changed: changed(testCase.source.line),
      });
    }
  }
  ranked.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      Number(b.changed) - Number(a.changed) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
  return ranked.map(({ changed: _changed, ...annotation }) => annotation);
}
