/**
 * One jest project for the whole monorepo. ts-jest only transpiles (type errors are caught by
 * `tsc --noEmit` in test/typecheck.test.ts), which keeps a full run fast on a 2-core machine.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/packages', '<rootDir>/actions', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper: {
    '^(\.{1,2}/.*)\.js$': '$1',
    '^@model-cicd/core$': '<rootDir>/packages/core/src/index.ts',
    '^@model-cicd/core/(.*)$': '<rootDir>/packages/core/src/$1/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/harness/summary-line-reporter.cjs'],
};
