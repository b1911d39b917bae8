import { describe, expect, it } from '@jest/globals';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens, openAIEncodingFor } from './tokens.ts';

// Text on which the two encodings disagree, so routing mistakes show.
const TEXT = 'Zusammenfassung: 인공지능 모델의 배포 파이프라인 — réponse détaillée, 12345 tokens';

describe('countTokens', () => {
  it('counts special-token text such as <|endoftext|> as plain text instead of throwing', () => {
    for (const model of [undefined, 'gpt-4o', 'gpt-4']) {
      const withSpecial = countTokens('hi <|endoftext|> there <|im_start|>system', model);
      expect(withSpecial.tokens).toBeGreaterThan(countTokens('hi  there system', model).tokens);
    }
  });

  it('chooses the encoding each OpenAI model uses', () => {
    expect(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1-nano', 'o1', 'o3-mini', 'o4-mini', 'gpt-5', 'chatgpt-4o-latest', 'openai/gpt-4o'].map(openAIEncodingFor)).toEqual(Array(9).fill('o200k_base'));
    expect(['gpt-4', 'gpt-4-turbo', 'gpt-4-0613', 'gpt-3.5-turbo', 'text-embedding-3-small'].map(openAIEncodingFor)).toEqual(Array(5).fill('cl100k_base'));
    expect(['claude-sonnet-4', 'llama-3.1-8b', 'mistral-large', 'gpt4all', undefined].map(openAIEncodingFor)).toEqual(Array(5).fill(undefined));
  });

  it('counts exactly with the model encoding', () => {
    expect(encodeO200k(TEXT).length).not.toBe(encodeCl100k(TEXT).length);
    expect(countTokens(TEXT, 'gpt-4o')).toEqual({ tokens: encodeO200k(TEXT).length, exact: true, encoding: 'o200k_base' });
    expect(countTokens(TEXT, 'gpt-3.5-turbo')).toEqual({ tokens: encodeCl100k(TEXT).length, exact: true, encoding: 'cl100k_base' });
    expect(countTokens('hello world', 'gpt-4')).toEqual({ tokens: 2, exact: true, encoding: 'cl100k_base' });
  });

  it('marks other models as an o200k_base estimate', () => {
    expect(countTokens(TEXT, 'claude-3-5-sonnet')).toEqual({ tokens: encodeO200k(TEXT).length, exact: false, encoding: 'o200k_base' });
    expect(countTokens('', undefined)).toEqual({ tokens: 0, exact: false, encoding: 'o200k_base' });
  });
});
