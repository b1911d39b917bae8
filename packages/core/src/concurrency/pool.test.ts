import { expect, it } from '@jest/globals';
import { mapWithConcurrency } from './pool.ts';

it('keeps order and never exceeds the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (value) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, value));
    inFlight--;
    return value * 10;
  });
  expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
  expect(peak).toBe(3);
});

it('handles empty input and rejects a bad limit', async () => {
  expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  await expect(mapWithConcurrency([1], 0, async () => 1)).rejects.toThrow(/concurrency must be a whole number/);
});
