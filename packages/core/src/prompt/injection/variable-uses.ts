import { parseTemplateText, TEMPLATE_PARSERS } from '../engines/index.ts';
import type { EngineName, TemplateText } from '../types.ts';
import { findPlaceholders, type Placeholder } from './placeholders.ts';

/** One place a message reads a variable, with the bounds of the whole expression around it. */
export interface VariableUse {
  /** The top-level variable (for loop items: the variable iterated over). */
  name: string;
  /** Offsets of the whole expression (`{{ name }}`, `{% for d in docs %}`) in the message text. */
  start: number;
  end: number;
  /** `output` writes text into the prompt; `block` opens a loop, section or condition over it. */
  kind: 'output' | 'block';
  /** An item of the variable (`{{ d }}` inside `{% for d in docs %}`), not the variable itself. */
  item: boolean;
}

/**
 * Variables a message reads. Which names are variables comes from the engine parsers (one
 * extraction for the whole project); this adds the expression bounds around each use, and the
 * whole-item outputs of loops and sections (`{{ d }}`, `{{.}}`, `{{this}}`), which carry the
 * iterated variable's data but are not uses of a top-level name.
 */
export function variableUses(message: TemplateText, engine: EngineName): VariableUse[] {
  const parsed = parseTemplateText(engine, message);
  const placeholders = findPlaceholders(message.text, engine);
  const around = (index: number, length: number): Placeholder =>
    placeholders.find((p) => p.start <= index && index < p.end) ?? { start: index, end: index + length, inner: '', innerStart: index, kind: 'output' };
  const uses: VariableUse[] = [];
  const add = (use: VariableUse) => {
    if (!uses.some((u) => u.start === use.start && u.name === use.name)) uses.push(use);
  };
  for (const variable of parsed.variables) {
    const placeholder = around(variable.index, variable.name.length);
    const block = placeholder.kind === 'tag' || /^[#^]/.test(placeholder.inner.trim());
    add({ name: variable.name, start: placeholder.start, end: placeholder.end, kind: block ? 'block' : 'output', item: false });
    if (block) {
      for (const output of itemOutputs(placeholder, placeholders)) add({ name: variable.name, start: output.start, end: output.end, kind: 'output', item: true });
    }
  }
  for (const scoped of parsed.scoped) {
    const placeholder = around(scoped.index, scoped.name.length);
    add({ name: scoped.scope, start: placeholder.start, end: placeholder.end, kind: 'output', item: true });
  }
  return uses.sort((a, b) => a.start - b.start);
}

const JINJA_LOOP = /^-?\s*for\s+([\w\s,]+?)\s+in\s/;
const HANDLEBARS_ALIAS = /\bas\s*\|\s*([\w\s]+?)\s*\|/;

/** Outputs of the whole current item inside the body of a loop or section opened by `opener`. */
function itemOutputs(opener: Placeholder, placeholders: Placeholder[]): Placeholder[] {
  const inner = opener.inner.trim();
  const loop = JINJA_LOOP.exec(inner);
  const isSection = /^[#^]/.test(inner);
  if (!loop && !isSection) return [];
  const aliases = new Set(loop ? loop[1].split(',').map((s) => s.trim()) : (HANDLEBARS_ALIAS.exec(inner)?.[1].split(/\s+/) ?? []));
  const outputs: Placeholder[] = [];
  let depth = 0;
  for (const p of placeholders) {
    if (p.start < opener.end) continue;
    const text = p.inner.trim().replace(/^-|-$/g, '').trim();
    const opens = loop ? /^(for|if)\b/.test(text) : /^[#^]/.test(text);
    const closes = loop ? /^(endfor|endif)\b/.test(text) : text.startsWith('/');
    if (opens) depth++;
    else if (closes && depth-- === 0) break;
    if (p.kind !== 'output') continue;
    const root = /^([\w.]+?)(?:[.\s|[]|$)/.exec(text)?.[1] ?? text;
    if (aliases.has(root) || (!loop && depth === 0 && (text === '.' || text === 'this' || text.startsWith('this.') || text.startsWith('this ')))) outputs.push(p);
  }
  return outputs;
}

/** Names of the variables an expression reads, by the engine's own parser (for URLs built from variables). */
export function variablesIn(expression: string, engine: EngineName): string[] {
  try {
    return [...new Set(TEMPLATE_PARSERS[engine](expression).variables.map((v) => v.name))];
  } catch {
    return [];
  }
}
