// Template variables are data. Every engine that resolves names itself reads own properties only, so no
// template can walk from a value to its prototype, `constructor`, `Function` and from there to `process`.

export interface OwnLookup {
  found: boolean;
  value: unknown;
}

const NOT_FOUND: OwnLookup = { found: false, value: undefined };

export function ownValue(container: unknown, key: string | number): OwnLookup {
  if (container === null || container === undefined) return NOT_FOUND;
  if (typeof container === 'string') {
    if (typeof key === 'number' && key >= 0 && key < container.length) return { found: true, value: container[key] };
    if (key === 'length') return { found: true, value: container.length };
    return NOT_FOUND;
  }
  if (typeof container !== 'object') return NOT_FOUND;
  if (Array.isArray(container)) {
    const position = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : Number.NaN;
    if (position >= 0 && position < container.length) return { found: true, value: container[position] };
    if (key === 'length') return { found: true, value: container.length };
    return NOT_FOUND;
  }
  const name = String(key);
  if (!Object.hasOwn(container, name)) return NOT_FOUND;
  const value = (container as Record<string, unknown>)[name];
  return typeof value === 'function' ? NOT_FOUND : { found: true, value };
}

/** Reads a dotted path (`a.b.0`) through own properties. */
export function ownPath(container: unknown, path: readonly string[]): OwnLookup {
  let current: OwnLookup = { found: true, value: container };
  for (const key of path) {
    current = ownValue(current.value, key);
    if (!current.found) return NOT_FOUND;
  }
  return current;
}

/**
 * A deep copy holding only JSON-like data: functions are dropped and keys are defined as own data properties
 * (a `__proto__` key stays a key and never replaces the prototype).
 */
export function toPlainData(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => toPlainData(item, seen));
  if (value instanceof Date) return value.toISOString();
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'function') continue;
    Object.defineProperty(copy, key, { value: toPlainData(item, seen), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
