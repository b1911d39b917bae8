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

/** Parses a template text with an engine, memoized per text object. */
export function parseTemplateText(engine: EngineName, template: TemplateText): ParsedTemplate {
  const cached = parsedTexts.get(template);
  if (cached && cached.engine === engine) return cached.parsed;
  const parsed = TEMPLATE_PARSERS[engine](template.text);
  parsedTexts.set(template, { engine, parsed });
  return parsed;
}

export type { EngineIssue, ParsedTemplate, ScopedUse, TemplateParser, VariableUse } from './types.ts';
export { TemplateRenderError } from './types.ts';
