export * from './parse.ts';
export * from './load.ts';
