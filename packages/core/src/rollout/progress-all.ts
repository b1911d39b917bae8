// The scheduled tick over every rollout found by label: a few at a time, one rollout's failure never stops the
// others, finished rollouts with nothing left to do are skipped without a call.
import { mapWithConcurrency } from '../concurrency/index.ts';
import type { KubeClient } from '../kubernetes/index.ts';
import { runCommand } from './commands.ts';
import { stateStore } from './kube-cluster.ts';
import type { RolloutCluster, ShellHooks, ShellOutcome } from './shell.ts';
import { isActive, type Actor, type RolloutState } from './types.ts';

export const PARALLEL_TICKS = 10;

export interface TickedRollout {
  name: string;
  namespace: string;
  outcome?: ShellOutcome;
  error?: string;
}

export interface ProgressAllResult {
  results: TickedRollout[];
  /** Rollouts found by label, ticked or not. */
  found: number;
}

/** Something may happen to it on a tick: in progress, unconfirmed, warm until a time, or with a queue. */
export const needsTick = (state: RolloutState): boolean =>
  isActive(state.status) || state.pending !== undefined || state.warmPrevious !== undefined || state.queue.length > 0;

export interface ProgressAllOptions {
  client: KubeClient;
  /** A namespace, or undefined for every namespace. */
  namespace?: string;
  actor: Actor;
  clusterFor: (name: string, namespace: string) => RolloutCluster | Promise<RolloutCluster>;
  hooks?: ShellHooks;
  parallel?: number;
}

export async function progressAll(options: ProgressAllOptions): Promise<ProgressAllResult> {
  const stored = await stateStore(options.client).list(options.namespace);
  const due = stored.filter((item) => needsTick(item.state));
  const results = await mapWithConcurrency(due, options.parallel ?? PARALLEL_TICKS, async (item): Promise<TickedRollout> => {
    try {
      const cluster = await options.clusterFor(item.rollout, item.namespace);
      const outcome = await runCommand(cluster, { command: 'progress', name: item.rollout, namespace: item.namespace, actor: options.actor }, options.hooks);
      return { name: item.rollout, namespace: item.namespace, outcome };
    } catch (error) {
      // one rollout's failure never stops the others
      return { name: item.rollout, namespace: item.namespace, error: error instanceof Error ? error.message : String(error) };
    }
  });
  results.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return { results, found: stored.length };
}
