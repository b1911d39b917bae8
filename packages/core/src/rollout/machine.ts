// The rollout state machine: pure functions from (state, observations, request) to a plan of effects.
//
// Crash safety. A change of traffic is always three writes, in this order:
//   1. writeState(intent): the state gets the new `weight`, `previousWeight` = the old one, and `pending`;
//   2. the cluster effects (setWeight, scaling, templates), each idempotent;
//   3. writeState(confirm): `pending` cleared, `previousWeight` = `weight`, the step's clock started.
// A crash before 1 leaves the old state and the old cluster; between 1 and 3 the cluster has the old or the
// new weight, which are exactly `previousWeight` and `weight`, and the next run sees `pending` and re-applies
// the effects before confirming. Every write of the state is a compare-and-swap, so of two runs that read the
// same state only one can write its intent: the other stops before touching the cluster.
// Pods come before traffic: a weighted router only sends traffic to a canary that has available pods, and
// scaling up happens before the weight rises; scaling down happens only after the weight went to 0.
import { sampleRatioCheck } from './sample-ratio.ts';
import { canaryReplicasFor, withManualStep } from './steps.ts';
import {
  STATE_SCHEMA_VERSION,
  isActive,
  type Actor,
  type AnalysisOutcome,
  type AnalysisRecord,
  type CanarySpec,
  type ConflictPolicy,
  type DeploymentHealth,
  type Effect,
  type EventType,
  type HistoryEntry,
  type Notice,
  type PendingChange,
  type Plan,
  type RolloutConfig,
  type RolloutEvent,
  type RolloutState,
  type RouterSpec,
  type TickObservations,
} from './types.ts';

/** Refusals of a command in the current state (a rollout already running, abort of a finished one, ...). */
export class RolloutCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutCommandError';
  }
}

const MAX_EVENTS = 200;
const MAX_ANALYSES = 100;
const MAX_HISTORY = 20;
const MAX_STABLE_VERSIONS = 10;

const ms = (iso: string): number => Date.parse(iso);

export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].join('');
}

function withEvent(state: RolloutState, now: string, actor: Actor, type: EventType, reason: string, extra: Partial<RolloutEvent> = {}): RolloutState {
  const event: RolloutEvent = { at: now, type, actor: actor.actor, reason, weight: state.weight, step: state.currentStep, ...extra };
  if (actor.runUrl) event.runUrl = actor.runUrl;
  return { ...state, updatedAt: now, events: [...state.events, event].slice(-MAX_EVENTS) };
}

function plan(decision: Plan['decision'], reason: string, nextState: RolloutState, effects: Effect[], extra: Partial<Plan> = {}): Plan {
  return { decision, reason, nextState, effects, continue: false, notices: [], ...extra };
}

const noop = (state: RolloutState, reason: string, notices: Notice[] = []): Plan => plan('noop', reason, state, [], { notices });

export const checksPlanned = (state: Pick<RolloutState, 'steps' | 'config'>): number => state.steps.length * state.config.checksPerStep;

/** Is a Deployment serving its current template with every replica available? */
export const deploymentReady = (health: DeploymentHealth): boolean =>
  health.exists && health.observedCurrent && health.updated >= health.desired && health.available >= Math.max(health.desired, 1);

const usesPodsAsWeight = (router: RouterSpec): boolean => router.kind === 'replicas';
/** Routers that keep canary pods out of the stable Service: only there can a version stay warm with no traffic. */
const isolatesCanaryPods = (router: RouterSpec): boolean => ['nginx', 'gateway-api', 'istio'].includes(router.kind);

