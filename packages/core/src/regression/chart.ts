// A Mermaid `xychart-beta` picture of two samples: the share of each sample per bin over a common range, the
// baseline as bars and the current sample as a line, so a shift shows at a glance in the job summary.

export interface Histogram {
  /** Bin edges, length bins + 1. */
  edges: number[];
  baselinePercent: number[];
  currentPercent: number[];
  /** Values beyond the 1st/99th percentiles of both samples are counted in the outermost bins. */
  clipped: boolean;
}

export const DEFAULT_BINS = 12;

/** Bins both samples over their shared range, or the 1st–99th percentiles when extreme values would flatten the picture. */
export function histogram(baseline: readonly number[], current: readonly number[], bins = DEFAULT_BINS): Histogram {
  const pooled = Float64Array.from([...sampleForRange(baseline), ...sampleForRange(current)]).sort();
  const [baselineLow, baselineHigh] = extent(baseline);
  const [currentLow, currentHigh] = extent(current);
  const fullLow = Math.min(baselineLow, currentLow);
  const fullHigh = Math.max(baselineHigh, currentHigh);
  let [low, high] = [quantileSorted(pooled, 0.01), quantileSorted(pooled, 0.99)];
  // Clip to the percentiles only when the tails would otherwise take most of the axis.
  if (!(high > low) || fullHigh - fullLow <= 2 * (high - low)) [low, high] = [fullLow, fullHigh];
  if (!(high > low)) [low, high] = [low - 0.5, low + 0.5];
  const width = (high - low) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => low + i * width);
  const percent = (values: readonly number[]) => {
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.max(0, Math.floor((values[i] - low) / width)))]++;
    return counts.map((count) => (100 * count) / values.length);
  };
  return { edges, baselinePercent: percent(baseline), currentPercent: percent(current), clipped: fullLow < low || fullHigh > high };
}

/** The Mermaid block body (without the fence). Labels are bin centres; numbers are rounded for readability. */
export function distributionChart(metricName: string, baseline: readonly number[], current: readonly number[], bins = DEFAULT_BINS): string {
  const h = histogram(baseline, current, bins);
  const centres = h.edges.slice(0, -1).map((edge, i) => (edge + h.edges[i + 1]) / 2);
  const labels = centres.map((centre) => `"${axisLabel(centre, h.edges[1] - h.edges[0])}"`);
  const top = Math.max(...h.baselinePercent, ...h.currentPercent);
  const title = `${metricName}: baseline (bars) vs current (line)`.replace(/"/g, "'");
  return [
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "${h.clipped ? 'value (1st–99th percentile; tails in the end bins)' : 'value'}" [${labels.join(', ')}]`,
    `  y-axis "% of sample" 0 --> ${Math.max(5, Math.ceil(top / 5) * 5)}`,
    `  bar [${h.baselinePercent.map(round1).join(', ')}]`,
    `  line [${h.currentPercent.map(round1).join(', ')}]`,
  ].join('\n');
}

const round1 = (value: number): string => String(Math.round(value * 10) / 10);

/** Enough significant digits to tell neighbouring bins apart, no more. */
function axisLabel(value: number, binWidth: number): string {
  // Bin centres computed as low + i * width can miss zero by a rounding error (-4.4e-16).
  if (Math.abs(value) < binWidth * 1e-9) return '0';
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(binWidth)) + 1));
  const text = Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4 ? value.toExponential(2) : value.toFixed(decimals);
  return text.includes('.') && !text.includes('e') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

// Percentiles from at most ~20,000 evenly spaced values: the range is for a picture, and a million-value sort would cost time.
function sampleForRange(values: readonly number[]): number[] {
  const stride = Math.max(1, Math.floor(values.length / 10_000));
  const picked: number[] = [];
  for (let i = 0; i < values.length; i += stride) picked.push(values[i]);
  return picked;
}

function quantileSorted(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function extent(values: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}
