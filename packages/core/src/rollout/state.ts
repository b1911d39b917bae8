// Reading and checking the state document. Anyone with `kubectl edit` can change it, so every read is
// validated and an invalid document is refused with the field that is wrong instead of being acted on.
import {
  PROMOTION_PHASES,
  ROLLOUT_STATUSES,
  ROUTER_KINDS,
  STATE_SCHEMA_VERSION,
  type RolloutState,
} from './types.ts';

export class InvalidStateError extends Error {
  constructor(problem: string) {
    super(`Rollout state is invalid: ${problem}`);
    this.name = 'InvalidStateError';
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isWeight = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100;

function need(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new InvalidStateError(problem);
}

/** Parses the ConfigMap's JSON text and checks every invariant the transitions rely on. */
export function parseState(text: string): RolloutState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidStateError(`not JSON (${(error as Error).message}).`);
  }
  validateState(value);
  return value;
}

export function serializeState(state: RolloutState): string {
  validateState(state);
  return JSON.stringify(state, null, 2);
}

export function validateState(value: unknown): asserts value is RolloutState {
  need(isObject(value), 'the document is not an object.');
  const s = value;
  need(s.schemaVersion === STATE_SCHEMA_VERSION, `schemaVersion must be ${STATE_SCHEMA_VERSION}, got ${JSON.stringify(s.schemaVersion)}.`);
  for (const field of ['id', 'name', 'namespace', 'stableVersion', 'canaryVersion'] as const) {
    need(typeof s[field] === 'string' && s[field] !== '', `${field} must be a non-empty string.`);
  }
  need(typeof s.status === 'string' && (ROLLOUT_STATUSES as readonly string[]).includes(s.status), `status '${String(s.status)}' is not one of ${ROLLOUT_STATUSES.join(', ')}.`);
  need(s.canaryVersion !== s.stableVersion || !['progressing', 'paused'].includes(s.status as string), 'canaryVersion equals stableVersion while the rollout is in progress.');
  need(isObject(s.canary), 'canary must be an object.');
  if (s.canary.env !== undefined) {
    need(isObject(s.canary.env) && Object.values(s.canary.env).every((v) => typeof v === 'string'), 'canary.env must map names to strings.');
  }
  need(isObject(s.router) && (ROUTER_KINDS as readonly string[]).includes(s.router.kind as string), `router.kind must be one of ${ROUTER_KINDS.join(', ')}.`);

  need(Array.isArray(s.steps) && s.steps.length > 0, 'steps must be a non-empty list.');
  const steps = s.steps as unknown[];
  need(steps.every((w) => isWeight(w) && (w as number) >= 1), 'every step must be a weight in 1..100.');
  need(steps.every((w, i) => i === 0 || (w as number) > (steps[i - 1] as number)), 'steps must increase strictly.');
  need(steps[steps.length - 1] === 100, 'the last step must be 100.');
  need(Number.isInteger(s.currentStep) && (s.currentStep as number) >= 0 && (s.currentStep as number) < steps.length, `currentStep ${String(s.currentStep)} is outside 0..${steps.length - 1}.`);
  need(isWeight(s.weight), 'weight must be a number in 0..100.');
  need(isWeight(s.previousWeight), 'previousWeight must be a number in 0..100.');
  for (const field of ['checksRun', 'stepChecksRun'] as const) {
    need(Number.isInteger(s[field]) && (s[field] as number) >= 0, `${field} must be a whole number >= 0.`);
  }
  if (s.pending !== undefined) {
    need(isObject(s.pending) && s.pending.kind === 'weight' && isTime(s.pending.since) && typeof s.pending.cause === 'string', 'pending must be {kind: weight, cause, since}.');
  }
  if (s.promotionPhase !== undefined) {
    need((PROMOTION_PHASES as readonly string[]).includes(s.promotionPhase as string), `promotionPhase must be one of ${PROMOTION_PHASES.join(', ')}.`);
  }
  need((s.status === 'promoting') === (s.promotionPhase !== undefined), 'promotionPhase is set exactly while promoting.');
  for (const field of ['startedAt', 'updatedAt'] as const) need(isTime(s[field]), `${field} must be an ISO time.`);
  for (const field of ['stepStartedAt', 'pausedAt'] as const) {
    need(s[field] === undefined || isTime(s[field]), `${field} must be an ISO time when set.`);
  }

  need(isObject(s.config), 'config must be an object.');
  const c = s.config;
  need(typeof c.stepDurationMs === 'number' && c.stepDurationMs >= 0, 'config.stepDurationMs must be >= 0.');
  need(Number.isInteger(c.minSamples) && (c.minSamples as number) >= 0, 'config.minSamples must be a whole number >= 0.');
  need(typeof c.rollbackWindowMs === 'number' && c.rollbackWindowMs >= 0, 'config.rollbackWindowMs must be >= 0.');
  need(Number.isInteger(c.checksPerStep) && (c.checksPerStep as number) >= 1, 'config.checksPerStep must be a whole number >= 1.');
  need(Number.isInteger(c.maxRestarts) && (c.maxRestarts as number) >= 0, 'config.maxRestarts must be a whole number >= 0.');

  need(Array.isArray(s.analysis), 'analysis must be a list.');
  for (const record of s.analysis as unknown[]) {
    need(isObject(record) && isTime(record.at) && Number.isInteger(record.checkIndex) && Number.isInteger(record.checksPlanned) && typeof record.verdict === 'string' && Array.isArray(record.metrics), 'every analysis record needs at, checkIndex, checksPlanned, verdict and metrics.');
    need((record.checkIndex as number) >= 1 && (record.checkIndex as number) <= (record.checksPlanned as number), 'an analysis checkIndex must be within 1..checksPlanned.');
  }
  need(Array.isArray(s.events), 'events must be a list.');
  for (const event of s.events as unknown[]) {
    need(isObject(event) && isTime(event.at) && typeof event.type === 'string' && typeof event.actor === 'string' && typeof event.reason === 'string', 'every event needs at, type, actor and reason.');
  }
  need(Array.isArray(s.lastStableVersions) && s.lastStableVersions.every((v) => typeof v === 'string'), 'lastStableVersions must be a list of strings.');
  if (s.warmPrevious !== undefined) {
    need(isObject(s.warmPrevious) && typeof s.warmPrevious.version === 'string' && typeof s.warmPrevious.deployment === 'string' && isTime(s.warmPrevious.until), 'warmPrevious needs version, deployment and until.');
  }
  need(Array.isArray(s.queue), 'queue must be a list.');
  for (const queued of s.queue as unknown[]) {
    need(isObject(queued) && typeof queued.version === 'string' && Array.isArray(queued.steps) && isObject(queued.config) && isObject(queued.canary), 'every queued rollout needs version, canary, steps and config.');
  }
  need(Array.isArray(s.history), 'history must be a list.');
}
