// A position-keeping scan of a Jinja template: tags, static text, block structure and identifier positions.
// @huggingface/jinja parses without positions, so every location in a finding comes from here.
import type { EngineIssue } from './types.ts';

export interface JinjaTag {
  kind: 'expression' | 'statement' | 'comment';
  start: number;
  end: number;
  innerStart: number;
  inner: string;
  closed: boolean;
}

export interface JinjaScan {
  tags: JinjaTag[];
  literals: Array<{ index: number; text: string }>;
  issues: EngineIssue[];
}

const CLOSERS = { expression: '}}', statement: '%}', comment: '#}' } as const;

export function scanJinja(text: string): JinjaScan {
  const tags: JinjaTag[] = [];
  const literals: Array<{ index: number; text: string }> = [];
  const issues: EngineIssue[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const open = nextOpening(text, cursor);
    if (open === -1) {
      literals.push({ index: cursor, text: text.slice(cursor) });
      break;
    }
    if (open > cursor) literals.push({ index: cursor, text: text.slice(cursor, open) });
    const kind = text[open + 1] === '{' ? 'expression' : text[open + 1] === '%' ? 'statement' : 'comment';
    const closer = CLOSERS[kind];
    const close = kind === 'comment' ? text.indexOf(closer, open + 2) : findCloser(text, open + 2, closer);
    const closed = close !== -1;
    const end = closed ? close + 2 : text.length;
    const inner = text.slice(open + 2, closed ? close : text.length);
    tags.push({ kind, start: open, end, innerStart: open + 2, inner, closed });
    if (!closed) {
      issues.push({
        index: open,
        rule: 'syntax',
        severity: 'error',
        check: 'syntax/unterminated-tag',
        message: `'${text.slice(open, open + 2)}' is never closed: add '${closer}'`,
      });
    }
    cursor = end;
  }
  issues.push(...checkBlocks(tags));
  return { tags, literals, issues };
}

function nextOpening(text: string, from: number): number {
  for (let i = text.indexOf('{', from); i !== -1; i = text.indexOf('{', i + 1)) {
    const next = text[i + 1];
    if (next === '{' || next === '%' || next === '#') return i;
  }
  return -1;
}

/** Index of `closer` after `from`, skipping string literals. */
function findCloser(text: string, from: number, closer: string): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === closer[0] && text[i + 1] === closer[1]) return i;
  }
  return -1;
}

const BLOCK_OPENERS = new Set(['if', 'for', 'macro', 'call', 'filter']);
const ENDINGS: Record<string, string> = {
  endif: 'if',
  endfor: 'for',
  endmacro: 'macro',
  endcall: 'call',
  endfilter: 'filter',
  endset: 'set',
};
const SUPPORTED_ELSEWHERE = new Set(['raw', 'include', 'extends', 'import', 'from', 'block', 'with', 'autoescape', 'do', 'trans']);

export interface StatementHead {
  name: string;
  index: number;
}

export function statementHead(tag: JinjaTag): StatementHead | undefined {
  const match = /^[-+]?\s*([A-Za-z_]\w*)/.exec(tag.inner);
  if (!match) return undefined;
  return { name: match[1], index: tag.innerStart + match[0].length - match[1].length };
}

/** True when `{% set %}` captures a block (`{% set x %}...{% endset %}`) rather than assigning a value. */
function isBlockSet(inner: string): boolean {
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (char === '=' && depth === 0 && inner[i + 1] !== '=' && !'!<>='.includes(inner[i - 1] ?? '')) return false;
  }
  return true;
}

