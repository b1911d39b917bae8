import { expect, it } from '@jest/globals';
import { addedLinesFromPatch } from './diff.ts';
import { pullRequestFromPayload } from './pull-request.ts';

it('finds the added lines of the new file across hunks', () => {
  const patch = ['@@ -1,3 +1,4 @@', ' keep', '-old', '+new one', '+new two', ' keep', '@@ -10,2 +11,2 @@', ' ctx', '-x', '+y', '\\ No newline at end of file'].join('\n');
  expect([...addedLinesFromPatch(patch)]).toEqual([2, 3, 12]);
  expect([...addedLinesFromPatch('@@ -0,0 +1,2 @@\n+a\n+b')]).toEqual([1, 2]);
  expect(addedLinesFromPatch('').size).toBe(0);
});

it('reads the pull request from a payload and spots forks', () => {
  const payload = { pull_request: { number: 7, base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'o/r' } }, head: { sha: 'h'.repeat(40), repo: { full_name: 'fork/r' } } } };
  expect(pullRequestFromPayload('pull_request', payload)).toEqual({ number: 7, baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40), baseRef: 'main', fromFork: true });
  expect(pullRequestFromPayload('push', payload)).toBeUndefined();
  expect(pullRequestFromPayload('pull_request', {})).toBeUndefined();
});
