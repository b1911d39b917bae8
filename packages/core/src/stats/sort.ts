// Sorting samples of up to millions of values. Large arrays use an LSD radix sort on the IEEE-754 bit
// patterns (11-bit digits, digits shared by every value skipped), several times faster than the comparison
// sort behind Float64Array#sort; the order is the same (−0 before +0; inputs are NaN-free).

const RADIX_FROM = 4096;
const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
// (word, shift) of each digit, least significant first: low word bits 0, 11, 22, then the high word.
const DIGITS: readonly (readonly [0 | 1, number])[] = [
  [0, 0],
  [0, 11],
  [0, 22],
  [1, 0],
  [1, 11],
  [1, 22],
];
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A sorted (ascending) copy of the values. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values);
  if (copy.length < RADIX_FROM || !LITTLE_ENDIAN) return copy.sort();
  radixSortInPlace(copy);
  return copy;
}

function radixSortInPlace(values: Float64Array): void {
  const count = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, count * 2);
  let low = new Uint32Array(count);
  let high = new Uint32Array(count);
  // Map each double to an unsigned key with the same order: flip all bits of negatives, the sign of the rest.
  for (let index = 0; index < count; index++) {
    const lowWord = words[2 * index];
    const highWord = words[2 * index + 1];
    if (highWord & 0x80000000) {
      low[index] = ~lowWord >>> 0;
      high[index] = ~highWord >>> 0;
    } else {
      low[index] = lowWord;
      high[index] = (highWord | 0x80000000) >>> 0;
    }
  }
  const histograms = new Int32Array(DIGITS.length * BUCKETS);
  for (let index = 0; index < count; index++) {
    const lowWord = low[index];
    const highWord = high[index];
    histograms[lowWord & DIGIT_MASK]++;
    histograms[BUCKETS + ((lowWord >>> 11) & DIGIT_MASK)]++;
    histograms[2 * BUCKETS + (lowWord >>> 22)]++;
    histograms[3 * BUCKETS + (highWord & DIGIT_MASK)]++;
    histograms[4 * BUCKETS + ((highWord >>> 11) & DIGIT_MASK)]++;
    histograms[5 * BUCKETS + (highWord >>> 22)]++;
  }
  let lowTarget = new Uint32Array(count);
  let highTarget = new Uint32Array(count);
  const offsets = new Int32Array(BUCKETS);
  DIGITS.forEach(([word, shift], digit) => {
    const histogram = histograms.subarray(digit * BUCKETS, (digit + 1) * BUCKETS);
    let running = 0;
    let trivial = false;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      if (histogram[bucket] === count) trivial = true;
      offsets[bucket] = running;
      running += histogram[bucket];
    }
    if (trivial) return;
    const keys = word === 0 ? low : high;
    for (let index = 0; index < count; index++) {
      const destination = offsets[(keys[index] >>> shift) & DIGIT_MASK]++;
      lowTarget[destination] = low[index];
      highTarget[destination] = high[index];
    }
    [low, lowTarget] = [lowTarget, low];
    [high, highTarget] = [highTarget, high];
  });
  for (let index = 0; index < count; index++) {
    const highWord = high[index];
    if (highWord & 0x80000000) {
      words[2 * index] = low[index];
      words[2 * index + 1] = highWord & 0x7fffffff;
    } else {
      words[2 * index] = ~low[index] >>> 0;
      words[2 * index + 1] = ~highWord >>> 0;
    }
  }
}
