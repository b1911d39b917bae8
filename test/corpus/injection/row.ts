import type { EngineName, Role, VariableSpec } from '../../../packages/core/src/prompt/types.ts';
import type { CorpusRow } from '../../../packages/core/src/prompt/injection/evaluate.ts';

export type Row = Omit<CorpusRow, 'id'>;

export const WRITTEN = 'written for this project';
export const PARAPHRASE = 'written for this project; paraphrase of a publicly documented prompt-injection pattern (no verbatim copy)';
export const SYNTHETIC_KEY = 'generated for this project: synthetic credential from a seeded generator in the vendor\'s published format (not a real key)';
const LICENCE = 'CC0-1.0';

interface Extra {
  context?: 'template' | 'test-data';
  engine?: EngineName;
  role?: Role;
  variables?: Record<string, VariableSpec>;
}

type Engine = 'format' | 'jinja2' | 'mustache' | 'handlebars';

/** Row contexts: template text of an engine, test data, or a system / user message of a chat template. */
export const T = (engine: Engine, variables = {}) => ({ context: 'template' as const, engine, variables });
export const D = { context: 'test-data' as const };
export const sys = (engine: Engine, variables = {}) => ({ role: 'system' as const, engine, variables });
export const user = (engine: Engine, variables = {}) => ({ role: 'user' as const, engine, variables });
export const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function pos(category: CorpusRow['category'], text: string, provenance: string, extra: Extra = {}): Row {
  return { text, label: 'positive', category, ...extra, provenance, licence: LICENCE };
}

export function neg(category: CorpusRow['category'], text: string, provenance: string, extra: Extra = {}): Row {
  return { text, label: 'negative', category, ...extra, provenance, licence: LICENCE };
}

/** Deterministic pseudo-random strings, so the corpus regenerates byte for byte. */
export function seededRandom(seed: number): (alphabet: string, length: number) => string {
  let state = seed >>> 0;
  return (alphabet, length) => {
    let out = '';
    for (let i = 0; i < length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      out += alphabet[(state >>> 16) % alphabet.length];
    }
    return out;
  };
}
