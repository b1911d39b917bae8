import type { EngineName, FindingSeverity, VariableSpec } from '../types.ts';

/** Where scanned text came from: a committed template, or test data (case vars, inline data) that may probe attacks on purpose. */
export type ScanContext = 'template' | 'test-data';

/** The file position of the first character of a scanned text (1-based line and column). */
export interface TextOrigin {
  file: string;
  line: number;
  column: number;
}

/** The identifiers of the scanner's checks; also the `check` of every finding it reports. */
export type InjectionCheck =
  | 'injection/override-phrase'
  | 'injection/role-token'
  | 'injection/invisible-unicode'
  | 'injection/exfiltration-link'
  | 'injection/secret'
  | 'injection/template-overreach'
  | 'injection/untrusted-in-system'
  | 'injection/unfenced-untrusted';

export const INJECTION_CHECKS: readonly InjectionCheck[] = [
  'injection/override-phrase',
  'injection/role-token',
  'injection/invisible-unicode',
  'injection/exfiltration-link',
  'injection/secret',
  'injection/template-overreach',
  'injection/untrusted-in-system',
  'injection/unfenced-untrusted',
];

/** A hit inside one text, by UTF-16 offset; the scanner turns it into a Finding with a file position. */
export interface TextHit {
  check: InjectionCheck;
  offset: number;
  severity: FindingSeverity;
  /** What was found and the fix, without the position (the scanner appends the column). */
  message: string;
}

/** What the text-level checks need to know about the text they scan. */
export interface TextScanOptions {
  context: ScanContext;
  /** Placeholder syntax of the text; `undefined` recognises every engine's placeholders (test data). */
  engine?: EngineName;
  /** Declared variables of the template, for trust-aware checks. */
  variables?: Record<string, VariableSpec>;
}
