import { describe, expect, test } from '@jest/globals';
import { parseTimestamp, resolveTimeWindow } from './time-range.ts';

const fail = (input: string, problem: string): never => {
  throw new Error(`${input}: ${problem}`);
};
const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('resolveTimeWindow', () => {
  test('range back from now, or from an explicit end', () => {
    expect(resolveTimeWindow({ rangeMs: 30 * 60_000 }, NOW, fail)).toEqual({ start: NOW / 1000 - 1800, end: NOW / 1000 });
    expect(resolveTimeWindow({ rangeMs: 60_000, end: '1000' }, NOW, fail)).toEqual({ start: 940, end: 1000 });
  });
  test('explicit start and end win over range', () => {
    expect(resolveTimeWindow({ rangeMs: 60_000, start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z' }, NOW, fail)).toEqual({
      start: Date.parse('2026-03-01T10:00:00Z') / 1000,
      end: Date.parse('2026-03-01T11:00:00Z') / 1000,
    });
  });
  test('bad times name their input', () => {
    expect(() => resolveTimeWindow({ start: 'yesterday', end: '10' }, NOW, fail)).toThrow("start: 'yesterday' is not a time");
    expect(() => resolveTimeWindow({ start: '20', end: '10' }, NOW, fail)).toThrow('start: the window must end after it starts');
    expect(() => resolveTimeWindow({}, NOW, fail)).toThrow('range: give a range');
  });
  test('parseTimestamp reads unix seconds and RFC 3339 only', () => {
    expect(parseTimestamp('1700000000.5')).toBe(1700000000.5);
    expect(parseTimestamp('2026-03-01T12:00:00+01:00')).toBe(Date.parse('2026-03-01T11:00:00Z') / 1000);
    expect(parseTimestamp('March 1')).toBeUndefined();
  });
});
