// What the core's small HTTP clients (Prometheus, Pushgateway) share: credentials as headers, and telling a
// request that timed out from a server that could not be reached.

export interface HttpCredentials {
  bearerToken?: string;
  username?: string;
  password?: string;
}

export function authorizationHeaders(credentials: HttpCredentials | undefined): Record<string, string> {
  if (credentials?.bearerToken) return { Authorization: `Bearer ${credentials.bearerToken}` };
  if (credentials?.username !== undefined && credentials.username !== '') {
    return { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}` };
  }
  return {};
}

export type FetchFailure = { kind: 'timeout' } | { kind: 'unreachable'; reason: string };

/** Why fetch threw before any answer arrived. */
export function fetchFailure(error: unknown): FetchFailure {
  // By name, not instanceof: the DOMException fetch throws may come from another realm (a test VM, a worker).
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout' };
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return { kind: 'unreachable', reason: cause?.code ?? cause?.message ?? String((error as Error | null)?.message ?? error) };
}
