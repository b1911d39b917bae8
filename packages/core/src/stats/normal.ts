// Standard normal distribution: tails through the incomplete gamma function (erfc(u) = Q(½, u²)), quantiles
// by Acklam's rational approximation polished with Halley steps against that accurate CDF.

import { regularizedGammaPair } from './incomplete-gamma.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { exp, log, sqrt } = Math;

const SQRT_TWO_PI = 2.506628274631000502415765284811;

export function normalPdf(z: number): number {
  return exp(-0.5 * z * z) / SQRT_TWO_PI;
}

/** P(Z > z), computed directly in the upper tail. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('normalSf of NaN');
  const tail = 0.5 * regularizedGammaPair(0.5, 0.5 * z * z)[1];
  return z >= 0 ? tail : 1 - tail;
}

/** P(Z ≤ z). */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** z with P(Z ≤ z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1, got ${p}`);
  // Work in the lower half, where p itself carries full precision; 1 − p is exact for p > ½.
  if (p > 0.5) return -normalQuantile(1 - p);
  let z = acklamLowerHalf(p);
  for (let step = 0; step < 3; step++) {
    const error = normalCdf(z) - p;
    const u = error / normalPdf(z);
    const next = z - u / (1 + 0.5 * z * u);
    if (next === z || !Number.isFinite(next)) break;
    z = next;
  }
  return z;
}

/** z with P(Z > z) = p: the upper critical value (z_{1−p}) computed without forming 1 − p. */
export function normalUpperQuantile(p: number): number {
  return -normalQuantile(p);
}

function acklamLowerHalf(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = ACKLAM_A;
  const [b0, b1, b2, b3, b4] = ACKLAM_B;
  const [c0, c1, c2, c3, c4, c5] = ACKLAM_C;
  const [d0, d1, d2, d3] = ACKLAM_D;
  if (p < 0.02425) {
    const q = sqrt(-2 * log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}
