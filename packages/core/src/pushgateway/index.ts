export * from './exposition.ts';
export * from './client.ts';
export * from './regression-metrics.ts';
