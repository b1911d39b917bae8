export { scanTemplate, scanTestCases, scanText } from './scan.ts';
export type { InjectionCheck, ScanContext, TextOrigin } from './types.ts';
export { INJECTION_CHECKS } from './types.ts';
export { INJECTION_CHECK_DESCRIPTIONS } from './descriptions.ts';
export { shannonEntropy, entropyThreshold } from './secrets.ts';
