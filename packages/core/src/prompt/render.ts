// Rendering one set of values: defaults applied, required variables, types and lengths checked, every
// message rendered by its sandboxed engine, and the output checked for placeholders that survived.
import type { Finding, PromptFile, RenderedMessage } from './types.ts';
import { TemplateRenderError } from './engines/index.ts';
import { finding } from './findings.ts';
import { positionAt } from './source-map.ts';
import {
  type ExtractedVariable,
  type ValuesContext,
  extractVariables,
  leftoverPlaceholders,
  missingFields,
  parsedMessages,
  resolveValues,
} from './variables.ts';

export interface RenderResult {
  messages: RenderedMessage[];
  findings: Finding[];
}

export interface RenderOptions {
  /** Where findings about the values point (a test case); defaults to the top of the prompt file. */
  context?: ValuesContext;
  /** Reuse an extraction already made for this prompt. */
  variables?: readonly ExtractedVariable[];
}

/**
 * Renders a prompt with `vars`. Never throws: a missing required variable, a value of the wrong type, an engine
 * error or a placeholder left in the output is a finding, and the messages hold what the engines produced.
 */
export function renderPrompt(prompt: PromptFile, vars: Record<string, unknown>, options: RenderOptions = {}): RenderResult {
  const context = options.context ?? { file: prompt.file, position: { line: 1, column: 1 }, label: 'this render' };
  const variables = options.variables ?? extractVariables(prompt);
  const resolved = resolveValues(prompt, variables, vars, context);
  const findings = [...resolved.findings, ...missingFields(variables, resolved.values, context)];
  const messages: RenderedMessage[] = [];
  parsedMessages(prompt).forEach((parsed, index) => {
    const template = prompt.messages[index];
    if (!parsed.renderable) {
      messages.push({ role: template.role, content: '' });
      return;
    }
    let content = '';
    try {
      content = parsed.render(resolved.values);
    } catch (error) {
      const at = error instanceof TemplateRenderError && error.index !== undefined ? positionAt(template, error.index) : { line: template.line, column: template.column };
      findings.push(finding(prompt.file, at, 'syntax', 'error', 'render/error', `Rendering failed for ${context.label}: ${(error as Error).message}`));
    }
    messages.push({ role: template.role, content });
    for (const leftover of leftoverPlaceholders(content, resolved.values)) {
      let inTemplate = template.text.indexOf(leftover.text);
      // A format template's `{{x}}` renders as `{x}`: point at the doubled brace the author wrote.
      if (inTemplate > 0 && template.text[inTemplate - 1] === '{' && leftover.text.startsWith('{')) inTemplate--;
      const at = positionAt(template, Math.max(0, inTemplate));
      findings.push(
        finding(prompt.file, at, 'variables', 'error', 'variables/leftover-placeholder',
          `The rendered ${template.role} message for ${context.label} still contains ${leftover.what} '${leftover.text}': the ${prompt.engine} engine did not substitute it (wrong engine or syntax?)`),
      );
    }
  });
  return { messages, findings };
}
