// Every failure of a Kubernetes call becomes a KubernetesError whose message names the object, its namespace
// and what the server said, so an action can show it to users as it is.
import { ApiException } from '@kubernetes/client-node';

/** The object a call is about, for messages such as "Deployment 'x' not found in namespace 'y'". */
export interface ObjectRef {
  kind: string;
  name?: string;
  namespace?: string;
}

export function describeObject(ref: ObjectRef): string {
  const what = ref.name ? `${ref.kind} '${ref.name}'` : `${ref.kind} objects`;
  return ref.namespace ? `${what} in namespace '${ref.namespace}'` : what;
}

export class KubernetesError extends Error {
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** The Status reason (NotFound, Conflict, Forbidden, ...), or a connection error code. */
  readonly reason?: string;
  readonly ref: ObjectRef;
  /** Seconds the server asked us to wait (429). */
  readonly retryAfterSeconds?: number;
  constructor(message: string, ref: ObjectRef, details: { status?: number; reason?: string; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.name = 'KubernetesError';
    this.ref = ref;
    this.status = details.status;
    this.reason = details.reason;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export class NotFoundError extends KubernetesError {
  constructor(ref: ObjectRef, details: { status?: number; reason?: string; cause?: unknown } = {}) {
    const where = ref.namespace ? ` in namespace '${ref.namespace}'` : '';
    super(`${ref.kind} '${ref.name}' not found${where}`, ref, details);
    this.name = 'NotFoundError';
  }
}

/** A write lost a race: the object changed since it was read (409 Conflict), or already exists (409 AlreadyExists). */
export class ConflictError extends KubernetesError {
  constructor(message: string, ref: ObjectRef, details: { status?: number; reason?: string; cause?: unknown } = {}) {
    super(message, ref, details);
    this.name = 'ConflictError';
  }
}

interface StatusBody {
  reason?: string;
  message?: string;
  details?: { retryAfterSeconds?: number };
}

function parseStatusBody(body: unknown): StatusBody {
  if (typeof body === 'object' && body !== null) return body as StatusBody;
  if (typeof body !== 'string' || body === '') return {};
  try {
    return JSON.parse(body) as StatusBody;
  } catch {
    return { message: body.slice(0, 300) };
  }
}

const CONNECTION_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

function connectionCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { name?: string; code?: string; cause?: unknown; message?: string };
    if (candidate.name === 'TimeoutError' || candidate.name === 'AbortError') return 'TIMEOUT';
    if (candidate.code && CONNECTION_CODES.has(candidate.code)) return candidate.code;
    current = candidate.cause;
  }
  const message = (error as Error | undefined)?.message ?? '';
  if (/fetch failed|socket hang up|other side closed/i.test(message)) return 'CONNECTION';
  return undefined;
}

/** Turns whatever client-node threw into a KubernetesError; `action` is a verb phrase ("update", "read"). */
export function toKubernetesError(error: unknown, ref: ObjectRef, action: string): KubernetesError {
  if (error instanceof KubernetesError) return error;
  if (error instanceof ApiException) {
    const status = parseStatusBody(error.body);
    const reason = status.reason;
    const details = { status: error.code, reason, cause: error };
    if (error.code === 404 && ref.name) return new NotFoundError(ref, details);
    if (error.code === 409) {
      const what = reason === 'AlreadyExists' ? 'already exists' : 'was changed by someone else since it was read';
      return new ConflictError(`Could not ${action} ${describeObject(ref)}: it ${what} (${status.message ?? reason ?? 'conflict'})`, ref, details);
    }
    const hint = error.code === 403 ? ' Check that the credentials are allowed to do this (see examples/kubernetes/rbac.yaml).' : '';
    return new KubernetesError(
      `Could not ${action} ${describeObject(ref)}: ${reason ?? 'HTTP ' + error.code} (${error.code}): ${status.message ?? 'no message'}.${hint}`,
      ref,
      { ...details, retryAfterSeconds: status.details?.retryAfterSeconds ?? retryAfterHeader(error.headers) },
    );
  }
  const code = connectionCode(error);
  const message = (error as Error | undefined)?.message ?? String(error);
  if (code === 'TIMEOUT') {
    return new KubernetesError(`Could not ${action} ${describeObject(ref)}: the Kubernetes API did not answer in time`, ref, { reason: code, cause: error });
  }
  return new KubernetesError(`Could not ${action} ${describeObject(ref)}: ${message}`, ref, { reason: code, cause: error });
}

function retryAfterHeader(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Worth retrying: throttled, a server-side failure, or the connection broke or timed out. */
export function isTransient(error: KubernetesError): boolean {
  if (error.status !== undefined) return error.status === 429 || (error.status >= 500 && error.status !== 501);
  return error.reason !== undefined;
}
