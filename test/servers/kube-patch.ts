// The three patch formats the Kubernetes API server accepts for JSON bodies, as plain functions over
// JSON values, so the fake API server can apply them exactly as the real one does for our objects.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const clone = <T>(value: T): T => structuredClone(value);

/** RFC 7386: objects merge recursively, null deletes, everything else (lists too) replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key] ?? null, value);
  }
  return result;
}

/**
 * The patchMergeKey of the list fields our objects use (from the Kubernetes OpenAPI `x-kubernetes-patch-merge-key`).
 * Ports merge by containerPort in pod specs and by port in Services, so the key is picked per element.
 */
const MERGE_KEYS: Record<string, (element: JsonObject) => string | undefined> = {
  containers: () => 'name',
  initContainers: () => 'name',
  ephemeralContainers: () => 'name',
  env: () => 'name',
  volumes: () => 'name',
  volumeMounts: () => 'mountPath',
  imagePullSecrets: () => 'name',
  conditions: () => 'type',
  ports: (element) => ('containerPort' in element ? 'containerPort' : 'port'),
};

/** Strategic merge patch: as a merge patch, except that lists with a merge key merge element by element. */
export function applyStrategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (Array.isArray(patch)) return mergeList(target, patch, field);
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    if (value === null) delete result[key];
    else result[key] = applyStrategicMergePatch(result[key] ?? null, value, key);
  }
  return result;
}

function mergeList(target: Json, patch: Json[], field: string): Json {
  const keyOf = MERGE_KEYS[field];
  if (!keyOf || !Array.isArray(target)) return clone(patch);
  const result = clone(target) as Json[];
  for (const element of patch) {
    if (!isObject(element)) return clone(patch);
    const key = keyOf(element);
    if (!key) return clone(patch);
    const index = result.findIndex((existing) => isObject(existing) && existing[key] === element[key]);
    if (element.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = applyStrategicMergePatch(result[index], element, '');
    } else {
      result.push(applyStrategicMergePatch(null, element, ''));
    }
  }
  return result;
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

export class JsonPatchError extends Error {}

/** RFC 6902 over RFC 6901 pointers. */
export function applyJsonPatch(target: Json, operations: JsonPatchOperation[]): Json {
  let document = clone(target);
  for (const operation of operations) {
    switch (operation.op) {
      case 'add':
        document = setAt(document, operation.path, clone(operation.value ?? null), 'add');
        break;
      case 'replace':
        getAt(document, operation.path);
        document = setAt(document, operation.path, clone(operation.value ?? null), 'replace');
        break;
      case 'remove':
        document = removeAt(document, operation.path);
        break;
      case 'move': {
        const value = getAt(document, operation.from ?? '');
        document = setAt(removeAt(document, operation.from ?? ''), operation.path, value, 'add');
        break;
      }
      case 'copy':
        document = setAt(document, operation.path, clone(getAt(document, operation.from ?? '')), 'add');
        break;
      case 'test':
        if (JSON.stringify(getAt(document, operation.path)) !== JSON.stringify(operation.value)) {
          throw new JsonPatchError(`test failed at ${operation.path}`);
        }
        break;
      default:
        throw new JsonPatchError(`unknown operation ${JSON.stringify(operation)}`);
    }
  }
  return document;
}

const parsePointer = (pointer: string): string[] =>
  pointer === '' ? [] : pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));

function getAt(document: Json, pointer: string): Json {
  let node: Json = document;
  for (const part of parsePointer(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(part) && Number(part) < node.length) node = node[Number(part)];
    else if (isObject(node) && part in node) node = node[part];
    else throw new JsonPatchError(`path ${pointer} does not exist`);
  }
  return node;
}

function setAt(document: Json, pointer: string, value: Json, mode: 'add' | 'replace'): Json {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return value;
  const last = parts.pop() as string;
  const parent = getAt(document, parts.length ? '/' + parts.join('/') : '');
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index > parent.length) throw new JsonPatchError(`bad index in ${pointer}`);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw new JsonPatchError(`parent of ${pointer} is not a container`);
  }
  return document;
}

function removeAt(document: Json, pointer: string): Json {
  const parts = parsePointer(pointer);
  const last = parts.pop() as string;
  const parent = getAt(document, parts.length ? '/' + parts.join('/') : '');
  if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObject(parent) && last in parent) delete parent[last];
  else throw new JsonPatchError(`path ${pointer} does not exist`);
  return document;
}
