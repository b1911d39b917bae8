// `length`: rendered token counts against `max_tokens`, and the prompt-cache trap of a variable placed
// before a long static prefix.
import type { Finding, PromptFile, RenderedMessage } from '../types.ts';
import { finding } from '../findings.ts';
import { type FilePosition, positionAt } from '../source-map.ts';
import { parseTemplateText } from '../engines/index.ts';
import { type EncodingName, TOKENS_PER_MESSAGE, TOKENS_REPLY_PRIMING, countTokens, describeCount } from '../tokens.ts';

/** Providers cache a prompt prefix only from 1,024 identical tokens on (OpenAI; Anthropic's minimum is similar). */
export const PROMPT_CACHE_MIN_TOKENS = 1024;

export interface TokenSummary {
  /** Content plus chat framing. */
  tokens: number;
  contentTokens: number;
  exact: boolean;
  encoding: EncodingName;
}

export function countMessageTokens(messages: readonly RenderedMessage[], model: string | undefined): TokenSummary {
  let contentTokens = 0;
  let exact = true;
  let encoding: EncodingName = 'o200k_base';
  for (const message of messages) {
    const count = countTokens(message.content, model);
    contentTokens += count.tokens;
    exact &&= count.exact;
    encoding = count.encoding;
  }
  if (messages.length === 0) exact = countTokens('', model).exact;
  const framing = messages.length * TOKENS_PER_MESSAGE + TOKENS_REPLY_PRIMING;
  return { tokens: contentTokens + framing, contentTokens, exact, encoding };
}

export function budgetFinding(prompt: PromptFile, label: string, position: FilePosition, file: string, summary: TokenSummary): Finding | undefined {
  if (prompt.max_tokens === undefined || summary.tokens <= prompt.max_tokens) return undefined;
  const how = describeCount({ tokens: summary.tokens, exact: summary.exact, encoding: summary.encoding }, prompt.model);
  return finding(file, position, 'length', 'error', 'length/over-budget',
    `${label[0].toUpperCase()}${label.slice(1)} renders to ${summary.tokens.toLocaleString('en-US')} tokens (${summary.contentTokens.toLocaleString('en-US')} content + ${summary.tokens - summary.contentTokens} chat framing; ${how}), over the max_tokens budget of ${prompt.max_tokens.toLocaleString('en-US')}`);
}

/** With no values to render, the static text alone is a lower bound of every render. */
export function staticBudgetFinding(prompt: PromptFile): Finding | undefined {
  if (prompt.max_tokens === undefined) return undefined;
  const staticText = prompt.messages.map((message) => parseTemplateText(prompt.engine, message).literals.map((literal) => literal.text).join(''));
  const summary = countMessageTokens(staticText.map((content) => ({ role: 'user', content })), prompt.model);
  if (summary.tokens <= prompt.max_tokens) return undefined;
  const at = prompt.keyPositions?.max_tokens ?? { line: 1, column: 1 };
  return finding(prompt.file, at, 'length', 'error', 'length/over-budget',
    `The static text alone is ${summary.tokens.toLocaleString('en-US')} tokens (${describeCount({ tokens: summary.tokens, exact: summary.exact, encoding: summary.encoding }, prompt.model)}), over the max_tokens budget of ${prompt.max_tokens.toLocaleString('en-US')}, before any variable is filled in`);
}

/** A variable early in the first message makes everything after it uncacheable, however static it is. */
export function promptCacheFinding(prompt: PromptFile): Finding | undefined {
  const message = prompt.messages[0];
  if (!message) return undefined;
  const parsed = parseTemplateText(prompt.engine, message);
  const indexes = [...parsed.variables.map((use) => use.index), ...parsed.scoped.map((use) => use.index)];
  if (indexes.length === 0) return undefined;
  const first = Math.min(...indexes);
  const staticAfter = parsed.literals.filter((literal) => literal.index > first).map((literal) => literal.text).join('');
  if (staticAfter.length < PROMPT_CACHE_MIN_TOKENS) return undefined;
  const count = countTokens(staticAfter, prompt.model);
  if (count.tokens < PROMPT_CACHE_MIN_TOKENS) return undefined;
  const variable = parsed.variables.find((use) => use.index === first)?.name ?? parsed.scoped.find((use) => use.index === first)?.name ?? '';
  return finding(prompt.file, positionAt(message, first), 'length', 'warning', 'length/prompt-cache',
    `Variable '${variable}' comes before ${count.tokens.toLocaleString('en-US')} tokens of static text in the first (${message.role}) message: providers cache only an identical prompt prefix (from ${PROMPT_CACHE_MIN_TOKENS} tokens), so this text is re-processed and billed in full on every call; move the variable after the static text`);
}
