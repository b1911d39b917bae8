// The weight schedule: validated once, at `start`, with messages that name the input to fix.
import { InputError } from '../action/inputs.ts';

export const DEFAULT_STEPS = [10, 25, 50, 100] as const;
export const DEFAULT_INITIAL_PERCENTAGE = 10;

/** Parses `steps` text ("10,25,50,100"): whole or decimal percentages in 1..100, strictly increasing. */
export function parseSteps(text: string, input = 'steps'): number[] {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.trim().replace(/%$/, ''))
    .filter((part) => part !== '');
  if (parts.length === 0) throw new InputError(input, 'is empty; give increasing percentages such as 10,25,50,100.');
  const steps = parts.map((part) => {
    const value = Number(part);
    if (!Number.isFinite(value)) throw new InputError(input, `'${part}' is not a number; give percentages such as 10,25,50,100.`);
    if (value < 1 || value > 100) throw new InputError(input, `${value} is outside 1..100; every step is a canary weight in percent.`);
    return value;
  });
  steps.forEach((value, i) => {
    if (i > 0 && value <= steps[i - 1]) {
      throw new InputError(input, `steps must increase: ${steps[i - 1]} is followed by ${value}.`);
    }
  });
  return steps;
}

/**
 * The schedule a rollout follows: the initial percentage first, then every configured step above it, ending
 * at 100 (added when missing: a rollout that never reaches 100 % cannot promote).
 */
export function scheduleSteps(steps: readonly number[], initialPercentage: number, input = 'initial-percentage'): number[] {
  if (!(initialPercentage >= 1 && initialPercentage <= 100)) {
    throw new InputError(input, `${initialPercentage} is outside 1..100.`);
  }
  const above = steps.filter((weight) => weight > initialPercentage);
  const schedule = [initialPercentage, ...above];
  if (schedule[schedule.length - 1] !== 100) schedule.push(100);
  return schedule;
}

/** Inserts a manual weight into the schedule (kept increasing) and returns the new schedule and its index. */
export function withManualStep(steps: readonly number[], weight: number): { steps: number[]; index: number } {
  const merged = [...new Set([...steps, weight])].sort((a, b) => a - b);
  return { steps: merged, index: merged.indexOf(weight) };
}

/** Canary replicas for a weighted router: enough to carry the weight's share of the stable size, at least 1. */
export function canaryReplicasFor(stableReplicas: number, weight: number): number {
  if (weight <= 0) return 0;
  return Math.max(1, Math.ceil((Math.max(stableReplicas, 1) * weight) / 100));
}
