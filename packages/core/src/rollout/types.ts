// The rollout's shapes: the state document kept in the ConfigMap `<name>-rollout`, what a tick observes, and
// the plan of effects the shell executes. All plain data, so every rule is testable without a cluster.

export const STATE_SCHEMA_VERSION = 1;

export const ROUTER_KINDS = ['replicas', 'nginx', 'gateway-api', 'istio', 'configmap'] as const;
export type RouterKind = (typeof ROUTER_KINDS)[number];

export const CONFLICT_POLICIES = ['fail', 'queue', 'supersede'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/**
 * - progressing: the canary takes the weight of the current step; ticks bake, analyse and advance.
 * - paused: nothing moves until `resume` (the weight stays where it is).
 * - promoting: the stable Deployment takes the new template, then traffic returns to it (see PromotionPhase).
 * - promoted: done; the previous version may still be warm until `warmPrevious.until`.
 * - rolling-back: traffic is going back to stable and the canary is scaling down.
 * - rolled-back / aborted: done, stable kept its version (rolled back by analysis/health, aborted by a person).
 * - superseded: replaced by a newer rollout before it finished (kept only in `history`).
 */
export const ROLLOUT_STATUSES = [
  'progressing',
  'paused',
  'promoting',
  'promoted',
  'rolling-back',
  'rolled-back',
  'aborted',
  'superseded',
] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export const ACTIVE_STATUSES: readonly RolloutStatus[] = ['progressing', 'paused', 'promoting', 'rolling-back'];
export const isActive = (status: RolloutStatus): boolean => ACTIVE_STATUSES.includes(status);

/**
 * Promotion runs in phases, each confirmed in the state before the next begins, so a crash anywhere resumes:
 * - updating-stable: the stable Deployment is taking the new template (a rolling update under its share of
 *   traffic; the canary keeps its weight meanwhile);
 * - stable-rolling: waiting for the stable Deployment to be available on the new template;
 * - returning: traffic goes back to stable (weight 0) and the canary takes the previous template to stay warm.
 */
export const PROMOTION_PHASES = ['updating-stable', 'stable-rolling', 'returning'] as const;
export type PromotionPhase = (typeof PROMOTION_PHASES)[number];

/** What makes the canary differ from stable; applied to a copy of the stable pod template. */
export interface CanarySpec {
  image?: string;
  /** The container `image` and `env` apply to; the first container when absent. */
  container?: string;
  env?: Record<string, string>;
  /** The ConfigMap holding this version's prompt bundle (content-hash named). */
  promptConfigMap?: string;
}

export interface RouterSpec {
  kind: RouterKind;
  service?: string;
  ingress?: string;
  httproute?: string;
  virtualservice?: string;
}

export interface RolloutConfig {
  stepDurationMs: number;
  minSamples: number;
  rollbackWindowMs: number;
  /** Analyses allowed per step; the rollout's whole family of checks is `steps × checksPerStep`. */
  checksPerStep: number;
  /** The regression-check config (YAML/JSON text) used for analysis, kept so every runner analyses alike. */
  metricsConfig?: string;
  prometheusUrl?: string;
  /** Restarts of canary containers above which the canary counts as unhealthy. */
  maxRestarts: number;
}

export interface MetricRow {
  name: string;
  verdict: 'pass' | 'regressed' | 'inconclusive' | 'no-data';
  severity?: string;
  stableMedian?: number | null;
  canaryMedian?: number | null;
  relativeChange?: number | null;
  pValue?: number | null;
  samples?: { stable: number; canary: number };
  critical?: boolean;
}

/**
 * What one analysis concluded. `regressed` means a critical metric regressed (roll back); `passed` means no
 * metric regressed at this look with enough data; `inconclusive` means neither could be said (hold).
 */
export interface AnalysisOutcome {
  verdict: 'passed' | 'regressed' | 'inconclusive';
  reason: string;
  samples: { stable: number; canary: number };
  metrics: MetricRow[];
}

export interface AnalysisRecord {
  at: string;
  step: number;
  weight: number;
  checkIndex: number;
  checksPlanned: number;
  verdict: AnalysisOutcome['verdict'] | 'no-data';
  reason: string;
  samples?: { stable: number; canary: number };
  metrics: MetricRow[];
  sampleRatio?: SampleRatioResult;
}

export interface SampleRatioResult {
  canaryCount: number;
  stableCount: number;
  intendedWeight: number;
  observedShare: number;
  chiSquare: number;
  pValue: number;
  mismatch: boolean;
}

export type EventType =
  | 'started'
  | 'queued'
  | 'dequeued'
  | 'superseded'
  | 'weight-applied'
  | 'weight-reapplied'
  | 'advanced'
  | 'held'
  | 'paused'
  | 'resumed'
  | 'manual-weight'
  | 'promotion-started'
  | 'stable-updated'
  | 'promoted'
  | 'warm-released'
  | 'rollback-started'
  | 'rolled-back'
  | 'aborted'
  | 'analysis';

export interface RolloutEvent {
  at: string;
  type: EventType;
  actor: string;
  reason: string;
  weight?: number;
  step?: number;
  runUrl?: string;
}

/**
 * A change the shell has been asked to make and has not yet confirmed. It is written to the state BEFORE any
 * cluster write (intent), and cleared by the write AFTER (confirm), so the cluster weight is always the
 * state's `weight` or its `previousWeight`.
 */
export interface PendingChange {
  kind: 'weight';
  /** Why: start, advance, manual, rollback, abort, promote (promotion full traffic / return), supersede. */
  cause: 'start' | 'advance' | 'manual' | 'rollback' | 'abort' | 'promote' | 'supersede' | 'resume';
  since: string;
}

export interface QueuedRollout {
  version: string;
  canary: CanarySpec;
  steps: number[];
  config: RolloutConfig;
  requestedBy: string;
  requestedAt: string;
  reason: string;
}

export interface HistoryEntry {
  id: string;
  canaryVersion: string;
  stableVersion: string;
  status: RolloutStatus;
  startedAt: string;
  endedAt: string;
}

export interface WarmPrevious {
  version: string;
  /** The Deployment that runs it with no traffic (the canary Deployment, re-templated). */
  deployment: string;
  until: string;
}

export interface RolloutState {
  schemaVersion: number;
  id: string;
  name: string;
  namespace: string;
  status: RolloutStatus;
  stableVersion: string;
  canaryVersion: string;
  canary: CanarySpec;
  router: RouterSpec;
  /** Weights in percent, strictly increasing, the last one 100. */
  steps: number[];
  /** Index into `steps` of the step being baked (or reached). */
  currentStep: number;
  /** The canary weight the cluster must have (or is being moved to, when `pending` is set). */
  weight: number;
  /** The weight before the last change; while `pending` is set the cluster may still have it. */
  previousWeight: number;
  pending?: PendingChange;
  /** When the current step's weight was confirmed in the cluster: the bake clock starts here. */
  stepStartedAt?: string;
  /** Analyses run so far in the whole rollout (the next check's index is this + 1). */
  checksRun: number;
  /** Analyses run in the current step. */
  stepChecksRun: number;
  promotionPhase?: PromotionPhase;
  config: RolloutConfig;
  analysis: AnalysisRecord[];
  events: RolloutEvent[];
  /** Most recent first. */
  lastStableVersions: string[];
  warmPrevious?: WarmPrevious;
  queue: QueuedRollout[];
  history: HistoryEntry[];
  pausedAt?: string;
  startedAt: string;
  updatedAt: string;
}

/** Who asks for a change; recorded in every event. */
export interface Actor {
  actor: string;
  reason?: string;
  runUrl?: string;
}

export interface DeploymentHealth {
  exists: boolean;
  /** The version label of its pod template (the canary must run the rollout's version to count). */
  version?: string;
  /** spec.replicas */
  desired: number;
  available: number;
  updated: number;
  /** status.observedGeneration >= metadata.generation: the status describes the current template. */
  observedCurrent: boolean;
  restarts: number;
  crashLooping: boolean;
}

export interface TickObservations {
  now: string;
  canaryHealth: DeploymentHealth;
  stableHealth: DeploymentHealth;
  /** The weight the router reports, or null when it cannot be read (missing object). */
  clusterWeight: number | null;
  /** Present when the shell ran the analysis the plan asked for. */
  analysis?: AnalysisOutcome | 'no-data';
  sampleRatio?: { canaryCount: number; stableCount: number };
}

/** What the shell must execute, in order. Every effect is idempotent: re-running it converges. */
export type Effect =
  /** Compare-and-swap the state document; a conflict stops the plan (another run got there first). */
  | { type: 'writeState'; state: RolloutState; purpose: 'intent' | 'confirm' | 'record' }
  /** Create or update `<name>-canary` from the stable template with the canary spec; at least `replicas`. */
  | { type: 'ensureCanary'; version: string; canary: CanarySpec; replicas: number }
  | { type: 'scaleCanary'; replicas: number }
  /** Route `weight` percent to the canary through the configured router. */
  | { type: 'setWeight'; weight: number }
  /** The stable Deployment takes the canary's version (template), stable labels kept. */
  | { type: 'promoteStable'; version: string; canary: CanarySpec }
  /** The canary Deployment takes the previous stable template and stays up with no traffic. */
  | { type: 'warmPrevious'; version: string };

export interface Notice {
  severity: 'warning' | 'error' | 'notice';
  message: string;
}

export type Decision = 'advance' | 'hold' | 'rollback' | 'complete' | 'noop';

export interface Plan {
  decision: Decision;
  reason: string;
  nextState: RolloutState;
  effects: Effect[];
  /** True when more can be done right away (the shell may observe again and decide once more). */
  continue: boolean;
  /** Set when the plan wants an analysis run first (the shell runs it and calls decideTick again). */
  analysisRequest?: AnalysisRequest;
  /** Annotations for the job: holds that need attention, mismatches, rollbacks. */
  notices: Notice[];
  /** Set when `start` queued the new version behind a running rollout. */
  queued?: boolean;
}

export interface AnalysisRequest {
  checkIndex: number;
  checksPlanned: number;
  /** The data window: from the step's start to now (a late tick sees all of it). */
  start: string;
  end: string;
  weight: number;
}
