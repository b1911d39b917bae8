// `variables` without values: declared but unused, used but misspelt against the declarations.
import type { Finding, PromptFile } from '../types.ts';
import { finding } from '../findings.ts';
import { closestName } from '../edit-distance.ts';
import type { ExtractedVariable } from '../variables.ts';
import { engineFindings } from './syntax.ts';

export function staticVariableFindings(prompt: PromptFile, variables: readonly ExtractedVariable[]): Finding[] {
  const findings = engineFindings(prompt, 'variables');
  const declared = Object.keys(prompt.variables);
  const used = variables.filter((variable) => variable.uses.length > 0 || variable.fields.length > 0);
  for (const variable of variables) {
    const isDeclared = variable.spec !== undefined;
    const isUsed = variable.uses.length > 0 || variable.fields.length > 0;
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
