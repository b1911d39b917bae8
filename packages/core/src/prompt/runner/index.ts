// The case runner: providers, assertions, pricing, caching and the parallel executor.
export * from './assertions.ts';
export * from './cache.ts';
export * from './execute.ts';
export * from './pricing.ts';
export * from './provider.ts';
export * from './retry.ts';
export * from './compare.ts';
export * from './line-diff.ts';
export * from './report.ts';
export * from './template-run.ts';
