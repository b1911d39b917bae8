import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { groupUrl, parsePushgatewayBase, pushMetrics, PushgatewayError } from './client.ts';

const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('groupUrl', () => {
  test('job then grouping labels in sorted order, plain values URL-encoded', () => {
    expect(groupUrl('http://pg:9091', 'model-cicd-regression-check', { workflow: 'ci checks', check: 'latency_ms' }).toString()).toBe(
      'http://pg:9091/metrics/job/model-cicd-regression-check/check/latency_ms/workflow/ci%20checks',
    );
    expect(groupUrl('http://pg:9091/', 'j', { a: 'x?y#z%' }).pathname).toBe('/metrics/job/j/a/x%3Fy%23z%25');
  });

  test('values with "/" use the documented @base64 form (base64url); an empty value is @base64/=', () => {
    const url = groupUrl('http://pg:9091', 'j', { repository: 'octo-org/model-cicd-demo', check: '.github/metrics.yml', empty: '' });
    expect(url.pathname).toBe(
      `/metrics/job/j/check@base64/${base64url('.github/metrics.yml')}/empty@base64/=/repository@base64/${base64url('octo-org/model-cicd-demo')}`,
    );
    // base64url never contains "/" or "+", which would break the path.
    expect(groupUrl('http://pg', 'j', { v: '???/>>>' }).pathname).toBe(`/metrics/job/j/v@base64/${base64url('???/>>>')}`);
    expect(base64url('???/>>>')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(groupUrl('http://pg', 'team/job', {}).pathname).toBe(`/metrics/job@base64/${base64url('team/job')}`);
  });

  test('a path prefix of the base URL is kept', () => {
    expect(groupUrl('https://example.org/pushgateway', 'j', {}).toString()).toBe('https://example.org/pushgateway/metrics/job/j');
  });

  test('bad URLs, an empty job and bad grouping labels are refused with the reason', () => {
    expect(() => parsePushgatewayBase('pushgateway:9091')).toThrow(/not an http\(s\) URL/);
    expect(() => parsePushgatewayBase('not a url')).toThrow(/is not a URL/);
    expect(() => parsePushgatewayBase('http://pg:9091/?x=1')).toThrow(/query or fragment/);
    expect(() => groupUrl('http://pg', '', {})).toThrow(/job name is empty/);
    expect(() => groupUrl('http://pg', 'j', { job: 'x' })).toThrow(/'job' cannot be a grouping label/);
    expect(() => groupUrl('http://pg', 'j', { 'my-label': 'x' })).toThrow(/'my-label' is not a valid grouping label name/);
    expect(() => groupUrl('http://pg', 'j', { __x: 'x' })).toThrow(PushgatewayError);
  });
});

describe('pushMetrics errors', () => {
  test('an unreachable Pushgateway is named in the error', async () => {
    // A port that was just free and is closed again: connection refused.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const push = pushMetrics({ url, job: 'j', grouping: {}, text: 'm 1\n', method: 'PUT', timeoutMs: 5000 });
    await expect(push).rejects.toThrow(new RegExp(`cannot reach the Pushgateway at ${url} \\(ECONNREFUSED\\)`));
    await expect(push).rejects.toMatchObject({ kind: 'unreachable' });
  });
});

describe('pushMetrics requests', () => {
  // A recording HTTP server: the real Pushgateway ignores Authorization, so headers are checked here.
  interface Seen {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
  }
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let respond: (response: ServerResponse) => void = (response) => response.writeHead(200).end();
  beforeAll(async () => {
    server = createHttpServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
        respond(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/prefix`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('sends the text as exposition format with bearer or basic auth, to the group URL under the prefix', async () => {
    seen.length = 0;
    respond = (response) => response.writeHead(202).end();
    const options = { url: base, job: 'j', grouping: { repository: 'o/r' }, text: 'm 1\n', method: 'PUT' as const, timeoutMs: 5000 };
    expect(await pushMetrics({ ...options, auth: { bearer: 'tok' } })).toEqual({ url: `${base}/metrics/job/j/repository@base64/${base64url('o/r')}`, status: 202 });
    await pushMetrics({ ...options, method: 'POST', auth: { basic: { username: 'u', password: 'p:w' } } });
    await pushMetrics(options);
    expect(seen.map((s) => [s.method, s.url, s.body, s.headers['content-type']])).toEqual([
      ['PUT', `/prefix/metrics/job/j/repository@base64/${base64url('o/r')}`, 'm 1\n', 'text/plain; version=0.0.4; charset=utf-8'],
      ['POST', `/prefix/metrics/job/j/repository@base64/${base64url('o/r')}`, 'm 1\n', 'text/plain; version=0.0.4; charset=utf-8'],
      ['PUT', `/prefix/metrics/job/j/repository@base64/${base64url('o/r')}`, 'm 1\n', 'text/plain; version=0.0.4; charset=utf-8'],
    ]);
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer tok', `Basic ${Buffer.from('u:p:w').toString('base64')}`, undefined]);
  });

  test('a non-2xx answer names the URL, the status and the body; 401 hints at the token', async () => {
    respond = (response) => response.writeHead(503).end('overloaded, try later');
    const options = { url: base, job: 'j', grouping: {}, text: 'm 1\n', method: 'PUT' as const, timeoutMs: 5000 };
    await expect(pushMetrics(options)).rejects.toThrow(`the Pushgateway at ${base} answered HTTP 503 to PUT /prefix/metrics/job/j: overloaded, try later`);
    respond = (response) => response.writeHead(401).end();
    await expect(pushMetrics(options)).rejects.toThrow(/HTTP 401 to PUT \/prefix\/metrics\/job\/j; check the token/);
  });

  test('a Pushgateway that does not answer times out with the URL named', async () => {
    respond = () => undefined; // never answers
    const push = pushMetrics({ url: base, job: 'j', grouping: {}, text: 'm 1\n', method: 'PUT', timeoutMs: 200 });
    await expect(push).rejects.toMatchObject({ kind: 'timeout', message: `the Pushgateway at ${base} did not answer within 0.2 s` });
  });
});
