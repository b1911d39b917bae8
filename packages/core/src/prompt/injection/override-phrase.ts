import { type FoldedText, foldForMatching } from './normalize.ts';
import type { ScanContext, TextHit } from './types.ts';
import {
  OVERRIDE_VERBS,
  OVERRIDE_GERUNDS,
  FOLLOW_VERBS,
  FOLLOW_GERUNDS,
  STOP_VERBS,
  SUPERSEDE_FORMS,
  INSTRUCTION_SUBJECTS,
  NEW_INSTRUCTION_CUES,
  FOREIGN_VERBS,
  FOREIGN_QUALIFIERS,
  FOREIGN_NOUNS,
  QUALIFIERS,
  NOUNS,
  STRONG_NOUNS,
  BARE_DETERMINERS,
  LOCATIVE_AFTER_NOUN,
  POST_QUALIFIERS,
  EVERYTHING_WORDS,
  EVERYTHING_TAILS,
  VOID_WORDS,
  NEGATIONS,
  SKIPPABLE,
  DESCRIPTIVE_SUBJECTS,
  NOT_PLURAL_SUBJECTS,
  MENTION_CUES,
} from './override-vocabulary.ts';


const QUOTES = '"\'“”‘’`«»';
// What separates two words: plain space, a comma only, or a clause boundary (. ! ? ; : newline quotes
// brackets * # | --).
const GAP_SPACE = 0;
const GAP_COMMA = 1;
const GAP_BOUNDARY = 2;
const BOUNDARY_CHARS = new Uint8Array(128);
for (const ch of '.!?;:\n"()[]{}<>*#|') BOUNDARY_CHARS[ch.charCodeAt(0)] = 1;

function gapKind(text: string, from: number, to: number): number {
  let comma = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) continue;
    if (c === 0x2c) comma = true;
    else if (c < 128 ? BOUNDARY_CHARS[c] === 1 || (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) : c === 0x201c || c === 0x201d) return GAP_BOUNDARY;
  }
  return comma ? GAP_COMMA : GAP_SPACE;
}

interface Token {
  word: string;
  start: number;
  end: number;
  /** True when the text between the previous token and this one ends a clause. */
  boundaryBefore: boolean;
  /** True when that boundary is only a comma ("do not, under any circumstances, ignore"). */
  commaBefore: boolean;
}

const ASCII_WORD = /[a-z0-9_]+/g;
const UNICODE_WORD = /[\p{L}\p{N}_]+/gu;

/** Words of `folded[from, to)`; `from` must be at a word boundary. */
function tokenize(folded: string, from: number, to: number, ascii: boolean): Token[] {
  const tokens: Token[] = [];
  const word = ascii ? ASCII_WORD : UNICODE_WORD;
  word.lastIndex = from;
  let previousEnd = from;
  for (let match = word.exec(folded); match && match.index < to; match = word.exec(folded)) {
    const text = match[0];
    // "don't" folds to "don" + "t": merge contractions so negations are one token.
    const apostrophe = match.index - previousEnd === 1 && (folded[previousEnd] === "'" || folded[previousEnd] === '’');
    if (text === 't' && apostrophe && tokens.length > 0 && tokens[tokens.length - 1].end === match.index - 1) {
      const last = tokens[tokens.length - 1];
      last.word = last.word === 'can' ? 'cant' : last.word === 'won' ? 'wont' : `${last.word.replace(/n$/, '')}nt`;
      if (last.word.endsWith('nt') && !NEGATIONS.has(last.word)) last.word = 'nt';
      last.end = match.index + 1;
      previousEnd = last.end;
      continue;
    }
    const gap = gapKind(folded, previousEnd, match.index);
    tokens.push({ word: text, start: match.index, end: match.index + text.length, boundaryBefore: (tokens.length === 0 && from === 0) || gap !== GAP_SPACE, commaBefore: gap === GAP_COMMA });
    previousEnd = match.index + text.length;
  }
  return mergeSpacedLetters(tokens, folded);
}

// "i g n o r e" and "i.g.n.o.r.e" are read as one word.
function mergeSpacedLetters(tokens: Token[], folded: string): Token[] {
  const merged: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    let j = i;
    while (j + 1 < tokens.length && tokens[j].word.length === 1 && tokens[j + 1].word.length === 1 && tokens[j + 1].start - tokens[j].end === 1 && folded[tokens[j].end] !== '\n') j++;
    if (j - i >= 3) {
      merged.push({ ...tokens[i], word: tokens.slice(i, j + 1).map((t) => t.word).join(''), end: tokens[j].end });
      i = j + 1;
    } else {
      merged.push(tokens[i]);
      i++;
    }
  }
  return merged;
}

