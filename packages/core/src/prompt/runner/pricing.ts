// Cost of a call from its token usage. The table holds list prices in USD per 1M tokens for common models
// (OpenAI's published prices when this table was written); anything else, or any negotiated price, is set
// with the action's `price-per-1k-input` / `price-per-1k-output` inputs, which win over the table.

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface Price {
  /** USD per 1M input (prompt) tokens. */
  inputPerMillion: number;
  /** USD per 1M output (completion) tokens. */
  outputPerMillion: number;
}

/** Longest matching prefix wins, so `gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`, not `gpt-4o`. */
export const PRICE_TABLE: Readonly<Record<string, Price>> = {
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gpt-4-turbo': { inputPerMillion: 10, outputPerMillion: 30 },
  'gpt-3.5-turbo': { inputPerMillion: 0.5, outputPerMillion: 1.5 },
  'o1': { inputPerMillion: 15, outputPerMillion: 60 },
  'o3': { inputPerMillion: 2, outputPerMillion: 8 },
  'o3-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
};

/** Per-1k overrides from inputs; each side may be given alone. */
export interface PriceOverride {
  inputPer1k?: number;
  outputPer1k?: number;
}

export function priceFor(model: string, override: PriceOverride = {}): Price | undefined {
  const known = Object.keys(PRICE_TABLE)
    .filter((prefix) => model === prefix || model.startsWith(`${prefix}-`))
    .sort((a, b) => b.length - a.length)[0];
  const base = known ? PRICE_TABLE[known] : undefined;
  const inputPerMillion = override.inputPer1k !== undefined ? override.inputPer1k * 1000 : base?.inputPerMillion;
  const outputPerMillion = override.outputPer1k !== undefined ? override.outputPer1k * 1000 : base?.outputPerMillion;
  if (inputPerMillion === undefined || outputPerMillion === undefined) return undefined;
  return { inputPerMillion, outputPerMillion };
}

/** USD cost of one call, or undefined when the model has no known price (max-cost then cannot be judged). */
export function costOf(usage: TokenUsage, price: Price | undefined): number | undefined {
  if (!price) return undefined;
  return (usage.promptTokens * price.inputPerMillion + usage.completionTokens * price.outputPerMillion) / 1_000_000;
}
