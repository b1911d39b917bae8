// Regenerates corpus.jsonl: `node test/corpus/injection/generate.ts`. Deterministic; rows keep their ids
// as long as their order does not change.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { overrideRows } from './rows-override.ts';
import { exfiltrationRows, overreachRows, secretRows } from './rows-data.ts';
import { structuralRows } from './rows-structural.ts';
import { heldOutRows } from './rows-heldout.ts';
import { heldOutRowsSecond } from './rows-heldout-2.ts';
import { secondBatchRows } from './rows-second-batch.ts';
import { invisibleUnicodeRows, roleTokenRows } from './rows-tokens.ts';

/** The corpus as JSONL lines, ids assigned per category and label in order. */
export function corpusLines(): string[] {
  const rows = [...overrideRows(), ...roleTokenRows(), ...invisibleUnicodeRows(), ...exfiltrationRows(), ...secretRows(), ...overreachRows(), ...structuralRows(), ...secondBatchRows(), ...heldOutRows(), ...heldOutRowsSecond()];
  const counters = new Map<string, number>();
  return rows.map((row) => {
    const key = `${row.split === 'held-out' ? 'h-' : ''}${row.category}-${row.label === 'positive' ? 'p' : 'n'}`;
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    // Synthetic credentials are stored encoded so secret scanners do not flag the repository.
    const stored = row.category === 'secret' && row.label === 'positive' ? { ...row, text: Buffer.from(row.text, 'utf8').toString('base64'), encoding: 'base64' } : row;
    return JSON.stringify({ id: `${key}${String(n).padStart(3, '0')}`, ...stored });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = corpusLines();
  const target = fileURLToPath(new URL('./corpus.jsonl', import.meta.url));
  writeFileSync(target, `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} rows to ${target}`);
}
