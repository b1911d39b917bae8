import { describe, expect, test } from '@jest/globals';
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
