// Read-modify-write of a custom object (HTTPRoute, VirtualService) with the read's resourceVersion as the
// precondition, re-reading on conflict, so a concurrent edit of other rules is never overwritten.
import type { PatchStrategy } from '@kubernetes/client-node';
import type { KubeClient } from '../client.ts';
import { ConflictError, type ObjectRef } from '../errors.ts';

export interface CustomResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

export interface CustomObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export const HTTP_ROUTE: CustomResource = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', kind: 'HTTPRoute' };
export const VIRTUAL_SERVICE: CustomResource = { group: 'networking.istio.io', version: 'v1beta1', plural: 'virtualservices', kind: 'VirtualService' };

export async function readCustomObject(client: KubeClient, resource: CustomResource, namespace: string, name: string): Promise<CustomObject> {
  const ref: ObjectRef = { kind: resource.kind, name, namespace };
  return client.call(ref, 'read', (options) =>
    client.custom.getNamespacedCustomObject({ ...resource, namespace, name }, options) as Promise<CustomObject>, { retry: true });
}

/**
 * Reads the object, lets `build` compute a patch from it (undefined: nothing to change), and sends it with the
 * given content type. Conflicts (the object changed in between) start over, up to 4 rounds.
 */
export async function updateCustomObject(
  client: KubeClient,
  resource: CustomResource,
  namespace: string,
  name: string,
  patch: PatchStrategy,
  build: (current: CustomObject) => unknown,
): Promise<CustomObject> {
  const ref: ObjectRef = { kind: resource.kind, name, namespace };
  for (let round = 0; ; round++) {
    const current = await readCustomObject(client, resource, namespace, name);
    const body = build(current);
    if (body === undefined) return current;
    try {
      return await client.call(ref, 'update', (options) =>
        client.custom.patchNamespacedCustomObject({ ...resource, namespace, name, body }, options) as Promise<CustomObject>,
      { retry: true, patch });
    } catch (error) {
      if (error instanceof ConflictError && round < 3) continue;
      throw error;
    }
  }
}

/** JSON Pointer escaping of one path segment (annotation keys contain '/'). */
export const pointerSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
