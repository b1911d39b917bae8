import type { Finding, FindingSeverity, RuleName } from './types.ts';
import type { FilePosition } from './source-map.ts';

export function finding(
  file: string,
  position: FilePosition,
  rule: RuleName,
  severity: FindingSeverity,
  check: string,
  message: string,
): Finding {
  return { file, line: position.line, column: position.column, rule, severity, message, check };
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, notice: 2 };

/** Errors first, then by file, line and column: the order annotations and reports show them in. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column,
  );
}
