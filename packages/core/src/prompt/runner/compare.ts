// What a pull request changed in a template: variables, token count, cases that flipped, rendered prompt. Pure.
import { unifiedDiff } from './line-diff.ts';
import type { CaseReport, TemplateReport, VersionComparison } from './report.ts';

export const renderMessages = (messages: CaseReport['messages']): string =>
  (messages ?? []).map((message) => `[${message.role}]\n${message.content}`).join('\n\n');

export function compareVersions(base: TemplateReport | undefined, head: TemplateReport): VersionComparison {
  if (!base) {
    return { baseExists: false, variablesAdded: [...head.variables], variablesRemoved: [], newlyFailing: [], newlyPassing: [], renderedDiff: '' };
  }
  const baseVariables = new Set(base.variables);
  const headVariables = new Set(head.variables);
  const baseCases = new Map(base.cases.map((testCase) => [testCase.name, testCase]));
  const passed = (testCase: CaseReport | undefined) => testCase?.status === 'passed';
  const newlyFailing = head.cases.filter((c) => baseCases.has(c.name) && passed(baseCases.get(c.name)) && !passed(c)).map((c) => c.name);
  const newlyPassing = head.cases.filter((c) => baseCases.has(c.name) && !passed(baseCases.get(c.name)) && passed(c)).map((c) => c.name);

  const shared = head.cases.find((c) => baseCases.has(c.name) && c.messages && baseCases.get(c.name)?.messages);
  const headCase = shared ?? head.cases.find((c) => c.messages);
  const baseCase = shared ? baseCases.get(shared.name) : base.cases.find((c) => c.messages);
  const label = headCase ? ` (case ${JSON.stringify(headCase.name)})` : '';
  return {
    baseExists: true,
    variablesAdded: head.variables.filter((name) => !baseVariables.has(name)),
    variablesRemoved: base.variables.filter((name) => !headVariables.has(name)),
    tokenDelta: headCase && baseCase ? headCase.promptTokens - baseCase.promptTokens : undefined,
    newlyFailing,
    newlyPassing,
    renderedDiff:
      headCase && baseCase
        ? unifiedDiff(renderMessages(baseCase.messages), renderMessages(headCase.messages), { before: `base/${base.file}${label}`, after: `head/${head.file}${label}` })
        : '',
  };
}
