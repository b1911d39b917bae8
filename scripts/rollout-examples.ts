// The gradual-rollout part of `npm run examples`: one rollout of prompt version 2.0.0 of a chat service, step by
// step, on a real kube-apiserver started on loopback (built by scripts/kube/build-apiserver.sh). That server runs
// no controllers, so before each step the example plays the Deployment controller and marks the pods ready;
// MODEL_CICD_NOW moves the rollout's clock so bake times pass without waiting.
import { readFile } from 'node:fs/promises';
import type { ExampleRun, Prepared } from './run-examples.ts';
import { createNamespace, realApiServerAvailability, startRealApiServer } from '../test/servers/kube-real.ts';
import { seedStableApp, settleTracks } from '../test/servers/kube-fixtures.ts';

interface Cluster {
  kubeconfig: string;
  markReady: () => Promise<void>;
  inputs: Record<string, string>;
}

let cluster: Promise<Cluster> | undefined;

/** One server and one seeded stable app for all the steps (the server stops when this process exits). */
function sharedCluster(): Promise<Cluster> {
  cluster ??= (async () => {
    const server = await startRealApiServer();
    const app = await seedStableApp(server.kubeConfig, await createNamespace(server.kubeConfig, 'example'), 'chat', 4);
    const markReady = () => settleTracks(server.kubeConfig, app);
    await markReady();
    return {
      kubeconfig: await readFile(server.kubeconfigPath, 'utf8'),
      markReady,
      inputs: { name: app.name, namespace: app.namespace },
    };
  })();
  return cluster;
}

const T0 = Date.parse('2026-06-01T09:00:00Z');

/** Prepares one step: the shared cluster, its pods marked ready, the clock at `minute`. */
const atMinute = (minute: number) => async (): Promise<Prepared | string> => {
  const { available, reason } = realApiServerAvailability();
  if (!available) return `needs a kube-apiserver: ${reason}`;
  const { kubeconfig, markReady, inputs } = await sharedCluster();
  await markReady();
  return {
    inputs: { kubeconfig, ...inputs },
    env: { MODEL_CICD_NOW: new Date(T0 + minute * 60_000).toISOString() },
    cleanup: async () => {},
  };
};

const step = (minute: number, title: string, inputs: Record<string, string>, expectedOutputs: Record<string, string>): ExampleRun => ({
  action: 'gradual-rollout',
  title: `gradual-rollout (minute ${minute}): ${title}`,
  inputs,
  expectedExitCode: 0,
  expectedOutputs,
  prepare: atMinute(minute),
});

export const rolloutExamples: ExampleRun[] = [
  step(0, 'start rolling out PROMPT_VERSION=2.0.0 of the chat service, application-level routing (configmap router)', {
    command: 'start',
    version: '2.0.0',
    container: 'server',
    env: 'PROMPT_VERSION=2.0.0',
    'traffic-router': 'configmap',
    steps: '10,25,50,100',
    'step-duration': '5m',
    reason: 'new support prompt',
  }, { status: 'progressing', weight: '0' }),
  step(1, 'the scheduled tick: the canary is healthy, traffic goes to the first step', { command: 'progress' }, { weight: '10', step: '1', decision: 'advance' }),
  step(7, 'the next tick: the 5-minute bake time is over and the canary is healthy, so it advances', { command: 'progress' }, { weight: '25', step: '2', decision: 'advance' }),
  step(8, 'a person overrides the weight by hand (workflow_dispatch)', { command: 'set-weight', weight: '50', reason: 'support team asked for more traffic' }, { weight: '50' }),
  step(9, 'promote: the stable Deployment takes the new version', { command: 'promote', reason: 'looks good' }, { status: 'promoting' }),
  step(10, 'the tick after promotion completes it once the stable pods are available', { command: 'progress' }, { status: 'promoted', decision: 'complete' }),
  step(11, 'status: the whole story, from the state kept in the cluster', { command: 'status' }, { status: 'promoted', decision: 'noop' }),
];
