import { describe, expect, it } from '@jest/globals';
import { InputError } from '../action/inputs.ts';
import {
  at,
  baseConfig,
  execute,
  health,
  inconclusive,
  modelCluster,
  observe,
  passed,
  regressed,
  startOn,
  startRequest,
  T0,
  type ModelCluster,
} from './fixtures.ts';
import { abort, checksPlanned, decideTick, pause, promote, resume, RolloutCommandError, setWeight, start } from './machine.ts';
import { parseState, serializeState } from './state.ts';
import { canaryReplicasFor, parseSteps, scheduleSteps } from './steps.ts';
import type { AnalysisOutcome, Plan, RolloutState, TickObservations } from './types.ts';

const tick = (cluster: ModelCluster, now: string, extra: Partial<TickObservations> = {}): Plan => {
  const state = cluster.state!;
  const plan = decideTick(state, observe(cluster, now, extra));
  execute(cluster, plan, state);
  return plan;
};

/** Ticks like the shell: runs the analysis the plan asks for, then continues while the plan says so. */
const fullTick = (cluster: ModelCluster, now: string, analysis: AnalysisOutcome | 'no-data' = passed(), extra: Partial<TickObservations> = {}): Plan[] => {
  const plans: Plan[] = [];
  for (let round = 0; round < 6; round++) {
    let plan = decideTick(cluster.state!, observe(cluster, now, extra));
    if (plan.analysisRequest) plan = decideTick(cluster.state!, observe(cluster, now, { ...extra, analysis }));
    execute(cluster, plan, cluster.state);
    plans.push(plan);
    if (!plan.continue) break;
  }
  return plans;
};

const last = <T>(items: T[]): T => items[items.length - 1];

describe('steps', () => {
  it('parses increasing percentages and refuses the rest naming the input', () => {
    expect(parseSteps('10,25,50,100')).toEqual([10, 25, 50, 100]);
    expect(parseSteps('5 20% 100')).toEqual([5, 20, 100]);
    expect(() => parseSteps('10,5,100')).toThrow(/steps must increase: 10 is followed by 5/);
    expect(() => parseSteps('0,50')).toThrow(/0 is outside 1..100/);
    expect(() => parseSteps('10,150')).toThrow(/150 is outside/);
    expect(() => parseSteps('10,x')).toThrow(InputError);
    expect(() => parseSteps('')).toThrow(/Input 'steps'/);
  });

  it('schedules the initial percentage first and always ends at 100', () => {
    expect(scheduleSteps([10, 25, 50, 100], 10)).toEqual([10, 25, 50, 100]);
    expect(scheduleSteps([10, 25, 50, 100], 5)).toEqual([5, 10, 25, 50, 100]);
    expect(scheduleSteps([10, 25, 50], 30)).toEqual([30, 50, 100]);
    expect(scheduleSteps([10, 25, 50, 100], 100)).toEqual([100]);
    expect(() => scheduleSteps([10], 0)).toThrow(/initial-percentage/);
  });

  it('sizes the canary to carry its share, at least one pod', () => {
    expect(canaryReplicasFor(4, 10)).toBe(1);
    expect(canaryReplicasFor(4, 50)).toBe(2);
    expect(canaryReplicasFor(10, 25)).toBe(3);
    expect(canaryReplicasFor(0, 100)).toBe(1);
    expect(canaryReplicasFor(4, 0)).toBe(0);
  });
});

