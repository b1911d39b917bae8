// Where the credentials come from: the `kubeconfig` input (content or a path), then KUBECONFIG (as set by
// azure/k8s-set-context, aws eks update-kubeconfig or gcloud), then the in-cluster service account.
// client-node alone would silently fall back to http://localhost:8080, which only hides the mistake.
import fs from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export type KubeConfigSource = 'input-content' | 'input-path' | 'KUBECONFIG' | 'in-cluster';

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  source: KubeConfigSource;
  /** The API server URL, for logs and reports (never credentials). */
  server: string;
  /** The namespace of the current context, if any. */
  namespace?: string;
}

export interface KubeConfigOptions {
  /** The `kubeconfig` input: kubeconfig YAML/JSON, or the path of a kubeconfig file. */
  input?: string;
  env?: Record<string, string | undefined>;
  /** Prefix of /var/run/secrets/kubernetes.io/serviceaccount (tests point it at a temporary folder). */
  inClusterPathPrefix?: string;
  /** The input's name in messages. */
  inputName?: string;
}

export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

const looksLikeContent = (text: string) => /\n/.test(text) || /^\s*[{]/.test(text) || /^\s*apiVersion\s*:/.test(text);

export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const inputName = options.inputName ?? 'kubeconfig';
  const input = options.input?.trim();
  const kubeConfig = new KubeConfig();
  let source: KubeConfigSource;

  if (input) {
    if (looksLikeContent(input)) {
      source = 'input-content';
      parse(() => kubeConfig.loadFromString(input), `the '${inputName}' input`);
    } else {
      source = 'input-path';
      if (!fs.existsSync(input)) {
        throw new KubeConfigError(
          `Input '${inputName}': '${input}' is neither kubeconfig content nor an existing file. Pass the kubeconfig itself (from a secret) or the path of a kubeconfig file.`,
        );
      }
      parse(() => kubeConfig.loadFromFile(input), `the file '${input}' (from the '${inputName}' input)`);
    }
  } else if (env.KUBECONFIG?.trim()) {
    source = 'KUBECONFIG';
    const files = env.KUBECONFIG.split(path.delimiter).filter(Boolean);
    const existing = files.filter((file) => fs.existsSync(file));
    if (existing.length === 0) {
      throw new KubeConfigError(`KUBECONFIG names no existing file (${files.join(', ')}). Fix the step that sets it, or pass the '${inputName}' input.`);
    }
    parse(() => kubeConfig.loadFromFile(existing[0]), `KUBECONFIG file '${existing[0]}'`);
    for (const file of existing.slice(1)) {
      const other = new KubeConfig();
      parse(() => other.loadFromFile(file), `KUBECONFIG file '${file}'`);
      kubeConfig.mergeConfig(other, true);
    }
  } else if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT &&
    fs.existsSync(`${options.inClusterPathPrefix ?? ''}${SERVICE_ACCOUNT_TOKEN}`)) {
    source = 'in-cluster';
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    // client-node reads the service address from process.env; honour the env we were given
    process.env.KUBERNETES_SERVICE_HOST = env.KUBERNETES_SERVICE_HOST;
    process.env.KUBERNETES_SERVICE_PORT = env.KUBERNETES_SERVICE_PORT;
    try {
      kubeConfig.loadFromCluster(options.inClusterPathPrefix ?? '');
    } finally {
      restoreEnv('KUBERNETES_SERVICE_HOST', saved.host);
      restoreEnv('KUBERNETES_SERVICE_PORT', saved.port);
    }
  } else {
    throw new KubeConfigError(
      `No Kubernetes credentials found. Pass the '${inputName}' input (kubeconfig content from a secret, or a file path), ` +
        'set KUBECONFIG (for example with azure/k8s-set-context, aws eks update-kubeconfig or google-github-actions/get-gke-credentials), ' +
        'or run on a runner inside the cluster with a service account.',
    );
  }

  const cluster = kubeConfig.getCurrentCluster();
  if (!kubeConfig.getCurrentContext() || !cluster?.server) {
    throw new KubeConfigError(`The kubeconfig from ${describeSource(source, inputName)} has no current context with a cluster server. Set current-context.`);
  }
  const namespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace || undefined;
  return { kubeConfig, source, server: cluster.server, namespace };
}

function parse(load: () => void, what: string) {
  try {
    load();
  } catch (error) {
    throw new KubeConfigError(`Could not read ${what} as a kubeconfig: ${(error as Error).message.split('\n')[0]}`);
  }
}

function restoreEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function describeSource(source: KubeConfigSource, inputName: string): string {
  switch (source) {
    case 'input-content':
    case 'input-path':
      return `the '${inputName}' input`;
    case 'KUBECONFIG':
      return 'KUBECONFIG';
    case 'in-cluster':
      return 'the in-cluster service account';
  }
}
