// Regularized incomplete beta I_x(a, b) and its complement, each evaluated directly (Lentz's continued
// fraction on whichever side converges) so that a tail probability of 1e-200 keeps full relative precision
// instead of being lost in `1 − cdf`.

import { logBeta } from './gamma.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs, exp, log } = Math;

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_TERMS = 1_000_000;

/**
 * Returns [I_x(a,b), 1 − I_x(a,b)]. The caller passes y = 1 − x itself because it can often compute it
 * without rounding (for Student's t: x = ν/(ν+t²), y = t²/(ν+t²)).
 */
export function regularizedBetaPair(x: number, y: number, a: number, b: number): [number, number] {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got ${a}, ${b}`);
  if (!(x >= 0 && y >= 0)) throw new RangeError(`incomplete beta needs x, 1 − x ≥ 0, got ${x}, ${y}`);
  if (x === 0) return [0, 1];
  if (y === 0) return [1, 0];
  if (x < (a + 1) / (a + b + 2)) {
    const lower = betaSeriesFront(x, y, a, b) * betaContinuedFraction(x, a, b);
    return [lower, 1 - lower];
  }
  const upper = betaSeriesFront(y, x, b, a) * betaContinuedFraction(y, b, a);
  return [1 - upper, upper];
}

export function regularizedBeta(x: number, a: number, b: number): number {
  return regularizedBetaPair(x, 1 - x, a, b)[0];
}

function betaSeriesFront(x: number, y: number, a: number, b: number): number {
  return exp(a * log(x) + b * log(y) - logBeta(a, b)) / a;
}

/** Modified Lentz evaluation of the continued fraction for I_x(a,b) (Numerical Recipes §6.4). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const sum = a + b;
  const aPlusOne = a + 1;
  const aMinusOne = a - 1;
  let c = 1;
  let d = 1 - (sum * x) / aPlusOne;
  if (abs(d) < TINY) d = TINY;
  d = 1 / d;
  let fraction = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const twoM = 2 * m;
    let numerator = (m * (b - m) * x) / ((aMinusOne + twoM) * (a + twoM));
    d = 1 + numerator * d;
    if (abs(d) < TINY) d = TINY;
    c = 1 + numerator / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    fraction *= d * c;
    numerator = (-(a + m) * (sum + m) * x) / ((a + twoM) * (aPlusOne + twoM));
    d = 1 + numerator * d;
    if (abs(d) < TINY) d = TINY;
    c = 1 + numerator / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (abs(step - 1) < EPSILON) break;
  }
  return fraction;
}