describe('start', () => {
  it('creates the canary with no traffic, then enters the first step once canary pods are ready', () => {
    const plan = start(startRequest(), null, { actor: 'octocat', reason: 'ship 2.0.0' }, T0);
    expect(plan.effects.map((e) => e.type)).toEqual(['writeState', 'ensureCanary']);
    expect(plan.nextState).toMatchObject({ status: 'progressing', weight: 0, currentStep: 0, stableVersion: '1.0.0', canaryVersion: '2.0.0' });
    expect(plan.nextState.events[0]).toMatchObject({ type: 'started', actor: 'octocat', reason: 'ship 2.0.0' });
    expect(plan.continue).toBe(true);

    const cluster = modelCluster();
    execute(cluster, plan, null);
    // pods are not ready yet: hold, traffic stays 0
    const waiting = decideTick(cluster.state!, observe(cluster, T0, { canaryHealth: health({ version: '2.0.0', available: 0, updated: 1, desired: 1 }) }));
    expect(waiting.decision).toBe('hold');
    expect(waiting.effects.map((e) => e.type)).toEqual(['ensureCanary']);
    expect(waiting.nextState).toBe(cluster.state);

    const entering = tick(cluster, at(1));
    expect(entering.decision).toBe('advance');
    // the canary already has the one pod 10% of 4 replicas needs: no scaling
    expect(entering.effects.map((e) => e.type)).toEqual(['ensureCanary', 'writeState', 'setWeight', 'writeState']);
    expect(cluster.weight).toBe(10);
    expect(cluster.state).toMatchObject({ weight: 10, previousWeight: 10, stepStartedAt: at(1) });
    expect(cluster.state!.pending).toBeUndefined();
  });

  it('refuses a version equal to stable, and a second rollout unless queued or superseding', () => {
    expect(() => start(startRequest({ version: '1.0.0' }), null, { actor: 'a' }, T0)).toThrow(/already the stable version/);
    const cluster = modelCluster();
    startOn(cluster);
    expect(() => start(startRequest({ version: '3.0.0' }), cluster.state, { actor: 'a' }, T0)).toThrow(/on-conflict to queue/);
    expect(() => start(startRequest({ version: '2.0.0' }), cluster.state, { actor: 'a' }, T0)).toThrow(/already rolling out/);
  });

  it('queues behind a running rollout and starts the queued one when it ends', () => {
    const cluster = modelCluster();
    startOn(cluster);
    tick(cluster, at(1));
    const queued = start(startRequest({ version: '3.0.0', onConflict: 'queue' }), cluster.state, { actor: 'b' }, at(2));
    expect(queued.queued).toBe(true);
    execute(cluster, queued, cluster.state);
    expect(cluster.state).toMatchObject({ canaryVersion: '2.0.0', weight: 10, queue: [{ version: '3.0.0', requestedBy: 'b' }] });

    const aborted = abort(cluster.state!, observe(cluster, at(3)), { actor: 'c' });
    execute(cluster, aborted, cluster.state);
    expect(cluster.state!.status).toBe('aborted');
    const next = fullTick(cluster, at(4));
    expect(next[0].nextState).toMatchObject({ status: 'progressing', canaryVersion: '3.0.0', stableVersion: '1.0.0', queue: [] });
    expect(cluster.state!.history[0]).toMatchObject({ canaryVersion: '2.0.0', status: 'aborted' });
    expect(cluster.weight).toBe(10);
    expect(cluster.canaryVersion).toBe('3.0.0');
  });

  it('supersedes: traffic back to stable before the canary changes version, then the new rollout starts', () => {
    const cluster = modelCluster();
    startOn(cluster);
    tick(cluster, at(1));
    const plan = start(startRequest({ version: '3.0.0', onConflict: 'supersede' }), cluster.state, { actor: 'b' }, at(2));
    expect(plan.effects.map((e) => e.type)).toEqual(['writeState', 'setWeight', 'ensureCanary', 'writeState']);
    expect(plan.effects[1]).toEqual({ type: 'setWeight', weight: 0 });
    execute(cluster, plan, cluster.state);
    expect(cluster.state).toMatchObject({ canaryVersion: '3.0.0', weight: 0, status: 'progressing' });
    expect(cluster.state!.history[0]).toMatchObject({ canaryVersion: '2.0.0', status: 'superseded' });
    fullTick(cluster, at(3));
    expect(cluster.weight).toBe(10);
  });
});

