// One parser per engine; each template text is parsed once however many cases render it.
import type { EngineName, TemplateText } from '../types.ts';
import type { ParsedTemplate, TemplateParser } from './types.ts';
import { parseFormatTemplate } from './format.ts';
import { parseMustacheTemplate } from './mustache.ts';
import { parseHandlebarsTemplate } from './handlebars.ts';
import { parseJinjaTemplate } from './jinja.ts';

export const TEMPLATE_PARSERS: Readonly<Record<EngineName, TemplateParser>> = {
  format: parseFormatTemplate,
  mustache: parseMustacheTemplate,
  handlebars: parseHandlebarsTemplate,
  jinja2: parseJinjaTemplate,
};

const parsedTexts = new WeakMap<TemplateText, { engine: EngineName; parsed: ParsedTemplate }>();

/** Parsing is pure, so identical texts (the base and head of an unchanged template) share one parse. */
const byContent = new Map<string, ParsedTemplate>();
const BY_CONTENT_LIMIT = 4096;

/** Parses a template text with an engine, memoized per text object and per content. */
export function parseTemplateText(engine: EngineName, template: TemplateText): ParsedTemplate {
  const cached = parsedTexts.get(template);
  if (cached && cached.engine === engine) return cached.parsed;
  const key = `${engine}\0${template.text}`;
  let parsed = byContent.get(key);
  if (!parsed) {
    parsed = TEMPLATE_PARSERS[engine](template.text);
    if (byContent.size >= BY_CONTENT_LIMIT) byContent.delete(byContent.keys().next().value as string);
    byContent.set(key, parsed);
  }
  parsedTexts.set(template, { engine, parsed });
  return parsed;
}

export type { EngineIssue, ParsedTemplate, ScopedUse, TemplateParser, VariableUse } from './types.ts';
export { TemplateRenderError } from './types.ts';
