// Positions: every finding must point at the exact file line and column, even inside YAML scalars
// (block scalars are de-indented, folded scalars join lines, quoted scalars decode escapes).
import type { SourceSegment, TemplateText } from './types.ts';

export interface FilePosition {
  line: number;
  column: number;
}

/** Offsets of the first character of every line. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of `offset` in a text whose line starts are `starts`. */
export function offsetToPosition(starts: readonly number[], offset: number): FilePosition {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}

const verbatimLineStarts = new WeakMap<TemplateText, number[]>();

/** File position of character `index` of a template text. */
export function positionAt(template: TemplateText, index: number): FilePosition {
  const clamped = Math.max(0, Math.min(index, template.text.length));
  const segments = template.segments;
  if (segments && segments.length > 0) {
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (segments[mid].index <= clamped) low = mid;
      else high = mid - 1;
    }
    const segment = segments[low];
    return { line: segment.line, column: segment.column + Math.max(0, clamped - segment.index) };
  }
  let starts = verbatimLineStarts.get(template);
  if (!starts) {
    starts = lineStartsOf(template.text);
    verbatimLineStarts.set(template, starts);
  }
  const local = offsetToPosition(starts, clamped);
  return local.line === 1
    ? { line: template.line, column: template.column + local.column - 1 }
    : { line: template.line + local.line - 1, column: local.column };
}

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

interface SourceUnit {
  /** The value text this unit of source produces (one char, or a decoded escape). */
  text: string;
  offset: number;
}

/**
 * Aligns a parsed YAML scalar `value` with its source `file.slice(start, end)` and returns the segments that map
 * every character of the value to its file line and column. Source characters the value does not contain
 * (indentation, quotes, folded line breaks) are skipped; a folded line break maps to the space it became.
 */
export function scalarSegments(
  value: string,
  file: string,
  fileLineStarts: readonly number[],
  start: number,
  end: number,
  style: ScalarStyle,
): SourceSegment[] {
  const units = sourceUnits(file, start, end, style);
  const offsets = new Array<number>(value.length);
  let unit = 0;
  let index = 0;
  while (index < value.length && unit < units.length) {
    const { text, offset } = units[unit];
    if (value.startsWith(text, index)) {
      for (let k = 0; k < text.length; k++) offsets[index + k] = offset;
      index += text.length;
      unit++;
    } else if (value[index] === ' ' && text === '\n') {
      offsets[index++] = offset;
      unit++;
    } else {
      unit++;
    }
  }
  const fallback = units.length > 0 ? units[units.length - 1].offset : start;
  for (; index < value.length; index++) offsets[index] = fallback;

  const segments: SourceSegment[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const offset = offsets[i];
    const continues = i > 0 && offset === offsets[i - 1] + 1 && file[offsets[i - 1]] !== '\n';
    if (!continues) {
      const position = offsetToPosition(fileLineStarts, offset);
      segments.push({ index: i, line: position.line, column: position.column });
    }
  }
  if (segments.length === 0) {
    const position = offsetToPosition(fileLineStarts, start);
    segments.push({ index: 0, line: position.line, column: position.column });
  }
  return segments;
}

function sourceUnits(file: string, start: number, end: number, style: ScalarStyle): SourceUnit[] {
  const units: SourceUnit[] = [];
  if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED') {
    const headerEnd = file.indexOf('\n', start);
    if (headerEnd === -1 || headerEnd >= end) return units;
    const bodyStart = headerEnd + 1;
    const body = file.slice(bodyStart, end);
    const firstContent = /^( *)\S/m.exec(body);
    const indent = firstContent ? firstContent[1].length : 0;
    let lineStart = bodyStart;
    while (lineStart < end) {
      let lineEnd = file.indexOf('\n', lineStart);
      if (lineEnd === -1 || lineEnd > end) lineEnd = end;
      let cursor = lineStart;
      while (cursor < lineEnd && cursor - lineStart < indent && file[cursor] === ' ') cursor++;
      for (; cursor < lineEnd; cursor++) if (file[cursor] !== '\r') units.push({ text: file[cursor], offset: cursor });
      if (lineEnd < end) units.push({ text: '\n', offset: lineEnd });
      lineStart = lineEnd + 1;
    }
    return units;
  }
  let from = start;
  let to = end;
  if (style === 'QUOTE_SINGLE' || style === 'QUOTE_DOUBLE') {
    from++;
    if (to > from && file[to - 1] === file[start]) to--;
  }
  for (let cursor = from; cursor < to; cursor++) {
    const char = file[cursor];
    if (style === 'QUOTE_DOUBLE' && char === '\\' && cursor + 1 < to) {
      const escape = decodeEscape(file, cursor + 1);
      units.push({ text: escape.text, offset: cursor });
      cursor += escape.length;
      continue;
    }
    if (char !== '\r') units.push({ text: char, offset: cursor });
  }
  return units;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

/** Decodes the YAML double-quoted escape whose letter is at `at`; `length` counts the source chars after `\`. */
function decodeEscape(file: string, at: number): { text: string; length: number } {
  const letter = file[at];
  const hexLength = letter === 'x' ? 2 : letter === 'u' ? 4 : letter === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const code = Number.parseInt(file.slice(at + 1, at + 1 + hexLength), 16);
    return { text: Number.isNaN(code) ? letter : String.fromCodePoint(code), length: 1 + hexLength };
  }
  if (letter === '\n') return { text: '', length: 1 };
  return { text: SIMPLE_ESCAPES[letter] ?? letter, length: 1 };
}
