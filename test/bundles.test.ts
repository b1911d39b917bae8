// The committed bundles are the product: each must equal a fresh build of its sources, declare node24, and
// start and fail cleanly (one ::error, no stack trace) when run as the runner runs it with no inputs.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildAction } from '../scripts/build-action.ts';
import { commandsOf, repoRoot, runAction } from './harness/run-action.ts';

const actionsDir = join(repoRoot, 'actions');
const actions = readdirSync(actionsDir).filter((name) => existsSync(join(actionsDir, name, 'src', 'index.ts')));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

describe.each(actions)('bundle of %s', (action) => {
  const actionDir = join(actionsDir, action);

  it('is identical to a fresh build of its sources', async () => {
    const outDir = await mkdtemp(join(tmpdir(), `fresh-${action}-`));
    try {
      buildAction(actionDir, outDir);
      const fresh = listFiles(outDir).sort();
      const committed = listFiles(join(actionDir, 'dist')).sort();
      expect(committed).toEqual(fresh);
      for (const file of fresh) {
        const same = readFileSync(join(outDir, file)).equals(readFileSync(join(actionDir, 'dist', file)));
        if (!same) throw new Error(`actions/${action}/dist/${file} is stale: run \`npm run build\` and commit dist/`);
      }
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('declares node24 with dist/index.js as its entry', () => {
    const manifest = parseYaml(readFileSync(join(actionDir, 'action.yml'), 'utf8'));
    expect(manifest.runs).toEqual(expect.objectContaining({ using: 'node24', main: 'dist/index.js' }));
    expect(typeof manifest.name).toBe('string');
    expect(typeof manifest.description).toBe('string');
  });

  it('starts and fails cleanly without inputs', async () => {
    const workspace = await mkdtemp(join(tmpdir(), `smoke-${action}-`));
    try {
      const run = await runAction(action, {}, { cwd: workspace });
      expect(run.exitCode).toBe(1);
      const errors = commandsOf(run, 'error');
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors[0].message).toMatch(/^Input '[a-z-]+'/);
      expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
});

it('finds the actions to check', () => {
  expect(actions.length).toBeGreaterThanOrEqual(1);
});
