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
export function toPlainData(value: unknown): unknown {
  // Values from YAML or JSON are already plain: checking is far cheaper than copying on every render.
  return isPlainData(value, new Set<object>()) ? value : copyPlainData(value, new WeakSet<object>());
}

function isPlainData(value: unknown, path: Set<object>): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function';
  if (path.has(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype) return false;
    path.add(value);
    for (const item of value) if (!isPlainData(item, path)) return false;
  } else {
    if (prototype !== Object.prototype) return false;
    path.add(value);
    for (const key in value) if (!isPlainData((value as Record<string, unknown>)[key], path)) return false;
  }
  path.delete(value);
  return true;
}

function copyPlainData(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => copyPlainData(item, seen));
  if (value instanceof Date) return value.toISOString();
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'function') continue;
    setOwn(copy, key, copyPlainData(item, seen));
  }
  return copy;
}

/** Sets an own data property; a `__proto__` key must not replace the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
