// The actions declare `runs.using: node24`; the tests must run on the same major version, whatever Node the
// machine has (npm scripts put node_modules/.bin/node, from the `node` package, first on PATH).
import { expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './harness/run-action.ts';

it('runs the tests on Node 24, the runtime the actions declare', () => {
  expect(process.version).toMatch(/^v24\./);
  const declared = readdirSync(join(repoRoot, 'actions')).map(
    (action) => parseYaml(readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8')).runs.using,
  );
  expect(new Set(declared)).toEqual(new Set(['node24']));
});

it('gives npm scripts Node 24 through node_modules/.bin', () => {
  const version = execFileSync(join(repoRoot, 'node_modules', '.bin', 'node'), ['--version'], { encoding: 'utf8' }).trim();
  expect(version).toMatch(/^v24\./);
});
