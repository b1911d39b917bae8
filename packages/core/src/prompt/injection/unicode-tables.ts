// Character classes shared by the Unicode check and the phrase normaliser.

/** Cyrillic, Greek and Armenian letters that render like a Latin letter, mapped to that letter. */
export const CONFUSABLE_TO_LATIN: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // Cyrillic lower case
    'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
    'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ԁ': 'd', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l',
    'ү': 'y', 'ɡ': 'g', 'ԍ': 'g', 'ѵ': 'v',
    // Cyrillic upper case
    'А': 'a', 'В': 'b', 'Е': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p', 'С': 'c', 'Т': 't', 'Х': 'x',
    'У': 'y', 'Ѕ': 's', 'І': 'i', 'Ј': 'j', 'Ԛ': 'q', 'Ԝ': 'w', 'Ү': 'y', 'Ӏ': 'l',
    // Greek
    'α': 'a', 'ο': 'o', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ε': 'e', 'γ': 'y',
    'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'Κ': 'k', 'Μ': 'm', 'Ν': 'n', 'Ο': 'o', 'Ρ': 'p',
    'Τ': 't', 'Υ': 'y', 'Χ': 'x',
    // Armenian
    'օ': 'o', 'ս': 'u', 'ց': 'g', 'հ': 'h', 'ո': 'n',
  }),
);

const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x180e]);

/** Zero-width characters and joiners/marks that render as nothing. */
export function isZeroWidth(codePoint: number): boolean {
  return ZERO_WIDTH.has(codePoint);
}

/** Embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
export function isBidiControl(codePoint: number): boolean {
  return (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069);
}

/** Unicode tag characters (U+E0000–U+E007F): invisible, and U+E0020–U+E007E mirror printable ASCII. */
export function isTagCharacter(codePoint: number): boolean {
  return codePoint >= 0xe0000 && codePoint <= 0xe007f;
}

export function isVariationSelector(codePoint: number): boolean {
  return (codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef);
}

/** Anything that renders as nothing and so can hide text from a reviewer (soft hyphen included). */
export function isInvisible(codePoint: number): boolean {
  return (
    isZeroWidth(codePoint) ||
    isBidiControl(codePoint) ||
    isTagCharacter(codePoint) ||
    isVariationSelector(codePoint) ||
    codePoint === 0x00ad ||
    codePoint === 0x034f
  );
}

export function hex(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
