// The metrics-config file: many metrics in one run, like a Kayenta canary config. YAML or JSON (JSON is YAML).
// Top-level keys are action input names and set defaults; `metrics:` entries override them per metric.
// Each entry keeps its line so annotations can point at it.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InputError } from '../action/index.ts';
import { METRIC_SETTING_KEYS } from './settings.ts';

export const CONFIG_TOP_LEVEL_KEYS = [...METRIC_SETTING_KEYS, 'metrics', 'metrics-correction', 'fail-on-regression', 'prometheus-url'] as const;
export const CONFIG_ENTRY_KEYS = [...METRIC_SETTING_KEYS, 'name', 'critical', 'baseline', 'current', 'baseline-query', 'current-query', 'query'] as const;

export interface ConfigMetricEntry {
  name: string;
  /** 1-based line of the entry (its first key) in the file. */
  line: number;
  /** Keys as written (kebab-case), values as parsed (string, number, boolean, array...). */
  fields: Record<string, unknown>;
}

export interface MetricsConfig {
  /** Path shown in messages and annotations. */
  file: string;
  defaults: Record<string, unknown>;
  /** 1-based line of each top-level key, for messages about its value. */
  defaultLines: Record<string, number>;
  metrics: ConfigMetricEntry[];
  /** Values of the caller's own top-level keys (see ParseOptions.extensionKeys), with their lines. */
  extensions: Record<string, { value: unknown; line: number }>;
}

export interface ParseOptions {
  /** Top-level keys a caller adds to the format (gradual-rollout's `request-count-query`), kept apart from the defaults. */
  extensionKeys?: readonly string[];
}

/** Parses the config text; every problem is an InputError on 'metrics-config' that names the file and line. */
export function parseMetricsConfig(text: string, file: string, options: ParseOptions = {}): MetricsConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const fail = (problem: string, offset?: number): never => {
    const at = offset === undefined ? '' : ` line ${lineCounter.linePos(offset).line}`;
    throw new InputError('metrics-config', `${file}${at}: ${problem}`);
  };
  if (document.errors.length > 0) {
    const error = document.errors[0];
    fail(`is not valid YAML or JSON: ${error.message.split('\n')[0]}`, error.pos[0]);
  }
  const root = document.contents;
  if (!isMap(root)) return fail('must be a mapping with a `metrics:` list (and optional defaults such as `alpha: 0.01`).');

  const defaults: Record<string, unknown> = {};
  const defaultLines: Record<string, number> = {};
  const extensions: MetricsConfig['extensions'] = {};
  const extensionKeys = options.extensionKeys ?? [];
  let metricsNode: Node | undefined;
  for (const pair of root.items) {
    const key = scalarKey(pair.key, fail);
    if (extensionKeys.includes(key)) {
      const value = (pair.value as Node | null)?.toJSON() ?? null;
      extensions[key] = { value, line: lineCounter.linePos(offsetOf(pair.key) ?? 0).line };
      continue;
    }
    checkKnown(key, [...CONFIG_TOP_LEVEL_KEYS, ...extensionKeys], 'top-level key', offsetOf(pair.key), fail);
    if (key === 'metrics') metricsNode = pair.value as Node;
    else {
      defaults[key] = (pair.value as Node | null)?.toJSON() ?? null;
      defaultLines[key] = lineCounter.linePos(offsetOf(pair.key) ?? 0).line;
    }
  }
  if (!metricsNode || !isSeq(metricsNode) || metricsNode.items.length === 0) {
    return fail('needs a non-empty `metrics:` list; each entry has a `name` and its samples or queries.');
  }

  const seen = new Map<string, number>();
  const metrics = metricsNode.items.map((item, index) => {
    const node = item as Node;
    const offset = offsetOf(node);
    if (!isMap(node)) return fail(`metrics entry ${index + 1} must be a mapping with at least \`name\`.`, offset);
    const fields: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = scalarKey(pair.key, fail);
      checkKnown(key, CONFIG_ENTRY_KEYS, 'key in a metrics entry', offsetOf(pair.key), fail);
      fields[key] = (pair.value as Node | null)?.toJSON() ?? null;
    }
    const name = typeof fields.name === 'string' || typeof fields.name === 'number' ? String(fields.name).trim() : '';
    if (name === '') return fail(`metrics entry ${index + 1} needs a \`name\` (e.g. name: latency_p95).`, offset);
    const line = lineCounter.linePos(offset ?? 0).line;
    if (seen.has(name)) return fail(`metric '${name}' is defined twice (also on line ${seen.get(name)}); give each metric its own name.`, offset);
    seen.set(name, line);
    return { name, line, fields };
  });
  return { file, defaults, defaultLines, metrics, extensions };
}

const offsetOf = (node: unknown): number | undefined => (node && typeof node === 'object' && 'range' in node ? (node as Node).range?.[0] : undefined);

function scalarKey(key: unknown, fail: (problem: string, offset?: number) => never): string {
  if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return fail('keys must be plain names such as `alpha` or `metrics`.', offsetOf(key));
}

function checkKnown(key: string, known: readonly string[], what: string, offset: number | undefined, fail: (problem: string, offset?: number) => never): void {
  if (known.includes(key)) return;
  const kebab = key.replace(/_/g, '-').toLowerCase();
  const hint = known.includes(kebab) ? `write it as '${kebab}' (the action's input names are kebab-case)` : `known keys: ${known.join(', ')}`;
  fail(`unknown ${what} '${key}'; ${hint}.`, offset);
}