describe('decideTick', () => {
  const entered = (): ModelCluster => {
    const cluster = modelCluster();
    startOn(cluster);
    tick(cluster, T0);
    return cluster;
  };

  it('bakes for step-duration, then asks for an analysis with the check index and the checks planned', () => {
    const cluster = entered();
    const baking = decideTick(cluster.state!, observe(cluster, at(4)));
    expect(baking).toMatchObject({ decision: 'hold', effects: [] });
    expect(baking.reason).toMatch(/1m0s left|1m left/);
    const asking = decideTick(cluster.state!, observe(cluster, at(5)));
    expect(asking.analysisRequest).toEqual({ checkIndex: 1, checksPlanned: 12, start: T0, end: at(5), weight: 10 });
    expect(asking.effects).toEqual([]);
  });

  it('advances through every step and promotes a good canary', () => {
    const cluster = entered();
    const decisions: string[] = [];
    for (let minute = 5; cluster.state!.status !== 'promoted' && minute < 200; minute += 5) {
      decisions.push(...fullTick(cluster, at(minute)).map((p) => p.decision));
      if (cluster.state!.status === 'promoting') cluster.stableVersion = cluster.state!.canaryVersion;
    }
    expect(cluster.state!.status).toBe('promoted');
    expect(cluster.weights).toEqual([0, 10, 25, 50, 100, 0]);
    expect(cluster.stableVersion).toBe('2.0.0');
    expect(cluster.state).toMatchObject({ stableVersion: '2.0.0', lastStableVersions: ['1.0.0'], weight: 0, warmPrevious: { version: '1.0.0', deployment: 'chat-canary' } });
    expect(cluster.canaryVersion).toBe('1.0.0');
    expect(decisions).toContain('complete');
    expect(cluster.state!.analysis.map((a) => [a.checkIndex, a.weight])).toEqual([[1, 10], [2, 25], [3, 50], [4, 100]]);
    const types = cluster.state!.events.map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types).toContain('promotion-started');
    expect(last(types)).toBe('promoted');
  });

  it('releases the warm previous version after the rollback window', () => {
    const cluster = entered();
    for (let minute = 5; cluster.state!.status !== 'promoted'; minute += 5) fullTick(cluster, at(minute));
    const until = Date.parse(cluster.state!.warmPrevious!.until);
    expect(decideTick(cluster.state!, observe(cluster, new Date(until - 1000).toISOString()))).toMatchObject({ decision: 'noop', effects: [] });
    const release = tick(cluster, new Date(until).toISOString());
    expect(release.effects.map((e) => e.type)).toEqual(['scaleCanary', 'writeState']);
    expect(cluster.canaryReplicas).toBe(0);
    expect(cluster.state!.warmPrevious).toBeUndefined();
    expect(decideTick(cluster.state!, observe(cluster, at(999)))).toMatchObject({ decision: 'noop', effects: [] });
  });

  it('rolls back at the first check that shows a regression: traffic first, then the canary scales down', () => {
    const cluster = entered();
    fullTick(cluster, at(5));
    expect(cluster.weight).toBe(25);
    const plans = fullTick(cluster, at(10), regressed());
    expect(plans[0].decision).toBe('rollback');
    expect(plans[0].effects.map((e) => e.type)).toEqual(['writeState', 'setWeight', 'scaleCanary', 'writeState']);
    expect(plans[0].notices[0]).toMatchObject({ severity: 'error' });
    expect(cluster).toMatchObject({ weight: 0, canaryReplicas: 0 });
    expect(cluster.state).toMatchObject({ status: 'rolled-back', stableVersion: '1.0.0', weight: 0 });
    expect(last(cluster.state!.analysis)).toMatchObject({ verdict: 'regressed', checkIndex: 2, weight: 25 });
  });

  it('holds on missing data, too few samples and inconclusive results without passing or failing the step', () => {
    const cluster = entered();
    const before = cluster.state;
    const noData = fullTick(cluster, at(6), 'no-data');
    expect(noData[0]).toMatchObject({ decision: 'hold', effects: [] });
    expect(noData[0].notices[0].message).toMatch(/No metric data/);
    expect(cluster.state).toBe(before);
    const few = fullTick(cluster, at(7), passed(10));
    expect(few[0].reason).toMatch(/not enough samples.*min-samples 30/);
    expect(cluster.state).toBe(before);
    const unsure = fullTick(cluster, at(8), inconclusive());
    expect(unsure[0].decision).toBe('hold');
    expect(cluster.state!.checksRun).toBe(1);
    expect(cluster.weight).toBe(10);
    // the next look is check 2 of the family
    expect(decideTick(cluster.state!, observe(cluster, at(9))).analysisRequest?.checkIndex).toBe(2);
  });

  it('stops analysing a step after its planned checks and asks for a person', () => {
    const cluster = entered();
    for (let i = 0; i < 3; i++) fullTick(cluster, at(6 + i), inconclusive());
    expect(cluster.state!.stepChecksRun).toBe(3);
    const plan = decideTick(cluster.state!, observe(cluster, at(20)));
    expect(plan.analysisRequest).toBeUndefined();
    expect(plan.notices[0].message).toMatch(/decide by hand/);
    expect(checksPlanned(cluster.state!)).toBe(12);
  });

  it('a late tick catches up from timestamps: the window covers the whole step', () => {
    const cluster = entered();
    const late = decideTick(cluster.state!, observe(cluster, at(47)));
    expect(late.analysisRequest).toMatchObject({ start: T0, end: at(47) });
    fullTick(cluster, at(47));
    // one step per tick: the next weight needs its own data
    expect(cluster.weight).toBe(25);
    expect(cluster.state!.stepStartedAt).toBe(at(47));
  });

  it('is idempotent: deciding twice on the same input gives the same plan, and a quiet tick changes nothing', () => {
    const cluster = entered();
    const obs = observe(cluster, at(2));
    expect(decideTick(cluster.state!, obs)).toEqual(decideTick(cluster.state!, obs));
    const writes = cluster.writes;
    expect(tick(cluster, at(2))).toMatchObject({ decision: 'hold', effects: [] });
    expect(cluster.writes).toBe(writes);
  });

  it('re-applies the recorded weight when the router drifted', () => {
    const cluster = entered();
    cluster.weight = 60;
    const plan = tick(cluster, at(2));
    expect(plan.effects.map((e) => e.type)).toEqual(['writeState', 'setWeight']);
    expect(plan.continue).toBe(true);
    expect(cluster.weight).toBe(10);
    expect(last(cluster.state!.events)).toMatchObject({ type: 'weight-reapplied', reason: 'the router had 60%; re-applied 10%' });
    expect(decideTick(cluster.state!, observe(cluster, at(2), { clusterWeight: null })).reason).toMatch(/no weight/);
  });

  it('rolls back an unhealthy canary: crash loops, restarts, missing, or no pods while serving', () => {
    const cases: Partial<TickObservations['canaryHealth']>[] = [
      { crashLooping: true },
      { restarts: 9 },
      { exists: false },
      { available: 0, updated: 0 },
    ];
    for (const broken of cases) {
      const cluster = entered();
      const obs = observe(cluster, at(1));
      const plan = decideTick(cluster.state!, { ...obs, canaryHealth: { ...obs.canaryHealth, ...broken } });
      expect(plan.decision).toBe('rollback');
      expect(plan.nextState.status).toBe('rolled-back');
    }
  });

  it('holds, not rolls back, while the controller has not yet reported on the canary', () => {
    const cluster = entered();
    const obs = observe(cluster, at(2));
    const plan = decideTick(cluster.state!, { ...obs, canaryHealth: { ...obs.canaryHealth, observedCurrent: false, available: 0, updated: 0 } });
    expect(plan).toMatchObject({ decision: 'hold', effects: [] });
    expect(plan.reason).toMatch(/Deployment controller/);
  });

  it('holds and warns on a sample-ratio mismatch, and accepts a share that matches', () => {
    const cluster = entered();
    const skewed = fullTick(cluster, at(5), passed(), { sampleRatio: { canaryCount: 300, stableCount: 700 } });
    expect(skewed[0].decision).toBe('hold');
    expect(skewed[0].notices[0].message).toMatch(/Sample-ratio mismatch: the canary got 30.00% of requests, expected 10.00%/);
    expect(cluster.weight).toBe(10);
    const fine = fullTick(cluster, at(6), passed(), { sampleRatio: { canaryCount: 103, stableCount: 897 } });
    expect(fine[0].decision).toBe('advance');
    expect(cluster.state!.analysis[0].sampleRatio).toMatchObject({ mismatch: false, intendedWeight: 10 });
  });

  it('without a metrics config advances on bake time and health alone', () => {
    const cluster = modelCluster();
    startOn(cluster, startRequest({ config: baseConfig({ metricsConfig: undefined }) }));
    tick(cluster, T0);
    expect(fullTick(cluster, at(5))[0]).toMatchObject({ decision: 'advance' });
    expect(cluster.weight).toBe(25);
  });

  it('with the replicas router enters steps without waiting for canary pods and keeps nothing warm', () => {
    const cluster = modelCluster();
    startOn(cluster, startRequest({ router: { kind: 'replicas', service: 'chat' } }));
    expect(cluster.canaryReplicas).toBe(0);
    const enter = tick(cluster, T0);
    expect(enter.effects.map((e) => e.type)).toEqual(['ensureCanary', 'writeState', 'setWeight', 'writeState']);
    cluster.canaryReplicas = 1;
    for (let minute = 5; cluster.state!.status !== 'promoted' && minute < 100; minute += 5) fullTick(cluster, at(minute));
    expect(cluster.state!.status).toBe('promoted');
    expect(cluster.state!.warmPrevious).toBeUndefined();
  });
});

