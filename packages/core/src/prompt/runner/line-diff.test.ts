import { expect, it } from '@jest/globals';
import { unifiedDiff } from './line-diff.ts';

const labels = { before: 'base', after: 'head' };

it('is empty for identical texts', () => {
  expect(unifiedDiff('a\nb', 'a\nb', labels)).toBe('');
});

it('shows a changed line with context, in the format `git apply` reads', () => {
  const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
  const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10'].join('\n');
  expect(unifiedDiff(before, after, labels)).toBe(['--- base', '+++ head', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8'].join('\n'));
});

it('splits distant changes into hunks and handles pure insertions', () => {
  const before = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
  const after = [...before];
  after[0] = 'first';
  after.splice(15, 0, 'inserted');
  const diff = unifiedDiff(before.join('\n'), after.join('\n'), labels);
  expect(diff.match(/^@@/gm)).toHaveLength(2);
  expect(diff).toContain('@@ -1,4 +1,4 @@\n-l1\n+first');
  expect(diff).toContain('+inserted');
  expect(unifiedDiff('', 'x', labels)).toBe('--- base\n+++ head\n@@ -1,1 +1,1 @@\n-\n+x');
});
