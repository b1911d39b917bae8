// What Python's str(), repr(), ascii() and format() produce for JSON/YAML values, so a `format` template
// renders here exactly as `template.format(**vars)` renders it in Python.

export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return quoteString(value, false);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${quoteString(key, false)}: ${pyRepr(item)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

export function pyAscii(value: unknown): string {
  return asciiEscape(pyRepr(value));
}

function pyNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  // Python pads exponents to two digits: 1e-07, 1e+16.
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}

function quoteString(text: string, _ascii: boolean): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + quote;
}

function asciiEscape(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out;
}

export interface FormatSpec {
  fill: string;
  align: '<' | '>' | '^' | '=' | undefined;
  sign: '+' | '-' | ' ' | undefined;
  alternate: boolean;
  zero: boolean;
  width: number | undefined;
  grouping: ',' | '_' | undefined;
  precision: number | undefined;
  type: string | undefined;
}

const SPEC_PATTERN = /^(?:(.)?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su;

/** Parses Python's format-spec mini-language; undefined when the spec is not valid. */
export function parseFormatSpec(spec: string): FormatSpec | undefined {
  const match = SPEC_PATTERN.exec(spec);
  if (!match) return undefined;
  return {
    fill: match[1] ?? (match[6] && !match[2] ? '0' : ' '),
    align: match[2] as FormatSpec['align'],
    sign: match[3] as FormatSpec['sign'],
    alternate: Boolean(match[5]),
    zero: Boolean(match[6]),
    width: match[7] === undefined ? undefined : Number(match[7]),
    grouping: match[8] as FormatSpec['grouping'],
    precision: match[9] === undefined ? undefined : Number(match[9]),
    type: match[10],
  };
}

const INTEGER_TYPES = new Set(['b', 'c', 'd', 'o', 'x', 'X', 'n']);
const FLOAT_TYPES = new Set(['e', 'E', 'f', 'F', 'g', 'G', '%']);

/** `format(value, spec)` as Python computes it; throws with Python's message when the type does not fit. */
export function pyFormat(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  const parsed = parseFormatSpec(spec);
  if (!parsed) throw new Error(`Invalid format specifier '${spec}'`);
  if (typeof value === 'string') return formatString(value, parsed, spec);
  if (typeof value === 'number' || typeof value === 'boolean') return formatNumber(Number(value), parsed, typeof value === 'boolean' || Number.isInteger(value));
  // object.__format__ (None, list, dict) accepts only an empty spec.
  throw new Error(`unsupported format string passed to ${pyTypeName(value)}.__format__`);
}

function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'dict';
  return typeof value;
}

function formatString(value: string, spec: FormatSpec, raw: string): string {
  if (spec.type !== undefined && spec.type !== 's') {
    throw new Error(`Unknown format code '${spec.type}' for object of type 'str'`);
  }
  if (spec.sign !== undefined) throw new Error('Sign not allowed in string format specifier');
  if (spec.alternate) throw new Error('Alternate form (#) not allowed in string format specifier');
  if (spec.grouping !== undefined) throw new Error(`Cannot specify '${spec.grouping}' with 's'.`);
  if (spec.align === '=') throw new Error("'=' alignment not allowed in string format specifier");
  void raw;
  const text = spec.precision === undefined ? value : Array.from(value).slice(0, spec.precision).join('');
  return pad(text, spec, '<');
}

