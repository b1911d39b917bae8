// Variables as the parsed templates use them, and the checks one set of values must pass before a render
// can be trusted: the missing variable that silently renders as empty text is the bug this catches.
import type { Finding, PromptFile, Role, VariableSpec } from './types.ts';
import { parseTemplateText } from './engines/index.ts';
import type { ParsedTemplate } from './engines/index.ts';
import { finding } from './findings.ts';
import { type FilePosition, positionAt } from './source-map.ts';
import { closestName } from './edit-distance.ts';
import { setOwn } from './engines/own-values.ts';

export interface VariableUseSite extends FilePosition {
  messageIndex: number;
  role: Role;
  /** Used only as a condition or with a default filter. */
  conditional: boolean;
}

export interface ExtractedVariable {
  name: string;
  /** A test case must supply it: used unconditionally (or declared required) and without a default. */
  required: boolean;
  spec: VariableSpec | undefined;
  uses: VariableUseSite[];
  /** Fields read from the items of this variable inside sections and loops (`{{#items}}{{label}}`). */
  fields: Array<{ name: string; fallsBackToTopLevel: boolean } & FilePosition>;
}

export function parsedMessages(prompt: PromptFile): ParsedTemplate[] {
  return prompt.messages.map((message) => parseTemplateText(prompt.engine, message));
}

interface ExtractionCacheEntry {
  engine: PromptFile['engine'];
  declared: PromptFile['variables'];
  messages: PromptFile['messages'];
  result: ExtractedVariable[];
}

const extractions = new WeakMap<PromptFile, ExtractionCacheEntry>();

/** The input variables of a prompt, in order of first use, followed by declared but unused ones. */
export function extractVariables(prompt: PromptFile): ExtractedVariable[] {
  // Every render needs the extraction; recompute only when the prompt's engine, declarations or messages change.
  const cached = extractions.get(prompt);
  if (
    cached &&
    cached.engine === prompt.engine &&
    cached.declared === prompt.variables &&
    cached.messages.length === prompt.messages.length &&
    cached.messages.every((message, index) => message === prompt.messages[index])
  ) {
    return cached.result;
  }
  const result = computeVariables(prompt);
  extractions.set(prompt, { engine: prompt.engine, declared: prompt.variables, messages: [...prompt.messages], result });
  return result;
}

function computeVariables(prompt: PromptFile): ExtractedVariable[] {
  const byName = new Map<string, ExtractedVariable>();
  const entry = (name: string): ExtractedVariable => {
    let variable = byName.get(name);
    if (!variable) {
      variable = { name, required: false, spec: Object.hasOwn(prompt.variables, name) ? prompt.variables[name] : undefined, uses: [], fields: [] };
      byName.set(name, variable);
    }
    return variable;
  };
  parsedMessages(prompt).forEach((parsed, messageIndex) => {
    const message = prompt.messages[messageIndex];
    for (const use of parsed.variables) {
      entry(use.name).uses.push({ ...positionAt(message, use.index), messageIndex, role: message.role, conditional: use.conditional });
    }
    for (const use of parsed.scoped) {
      const variable = entry(use.scope);
      if (!variable.fields.some((field) => field.name === use.name)) {
        variable.fields.push({ name: use.name, fallsBackToTopLevel: use.fallsBackToTopLevel, ...positionAt(message, use.index) });
      }
    }
  });
  for (const name of Object.keys(prompt.variables)) entry(name);
  for (const variable of byName.values()) variable.required = isRequired(variable);
  return [...byName.values()];
}

function isRequired(variable: ExtractedVariable): boolean {
  const spec = variable.spec;
  if (spec?.default !== undefined) return false;
  if (spec?.required !== undefined) return spec.required;
  return variable.uses.some((use) => !use.conditional);
}

/** Where findings about one set of values point: a test case, or the caller of renderPrompt. */
export interface ValuesContext {
  file: string;
  position: FilePosition;
  /** For messages: `test case 'x'`, or `this render`. */
  label: string;
  varSources?: Record<string, { file: string; line: number; column: number }>;
}

export interface ResolvedValues {
  values: Record<string, unknown>;
  findings: Finding[];
}

