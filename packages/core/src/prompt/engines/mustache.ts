// The `mustache` engine: the mustache package's parser for structure and variables, its writer for output,
// with HTML escaping off and a context that resolves names through own data properties only.
import Mustache from 'mustache';
import type { EngineIssue, ParsedTemplate, ScopedUse, VariableUse } from './types.ts';
import { TemplateRenderError, strayBraceIssues } from './types.ts';
import { ownPath, toPlainData } from './own-values.ts';

type MustacheToken = [string, string, number, number, MustacheToken[]?, number?];

/** Resolves names like Mustache's own Context (dotted paths, parent fallback) but through own properties only. */
class OwnPropertyContext extends Mustache.Context {
  override push(view: unknown): Mustache.Context {
    return new OwnPropertyContext(view, this);
  }

  override lookup(name: string): unknown {
    if (name === '.') return this.view;
    const path = name.split('.');
    for (let context: Mustache.Context | undefined = this; context; context = context.parent) {
      const found = ownPath(context.view, path);
      if (found.found) return found.value;
    }
    return undefined;
  }
}

const noEscape = (text: string): string => text;

const TAG_NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_-]*(?:\.[\p{L}\p{N}_-]+)*$/u;

export function parseMustacheTemplate(text: string): ParsedTemplate {
  const issues: EngineIssue[] = [];
  const variables: VariableUse[] = [];
  const scoped: ScopedUse[] = [];
  const literals: Array<{ index: number; text: string }> = [];
  let tokens: MustacheToken[] = [];
  try {
    tokens = Mustache.parse(text) as MustacheToken[];
  } catch (error) {
    issues.push(parseErrorIssue(text, (error as Error).message));
    return { engine: 'mustache', variables, scoped, literals, issues, renderable: false, render: cannotRender };
  }

  const nameIndex = (token: MustacheToken): number => {
    const found = text.indexOf(token[1], token[2]);
    return found === -1 || found > token[3] ? token[2] : found;
  };

  const walk = (list: MustacheToken[], scope: string | null | undefined): void => {
    // scope: undefined = top level; a name = items of that top-level variable; null = deeper, not checked.
    for (const token of list) {
      const [type, name] = token;
      if (type === 'text') {
        literals.push({ index: token[2], text: name });
      } else if (type === 'name' || type === '&' || type === '{') {
        if (name === '.') continue;
        if (!TAG_NAME.test(name)) {
          issues.push({
            index: token[2],
            rule: 'syntax',
            severity: 'error',
            check: 'syntax/mustache-tag',
            message: `'${text.slice(token[2], token[3])}' is not a valid tag: a name is letters, digits, '_' or '-', with '.' between parts (a brace missing or extra?)`,
          });
          continue;
        }
        const [root, ...path] = name.split('.');
        if (scope === undefined) variables.push({ name: root, index: nameIndex(token), path, conditional: false });
        else if (scope !== null) scoped.push({ scope, name: root, index: nameIndex(token), fallsBackToTopLevel: true });
      } else if (type === '#' || type === '^') {
        const [root, ...path] = name.split('.');
        if (scope === undefined) variables.push({ name: root, index: nameIndex(token), path, conditional: true });
        else if (scope !== null) scoped.push({ scope, name: root, index: nameIndex(token), fallsBackToTopLevel: true });
        const inner = token[4] ?? [];
        // An inverted section renders only when the value is missing or empty: the context does not change.
        walk(inner, type === '^' ? scope : scope === undefined && name !== '.' ? root : null);
      } else if (type === '>') {
        issues.push({
          index: token[2],
          rule: 'syntax',
          severity: 'error',
          check: 'syntax/mustache-partial',
          message: `Partial {{> ${name}}} cannot be resolved: prompt templates are rendered without partials, so it would render as empty text; inline its content`,
        });
      }
    }
  };
  walk(tokens, undefined);
  issues.push(...strayBraceIssues(literals));

  return {
    engine: 'mustache',
    variables,
    scoped,
    literals,
    issues,
    renderable: !issues.some((issue) => issue.severity === 'error'),
    render(vars) {
      try {
        return Mustache.render(text, new OwnPropertyContext(toPlainData(vars)), {}, { escape: noEscape });
      } catch (error) {
        throw new TemplateRenderError((error as Error).message);
      }
    },
  };
}

function parseErrorIssue(text: string, message: string): EngineIssue {
  const at = /at (\d+)$/.exec(message);
  let index = at ? Math.min(Number(at[1]), text.length) : 0;
  const section = /"(.*)"/.exec(message)?.[1] ?? '';
  if (message.startsWith('Unclosed section') && index >= text.length) {
    // Reported at the end of the template: point at the section's opening tag instead.
    const escaped = section.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const openings = [...text.matchAll(new RegExp(`\\{\\{\\s*[#^]\\s*${escaped}\\s*\\}\\}`, 'g'))];
    if (openings.length > 0) index = openings[openings.length - 1].index;
  }
  if (message.startsWith('Unclosed tag')) {
    const opening = text.lastIndexOf('{{', Math.max(0, index - 1));
    if (opening !== -1) index = opening;
  }
  let hint = '';
  if (message.startsWith('Unclosed tag')) hint = ': close it with }}';
  else if (message.startsWith('Unclosed section')) hint = `: add the closing tag {{/${section}}}`;
  else if (message.startsWith('Unopened section')) hint = ': no section with this name is open here; check the name or remove the tag';
  return { index, rule: 'syntax', severity: 'error', check: 'syntax/mustache', message: `${message.replace(/ at \d+$/, '')}${hint}` };
}

function cannotRender(): string {
  throw new TemplateRenderError('the template has syntax errors and cannot be rendered');
}