function formatNumber(value: number, spec: FormatSpec, isInteger: boolean): string {
  const type = spec.type ?? (isInteger ? 'd' : undefined);
  if (type === 's') throw new Error(`Unknown format code 's' for object of type '${isInteger ? 'int' : 'float'}'`);
  if (type !== undefined && INTEGER_TYPES.has(type) && !isInteger) {
    throw new Error(`Unknown format code '${type}' for object of type 'float'`);
  }
  if (type !== undefined && INTEGER_TYPES.has(type) && spec.precision !== undefined) {
    throw new Error('Precision not allowed in integer format specifier');
  }
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let digits: string;
  let prefix = '';
  switch (type) {
    case 'b':
      digits = magnitude.toString(2);
      prefix = spec.alternate ? '0b' : '';
      break;
    case 'o':
      digits = magnitude.toString(8);
      prefix = spec.alternate ? '0o' : '';
      break;
    case 'x':
      digits = magnitude.toString(16);
      prefix = spec.alternate ? '0x' : '';
      break;
    case 'X':
      digits = magnitude.toString(16).toUpperCase();
      prefix = spec.alternate ? '0X' : '';
      break;
    case 'c':
      return pad(String.fromCodePoint(value), spec, '<');
    case 'd':
    case 'n':
      digits = String(magnitude);
      break;
    case 'f':
    case 'F':
      digits = toFixedHalfEven(magnitude, spec.precision ?? 6);
      break;
    case 'e':
    case 'E':
      digits = pythonExponent(magnitude.toExponential(spec.precision ?? 6));
      if (type === 'E') digits = digits.toUpperCase();
      break;
    case '%':
      digits = `${toFixedHalfEven(magnitude * 100, spec.precision ?? 6)}%`;
      break;
    case 'g':
    case 'G':
      digits = generalFormat(magnitude, spec.precision ?? 6, spec.alternate);
      if (type === 'G') digits = digits.toUpperCase();
      break;
    default:
      // No type on a float: like 'g' but always with at least one digit after the point, as repr() shows it.
      digits = spec.precision === undefined ? pyNumber(magnitude) : generalFormat(magnitude, spec.precision, spec.alternate);
  }
  if (spec.grouping !== undefined) digits = group(digits, spec.grouping, type);
  const sign = negative ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  const body = prefix + digits;
  if (spec.align === '=' || (spec.zero && spec.align === undefined)) {
    const fill = spec.align === '=' ? spec.fill : '0';
    const width = spec.width ?? 0;
    const padding = Math.max(0, width - sign.length - body.length);
    return sign + prefix + fill.repeat(padding) + digits;
  }
  return pad(sign + body, spec, '>');
}

/** Python rounds exact binary ties to even (format(0.5, '.0f') is '0'); JavaScript's toFixed rounds them up. */
function toFixedHalfEven(value: number, digits: number): string {
  const scaled = value * 10 ** digits;
  if (Number.isFinite(scaled) && Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) {
    const floor = Math.floor(scaled);
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (even / 10 ** digits).toFixed(digits);
  }
  return value.toFixed(digits);
}

function pythonExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

function generalFormat(value: number, precision: number, alternate: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (value === 0) return alternate ? `0.${'0'.repeat(p - 1)}` : '0';
  const exponent = Math.floor(Math.log10(Number(value.toExponential(p - 1))));
  let text: string;
  if (exponent < -4 || exponent >= p) {
    text = value.toExponential(p - 1);
    if (!alternate) text = text.replace(/\.?0+e/, 'e');
    return pythonExponent(text);
  }
  text = value.toFixed(Math.max(0, p - 1 - exponent));
  if (!alternate && text.includes('.')) text = text.replace(/\.?0+$/, '');
  return text;
}

function group(digits: string, separator: ',' | '_', type: string | undefined): string {
  const every = type === 'b' || type === 'o' || type === 'x' || type === 'X' ? 4 : 3;
  const match = /^(\d+)(.*)$/s.exec(digits);
  if (!match) return digits;
  const [, integer, rest] = match;
  let grouped = '';
  for (let i = 0; i < integer.length; i++) {
    if (i > 0 && (integer.length - i) % every === 0) grouped += separator;
    grouped += integer[i];
  }
  return grouped + rest;
}

function pad(text: string, spec: FormatSpec, defaultAlign: '<' | '>'): string {
  const width = spec.width ?? 0;
  const length = Array.from(text).length;
  if (length >= width) return text;
  const padding = width - length;
  const align = spec.align === undefined || spec.align === '=' ? defaultAlign : spec.align;
  if (align === '<') return text + spec.fill.repeat(padding);
  if (align === '>') return spec.fill.repeat(padding) + text;
  const left = Math.floor(padding / 2);
  return spec.fill.repeat(left) + text + spec.fill.repeat(padding - left);
}

export function isIntegerFormatType(type: string | undefined): boolean {
  return type !== undefined && INTEGER_TYPES.has(type);
}

export function isFloatFormatType(type: string | undefined): boolean {
  return type !== undefined && FLOAT_TYPES.has(type);
}
