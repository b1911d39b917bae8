// Regularized incomplete gamma P(a, x) and Q(a, x), each evaluated directly on the side where it is small,
// so the normal tail (Q(½, z²/2)) keeps full relative precision far out (z = 37 gives 1e-300).

import { logGamma } from './gamma.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs, exp, log } = Math;

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_TERMS = 1_000_000;

/** Returns [P(a,x), Q(a,x)] for a > 0, x ≥ 0. */
export function regularizedGammaPair(a: number, x: number): [number, number] {
  if (!(a > 0)) throw new RangeError(`incomplete gamma needs a > 0, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`incomplete gamma needs x ≥ 0, got ${x}`);
  if (x === 0) return [0, 1];
  if (x === Infinity) return [1, 0];
  if (x < a + 1) {
    const lower = gammaSeries(a, x);
    return [lower, 1 - lower];
  }
  const upper = gammaContinuedFraction(a, x);
  return [1 - upper, upper];
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  let denominator = a;
  for (let n = 1; n <= MAX_TERMS; n++) {
    denominator += 1;
    term *= x / denominator;
    sum += term;
    if (abs(term) < abs(sum) * EPSILON) break;
  }
  return sum * exp(-x + a * log(x) - logGamma(a));
}

/** Modified Lentz evaluation of Legendre's continued fraction for Q(a, x) (Numerical Recipes §6.2). */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i <= MAX_TERMS; i++) {
    const numerator = -i * (i - a);
    b += 2;
    d = numerator * d + b;
    if (abs(d) < TINY) d = TINY;
    c = b + numerator / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (abs(step - 1) < EPSILON) break;
  }
  return exp(-x + a * log(x) - logGamma(a)) * fraction;
}
