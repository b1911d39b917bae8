// In-place k-th smallest selection (Floyd & Rivest's SELECT): expected linear time, robust to many equal
// values. Used wherever a median or an order statistic is needed without a full sort.

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { exp, floor, log, max, min, sqrt } = Math;

/** Rearranges `values[from..to]` so that `values[k]` holds the value a full sort would put there; returns it. */
export function selectInPlace(values: Float64Array, k: number, from = 0, to = values.length - 1): number {
  if (!(k >= from && k <= to)) throw new RangeError(`select: rank ${k} outside ${from}..${to}`);
  let left = from;
  let right = to;
  while (right > left) {
    if (right - left > 600) {
      // Recurse on a sample to place a pivot close to rank k first.
      const size = right - left + 1;
      const offset = k - left + 1;
      const logSize = log(size);
      const sampleSize = 0.5 * exp((2 * logSize) / 3);
      const deviation = 0.5 * sqrt((logSize * sampleSize * (size - sampleSize)) / size) * (offset - size / 2 < 0 ? -1 : 1);
      const newLeft = max(left, floor(k - (offset * sampleSize) / size + deviation));
      const newRight = min(right, floor(k + ((size - offset) * sampleSize) / size + deviation));
      selectInPlace(values, k, newLeft, newRight);
    }
    const pivot = values[k];
    let i = left;
    let j = right;
    swap(values, left, k);
    if (values[right] > pivot) swap(values, left, right);
    while (i < j) {
      swap(values, i, j);
      i++;
      j--;
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
    }
    if (values[left] === pivot) swap(values, left, j);
    else {
      j++;
      swap(values, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
  return values[k];
}

function swap(values: Float64Array, i: number, j: number): void {
  const held = values[i];
  values[i] = values[j];
  values[j] = held;
}

/**
 * numpy.median of the values (mean of the two middle ones for an even count, as `(a + b) / 2`).
 * Reorders `scratch`, which the caller owns.
 */
export function medianInPlace(scratch: Float64Array): number {
  const count = scratch.length;
  if (count === 0) throw new RangeError('median of no values');
  const upperMiddle = count >> 1;
  const upper = selectInPlace(scratch, upperMiddle);
  if (count % 2 === 1) return upper;
  // After selection everything left of upperMiddle is ≤ upper: the lower middle is their maximum.
  let lower = scratch[0];
  for (let index = 1; index < upperMiddle; index++) if (scratch[index] > lower) lower = scratch[index];
  return (lower + upper) / 2;
}
