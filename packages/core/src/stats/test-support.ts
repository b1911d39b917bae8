// Helpers shared by the statistics tests (not exported from the package).

import { expect } from '@jest/globals';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { PI, abs, cos, imul, log, sqrt } = Math;

/** |actual − expected| ≤ tolerance · |expected| (absolute tolerance when expected is 0). */
export function expectRelativelyClose(actual: number, expected: number, tolerance: number, label = ''): void {
  const scale = expected === 0 ? 1 : abs(expected);
  const error = abs(actual - expected) / scale;
  if (!(error <= tolerance)) {
    throw new Error(`${label} expected ${expected}, got ${actual} (relative error ${error.toExponential(2)} > ${tolerance})`);
  }
  expect(error).toBeLessThanOrEqual(tolerance);
}

export { seededNormal, seededUniform } from '../../../../test/harness/seeded-random.ts';

/** Every number anywhere inside `value` (for "never NaN / Infinity" checks). */
export function allNumbers(value: unknown, path = '$'): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => allNumbers(item, `${path}[${index}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => allNumbers(item, `${path}.${key}`));
  return [];
}
