import { findOverridePhrases } from './override-phrase.ts';
import type { ScanContext, TextHit } from './types.ts';
import { CONFUSABLE_TO_LATIN, hex, isBidiControl, isTagCharacter, isVariationSelector, isZeroWidth } from './unicode-tables.ts';

const NAMES: Record<number, string> = {
  0x200b: 'zero-width space', 0x200c: 'zero-width non-joiner', 0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark', 0x2060: 'word joiner', 0x2061: 'function application',
  0x2062: 'invisible times', 0x2063: 'invisible separator', 0x2064: 'invisible plus', 0xfeff: 'zero-width no-break space (BOM)',
  0x180e: 'Mongolian vowel separator', 0x202a: 'left-to-right embedding', 0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting', 0x202d: 'left-to-right override', 0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate', 0x2067: 'right-to-left isolate', 0x2068: 'first strong isolate', 0x2069: 'pop directional isolate',
};

const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;
const EMOJI_AFTER = /\p{Extended_Pictographic}/u;
// Scripts whose spelling needs ZWJ/ZWNJ (Persian, Arabic, Indic, Sinhala, Khmer, Myanmar, Mongolian).
const JOINING_SCRIPT = /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Mongolian}\p{Script=Tibetan}]/u;
const RTL_SCRIPT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const WORD = /[\p{L}\p{M}]+/gu;
const LATIN = /\p{Script=Latin}/u;
const NEXT_NON_ASCII = /[^\x00-\x7f]/g;
// Lower-case letters drawn identically to a Latin letter; whole words of them read as Latin.
const IDENTICAL_GLYPHS = new Set([...'асеорхуіјѕԁһԛԝӏο']);

function codePointBefore(text: string, offset: number): string {
  if (offset <= 0) return '';
  const low = text.charCodeAt(offset - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && offset >= 2 ? offset - 2 : offset - 1;
  return String.fromCodePoint(text.codePointAt(start)!);
}

function codePointAt(text: string, offset: number): string {
  return offset < text.length ? String.fromCodePoint(text.codePointAt(offset)!) : '';
}

function lineAround(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? undefined : end);
}

/** A ZWJ inside an emoji sequence, ZWJ/ZWNJ inside a word of a script that needs them, or a mark in RTL text. */
function isLegitimateZeroWidth(text: string, offset: number, codePoint: number): boolean {
  const before = codePointBefore(text, offset);
  const after = codePointAt(text, offset + 1);
  if (codePoint === 0x200d && EMOJI.test(before) && EMOJI_AFTER.test(after)) return true;
  if ((codePoint === 0x200c || codePoint === 0x200d) && (JOINING_SCRIPT.test(before) || JOINING_SCRIPT.test(after))) return true;
  if ((codePoint === 0x200e || codePoint === 0x200f) && RTL_SCRIPT.test(lineAround(text, offset))) return true;
  return false;
}

/**
 * Bidi embeddings and isolates are legitimate in a line that has right-to-left text and closes every
 * one it opens; overrides (U+202D/U+202E) reorder what a reviewer sees (Trojan Source) and never are.
 */
function legitimateBidiLines(text: string): Set<number> {
  const legitimate = new Set<number>();
  let lineStart = 0;
  for (const line of text.split('\n')) {
    if (RTL_SCRIPT.test(line) && !/[\u202D\u202E]/.test(line)) {
      let embeddings = 0;
      let isolates = 0;
      let balanced = true;
      for (const ch of line) {
        if (ch === '\u202A' || ch === '\u202B') embeddings++;
        else if (ch === '\u202C') balanced &&= --embeddings >= 0;
        else if (ch >= '\u2066' && ch <= '\u2068') isolates++;
        else if (ch === '\u2069') balanced &&= --isolates >= 0;
      }
      if (balanced && embeddings === 0 && isolates === 0) legitimate.add(lineStart);
    }
    lineStart += line.length + 1;
  }
  return legitimate;
}

function decodeTags(text: string, start: number): { end: number; decoded: string } {
  let decoded = '';
  let i = start;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (!isTagCharacter(cp)) break;
    if (cp >= 0xe0020 && cp <= 0xe007e) decoded += String.fromCharCode(cp - 0xe0000);
    i += 2;
  }
  return { end: i, decoded };
}