type Lead = 'imperative' | 'negated' | 'descriptive';

/** Reads the words before a verb to tell a command from a description, a negation or a mention. */
function leadOf(tokens: Token[], verbIndex: number): Lead {
  let sawNegation = false;
  for (let i = verbIndex; i > 0 && verbIndex - i < 8; i--) {
    const token = tokens[i];
    const before = tokens[i - 1].word;
    if (token.boundaryBefore) return sawNegation || (token.commaBefore && negatedAcrossComma(tokens, i - 1)) ? 'negated' : 'imperative';
    if (NEGATIONS.has(before) || (before === 'longer' && tokens[i - 2]?.word === 'no')) {
      sawNegation = true;
      continue;
    }
    if (before === 'to') {
      const governor = tokens[i - 2]?.word;
      if (governor && DESCRIPTIVE_SUBJECTS.has(governor) && !tokens[i - 1].boundaryBefore) return 'descriptive';
      continue;
    }
    if (DESCRIPTIVE_SUBJECTS.has(before)) return 'descriptive';
    if (SKIPPABLE.has(before)) continue;
    if (before.length > 3 && before.endsWith('s') && !before.endsWith('ss') && !NOT_PLURAL_SUBJECTS.has(before)) return sawNegation ? 'negated' : 'descriptive';
    return sawNegation ? 'negated' : 'imperative';
  }
  return sawNegation ? 'negated' : 'imperative';
}

function negatedAcrossComma(tokens: Token[], from: number): boolean {
  for (let j = from; j >= 0 && from - j < 6; j--) {
    if (NEGATIONS.has(tokens[j].word)) return true;
    if (!SKIPPABLE.has(tokens[j].word) || (tokens[j].boundaryBefore && !tokens[j].commaBefore)) return false;
  }
  return false;
}

