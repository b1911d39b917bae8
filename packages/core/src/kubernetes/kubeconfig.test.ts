import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { KubeConfigError, loadKubeConfig } from './kubeconfig.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const kubeconfig = (server: string, namespace = 'shop') => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: {token: secret-token}}]
contexts: [{name: ctx, context: {cluster: c, user: u, namespace: ${namespace}}}]
current-context: ctx
`;

const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

describe('loadKubeConfig', () => {
  test('the input as content wins over KUBECONFIG', () => {
    const fromEnv = write('env.yaml', kubeconfig('https://env.example:6443'));
    const loaded = loadKubeConfig({ input: kubeconfig('https://input.example:6443'), env: { KUBECONFIG: fromEnv } });
    expect(loaded).toMatchObject({ source: 'input-content', server: 'https://input.example:6443', namespace: 'shop' });
  });

  test('the input as a path; a path that does not exist is refused with the fix', () => {
    const file = write('input.yaml', kubeconfig('https://file.example'));
    expect(loadKubeConfig({ input: file, env: {} })).toMatchObject({ source: 'input-path', server: 'https://file.example' });
    expect(() => loadKubeConfig({ input: '/nope/kubeconfig', env: {} }))
      .toThrow("Input 'kubeconfig': '/nope/kubeconfig' is neither kubeconfig content nor an existing file.");
  });

  test('KUBECONFIG, with several files merged and missing ones skipped', () => {
    const first = write('first.yaml', kubeconfig('https://first.example'));
    const second = write('second.yaml', kubeconfig('https://second.example').replace(/name: (c|u|ctx)\b/g, 'name: $1-2').replace('current-context: ctx', 'current-context: ctx-2'));
    const loaded = loadKubeConfig({ env: { KUBECONFIG: [path.join(dir, 'missing.yaml'), first, second].join(path.delimiter) } });
    expect(loaded).toMatchObject({ source: 'KUBECONFIG', server: 'https://first.example' });
    expect(loaded.kubeConfig.getContexts().map((context) => context.name)).toEqual(['ctx', 'ctx-2']);
    expect(() => loadKubeConfig({ env: { KUBECONFIG: '/nope/a' } })).toThrow('KUBECONFIG names no existing file (/nope/a)');
  });

  test('in-cluster: the service account files, when the service address is set', () => {
    const prefix = path.join(dir, 'pod');
    const accountDir = path.join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
    fs.mkdirSync(accountDir, { recursive: true });
    fs.writeFileSync(path.join(accountDir, 'token'), 'sa-token');
    fs.writeFileSync(path.join(accountDir, 'namespace'), 'ml');
    const loaded = loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, inClusterPathPrefix: prefix });
    expect(loaded).toMatchObject({ source: 'in-cluster', server: 'https://10.0.0.1:443', namespace: 'ml' });
    expect(process.env.KUBERNETES_SERVICE_HOST).toBeUndefined();
  });

  test('nothing at all: refused, never localhost:8080', () => {
    expect(() => loadKubeConfig({ env: {} })).toThrow(KubeConfigError);
    expect(() => loadKubeConfig({ env: {} })).toThrow(/No Kubernetes credentials found\. Pass the 'kubeconfig' input/);
    // a service address without the account files is not a cluster
    expect(() => loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, inClusterPathPrefix: path.join(dir, 'none') }))
      .toThrow(KubeConfigError);
  });

  test('unreadable or incomplete kubeconfigs are refused with the source named', () => {
    expect(() => loadKubeConfig({ input: 'apiVersion: v1\nclusters: [', env: {} })).toThrow("Could not read the 'kubeconfig' input as a kubeconfig");
    expect(() => loadKubeConfig({ input: 'apiVersion: v1\nkind: Config\nclusters: []\n', env: {} }))
      .toThrow("The kubeconfig from the 'kubeconfig' input has no current context with a cluster server");
  });
});
