// The commands of the gradual-rollout action over one rollout's cluster port: each turns into the machine's
// plan for it, executed by the shell, which then keeps ticking while more can be done at once.
import { abort, pause, promote, resume, setWeight, start, type StartRequest } from './machine.ts';
import { requireRollout, RolloutShell, type RolloutCluster, type ShellHooks, type ShellOutcome } from './shell.ts';
import type { Actor, CanarySpec, ConflictPolicy, RolloutConfig, RouterSpec } from './types.ts';

export const ROLLOUT_COMMANDS = ['start', 'progress', 'promote', 'set-weight', 'pause', 'resume', 'abort', 'status'] as const;
export type RolloutCommandName = (typeof ROLLOUT_COMMANDS)[number];

export interface StartSettings {
  version: string;
  canary: CanarySpec;
  router: RouterSpec;
  steps: number[];
  config: RolloutConfig;
  onConflict: ConflictPolicy;
}

export interface CommandRequest {
  command: RolloutCommandName;
  name: string;
  namespace: string;
  actor: Actor;
  start?: StartSettings;
  weight?: number;
}

/** The stable version when a deployment does not tell it (no label, annotation or image tag). */
export const UNKNOWN_VERSION = 'unversioned';

export async function runCommand(cluster: RolloutCluster, request: CommandRequest, hooks: ShellHooks = {}): Promise<ShellOutcome> {
  const shell = new RolloutShell(cluster, hooks);
  const { name, namespace, actor } = request;
  switch (request.command) {
    case 'start': {
      const settings = request.start!;
      const stable = await cluster.preflight(settings.router, settings.canary);
      return shell.run((stored, obs) => {
        const startRequest: StartRequest = {
          name,
          namespace,
          version: settings.version,
          stableVersion: stored?.state.stableVersion ?? stable.version ?? UNKNOWN_VERSION,
          canary: settings.canary,
          router: settings.router,
          steps: settings.steps,
          config: settings.config,
          onConflict: settings.onConflict,
          stableReplicas: stable.replicas,
        };
        return start(startRequest, stored?.state ?? null, actor, obs.now);
      });
    }
    case 'progress': {
      const stored = await cluster.readState();
      requireRollout(stored, name, namespace);
      return shell.run();
    }
    case 'status': {
      const stored = requireRollout(await cluster.readState(), name, namespace);
      return { state: stored.state, decision: 'noop', reason: `status read; ${stored.state.status} at ${stored.state.weight}%`, plans: [], notices: [], analysisSummaries: [], writes: 0 };
    }
    case 'set-weight':
      return shell.run((stored, obs) => setWeight(requireRollout(stored, name, namespace).state, request.weight!, obs, actor));
    case 'promote':
      return shell.run((stored, obs) => promote(requireRollout(stored, name, namespace).state, obs, actor));
    case 'abort':
      return shell.run((stored, obs) => abort(requireRollout(stored, name, namespace).state, obs, actor));
    case 'pause':
      return shell.run((stored, obs) => pause(requireRollout(stored, name, namespace).state, actor, obs.now), { tick: false });
    case 'resume':
      return shell.run((stored, obs) => resume(requireRollout(stored, name, namespace).state, actor, obs.now));
  }
}
