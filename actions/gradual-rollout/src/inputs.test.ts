// The GitHub Deployment settings of gradual-rollout: when a deployment is written, with which token, and how
// bad values are refused before anything touches the cluster.
import { expect, test } from '@jest/globals';
import { fromRecord, InputReader } from '@model-cicd/core/action';
import { readSettings } from './inputs.ts';

const RUNNER = { GITHUB_REPOSITORY: 'octo-org/app', GITHUB_SHA: 'a'.repeat(40) };
const read = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = RUNNER) =>
  readSettings(new InputReader(fromRecord({ command: 'status', name: 'chat', ...inputs })), env);

test('a token from the input (or else GITHUB_TOKEN) turns the deployment on, for the run commit and repository', () => {
  expect(read({ 'github-token': 'input-token' }).deployment).toEqual({
    token: 'input-token',
    repo: { owner: 'octo-org', repo: 'app' },
    ref: 'a'.repeat(40),
    environmentTemplate: '{namespace}/{name}',
  });
  expect(read({}, { ...RUNNER, GITHUB_TOKEN: 'env-token' }).deployment?.token).toBe('env-token');
  expect(read({ 'github-token': 'input-token' }, { ...RUNNER, GITHUB_TOKEN: 'env-token' }).deployment?.token).toBe('input-token');
  expect(read({ 'github-token': 't', environment: 'prod-{name}', 'environment-url': 'https://chat.example/' }).deployment).toMatchObject({ environmentTemplate: 'prod-{name}', environmentUrl: 'https://chat.example/' });
});

test('no token, github-deployment: false, or no repository context: no deployment', () => {
  expect(read({}).deployment).toBeUndefined();
  expect(read({ 'github-token': 't', 'github-deployment': 'false' }).deployment).toBeUndefined();
  expect(read({ 'github-token': 't' }, {}).deployment).toBeUndefined();
});

test('bad deployment inputs name the input and the fix', () => {
  expect(() => read({ 'github-token': 't', 'github-deployment': 'maybe' })).toThrow(/github-deployment.*true or false/);
  expect(() => read({ 'github-token': 't', 'environment-url': 'chat.example' })).toThrow(/environment-url.*not an http\(s\) URL/);
  expect(() => read({ environment: 'x'.repeat(256) })).toThrow(/environment.*at most 255/);
});
