// A stable application as a user would have it before the first rollout (Deployment, Service, Ingress, HTTPRoute,
// VirtualService), and helpers that play the missing controllers by writing Deployment and Pod status.
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1DeploymentCondition,
} from '@kubernetes/client-node';

export interface StableApp {
  namespace: string;
  name: string;
  service: string;
  ingress: string;
  httproute: string;
  virtualservice: string;
}

export async function seedStableApp(kubeConfig: KubeConfig, namespace: string, name = 'checkout', replicas = 4): Promise<StableApp> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const networking = kubeConfig.makeApiClient(NetworkingV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const labels = { app: name, tier: 'web' };
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, labels, annotations: { owner: 'team-ml' } },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              { name: 'server', image: `registry.example/${name}:1.0.0`, env: [{ name: 'PROMPT_VERSION', value: '1.0.0' }, { name: 'LOG_LEVEL', value: 'info' }], ports: [{ containerPort: 8080 }] },
              { name: 'proxy', image: 'registry.example/proxy:3' },
            ],
          },
        },
      },
    },
  });
  await core.createNamespacedService({
    namespace,
    body: { metadata: { name, labels }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  });
  await networking.createNamespacedIngress({
    namespace,
    body: {
      metadata: { name, annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      spec: { rules: [{ host: `${name}.example`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }] },
    },
  });
  await custom.createNamespacedCustomObject({
    group: 'gateway.networking.k8s.io', version: 'v1', namespace, plural: 'httproutes',
    body: {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name },
      spec: {
        parentRefs: [{ name: 'public' }],
        hostnames: [`${name}.example`],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/healthz' } }], backendRefs: [{ name: 'health', port: 80 }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name, port: 80 }] },
        ],
      },
    },
  });
  await custom.createNamespacedCustomObject({
    group: 'networking.istio.io', version: 'v1beta1', namespace, plural: 'virtualservices',
    body: {
      apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name },
      spec: {
        hosts: [`${name}.example`],
        http: [
          { match: [{ uri: { prefix: '/admin' } }], route: [{ destination: { host: 'admin' } }] },
          { route: [{ destination: { host: `${name}.${namespace}.svc.cluster.local`, port: { number: 80 } } }] },
        ],
      },
    },
  });
  return { namespace, name, service: name, ingress: name, httproute: name, virtualservice: name };
}

/** Plays the Deployment controller: every desired replica available (or `available` of them), generation observed. */
export async function setDeploymentStatus(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  options: { available?: number; conditions?: V1DeploymentCondition[] } = {},
): Promise<void> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const current = await apps.readNamespacedDeployment({ name, namespace });
  const desired = current.spec?.replicas ?? 1;
  const available = options.available ?? desired;
  await apps.patchNamespacedDeploymentStatus({
    name, namespace,
    body: {
      status: {
        observedGeneration: current.metadata?.generation,
        replicas: desired,
        updatedReplicas: desired,
        readyReplicas: available,
        availableReplicas: available,
        unavailableReplicas: desired - available,
        conditions: options.conditions ?? null,
      },
    },
  }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

/** Plays the Deployment controller for both tracks: every replica of the stable and (if it exists) the canary available. */
export async function settleTracks(kubeConfig: KubeConfig, app: Pick<StableApp, 'namespace' | 'name'>): Promise<void> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  for (const name of [app.name, `${app.name}-canary`]) {
    const exists = await apps.readNamespacedDeployment({ name, namespace: app.namespace }).then(() => true, () => false);
    if (exists) await setDeploymentStatus(kubeConfig, app.namespace, name);
  }
}

/** Plays the kubelet: a pod with the given labels whose container waits in `waitingReason` after `restarts`. */
export async function createPodWithStatus(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  status: { restarts: number; waitingReason?: string },
): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespacedPod({ namespace, body: { metadata: { name, labels }, spec: { containers: [{ name: 'server', image: 'x' }] } } });
  const pod = await core.readNamespacedPod({ name, namespace });
  await core.replaceNamespacedPodStatus({
    name, namespace,
    body: {
      ...pod,
      status: {
        phase: 'Running',
        containerStatuses: [{
          name: 'server', image: 'x', imageID: '', ready: !status.waitingReason, restartCount: status.restarts,
          state: status.waitingReason ? { waiting: { reason: status.waitingReason } } : { running: {} },
        }],
      },
    },
  });
}
