import type { EngineName } from '../types.ts';

/** A template expression: `{name}` (format), `{{ ... }}` (mustache, handlebars, jinja2) or `{% ... %}` (jinja2 tags). */
export interface Placeholder {
  /** Offset of the opening brace in the scanned text. */
  start: number;
  /** Offset just past the closing brace. */
  end: number;
  /** The expression between the delimiters. */
  inner: string;
  /** Offset of `inner` in the scanned text. */
  innerStart: number;
  kind: 'output' | 'tag';
}

/**
 * Finds template expressions by the delimiters of an engine; without an engine (test data, where any
 * engine's syntax may be probed) it recognises all of them plus `${...}`. This is a lexer, not the
 * engine's parser: it is what the scanner needs to look inside expressions and URLs.
 */
export function findPlaceholders(text: string, engine?: EngineName): Placeholder[] {
  const found: Placeholder[] = [];
  for (let i = text.indexOf('{'); i !== -1 && i < text.length; i = text.indexOf('{', i)) {
    const next = text[i + 1];
    if (engine === 'format') {
      if (next === '{') {
        i += 2;
        continue;
      }
      const end = closingBrace(text, i);
      if (end === -1) break;
      found.push({ start: i, end: end + 1, inner: text.slice(i + 1, end), innerStart: i + 1, kind: 'output' });
      i = end + 1;
      continue;
    }
    if (next === '{' || next === '%') {
      const triple = next === '{' && text[i + 2] === '{';
      const close = next === '%' ? '%}' : triple ? '}}}' : '}}';
      const open = next === '%' ? 2 : triple ? 3 : 2;
      const end = text.indexOf(close, i + open);
      if (end === -1) break;
      const inner = text.slice(i + open, end);
      const comment = next === '{' && inner.startsWith('!') && engine !== 'jinja2';
      if (comment && inner.startsWith('!--')) {
        const commentEnd = text.indexOf('--}}', i);
        i = commentEnd === -1 ? text.length : commentEnd + 4;
        continue;
      }
      if (!comment && !(next === '%' && engine !== undefined && engine !== 'jinja2')) {
        found.push({ start: i, end: end + close.length, inner, innerStart: i + open, kind: next === '%' ? 'tag' : 'output' });
      }
      i = end + close.length;
      continue;
    }
    if (engine === undefined) {
      // Single braces in free text are placeholders only when they hold a name-like expression.
      const match = /^\{\s*([A-Za-z_$][\w$.\[\]'"()]*)\s*(?:![rsa])?(?::[^{}]*)?\}/.exec(text.slice(i, i + 200));
      if (match) {
        const dollar = text[i - 1] === '$';
        found.push({ start: dollar ? i - 1 : i, end: i + match[0].length, inner: match[0].slice(1, -1), innerStart: i + 1, kind: 'output' });
        i += match[0].length;
        continue;
      }
    }
    i++;
  }
  return found;
}

// `{width:{w}}`: format specs may nest one level of replacement fields.
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
    else if (text[i] === '\n' && depth === 1 && i - open > 200) return -1;
  }
  return -1;
}
