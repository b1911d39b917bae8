// Order statistics of the n·m pairwise differences x_i − y_j without forming them (for 10⁶ × 10⁶ values that
// would be 10¹² numbers). The differences form a matrix sorted along rows and columns (x ascending, y
// descending); each row keeps a window [low, high) of candidate columns. Every round samples candidates,
// picks two pivots that bracket the wanted rank with high probability (Floyd–Rivest style), counts the
// entries below/at each pivot with one two-pointer sweep each (O(n + m)), and shrinks the windows. A few
// rounds bring 10¹² candidates down to O(n + m), which are then gathered and selected directly. Every pivot
// is an actual difference and every comparison uses the same IEEE subtraction numpy's subtract.outer does,
// so the result is exactly the value numpy would find.

import { selectInPlace } from './select.ts';

const SAMPLE_SIZE = 16_384;
// Pivots sit this many sample standard deviations (≤ ½√s) either side of the wanted rank.
const BRACKET_DEVIATIONS = 4;

export class PairwiseDifferences {
  readonly count: number;
  private readonly x: Float64Array;
  private readonly yDescending: Float64Array;
  private readonly low: Int32Array;
  private readonly high: Int32Array;
  private readonly belowFirst: Int32Array;
  private readonly atMostFirst: Int32Array;
  private readonly belowSecond: Int32Array;
  private readonly atMostSecond: Int32Array;
  private seed = 0x9e3779b9;

  /** `xAscending` and `yAscending` must be sorted ascending and free of NaN. */
  constructor(xAscending: Float64Array, yAscending: Float64Array) {
    if (xAscending.length === 0 || yAscending.length === 0) throw new RangeError('pairwise differences need two non-empty samples');
    this.x = xAscending;
    this.yDescending = yAscending.slice().reverse();
    const rows = xAscending.length;
    this.count = rows * yAscending.length;
    this.low = new Int32Array(rows);
    this.high = new Int32Array(rows);
    this.belowFirst = new Int32Array(rows);
    this.atMostFirst = new Int32Array(rows);
    this.belowSecond = new Int32Array(rows);
    this.atMostSecond = new Int32Array(rows);
  }

  /** The rank-th smallest difference, rank 1-based (1 … n·m). */
  select(rank: number): number {
    if (!(Number.isInteger(rank) && rank >= 1 && rank <= this.count)) throw new RangeError(`rank ${rank} outside 1..${this.count}`);
    const { x, yDescending: w, low, high } = this;
    const rows = x.length;
    const columns = w.length;
    low.fill(0);
    high.fill(columns);
    let knownBelow = 0;
    let candidates = this.count;
    const gatherLimit = Math.max(4 * (rows + columns), 100_000);
    while (candidates > gatherLimit) {
      const [first, second] = this.bracketingPivots(rank - knownBelow, candidates);
      const [belowFirst, atMostFirst] = this.countAgainst(first, this.belowFirst, this.atMostFirst);
      const [belowSecond, atMostSecond] = this.countAgainst(second, this.belowSecond, this.atMostSecond);
      if (belowFirst >= rank) {
        for (let row = 0; row < rows; row++) high[row] = Math.min(high[row], this.belowFirst[row]);
      } else if (atMostFirst >= rank) {
        return first;
      } else if (belowSecond >= rank) {
        for (let row = 0; row < rows; row++) {
          low[row] = Math.max(low[row], this.atMostFirst[row]);
          high[row] = Math.min(high[row], this.belowSecond[row]);
        }
      } else if (atMostSecond >= rank) {
        return second;
      } else {
        for (let row = 0; row < rows; row++) low[row] = Math.max(low[row], this.atMostSecond[row]);
      }
      knownBelow = 0;
      candidates = 0;
      for (let row = 0; row < rows; row++) {
        knownBelow += low[row];
        candidates += Math.max(0, high[row] - low[row]);
      }
    }
    const gathered = new Float64Array(candidates);
    let filled = 0;
    for (let row = 0; row < rows; row++) {
      const xValue = x[row];
      for (let column = low[row]; column < high[row]; column++) gathered[filled++] = xValue - w[column];
    }
    return selectInPlace(gathered, rank - knownBelow - 1);
  }