/** Applies defaults and checks required variables, declared types and max_length. */
export function resolveValues(prompt: PromptFile, variables: readonly ExtractedVariable[], supplied: Record<string, unknown>, context: ValuesContext): ResolvedValues {
  const findings: Finding[] = [];
  // Spreading defines own data properties, so a `__proto__` key stays a key.
  const values: Record<string, unknown> = { ...supplied };
  const suppliedNames = Object.keys(supplied);
  const at = (name: string): { file: string; position: FilePosition } => {
    const source = context.varSources?.[name];
    return source ? { file: source.file, position: { line: source.line, column: source.column } } : { file: context.file, position: context.position };
  };

  for (const variable of variables) {
    const { name, spec } = variable;
    const has = Object.hasOwn(supplied, name) && supplied[name] !== undefined;
    if (!has) {
      if (spec?.default !== undefined) {
        setOwn(values, name, spec.default);
      } else if (variable.required) {
        const firstUse = variable.uses.find((use) => !use.conditional) ?? variable.uses[0];
        const unusedSupplied = suppliedNames.filter((key) => !variables.some((known) => known.name === key));
        const suggestion = closestName(name, unusedSupplied);
        const where = firstUse ? ` (used at line ${firstUse.line}, column ${firstUse.column})` : ' (declared required)';
        findings.push(
          finding(context.file, context.position, 'variables', 'error', 'variables/missing',
            `${capitalize(context.label)} is missing required variable '${name}'${where}: it would render as empty text${suggestion ? `; did you mean '${suggestion}', which it supplies?` : '; supply it or declare a default'}`),
        );
      }
      continue;
    }
    const value = supplied[name];
    if (spec?.type && !hasType(value, spec.type)) {
      const target = at(name);
      findings.push(finding(target.file, target.position, 'variables', 'error', 'variables/type',
        `${capitalize(context.label)}: variable '${name}' must be ${article(spec.type)} ${spec.type}, got ${describeType(value)}`));
    }
    if (spec?.max_length !== undefined && typeof value === 'string') {
      const length = Array.from(value).length;
      if (length > spec.max_length) {
        const target = at(name);
        findings.push(finding(target.file, target.position, 'variables', 'error', 'variables/max-length',
          `${capitalize(context.label)}: variable '${name}' is ${length} characters long, over its max_length of ${spec.max_length}`));
      }
    }
  }
  return { values, findings };
}

/** Supplied values no template reads: usually a misspelt or renamed variable. */
export function unusedValues(variables: readonly ExtractedVariable[], supplied: Record<string, unknown>, context: ValuesContext): Finding[] {
  const findings: Finding[] = [];
  const used = variables.filter((variable) => variable.uses.length > 0 || variable.fields.length > 0);
  const fieldNames = new Set(used.flatMap((variable) => variable.fields.filter((field) => field.fallsBackToTopLevel).map((field) => field.name)));
  for (const key of Object.keys(supplied)) {
    if (used.some((variable) => variable.name === key) || fieldNames.has(key)) continue;
    const suggestion = closestName(key, used.map((variable) => variable.name));
    const source = context.varSources?.[key];
    findings.push(
      finding(source?.file ?? context.file, source ?? context.position, 'variables', 'warning', 'variables/unused',
        `${capitalize(context.label)} supplies '${key}', which the template never uses${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`),
    );
  }
  return findings;
}

/** Fields read inside sections and loops must exist on every item (or, for Mustache, at the top level). */
export function missingFields(variables: readonly ExtractedVariable[], values: Record<string, unknown>, context: ValuesContext): Finding[] {
  const findings: Finding[] = [];
  for (const variable of variables) {
    if (variable.fields.length === 0 || !Object.hasOwn(values, variable.name)) continue;
    const value = values[variable.name];
    const items = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? [value] : value ? [value] : [];
    for (const field of variable.fields) {
      const missingAt = items.findIndex((item) => !(item !== null && typeof item === 'object' && Object.hasOwn(item, field.name)));
      if (missingAt === -1) continue;
      if (field.fallsBackToTopLevel && Object.hasOwn(values, field.name)) continue;
      const item = items[missingAt];
      const label = Array.isArray(value) ? `${variable.name}[${missingAt}]` : variable.name;
      const source = context.varSources?.[variable.name];
      findings.push(
        finding(source?.file ?? context.file, source ?? context.position, 'variables', 'error', 'variables/missing-field',
          `${capitalize(context.label)}: ${label} ${item !== null && typeof item === 'object' ? `has no field '${field.name}'` : `is ${describeType(item)}, not an object with field '${field.name}'`} (read at line ${field.line}, column ${field.column}); it would render as empty text`),
      );
    }
  }
  return findings;
}

export function hasType(value: unknown, type: NonNullable<VariableSpec['type']>): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 30 ? `${value.slice(0, 27)}...` : value)})`;
  return `${article(typeof value)} ${typeof value} (${String(value)})`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function capitalize(text: string): string {
  return text.length > 0 ? text[0].toUpperCase() + text.slice(1) : text;
}

const LEFTOVER_PATTERNS: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /\{%-?|-?%\}/g, what: 'a Jinja statement tag' },
  { pattern: /\{\{\{?\s*[#^/&>!]?\s*[\p{L}_][\p{L}\p{N}_.]*\s*\}?\}\}/gu, what: 'a {{placeholder}}' },
  { pattern: /(?<!\{)\{[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*|\[[^\]{}]*\])*(?:![rsa])?(?::[^{}\n]*)?\}(?!\})/gu, what: 'a {placeholder}' },
];

/** Placeholder syntax left in rendered text that did not come from a supplied value. */
export function leftoverPlaceholders(rendered: string, values: Record<string, unknown>): Array<{ text: string; what: string }> {
  const found: Array<{ text: string; what: string }> = [];
  if (!rendered.includes('{') && !rendered.includes('%}')) return found;
  let valueText: string | undefined;
  for (const { pattern, what } of LEFTOVER_PATTERNS) {
    // The first survivor of each kind is enough: one tag left over usually means its whole block was.
    for (const match of rendered.matchAll(pattern)) {
      valueText ??= collectStrings(values).join('\n');
      if (valueText.includes(match[0])) continue;
      found.push({ text: match[0], what });
      break;
    }
  }
  return found;
}

function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, out);
  return out;
}
