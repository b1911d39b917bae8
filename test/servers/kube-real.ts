// A real Kubernetes API server (kube-apiserver 1.20.2 + etcd, no controllers) for integration tests.
// Either reuses the one named by MODEL_CICD_KUBE_WORKDIR (started once by .ci/run with
// scripts/kube/start-apiserver.sh, shared by every test file), or one per jest worker on free ports (~5 s to
// start, shared by the test files that worker runs). Tests isolate themselves with fresh namespaces.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { describe as JestDescribe } from '@jest/globals';
import { ApiextensionsV1Api, ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scripts = path.join(repoRoot, 'scripts/kube');

export interface RealApiServer {
  /** Admin (system:masters). */
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  /** The least-privilege identity (system:serviceaccount:<restrictedNamespace>:model-cicd-rollout). */
  restrictedKubeconfigPath: string;
  restrictedNamespace: string;
  workdir: string;
  /** Milliseconds from spawn to ready with CRDs Established (0 when an already running server was reused). */
  startupMs: number;
  stop(): Promise<void>;
}

export function apiServerBinary(): string {
  return process.env.MODEL_CICD_KUBE_APISERVER ??
    path.join(process.env.MODEL_CICD_KUBE_CACHE ?? path.join(os.homedir(), '.cache/model-cicd/kube'), 'kube-apiserver');
}

/** Whether the real server can run here; on CI a missing binary is an error, not a skip. */
export function realApiServerAvailability(): { available: boolean; reason?: string } {
  if (process.env.MODEL_CICD_KUBE_WORKDIR && fs.existsSync(path.join(process.env.MODEL_CICD_KUBE_WORKDIR, 'kubeconfig'))) {
    return { available: true };
  }
  const binary = apiServerBinary();
  if (fs.existsSync(binary)) return { available: true };
  const reason = `kube-apiserver not found at ${binary} (build it with scripts/kube/build-apiserver.sh, or set MODEL_CICD_KUBE_APISERVER)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; on CI the real-server tests must run.`);
  return { available: false, reason };
}

/** `describe` when a real API server can run, otherwise `describe.skip` with a visible notice. */
export function describeWithRealApiServer(name: string, body: () => void): void {
  // jest's global, not an import of @jest/globals: that module only loads inside jest, and scripts
  // (npm run examples) start a real server through this file too
  const describe = (globalThis as unknown as { describe: typeof JestDescribe }).describe;
  const { available, reason } = realApiServerAvailability();
  if (!available) {
    console.warn(`SKIPPED "${name}": ${reason}`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

const alive = (pidFile: string): boolean => {
  try {
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The server of this process (a jest worker): started by the first test file that asks, reused by the files the
 * worker runs after it, stopped by a watchdog when the worker exits. Other workers get their own, on other ports.
 */
const workerDir = path.join(os.tmpdir(), `model-cicd-kube-worker-${process.pid}`);

export async function startRealApiServer(): Promise<RealApiServer> {
  const started = Date.now();
  const shared = process.env.MODEL_CICD_KUBE_WORKDIR;
  let workdir: string;
  let startedHere = false;
  if (shared && fs.existsSync(path.join(shared, 'kubeconfig'))) {
    workdir = shared;
  } else {
    const { available, reason } = realApiServerAvailability();
    if (!available) throw new Error(reason);
    workdir = workerDir;
    const reusable = fs.existsSync(path.join(workdir, 'kubeconfig')) &&
      alive(path.join(workdir, 'apiserver.pid')) && alive(path.join(workdir, 'etcd.pid'));
    if (!reusable) {
      startedHere = true;
      fs.mkdirSync(workdir, { recursive: true });
      try {
        // the script's watchdog stops the server once this worker process is gone, however it ends
        await run('bash', [path.join(scripts, 'start-apiserver.sh'), workdir], {
          env: { ...process.env, MODEL_CICD_KUBE_APISERVER: apiServerBinary(), MODEL_CICD_KUBE_OWNER_PID: String(process.pid) },
        });
      } catch (error) {
        const { stderr } = error as { stderr?: string };
        throw new Error(`scripts/kube/start-apiserver.sh failed: ${stderr ?? String(error)}`);
      }
    }
  }
  const kubeconfigPath = path.join(workdir, 'kubeconfig');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const server: RealApiServer = {
    kubeconfigPath,
    kubeConfig,
    restrictedKubeconfigPath: path.join(workdir, 'kubeconfig-restricted'),
    restrictedNamespace: fs.readFileSync(path.join(workdir, 'restricted-namespace'), 'utf8').trim(),
    workdir,
    startupMs: 0,
    // the server outlives the test file (shared or per worker); tests isolate themselves by namespace
    async stop() {},
  };
  await installTestCrds(kubeConfig);
  server.startupMs = startedHere ? Date.now() - started : 0;
  return server;
}

/** Stops the server of this worker now (normally it stops when the worker exits). */
export async function stopWorkerApiServer(): Promise<void> {
  if (!fs.existsSync(workerDir)) return;
  await run('bash', [path.join(scripts, 'stop-apiserver.sh'), workerDir]);
  fs.rmSync(workerDir, { recursive: true, force: true });
}

/** Minimal CRDs for the routers' custom resources (1.20 enforces api-approved.kubernetes.io on *.k8s.io groups). */
export const TEST_CRDS: V1CustomResourceDefinition[] = [
  crd('gateway.networking.k8s.io', 'v1', 'httproutes', 'HTTPRoute', 'https://github.com/kubernetes-sigs/gateway-api/pull/2466'),
  crd('networking.istio.io', 'v1beta1', 'virtualservices', 'VirtualService'),
];

function crd(group: string, version: string, plural: string, kind: string, approval?: string): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, ...(approval ? { annotations: { 'api-approved.kubernetes.io': approval } } : {}) },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
    },
  };
}

/** Creates the CRDs (kept if present) and waits until the server reports them Established. */
export async function installTestCrds(kubeConfig: KubeConfig, timeoutMs = 20_000): Promise<void> {
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  for (const body of TEST_CRDS) {
    try {
      await api.createCustomResourceDefinition({ body });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409)) throw error;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const { metadata } of TEST_CRDS) {
    for (;;) {
      const current = await api.readCustomResourceDefinition({ name: metadata?.name as string });
      if (current.status?.conditions?.some((condition) => condition.type === 'Established' && condition.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${metadata?.name} not Established after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  // Established can come a moment before the handler serves the new resources
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  for (const { spec } of TEST_CRDS) {
    for (;;) {
      try {
        await custom.listNamespacedCustomObject({ group: spec.group, version: spec.versions[0].name, namespace: 'default', plural: spec.names.plural });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

/** A fresh namespace for one test (tests never share objects). */
export async function createNamespace(kubeConfig: KubeConfig, prefix = 'test'): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}
