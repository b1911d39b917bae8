import { CONFUSABLE_TO_LATIN, isInvisible } from './unicode-tables.ts';

/** Text folded for phrase matching, with the original UTF-16 offset of every folded character. */
export interface FoldedText {
  text: string;
  /** Offset in the original text of folded character `i`. */
  sourceOffset(i: number): number;
}

// Leetspeak-lite: digits and symbols that stand in for letters in obfuscated phrases.
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's' };

// Byte table for ASCII: upper case to lower case, leetspeak to letters, everything else unchanged.
const ASCII_FOLD = new Uint8Array(128);
for (let b = 0; b < 128; b++) ASCII_FOLD[b] = b >= 0x41 && b <= 0x5a ? b + 32 : b;
for (const [ch, letter] of Object.entries(LEET)) ASCII_FOLD[ch.charCodeAt(0)] = letter.charCodeAt(0);

/** Folds an all-ASCII string (one byte per character, so latin1 round-trips it exactly). */
function foldAscii(run: string): string {
  const bytes = Buffer.from(run, 'latin1');
  for (let i = 0; i < bytes.length; i++) bytes[i] = ASCII_FOLD[bytes[i]];
  return bytes.toString('latin1');
}

const foldedCodePoints = new Map<number, string>();

function foldCodePoint(codePoint: number): string {
  let folded = foldedCodePoints.get(codePoint);
  if (folded === undefined) {
    const ch = String.fromCodePoint(codePoint);
    folded = isInvisible(codePoint) ? '' : (CONFUSABLE_TO_LATIN.get(ch) ?? ch.normalize('NFKD').replace(COMBINING_MARK, '').toLowerCase());
    if (foldedCodePoints.size < 4096) foldedCodePoints.set(codePoint, folded);
  }
  return folded;
}

const COMBINING_MARK = /\p{M}/gu;

/**
 * Folds text so obfuscated spellings compare equal to plain ones: invisible characters removed,
 * compatibility forms (fullwidth, mathematical letters) and confusable Cyrillic/Greek letters mapped to
 * Latin, accents stripped, lower case, leetspeak digits read as letters.
 */
export function foldForMatching(text: string): FoldedText {
  let nonAscii = -1;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      nonAscii = i;
      break;
    }
  }
  // ASCII folds character for character, so offsets are unchanged.
  if (nonAscii === -1) return { text: foldAscii(text), sourceOffset: (i) => i };
  // Otherwise ASCII runs are copied whole and each other code point maps its folded characters to
  // itself; segments (folded start, source start, identity?) map offsets back by binary search.
  const foldedStarts: number[] = [];
  const sourceStarts: number[] = [];
  const identity: boolean[] = [];
  let out = '';
  let runStart = 0;
  for (let i = nonAscii; i < text.length; i++) {
    if (text.charCodeAt(i) <= 0x7f) continue;
    if (i > runStart) {
      foldedStarts.push(out.length);
      sourceStarts.push(runStart);
      identity.push(true);
      out += foldAscii(text.slice(runStart, i));
    }
    const codePoint = text.codePointAt(i)!;
    const folded = foldCodePoint(codePoint);
    if (folded.length > 0) {
      foldedStarts.push(out.length);
      sourceStarts.push(i);
      identity.push(false);
      out += folded;
    }
    if (codePoint > 0xffff) i++;
    runStart = i + 1;
  }
  if (runStart < text.length) {
    foldedStarts.push(out.length);
    sourceStarts.push(runStart);
    identity.push(true);
    out += foldAscii(text.slice(runStart));
  }
  const sourceOffset = (index: number): number => {
    let low = 0;
    let high = foldedStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (foldedStarts[mid] <= index) low = mid;
      else high = mid - 1;
    }
    return identity[low] ? sourceStarts[low] + (index - foldedStarts[low]) : sourceStarts[low];
  };
  return { text: out, sourceOffset };
}