function isMention(original: string, start: number, end: number): boolean {
  const lineStart = original.lastIndexOf('\n', start - 1) + 1;
  const before = original.slice(lineStart, start);
  const quoteMatch = /([\"'“‘`«])\s*(?:\w+\s*){0,3}$/.exec(before);
  if (!quoteMatch) return MENTION_CUES.test(before) && /\b(like|such as|e\.?g\.?|as|called|known as|phrases?)\s*:?\s*$/i.test(before);
  const lineEnd = original.indexOf('\n', end);
  const after = original.slice(end, lineEnd === -1 ? undefined : lineEnd);
  const closing = [...QUOTES].map((q) => after.indexOf(q)).filter((i) => i !== -1);
  if (closing.length === 0) return false;
  // A quoted phrase that is the subject of a sentence is being talked about: '"ignore ..." became a meme'.
  const afterQuote = after.slice(Math.min(...closing) + 1);
  if (/^\s*(?:is|was|are|were|became|becomes|has|have|had|appears|appeared|shows|remains|works|worked|still|should|must|will|can|may|might|often|usually)\b/i.test(afterQuote)) return true;
  return MENTION_CUES.test(before.slice(0, quoteMatch.index));
}

interface PhraseMatch {
  startToken: number;
  endToken: number;
}

function findObject(tokens: Token[], from: number): PhraseMatch | undefined {
  let qualifier = false;
  let determiner = false;
  for (let k = from; k < tokens.length && k - from < 7; k++) {
    if (k > from && tokens[k].boundaryBefore) return undefined;
    const word = tokens[k].word;
    if (k === from && EVERYTHING_WORDS.has(word)) {
      for (let t = k + 1; t < tokens.length && t - k <= 4 && !tokens[t].boundaryBefore; t++) {
        if (EVERYTHING_TAILS.has(tokens[t].word)) return { startToken: from, endToken: t };
        if (NOUNS.has(tokens[t].word)) break;
      }
    }
    if (QUALIFIERS.has(word)) qualifier = true;
    else if (BARE_DETERMINERS.has(word)) determiner = true;
    if (NOUNS.has(word) && !QUALIFIERS.has(word)) {
      if (qualifier) return { startToken: from, endToken: k };
      for (let t = k + 1; t < tokens.length && t - k <= 3 && !tokens[t].boundaryBefore; t++) {
        if (POST_QUALIFIERS.has(tokens[t].word)) return { startToken: from, endToken: t };
      }
      const next = tokens[k + 1];
      const defensive = next && !next.boundaryBefore && LOCATIVE_AFTER_NOUN.has(next.word);
      if (determiner && STRONG_NOUNS.has(word) && !defensive) return { startToken: from, endToken: k };
      return undefined;
    }
    // "ignore the above." / "ignore the above and say ..."
    if (word === 'above' && (!tokens[k + 1] || tokens[k + 1].boundaryBefore || tokens[k + 1].word === 'and')) {
      return { startToken: from, endToken: k };
    }
  }
  return undefined;
}

// Every word that can start a match; all other words are skipped with one lookup.
const TRIGGERS = new Set([...OVERRIDE_VERBS, ...OVERRIDE_GERUNDS, ...FOLLOW_VERBS, ...FOLLOW_GERUNDS, ...SUPERSEDE_FORMS, ...QUALIFIERS, ...FOREIGN_VERBS, 'pay', 'bound']);

/** Instruction-override phrases ("ignore all previous instructions") in their obfuscated spellings too. */
export function findOverridePhrases(text: string, context: ScanContext): TextHit[] {
  const folded = foldForMatching(text);
  const hits: TextHit[] = [];
  for (const [from, to] of triggerWindows(folded.text)) {
    const ascii = !NON_ASCII.test(folded.text.slice(from, to));
    hits.push(...findInWindow(text, folded, tokenize(folded.text, from, to, ascii), context));
  }
  return hits;
}

// Stems of every word that can start a match. Most text has none, and only the text around the
// ones it has is tokenized (a window wide enough for the look-back and the object).
const TRIGGER_STEMS = /\b(?:ignor|disregard|forg[eo]t|overrid|overwrit|skip|discard|bypass|abandon|dismiss|overlook|neglect|drop|eras|delet|supersed|nullif|void|unlearn|follow|obey|heed|respect|hono|replac|cancel|revok|attention|bound|null|obsolete|invalid|lifted|suspend|deprecat|disabl|deactivat|irrelevant|apply|applying|oubli|vergiss|vergessen|olvid|dimentica|(?:[a-z][ .*_-]){3,}[a-z]\b)/g;
// Enough for the look-back (8 words, plus a comma clause) and the object (about 14 words).
const NON_ASCII = /[^\x00-\x7f]/;
const WINDOW_BEFORE = 140;
const WINDOW_AFTER = 200;

function triggerWindows(folded: string): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  TRIGGER_STEMS.lastIndex = 0;
  for (let m = TRIGGER_STEMS.exec(folded); m; m = TRIGGER_STEMS.exec(folded)) {
    let from = Math.max(0, m.index - WINDOW_BEFORE);
    // Start at a word boundary so no half word becomes a token.
    while (from > 0 && /[\p{L}\p{N}_]/u.test(folded[from - 1])) from--;
    const to = Math.min(folded.length, m.index + WINDOW_AFTER);
    const last = windows[windows.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
  }
  return windows;
}

function findInWindow(text: string, folded: FoldedText, tokens: Token[], context: ScanContext): TextHit[] {
  const hits: TextHit[] = [];
  let lastEnd = -1;
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i].word;
    if (!TRIGGERS.has(word)) continue;
    let matched: PhraseMatch | undefined;
    if (OVERRIDE_VERBS.has(word) || (OVERRIDE_GERUNDS.has(word) && tokens[i].boundaryBefore)) {
      const lead = leadOf(tokens, i);
      if (lead === 'imperative') matched = findObject(tokens, i + 1);
      else if (lead === 'descriptive' && SUPERSEDE_FORMS.has(word)) matched = supersededBy(tokens, i);
      // "Ignoring previous messages is a setting": a gerund that is the subject of a sentence.
      if (matched && OVERRIDE_GERUNDS.has(word) && GERUND_SUBJECT_VERBS.has(tokens[matched.endToken + 1]?.word ?? '') && !tokens[matched.endToken + 1].boundaryBefore) matched = undefined;
    } else if (word === 'pay' && tokens[i + 1]?.word === 'no' && tokens[i + 2]?.word === 'attention' && tokens[i + 3]?.word === 'to' && leadOf(tokens, i) === 'imperative') {
      matched = findObject(tokens, i + 4);
    } else if (word === 'bound' && (tokens[i - 1]?.word === 'longer' || tokens[i - 1]?.word === 'not') && tokens[i + 1]?.word === 'by') {
      matched = findObject(tokens, i + 2);
    } else if (FOREIGN_VERBS.has(word) && tokens[i].boundaryBefore) {
      matched = foreignObject(tokens, i + 1);
    } else if (FOLLOW_VERBS.has(word) && leadOf(tokens, i) === 'negated') {
      matched = findObject(tokens, i + 1);
    } else if (FOLLOW_GERUNDS.has(word) && i > 0 && STOP_VERBS.has(tokens[i - 1].word)) {
      matched = findObject(tokens, i + 1);
    } else if (SUPERSEDE_FORMS.has(word)) {
      matched = supersededBy(tokens, i);
    } else if (QUALIFIERS.has(word)) {
      matched = declaredVoid(tokens, i);
    }
    if (!matched) continue;
    const start = folded.sourceOffset(tokens[Math.min(i, matched.startToken)].start);
    const end = folded.sourceOffset(tokens[matched.endToken].end - 1) + 1;
    if (start < lastEnd || isMention(text, start, end)) continue;
    lastEnd = end;
    const phrase = text.slice(start, end).replace(/\s+/g, ' ');
    const shown = phrase.length > 60 ? `${phrase.slice(0, 57)}...` : phrase;
    hits.push({
      check: 'injection/override-phrase',
      offset: start,
      severity: context === 'template' ? 'error' : 'notice',
      message:
        context === 'template'
          ? `instruction-override phrase "${shown}"; remove it from the template (a prompt that tells the model to drop its instructions is an injection, whoever wrote it)`
          : `instruction-override phrase "${shown}" in test data; fine if this case probes injection resistance, then assert the model refuses`,
    });
  }
  return hits;
}

