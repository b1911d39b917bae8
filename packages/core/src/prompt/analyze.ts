// Static analysis of a prompt file: load problems, syntax, variables and length, including every test case
// rendered and checked. Pure: a PromptFile in, findings and per-case results out.
import { type Finding, type PromptFile, RULE_NAMES, type RenderedMessage, type RuleName, type TestCase } from './types.ts';
import { finding, sortFindings } from './findings.ts';
import { renderPrompt } from './render.ts';
import { type ExtractedVariable, type ValuesContext, extractVariables, parsedMessages, unusedValues } from './variables.ts';
import { syntaxFindings } from './rules/syntax.ts';
import { staticVariableFindings } from './rules/variables.ts';
import { type TokenSummary, budgetFinding, countMessageTokens, promptCacheFinding, staticBudgetFinding } from './rules/length.ts';

export interface CaseAnalysis {
  name: string;
  source: TestCase['source'];
  messages: RenderedMessage[];
  tokens: TokenSummary;
  renderMs: number;
  /** This case's findings (also included in the prompt's findings). */
  findings: Finding[];
}

export interface PromptAnalysis {
  findings: Finding[];
  variables: ExtractedVariable[];
  cases: CaseAnalysis[];
}

/** Findings of the selected rules (load problems are always included), errors first. */
export function analyzePrompt(prompt: PromptFile, rules: readonly RuleName[] = RULE_NAMES): Finding[] {
  return analyzePromptDetailed(prompt, rules).findings;
}

export function analyzePromptDetailed(prompt: PromptFile, rules: readonly RuleName[] = RULE_NAMES): PromptAnalysis {
  const enabled = new Set(rules);
  const findings: Finding[] = [...prompt.findings];
  const variables = extractVariables(prompt);
  // With a message that cannot be parsed, its variables are unknown: "never used" would be a false alarm.
  const allParsed = parsedMessages(prompt).every((parsed) => parsed.renderable);
  if (enabled.has('syntax')) findings.push(...syntaxFindings(prompt));
  if (enabled.has('variables')) findings.push(...staticVariableFindings(prompt, variables));
  if (enabled.has('length')) {
    const cache = promptCacheFinding(prompt);
    if (cache) findings.push(cache);
  }

  const cases: CaseAnalysis[] = [];
  const runCase = (name: string, vars: Record<string, unknown>, context: ValuesContext, source: TestCase['source'], reportUnused: boolean): void => {
    const started = performance.now();
    const rendered = renderPrompt(prompt, vars, { context, variables });
    const renderMs = performance.now() - started;
    const caseFindings = rendered.findings.filter((item) => enabled.has(item.rule));
    if (enabled.has('variables') && reportUnused && allParsed) caseFindings.push(...unusedValues(variables, vars, context));
    const tokens = countMessageTokens(rendered.messages, prompt.model);
    if (enabled.has('length')) {
      const overBudget = budgetFinding(prompt, context.label, context.position, context.file, tokens);
      if (overBudget) caseFindings.push(overBudget);
    }
    cases.push({ name, source, messages: rendered.messages, tokens, renderMs, findings: caseFindings });
    findings.push(...caseFindings);
  };

  for (const test of prompt.tests) {
    const context: ValuesContext = {
      file: test.source.file,
      position: { line: test.source.line, column: test.source.column },
      label: `test case '${test.name}'`,
      varSources: test.varSources,
    };
    runCase(test.name, test.vars, context, test.source, true);
  }
  if (prompt.tests.length === 0) {
    const needsValues = variables.some((variable) => variable.required);
    if (!needsValues) {
      const source = { file: prompt.file, line: 1, column: 1 };
      runCase('defaults', {}, { file: prompt.file, position: prompt.keyPositions?.max_tokens ?? { line: 1, column: 1 }, label: 'the template with its defaults' }, source, false);
    } else {
      if (enabled.has('length')) {
        const overBudget = staticBudgetFinding(prompt);
        if (overBudget) findings.push(overBudget);
      }
      if (enabled.has('variables')) {
        const names = variables.filter((variable) => variable.required).map((variable) => variable.name);
        findings.push(finding(prompt.file, { line: 1, column: 1 }, 'variables', 'notice', 'variables/no-tests',
          `No test case renders this template, so its variables (${names.join(', ')}) are never checked: add tests: to the front-matter or a ${prompt.name}.tests.yaml sidecar`));
      }
    }
  }
  return { findings: sortFindings(dedupe(findings)), variables, cases };
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((item) => {
    const key = `${item.file}:${item.line}:${item.column}:${item.rule}:${item.check ?? ''}:${item.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
