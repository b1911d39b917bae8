import type { VariableSpec } from '../types.ts';

// Names that, by convention, carry what a user typed or a retrieval step fetched.
const UNTRUSTED_NAMES = /^(?:input|query|question|document|documents|doc|docs|context|message|messages|user|comment|comments|email|transcript|search_results|retrieved|chat_history|history)$|^user_|_(?:input|query|question|document|documents|message|messages|comment|email)$/i;

/**
 * Whether a variable holds untrusted data: declared `trusted: false`, or named like user data
 * (`input`, `query`, `question`, `document(s)`, `context`, `message(s)`, `user_*`, `*_input`, ...)
 * and not declared `trusted: true`.
 */
export function isUntrusted(name: string, variables: Record<string, VariableSpec>): boolean {
  const declared = variables[name]?.trusted;
  if (declared !== undefined) return !declared;
  return UNTRUSTED_NAMES.test(name);
}

export function trustReason(name: string, variables: Record<string, VariableSpec>): string {
  return variables[name]?.trusted === false ? 'declared trusted: false' : 'named like user data; declare trusted: true if it is not';
}
