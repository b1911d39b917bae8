// How much of the family-wise alpha one look may use, and Holm's step-down across the metrics of one run.

import { normalSf, normalUpperQuantile } from './normal.ts';
import type { AlphaSpending } from './types.ts';

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { sqrt } = Math;

/**
 * Alpha for look `checkIndex` (1-based) of `checksPlanned` looks at the same metric.
 *
 * - `bonferroni`: alpha / K at every look.
 * - `obrien-fleming`: the increment α(k/K) − α((k−1)/K) of the Lan–DeMets O'Brien–Fleming-type spending
 *   function α(t) = 2 − 2Φ(z_{1−α/2} / √t), with α(1) = α (equal information per look, t = k/K). Early looks get
 *   almost nothing, the last look almost all of alpha. The increments are used as plain per-look levels and
 *   add up to α, so by the union bound the chance of any false alarm over the K looks is at most α whatever
 *   the correlation between looks. (Group-sequential boundaries computed from that correlation would allow
 *   slightly larger levels; this is the conservative, dependence-free use of the same spending function.)
 * - `none`: alpha at every look (no protection against repeated looks).
 */
export function alphaPerCheck(alpha: number, checkIndex: number, checksPlanned: number, spending: AlphaSpending): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  if (!(Number.isInteger(checksPlanned) && checksPlanned >= 1)) throw new RangeError(`checks planned must be a whole number ≥ 1, got ${checksPlanned}`);
  if (!(Number.isInteger(checkIndex) && checkIndex >= 1 && checkIndex <= checksPlanned)) {
    throw new RangeError(`check index must be a whole number from 1 to ${checksPlanned}, got ${checkIndex}`);
  }
  if (spending === 'none') return alpha;
  if (spending === 'bonferroni') return alpha / checksPlanned;
  return obrienFlemingSpent(alpha, checkIndex / checksPlanned) - obrienFlemingSpent(alpha, (checkIndex - 1) / checksPlanned);
}

/** Cumulative alpha spent by information fraction t under the Lan–DeMets O'Brien–Fleming-type function. */
export function obrienFlemingSpent(alpha: number, informationFraction: number): number {
  if (informationFraction <= 0) return 0;
  if (informationFraction >= 1) return alpha;
  return 2 * normalSf(normalUpperQuantile(alpha / 2) / sqrt(informationFraction));
}

export interface HolmDecision {
  /** Whether this hypothesis is rejected by the step-down procedure. */
  rejected: boolean;
  /** The level its p-value was (or would have been) compared with: alpha / (m − rank + 1). */
  threshold: number;
}

/**
 * Holm's step-down over m hypotheses. With one alpha for all, hypothesis of rank r (by ascending p) is
 * rejected when p_(i) ≤ alpha/(m − i + 1) for every i ≤ r. Per-hypothesis alphas are allowed: ranks go by
 * p/alpha and hypothesis i is compared with alpha_i/(m − i + 1), which keeps the family-wise error rate at or
 * below the largest alpha (the usual Holm argument, applied to p/alpha at level 1). `null` p-values (no
 * decision possible) count towards m and are never rejected.
 */
export function holmStepDown(pValues: readonly (number | null)[], alphas: number | readonly number[]): HolmDecision[] {
  const count = pValues.length;
  const alphaOf = (index: number): number => (typeof alphas === 'number' ? alphas : alphas[index]);
  const order = pValues
    .map((p, index) => ({ index, score: p === null ? Infinity : p / alphaOf(index) }))
    .sort((a, b) => a.score - b.score || a.index - b.index);
  const decisions: HolmDecision[] = new Array(count);
  let stillRejecting = true;
  order.forEach(({ index }, position) => {
    const threshold = alphaOf(index) / (count - position);
    const p = pValues[index];
    stillRejecting = stillRejecting && p !== null && p <= threshold;
    decisions[index] = { rejected: stillRejecting, threshold };
  });
  return decisions;
}
