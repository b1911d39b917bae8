// `npm run examples` (the README's main-job command) keeps working: every example runs its bundled action
// and ends as the example says, with a summary to print.
import { afterAll, expect, test } from '@jest/globals';
import { EXAMPLES } from '../../scripts/run-examples.ts';
import { removeRunnerTemp, runAction, type ActionRun } from '../harness/run-action.ts';

const runs: ActionRun[] = [];
afterAll(async () => {
  await Promise.all(runs.map(removeRunnerTemp));
});

test.each(EXAMPLES.map((example) => [example.title, example] as const))('%s', async (_, example) => {
  const run = await runAction(example.action, example.inputs);
  runs.push(run);
  expect(run.exitCode).toBe(example.expectedExitCode);
  expect(run.summary.length).toBeGreaterThan(200);
  expect(run.stderr).toBe('');
});
