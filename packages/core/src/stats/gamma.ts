// Log-gamma and log-beta that keep their absolute accuracy for arguments in the millions: Welch degrees of
// freedom reach 2e6 with large samples, where `lnΓ(a) + lnΓ(b) − lnΓ(a+b)` would cancel away ~1e-8 of the
// result and with it the relative precision of tiny p-values. The large-argument paths follow TOMS 708
// (Didonato & Morris): Stirling's series with its correction term evaluated separately.

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { log, log1p, max, min } = Math;

const HALF_LOG_TWO_PI = 0.918938533204672741780329736406;
const STIRLING_FROM = 10;

// Bernoulli-number coefficients B_2k / (2k(2k−1)) of Stirling's series, in powers of 1/x².
const STIRLING_COEFFICIENTS = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

/** Stirling-series remainder: lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], for x ≥ 10 (error < 1e-17). */
export function stirlingCorrection(x: number): number {
  const inverseSquared = 1 / (x * x);
  let sum = 0;
  for (let index = STIRLING_COEFFICIENTS.length - 1; index >= 0; index--) {
    sum = sum * inverseSquared + STIRLING_COEFFICIENTS[index];
  }
  return sum / x;
}

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs a positive argument, got ${x}`);
  if (x >= STIRLING_FROM) return (x - 0.5) * log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x);
  // Shift up into Stirling's range: Γ(x) = Γ(x + k) / (x (x+1) … (x+k−1)).
  let product = 1;
  let shifted = x;
  while (shifted < STIRLING_FROM) {
    product *= shifted;
    shifted += 1;
  }
  return logGamma(shifted) - log(product);
}

/** ln Γ(a + b) − ln Γ(a) for a ≥ 10, without the cancellation of subtracting two huge logarithms. */
export function logGammaIncrement(b: number, a: number): number {
  const sum = a + b;
  return (a - 0.5) * log1p(b / a) + b * log(sum) - b + stirlingCorrection(sum) - stirlingCorrection(a);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), accurate for arguments from tiny to ~1e15. */
export function logBeta(a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`logBeta needs positive arguments, got ${a}, ${b}`);
  const small = min(a, b);
  const large = max(a, b);
  if (large < STIRLING_FROM) return logGamma(a) + logGamma(b) - logGamma(a + b);
  if (small < STIRLING_FROM) return logGamma(small) - logGammaIncrement(small, large);
  const sum = small + large;
  const correction = stirlingCorrection(small) + stirlingCorrection(large) - stirlingCorrection(sum);
  const u = -(small - 0.5) * log(small / sum);
  const v = large * log1p(small / large);
  return HALF_LOG_TWO_PI - 0.5 * log(large) + correction - u - v;
}
