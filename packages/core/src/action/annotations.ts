// Annotations within GitHub's limits: a step shows at most 10 error and 10 warning annotations (and 10
// notices); more are dropped silently by GitHub, so we cap ourselves and say how many were left out.
import * as core from '@actions/core';

export type Severity = 'error' | 'warning' | 'notice';

export interface Annotation {
  severity: Severity;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export const ANNOTATION_LIMIT_PER_SEVERITY = 10;

export interface AnnotationTally {
  shown: Record<Severity, number>;
  omitted: Record<Severity, number>;
}

/**
 * Emits annotations in the order given (put the most important first), at most `limit` per severity,
 * and returns what was shown and left out so the summary can say so.
 */
export function emitAnnotations(annotations: readonly Annotation[], limit = ANNOTATION_LIMIT_PER_SEVERITY): AnnotationTally {
  const tally: AnnotationTally = { shown: { error: 0, warning: 0, notice: 0 }, omitted: { error: 0, warning: 0, notice: 0 } };
  for (const annotation of annotations) {
    if (tally.shown[annotation.severity] >= limit) {
      tally.omitted[annotation.severity]++;
      continue;
    }
    tally.shown[annotation.severity]++;
    const properties: core.AnnotationProperties = {
      title: annotation.title,
      file: annotation.file,
      startLine: annotation.line,
      endLine: annotation.endLine,
      startColumn: annotation.column,
      endColumn: annotation.endColumn,
    };
    if (annotation.severity === 'error') core.error(annotation.message, properties);
    else if (annotation.severity === 'warning') core.warning(annotation.message, properties);
    else core.notice(annotation.message, properties);
  }
  return tally;
}

/** One sentence for the summary about annotations GitHub would not have shown, or '' when none were cut. */
export function omittedAnnotationsNote(tally: AnnotationTally): string {
  const parts = (Object.keys(tally.omitted) as Severity[])
    .filter((severity) => tally.omitted[severity] > 0)
    .map((severity) => `${tally.omitted[severity]} ${severity}${tally.omitted[severity] === 1 ? '' : 's'}`);
  return parts.length === 0
    ? ''
    : `GitHub shows at most ${ANNOTATION_LIMIT_PER_SEVERITY} annotations of each kind per step; ${parts.join(', ')} more are in the report.`;
}
