// The contract every template engine module fulfils: parse once (pure, positions as indexes into the
// template text), then render any number of variable sets.
import type { EngineName, FindingSeverity } from '../types.ts';

/** One use of a top-level input variable. */
export interface VariableUse {
  name: string;
  /** Index in the template text of the variable's name. */
  index: number;
  /** Attribute / index path after the name (`a.b[0]` gives `['b', '0']`). */
  path: string[];
  /** Used only as a condition or with a default: a missing value is not an error. */
  conditional: boolean;
}

/** A name resolved against the items of a section or loop over a top-level variable, not the top level. */
export interface ScopedUse {
  /** The top-level variable iterated or entered (`items` in `{{#items}}` or `{% for x in items %}`). */
  scope: string;
  /** The field read from each item (`name` in `{{name}}` or `{{ x.name }}`). */
  name: string;
  index: number;
  /** Mustache and Handlebars fall back to top-level variables when an item lacks the field. */
  fallsBackToTopLevel: boolean;
}

export interface EngineIssue {
  index: number;
  rule: 'syntax' | 'variables';
  severity: FindingSeverity;
  check: string;
  message: string;
}

export interface ParsedTemplate {
  engine: EngineName;
  variables: VariableUse[];
  scoped: ScopedUse[];
  /** Static text pieces in template order. */
  literals: Array<{ index: number; text: string }>;
  issues: EngineIssue[];
  /** False when a syntax error makes rendering impossible or meaningless. */
  renderable: boolean;
  /** Renders with the given variables; throws `TemplateRenderError` on a runtime failure. */
  render(vars: Record<string, unknown>): string;
}

export class TemplateRenderError extends Error {
  readonly index: number | undefined;
  constructor(message: string, index?: number) {
    super(message);
    this.name = 'TemplateRenderError';
    this.index = index;
  }
}

export type TemplateParser = (text: string) => ParsedTemplate;

/** Offset of (1-based line, 0-based column) in `text`, as Handlebars reports locations. */
export function indexOfLineColumn(lineStarts: readonly number[], line: number, column: number): number {
  const start = lineStarts[Math.max(0, Math.min(line - 1, lineStarts.length - 1))] ?? 0;
  return start + column;
}

const HALF_OPENED_TAG = /(?<!\{)\{\s*[\p{L}_][\p{L}\p{N}_.]*\s*\}\}/gu;

/** `{name}}` in static text: a tag that lost one opening brace renders as literal text. */
export function strayBraceIssues(literals: ReadonlyArray<{ index: number; text: string }>): EngineIssue[] {
  const issues: EngineIssue[] = [];
  for (const literal of literals) {
    for (const match of literal.text.matchAll(HALF_OPENED_TAG)) {
      const name = match[0].slice(1, -2).trim();
      issues.push({
        index: literal.index + (match.index ?? 0),
        rule: 'syntax',
        severity: 'error',
        check: 'syntax/stray-brace',
        message: `'${match[0]}' has one opening brace and two closing ones, so it stays literal text: write {{${name}}}`,
      });
    }
  }
  return issues;
}