function checkBlocks(tags: JinjaTag[]): EngineIssue[] {
  const issues: EngineIssue[] = [];
  const stack: Array<{ name: string; index: number }> = [];
  const error = (index: number, check: string, message: string): void => {
    issues.push({ index, rule: 'syntax', severity: 'error', check, message });
  };
  for (const tag of tags) {
    if (tag.kind !== 'statement' || !tag.closed) continue;
    const head = statementHead(tag);
    if (!head) {
      error(tag.start, 'syntax/jinja-statement', 'Empty or malformed statement tag: a {% %} tag starts with a keyword such as if, for or set');
      continue;
    }
    const { name, index } = head;
    const top = stack[stack.length - 1];
    if (BLOCK_OPENERS.has(name) || (name === 'set' && isBlockSet(tag.inner))) {
      stack.push({ name, index });
    } else if (name === 'elif' || name === 'else') {
      if (!top || (top.name !== 'if' && !(name === 'else' && top.name === 'for'))) {
        error(index, 'syntax/jinja-block', `{% ${name} %} outside an {% if %}${name === 'else' ? ' or {% for %}' : ''} block`);
      }
    } else if (ENDINGS[name] !== undefined) {
      const opener = ENDINGS[name];
      if (top?.name === opener) {
        stack.pop();
      } else if (top) {
        error(index, 'syntax/jinja-block', `{% ${name} %} does not match the open {% ${top.name} %}: close that block with {% end${top.name} %} first`);
        const at = stack.map((entry) => entry.name).lastIndexOf(opener);
        if (at !== -1) stack.length = at;
      } else {
        error(index, 'syntax/jinja-block', `{% ${name} %} has no matching {% ${opener} %}`);
      }
    } else if (name === 'break' || name === 'continue') {
      if (!stack.some((entry) => entry.name === 'for')) error(index, 'syntax/jinja-block', `{% ${name} %} outside a {% for %} loop`);
    } else if (name !== 'set' && name !== 'generation' && name !== 'endgeneration') {
      const reason = SUPPORTED_ELSEWHERE.has(name)
        ? `the sandboxed Jinja engine does not support {% ${name} %}`
        : `unknown tag '${name}'`;
      error(index, 'syntax/jinja-unknown-tag', `${reason[0].toUpperCase()}${reason.slice(1)}: use if, for, set, macro, call or filter`);
    }
  }
  for (const open of stack.reverse()) {
    error(open.index, 'syntax/unterminated-block', `{% ${open.name} %} is never closed: add {% end${open.name} %}`);
  }
  return issues;
}

export type IdentifierContext = 'plain' | 'member' | 'filter' | 'test' | 'binding';

export interface IdentifierOccurrence {
  name: string;
  index: number;
  context: IdentifierContext;
}

/** Every identifier inside expression and statement tags, outside string literals, with what precedes it. */
const BINDERS = new Set(['for', 'set', 'macro']);

export function identifierOccurrences(tags: readonly JinjaTag[]): IdentifierOccurrence[] {
  const occurrences: IdentifierOccurrence[] = [];
  for (const tag of tags) {
    if (tag.kind === 'comment') continue;
    const inner = tag.inner;
    let previous = '';
    let previousWord = '';
    // After `for`/`set`/`macro` the names up to `in` or `=` are bound, not read (`for key, value in items`).
    let bindingList = false;
    for (let i = 0; i < inner.length; ) {
      const char = inner[i];
      if (char === '"' || char === "'") {
        let j = i + 1;
        while (j < inner.length && inner[j] !== char) j += inner[j] === '\\' ? 2 : 1;
        i = j + 1;
        previous = char;
        previousWord = '';
        continue;
      }
      if (/[A-Za-z_]/.test(char)) {
        let j = i + 1;
        while (j < inner.length && /\w/.test(inner[j])) j++;
        const name = inner.slice(i, j);
        const context: IdentifierContext =
          previous === '.'
            ? 'member'
            : previous === '|'
              ? 'filter'
              : previousWord === 'is' || previousWord === 'is not'
                ? 'test'
                : BINDERS.has(previousWord) || (previous === ',' && bindingList)
                  ? 'binding'
                  : 'plain';
        if (BINDERS.has(previousWord)) bindingList = true;
        else if (name === 'in' || context !== 'binding') bindingList = false;
        occurrences.push({ name, index: tag.innerStart + i, context });
        previousWord = name === 'not' && previousWord === 'is' ? 'is not' : name;
        previous = 'word';
        i = j;
        continue;
      }
      if (!/\s/.test(char)) {
        previous = char;
        previousWord = '';
      }
      i++;
    }
  }
  return occurrences;
}
