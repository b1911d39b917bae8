// The pure parts of the layer: labels, names, audit, replica split, weight rewriting of routes.
import { describe, expect, test } from '@jest/globals';
import {
  auditAnnotations,
  auditContextFromEnv,
  canaryLabelValue,
  canaryPodLabels,
  promptConfigMapName,
  readHttpRouteWeight,
  readIstioWeight,
  splitReplicas,
  stickyBucket,
  toLabelValue,
  weightHttpRouteRules,
  weightIstioRoute,
} from './index.ts';

describe('labels and names', () => {
  test('versions become valid label values', () => {
    expect(toLabelValue('2.0.0')).toBe('2.0.0');
    expect(toLabelValue('v2/beta+build')).toBe('v2-beta-build');
    expect(toLabelValue('-x-')).toBe('x');
    expect(toLabelValue('a'.repeat(80))).toHaveLength(63);
    expect(canaryLabelValue('b'.repeat(63))).toBe('b'.repeat(56) + '-canary');
  });

  test('separate-service canary labels suffix exactly the selector keys', () => {
    expect(canaryPodLabels({ app: 'web', tier: 'x', role: 'api' }, ['app', 'role', 'absent'], 'separate-service', '2'))
      .toEqual({ app: 'web-canary', tier: 'x', role: 'api-canary', 'model-cicd.dev/track': 'canary', 'model-cicd.dev/version': '2' });
    expect(canaryPodLabels({ app: 'web' }, ['app'], 'shared-service', '2')).toEqual({ app: 'web', 'model-cicd.dev/track': 'canary', 'model-cicd.dev/version': '2' });
  });

  test('prompt ConfigMap names depend on content only, not on key order', () => {
    const name = promptConfigMapName('web', { a: '1', b: '2' });
    expect(promptConfigMapName('web', { b: '2', a: '1' })).toBe(name);
    expect(promptConfigMapName('web', { a: '1', b: '3' })).not.toBe(name);
    expect(promptConfigMapName('x'.repeat(260), { a: '1' })).toHaveLength(253);
  });
});

describe('audit', () => {
  test('the run identity from the GitHub environment', () => {
    const context = auditContextFromEnv({
      GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2',
      GITHUB_SHA: 'deadbeef', GITHUB_ACTOR: 'octocat',
    }, '2.0.0');
    expect(context).toEqual({ version: '2.0.0', runId: '77', sha: 'deadbeef', actor: 'octocat', runUrl: 'https://github.com/acme/shop/actions/runs/77/attempts/2' });
    expect(auditAnnotations(context, new Date('2026-01-02T03:04:05Z'))).toEqual({
      'model-cicd.dev/version': '2.0.0', 'model-cicd.dev/run-id': '77', 'model-cicd.dev/sha': 'deadbeef', 'model-cicd.dev/actor': 'octocat',
      'model-cicd.dev/run-url': 'https://github.com/acme/shop/actions/runs/77/attempts/2', 'model-cicd.dev/updated-at': '2026-01-02T03:04:05.000Z',
    });
    expect(Object.keys(auditAnnotations({}))).toEqual(['model-cicd.dev/updated-at']);
  });
});

describe('replica split', () => {
  test.each([
    [4, 25, 1, 3, 25], [3, 10, 0, 3, 0], [3, 50, 2, 1, 66.67], [10, 100, 10, 0, 100], [10, 0, 0, 10, 0],
  ])('%i replicas at %i%%: canary %i, stable %i (%f%% effective)', (total, weight, canary, stable, effective) => {
    const split = splitReplicas(total, weight);
    expect([split.canary, split.stable]).toEqual([canary, stable]);
    expect(split.effective).toBeCloseTo(effective, 1);
  });
});

describe('route weights', () => {
  test('HTTPRoute: full rule list back, other backends kept, reading gives the share', () => {
    const rules = [
      { backendRefs: [{ name: 'other', port: 80 }] },
      { backendRefs: [{ name: 'web', port: 80 }, { name: 'mirror', port: 81, weight: 0 }] },
    ];
    const next = weightHttpRouteRules(rules, 'web', 30, 'route');
    expect(next[0]).toBe(rules[0]);
    expect(next[1].backendRefs).toEqual([{ name: 'web', port: 80, weight: 70 }, { name: 'web-canary', port: 80, weight: 30 }, { name: 'mirror', port: 81, weight: 0 }]);
    expect(readHttpRouteWeight(next, 'web')).toBe(30);
    expect(readHttpRouteWeight(rules, 'web')).toBe(0);
    expect(weightHttpRouteRules(weightHttpRouteRules(rules, 'web', 30, 'r'), 'web', 60, 'r')[1].backendRefs).toHaveLength(3);
    expect(() => weightHttpRouteRules(rules, 'nope', 10, 'route')).toThrow("HTTPRoute 'route' has no rule with a backendRef to Service 'nope'");
  });

  test('VirtualService: canary host in the same form as the stable host', () => {
    const route = [{ destination: { host: 'web.shop.svc.cluster.local', port: { number: 80 } } }];
    const next = weightIstioRoute(route, 'web', 20);
    expect(next).toEqual([
      { destination: { host: 'web.shop.svc.cluster.local', port: { number: 80 } }, weight: 80 },
      { destination: { host: 'web-canary.shop.svc.cluster.local', port: { number: 80 } }, weight: 20 },
    ]);
    expect(readIstioWeight([{ route: next }], 'web')).toBe(20);
    expect(weightIstioRoute([{ destination: { host: 'other' } }], 'web', 20)).toBeUndefined();
  });

  test('sticky buckets are stable and spread evenly', () => {
    expect(stickyBucket('user-1')).toBe(stickyBucket('user-1'));
    const buckets = Array.from({ length: 2000 }, (_, index) => stickyBucket(`u${index}`));
    const below = buckets.filter((bucket) => bucket < 1000).length / buckets.length;
    expect(below).toBeGreaterThan(0.07);
    expect(below).toBeLessThan(0.13);
  });
});
