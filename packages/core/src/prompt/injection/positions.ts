import type { TextOrigin } from './types.ts';

/**
 * Maps UTF-16 offsets of a scanned text to file positions. Columns count code points, so an astral
 * character (emoji, tag character) is one column as an editor shows it. Continuation lines keep the
 * origin's indentation: a YAML block scalar (`content: |`) strips that indentation from the text the
 * loader hands us, and the first line starts at it.
 */
export class PositionMapper {
  readonly #text: string;
  readonly #origin: TextOrigin;
  readonly #lineStarts: number[];

  constructor(text: string, origin: TextOrigin) {
    this.#text = text;
    this.#origin = origin;
    this.#lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    const starts = this.#lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    const lineStart = starts[low];
    let codePoints = 0;
    for (let i = lineStart; i < offset; i++) {
      const unit = this.#text.charCodeAt(i);
      if (unit < 0xdc00 || unit > 0xdfff) codePoints++;
    }
    return { line: this.#origin.line + low, column: this.#origin.column + codePoints };
  }
}
