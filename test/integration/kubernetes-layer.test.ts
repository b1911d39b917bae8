// The Kubernetes layer against a real kube-apiserver with RBAC on, running as the least-privilege ServiceAccount of
// examples/kubernetes/rbac.yaml: every state-store, workload and router operation passing here proves the Role is
// sufficient, and the refused cluster-wide list proves it is no broader than it claims.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@jest/globals';
import {
  ApiException,
  CoreV1Api,
  KubernetesObjectApi,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type KubernetesObject,
  type V1Role,
  type V1RoleBinding,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { createTrafficRouter, KubeClient, loadKubeConfig, Workloads } from '@model-cicd/core/kubernetes';
import { createNamespace, describeWithRealApiServer, startRealApiServer } from '../servers/kube-real.ts';
import { defineLayerSuite } from '../servers/kube-layer-suite.ts';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/kubernetes');
const rbacPath = path.join(examples, 'rbac.yaml');

/** Applies the shipped Role and RoleBinding to `namespace`, bound to the ServiceAccount in `serviceAccountNamespace`. */
async function grantRollout(admin: KubeConfig, namespace: string, serviceAccountNamespace: string): Promise<void> {
  const documents = parseAllDocuments(fs.readFileSync(rbacPath, 'utf8')).map((document) => document.toJS());
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  const role = documents.find((document) => document.kind === 'Role') as V1Role;
  const binding = documents.find((document) => document.kind === 'RoleBinding') as V1RoleBinding;
  await rbac.createNamespacedRole({ namespace, body: { ...role, metadata: { ...role.metadata, namespace } } });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      ...binding,
      metadata: { ...binding.metadata, namespace },
      subjects: binding.subjects?.map((subject) => ({ ...subject, namespace: serviceAccountNamespace })),
    },
  });
}

async function ensureServiceAccount(admin: KubeConfig, namespace: string): Promise<void> {
  const core = admin.makeApiClient(CoreV1Api);
  for (const create of [
    () => core.createNamespace({ body: { metadata: { name: namespace } } }),
    () => core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'model-cicd-rollout' } } }),
  ]) {
    try {
      await create();
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409)) throw error;
    }
  }
}

describeWithRealApiServer('Kubernetes layer on a real kube-apiserver, as the least-privilege ServiceAccount', () => {
  defineLayerSuite(async () => {
    const server = await startRealApiServer();
    if (server.startupMs) console.log(`real kube-apiserver ready with CRDs in ${server.startupMs} ms`);
    await ensureServiceAccount(server.kubeConfig, server.restrictedNamespace);
    const { kubeConfig: layer, source } = loadKubeConfig({ input: server.restrictedKubeconfigPath, env: {} });
    if (source !== 'input-path') throw new Error(`unexpected kubeconfig source ${source}`);
    return {
      admin: server.kubeConfig,
      layer,
      restricted: true,
      async newNamespace() {
        const namespace = await createNamespace(server.kubeConfig, 'layer');
        await grantRollout(server.kubeConfig, namespace, server.restrictedNamespace);
        return namespace;
      },
      stop: () => server.stop(),
    };
  });
});

describeWithRealApiServer('examples/kubernetes on a real kube-apiserver', () => {
  test('the sample app, routing objects and RBAC apply as shipped, and every weighted router works on them', async () => {
    const server = await startRealApiServer();
    const namespace = await createNamespace(server.kubeConfig, 'examples');
    const objects = ['app.yaml', 'routing.yaml', 'rbac.yaml']
      .flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(examples, file), 'utf8')).map((document) => document.toJS() as KubernetesObject | null))
      .filter((object): object is KubernetesObject => object !== null);
    const api = KubernetesObjectApi.makeApiClient(server.kubeConfig);
    for (const object of objects) {
      const body = structuredClone(object) as KubernetesObject & { subjects?: Array<{ namespace?: string }> };
      body.metadata = { ...body.metadata, namespace };
      body.subjects?.forEach((subject) => (subject.namespace = namespace));
      await api.create(body);
    }
    expect(objects.map((object) => object.kind)).toEqual(['Deployment', 'Service', 'Ingress', 'HTTPRoute', 'VirtualService', 'ServiceAccount', 'Role', 'RoleBinding']);

    const client = new KubeClient(server.kubeConfig);
    const workloads = new Workloads(client, { runId: '1' });
    const stable = await workloads.readDeployment(namespace, 'checkout');
    await workloads.upsertCanary(stable, { version: '2.0.0', image: 'registry.example.com/acme/checkout:2.0.0', env: { PROMPT_VERSION: '2.0.0' } }, { mode: 'separate-service', replicas: 1 });
    for (const kind of ['nginx', 'gateway-api', 'istio']) {
      const router = createTrafficRouter(kind, { client, audit: { runId: '1' } }, { namespace, name: 'checkout', ingress: 'checkout', httproute: 'checkout', virtualservice: 'checkout' });
      await router.ensure();
      await router.applyWeight(10);
      expect([kind, await router.readWeight()]).toEqual([kind, 10]);
    }
  });
});