function unhealthyReason(health: DeploymentHealth, config: RolloutConfig): string | null {
  if (!health.exists) return 'the canary Deployment is missing';
  if (health.crashLooping) return 'canary pods are crash-looping';
  if (health.restarts > config.maxRestarts) return `canary containers restarted ${health.restarts} times (more than ${config.maxRestarts})`;
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// start

export interface StartRequest {
  name: string;
  namespace: string;
  version: string;
  stableVersion: string;
  canary: CanarySpec;
  router: RouterSpec;
  /** The schedule from `scheduleSteps` (increasing, ends at 100). */
  steps: number[];
  config: RolloutConfig;
  onConflict: ConflictPolicy;
  /** spec.replicas of the stable Deployment, to size the canary. */
  stableReplicas: number;
}

export function rolloutId(name: string, version: string, now: string): string {
  const stamp = now.replace(/[-:]/g, '').replace(/\.\d+/, '').replace('T', '-').replace('Z', '');
  const slug = `${name}-${version}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return `${slug}-${stamp}`;
}

function historyEntry(state: RolloutState, status: RolloutState['status'], now: string): HistoryEntry {
  return { id: state.id, canaryVersion: state.canaryVersion, stableVersion: state.stableVersion, status, startedAt: state.startedAt, endedAt: now };
}

function freshState(request: StartRequest, previous: RolloutState | null, now: string): RolloutState {
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    id: rolloutId(request.name, request.version, now),
    name: request.name,
    namespace: request.namespace,
    status: 'progressing',
    stableVersion: request.stableVersion,
    canaryVersion: request.version,
    canary: request.canary,
    router: request.router,
    steps: [...request.steps],
    currentStep: 0,
    weight: 0,
    previousWeight: 0,
    checksRun: 0,
    stepChecksRun: 0,
    config: request.config,
    analysis: [],
    events: [],
    lastStableVersions: previous?.lastStableVersions ?? [],
    queue: previous?.queue ?? [],
    history: previous ? [...previous.history] : [],
    startedAt: now,
    updatedAt: now,
  };
}

/**
 * Starts a rollout of `request.version`, or queues/supersedes it when one is already active. The plan creates
 * the canary with no traffic; the next decision (the same run continues) enters the first step once the canary
 * has available pods.
 */
export function start(request: StartRequest, existing: RolloutState | null, actor: Actor, now: string): Plan {
  if (request.version === request.stableVersion) {
    throw new RolloutCommandError(`Version '${request.version}' is already the stable version of ${request.name}; nothing to roll out.`);
  }
  if (existing?.pending) throw new RolloutCommandError('The rollout has an unconfirmed change; settle it (run progress) before starting another.');
  const active = existing !== null && isActive(existing.status);
  if (active && existing.canaryVersion === request.version && request.onConflict !== 'supersede') {
    throw new RolloutCommandError(`Version '${request.version}' is already rolling out (${existing.status} at ${existing.weight}%).`);
  }
  if (active && request.onConflict === 'fail') {
    throw new RolloutCommandError(
      `A rollout of ${request.name} to '${existing.canaryVersion}' is ${existing.status} at ${existing.weight}%. ` +
        `Set on-conflict to queue (start after it) or supersede (replace it), or abort it first.`,
    );
  }
  const reason = actor.reason ?? `roll out ${request.version}`;
  if (active && request.onConflict === 'queue') {
    const queued = {
      version: request.version,
      canary: request.canary,
      steps: request.steps,
      config: request.config,
      requestedBy: actor.actor,
      requestedAt: now,
      reason,
    };
    const next = withEvent({ ...existing, queue: [...existing.queue.filter((q) => q.version !== request.version), queued] }, now, actor, 'queued', `${request.version} queued behind ${existing.canaryVersion}: ${reason}`);
    return plan('hold', `queued behind the ${existing.status} rollout of ${existing.canaryVersion}`, next, [{ type: 'writeState', state: next, purpose: 'record' }], { queued: true });
  }

  if (active) {
    // supersede: traffic back to stable first (the canary is about to change template), then the new rollout.
    if (existing.status === 'promoting') {
      throw new RolloutCommandError(`The rollout of ${existing.canaryVersion} is promoting; it cannot be superseded mid-promotion. Queue the new version instead.`);
    }
    const base = freshState(request, existing, now);
    base.history = [historyEntry(existing, 'superseded', now), ...existing.history].slice(0, MAX_HISTORY);
    let intent: RolloutState = { ...base, weight: 0, previousWeight: existing.weight, pending: { kind: 'weight', cause: 'supersede', since: now } };
    intent = withEvent(intent, now, actor, 'superseded', `${existing.canaryVersion} superseded by ${request.version}: ${reason}`, { weight: existing.weight });
    intent = withEvent(intent, now, actor, 'started', reason);
    const confirmed = confirmWeight(intent, now, actor);
    return plan('advance', `superseded ${existing.canaryVersion}; started ${request.version}`, confirmed, [
      { type: 'writeState', state: intent, purpose: 'intent' },
      { type: 'setWeight', weight: 0 },
      { type: 'ensureCanary', version: request.version, canary: request.canary, replicas: initialCanaryReplicas(request) },
      { type: 'writeState', state: confirmed, purpose: 'confirm' },
    ], { continue: true });
  }

  let next = freshState(request, existing, now);
  if (existing) next.history = [historyEntry(existing, existing.status, existing.updatedAt), ...existing.history.filter((h) => h.id !== existing.id)].slice(0, MAX_HISTORY);
  next = withEvent(next, now, actor, 'started', reason, { weight: 0 });
  const released = existing?.warmPrevious ? ' (the warm previous version is released: the canary Deployment is reused)' : '';
  return plan('advance', `started ${request.version}${released}`, next, [
    { type: 'writeState', state: next, purpose: 'intent' },
    { type: 'ensureCanary', version: request.version, canary: request.canary, replicas: initialCanaryReplicas(request) },
  ], { continue: true });
}

const initialCanaryReplicas = (request: StartRequest): number =>
  usesPodsAsWeight(request.router) ? 0 : canaryReplicasFor(request.stableReplicas, request.steps[0]);

// ---------------------------------------------------------------------------------------------------------
// weight changes (the three-write sequence)

/** The state after the cluster has the intent's weight: what `confirm` writes. */
function confirmWeight(intent: RolloutState, now: string, actor: Actor): RolloutState {
  const cause = intent.pending?.cause;
  let next: RolloutState = { ...intent, previousWeight: intent.weight, updatedAt: now };
  delete next.pending;
  if (cause === 'rollback' || cause === 'abort') {
    const status = cause === 'rollback' ? 'rolled-back' : 'aborted';
    next = { ...next, status, history: [historyEntry(intent, status, now), ...intent.history.filter((h) => h.id !== intent.id)].slice(0, MAX_HISTORY) };
    delete next.stepStartedAt;
    return withEvent(next, now, actor, cause === 'rollback' ? 'rolled-back' : 'aborted', `traffic is back on ${intent.stableVersion}; canary scaled down`, { weight: 0 });
  }
  if (cause === 'promote') {
    const previousStable = intent.stableVersion;
    next = {
      ...next,
      status: 'promoted',
      stableVersion: intent.canaryVersion,
      lastStableVersions: [previousStable, ...intent.lastStableVersions.filter((v) => v !== previousStable)].slice(0, MAX_STABLE_VERSIONS),
    };
    // where the stable Service also selects canary pods (replicas, configmap), nothing stays warm without serving
    if (isolatesCanaryPods(intent.router) && intent.config.rollbackWindowMs > 0) {
      next.warmPrevious = { version: previousStable, deployment: `${intent.name}-canary`, until: new Date(ms(now) + intent.config.rollbackWindowMs).toISOString() };
    } else {
      delete next.warmPrevious;
    }
    delete next.promotionPhase;
    delete next.stepStartedAt;
    next.history = [historyEntry({ ...intent, stableVersion: previousStable }, 'promoted', now), ...intent.history.filter((h) => h.id !== intent.id)].slice(0, MAX_HISTORY);
    const warm = next.warmPrevious ? `; ${previousStable} kept warm until ${next.warmPrevious.until}` : '';
    return withEvent(next, now, actor, 'promoted', `${intent.canaryVersion} is stable${warm}`, { weight: 0 });
  }
  // a new weight restarts the bake clock: its data starts now (a manual weight too, even while paused)
  if (intent.weight > 0 && (intent.status === 'progressing' || cause === 'manual')) {
    next = { ...next, stepStartedAt: now, stepChecksRun: 0 };
    return withEvent(next, now, actor, 'weight-applied', `step ${intent.currentStep + 1}/${intent.steps.length}: ${intent.weight}% on ${intent.canaryVersion}`);
  }
  return withEvent(next, now, actor, 'weight-applied', `${intent.weight}% on ${intent.canaryVersion}`);
}

/**
 * The effects that bring the cluster to the intent: pods before traffic on the way up, traffic before
 * pods on the way down.
 */
function weightEffects(intent: RolloutState, obs: Pick<TickObservations, 'stableHealth' | 'canaryHealth'>, recovering = false): Effect[] {
  const cause = intent.pending?.cause;
  const effects: Effect[] = [];
  const weighted = !usesPodsAsWeight(intent.router);
  const needed = canaryReplicasFor(obs.stableHealth.desired, intent.weight);
  // after a crash the canary may be missing or on another template; the replicas router also needs it to exist
  if (intent.weight > 0 && (recovering || !obs.canaryHealth.exists)) {
    effects.push({ type: 'ensureCanary', version: intent.canaryVersion, canary: intent.canary, replicas: weighted ? needed : 0 });
  } else if (weighted && intent.weight > 0 && obs.canaryHealth.desired < needed) {
    effects.push({ type: 'scaleCanary', replicas: needed });
  }
  effects.push({ type: 'setWeight', weight: intent.weight });
  if (cause === 'rollback' || cause === 'abort') effects.push({ type: 'scaleCanary', replicas: 0 });
  if (cause === 'promote') {
    effects.push(!isolatesCanaryPods(intent.router) || intent.config.rollbackWindowMs === 0 ? { type: 'scaleCanary', replicas: 0 } : { type: 'warmPrevious', version: intent.stableVersion });
  }
  return effects;
}

function changeWeight(state: RolloutState, weight: number, cause: PendingChange['cause'], obs: Pick<TickObservations, 'stableHealth' | 'canaryHealth'>, actor: Actor, now: string, event: { type: EventType; reason: string }, changes: Partial<RolloutState> = {}): { intent: RolloutState; confirmed: RolloutState; effects: Effect[] } {
  let intent: RolloutState = { ...state, ...changes, weight, previousWeight: state.weight, pending: { kind: 'weight', cause, since: now } };
  intent = withEvent(intent, now, actor, event.type, event.reason, { weight });
  const confirmed = confirmWeight(intent, now, actor);
  return {
    intent,
    confirmed,
    effects: [
      { type: 'writeState', state: intent, purpose: 'intent' },
      ...weightEffects(intent, obs),
      { type: 'writeState', state: confirmed, purpose: 'confirm' },
    ],
  };
}

/** Finishes a change whose intent was written but not confirmed (the run before crashed or was refused). */
function finishPending(state: RolloutState, obs: TickObservations, actor: Actor): Plan {
  const confirmed = confirmWeight(state, obs.now, actor);
  return plan(
    state.pending!.cause === 'rollback' || state.pending!.cause === 'abort' ? 'rollback' : 'advance',
    `finished the unconfirmed ${state.pending!.cause} change to ${state.weight}% (from ${state.pending!.since})`,
    confirmed,
    [...weightEffects(state, obs, true), { type: 'writeState', state: confirmed, purpose: 'confirm' }],
    { continue: true },
  );
}

function rollbackPlan(state: RolloutState, obs: TickObservations, actor: Actor, reason: string, cause: 'rollback' | 'abort', record?: AnalysisRecord): Plan {
  const base: RolloutState = record ? { ...state, analysis: [...state.analysis, record].slice(-MAX_ANALYSES) } : state;
  const { confirmed, effects } = changeWeight(base, 0, cause, obs, actor, obs.now, { type: cause === 'abort' ? 'aborted' : 'rollback-started', reason }, { status: 'rolling-back' });
  return plan('rollback', reason, confirmed, effects, {
    notices: [{ severity: cause === 'abort' ? 'warning' : 'error', message: `Rollout of ${state.canaryVersion} ${cause === 'abort' ? 'aborted' : 'rolled back'}: ${reason}` }],
    continue: true,
  });
}

// ---------------------------------------------------------------------------------------------------------
// the tick

export interface TickOptions {
  actor?: Actor;
}

const SCHEDULER: Actor = { actor: 'scheduler' };

/**
 * One reconcile step. Idempotent: given the same state and observations it returns the same plan, and a
 * state that needs nothing returns `noop` with no effects. When the plan carries `analysisRequest`, the shell
 * runs that analysis and calls again with `observations.analysis` set.
 */
export function decideTick(state: RolloutState, obs: TickObservations, options: TickOptions = {}): Plan {
  const actor = options.actor ?? SCHEDULER;
  if (state.pending) return finishPending(state, obs, actor);
  switch (state.status) {
    case 'progressing':
      return progressTick(state, obs, actor);
    case 'paused':
      return pausedTick(state, obs, actor);
    case 'promoting':
      return promotionTick(state, obs, actor);
    case 'promoted':
    case 'rolled-back':
    case 'aborted':
    case 'superseded':
      return finishedTick(state, obs, actor);
    case 'rolling-back':
      // only reachable with `pending`; a hand-edited document without it is finished the same way
      return finishPending({ ...state, pending: { kind: 'weight', cause: 'rollback', since: obs.now } }, obs, actor);
  }
}

/**
 * Re-applies the recorded weight when the router drifted (someone edited the Ingress, a restore, ...). Its own
 * plan, marked `continue`, so the shell re-observes and decides again on a cluster that matches the state.
 */
function driftPlan(state: RolloutState, obs: TickObservations, actor: Actor): Plan | null {
  if (obs.clusterWeight === state.weight) return null;
  const found = obs.clusterWeight === null ? 'no weight' : `${obs.clusterWeight}%`;
  const reason = `the router had ${found}; re-applied ${state.weight}%`;
  const next = withEvent(state, obs.now, actor, 'weight-reapplied', reason);
  return plan('hold', reason, next, [{ type: 'writeState', state: next, purpose: 'record' }, { type: 'setWeight', weight: state.weight }], {
    notices: [{ severity: 'warning', message: `Traffic drifted: ${reason}.` }],
    continue: true,
  });
}

function pausedTick(state: RolloutState, obs: TickObservations, actor: Actor): Plan {
  const unhealthy = state.weight > 0 ? unhealthyReason(obs.canaryHealth, state.config) : null;
  if (unhealthy) return rollbackPlan(state, obs, actor, `${unhealthy} (while paused at ${state.weight}%)`, 'rollback');
  const drift = driftPlan(state, obs, actor);
  if (drift) return drift;
  return noop(state, `paused at ${state.weight}% since ${state.pausedAt ?? state.updatedAt}; run resume to continue`);
}

/** Canary pods that run the rollout's version and are available (old-template pods do not count). */
export function readyCanaryPods(state: RolloutState, health: DeploymentHealth): number {
  if (!health.exists || !health.observedCurrent || health.version !== state.canaryVersion) return 0;
  return Math.min(health.available, health.updated);
}

function progressTick(state: RolloutState, obs: TickObservations, actor: Actor): Plan {
  const { config } = state;
  const stepWeight = state.steps[state.currentStep];
  const entered = state.weight === stepWeight && state.stepStartedAt !== undefined;
  const unhealthy = unhealthyReason(obs.canaryHealth, config);
  const canaryPods = readyCanaryPods(state, obs.canaryHealth);
  if (unhealthy && (entered || state.weight > 0 || obs.canaryHealth.exists)) return rollbackPlan(state, obs, actor, unhealthy, 'rollback');

  if (!entered) {
    // (re)create the canary first: after a crash it may be missing or still on another version's template
    const ensure: Effect = { type: 'ensureCanary', version: state.canaryVersion, canary: state.canary, replicas: usesPodsAsWeight(state.router) ? 0 : canaryReplicasFor(obs.stableHealth.desired, stepWeight) };
    if (!usesPodsAsWeight(state.router) && canaryPods < 1) {
      return plan('hold', `waiting for ${state.canaryVersion} canary pods before sending ${stepWeight}% (${canaryPods} of ${obs.canaryHealth.desired} ready)`, state, [ensure]);
    }
    const { confirmed, effects } = changeWeight(state, stepWeight, state.currentStep === 0 ? 'start' : 'advance', obs, actor, obs.now, { type: 'advanced', reason: `entering step ${state.currentStep + 1}/${state.steps.length}: ${stepWeight}%` });
    return plan('advance', `sent ${stepWeight}% to ${state.canaryVersion} (step ${state.currentStep + 1}/${state.steps.length})`, confirmed, [ensure, ...effects]);
  }

  const drift = driftPlan(state, obs, actor);
  if (drift) return drift;

  if (canaryPods < 1) {
    if (obs.canaryHealth.exists && !obs.canaryHealth.observedCurrent) {
      // the Deployment controller has not looked at the canary's latest spec yet: nothing to judge
      return plan('hold', 'waiting for the Deployment controller to report on the canary', state, []);
    }
    if (!usesPodsAsWeight(state.router)) {
      return rollbackPlan(state, obs, actor, `the canary has no available pods while routed ${state.weight}% of traffic`, 'rollback');
    }
    return plan('hold', `waiting for canary pods to become available (0 of ${obs.canaryHealth.desired})`, state, []);
  }

  const bakedMs = ms(obs.now) - ms(state.stepStartedAt!);
  if (bakedMs < config.stepDurationMs) {
    return plan('hold', `baking step ${state.currentStep + 1}/${state.steps.length} at ${state.weight}%: ${formatDuration(config.stepDurationMs - bakedMs)} left`, state, []);
  }

  if (config.metricsConfig === undefined) {
    return advance(state, obs, actor, `baked ${formatDuration(bakedMs)} with healthy canary pods (no metrics configured)`);
  }

  const planned = checksPlanned(state);
  if (state.stepChecksRun >= config.checksPerStep || state.checksRun >= planned) {
    return plan('hold', `step ${state.currentStep + 1} used its ${config.checksPerStep} planned checks without a conclusion; promote, set-weight or abort`, state, [], {
      notices: [{ severity: 'warning', message: `The analysis of ${state.canaryVersion} stayed inconclusive through every planned check of step ${state.currentStep + 1}; decide by hand (promote, set-weight or abort).` }],
    });
  }

  if (obs.analysis === undefined) {
    return plan('hold', 'analysis needed', state, [], {
      analysisRequest: { checkIndex: state.checksRun + 1, checksPlanned: planned, start: state.stepStartedAt!, end: obs.now, weight: state.weight },
    });
  }

  if (obs.analysis === 'no-data') {
    return plan('hold', 'no data for the analysis yet; holding (missing data never passes or fails a step)', state, [], {
      notices: [{ severity: 'warning', message: `No metric data for ${state.canaryVersion} at ${state.weight}%: holding.` }],
    });
  }

  const intendedShare = usesPodsAsWeight(state.router)
    ? canaryPods / Math.max(1, canaryPods + obs.stableHealth.available)
    : state.weight / 100;
  const ratio = obs.sampleRatio ? sampleRatioCheck(obs.sampleRatio.canaryCount, obs.sampleRatio.stableCount, intendedShare) : null;
  if (ratio?.mismatch) {
    const message = `Sample-ratio mismatch: the canary got ${(ratio.observedShare * 100).toFixed(2)}% of requests, expected ${ratio.intendedWeight.toFixed(2)}% (chi-square ${ratio.chiSquare.toFixed(1)}, ${ratio.pValue < 1e-16 ? 'p < 1e-16' : `p = ${ratio.pValue.toExponential(2)}`}); holding: the comparison would be biased.`;
    return plan('hold', message, state, [], { notices: [{ severity: 'warning', message }] });
  }

  const analysis: AnalysisOutcome = obs.analysis;
  const min = config.minSamples;
  if (analysis.samples.canary < min || analysis.samples.stable < min) {
    return plan('hold', `not enough samples yet (canary ${analysis.samples.canary}, stable ${analysis.samples.stable}; min-samples ${min})`, state, []);
  }

  const record: AnalysisRecord = {
    at: obs.now,
    step: state.currentStep,
    weight: state.weight,
    checkIndex: state.checksRun + 1,
    checksPlanned: planned,
    verdict: analysis.verdict,
    reason: analysis.reason,
    samples: analysis.samples,
    metrics: analysis.metrics,
    ...(ratio ? { sampleRatio: ratio } : {}),
  };
  const counted: RolloutState = { ...state, checksRun: state.checksRun + 1, stepChecksRun: state.stepChecksRun + 1, analysis: [...state.analysis, record].slice(-MAX_ANALYSES) };

  if (analysis.verdict === 'regressed') {
    return rollbackPlan(counted, obs, actor, `analysis check ${record.checkIndex}/${planned} at ${state.weight}%: ${analysis.reason}`, 'rollback');
  }
  if (analysis.verdict === 'inconclusive') {
    const next = withEvent(counted, obs.now, actor, 'held', `check ${record.checkIndex}/${planned} inconclusive: ${analysis.reason}`);
    return plan('hold', `analysis inconclusive (check ${record.checkIndex}/${planned}): ${analysis.reason}`, next, [{ type: 'writeState', state: next, purpose: 'record' }], {
      notices: [{ severity: 'warning', message: `Holding ${state.canaryVersion} at ${state.weight}%: ${analysis.reason}` }],
    });
  }
  const passed = withEvent(counted, obs.now, actor, 'analysis', `check ${record.checkIndex}/${planned} passed: ${analysis.reason}`);
  return advance(passed, obs, actor, `check ${record.checkIndex}/${planned} passed at ${state.weight}%`);
}

function advance(state: RolloutState, obs: TickObservations, actor: Actor, why: string): Plan {
  if (state.currentStep === state.steps.length - 1) {
    const started = beginPromotion(state, obs, actor, `completed every step: ${why}`);
    return { ...started, decision: 'complete' };
  }
  const nextStep = state.currentStep + 1;
  const weight = state.steps[nextStep];
  const { confirmed, effects } = changeWeight(state, weight, 'advance', obs, actor, obs.now, { type: 'advanced', reason: `${why}; step ${nextStep + 1}/${state.steps.length}: ${weight}%` }, { currentStep: nextStep });
  return plan('advance', `${why}; advanced to ${weight}% (step ${nextStep + 1}/${state.steps.length})`, confirmed, effects);
}

// ---------------------------------------------------------------------------------------------------------
// promotion

function beginPromotion(state: RolloutState, obs: TickObservations, actor: Actor, reason: string): Plan {
  let intent: RolloutState = { ...state, status: 'promoting', promotionPhase: 'updating-stable' };
  delete intent.pausedAt;
  intent = withEvent(intent, obs.now, actor, 'promotion-started', reason);
  const confirmed = withEvent({ ...intent, promotionPhase: 'stable-rolling' }, obs.now, actor, 'stable-updated', `${state.name} now runs ${state.canaryVersion}'s template`);
  return plan('advance', `promoting ${state.canaryVersion}: ${reason}`, confirmed, [
    { type: 'writeState', state: intent, purpose: 'intent' },
    { type: 'promoteStable', version: state.canaryVersion, canary: state.canary },
    { type: 'writeState', state: confirmed, purpose: 'confirm' },
  ], { continue: true });
}

function promotionTick(state: RolloutState, obs: TickObservations, actor: Actor): Plan {
  if (state.promotionPhase === 'updating-stable') {
    // the intent was written, the template patch may or may not have happened: do it (again) and confirm
    const confirmed = withEvent({ ...state, promotionPhase: 'stable-rolling' }, obs.now, actor, 'stable-updated', `${state.name} now runs ${state.canaryVersion}'s template`);
    return plan('advance', `updating ${state.name} to ${state.canaryVersion}`, confirmed, [
      { type: 'promoteStable', version: state.canaryVersion, canary: state.canary },
      { type: 'writeState', state: confirmed, purpose: 'confirm' },
    ], { continue: true });
  }
  const drift = driftPlan(state, obs, actor);
  if (drift) return drift;
  if (!(deploymentReady(obs.stableHealth) || (usesPodsAsWeight(state.router) && obs.stableHealth.desired === 0 && obs.stableHealth.observedCurrent))) {
    const h = obs.stableHealth;
    const notices: Notice[] = h.crashLooping ? [{ severity: 'error', message: `${state.name} pods crash-loop on ${state.canaryVersion}'s template; the rolling update keeps the old pods serving. Investigate, or roll back with emergency-rollback.` }] : [];
    return plan('hold', `waiting for ${state.name} to be available on the new template (${h.available}/${h.desired} available, ${h.updated} updated)`, state, [], { notices });
  }
  const { confirmed, effects } = changeWeight(state, 0, 'promote', obs, actor, obs.now, { type: 'promotion-started', reason: `${state.name} is available on ${state.canaryVersion}; traffic returns to it` }, { promotionPhase: 'returning' });
  return plan('complete', `promoted ${state.canaryVersion}; ${state.stableVersion} stays warm for ${formatDuration(state.config.rollbackWindowMs)}`, confirmed, effects, { continue: true });
}

function finishedTick(state: RolloutState, obs: TickObservations, actor: Actor): Plan {
  if (state.warmPrevious && ms(obs.now) >= ms(state.warmPrevious.until)) {
    let next: RolloutState = { ...state };
    delete next.warmPrevious;
    next = withEvent(next, obs.now, actor, 'warm-released', `rollback window over; ${state.warmPrevious.version} scaled down`);
    return plan('noop', `rollback window of ${state.warmPrevious.version} is over; scaled it down`, next, [
      { type: 'scaleCanary', replicas: 0 },
      { type: 'writeState', state: next, purpose: 'record' },
    ]);
  }
  const queued = startQueued(state, obs, actor);
  if (queued) return queued;
  return noop(state, `nothing to do: ${state.canaryVersion} ${state.status}`);
}

/** Starts the first queued rollout once the active one has ended (queued with on-conflict: queue). */
export function startQueued(state: RolloutState, obs: Pick<TickObservations, 'now' | 'stableHealth'>, actor: Actor): Plan | null {
  const queued = nextQueued(state);
  if (!queued) return null;
  const rest: RolloutState = { ...state, queue: state.queue.slice(1) };
  if (queued.version === state.stableVersion) {
    const next = withEvent(rest, obs.now, actor, 'dequeued', `dropped queued ${queued.version}: it is already stable`);
    return plan('noop', next.events[next.events.length - 1].reason, next, [{ type: 'writeState', state: next, purpose: 'record' }], { continue: true });
  }
  const request: StartRequest = {
    name: state.name,
    namespace: state.namespace,
    version: queued.version,
    stableVersion: state.stableVersion,
    canary: queued.canary,
    router: state.router,
    steps: queued.steps,
    config: queued.config,
    onConflict: 'fail',
    stableReplicas: obs.stableHealth.desired,
  };
  return start(request, rest, { actor: queued.requestedBy, reason: `dequeued: ${queued.reason}`, runUrl: actor.runUrl }, obs.now);
}

/** The queued rollout to start now (the active one has ended), or null. */
export function nextQueued(state: RolloutState): RolloutState['queue'][number] | null {
  return !isActive(state.status) && !state.pending && state.queue.length > 0 ? state.queue[0] : null;
}

// ---------------------------------------------------------------------------------------------------------
// manual commands

function requireSettled(state: RolloutState, command: string): void {
  if (state.pending) throw new RolloutCommandError(`Cannot ${command}: a change to ${state.weight}% is not confirmed yet; it is finished first by progress.`);
}

function requireStatus(state: RolloutState, command: string, allowed: RolloutState['status'][]): void {
  if (!allowed.includes(state.status)) {
    throw new RolloutCommandError(`Cannot ${command} the rollout of ${state.canaryVersion}: it is ${state.status} (${command} needs ${allowed.join(' or ')}).`);
  }
}

/** Manual override of the weight (the seed's update_traffic_percentage); the weight becomes a step. */
export function setWeight(state: RolloutState, weight: number, obs: TickObservations, actor: Actor): Plan {
  requireSettled(state, 'set the weight');
  requireStatus(state, 'set the weight of', ['progressing', 'paused']);
  if (!(weight >= 0 && weight <= 100)) throw new RolloutCommandError(`Weight ${weight} is outside 0..100.`);
  if (weight > 0 && !usesPodsAsWeight(state.router) && readyCanaryPods(state, obs.canaryHealth) < 1) {
    throw new RolloutCommandError(`The canary ${state.name}-canary has no available pods of ${state.canaryVersion}; sending it ${weight}% would drop that traffic. Wait for its pods or abort.`);
  }
  const reason = actor.reason ?? `manual weight ${weight}%`;
  if (weight === state.weight) {
    return noop(state, `the weight is already ${weight}%`);
  }
  const schedule = weight > 0 ? withManualStep(state.steps, weight) : { steps: state.steps, index: state.currentStep };
  const status = weight === 0 ? 'paused' : state.status;
  const changes: Partial<RolloutState> = { steps: schedule.steps, currentStep: schedule.index, status, stepChecksRun: 0 };
  if (status === 'paused') changes.pausedAt = state.pausedAt ?? obs.now;
  const { confirmed, effects } = changeWeight(state, weight, 'manual', obs, actor, obs.now, { type: 'manual-weight', reason }, changes);
  return plan('advance', `weight set to ${weight}% by ${actor.actor}${weight === 0 ? ' (paused)' : ''}`, confirmed, effects);
}

export function pause(state: RolloutState, actor: Actor, now: string): Plan {
  requireStatus(state, 'pause', ['progressing', 'paused']);
  if (state.status === 'paused') return noop(state, `already paused since ${state.pausedAt}`);
  const next = withEvent({ ...state, status: 'paused', pausedAt: now }, now, actor, 'paused', actor.reason ?? 'paused by hand');
  return plan('hold', `paused at ${state.weight}%`, next, [{ type: 'writeState', state: next, purpose: 'record' }]);
}

export function resume(state: RolloutState, actor: Actor, now: string): Plan {
  requireStatus(state, 'resume', ['paused', 'progressing']);
  if (state.status === 'progressing') return noop(state, 'not paused');
  let next: RolloutState = { ...state, status: 'progressing' };
  delete next.pausedAt;
  next = withEvent(next, now, actor, 'resumed', actor.reason ?? 'resumed by hand');
  return plan('advance', `resumed at ${state.weight}%`, next, [{ type: 'writeState', state: next, purpose: 'record' }], { continue: true });
}

/** Traffic back to stable at once, canary scaled down. */
export function abort(state: RolloutState, obs: TickObservations, actor: Actor): Plan {
  requireSettled(state, 'abort');
  requireStatus(state, 'abort', ['progressing', 'paused']);
  return rollbackPlan(state, obs, actor, actor.reason ?? `aborted by ${actor.actor}`, 'abort');
}

/** Manual full promotion (the seed's force_complete_rollout). */
export function promote(state: RolloutState, obs: TickObservations, actor: Actor): Plan {
  requireSettled(state, 'promote');
  requireStatus(state, 'promote', ['progressing', 'paused']);
  if (state.weight > 0 && !usesPodsAsWeight(state.router) && readyCanaryPods(state, obs.canaryHealth) < 1) {
    // promotion keeps the canary's share while stable rolls; it must have pods to carry it
    throw new RolloutCommandError(`The canary has no available pods; abort instead of promoting.`);
  }
  return beginPromotion(state, obs, actor, actor.reason ?? `promoted by ${actor.actor}`);
}
