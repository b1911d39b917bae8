import { expect, test } from '@jest/globals';
import { fillPlaceholders } from './collect.ts';

const fail = (problem: string) => new Error(problem);

test('fills placeholders, escaping values for PromQL strings', () => {
  expect(fillPlaceholders('rate(x{track="{{track}}",v="{{ version }}"}[5m])', { track: 'canary', version: 'v"2' }, fail)).toBe(
    'rate(x{track="canary",v="v\\"2"}[5m])',
  );
});

test('a placeholder without a value is an error that lists the known ones', () => {
  expect(() => fillPlaceholders('x{track="{{track}}"}', { version: 'v2' }, fail)).toThrow('uses {{track}} but no value for it is known (known: version)');
});
