// `syntax`: what each engine's parser (and our scans around it) rejects, at the file line and column.
import type { Finding, PromptFile } from '../types.ts';
import { finding } from '../findings.ts';
import { positionAt } from '../source-map.ts';
import { parsedMessages } from '../variables.ts';

/** Engine issues of one rule (`syntax` or `variables`) for every message, mapped to file positions. */
export function engineFindings(prompt: PromptFile, rule: 'syntax' | 'variables'): Finding[] {
  const findings: Finding[] = [];
  parsedMessages(prompt).forEach((parsed, index) => {
    for (const issue of parsed.issues) {
      if (issue.rule !== rule) continue;
      findings.push(finding(prompt.file, positionAt(prompt.messages[index], issue.index), rule, issue.severity, issue.check, issue.message));
    }
  });
  return findings;
}

export function syntaxFindings(prompt: PromptFile): Finding[] {
  return engineFindings(prompt, 'syntax');
}
