// A parser for Python `str.format` templates that mirrors CPython's `string.Formatter().parse`
// (Objects/stringlib/unicode_format.h: MarkupIterator_next and parse_field), but keeps going after an error
// so that every fault is reported with its position, and records where each part sits.

export interface FormatAccessor {
  kind: 'attribute' | 'index';
  key: string;
  index: number;
}

export interface FormatField {
  /** Index of the opening `{`. */
  start: number;
  /** Index after the closing `}`. */
  end: number;
  /** The whole field name as Python reports it (`a.b[0]`). */
  fieldName: string;
  /** The first part of the field name: a variable name, a positional index or empty (auto-numbering). */
  root: string;
  rootIndex: number;
  accessors: FormatAccessor[];
  conversion: string | undefined;
  conversionIndex: number;
  formatSpec: string;
  formatSpecIndex: number;
  /** Replacement fields nested in the format spec (`{value:{width}}`). */
  nested: FormatField[];
}

export type FormatPiece = { kind: 'literal'; text: string; index: number } | { kind: 'field'; field: FormatField };

export interface FormatSyntaxError {
  index: number;
  message: string;
}

export interface ParsedFormat {
  pieces: FormatPiece[];
  errors: FormatSyntaxError[];
}

const MAX_NESTING = 2;

/** Splits a format string into literal text and replacement fields. */
export function parseFormatString(text: string, base = 0, depth = 1): ParsedFormat {
  const pieces: FormatPiece[] = [];
  const errors: FormatSyntaxError[] = [];
  let literal = '';
  let literalIndex = base;
  const flushLiteral = (nextIndex: number): void => {
    if (literal.length > 0) pieces.push({ kind: 'literal', text: literal, index: literalIndex });
    literal = '';
    literalIndex = nextIndex;
  };

  let cursor = 0;
  while (cursor < text.length) {
    const char = text[cursor];
    if (char !== '{' && char !== '}') {
      literal += char;
      cursor++;
      continue;
    }
    if (text[cursor + 1] === char) {
      // `{{` and `}}` are one literal brace.
      literal += char;
      cursor += 2;
      continue;
    }
    if (char === '}') {
      errors.push({ index: base + cursor, message: "Single '}' encountered in format string: write '}}' for a literal brace" });
      literal += char;
      cursor++;
      continue;
    }
    const close = findFieldEnd(text, cursor + 1);
    if (close === -1) {
      const message =
        cursor + 1 >= text.length
          ? "Single '{' encountered in format string: write '{{' for a literal brace"
          : "expected '}' before end of string: this '{' is never closed (write '{{' for a literal brace)";
      errors.push({ index: base + cursor, message });
      literal += text.slice(cursor);
      cursor = text.length;
      continue;
    }
    flushLiteral(base + close + 1);
    const field = parseField(text.slice(cursor + 1, close), base + cursor + 1, errors, depth);
    field.start = base + cursor;
    field.end = base + close + 1;
    pieces.push({ kind: 'field', field });
    cursor = close + 1;
    literalIndex = base + cursor;
  }
  flushLiteral(base + cursor);
  return { pieces, errors };
}

/** Index of the `}` closing the field opened just before `from`, counting nested braces; -1 if none. */
function findFieldEnd(text: string, from: number): number {
  let depth = 1;
  let inBrackets = false;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (inBrackets) {
      if (char === ']') inBrackets = false;
      continue;
    }
    if (char === '[' && depth === 1) inBrackets = true;
    else if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parseField(inner: string, base: number, errors: FormatSyntaxError[], depth: number): FormatField {
  let cursor = 0;
  let stop: string | undefined;
  while (cursor < inner.length) {
    const char = inner[cursor];
    if (char === '[') {
      const close = inner.indexOf(']', cursor + 1);
      cursor = close === -1 ? inner.length : close + 1;
      continue;
    }
    if (char === '{') {
      errors.push({ index: base + cursor, message: "unexpected '{' in field name" });
      cursor++;
      continue;
    }
    if (char === ':' || char === '!') {
      stop = char;
      break;
    }
    cursor++;
  }
  const fieldName = inner.slice(0, cursor);
  const field: FormatField = {
    start: base - 1,
    end: base + inner.length + 1,
    fieldName,
    root: '',
    rootIndex: base,
    accessors: [],
    conversion: undefined,
    conversionIndex: -1,
    formatSpec: '',
    formatSpecIndex: base + inner.length,
    nested: [],
  };
  parseFieldName(fieldName, base, field, errors);

  if (stop === '!') {
    const conversionAt = cursor + 1;
    if (conversionAt >= inner.length) {
      errors.push({ index: base + cursor, message: 'end of string while looking for conversion specifier (use !r, !s or !a)' });
      return field;
    }
    field.conversion = inner[conversionAt];
    field.conversionIndex = base + conversionAt;
    if (!'rsa'.includes(field.conversion)) {
      errors.push({ index: base + conversionAt, message: `Unknown conversion specifier ${field.conversion}: use !r, !s or !a` });
    }
    cursor = conversionAt + 1;
    if (cursor < inner.length) {
      if (inner[cursor] !== ':') {
        errors.push({ index: base + cursor, message: "expected ':' after conversion specifier" });
        return field;
      }
      stop = ':';
    } else {
      stop = undefined;
    }
  }
  if (stop === ':') {
    field.formatSpec = inner.slice(cursor + 1);
    field.formatSpecIndex = base + cursor + 1;
    if (field.formatSpec.includes('{') || field.formatSpec.includes('}')) {
      if (depth >= MAX_NESTING) {
        errors.push({ index: field.formatSpecIndex, message: 'Max string recursion exceeded: format specs nest at most one field deep' });
      } else {
        const nested = parseFormatString(field.formatSpec, field.formatSpecIndex, depth + 1);
        errors.push(...nested.errors);
        for (const piece of nested.pieces) if (piece.kind === 'field') field.nested.push(piece.field);
      }
    }
  }
  return field;
}

function parseFieldName(name: string, base: number, field: FormatField, errors: FormatSyntaxError[]): void {
  let cursor = 0;
  while (cursor < name.length && name[cursor] !== '.' && name[cursor] !== '[') cursor++;
  field.root = name.slice(0, cursor);
  field.rootIndex = base;
  while (cursor < name.length) {
    const char = name[cursor];
    if (char === '.') {
      const start = cursor + 1;
      let end = start;
      while (end < name.length && name[end] !== '.' && name[end] !== '[') end++;
      if (end === start) {
        errors.push({ index: base + cursor, message: 'Empty attribute in format string' });
      } else {
        field.accessors.push({ kind: 'attribute', key: name.slice(start, end), index: base + start });
      }
      cursor = end;
    } else if (char === '[') {
      const close = name.indexOf(']', cursor + 1);
      if (close === -1) {
        errors.push({ index: base + cursor, message: "Missing ']' in format string" });
        return;
      }
      if (close === cursor + 1) errors.push({ index: base + cursor, message: 'Empty attribute in format string' });
      else field.accessors.push({ kind: 'index', key: name.slice(cursor + 1, close), index: base + cursor + 1 });
      cursor = close + 1;
      if (cursor < name.length && name[cursor] !== '.' && name[cursor] !== '[') {
        errors.push({ index: base + cursor, message: "Only '.' or '[' may follow ']' in format field specifier" });
        return;
      }
    } else {
      cursor++;
    }
  }
}
