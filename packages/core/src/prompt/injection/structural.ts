import type { EngineName, MessageTemplate, VariableSpec } from '../types.ts';
import { mapFences } from './fences.ts';
import type { TextHit } from './types.ts';
import { isUntrusted, trustReason } from './trust.ts';
import { variableUses } from './variable-uses.ts';

const PRIVILEGED_ROLES = new Set(['system', 'developer']);

/**
 * Where untrusted variables land in a message: in a system (or developer) message they gain the
 * authority of the prompt's author (error); elsewhere they should sit between delimiters so the model
 * can be told where data starts and ends (warning).
 */
export function findUntrustedPlacement(message: MessageTemplate, engine: EngineName, variables: Record<string, VariableSpec>): TextHit[] {
  const hits: TextHit[] = [];
  const uses = variableUses(message, engine).filter((use) => isUntrusted(use.name, variables));
  if (uses.length === 0) return hits;
  const fences = mapFences(message.text);
  const privileged = PRIVILEGED_ROLES.has(message.role);
  const reported = new Set<string>();
  for (const use of uses) {
    const subject = use.item ? `items of untrusted variable "${use.name}"` : `untrusted variable "${use.name}"`;
    const why = trustReason(use.name, variables);
    const expression = message.text.slice(use.start, use.end);
    if (privileged) {
      // A condition (`{% if question %}`) does not put the value into the prompt.
      if (use.kind !== 'output' || reported.has(use.name)) continue;
      reported.add(use.name);
      hits.push({
        check: 'injection/untrusted-in-system',
        offset: use.start,
        severity: 'error',
        message: `${subject} (${why}) in a ${message.role} message, where its text carries the author's authority; move it to a user message inside delimiters, e.g. <${use.name}>${expression}</${use.name}>`,
      });
      continue;
    }
    if (use.kind !== 'output' || fences.isFenced(use.start, use.end)) continue;
    hits.push({
      check: 'injection/unfenced-untrusted',
      offset: use.start,
      severity: 'warning',
      message: `${subject} (${why}) is not fenced; wrap it in delimiters, e.g. <${use.name}>${expression}</${use.name}>, and tell the model to treat what is inside as data`,
    });
  }
  return hits;
}

/**
 * XML-ish fences around each untrusted variable, so test data can be checked for values that close the
 * fence early (`</user_input>` inside the user input).
 */
export function fenceTagsByVariable(messages: MessageTemplate[], engine: EngineName, variables: Record<string, VariableSpec>): Map<string, Set<string>> {
  const tags = new Map<string, Set<string>>();
  for (const message of messages) {
    const fences = mapFences(message.text);
    for (const use of variableUses(message, engine)) {
      if (use.kind !== 'output' || !isUntrusted(use.name, variables)) continue;
      const tag = fences.enclosingTag(use.start, use.end);
      if (tag) (tags.get(use.name) ?? tags.set(use.name, new Set()).get(use.name)!).add(tag);
    }
  }
  return tags;
}
