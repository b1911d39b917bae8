export * from './inputs.ts';
export * from './annotations.ts';
export * from './markdown.ts';
export * from './report.ts';
