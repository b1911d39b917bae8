// Property: whatever the sequence of commands and ticks, and wherever the process dies between two writes,
// the state stays valid, the cluster weight is the state's weight or its previous one, traffic never goes to
// a track with no pods, and once crashes stop a rollback always completes.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Crash, at, execute, inconclusive, modelCluster, observe, passed, regressed, startRequest, type ModelCluster } from './fixtures.ts';
import { abort, decideTick, pause, promote, resume, RolloutCommandError, setWeight, start } from './machine.ts';
import { parseState, serializeState } from './state.ts';
import { isActive, type AnalysisOutcome, type Plan, type RolloutState, type RouterKind } from './types.ts';

type Step =
  | { kind: 'tick'; analysis: 'passed' | 'regressed' | 'inconclusive' | 'no-data'; minutes: number }
  | { kind: 'set-weight'; weight: number }
  | { kind: 'abort' | 'promote' | 'pause' | 'resume' | 'drift' | 'start' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('tick' as const), analysis: fc.constantFrom('passed' as const, 'regressed' as const, 'inconclusive' as const, 'no-data' as const), minutes: fc.integer({ min: 0, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set-weight' as const), weight: fc.integer({ min: 0, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('abort' as const, 'promote' as const, 'pause' as const, 'resume' as const, 'drift' as const, 'start' as const) }) },
);

const outcome = (name: Exclude<Extract<Step, { kind: 'tick' }>['analysis'], 'no-data'>): AnalysisOutcome =>
  name === 'passed' ? passed() : name === 'regressed' ? regressed() : inconclusive();

function planFor(cluster: ModelCluster, step: Step, now: string, versionCounter: { n: number }): Plan[] {
  const state = cluster.state;
  const obs = observe(cluster, now);
  const actor = { actor: 'prop' };
  if (state === null || step.kind === 'start') {
    versionCounter.n++;
    const version = `v${versionCounter.n}`;
    return [start(startRequest({ version, stableVersion: state?.stableVersion ?? '1.0.0', onConflict: 'supersede', router: cluster.state?.router ?? startRequest().router }), state, actor, now)];
  }
  switch (step.kind) {
    case 'tick': {
      const plans: Plan[] = [];
      let plan = decideTick(state, obs);
      if (plan.analysisRequest) plan = decideTick(state, { ...obs, analysis: step.analysis === 'no-data' ? 'no-data' : outcome(step.analysis) });
      plans.push(plan);
      return plans;
    }
    case 'set-weight':
      return [setWeight(state, step.weight, obs, actor)];
    case 'abort':
      return [abort(state, obs, actor)];
    case 'promote':
      return [promote(state, obs, actor)];
    case 'pause':
      return [pause(state, actor, now)];
    case 'resume':
      return [resume(state, actor, now)];
    case 'drift':
      // finished rollouts leave the router to its owners; drift is reconciled only while a rollout is active
      if (!isActive(state.status)) return [];
      cluster.weight = (cluster.weight + 37) % 101;
      cluster.weights.push(cluster.weight);
      return [];
  }
}

function checkInvariants(cluster: ModelCluster, drifted: boolean): void {
  const state = cluster.state;
  if (!state) return;
  expect(parseState(serializeState(state))).toEqual(state);
  if (!drifted) expect([state.weight, state.previousWeight]).toContain(cluster.weight);
  if (!drifted && state.router.kind !== 'replicas' && cluster.weight > 0) expect(cluster.canaryReplicas).toBeGreaterThan(0);
}

const runScenario = (router: RouterKind) => (steps: Step[], crashes: (number | null)[]) => {
  const cluster = modelCluster();
  cluster.state = null;
  const versions = { n: 1 };
  let minute = 0;
  let drifted = false;
  steps.forEach((step, i) => {
    if (step.kind === 'tick') minute += step.minutes;
    const now = at(minute);
    let plans: Plan[];
    try {
      plans = planFor(cluster, step, now, versions);
      if (cluster.state === null) plans = plans.map((p) => ({ ...p, nextState: { ...p.nextState, router: { kind: router } } }));
    } catch (error) {
      if (error instanceof RolloutCommandError) return;
      throw error;
    }
    if (step.kind === 'drift' && cluster.state && isActive(cluster.state.status)) drifted = true;
    for (const plan of plans) {
      const fixed = cluster.state === null ? withRouter(plan, router) : plan;
      const weightsBefore = cluster.weights.length;
      try {
        execute(cluster, fixed, cluster.state, { writes: crashes[i % crashes.length] ?? Infinity });
      } catch (error) {
        if (!(error instanceof Crash)) throw error;
      }
      // our own weight write replaces whatever an outsider put there
      if (cluster.weights.length > weightsBefore) drifted = false;
    }
    checkInvariants(cluster, drifted);
  });
  // faults stop: a few clean ticks settle any unconfirmed change, and a rollback always completes
  for (let round = 0; round < 8 && cluster.state; round++) {
    minute += 1;
    const plan = decideTick(cluster.state, observe(cluster, at(minute)));
    execute(cluster, plan, cluster.state);
    checkInvariants(cluster, false);
    if (!plan.continue) break;
  }
  const settled = cluster.state as RolloutState | null;
  if (settled) {
    expect(settled.pending).toBeUndefined();
    expect(settled.status).not.toBe('rolling-back');
    expect(cluster.weight).toBe(settled.weight);
    if (['rolled-back', 'aborted'].includes(settled.status)) {
      expect(cluster.weight).toBe(0);
      expect(cluster.canaryReplicas).toBe(0);
    }
  }
};

function withRouter(plan: Plan, router: RouterKind): Plan {
  const patch = <T extends { router: { kind: RouterKind } }>(s: T): T => ({ ...s, router: { kind: router } });
  return { ...plan, nextState: patch(plan.nextState), effects: plan.effects.map((e) => (e.type === 'writeState' ? { ...e, state: patch(e.state) } : e)) };
}

describe('crash safety (property)', () => {
  for (const router of ['nginx', 'replicas'] as const) {
    it(`holds the invariants under random commands and crashes (${router} router)`, () => {
      fc.assert(
        fc.property(fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }), fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), { minLength: 1, maxLength: 8 }), runScenario(router)),
        { numRuns: 300, seed: 4242 },
      );
    });
  }
});
