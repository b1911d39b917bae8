export * from './types.ts';
export * from './state.ts';
export * from './steps.ts';
export * from './sample-ratio.ts';
export * from './machine.ts';
