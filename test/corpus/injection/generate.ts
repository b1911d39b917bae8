// Regenerates corpus.jsonl: `node test/corpus/injection/generate.ts`. Deterministic; rows keep their ids
// as long as their order does not change.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { overrideRows } from './rows-override.ts';
import { exfiltrationRows, overreachRows, secretRows } from './rows-data.ts';
import { structuralRows } from './rows-structural.ts';
import { invisibleUnicodeRows, roleTokenRows } from './rows-tokens.ts';

const rows = [...overrideRows(), ...roleTokenRows(), ...invisibleUnicodeRows(), ...exfiltrationRows(), ...secretRows(), ...overreachRows(), ...structuralRows()];
const counters = new Map<string, number>();
const lines = rows.map((row) => {
  const key = `${row.category}-${row.label === 'positive' ? 'p' : 'n'}`;
  const n = (counters.get(key) ?? 0) + 1;
  counters.set(key, n);
  return JSON.stringify({ id: `${key}${String(n).padStart(3, '0')}`, ...row });
});
const target = fileURLToPath(new URL('./corpus.jsonl', import.meta.url));
writeFileSync(target, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} rows to ${target}`);
