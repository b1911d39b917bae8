// 200 more small random cases (exact and asymptotic Mann-Whitney, ties, constant samples, every direction)
// with scipy 1.10.1 / numpy 1.24.2 figures, committed with their generator (fixtures/generate-scipy-cases.py).

import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { expectMatchesScipy, type VectorCase } from './scipy-cases.ts';

const { cases } = JSON.parse(readFileSync(new URL('./fixtures/scipy-random-cases.json', import.meta.url), 'utf8')) as { cases: VectorCase[] };

describe('scipy random cases', () => {
  test('cover the exact and the asymptotic Mann-Whitney paths and undefined figures', () => {
    expect(cases).toHaveLength(200);
    expect(cases.filter((entry) => Math.min(entry.baseline.length, entry.current.length) <= 8).length).toBeGreaterThan(50);
    expect(cases.filter((entry) => entry.expected.t_p === null).length).toBeGreaterThan(0);
    expect(cases.filter((entry) => entry.expected.trend_p === null).length).toBeGreaterThan(0);
  });

  test.each(cases.map((entry) => [entry.name, entry] as const))('%s matches scipy within 1e-9 relative', (_name, entry) => {
    expectMatchesScipy(entry);
  });
});
