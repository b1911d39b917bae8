import { describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizationHeaders, fetchFailure } from './index.ts';

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('authorizationHeaders', () => {
  it('prefers a bearer token, then basic credentials, else nothing', () => {
    expect(authorizationHeaders({ bearerToken: 't0k', username: 'u' })).toEqual({ Authorization: 'Bearer t0k' });
    expect(authorizationHeaders({ username: 'u', password: 'p:w' })).toEqual({ Authorization: `Basic ${Buffer.from('u:p:w').toString('base64')}` });
    expect(authorizationHeaders({ username: '' })).toEqual({});
    expect(authorizationHeaders(undefined)).toEqual({});
  });
});

describe('fetchFailure', () => {
  it('tells a timeout (by name, whatever realm the error comes from) from an unreachable server', async () => {
    const silent = createServer(() => {}); // accepts, never answers
    const silentUrl = await listen(silent);
    try {
      const timedOut = await fetch(silentUrl, { signal: AbortSignal.timeout(50) }).catch((error: unknown) => error);
      expect(fetchFailure(timedOut)).toEqual({ kind: 'timeout' });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    expect(fetchFailure({ name: 'AbortError' })).toEqual({ kind: 'timeout' });

    const closed = createServer();
    const closedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const refused = await fetch(closedUrl).catch((error: unknown) => error);
    expect(fetchFailure(refused)).toEqual({ kind: 'unreachable', reason: 'ECONNREFUSED' });
    expect(fetchFailure(new Error('boom'))).toEqual({ kind: 'unreachable', reason: 'boom' });
  });
});
