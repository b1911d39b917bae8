// An in-process fake of the Kubernetes API server (node:http) for fast unit tests and fault injection.
// It reproduces the behaviours the Kubernetes layer relies on, and test/integration/kubernetes-contract.test.ts
// runs the same checks against it and against a real kube-apiserver to prove that it does.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  JsonPatchError,
  type Json,
  type JsonPatchOperation,
} from './kube-patch.ts';
import { FaultInjector, injectedAnswer, statusBody, type FaultRule, type RecordedRequest } from './kube-faults.ts';

type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
};

export type { FaultKind, FaultRule, RecordedRequest } from './kube-faults.ts';

export interface FakeKubeApiServer {
  url: string;
  /** A KubeConfig pointing at the fake (token auth, namespace `default`). */
  kubeConfig: KubeConfig;
  kubeconfigYaml: string;
  /** Delay added before every response, in milliseconds. */
  latencyMs: number;
  setFaults(rules: FaultRule[], seed?: number): void;
  clearFaults(): void;
  /** Requests received since the last resetCounters, in order. */
  readonly requests: readonly RecordedRequest[];
  readonly requestCount: number;
  resetCounters(): void;
  /** Direct access to stored objects, for assertions that must not go through the API (and its faults). */
  getObject(apiPath: string): KubeObject | undefined;
  stop(): Promise<void>;
}

interface Resource {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const BUILT_IN_GROUPS = new Set(['', 'apps', 'networking.k8s.io', 'apiextensions.k8s.io', 'rbac.authorization.k8s.io']);
const KINDS: Record<string, string> = {
  configmaps: 'ConfigMap',
  services: 'Service',
  pods: 'Pod',
  namespaces: 'Namespace',
  serviceaccounts: 'ServiceAccount',
  secrets: 'Secret',
  deployments: 'Deployment',
  ingresses: 'Ingress',
  customresourcedefinitions: 'CustomResourceDefinition',
  roles: 'Role',
  rolebindings: 'RoleBinding',
};
const WITH_STATUS_SUBRESOURCE = new Set(['deployments', 'services', 'pods', 'ingresses', 'namespaces', 'customresourcedefinitions']);
const CLUSTER_SCOPED = new Set(['namespaces', 'customresourcedefinitions']);

function parsePath(pathname: string): Resource | undefined {
  const parts = pathname.split('/').filter(Boolean);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    [group, version, rest] = ['', parts[1], parts.slice(2)];
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length < 1 || rest.length > 3) return undefined;
  return { group, version, namespace, plural: rest[0], name: rest[1], subresource: rest[2] };
}

/** Equality- and set-based label selectors (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`). */
export function matchesLabelSelector(labels: Record<string, string> = {}, selector: string): boolean {
  const requirements = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return requirements.every((raw) => {
    const requirement = raw.trim();
    if (!requirement) return true;
    const set = requirement.match(/^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/);
    if (set) {
      const values = set[3].split(',').map((value) => value.trim());
      const has = set[1] in labels && values.includes(labels[set[1]]);
      return set[2] === 'in' ? has : !has;
    }
    const inequality = requirement.match(/^([^!=]+)!=(.*)$/);
    if (inequality) return labels[inequality[1].trim()] !== inequality[2].trim();
    const equality = requirement.match(/^([^=]+)==?(.*)$/);
    if (equality) return labels[equality[1].trim()] === equality[2].trim();
    if (requirement.startsWith('!')) return !(requirement.slice(1) in labels);
    return requirement in labels;
  });
}

class HttpError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

