import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineName, PromptFile, Role, VariableSpec } from '../types.ts';
import { ENGINE_NAMES } from '../types.ts';
import { scanTemplate, scanText } from './scan.ts';
import type { InjectionCheck, ScanContext } from './types.ts';
import { INJECTION_CHECKS } from './types.ts';

export type CorpusCategory = InjectionCheck extends `injection/${infer C}` ? C : never;
export const CORPUS_CATEGORIES = INJECTION_CHECKS.map((check) => check.slice('injection/'.length) as CorpusCategory);

/** One labelled row of the corpus (test/corpus/injection/corpus.jsonl). */
export interface CorpusRow {
  id: string;
  text: string;
  label: 'positive' | 'negative';
  /** The check a positive must trigger; for a negative, the check it was written to tempt. */
  category: CorpusCategory;
  /** How the text is scanned; default `test-data`. Structural rows are scanned as one template message. */
  context?: ScanContext;
  engine?: EngineName;
  /** Structural rows: the message's role (default `user`). */
  role?: Role;
  variables?: Record<string, VariableSpec>;
  /**
   * `base64`: `text` is stored base64-encoded (UTF-8), so the synthetic credentials of the secret rows do
   * not trip secret scanners (push protection, gitleaks) on the repository itself. Decoded on parse.
   */
  encoding?: 'base64';
  /** `development` rows (default) shaped the rules; `held-out` rows were written after and measured once. */
  split?: 'development' | 'held-out';
  provenance: string;
  licence: string;
}

export interface CategoryRates {
  category: CorpusCategory;
  positives: number;
  detected: number;
  /** detected / positives (NaN without positives). */
  recall: number;
  negatives: number;
  falsePositives: number;
  /** falsePositives / negatives (NaN without negatives). */
  falsePositiveRate: number;
  missed: string[];
  falseAlarms: string[];
}

export interface CorpusEvaluation {
  rows: number;
  overall: Omit<CategoryRates, 'category'>;
  categories: CategoryRates[];
  /** Scanned bytes (UTF-8) and the time the scans took, for throughput. */
  bytes: number;
  milliseconds: number;
}

const STRUCTURAL = new Set<CorpusCategory>(['untrusted-in-system', 'unfenced-untrusted']);
const ORIGIN = { file: 'corpus', line: 1, column: 1 };

/** Parses JSONL, rejecting rows that miss a field, so a typo cannot silently shrink the corpus. */
export function parseCorpus(jsonl: string, source = 'corpus'): CorpusRow[] {
  const rows: CorpusRow[] = [];
  const ids = new Set<string>();
  jsonl.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${source}:${index + 1}`;
    let row: CorpusRow;
    try {
      row = JSON.parse(line) as CorpusRow;
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message}); each line must be one JSON object`);
    }
    for (const field of ['id', 'text', 'label', 'category', 'provenance', 'licence'] as const) {
      if (typeof row[field] !== 'string' || row[field] === '') throw new Error(`${where}: field "${field}" must be a non-empty string`);
    }
    if (row.label !== 'positive' && row.label !== 'negative') throw new Error(`${where}: label must be "positive" or "negative", not "${row.label}"`);
    if (!CORPUS_CATEGORIES.includes(row.category)) throw new Error(`${where}: unknown category "${row.category}"; use one of ${CORPUS_CATEGORIES.join(', ')}`);
    if (row.split !== undefined && row.split !== 'development' && row.split !== 'held-out') throw new Error(`${where}: split must be "development" or "held-out"`);
    if (row.engine !== undefined && !ENGINE_NAMES.includes(row.engine)) throw new Error(`${where}: unknown engine "${row.engine}"`);
    if (ids.has(row.id)) throw new Error(`${where}: duplicate id "${row.id}"`);
    if (row.encoding !== undefined && row.encoding !== 'base64') throw new Error(`${where}: encoding must be "base64" when present`);
    if (row.encoding === 'base64') {
      row = { ...row, text: Buffer.from(row.text, 'base64').toString('utf8') };
      delete row.encoding;
    }
    ids.add(row.id);
    rows.push(row);
  });
  return rows;
}

/** The checks the scanner reports for one row, scanned the way the row says. */
export function checksFor(row: CorpusRow): Set<string> {
  if (STRUCTURAL.has(row.category)) {
    const prompt: PromptFile = {
      file: ORIGIN.file,
      name: row.id,
      engine: row.engine ?? 'format',
      variables: row.variables ?? {},
      messages: [{ role: row.role ?? 'user', text: row.text, line: 1, column: 1 }],
      tests: [],
      findings: [],
    };
    return new Set(scanTemplate(prompt).map((f) => f.check!));
  }
  const findings = scanText(row.text, ORIGIN, row.context ?? 'test-data', { engine: row.engine, variables: row.variables });
  return new Set(findings.map((f) => f.check!));
}

function rates(rows: Array<{ row: CorpusRow; checks: Set<string> }>): Omit<CategoryRates, 'category'> {
  const positives = rows.filter((r) => r.row.label === 'positive');
  const negatives = rows.filter((r) => r.row.label === 'negative');
  // A positive counts only if the check it is about fires; a negative is a false alarm if anything fires.
  const missed = positives.filter((r) => !r.checks.has(`injection/${r.row.category}`)).map((r) => r.row.id);
  const falseAlarms = negatives.filter((r) => r.checks.size > 0).map((r) => r.row.id);
  return {
    positives: positives.length,
    detected: positives.length - missed.length,
    recall: (positives.length - missed.length) / positives.length,
    negatives: negatives.length,
    falsePositives: falseAlarms.length,
    falsePositiveRate: falseAlarms.length / negatives.length,
    missed,
    falseAlarms,
  };
}

/** Recall and false-positive rate of the scanner over labelled rows, overall and per category. */
export function evaluateCorpus(rows: CorpusRow[]): CorpusEvaluation {
  const started = performance.now();
  const scanned = rows.map((row) => ({ row, checks: checksFor(row) }));
  const milliseconds = performance.now() - started;
  return {
    rows: rows.length,
    overall: rates(scanned),
    categories: CORPUS_CATEGORIES.map((category) => ({ category, ...rates(scanned.filter((s) => s.row.category === category)) })),
    bytes: rows.reduce((sum, row) => sum + Buffer.byteLength(row.text), 0),
    milliseconds,
  };
}

export const DEFAULT_CORPUS_PATH = fileURLToPath(new URL('../../../../../test/corpus/injection/corpus.jsonl', import.meta.url));

export function evaluateCorpusFile(path = DEFAULT_CORPUS_PATH): CorpusEvaluation {
  return evaluateCorpus(parseCorpus(readFileSync(path, 'utf8'), path));
}

/** A fixed-width table of the figures, for test output, the benchmark and the README. */
export function formatEvaluation(result: CorpusEvaluation): string {
  const pct = (x: number) => (Number.isNaN(x) ? '   -  ' : `${(100 * x).toFixed(1).padStart(5)}%`);
  const lines = ['category                 positives  recall   negatives  FPR'];
  for (const c of [...result.categories, { category: 'all', ...result.overall }]) {
    lines.push(`${c.category.padEnd(24)} ${String(c.positives).padStart(9)}  ${pct(c.recall)}  ${String(c.negatives).padStart(9)}  ${pct(c.falsePositiveRate)}`);
  }
  const misses = result.categories.flatMap((c) => c.missed);
  const alarms = result.categories.flatMap((c) => c.falseAlarms);
  if (misses.length) lines.push(`missed: ${misses.join(', ')}`);
  if (alarms.length) lines.push(`false alarms: ${alarms.join(', ')}`);
  return lines.join('\n');
}
