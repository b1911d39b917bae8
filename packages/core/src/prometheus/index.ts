export * from './client.ts';
export { parseTimestamp, resolveTimeWindow, type TimeWindow, type TimeWindowSpec } from './time-range.ts';
