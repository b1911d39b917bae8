// The 70 reference cases computed with scipy 1.10.1 / numpy 1.24.2 (fixtures/scipy-reference-vectors.json,
// a copy of the team's shared test data kept in the repository so every checkout and CI runner has it).
// Where the shared original sits beside the repository (../shared/testdata, or MODEL_CICD_STATS_VECTORS),
// the copy must still equal it, so an update of the reference cannot go unnoticed.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { expectMatchesScipy, type VectorCase } from './scipy-cases.ts';

const repositoryCopy = fileURLToPath(new URL('./fixtures/scipy-reference-vectors.json', import.meta.url));
const sharedOriginal =
  process.env.MODEL_CICD_STATS_VECTORS ?? fileURLToPath(new URL('../../../../../shared/testdata/stats-vectors.json', import.meta.url));
const cases = (JSON.parse(readFileSync(repositoryCopy, 'utf8')) as { cases: VectorCase[] }).cases;

describe('scipy reference vectors', () => {
  test('all 70 cases are there', () => {
    expect(cases).toHaveLength(70);
  });

  const shared = existsSync(sharedOriginal) ? test : test.skip;
  shared('the repository copy equals the shared reference beside the repository', () => {
    expect(JSON.parse(readFileSync(repositoryCopy, 'utf8'))).toEqual(JSON.parse(readFileSync(sharedOriginal, 'utf8')));
  });

  test.each(cases.map((entry) => [entry.name, entry] as const))('%s matches scipy within 1e-9 relative', (_name, entry) => {
    expectMatchesScipy(entry);
  });
});
