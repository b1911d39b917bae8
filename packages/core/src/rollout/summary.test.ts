import { describe, expect, it } from '@jest/globals';
import { execute, modelCluster, observe, passed, startOn, T0, at } from './fixtures.ts';
import { decideTick } from './machine.ts';
import { analysisTable, eventTable, rolloutSummary, stepProgress } from './summary.ts';

describe('rollout summary', () => {
  it('shows the steps, every check, the events and what this run did', () => {
    const cluster = modelCluster();
    startOn(cluster);
    execute(cluster, decideTick(cluster.state!, observe(cluster, T0)), cluster.state);
    const analysed = decideTick(cluster.state!, observe(cluster, at(6), { analysis: passed(120), sampleRatio: { canaryCount: 98, stableCount: 902 } }));
    execute(cluster, analysed, cluster.state);
    const state = cluster.state!;
    expect(stepProgress(state)).toBe('10% ✅ → **25% ⏳** → 50% → 100%');
    expect(analysisTable(state)).toMatch(/\| 1 \| 10% \| 1\/12 \| passed \| 120 \/ 120 \| 9.8% \(p=0.83\d\) \|/);
    // newest first: the confirm of the new weight, then the advance that asked for it
    expect(eventTable(state).split('\n').slice(2, 4).join('\n')).toMatch(/weight-applied \| scheduler \| 25% .*\n.*advanced \| scheduler \| 25% \|/);
    const markdown = rolloutSummary('progress', { state, decision: 'advance', reason: analysed.reason, plans: [analysed, analysed], notices: [{ severity: 'warning', message: 'look here' }], analysisSummaries: ['## regression-check'], writes: 3 }, 'chat');
    expect(markdown).toMatch(/^## gradual-rollout: chat 1.0.0 → 2.0.0/);
    expect(markdown).toMatch(/\*\*🚦 progressing\*\* at \*\*25%\*\*/);
    expect(markdown).toMatch(/This run:\n\n1\. `advance`/);
    expect(markdown).toMatch(/- \*\*warning\*\*: look here/);
    expect(markdown).toMatch(/<details><summary>Regression-check detail of this run<\/summary>/);
    expect(markdown).toMatch(/kubectl get configmap chat-rollout -n default -o yaml/);
  });

  it('titles a promoted rollout with the version it replaced', () => {
    const cluster = modelCluster();
    startOn(cluster);
    const state = { ...cluster.state!, stableVersion: '2.0.0', lastStableVersions: ['1.0.0'] };
    const markdown = rolloutSummary('status', { state, decision: 'noop', reason: '', plans: [], notices: [], analysisSummaries: [], writes: 0 }, 'chat');
    expect(markdown).toMatch(/^## gradual-rollout: chat 1.0.0 → 2.0.0/);
  });

  it('says so when there is no rollout', () => {
    expect(rolloutSummary('status', { state: undefined, decision: 'noop', reason: '', plans: [], notices: [], analysisSummaries: [], writes: 0 }, 'chat')).toMatch(/No rollout state \(`chat-rollout`\) exists/);
  });
});
