import type { EngineName } from '../types.ts';
import { findPlaceholders, referencedRoots } from './placeholders.ts';

/** One place a message reads a variable. */
export interface VariableUse {
  name: string;
  /** Offsets of the whole expression (`{{ name }}`, `{% for d in docs %}`) in the message text. */
  start: number;
  end: number;
  /** `output` writes the value into the prompt; `block` opens a loop or section over it. */
  kind: 'output' | 'block';
  /** For loops: the names the block binds to the variable's items (`d` in `for d in docs`). */
  aliases: string[];
}

/** Variables read by a message, in order of appearance. The single seam for variable extraction. */
export function variableUses(text: string, engine: EngineName): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const placeholder of findPlaceholders(text, engine)) {
    const inner = placeholder.inner.trim();
    const block = placeholder.kind === 'tag' || /^[#^]/.test(inner);
    const loop = /^-?\s*for\s+([\w\s,]+?)\s+in\s/.exec(inner);
    const aliases = loop ? loop[1].split(',').map((s) => s.trim()) : [];
    for (const name of referencedRoots(placeholder, engine)) {
      uses.push({ name, start: placeholder.start, end: placeholder.end, kind: block ? 'block' : 'output', aliases });
    }
  }
  return uses;
}