describe('manual commands', () => {
  const running = (): ModelCluster => {
    const cluster = modelCluster();
    startOn(cluster);
    tick(cluster, T0);
    return cluster;
  };

  it('set-weight makes the weight a step, writes intent first and confirms after', () => {
    const cluster = running();
    const plan = setWeight(cluster.state!, 30, observe(cluster, at(1)), { actor: 'ops', reason: 'more traffic' });
    expect(plan.effects.map((e) => e.type)).toEqual(['writeState', 'scaleCanary', 'setWeight', 'writeState']);
    const intent = plan.effects[0] as { state: RolloutState };
    expect(intent.state).toMatchObject({ weight: 30, previousWeight: 10, pending: { cause: 'manual' } });
    execute(cluster, plan, cluster.state);
    expect(cluster.state).toMatchObject({ weight: 30, steps: [10, 25, 30, 50, 100], currentStep: 2, stepStartedAt: at(1) });
    expect(last(cluster.state!.events)).toMatchObject({ actor: 'ops' });
    expect(cluster.state!.events.some((e) => e.type === 'manual-weight' && e.reason === 'more traffic')).toBe(true);
  });

  it('set-weight 0 pauses; resume re-enters the step', () => {
    const cluster = running();
    execute(cluster, setWeight(cluster.state!, 0, observe(cluster, at(1)), { actor: 'ops' }), cluster.state);
    expect(cluster.state).toMatchObject({ status: 'paused', weight: 0 });
    expect(tick(cluster, at(2)).decision).toBe('noop');
    execute(cluster, resume(cluster.state!, { actor: 'ops' }, at(3)), cluster.state);
    fullTick(cluster, at(3));
    expect(cluster.weight).toBe(10);
  });

  it('set-weight while paused stays paused at the new weight and restarts the bake clock', () => {
    const cluster = running();
    execute(cluster, pause(cluster.state!, { actor: 'ops' }, at(1)), cluster.state);
    execute(cluster, setWeight(cluster.state!, 40, observe(cluster, at(8)), { actor: 'ops' }), cluster.state);
    expect(cluster.state).toMatchObject({ status: 'paused', weight: 40, stepStartedAt: at(8) });
    execute(cluster, resume(cluster.state!, { actor: 'ops' }, at(9)), cluster.state);
    // baked from minute 8: one minute is not enough
    expect(decideTick(cluster.state!, observe(cluster, at(9))).reason).toMatch(/baking step 3\/5 at 40%: 4m left/);
  });

  it('refuses weights outside 0..100 and traffic to a canary with no pods', () => {
    const cluster = running();
    expect(() => setWeight(cluster.state!, 101, observe(cluster, at(1)), { actor: 'x' })).toThrow(/outside 0..100/);
    const obs = observe(cluster, at(1));
    expect(() => setWeight(cluster.state!, 50, { ...obs, canaryHealth: { ...obs.canaryHealth, available: 0 } }, { actor: 'x' })).toThrow(/no available pods/);
    // pods of another version do not count
    expect(() => setWeight(cluster.state!, 50, { ...obs, canaryHealth: { ...obs.canaryHealth, version: '1.9.0' } }, { actor: 'x' })).toThrow(/no available pods of 2.0.0/);
  });

  it('pause holds everything but safety; resume continues', () => {
    const cluster = running();
    execute(cluster, pause(cluster.state!, { actor: 'ops', reason: 'investigating' }, at(1)), cluster.state);
    expect(cluster.state!.status).toBe('paused');
    expect(fullTick(cluster, at(30))[0].decision).toBe('noop');
    const obs = observe(cluster, at(31));
    expect(decideTick(cluster.state!, { ...obs, canaryHealth: { ...obs.canaryHealth, crashLooping: true } }).decision).toBe('rollback');
    execute(cluster, resume(cluster.state!, { actor: 'ops' }, at(32)), cluster.state);
    fullTick(cluster, at(32));
    expect(cluster.weight).toBe(25);
  });

  it('abort sends traffic back at once and scales the canary down; finished rollouts refuse it', () => {
    const cluster = running();
    const plan = abort(cluster.state!, observe(cluster, at(1)), { actor: 'ops', reason: 'wrong build' });
    expect(plan.effects.map((e) => e.type)).toEqual(['writeState', 'setWeight', 'scaleCanary', 'writeState']);
    execute(cluster, plan, cluster.state);
    expect(cluster.state).toMatchObject({ status: 'aborted', weight: 0 });
    expect(cluster.canaryReplicas).toBe(0);
    expect(() => abort(cluster.state!, observe(cluster, at(2)), { actor: 'ops' })).toThrow(RolloutCommandError);
  });

  it('promote updates stable, waits until it is available, then returns traffic and keeps the old version warm', () => {
    const cluster = running();
    const plan = promote(cluster.state!, observe(cluster, at(1)), { actor: 'ops' });
    expect(plan.effects.map((e) => e.type)).toEqual(['writeState', 'promoteStable', 'writeState']);
    execute(cluster, plan, cluster.state);
    expect(cluster.state).toMatchObject({ status: 'promoting', promotionPhase: 'stable-rolling', weight: 10 });
    const obs = observe(cluster, at(2));
    const waiting = decideTick(cluster.state!, { ...obs, stableHealth: { ...obs.stableHealth, updated: 2, available: 3 } });
    expect(waiting.decision).toBe('hold');
    const done = tick(cluster, at(3));
    expect(done.decision).toBe('complete');
    expect(done.effects.map((e) => e.type)).toEqual(['writeState', 'setWeight', 'warmPrevious', 'writeState']);
    expect(cluster.state).toMatchObject({ status: 'promoted', stableVersion: '2.0.0', weight: 0 });
    expect(cluster.canaryVersion).toBe('1.0.0');
  });

  it('commands refuse while a change is unconfirmed', () => {
    const cluster = running();
    const plan = setWeight(cluster.state!, 40, observe(cluster, at(1)), { actor: 'ops' });
    cluster.state = (plan.effects[0] as { state: RolloutState }).state;
    expect(() => setWeight(cluster.state!, 50, observe(cluster, at(1)), { actor: 'ops' })).toThrow(/not confirmed/);
    expect(() => promote(cluster.state!, observe(cluster, at(1)), { actor: 'ops' })).toThrow(/not confirmed/);
    const finish = tick(cluster, at(2));
    // recovery re-ensures the canary (it may be missing or on another template after a crash)
    expect(finish.effects.map((e) => e.type)).toEqual(['ensureCanary', 'setWeight', 'writeState']);
    expect(cluster.canaryReplicas).toBe(2);
    expect(cluster.state).toMatchObject({ weight: 40, previousWeight: 40 });
  });
});

