// `variables` without values: declared but unused, used but misspelt against the declarations.
import type { Finding, PromptFile } from '../types.ts';
import { finding } from '../findings.ts';
import { closestName } from '../edit-distance.ts';
import { type ExtractedVariable, hasType } from '../variables.ts';
import { engineFindings } from './syntax.ts';

export function staticVariableFindings(prompt: PromptFile, variables: readonly ExtractedVariable[]): Finding[] {
  const findings = engineFindings(prompt, 'variables');
  const declared = Object.keys(prompt.variables);
  const used = variables.filter((variable) => variable.uses.length > 0 || variable.fields.length > 0);
  // Inside a Mustache section a name may resolve at the top level (`{{#show}}{{details}}{{/show}}`).
  const fallbackNames = new Set(variables.flatMap((variable) => variable.fields.filter((field) => field.fallsBackToTopLevel).map((field) => field.name)));
  for (const variable of variables) {
    const isDeclared = variable.spec !== undefined;
    const isUsed = variable.uses.length > 0 || variable.fields.length > 0 || fallbackNames.has(variable.name);
    const spec = variable.spec;
    if (spec?.default !== undefined && spec.type !== undefined && !hasType(spec.default, spec.type)) {
      const at = prompt.keyPositions?.[`variables.${variable.name}.default`] ?? prompt.keyPositions?.[`variables.${variable.name}`] ?? { line: 1, column: 1 };
      findings.push(
        finding(prompt.file, at, 'variables', 'error', 'variables/type',
          `The default of '${variable.name}' (${JSON.stringify(spec.default)}) is not of its declared type ${spec.type}`),
      );
    }
    if (spec?.default !== undefined && spec.max_length !== undefined && typeof spec.default === 'string' && Array.from(spec.default).length > spec.max_length) {
      const at = prompt.keyPositions?.[`variables.${variable.name}.default`] ?? { line: 1, column: 1 };
      findings.push(finding(prompt.file, at, 'variables', 'error', 'variables/max-length', `The default of '${variable.name}' is longer than its max_length of ${spec.max_length}`));
    }
    if (isDeclared && !isUsed) {
      const suggestion = closestName(variable.name, used.filter((candidate) => candidate.spec === undefined).map((candidate) => candidate.name));
      const at = prompt.keyPositions?.[`variables.${variable.name}`] ?? { line: 1, column: 1 };
      findings.push(
        finding(prompt.file, at, 'variables', 'warning', 'variables/declared-unused',
          `Variable '${variable.name}' is declared but no message uses it${suggestion ? ` (the template uses '${suggestion}': did you mean it?)` : ''}`),
      );
    }
    if (!isDeclared && isUsed && declared.length > 0) {
      const suggestion = closestName(variable.name, declared.filter((name) => !used.some((candidate) => candidate.name === name)));
      if (suggestion) {
        const use = variable.uses[0] ?? variable.fields[0];
        findings.push(
          finding(prompt.file, use, 'variables', 'warning', 'variables/near-miss',
            `Variable '${variable.name}' is not declared; did you mean the declared variable '${suggestion}'?`),
        );
      }
    }
  }
  return findings;
}
