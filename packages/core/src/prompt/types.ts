// Shapes shared by template analysis, the injection scanner, the case runner and the prompt-test action.

export type RuleName = 'syntax' | 'variables' | 'length' | 'injection' | 'performance';
export const RULE_NAMES: readonly RuleName[] = ['syntax', 'variables', 'length', 'injection', 'performance'];

export type FindingSeverity = 'error' | 'warning' | 'notice';

/** One problem at one place. Lines and columns are 1-based positions in the committed file. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: RuleName;
  severity: FindingSeverity;
  message: string;
  /** Stable id of the specific check (e.g. `injection/override-phrase`), for SARIF rule ids and filtering. */
  check?: string;
}

export type EngineName = 'format' | 'mustache' | 'handlebars' | 'jinja2';
export const ENGINE_NAMES: readonly EngineName[] = ['format', 'mustache', 'handlebars', 'jinja2'];

export type Role = 'system' | 'user' | 'assistant' | 'developer' | 'tool';

export interface VariableSpec {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  required?: boolean;
  default?: unknown;
  max_length?: number;
  /** false marks user-controlled data: it must not reach a system message and should be fenced. */
  trusted?: boolean;
  description?: string;
}

/** promptfoo's assertion names where they exist. */
export type AssertionType =
  | 'contains'
  | 'icontains'
  | 'not-contains'
  | 'regex'
  | 'starts-with'
  | 'is-json'
  | 'json-schema'
  | 'max-latency-ms'
  | 'max-tokens'
  | 'max-cost'
  | 'equals';

export interface Assertion {
  type: AssertionType;
  value?: unknown;
  /** `prompt` checks the rendered prompt (no provider needed); `output` (default) the model's answer. */
  target?: 'prompt' | 'output';
}

export interface TestCase {
  name: string;
  vars: Record<string, unknown>;
  assert: Assertion[];
  /** Where the case is defined, for annotations. */
  source: { file: string; line: number; column: number };
  /** Where each supplied variable's key sits, so findings about one variable point at it. */
  varSources?: Record<string, { file: string; line: number; column: number }>;
}

/** Maps a run of characters of a `TemplateText` (from `index` on, up to the next segment) to one file line. */
export interface SourceSegment {
  index: number;
  line: number;
  column: number;
}

/** A piece of template text and where it starts in the file, so findings map back to file positions. */
export interface TemplateText {
  text: string;
  /** 1-based line and column in the file of the first character of `text`. */
  line: number;
  column: number;
  /**
   * Present when `text` is not a verbatim slice of the file (a YAML scalar: de-indented block, folded lines,
   * escapes). Sorted by `index`; resolve any character with `positionAt` from `@model-cicd/core/prompt`.
   */
  segments?: SourceSegment[];
}

export interface MessageTemplate extends TemplateText {
  role: Role;
}

export interface PromptFile {
  file: string;
  name: string;
  version?: string;
  description?: string;
  engine: EngineName;
  model?: string;
  max_tokens?: number;
  variables: Record<string, VariableSpec>;
  /** A chat template's messages, or one `user` message holding the body. */
  messages: MessageTemplate[];
  tests: TestCase[];
  /** Problems found while loading (front-matter not YAML, bad test case, unknown engine). */
  findings: Finding[];
  /** File position of each front-matter key (`max_tokens`, `variables.topic`, ...), for findings about them. */
  keyPositions?: Record<string, { line: number; column: number }>;
}

export interface RenderedMessage {
  role: Role;
  content: string;
}
