// Delimiters that mark where untrusted data starts and ends, so the model can be told to treat what
// is inside as data. Quotes do not count: the data itself can close them as easily as any bracket,
// but a quote is also what ordinary prose uses, so it tells the model nothing.

const XML_TAG = /<(\/?)([A-Za-z_][\w.:-]*)(?:\s[^<>]*)?>/g;
const FENCE_LINE = /^[ \t]*(```|~~~|"""|''')/;
// A line of one punctuation character repeated: ---, ===, ###, >>>, <<<, +++.
const RULE_LINE = /^[ \t]*([-=*#_~+<>%|])\1{2,}[ \t]*$/;
const BEGIN_LINE = /^[ \t]*[-=#*<\[]*[ \t]*(?:BEGIN|START)\b/;
const END_LINE = /^[ \t]*[-=#*<\[]*[ \t]*END\b/;
const BRACKETS: Record<string, string> = { '[': ']', '(': ')', '<': '>', '«': '»', '【': '】', '⟨': '⟩' };

export interface FenceMap {
  /** True when [start, end) of the text sits inside a delimited block or between matching brackets. */
  isFenced(start: number, end: number): boolean;
  /** Name of the innermost XML-ish element enclosing the range, if any. */
  enclosingTag(start: number, end: number): string | undefined;
}

interface Span {
  start: number;
  end: number;
  name?: string;
}

export function mapFences(text: string): FenceMap {
  const spans: Span[] = [];
  const open = new Map<string, number[]>();
  XML_TAG.lastIndex = 0;
  for (let m = XML_TAG.exec(text); m; m = XML_TAG.exec(text)) {
    const name = m[2].toLowerCase();
    // Tags pair by name; an unclosed one (HTML's <br>) simply encloses nothing.
    if (m[0].endsWith('/>')) continue;
    if (!m[1]) {
      (open.get(name) ?? open.set(name, []).get(name)!).push(m.index + m[0].length);
    } else {
      const starts = open.get(name);
      const start = starts?.pop();
      if (start !== undefined) spans.push({ start, end: m.index, name });
    }
  }
  const lines: Array<{ start: number; text: string }> = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    lines.push({ start: offset, text: line });
    offset += line.length + 1;
  }
  // Code fences and triple quotes pair up in order; rules and BEGIN/END lines pair the nearest ones.
  let fenceOpen: { start: number; marker: string } | undefined;
  let ruleOpen: number | undefined;
  let beginOpen: number | undefined;
  for (const line of lines) {
    const fence = FENCE_LINE.exec(line.text);
    if (fence) {
      const marker = fence[1];
      const inlineClose = marker.length === 3 && (marker === '"""' || marker === "'''") && line.text.indexOf(marker, fence.index + fence[0].length) !== -1;
      if (inlineClose) spans.push({ start: line.start + fence[0].length, end: line.start + line.text.lastIndexOf(marker) });
      else if (fenceOpen && fenceOpen.marker === marker) {
        spans.push({ start: fenceOpen.start, end: line.start });
        fenceOpen = undefined;
      } else if (!fenceOpen) fenceOpen = { start: line.start + line.text.length, marker };
      continue;
    }
    if (RULE_LINE.test(line.text)) {
      if (ruleOpen !== undefined) spans.push({ start: ruleOpen, end: line.start });
      ruleOpen = line.start + line.text.length;
    }
    if (END_LINE.test(line.text) && beginOpen !== undefined) {
      spans.push({ start: beginOpen, end: line.start });
      beginOpen = undefined;
    } else if (BEGIN_LINE.test(line.text)) beginOpen = line.start + line.text.length;
  }
  // Triple quotes inside a line: """{text}""".
  for (const marker of ['"""', "'''"]) {
    let from = 0;
    for (;;) {
      const a = text.indexOf(marker, from);
      if (a === -1) break;
      const b = text.indexOf(marker, a + 3);
      if (b === -1) break;
      spans.push({ start: a + 3, end: b });
      from = b + 3;
    }
  }
  return {
    isFenced(start, end) {
      if (spans.some((s) => s.start <= start && end <= s.end)) return true;
      const before = text.slice(0, start).trimEnd();
      const after = text.slice(end).trimStart();
      const opener = before[before.length - 1];
      return opener !== undefined && BRACKETS[opener] !== undefined && after[0] === BRACKETS[opener];
    },
    enclosingTag(start, end) {
      let best: Span | undefined;
      for (const s of spans) if (s.name && s.start <= start && end <= s.end && (!best || s.start > best.start)) best = s;
      return best?.name;
    },
  };
}
