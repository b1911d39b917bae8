import type { Direction } from './types.ts';

/** scipy's `alternative` for "current is worse than baseline" (tests are run as test(current, baseline)). */
export type Alternative = 'greater' | 'less' | 'two-sided';

export function alternativeFor(direction: Direction): Alternative {
  if (direction === 'lower-is-better') return 'greater';
  if (direction === 'higher-is-better') return 'less';
  return 'two-sided';
}
