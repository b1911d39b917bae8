// The Kubernetes layer against the in-process fake API server; the same suite runs against a real
// kube-apiserver in test/integration/kubernetes-layer.test.ts.
import { describe } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { startFakeKubeApiServer } from '../../../../test/servers/kube-fake.ts';
import { defineLayerSuite } from '../../../../test/servers/kube-layer-suite.ts';

describe('Kubernetes layer on the fake API server', () => {
  defineLayerSuite(async () => {
    const fake = await startFakeKubeApiServer();
    let counter = 0;
    return {
      admin: fake.kubeConfig,
      layer: fake.kubeConfig,
      restricted: false,
      async newNamespace() {
        const name = `unit-${++counter}`;
        await fake.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
        return name;
      },
      stop: () => fake.stop(),
    };
  });
});