  /** Number of differences ≤ value. */
  countAtMost(value: number): number {
    return this.countAgainst(value, this.belowFirst, this.atMostFirst)[1];
  }

  /** The smallest difference strictly greater than value (Infinity when there is none). */
  nextAbove(value: number): number {
    this.countAgainst(value, this.belowFirst, this.atMostFirst);
    const columns = this.yDescending.length;
    let smallest = Infinity;
    for (let row = 0; row < this.x.length; row++) {
      const column = this.atMostFirst[row];
      if (column < columns) {
        const difference = this.x[row] - this.yDescending[column];
        if (difference < smallest) smallest = difference;
      }
    }
    return smallest;
  }

  /**
   * Per row, how many differences are < pivot and ≤ pivot. Rows are ascending in the column and columns in
   * the row, so each boundary only moves left as the row advances: one sweep, O(n + m).
   */
  private countAgainst(pivot: number, below: Int32Array, atMost: Int32Array): [number, number] {
    const { x, yDescending: w } = this;
    let belowColumn = w.length;
    let atMostColumn = w.length;
    let belowTotal = 0;
    let atMostTotal = 0;
    for (let row = 0; row < x.length; row++) {
      const xValue = x[row];
      while (belowColumn > 0 && !(xValue - w[belowColumn - 1] < pivot)) belowColumn--;
      while (atMostColumn > 0 && !(xValue - w[atMostColumn - 1] <= pivot)) atMostColumn--;
      below[row] = belowColumn;
      atMost[row] = atMostColumn;
      belowTotal += belowColumn;
      atMostTotal += atMostColumn;
    }
    return [belowTotal, atMostTotal];
  }

  /** Two candidate differences that likely enclose the rank-th smallest candidate. */
  private bracketingPivots(rankAmongCandidates: number, candidates: number): [number, number] {
    const { x, yDescending: w, low, high } = this;
    const rows = x.length;
    const cumulative = new Float64Array(rows + 1);
    for (let row = 0; row < rows; row++) cumulative[row + 1] = cumulative[row] + Math.max(0, high[row] - low[row]);
    const sample = new Float64Array(SAMPLE_SIZE);
    for (let drawn = 0; drawn < SAMPLE_SIZE; drawn++) {
      const position = Math.floor(this.nextUniform() * candidates);
      let lowerRow = 0;
      let upperRow = rows;
      while (upperRow - lowerRow > 1) {
        const middle = (lowerRow + upperRow) >> 1;
        if (cumulative[middle] <= position) lowerRow = middle;
        else upperRow = middle;
      }
      sample[drawn] = x[lowerRow] - w[low[lowerRow] + (position - cumulative[lowerRow])];
    }
    sample.sort();
    const expected = ((rankAmongCandidates - 0.5) / candidates) * SAMPLE_SIZE;
    const margin = BRACKET_DEVIATIONS * 0.5 * Math.sqrt(SAMPLE_SIZE);
    const firstIndex = Math.min(SAMPLE_SIZE - 1, Math.max(0, Math.floor(expected - margin)));
    const secondIndex = Math.min(SAMPLE_SIZE - 1, Math.max(0, Math.ceil(expected + margin)));
    return [sample[firstIndex], sample[secondIndex]];
  }

  /** Deterministic xorshift32 so the work done (never the result) is reproducible. */
  private nextUniform(): number {
    let state = this.seed;
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    this.seed = state >>> 0;
    return this.seed / 4294967296;
  }
}

/** numpy.median(numpy.subtract.outer(x, y)), from the two samples sorted ascending. */
export function medianPairwiseDifference(differences: PairwiseDifferences): number {
  const count = differences.count;
  if (count % 2 === 1) return differences.select((count + 1) / 2);
  const lower = differences.select(count / 2);
  const upper = differences.countAtMost(lower) >= count / 2 + 1 ? lower : differences.nextAbove(lower);
  return (lower + upper) / 2;
}
