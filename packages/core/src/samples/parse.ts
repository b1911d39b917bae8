// Turns text into a sample of finite numbers. Pure: the caller says where the text came from, and every
// problem is a SampleError whose message says which value is wrong and how to fix it.

/** A sample that cannot be used. The message is the problem and its fix; the caller adds which input it was. */
export class SampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SampleError';
  }
}

export type SampleFormat = 'json' | 'csv' | 'txt';

export const MIN_SAMPLE_SIZE = 2;

// A plain decimal number as people and tools write it; `Number()` alone would also accept '', '0x1f' and ' 1 '.
const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_PATTERN = /^[+-]?(?:nan|inf|infinity)$/i;

/** Parses one token as a finite number, or explains what is wrong with it (`where` says e.g. "line 4"). */
export function parseNumberToken(token: string, where: string): number {
  const text = token.trim();
  if (NUMBER_PATTERN.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return value;
    throw new SampleError(`${where} is ${text}, which overflows to Infinity; every value must be a finite number.`);
  }
  if (NON_FINITE_PATTERN.test(text)) {
    throw new SampleError(`${where} is ${text}; NaN and Infinity cannot be compared. Remove those values or replace them with real measurements.`);
  }
  if (text === '') throw new SampleError(`${where} is empty; fill it with a number or remove it.`);
  if (/^[+-]?\d+,\d+$/.test(text)) throw new SampleError(`${where} is '${text}', written with a decimal comma; write it as ${text.replace(',', '.')}.`);
  throw new SampleError(`${where} is '${abbreviate(text)}', not a number; every value must be a plain number such as 12 or 0.35.`);
}

/** A JSON array of numbers, e.g. `[120, 131.5, 118]`. */
export function parseJsonArray(text: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON has no NaN or Infinity; find the offending token so the message names it instead of a JSON position.
    const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '');
    inner.split(',').forEach((token, index) => parseNumberToken(token, `value ${index + 1}`));
    throw new SampleError(`'${abbreviate(text)}' is not a valid JSON array; write it like [120, 131.5, 118].`);
  }
  if (!Array.isArray(parsed)) {
    throw new SampleError(`the JSON holds ${describeJson(parsed)}, not an array; write the values as [120, 131.5, 118].`);
  }
  const values = new Array<number>(parsed.length);
  for (let i = 0; i < parsed.length; i++) {
    const item: unknown = parsed[i];
    if (typeof item !== 'number') {
      throw new SampleError(`value ${i + 1} is ${describeJson(item)}, not a number; the array must hold numbers only, e.g. [120, 131.5, 118].`);
    }
    values[i] = item;
  }
  return values;
}

/** One number per line; blank lines and `#` comments are skipped. */
export function parseLines(text: string): number[] {
  const values: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    values.push(parseNumberToken(line, `line ${i + 1}`));
  }
  return values;
}

/**
 * One column of a CSV file. `column` is a header name or a 1-based position; without it, the first column
 * whose first data value is numeric. A first row that is all numbers is data, not a header.
 */
export function parseCsvColumn(text: string, column?: string): number[] {
  const rows = parseCsvRows(text, detectDelimiter(text));
  if (rows.length === 0) throw new SampleError('the CSV file is empty; give a header row and one row per value.');
  const hasHeader = !rows[0].every((field) => NUMBER_PATTERN.test(field.trim()));
  const header = hasHeader ? rows[0] : rows[0].map((_, i) => String(i + 1));
  const dataRows = hasHeader ? rows.slice(1) : rows;
  const firstDataLine = hasHeader ? 2 : 1;
  const index = resolveColumn(header, dataRows, column);
  const name = hasHeader ? `column '${header[index]}'` : `column ${index + 1}`;
  return dataRows.map((row, i) => parseNumberToken(row[index] ?? '', `row ${i + firstDataLine}, ${name},`));
}

function resolveColumn(header: string[], dataRows: string[][], column: string | undefined): number {
  const names = header.map((name) => name.trim());
  if (column !== undefined && column !== '') {
    const byName = names.indexOf(column.trim());
    if (byName >= 0) return byName;
    if (/^\d+$/.test(column.trim())) {
      const position = Number(column.trim());
      if (position >= 1 && position <= names.length) return position - 1;
    }
    throw new SampleError(`the CSV has no column '${column}'; its columns are ${names.map((n) => `'${n}'`).join(', ')}. Set 'column' to one of them (or a 1-based position).`);
  }
  const firstRow = dataRows[0] ?? [];
  const numeric = firstRow.findIndex((field) => NUMBER_PATTERN.test(field.trim()));
  if (numeric < 0) {
    throw new SampleError(`no column of the CSV holds numbers in its first data row; set 'column' to the column with the values (columns: ${names.map((n) => `'${n}'`).join(', ')}).`);
  }
  return numeric;
}

/** Comma, or the semicolon or tab that spreadsheet exports in many locales use, by the first line's count. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length).replace(/"[^"]*"/g, '');
  const count = (delimiter: string) => firstLine.split(delimiter).length - 1;
  return [',', ';', '\t'].reduce((best, delimiter) => (count(delimiter) > count(best) ? delimiter : best), ',');
}

/** RFC 4180 rows: quoted fields may hold delimiters, doubled quotes and newlines. Blank lines are skipped. */
export function parseCsvRows(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0].trim() === '')) rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      endRow();
    } else if (char !== '\r') {
      field += char;
    }
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

export function requireMinimumSize(values: readonly number[]): void {
  if (values.length < MIN_SAMPLE_SIZE) {
    throw new SampleError(
      `holds ${values.length === 0 ? 'no values' : 'only 1 value'}; at least ${MIN_SAMPLE_SIZE} are needed to compare distributions (30 or more give useful power).`,
    );
  }
}

export function parseSampleText(rawText: string, format: SampleFormat, column?: string): number[] {
  // Spreadsheet and Windows tools often start files with a byte-order mark; it is not part of the data.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  if (format === 'json') return parseJsonArray(text);
  if (format === 'csv') return parseCsvColumn(text, column);
  return parseLines(text);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string "${abbreviate(value)}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const abbreviate = (text: string, max = 40): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
