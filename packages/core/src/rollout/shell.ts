// The thin I/O shell around the state machine: read the state, observe the cluster, ask the machine for a plan,
// execute its effects in order, repeat while the plan says more can be done now. The cluster is behind the
// `RolloutCluster` port (Kubernetes in the action, a model in tests), so this loop is the same everywhere.
import { decideTick, RolloutCommandError } from './machine.ts';
import type { AnalysisOutcome, AnalysisRequest, CanarySpec, Effect, Notice, Plan, RolloutState, RouterSpec, TickObservations } from './types.ts';

/** A state as read from the store, with the token for the next compare-and-swap. */
export interface StoredRollout {
  state: RolloutState;
  resourceVersion: string;
}

export interface AnalysisResult {
  analysis: AnalysisOutcome | 'no-data';
  sampleRatio?: { canaryCount: number; stableCount: number };
  /** Extra markdown for the summary (the regression-check table of this look). */
  summary?: string;
}

export interface StableInfo {
  replicas: number;
  /** The version the stable Deployment runs, when it can be told (label, annotation or image tag). */
  version?: string;
}

/** Everything the shell needs from the outside world. Writes must be idempotent. */
export interface RolloutCluster {
  readState(): Promise<StoredRollout | undefined>;
  /** Creates the state; throws a conflict (isConflict) when it exists already. */
  createState(state: RolloutState): Promise<StoredRollout>;
  /** Compare-and-swap; throws a conflict (isConflict) when the state changed since `current` was read. */
  swapState(current: StoredRollout, next: RolloutState): Promise<StoredRollout>;
  observe(state: RolloutState): Promise<Omit<TickObservations, 'now' | 'analysis' | 'sampleRatio'>>;
  /** Applies one cluster effect (anything but writeState); returns notices worth showing (e.g. coarse replicas). */
  apply(effect: Exclude<Effect, { type: 'writeState' }>, state: RolloutState): Promise<Notice[]>;
  analyse(state: RolloutState, request: AnalysisRequest): Promise<AnalysisResult>;
  /**
   * Checks, without writing, that a rollout can start: the stable Deployment, the container, the Services and
   * router objects exist. Returns the stable size and version; throws an error that names the input to fix.
   */
  preflight(router: RouterSpec, canary: CanarySpec): Promise<StableInfo>;
  isConflict(error: unknown): boolean;
  now(): string;
}

export interface ShellHooks {
  /** Called after every write (state or cluster); tests throw here to kill the run between two writes. */
  afterWrite?: (count: number) => void;
}

export interface ShellOutcome {
  state: RolloutState | undefined;
  /** The decision that mattered most in this run (rollback > complete > advance > hold > noop). */
  decision: Plan['decision'];
  reason: string;
  plans: Plan[];
  notices: Notice[];
  analysisSummaries: string[];
  /** Set when another run changed the state first and this run stopped (nothing of this run was half-applied). */
  conflict?: string;
  writes: number;
  queued?: boolean;
}

const DECISION_RANK: Record<Plan['decision'], number> = { noop: 0, hold: 1, advance: 2, complete: 3, rollback: 4 };

/** How many decide-execute rounds one run makes at most (a start can create, enter, and so on). */
export const MAX_ROUNDS = 6;

export class RolloutShell {
  private readonly cluster: RolloutCluster;
  private readonly hooks: ShellHooks;
  private writes = 0;

  constructor(cluster: RolloutCluster, hooks: ShellHooks = {}) {
    this.cluster = cluster;
    this.hooks = hooks;
  }

  /** Executes the effects of one plan in order; returns the stored state after the last write. */
  async execute(plan: Plan, stored: StoredRollout | undefined): Promise<{ stored: StoredRollout | undefined; notices: Notice[] }> {
    let current = stored;
    const notices: Notice[] = [];
    for (const effect of plan.effects) {
      if (effect.type === 'writeState') {
        current = current ? await this.cluster.swapState(current, effect.state) : await this.cluster.createState(effect.state);
      } else {
        notices.push(...(await this.cluster.apply(effect, plan.nextState)));
      }
      this.writes++;
      this.hooks.afterWrite?.(this.writes);
    }
    return { stored: current, notices };
  }

  /**
   * Runs a command's first plan (from `first`, given the stored state and fresh observations), then ticks while
   * plans say more can be done now. A conflict on a state write ends the run quietly: another run got there first.
   */
  async run(first?: (stored: StoredRollout | undefined, observations: TickObservations) => Plan, options: { tick?: boolean } = {}): Promise<ShellOutcome> {
    const outcome: ShellOutcome = { state: undefined, decision: 'noop', reason: '', plans: [], notices: [], analysisSummaries: [], writes: 0 };
    let stored = await this.cluster.readState();
    outcome.state = stored?.state;
    let pendingFirst = first;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let plan: Plan;
      if (pendingFirst) {
        // a change left unconfirmed by a crashed run is finished before any new command
        if (stored?.state.pending) {
          plan = decideTick(stored.state, await this.observations(stored.state));
        } else {
          const observations = stored ? await this.observations(stored.state) : ({ now: this.cluster.now() } as TickObservations);
          plan = pendingFirst(stored, observations);
          pendingFirst = undefined;
        }
      } else {
        if (!stored || options.tick === false) break;
        plan = await this.decideWithAnalysis(stored.state, outcome);
      }
      outcome.plans.push(plan);
      outcome.notices.push(...plan.notices);
      if (plan.queued) outcome.queued = true;
      if (DECISION_RANK[plan.decision] >= DECISION_RANK[outcome.decision] || outcome.reason === '') {
        outcome.decision = plan.decision;
        outcome.reason = plan.reason;
      }
      try {
        const executed = await this.execute(plan, stored);
        stored = executed.stored;
        outcome.notices.push(...executed.notices);
      } catch (error) {
        if (!this.cluster.isConflict(error)) throw error;
        outcome.conflict = 'another run changed this rollout first; this run stopped before applying anything further';
        stored = await this.cluster.readState();
        if (outcome.plans.length === 1) outcome.decision = 'noop';
        outcome.reason = outcome.conflict;
        break;
      }
      outcome.state = stored?.state ?? plan.nextState;
      if (!plan.continue && !pendingFirst) break;
    }
    outcome.state = stored?.state ?? outcome.state;
    outcome.writes = this.writes;
    return outcome;
  }

  private async observations(state: RolloutState): Promise<TickObservations> {
    const observed = await this.cluster.observe(state);
    return { ...observed, now: this.cluster.now() };
  }

  private async decideWithAnalysis(state: RolloutState, outcome: ShellOutcome): Promise<Plan> {
    const observations = await this.observations(state);
    const plan = decideTick(state, observations);
    if (!plan.analysisRequest) return plan;
    const result = await this.cluster.analyse(state, plan.analysisRequest);
    if (result.summary) outcome.analysisSummaries.push(result.summary);
    return decideTick(state, { ...observations, analysis: result.analysis, sampleRatio: result.sampleRatio });
  }
}

/** Commands that need an existing rollout say so plainly. */
export function requireRollout(stored: StoredRollout | undefined, name: string, namespace: string): StoredRollout {
  if (!stored) throw new RolloutCommandError(`No rollout named '${name}' in namespace '${namespace}' (ConfigMap ${name}-rollout not found). Start one with command: start.`);
  return stored;
}
