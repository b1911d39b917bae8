// Student's t distribution. Tails use P(|T| > t) = I_{ν/(ν+t²)}(ν/2, ½) with both the argument and its
// complement formed without cancellation, so one-sided p-values of 1e-120 keep full relative precision
// (what scipy's `stdtr` gives and a naive `1 − cdf` loses).

import { logBeta } from './gamma.ts';
import { regularizedBetaPair } from './incomplete-beta.ts';
import { normalPdf, normalQuantile, normalSf } from './normal.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { abs, exp, log, log1p, sqrt } = Math;

function checkDegreesOfFreedom(df: number): void {
  if (!(df > 0)) throw new RangeError(`Student's t needs degrees of freedom > 0, got ${df}`);
}

/** P(T > t) for T ~ t(df). df = Infinity gives the normal tail. */
export function studentTSf(t: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (Number.isNaN(t)) throw new RangeError('studentTSf of NaN');
  if (df === Infinity) return normalSf(t);
  if (t === 0) return 0.5;
  const tSquared = t * t;
  let twoSidedTail: number;
  if (tSquared === Infinity) {
    twoSidedTail = 0;
  } else {
    // Whichever ratio is smaller is formed directly; the other follows from it without loss.
    const x = df / (df + tSquared);
    const y = tSquared / (df + tSquared);
    twoSidedTail = regularizedBetaPair(x, y, 0.5 * df, 0.5)[0];
  }
  const tail = 0.5 * twoSidedTail;
  return t > 0 ? tail : 1 - tail;
}

/** P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

export function studentTPdf(t: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (df === Infinity) return normalPdf(t);
  return exp(-logBeta(0.5 * df, 0.5) - 0.5 * (df + 1) * log1p((t * t) / df)) / sqrt(df);
}

/** Cornish–Fisher expansion of the t quantile in powers of 1/ν around the normal quantile z. */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df);
}

/** t with P(T > t) = p (the upper critical value t_{1−p, df}), for 0 < p < 1. */
export function studentTUpperQuantile(p: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (!(p > 0 && p < 1)) throw new RangeError(`t quantile needs 0 < p < 1, got ${p}`);
  if (df === Infinity) return -normalQuantile(p);
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTUpperQuantile(1 - p, df);
  // Newton on ln P(T > t) from the Cornish–Fisher expansion, safeguarded by a bracket that is widened only
  // when a step leaves it: three or four tail evaluations in the usual range, robust in heavy tails.
  const z = -normalQuantile(p);
  let t = cornishFisher(z, df);
  if (!(t > 0 && Number.isFinite(t))) t = z;
  let low = 0;
  let high = Infinity;
  const logTarget = log(p);
  for (let iteration = 0; iteration < 100; iteration++) {
    const sf = studentTSf(t, df);
    if (sf === p) break;
    if (sf > p) low = t;
    else high = t;
    let next = t + ((log(sf) - logTarget) * sf) / studentTPdf(t, df);
    if (!(next > low && next < high)) next = high === Infinity ? 2 * t : 0.5 * (low + high);
    if (abs(next - t) <= 4e-16 * abs(t)) {
      t = next;
      break;
    }
    t = next;
  }
  return t;
}