const GERUND_SUBJECT_VERBS = new Set(['is', 'was', 'are', 'were', 'can', 'could', 'may', 'might', 'will', 'would', 'should', 'has', 'had', 'makes', 'made', 'helps', 'causes', 'caused', 'leads', 'led', 'requires', 'means', 'became', 'becomes']);

// "These new instructions override all previous instructions."
function supersededBy(tokens: Token[], verbIndex: number): PhraseMatch | undefined {
  const subject = tokens[verbIndex - 1];
  const cue = tokens[verbIndex - 2];
  if (!subject || !INSTRUCTION_SUBJECTS.has(subject.word) || !cue || !NEW_INSTRUCTION_CUES.has(cue.word) || tokens[verbIndex].boundaryBefore) return undefined;
  const object = findObject(tokens, verbIndex + 1);
  return object ? { startToken: verbIndex - 2, endToken: object.endToken } : undefined;
}

// "Your previous instructions no longer apply", "the system prompt is now void".
function declaredVoid(tokens: Token[], qualifierIndex: number): PhraseMatch | undefined {
  const noun = tokens[qualifierIndex + 1];
  if (!noun || !NOUNS.has(noun.word) || noun.boundaryBefore) return undefined;
  for (let k = qualifierIndex + 2; k < tokens.length && k - qualifierIndex <= 6 && !tokens[k].boundaryBefore; k++) {
    const word = tokens[k].word;
    if (VOID_WORDS.has(word)) return { startToken: qualifierIndex, endToken: k };
    if (word === 'longer' && tokens[k + 1]?.word === 'apply' && tokens[k - 1].word === 'no') return { startToken: qualifierIndex, endToken: k + 1 };
    if ((word === 'dont' || word === 'nt') && tokens[k + 1]?.word === 'apply') return { startToken: qualifierIndex, endToken: k + 1 };
  }
  return undefined;
}

// "Ignorez les instructions précédentes", "Ignoriere alle vorherigen Anweisungen".
function foreignObject(tokens: Token[], from: number): PhraseMatch | undefined {
  let qualifier = false;
  for (let k = from; k < tokens.length && k - from < 6; k++) {
    if (k > from && tokens[k].boundaryBefore) return undefined;
    if (FOREIGN_QUALIFIERS.has(tokens[k].word)) qualifier = true;
    if (FOREIGN_NOUNS.has(tokens[k].word)) {
      if (qualifier) return { startToken: from, endToken: k };
      for (let t = k + 1; t < tokens.length && t - k <= 2 && !tokens[t].boundaryBefore; t++) {
        if (FOREIGN_QUALIFIERS.has(tokens[t].word)) return { startToken: from, endToken: t };
      }
      return undefined;
    }
  }
  return undefined;
}
