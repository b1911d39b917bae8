// The `format` engine: Python `str.format` templates, parsed by our own mirror of string.Formatter().parse
// and rendered with str.format semantics. Values are data; attribute access reads own keys only.
import type { EngineIssue, ParsedTemplate, VariableUse } from './types.ts';
import { TemplateRenderError } from './types.ts';
import { type FormatField, parseFormatString } from './format-parse.ts';
import { parseFormatSpec, pyAscii, pyFormat, pyRepr, pyStr } from './python-values.ts';
import { ownValue } from './own-values.ts';

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export function parseFormatTemplate(text: string): ParsedTemplate {
  const parsed = parseFormatString(text);
  const issues: EngineIssue[] = parsed.errors.map((error) => ({
    index: error.index,
    rule: 'syntax',
    severity: 'error',
    check: 'syntax/format',
    message: error.message,
  }));
  const variables: VariableUse[] = [];
  const literals: Array<{ index: number; text: string }> = [];
  const fields: FormatField[] = [];
  for (const piece of parsed.pieces) {
    if (piece.kind === 'literal') literals.push({ index: piece.index, text: piece.text });
    else fields.push(piece.field, ...piece.field.nested);
  }
  for (const field of fields) checkField(field, variables, issues);
  const renderable = !issues.some((issue) => issue.severity === 'error');
  return {
    engine: 'format',
    variables,
    scoped: [],
    literals,
    issues,
    renderable,
    render(vars) {
      let out = '';
      for (const piece of parsed.pieces) out += piece.kind === 'literal' ? piece.text : renderField(piece.field, vars);
      return out;
    },
  };
}

function checkField(field: FormatField, variables: VariableUse[], issues: EngineIssue[]): void {
  const { root } = field;
  const fieldText = `{${field.fieldName}}`;
  if (root === '' || /^\d+$/.test(root)) {
    issues.push({
      index: field.start,
      rule: 'syntax',
      severity: 'error',
      check: 'syntax/format-positional',
      message: `Positional field ${fieldText}: prompt templates are rendered with named variables only; give it a name such as {topic}`,
    });
    return;
  }
  if (!IDENTIFIER.test(root)) {
    const trimmed = root.trim();
    const message = IDENTIFIER.test(trimmed)
      ? `Field name '${root}' has surrounding spaces: Python looks up the key '${root}' literally; write {${trimmed}}`
      : `'${fieldText}' is not a variable name: if these braces are literal text (JSON, code), double them ({{ and }})`;
    issues.push({ index: field.start, rule: 'syntax', severity: 'error', check: 'syntax/format-field-name', message });
    return;
  }
  variables.push({ name: root, index: field.rootIndex, path: field.accessors.map((accessor) => accessor.key), conditional: false });
  if (field.accessors.length > 0) {
    issues.push({
      index: field.accessors[0].index - 1,
      rule: 'variables',
      severity: 'warning',
      check: 'variables/attribute-access',
      message: `{${field.fieldName}} reads ${field.accessors[0].kind === 'attribute' ? 'an attribute' : 'an index'} of '${root}': Python str.format resolves it with getattr/getitem, which differs between dicts and objects; pass a flat variable instead`,
    });
  }
  if (field.nested.length === 0 && field.formatSpec !== '' && !parseFormatSpec(field.formatSpec)) {
    issues.push({
      index: field.formatSpecIndex,
      rule: 'syntax',
      severity: 'error',
      check: 'syntax/format-spec',
      message: `Invalid format specifier '${field.formatSpec}' in {${field.fieldName}:${field.formatSpec}}`,
    });
  }
}

function renderField(field: FormatField, vars: Record<string, unknown>): string {
  let value = Object.hasOwn(vars, field.root) ? vars[field.root] : undefined;
  if (value === undefined) return '';
  for (const accessor of field.accessors) {
    const key = accessor.kind === 'index' && /^\d+$/.test(accessor.key) ? Number(accessor.key) : accessor.key;
    const next = ownValue(value, key);
    if (!next.found) {
      throw new TemplateRenderError(`{${field.fieldName}}: '${field.root}' has no ${accessor.kind === 'attribute' ? 'attribute' : 'key'} '${accessor.key}'`, accessor.index);
    }
    value = next.value;
  }
  if (field.conversion === 'r') value = pyRepr(value);
  else if (field.conversion === 's') value = pyStr(value);
  else if (field.conversion === 'a') value = pyAscii(value);
  let spec = field.formatSpec;
  if (field.nested.length > 0) {
    const parsedSpec = parseFormatString(spec, field.formatSpecIndex, 2);
    spec = parsedSpec.pieces.map((piece) => (piece.kind === 'literal' ? piece.text : renderField(piece.field, vars))).join('');
  }
  try {
    return pyFormat(value, spec);
  } catch (error) {
    throw new TemplateRenderError(`{${field.fieldName}:${spec}}: ${(error as Error).message}`, field.formatSpecIndex);
  }
}
