// Prompt templates: loading, engines, analysis and rendering. H4's injection scanner and H5's case runner
// add their exports below.
export * from './types.ts';
export { loadPromptFile, engineForFile, sidecarPathFor, splitFrontMatter, ROLES, type LoadOptions } from './load.ts';
export { parseTestCases, ASSERTION_TYPES, type ParsedTestCases } from './test-cases.ts';
export { positionAt, lineStartsOf, offsetToPosition, type FilePosition } from './source-map.ts';
export { renderPrompt, type RenderOptions, type RenderResult } from './render.ts';
export { analyzePrompt, analyzePromptDetailed, type CaseAnalysis, type PromptAnalysis } from './analyze.ts';
export { extractVariables, hasType, type ExtractedVariable, type VariableUseSite, type ValuesContext } from './variables.ts';
export { countTokens, openAIEncodingFor, TOKENS_PER_MESSAGE, TOKENS_REPLY_PRIMING, type EncodingName, type TokenCount } from './tokens.ts';
export { PROMPT_CACHE_MIN_TOKENS, type TokenSummary } from './rules/length.ts';
export { parseTemplateText, TEMPLATE_PARSERS, TemplateRenderError, type ParsedTemplate, type VariableUse, type ScopedUse, type EngineIssue } from './engines/index.ts';
export { JINJA_FILTERS, JINJA_TESTS } from './engines/jinja.ts';
export { parseFormatString, type FormatField, type ParsedFormat } from './engines/format-parse.ts';
export { editDistance, closestName } from './edit-distance.ts';
export { sortFindings } from './findings.ts';
export { scanTemplate, scanTestCases, scanText, INJECTION_CHECKS, INJECTION_CHECK_DESCRIPTIONS, type InjectionCheck, type ScanContext, type TextOrigin } from './injection/index.ts';
