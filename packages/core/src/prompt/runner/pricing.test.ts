import { describe, expect, it } from '@jest/globals';
import { costOf, priceFor } from './pricing.ts';

describe('pricing', () => {
  it('matches the longest model prefix', () => {
    expect(priceFor('gpt-4o-mini-2024-07-18')).toEqual({ inputPerMillion: 0.15, outputPerMillion: 0.6 });
    expect(priceFor('gpt-4o-2024-08-06')).toEqual({ inputPerMillion: 2.5, outputPerMillion: 10 });
    expect(priceFor('gpt-4omega')).toBeUndefined();
    expect(priceFor('llama3')).toBeUndefined();
  });

  it('per-1k overrides win and may price unknown models', () => {
    expect(priceFor('llama3', { inputPer1k: 0.001, outputPer1k: 0.002 })).toEqual({ inputPerMillion: 1, outputPerMillion: 2 });
    expect(priceFor('gpt-4o', { outputPer1k: 0.02 })).toEqual({ inputPerMillion: 2.5, outputPerMillion: 20 });
    expect(priceFor('llama3', { inputPer1k: 0.001 })).toBeUndefined();
  });

  it('costs usage in USD', () => {
    expect(costOf({ promptTokens: 1_000_000, completionTokens: 500_000 }, priceFor('gpt-4o'))).toBeCloseTo(7.5, 10);
    expect(costOf({ promptTokens: 10, completionTokens: 10 }, undefined)).toBeUndefined();
  });
});
