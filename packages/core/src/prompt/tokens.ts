// Token counts: exact with OpenAI's own encodings for OpenAI models, a documented estimate otherwise.
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface TokenCount {
  tokens: number;
  /** True when `encoding` is the tokenizer the model itself uses. */
  exact: boolean;
  encoding: EncodingName;
}

const O200K_MODELS = /^(?:openai\/)?(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4)(?:$|[-.:])/i;
const CL100K_MODELS = /^(?:openai\/)?(?:gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)(?:$|[-.:])/i;

/** The encoding an OpenAI model uses, or undefined for other models. */
export function openAIEncodingFor(model: string | undefined): EncodingName | undefined {
  if (!model) return undefined;
  const name = model.trim();
  if (O200K_MODELS.test(name)) return 'o200k_base';
  if (CL100K_MODELS.test(name)) return 'cl100k_base';
  return undefined;
}

/**
 * Counts tokens. For OpenAI models the count is exact. For any other model (or none) it is an estimate:
 * o200k_base, a modern 200k-vocabulary BPE; other vendors' tokenizers typically differ from it by 10-20%.
 */
export function countTokens(text: string, model?: string): TokenCount {
  const encoding = openAIEncodingFor(model);
  if (encoding === 'cl100k_base') return { tokens: countCl100k(text, AS_PLAIN_TEXT), exact: true, encoding };
  return { tokens: countO200k(text, AS_PLAIN_TEXT), exact: encoding !== undefined, encoding: 'o200k_base' };
}

/**
 * Prompt text (and test data probing injections) may contain `<|endoftext|>` and the like. The API encodes such
 * text as ordinary characters, and the tokenizer's default would throw instead, so special tokens are allowed
 * to count as the plain text they are.
 */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** OpenAI's chat framing: every message costs 3 tokens beyond its content, and the reply is primed with 3. */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_REPLY_PRIMING = 3;

export function describeCount(count: TokenCount, model: string | undefined): string {
  return count.exact
    ? `exact, ${count.encoding} tokenizer of ${model}`
    : `estimate with the ${count.encoding} tokenizer${model ? `; ${model} uses its own tokenizer, typically within 10-20%` : '; no model set'}`;
}