describe('state document', () => {
  it('round-trips through JSON and rejects documents that break an invariant', () => {
    const cluster = modelCluster();
    startOn(cluster);
    const state = cluster.state!;
    expect(parseState(serializeState(state))).toEqual(state);
    const broken: [string, (s: Record<string, unknown>) => void][] = [
      ['not JSON', () => {}],
      ['schemaVersion', (s) => (s.schemaVersion = 2)],
      ['status', (s) => (s.status = 'exploded')],
      ['steps must increase', (s) => (s.steps = [10, 5, 100])],
      ['last step must be 100', (s) => (s.steps = [10, 50])],
      ['currentStep', (s) => (s.currentStep = 9)],
      ['weight', (s) => (s.weight = 140)],
      ['startedAt', (s) => (s.startedAt = 'yesterday')],
      ['router.kind', (s) => (s.router = { kind: 'haproxy' })],
      ['every event', (s) => (s.events = [{ at: T0 }])],
      ['promotionPhase is set exactly while promoting', (s) => (s.promotionPhase = 'returning')],
      ['config.checksPerStep', (s) => ((s.config as Record<string, unknown>).checksPerStep = 0)],
      ['canaryVersion equals stableVersion', (s) => (s.canaryVersion = s.stableVersion)],
    ];
    for (const [message, mutate] of broken) {
      const copy = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
      mutate(copy);
      const text = message === 'not JSON' ? '{oops' : JSON.stringify(copy);
      expect(() => parseState(text)).toThrow(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
  });
});