export async function startFakeKubeApiServer(options: { latencyMs?: number } = {}): Promise<FakeKubeApiServer> {
  // key: `${group}/${plural}/${namespace ?? ''}`, then name -> object
  const store = new Map<string, Map<string, KubeObject>>();
  let resourceVersion = 1000;
  let clusterIpCounter = 10;
  const faults = new FaultInjector();
  const sockets = new Set<Socket>();

  const bucket = (group: string, plural: string, namespace = '') => {
    const key = `${group}/${plural}/${namespace}`;
    let objects = store.get(key);
    if (!objects) store.set(key, (objects = new Map()));
    return objects;
  };
  const resourceName = (resource: Resource) => (resource.group ? `${resource.plural}.${resource.group}` : resource.plural);
  const notFound = (resource: Resource, name: string) =>
    new HttpError(404, 'NotFound', `${resourceName(resource)} "${name}" not found`);
  const kindOf = (resource: Resource, body?: KubeObject) =>
    body?.kind ?? KINDS[resource.plural] ?? customKinds.get(`${resource.group}/${resource.plural}`) ?? resource.plural;
  const customKinds = new Map<string, string>();
  const nextVersion = () => String(++resourceVersion);

  for (const namespace of ['default', 'kube-system', 'kube-public']) {
    bucket('', 'namespaces').set(namespace, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, resourceVersion: nextVersion(), uid: crypto.randomUUID() },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  function handle(method: string, url: URL, contentType: string, rawBody: string): { code: number; body: unknown } {
    const resource = parsePath(url.pathname);
    if (!resource) throw new HttpError(404, 'NotFound', `the server could not find the requested resource`);
    const clusterScoped = CLUSTER_SCOPED.has(resource.plural);
    if (!clusterScoped && resource.namespace && resource.plural !== 'namespaces') {
      if (!bucket('', 'namespaces').has(resource.namespace) && method === 'POST') {
        throw new HttpError(404, 'NotFound', `namespaces "${resource.namespace}" not found`);
      }
    }
    const objects = bucket(resource.group, resource.plural, resource.namespace);
    const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    const body = rawBody ? (JSON.parse(rawBody) as KubeObject) : undefined;

    if (method === 'GET' && !resource.name) {
      const selector = url.searchParams.get('labelSelector') ?? '';
      const sources = resource.namespace || clusterScoped
        ? [objects]
        : [...store.entries()].filter(([key]) => key.startsWith(`${resource.group}/${resource.plural}/`)).map(([, map]) => map);
      const items = sources
        .flatMap((map) => [...map.values()])
        .filter((item) => matchesLabelSelector(item.metadata.labels, selector))
        .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
      return {
        code: 200,
        body: { apiVersion, kind: `${kindOf(resource)}List`, metadata: { resourceVersion: String(resourceVersion) }, items },
      };
    }
    if (method === 'POST' && !resource.name) {
      if (!body?.metadata?.name) throw new HttpError(422, 'Invalid', `${kindOf(resource)} is invalid: metadata.name: Required value`);
      const name = body.metadata.name;
      if (objects.has(name)) {
        throw new HttpError(409, 'AlreadyExists', `${resourceName(resource)} "${name}" already exists`);
      }
      const created: KubeObject = structuredClone(body);
      created.apiVersion = apiVersion;
      created.kind = kindOf(resource, body);
      created.metadata = {
        ...created.metadata,
        ...(clusterScoped ? {} : { namespace: resource.namespace }),
        uid: crypto.randomUUID(),
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        resourceVersion: nextVersion(),
      };
      if (created.spec !== undefined || !BUILT_IN_GROUPS.has(resource.group) || resource.plural === 'deployments') {
        created.metadata.generation = 1;
      }
      if (WITH_STATUS_SUBRESOURCE.has(resource.plural)) created.status = {};
      validate(resource, created);
      if (resource.plural === 'services') allocateClusterIp(created, resource);
      if (resource.plural === 'customresourcedefinitions') establish(created);
      objects.set(name, created);
      return { code: 201, body: created };
    }
    if (!resource.name) throw new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);

    const current = objects.get(resource.name);
    if (method === 'GET') {
      if (!current) throw notFound(resource, resource.name);
      return { code: 200, body: current };
    }
    if (method === 'DELETE') {
      if (!current) throw notFound(resource, resource.name);
      objects.delete(resource.name);
      return {
        code: 200,
        body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: resource.name, kind: resource.plural, uid: current.metadata.uid } },
      };
    }
    if (!current) throw notFound(resource, resource.name);
    if (!body) throw new HttpError(400, 'BadRequest', 'the request body is empty');

    let next: KubeObject;
    if (method === 'PUT') {
      const sentVersion = body.metadata?.resourceVersion;
      if (!sentVersion) {
        throw new HttpError(422, 'Invalid', `${kindOf(resource)} "${resource.name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`);
      }
      next = structuredClone(body);
      checkPrecondition(sentVersion, current, resource);
    } else if (method === 'PATCH') {
      next = applyPatch(resource, contentType, current, body as unknown as Json);
      const patchVersion = (body as KubeObject).metadata?.resourceVersion ?? next.metadata?.resourceVersion;
      // the real server treats a resourceVersion carried by a patch as a precondition
      if (patchVersion && patchVersion !== current.metadata.resourceVersion) checkPrecondition(patchVersion, current, resource);
    } else {
      throw new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }
    return { code: 200, body: store_(resource, objects, current, next, apiVersion) };
  }

  function checkPrecondition(sentVersion: string, current: KubeObject, resource: Resource) {
    if (sentVersion !== current.metadata.resourceVersion) {
      throw new HttpError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resourceName(resource)} "${resource.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
  }

  function applyPatch(resource: Resource, contentType: string, current: KubeObject, patch: Json): KubeObject {
    const type = contentType.split(';')[0].trim();
    try {
      if (type === 'application/merge-patch+json') return applyMergePatch(current as unknown as Json, patch) as unknown as KubeObject;
      if (type === 'application/json-patch+json') {
        if (!Array.isArray(patch)) throw new HttpError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
        return applyJsonPatch(current as unknown as Json, patch as unknown as JsonPatchOperation[]) as unknown as KubeObject;
      }
      if (type === 'application/strategic-merge-patch+json' && BUILT_IN_GROUPS.has(resource.group)) {
        return applyStrategicMergePatch(current as unknown as Json, patch) as unknown as KubeObject;
      }
    } catch (error) {
      if (error instanceof JsonPatchError) throw new HttpError(422, 'Invalid', error.message);
      throw error;
    }
    throw new HttpError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
  }

  function store_(resource: Resource, objects: Map<string, KubeObject>, current: KubeObject, next: KubeObject, apiVersion: string) {
    const updated: KubeObject = structuredClone(next);
    updated.apiVersion = apiVersion;
    updated.kind = current.kind;
    // identity fields are the server's, whatever the client sent
    updated.metadata = {
      ...updated.metadata,
      name: current.metadata.name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      ...(current.metadata.namespace ? { namespace: current.metadata.namespace } : {}),
    };
    if (WITH_STATUS_SUBRESOURCE.has(resource.plural) || (resource.subresource === 'status')) {
      if (resource.subresource === 'status') {
        // a status write changes nothing but the status
        const status = updated.status;
        Object.assign(updated, structuredClone(current), { status });
        updated.metadata = structuredClone(current.metadata);
      } else {
        updated.status = structuredClone(current.status);
      }
    }
    // Deployments also count annotation changes as a new generation (a legacy of the rollback annotation)
    const specChanged = JSON.stringify(updated.spec) !== JSON.stringify(current.spec) ||
      (resource.plural === 'deployments' && JSON.stringify(updated.metadata.annotations ?? {}) !== JSON.stringify(current.metadata.annotations ?? {}));
    if (current.metadata.generation !== undefined) {
      updated.metadata.generation = current.metadata.generation + (specChanged ? 1 : 0);
    }
    if (resource.plural === 'services') {
      const spec = updated.spec as { clusterIP?: string } | undefined;
      const previous = (current.spec as { clusterIP?: string } | undefined)?.clusterIP;
      if (spec && spec.clusterIP !== previous) {
        throw new HttpError(422, 'Invalid', `Service "${resource.name}" is invalid: spec.clusterIP: Invalid value: "${spec.clusterIP}": field is immutable`);
      }
    }
    validate(resource, updated, current);
    if (resource.plural === 'configmaps' && current.immutable === true &&
      (JSON.stringify(updated.data) !== JSON.stringify(current.data) || updated.immutable !== true)) {
      throw new HttpError(422, 'Invalid', `ConfigMap "${resource.name}" is invalid: data: Forbidden: field is immutable when \`immutable\` is set`);
    }
    // 1.20 bumps resourceVersion even on a write that changes nothing (managedFields timestamps change)
    updated.metadata.resourceVersion = nextVersion();
    if (resource.plural === 'customresourcedefinitions') establish(updated);
    objects.set(current.metadata.name, updated);
    return updated;
  }

  /** The validation rules of the real server that our writes could break (answered 422 Invalid there too). */
  function validate(resource: Resource, object: KubeObject, previous?: KubeObject) {
    const invalid = (field: string, problem: string) =>
      new HttpError(422, 'Invalid', `${kindOf(resource, object)} "${object.metadata.name}" is invalid: ${field}: ${problem}`);
    for (const [key, value] of Object.entries(object.metadata.labels ?? {})) {
      if (typeof value !== 'string' || value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)) {
        throw invalid('metadata.labels', `Invalid value: "${value}": a valid label must be 63 characters or less, alphanumeric at both ends (key ${key})`);
      }
    }
    if (resource.plural !== 'deployments' || resource.subresource === 'status') return;
    const spec = object.spec as { selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: unknown[] } } } | undefined;
    const selector = spec?.selector?.matchLabels ?? {};
    const labels = spec?.template?.metadata?.labels ?? {};
    if (Object.keys(selector).length === 0) throw invalid('spec.selector', 'Required value');
    if (Object.entries(selector).some(([key, value]) => labels[key] !== value)) {
      throw invalid('spec.template.metadata.labels', 'Invalid value: `selector` does not match template `labels`');
    }
    if (!spec?.template?.spec?.containers?.length) throw invalid('spec.template.spec.containers', 'Required value');
    if (previous && JSON.stringify((previous.spec as { selector?: unknown }).selector) !== JSON.stringify(spec?.selector)) {
      throw invalid('spec.selector', 'Invalid value: field is immutable');
    }
  }

  function allocateClusterIp(service: KubeObject, resource: Resource) {
    const spec = (service.spec ??= {}) as { clusterIP?: string; clusterIPs?: string[]; type?: string };
    const taken = new Set(
      [...store.entries()]
        .filter(([key]) => key.startsWith('/services/'))
        .flatMap(([, map]) => [...map.values()].map((item) => (item.spec as { clusterIP?: string })?.clusterIP)),
    );
    if (spec.clusterIP && spec.clusterIP !== 'None') {
      if (taken.has(spec.clusterIP)) {
        throw new HttpError(422, 'Invalid', `Service "${resource.name ?? service.metadata.name}" is invalid: spec.clusterIPs: Invalid value: []string{"${spec.clusterIP}"}: failed to allocated ip:${spec.clusterIP} with error:provided IP is already allocated`);
      }
    } else if (!spec.clusterIP) {
      spec.clusterIP = `10.96.0.${clusterIpCounter++}`;
    }
    spec.clusterIPs = [spec.clusterIP];
    spec.type ??= 'ClusterIP';
  }

  function establish(crd: KubeObject) {
    const spec = crd.spec as { group: string; names: { plural: string; kind: string } };
    customKinds.set(`${spec.group}/${spec.names.plural}`, spec.names.kind);
    crd.status = {
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted' },
      ],
      acceptedNames: spec.names,
      storedVersions: [(crd.spec as { versions: Array<{ name: string }> }).versions[0]?.name],
    };
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const record = faults.record(request.method ?? 'GET', url.pathname, request.headers['content-type']);
      const respond = () => {
        if (record.fault === 'reset') {
          request.socket.destroy();
          return;
        }
        if (record.fault === 'timeout') return; // never answer; the client's deadline must fire
        let code: number;
        let body: unknown;
        let headers: Record<string, string> = { 'content-type': 'application/json' };
        const injected = injectedAnswer(record.fault);
        if (injected) {
          ({ code, body, headers } = injected);
        } else {
          try {
            ({ code, body } = handle(record.method, url, String(request.headers['content-type'] ?? ''), Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            if (error instanceof HttpError) [code, body] = [error.code, statusBody(error.code, error.reason, error.message)];
            else if (error instanceof SyntaxError) [code, body] = [400, statusBody(400, 'BadRequest', error.message)];
            else [code, body] = [500, statusBody(500, 'InternalError', String(error))];
          }
        }
        if (record.fault === 'lost-response') {
          request.socket.destroy();
          return;
        }
        response.writeHead(code, headers).end(JSON.stringify(body));
      };
      if (fake.latencyMs > 0) setTimeout(respond, fake.latencyMs);
      else respond();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfigYaml = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: fake, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]`,
    'users: [{name: fake, user: {token: fake-token}}]',
    'contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: default}}]',
    'current-context: fake',
    '',
  ].join('\n');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigYaml);

  const fake: FakeKubeApiServer = {
    url,
    kubeConfig,
    kubeconfigYaml,
    latencyMs: options.latencyMs ?? 0,
    setFaults(rules, seed = 1) {
      faults.set(rules, seed);
    },
    clearFaults() {
      faults.clear();
    },
    get requests() {
      return faults.requests;
    },
    get requestCount() {
      return faults.requests.length;
    },
    resetCounters() {
      faults.requests = [];
    },
    getObject(apiPath) {
      const resource = parsePath(apiPath);
      if (!resource?.name) return undefined;
      const object = bucket(resource.group, resource.plural, resource.namespace).get(resource.name);
      return object ? structuredClone(object) : undefined;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
