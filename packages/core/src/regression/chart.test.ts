import { expect, test } from '@jest/globals';
import { distributionChart, histogram } from './chart.ts';

test('bins both samples over one range, as percentages of each sample', () => {
  const h = histogram([1, 2, 3, 4], [3, 4, 5, 6, 7, 8], 4);
  expect(h.edges).toHaveLength(5);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  expect(sum(h.baselinePercent)).toBeCloseTo(100);
  expect(sum(h.currentPercent)).toBeCloseTo(100);
  // the current sample sits to the right of the baseline
  expect(h.baselinePercent[0]).toBeGreaterThan(h.currentPercent[0]);
  expect(h.currentPercent[3]).toBeGreaterThan(h.baselinePercent[3]);
});

test('a single extreme value lands in the end bin instead of squashing the picture', () => {
  const baseline = Array.from({ length: 1000 }, (_, i) => 100 + (i % 50));
  const h = histogram(baseline, [...baseline, 1e9], 10);
  expect(h.clipped).toBe(true);
  expect(h.edges[10]).toBeLessThan(200);
  expect(h.currentPercent[9]).toBeGreaterThan(0);
});

test('identical constant samples still give a valid chart', () => {
  expect(histogram([5, 5], [5, 5], 3).baselinePercent.reduce((a, b) => a + b)).toBeCloseTo(100);
});

test('the Mermaid block uses xychart-beta syntax: quoted labels, a bar and a line of equal length', () => {
  const chart = distributionChart('latency "p95"', [100, 110, 120, 130], [120, 130, 140, 150], 4);
  const lines = chart.split('\n');
  expect(lines[0]).toBe('xychart-beta');
  expect(lines[1]).toBe(`  title "latency 'p95': baseline (bars) vs current (line)"`);
  expect(lines[2]).toMatch(/^ {2}x-axis "value" \["[\d.]+"(, "[\d.]+"){3}\]$/);
  expect(lines[3]).toMatch(/^ {2}y-axis "% of sample" 0 --> \d+$/);
  const series = (prefix: string) => JSON.parse(lines.find((l) => l.trim().startsWith(prefix))!.trim().slice(prefix.length).trim()) as number[];
  expect(series('bar')).toHaveLength(4);
  expect(series('line')).toHaveLength(4);
  expect(series('bar').reduce((a, b) => a + b)).toBeCloseTo(100, 0);
});
