// Typed action inputs. Every input is read once, validated up front, and a bad value throws an InputError
// whose message names the input and the fix; nothing downstream calls core.getInput again.

/** A bad input value. The message always starts with the input's name and says how to fix it. */
export class InputError extends Error {
  readonly input: string;
  constructor(input: string, problem: string) {
    super(`Input '${input}': ${problem}`);
    this.name = 'InputError';
    this.input = input;
  }
}

/** Where raw input strings come from: `core.getInput` in an action, a plain object in tests and config files. */
export type RawInputs = (name: string) => string;

export const fromRecord =
  (record: Record<string, unknown>): RawInputs =>
  (name) => {
    const value = record[name];
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value.trim() : JSON.stringify(value);
  };

export interface NumberRule {
  min?: number;
  max?: number;
  /** The bound itself is not allowed (e.g. alpha in (0, 1)). */
  exclusive?: boolean;
  integer?: boolean;
}

/** Reads inputs by name with typed parsers; every parser throws InputError on bad values. */
export class InputReader {
  readonly raw: RawInputs;
  constructor(raw: RawInputs) {
    this.raw = raw;
  }

  has(name: string): boolean {
    return this.raw(name) !== '';
  }

  string(name: string, fallback?: string): string {
    const value = this.raw(name);
    if (value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new InputError(name, 'is required. Set it in the `with:` block of the step.');
  }

  optionalString(name: string): string | undefined {
    const value = this.raw(name);
    return value === '' ? undefined : value;
  }

  number(name: string, fallback: number | undefined, rule: NumberRule = {}): number {
    const text = this.raw(name);
    if (text === '') {
      if (fallback === undefined) throw new InputError(name, 'is required: give a number.');
      return fallback;
    }
    return parseNumberInput(name, text, rule);
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.raw(name);
    if (text === '') return fallback;
    if (/^(true|yes|on|1)$/i.test(text)) return true;
    if (/^(false|no|off|0)$/i.test(text)) return false;
    throw new InputError(name, `got '${text}'; use true or false.`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const text = this.raw(name);
    if (text === '') {
      if (fallback === undefined) throw new InputError(name, `is required: one of ${allowed.join(', ')}.`);
      return fallback;
    }
    return parseChoice(name, text, allowed);
  }

  /** A list separated by commas and/or newlines; empty entries are dropped. */
  list(name: string, fallback: readonly string[] = []): string[] {
    const text = this.raw(name);
    if (text === '') return [...fallback];
    return splitList(text);
  }

  /** A duration such as `90s`, `5m`, `1h30m`, `2d` or a bare number of seconds; returns milliseconds. */
  duration(name: string, fallback?: string): number {
    const text = this.raw(name) || fallback;
    if (text === undefined) throw new InputError(name, 'is required: give a duration such as 30s, 5m or 1h.');
    return parseDurationInput(name, text);
  }
}

export function parseNumberInput(name: string, text: string, rule: NumberRule = {}): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new InputError(name, `'${text}' is not a finite number.`);
  }
  if (rule.integer && !Number.isInteger(value)) throw new InputError(name, `'${text}' must be a whole number.`);
  const below = rule.min !== undefined && (rule.exclusive ? value <= rule.min : value < rule.min);
  const above = rule.max !== undefined && (rule.exclusive ? value >= rule.max : value > rule.max);
  if (below || above) {
    const [open, close] = rule.exclusive ? ['(', ')'] : ['[', ']'];
    throw new InputError(name, `${value} is outside ${open}${rule.min ?? '-∞'}, ${rule.max ?? '∞'}${close}.`);
  }
  return value;
}

export function parseChoice<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  const normalized = text.trim().toLowerCase();
  const match = allowed.find((choice) => choice.toLowerCase() === normalized);
  if (!match) throw new InputError(name, `unknown value '${text}'; use one of: ${allowed.join(', ')}.`);
  return match;
}

export const splitList = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationInput(name: string, text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const consumed = parts.map((part) => part[0]).join('');
  if (parts.length === 0 || consumed !== trimmed) {
    throw new InputError(name, `'${text}' is not a duration; write it like 30s, 5m, 1h30m or 2d.`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * DURATION_UNITS_MS[unit], 0);
}
