// The Prometheus text exposition format (version 0.0.4), as the Pushgateway accepts it: HELP and TYPE lines,
// escaped label values, and no timestamps (the Pushgateway answers 400 to a sample that carries one). Pure.

export type MetricType = 'gauge' | 'counter' | 'untyped';

export interface Sample {
  labels: Record<string, string>;
  /** Must be finite: a figure that could not be computed is left out, never written as NaN. */
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** A metric family the exposition format (or the Pushgateway) would refuse; a bug in the caller, not bad data. */
export class ExpositionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpositionError';
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const isValidMetricName = (name: string): boolean => METRIC_NAME.test(name);

/** `__`-prefixed names are reserved for Prometheus's own use. */
export const isValidLabelName = (name: string): boolean => LABEL_NAME.test(name) && !name.startsWith('__');

export const escapeLabelValue = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** HELP text escapes only backslash and newline (quotes stay as they are). */
export const escapeHelp = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function renderExposition(families: readonly MetricFamily[]): string {
  const seenNames = new Set<string>();
  const lines: string[] = [];
  for (const family of families) {
    if (!isValidMetricName(family.name)) throw new ExpositionError(`'${family.name}' is not a valid metric name (letters, digits, _ and :, not starting with a digit).`);
    if (seenNames.has(family.name)) throw new ExpositionError(`metric '${family.name}' appears twice; give each family once with all its samples.`);
    seenNames.add(family.name);
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    const seenSeries = new Set<string>();
    for (const sample of family.samples) {
      const labels = renderLabels(family.name, sample.labels);
      if (seenSeries.has(labels)) throw new ExpositionError(`metric '${family.name}' has two samples with the labels ${labels || '{}'}.`);
      seenSeries.add(labels);
      if (!Number.isFinite(sample.value)) throw new ExpositionError(`metric '${family.name}${labels}' has the non-finite value ${sample.value}; leave the sample out instead.`);
      lines.push(`${family.name}${labels} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function renderLabels(metric: string, labels: Record<string, string>): string {
  // Sorted, so equal label sets render equally (and duplicates are caught whatever the key order).
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name] of entries) {
    if (!isValidLabelName(name)) throw new ExpositionError(`metric '${metric}' has the invalid label name '${name}' (letters, digits and _, not starting with a digit or __).`);
  }
  return entries.length === 0 ? '' : `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

// Object.is(-0, 0) aside, String() gives the shortest round-tripping form, which Prometheus parses (1e-7 included).
const formatValue = (value: number): string => (value === 0 ? '0' : String(value));