/** Invisible characters that can hide instructions from a reviewer, and Latin words spelled with look-alike letters. */
export function findInvisibleUnicode(text: string, context: ScanContext): TextHit[] {
  const hits: TextHit[] = [];
  // Fast path: pure ASCII text has neither.
  if (!/[^\x00-\x7f]/.test(text)) return hits;
  const severity = context === 'template' ? 'error' : 'warning';
  let bidiLines: Set<number> | undefined;
  let confusables = false;
  NEXT_NON_ASCII.lastIndex = 0;
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) < 0x80) {
      // Jump straight to the next non-ASCII character.
      NEXT_NON_ASCII.lastIndex = i;
      if (!NEXT_NON_ASCII.exec(text)) break;
      i = NEXT_NON_ASCII.lastIndex - 1;
    }
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (width === 1 && CONFUSABLE_TO_LATIN.has(text[i])) confusables = true;
    if (isTagCharacter(cp)) {
      const { end, decoded } = decodeTags(text, i);
      // Subdivision flags (England, Scotland, Wales) are a black flag followed by lower-case tags.
      const flag = codePointBefore(text, i) === '\u{1F3F4}' && /^[a-z0-9]{2,7}$/.test(decoded) && text.codePointAt(end - 2) === 0xe007f;
      if (!flag) {
        const hidden = decoded.length > 80 ? `${decoded.slice(0, 77)}...` : decoded;
        const alsoOverride = findOverridePhrases(decoded, 'template').length > 0 ? ' (an instruction-override phrase)' : '';
        hits.push({ check: 'injection/invisible-unicode', offset: i, severity: 'error', message: `${(end - i) / 2} invisible Unicode tag characters (U+E0000-U+E007F) hiding the text "${hidden}"${alsoOverride}; remove them` });
      }
      i = end;
      continue;
    }
    if (isVariationSelector(cp)) {
      // One selector after a base character picks a glyph; a run of them smuggles bytes.
      let end = i + width;
      while (end < text.length && isVariationSelector(text.codePointAt(end)!)) end += text.codePointAt(end)! > 0xffff ? 2 : 1;
      const count = [...text.slice(i, end)].length;
      const before = codePointBefore(text, i);
      if (count >= 2 || before === '' || /\s/.test(before)) {
        hits.push({ check: 'injection/invisible-unicode', offset: i, severity, message: `${count} variation selector${count > 1 ? 's' : ''} in a row (${hex(cp)}${count > 1 ? '...' : ''}), which can encode hidden data; remove them` });
      }
      i = end;
      continue;
    }
    if (isZeroWidth(cp) && !(cp === 0xfeff && i === 0) && !isLegitimateZeroWidth(text, i, cp)) {
      hits.push({ check: 'injection/invisible-unicode', offset: i, severity, message: `${NAMES[cp]} ${hex(cp)}; remove it (invisible characters hide text from reviewers and split words past filters)` });
    } else if (isBidiControl(cp)) {
      bidiLines ??= legitimateBidiLines(text);
      const lineStart = text.lastIndexOf('\n', i - 1) + 1;
      if (!bidiLines.has(lineStart)) {
        hits.push({ check: 'injection/invisible-unicode', offset: i, severity: 'error', message: `bidirectional control ${NAMES[cp]} ${hex(cp)}; remove it (it reorders how the text displays, so reviewers read something else than the model)` });
      }
    }
    i += width;
  }
  if (confusables) hits.push(...findConfusableWords(text, severity));
  return hits.sort((a, b) => a.offset - b.offset);
}

function findConfusableWords(text: string, severity: TextHit['severity']): TextHit[] {
  const hits: TextHit[] = [];
  WORD.lastIndex = 0;
  const words = [...text.matchAll(WORD)];
  const foreignWords = words.filter((w) => !LATIN.test(w[0])).length;
  for (const word of words) {
    const letters = [...word[0]];
    const hasLatin = letters.some((ch) => LATIN.test(ch));
    const lookAlikes = letters.filter((ch) => CONFUSABLE_TO_LATIN.has(ch));
    if (lookAlikes.length === 0) continue;
    // A whole word of look-alikes alone among Latin words ("раураl" in English text) also spoofs.
    const wholeWordSpoof = !hasLatin && letters.every((ch) => IDENTICAL_GLYPHS.has(ch)) && letters.length >= 3 && foreignWords === 1 && words.length > 1;
    if (!hasLatin && !wholeWordSpoof) continue;
    const first = lookAlikes[0];
    const latinSpelling = letters.map((ch) => CONFUSABLE_TO_LATIN.get(ch) ?? ch).join('');
    hits.push({
      check: 'injection/invisible-unicode',
      offset: word.index!,
      severity,
      message: `"${word[0]}" mixes scripts: ${lookAlikes.length} look-alike letter${lookAlikes.length > 1 ? 's' : ''} (first "${first}" ${hex(first.codePointAt(0)!)}) spell "${latinSpelling}"; retype it in Latin letters`,
    });
  }
  return hits;
}
