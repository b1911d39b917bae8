import { positionAt } from '../source-map.ts';
import type { Finding, PromptFile, TemplateText } from '../types.ts';
import { findExfiltrationLinks } from './exfiltration.ts';
import { findInvisibleUnicode } from './invisible-unicode.ts';
import { findOverridePhrases } from './override-phrase.ts';
import { findTemplateOverreach } from './overreach.ts';
import { findRoleTokens } from './role-token.ts';
import { findSecrets } from './secrets.ts';
import { fenceTagsByVariable, findUntrustedPlacement } from './structural.ts';
import type { ScanContext, TextHit, TextOrigin, TextScanOptions } from './types.ts';

/** Runs every text-level check; hits carry offsets into `text`. */
export function scanTextHits(text: string, options: TextScanOptions): TextHit[] {
  const { context, engine, variables } = options;
  return [
    ...findOverridePhrases(text, context),
    ...findRoleTokens(text, context),
    ...findInvisibleUnicode(text, context),
    ...findExfiltrationLinks(text, engine, context, variables),
    ...findSecrets(text, context),
    ...findTemplateOverreach(text, engine, context),
  ];
}

// Positions come from the loader's source map, so hits inside YAML scalars (de-indented block scalars,
// folded lines, decoded escapes) point at the right file column.
function toFindings(hits: TextHit[], source: TemplateText, file: string): Finding[] {
  return hits.map((hit) => {
    const { line, column } = positionAt(source, hit.offset);
    // Invisible characters cannot be seen in the annotated line, so their message says where they are.
    const message = hit.check === 'injection/invisible-unicode' ? hit.message.replace('; ', ` at line ${line}, col ${column}; `) : hit.message;
    return { file, line, column, rule: 'injection', severity: hit.severity, message, check: hit.check };
  });
}

function byPosition(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}

/**
 * Scans one text (a template body, a message, a test value) that starts at `origin` in its file.
 * `template` context reports attacks as errors; `test-data` context, where cases legitimately probe
 * injection resistance, reports phrases, role tokens, exfiltration links and expressions as notices,
 * invisible characters as warnings, and secrets as errors (a real key leaks wherever it is committed).
 */
export function scanText(text: string, origin: TextOrigin, context: ScanContext, options: Omit<TextScanOptions, 'context'> = {}): Finding[] {
  return toFindings(scanTextHits(text, { ...options, context }), { text, line: origin.line, column: origin.column }, origin.file).sort(byPosition);
}

/** Scans every message of a template: the text checks plus where untrusted variables are placed. */
export function scanTemplate(prompt: PromptFile): Finding[] {
  const findings: Finding[] = [];
  for (const message of prompt.messages) {
    const hits = [
      ...scanTextHits(message.text, { context: 'template', engine: prompt.engine, variables: prompt.variables }),
      ...findUntrustedPlacement(message, prompt.engine, prompt.variables),
    ];
    findings.push(...toFindings(hits, message, prompt.file));
  }
  return findings.sort(byPosition);
}

/**
 * Scans the values of every test case (strings anywhere in `vars`). Findings point at the variable's key
 * in the file (the case when the loader has no position for it) and name the value. A value that closes the
 * XML-ish fence the template puts around its variable (`</user_input>`) is reported too.
 */
export function scanTestCases(prompt: PromptFile): Finding[] {
  const findings: Finding[] = [];
  let fenceTags: Map<string, Set<string>> | undefined;
  for (const testCase of prompt.tests) {
    for (const [path, value] of stringValues(testCase.vars)) {
      const where = `vars.${path} of test "${testCase.name}"`;
      const hits = scanTextHits(value, { context: 'test-data' });
      const root = path.split(/[.[]/)[0];
      // Only a value holding a closing tag can break out of a fence; most values have none.
      if (value.includes('</')) fenceTags ??= fenceTagsByVariable(prompt.messages, prompt.engine, prompt.variables);
      for (const tag of (value.includes('</') && fenceTags?.get(root)) || []) {
        const close = value.toLowerCase().indexOf(`</${tag}`);
        if (close !== -1) {
          hits.push({ check: 'injection/role-token', offset: close, severity: 'notice', message: `closes the template's <${tag}> fence early with "</${tag}>"; fine if this case probes fence escapes, and escape "<" in real data before rendering` });
        }
      }
      // The loader keeps where each variable's key sits; without it, the case.
      const at = testCase.varSources?.[root] ?? testCase.source;
      for (const hit of hits.sort((a, b) => a.offset - b.offset)) {
        findings.push({ file: at.file || prompt.file, line: at.line, column: at.column, rule: 'injection', severity: hit.severity, message: `${where}: ${hit.message}`, check: hit.check });
      }
    }
  }
  return findings.sort(byPosition);
}

function* stringValues(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringValues(value[i], `${path}[${i}]`);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) yield* stringValues(inner, path ? `${path}.${key}` : key);
  }
}
