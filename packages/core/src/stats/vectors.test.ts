// The 70 reference cases computed with scipy 1.10.1 / numpy 1.24.2 (../shared/testdata/stats-vectors.json,
// beside the repository; MODEL_CICD_STATS_VECTORS overrides the path). Under CI=true a missing file fails.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { expectMatchesScipy, type VectorCase } from './scipy-cases.ts';

const vectorsPath =
  process.env.MODEL_CICD_STATS_VECTORS ?? fileURLToPath(new URL('../../../../../shared/testdata/stats-vectors.json', import.meta.url));
const available = existsSync(vectorsPath);
const cases: VectorCase[] = available ? (JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: VectorCase[] }).cases : [];

describe('scipy reference vectors', () => {
  test('the reference file is present (required under CI=true)', () => {
    if (!available && process.env.CI === 'true') {
      throw new Error(`stats reference vectors not found at ${vectorsPath}; set MODEL_CICD_STATS_VECTORS or check out ../shared`);
    }
    if (available) expect(cases).toHaveLength(70);
  });

  const runnable = available ? test.each(cases.map((entry) => [entry.name, entry] as const)) : test.skip.each([['(reference file missing)', null]]);
  runnable('%s matches scipy within 1e-9 relative', (_name, entry) => {
    expectMatchesScipy(entry as VectorCase);
  });
});
