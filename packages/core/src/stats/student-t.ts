// Student's t distribution. Tails use P(|T| > t) = I_{ν/(ν+t²)}(ν/2, ½) with both the argument and its
// complement formed without cancellation, so one-sided p-values of 1e-120 keep full relative precision
// (what scipy's `stdtr` gives and a naive `1 − cdf` loses).

import { logBeta } from './gamma.ts';
import { regularizedBetaPair } from './incomplete-beta.ts';
import { normalPdf, normalQuantile, normalSf } from './normal.ts';

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
  return Math.exp(-logBeta(0.5 * df, 0.5) - 0.5 * (df + 1) * Math.log1p((t * t) / df)) / Math.sqrt(df);
}

/** t with P(T > t) = p (the upper critical value t_{1−p, df}), for 0 < p < 1. */
export function studentTUpperQuantile(p: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (!(p > 0 && p < 1)) throw new RangeError(`t quantile needs 0 < p < 1, got ${p}`);
  if (df === Infinity) return -normalQuantile(p);
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTUpperQuantile(1 - p, df);
  // Newton on ln P(T > t), safeguarded by a bracket: robust deep in the heavy tails of small df.
  let low = 0;
  let high = Math.max(1, -normalQuantile(p));
  while (studentTSf(high, df) > p) {
    low = high;
    high *= 2;
  }
  let t = 0.5 * (low + high);
  const logTarget = Math.log(p);
  for (let iteration = 0; iteration < 200; iteration++) {
    const sf = studentTSf(t, df);
    if (sf > p) low = t;
    else high = t;
    const gap = Math.log(sf) - logTarget;
    let next = t + (gap * sf) / studentTPdf(t, df);
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    if (Math.abs(next - t) <= 1e-15 * Math.abs(t) || high - low <= 1e-15 * high) {
      t = next;
      break;
    }
    t = next;
  }
  return t;
}
