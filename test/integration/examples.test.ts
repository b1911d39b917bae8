// `npm run examples` (the README's main-job command) keeps working: every example runs its bundled action
// and ends as the example says, with a summary to print.
import { afterAll, expect, test } from '@jest/globals';
import { EXAMPLES, runExample } from '../../scripts/run-examples.ts';
import { removeRunnerTemp, type ActionRun } from '../harness/run-action.ts';

const runs: ActionRun[] = [];
afterAll(async () => {
  await Promise.all(runs.map(removeRunnerTemp));
});

test.each(EXAMPLES.map((example) => [example.title, example] as const))('%s', async (_, example) => {
  const outcome = await runExample(example);
  if ('skipped' in outcome) {
    // Only outside CI: with CI=true a missing component throws in prepare().
    console.warn(`SKIPPED example "${example.title}": ${outcome.skipped}`);
    return;
  }
  runs.push(outcome.run);
  expect(outcome.run.exitCode).toBe(example.expectedExitCode);
  expect(outcome.run.outputs).toMatchObject(example.expectedOutputs ?? {});
  expect(outcome.run.summary.length).toBeGreaterThan(200);
  expect(outcome.run.stderr).toBe('');
});
