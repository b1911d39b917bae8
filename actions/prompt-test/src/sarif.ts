// SARIF 2.1.0 for GitHub code scanning: one rule per check id, one result per finding or failed case.
import { INJECTION_CHECK_DESCRIPTIONS, type FindingSeverity } from '@model-cicd/core/prompt';
import type { TemplateReport } from '@model-cicd/core/prompt/runner';

const LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: { tags: string[] };
}

const RULE_DESCRIPTIONS: Record<string, string> = {
  syntax: 'Template syntax is broken (unbalanced braces or tags, unknown filters or helpers, unterminated blocks).',
  variables: 'Template variables are missing, unused, mistyped or left unrendered.',
  length: 'The rendered prompt exceeds its token budget or defeats prompt caching.',
  injection: 'The template or its test data is open to prompt injection or leaks secrets.',
  performance: 'Rendering or the model call is slow or costly.',
  case: 'A test case failed, errored or timed out.',
};

export function buildSarif(templates: readonly TemplateReport[], toolVersion: string): object {
  const rules = new Map<string, SarifRule>();
  const results: object[] = [];
  const ruleIndex = (id: string, family: string, level: SarifRule['defaultConfiguration']['level']) => {
    if (!rules.has(id)) {
      rules.set(id, {
        id,
        name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase()),
        shortDescription: { text: (INJECTION_CHECK_DESCRIPTIONS as Readonly<Record<string, string>>)[id] ?? RULE_DESCRIPTIONS[family] ?? id },
        defaultConfiguration: { level },
        properties: { tags: ['prompt', family] },
      });
    }
    return [...rules.keys()].indexOf(id);
  };
  const location = (file: string, line: number, column: number) => ({
    physicalLocation: {
      artifactLocation: { uri: file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
      region: { startLine: Math.max(1, line), startColumn: Math.max(1, column) },
    },
  });
  for (const template of templates) {
    for (const finding of template.findings) {
      const id = finding.check ?? finding.rule;
      results.push({
        ruleId: id,
        ruleIndex: ruleIndex(id, finding.rule, LEVEL[finding.severity]),
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [location(finding.file, finding.line, finding.column)],
      });
    }
    for (const testCase of template.cases) {
      if (testCase.status === 'passed') continue;
      const id = `case/${testCase.status}`;
      results.push({
        ruleId: id,
        ruleIndex: ruleIndex(id, 'case', 'error'),
        level: 'error',
        message: { text: `Case "${testCase.name}" ${testCase.status}: ${testCase.reason ?? ''}`.trim() },
        locations: [location(testCase.source.file, testCase.source.line, testCase.source.column)],
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'model-cicd prompt-test', version: toolVersion, informationUri: 'https://github.com/model-cicd/model-cicd', rules: [...rules.values()] } },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///' } },
        results,
      },
    ],
  };
}
