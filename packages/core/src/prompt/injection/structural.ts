import type { EngineName, MessageTemplate, VariableSpec } from '../types.ts';
import { mapFences } from './fences.ts';
import type { TextHit } from './types.ts';
import { isUntrusted, trustReason } from './trust.ts';
import { variableUses } from './variable-uses.ts';

const PRIVILEGED_ROLES = new Set(['system', 'developer']);
const OPENING_DELIMITER = /^\s*(?:<[A-Za-z_][\w.:-]*(?:\s[^<>]*)?>|```|~~~|"""|'''|-{3,}|\[)/;

/**
 * Where untrusted variables land in a message: in a system (or developer) message they gain the
 * authority of the prompt's author (error); elsewhere they should sit between delimiters so the model
 * can be told where data starts and ends (warning).
 */
export function findUntrustedPlacement(message: MessageTemplate, engine: EngineName, variables: Record<string, VariableSpec>): TextHit[] {
  const hits: TextHit[] = [];
  const uses = variableUses(message.text, engine);
  if (uses.length === 0) return hits;
  const untrusted = new Set(uses.map((u) => u.name).filter((name) => isUntrusted(name, variables)));
  // Loop variables inherit the trust of what they iterate over.
  for (const use of uses) if (untrusted.has(use.name)) for (const alias of use.aliases) untrusted.add(alias);
  if (untrusted.size === 0) return hits;
  const fences = mapFences(message.text);
  const privileged = PRIVILEGED_ROLES.has(message.role);
  const reported = new Set<string>();
  for (const use of uses) {
    if (!untrusted.has(use.name)) continue;
    const declared = !variables[use.name] && isAlias(use.name, uses) ? 'loop variable over untrusted items' : trustReason(use.name, variables);
    const expression = message.text.slice(use.start, use.end);
    if (privileged) {
      if (reported.has(use.name)) continue;
      reported.add(use.name);
      hits.push({
        check: 'injection/untrusted-in-system',
        offset: use.start,
        severity: 'error',
        message: `untrusted variable "${use.name}" (${declared}) in a ${message.role} message, where its text carries the author's authority; move it to a user message inside delimiters, e.g. <${use.name}>${expression}</${use.name}>`,
      });
      continue;
    }
    const fenced = fences.isFenced(use.start, use.end) || (use.kind === 'block' && OPENING_DELIMITER.test(message.text.slice(use.end)));
    if (fenced || (use.kind === 'block' && use.aliases.length > 0)) continue;
    hits.push({
      check: 'injection/unfenced-untrusted',
      offset: use.start,
      severity: 'warning',
      message: `untrusted variable "${use.name}" (${declared}) is not fenced; wrap it in delimiters, e.g. <${use.name}>${expression}</${use.name}>, and tell the model to treat what is inside as data`,
    });
  }
  return hits;
}

function isAlias(name: string, uses: ReturnType<typeof variableUses>): boolean {
  return uses.some((u) => u.aliases.includes(name));
}

/**
 * XML-ish fences around each untrusted variable, so test data can be checked for values that close the
 * fence early (`</user_input>` inside the user input).
 */
export function fenceTagsByVariable(messages: MessageTemplate[], engine: EngineName, variables: Record<string, VariableSpec>): Map<string, Set<string>> {
  const tags = new Map<string, Set<string>>();
  for (const message of messages) {
    const fences = mapFences(message.text);
    for (const use of variableUses(message.text, engine)) {
      if (!isUntrusted(use.name, variables)) continue;
      const tag = fences.enclosingTag(use.start, use.end);
      if (tag) (tags.get(use.name) ?? tags.set(use.name, new Set()).get(use.name)!).add(tag);
    }
  }
  return tags;
}
