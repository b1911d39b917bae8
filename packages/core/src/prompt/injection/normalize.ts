import { CONFUSABLE_TO_LATIN, isInvisible } from './unicode-tables.ts';

/** Text folded for phrase matching, with the original UTF-16 offset of every folded character. */
export interface FoldedText {
  text: string;
  /** `sourceOffset[i]` is the offset in the original text of folded character `i`; one extra entry marks the end. */
  sourceOffset: number[];
}

// Leetspeak-lite: digits and symbols that stand in for letters in obfuscated phrases.
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's' };

const COMBINING_MARK = /\p{M}/gu;

/**
 * Folds text so obfuscated spellings compare equal to plain ones: invisible characters removed,
 * compatibility forms (fullwidth, mathematical letters) and confusable Cyrillic/Greek letters mapped to
 * Latin, accents stripped, lower case, leetspeak digits read as letters.
 */
export function foldForMatching(text: string): FoldedText {
  const out: string[] = [];
  const sourceOffset: number[] = [];
  for (let i = 0; i < text.length; ) {
    const codePoint = text.codePointAt(i)!;
    const width = codePoint > 0xffff ? 2 : 1;
    let folded: string;
    if (codePoint < 0x80) {
      const ch = text[i];
      folded = LEET[ch] ?? (codePoint >= 0x41 && codePoint <= 0x5a ? String.fromCharCode(codePoint + 32) : ch);
    } else if (isInvisible(codePoint)) {
      folded = '';
    } else {
      const ch = String.fromCodePoint(codePoint);
      folded =
        CONFUSABLE_TO_LATIN.get(ch) ?? ch.normalize('NFKD').replace(COMBINING_MARK, '').toLowerCase();
    }
    for (let k = 0; k < folded.length; k++) {
      out.push(folded[k]);
      sourceOffset.push(i);
    }
    i += width;
  }
  sourceOffset.push(text.length);
  return { text: out.join(''), sourceOffset };
}
