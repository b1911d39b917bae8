// Loading a prompt file: optional YAML front-matter (the Prompty shape) and a body, or chat `messages:`.
// Every text keeps its file position; every problem is a finding with a fix, never an exception.
import type { Node, Scalar, YAMLMap } from 'yaml';
import {
  ENGINE_NAMES,
  type EngineName,
  type Finding,
  type MessageTemplate,
  type PromptFile,
  type Role,
  type TestCase,
  type VariableSpec,
} from './types.ts';
import { finding } from './findings.ts';
import { closestName } from './edit-distance.ts';
import { lineStartsOf, offsetToPosition } from './source-map.ts';
import { parseTestCases, testCasesFromNodes } from './test-cases.ts';
import { type YamlSource, isMap, isScalar, isSeq, mapEntries, nodePosition, parseYaml, stringSegments, toJS } from './yaml-source.ts';

export const ROLES: readonly Role[] = ['system', 'user', 'assistant', 'developer', 'tool'];
const VARIABLE_TYPES: ReadonlyArray<NonNullable<VariableSpec['type']>> = ['string', 'number', 'integer', 'boolean', 'array', 'object'];
const VARIABLE_KEYS = ['type', 'required', 'default', 'max_length', 'trusted', 'description', 'sample'];
const KNOWN_KEYS = [
  'name', 'version', 'description', 'engine', 'template', 'model', 'variables', 'inputs', 'tests', 'max_tokens',
  'messages', 'authors', 'tags', 'sample', 'outputs', 'metadata',
];
const ENGINE_ALIASES: Record<string, EngineName> = { jinja: 'jinja2', hbs: 'handlebars', 'str.format': 'format', python: 'format' };

const EXTENSION_ENGINES: Record<string, EngineName> = {
  '.prompt': 'format',
  '.txt': 'format',
  '.md': 'format',
  '.mustache': 'mustache',
  '.hbs': 'handlebars',
  '.handlebars': 'handlebars',
  '.j2': 'jinja2',
  '.jinja': 'jinja2',
  '.jinja2': 'jinja2',
  '.prompty': 'jinja2',
};

/** The engine a file's extension selects; `format` for anything else. */
export function engineForFile(file: string): EngineName {
  const match = /(\.[^./\\]+)$/.exec(file.toLowerCase());
  return (match && EXTENSION_ENGINES[match[1]]) || 'format';
}

/** The sidecar test file of a template: `prompts/post.prompt` → `prompts/post.tests.yaml`. */
export function sidecarPathFor(file: string): string {
  return file.replace(/(\.[^./\\]+)?$/, '.tests.yaml');
}

export interface LoadOptions {
  /** The sidecar `<name>.tests.yaml` (read by the caller). */
  sidecar?: { file: string; text: string };
  /** Inline cases (the `test-cases` input), JSON or YAML. */
  inlineTests?: { text: string; source: string };
  /** Overrides front-matter and extension. */
  engine?: EngineName;
}

export function loadPromptFile(file: string, text: string, options: LoadOptions = {}): PromptFile {
  const findings: Finding[] = [];
  const lineStarts = lineStartsOf(text);
  const source: YamlSource = { file, fileText: text, lineStarts, offset: 0 };
  const keyPositions: Record<string, { line: number; column: number }> = {};
  const prompt: PromptFile = {
    file,
    name: baseName(file),
    engine: options.engine ?? engineForFile(file),
    variables: {},
    messages: [],
    tests: [],
    findings,
    keyPositions,
  };

  const split = splitFrontMatter(text);
  if (split.unclosed) {
    findings.push(finding(file, { line: 1, column: 1 }, 'syntax', 'error', 'load/front-matter',
      'Front-matter opened with --- on line 1 is never closed: end the YAML with a line containing only ---'));
  }
  let frontMatterMessages = false;
  if (split.yaml !== undefined) {
    const yamlSource: YamlSource = { ...source, offset: split.yamlOffset };
    const parsed = parseYaml(split.yaml, yamlSource, 'load/front-matter-yaml',
      'Fix the YAML between the --- lines (quote values that contain ": ", "#" or start with "{")');
    findings.push(...parsed.findings);
    const contents = parsed.document?.contents as Node | null | undefined;
    if (parsed.document && contents !== null && contents !== undefined) {
      if (!isMap(contents)) {
        findings.push(finding(file, nodePosition(yamlSource, contents), 'syntax', 'error', 'load/front-matter',
          'Front-matter must be a YAML map (name: ..., variables: ..., tests: ...)'));
      } else {
        frontMatterMessages = readFrontMatter(contents, parsed.document, yamlSource, prompt, options);
      }
    }
  }

  const body = split.body.replace(/\s+$/, '');
  if (body.trim().length > 0) {
    const start = offsetToPosition(lineStarts, split.bodyOffset);
    const bodyMessages = prompt.engine === 'jinja2' && /\.prompty$/i.test(file)
      ? promptyMessages(body, start.line)
      : [{ role: 'user' as Role, text: body, line: start.line, column: start.column }];
    prompt.messages.push(...bodyMessages);
  } else if (!frontMatterMessages) {
    findings.push(finding(file, { line: 1, column: 1 }, 'syntax', 'warning', 'load/empty-template',
      'The template has no body and no messages: write the prompt below the front-matter or define messages:'));
  }

  if (options.sidecar) addTests(prompt, parseTestCases(options.sidecar.text, options.sidecar.file));
  if (options.inlineTests) addTests(prompt, parseTestCases(options.inlineTests.text, options.inlineTests.source));
  return prompt;
}

function addTests(prompt: PromptFile, parsed: { tests: TestCase[]; findings: Finding[] }): void {
  prompt.tests.push(...parsed.tests);
  prompt.findings.push(...parsed.findings);
}

function baseName(file: string): string {
  const last = file.split(/[\\/]/).pop() ?? file;
  return last.replace(/\.[^.]+$/, '');
}

interface FrontMatterSplit {
  yaml: string | undefined;
  yamlOffset: number;
  body: string;
  bodyOffset: number;
  unclosed: boolean;
}

export function splitFrontMatter(text: string): FrontMatterSplit {
  const start = text.startsWith('\uFEFF') ? 1 : 0;
  const opening = /^---[ \t]*\r?\n/.exec(text.slice(start));
  if (!opening) return { yaml: undefined, yamlOffset: 0, body: text.slice(start), bodyOffset: start, unclosed: false };
  const yamlOffset = start + opening[0].length;
  const closing = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;
  const rest = text.slice(yamlOffset);
  const match = closing.exec(rest);
  // Never closed: keep the whole file as the body so its placeholders are still checked.
  if (!match) return { yaml: undefined, yamlOffset, body: text.slice(start), bodyOffset: start, unclosed: true };
  return {
    yaml: rest.slice(0, match.index),
    yamlOffset,
    body: rest.slice(match.index + match[0].length),
    bodyOffset: yamlOffset + match.index + match[0].length,
    unclosed: false,
  };
}

/** Reads the front-matter map into `prompt`; returns true when it defines messages. */
function readFrontMatter(map: YAMLMap, document: NonNullable<ReturnType<typeof parseYaml>['document']>, source: YamlSource, prompt: PromptFile, options: LoadOptions): boolean {
  const { file, findings } = prompt;
  const keyPositions = prompt.keyPositions ?? {};
  let hasMessages = false;
  const problem = (node: Node | null | undefined, severity: 'error' | 'warning', check: string, message: string): void => {
    findings.push(finding(file, nodePosition(source, node), 'syntax', severity, check, message));
  };
  const text = (node: Node | null): string | undefined =>
    isScalar(node) && node.value !== null && typeof node.value !== 'object' ? String(node.value) : undefined;

  for (const { key, keyNode, value } of mapEntries(map)) {
    keyPositions[key] = nodePosition(source, keyNode);
    switch (key) {
      case 'name':
      case 'description':
      case 'version': {
        const scalar = text(value);
        if (scalar === undefined) problem(value ?? keyNode, 'error', 'load/front-matter-field', `'${key}' must be a string`);
        else prompt[key] = scalar;
        break;
      }
      case 'engine':
      case 'template': {
        // Prompty writes `template: jinja2` or `template: {format: jinja2}`.
        const raw = key === 'template' && isMap(value) ? text(mapEntries(value).find((entry) => entry.key === 'format')?.value ?? null) : text(value);
        const engine = raw === undefined ? undefined : ENGINE_NAMES.includes(raw as EngineName) ? (raw as EngineName) : ENGINE_ALIASES[raw.toLowerCase()];
        if (engine === undefined) {
          const suggestion = raw === undefined ? undefined : closestName(raw, ENGINE_NAMES);
          problem(value ?? keyNode, 'error', 'load/unknown-engine',
            `Unknown engine '${raw ?? ''}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}: use one of ${ENGINE_NAMES.join(', ')}; falling back to '${prompt.engine}' from the file extension`);
        } else if (!options.engine) {
          prompt.engine = engine;
        }
        break;
      }
      case 'model': {
        const model = isMap(value) ? modelFromPrompty(toJS(value, document)) : text(value);
        if (model === undefined) problem(value ?? keyNode, 'error', 'load/front-matter-field', "'model' must be a model name such as gpt-4o-mini");
        else prompt.model = model;
        break;
      }
      case 'max_tokens': {
        const budget = toJS(value, document);
        if (typeof budget !== 'number' || !Number.isInteger(budget) || budget <= 0) {
          problem(value ?? keyNode, 'error', 'load/front-matter-field', `'max_tokens' must be a positive whole number of tokens (got ${JSON.stringify(budget)})`);
        } else {
          prompt.max_tokens = budget;
        }
        break;
      }
      case 'variables':
      case 'inputs':
        readVariables(value, document, source, prompt, keyPositions);
        break;
      case 'messages':
        hasMessages = readMessages(value, source, prompt) || hasMessages;
        break;
      case 'tests': {
        if (value === null) break;
        if (!isSeq(value)) {
          problem(value, 'error', 'load/test-cases-shape', "'tests' must be a list of {name, vars, assert} objects");
          break;
        }
        const parsed = testCasesFromNodes(value.items as Node[], document, source);
        prompt.tests.push(...parsed.tests);
        findings.push(...parsed.findings);
        break;
      }
      default:
        if (!KNOWN_KEYS.includes(key)) {
          const suggestion = closestName(key, KNOWN_KEYS);
          problem(keyNode, 'warning', 'load/unknown-key', `Unknown front-matter key '${key}' is ignored${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`);
        }
    }
  }
  return hasMessages;
}

function modelFromPrompty(model: unknown): string | undefined {
  const record = model as { id?: unknown; configuration?: { name?: unknown; azure_deployment?: unknown; model?: unknown } };
  const name = record?.id ?? record?.configuration?.name ?? record?.configuration?.model ?? record?.configuration?.azure_deployment;
  return typeof name === 'string' ? name : undefined;
}

function readVariables(
  node: Node | null,
  document: NonNullable<ReturnType<typeof parseYaml>['document']>,
  source: YamlSource,
  prompt: PromptFile,
  keyPositions: Record<string, { line: number; column: number }>,
): void {
  const problem = (where: Node | null | undefined, severity: 'error' | 'warning', message: string): void => {
    prompt.findings.push(finding(prompt.file, nodePosition(source, where), 'syntax', severity, 'load/variable-spec', message));
  };
  if (node === null) return;
  if (!isMap(node)) {
    problem(node, 'error', "'variables' must be a map: each variable name maps to {type, required, default, max_length, trusted, description}");
    return;
  }
  for (const { key: name, keyNode, value } of mapEntries(node)) {
    keyPositions[`variables.${name}`] = nodePosition(source, keyNode);
    const spec: VariableSpec = {};
    prompt.variables[name] = spec;
    if (value === null) continue;
    if (isScalar(value)) {
      // Shorthand `topic: string` declares the type.
      const type = String(value.value);
      if ((VARIABLE_TYPES as readonly string[]).includes(type)) spec.type = type as VariableSpec['type'];
      else problem(value, 'error', `Variable '${name}': '${type}' is not a type; use one of ${VARIABLE_TYPES.join(', ')} or a map {type, required, ...}`);
      continue;
    }
    if (!isMap(value)) {
      problem(value, 'error', `Variable '${name}' must be a map {type, required, default, max_length, trusted, description}`);
      continue;
    }
    for (const entry of mapEntries(value)) {
      const field = toJS(entry.value, document);
      const at = entry.value ?? entry.keyNode;
      switch (entry.key) {
        case 'type':
          if (typeof field === 'string' && (VARIABLE_TYPES as readonly string[]).includes(field)) spec.type = field as VariableSpec['type'];
          else problem(at, 'error', `Variable '${name}': type must be one of ${VARIABLE_TYPES.join(', ')} (got ${JSON.stringify(field)})`);
          break;
        case 'required':
        case 'trusted':
          if (typeof field === 'boolean') spec[entry.key] = field;
          else problem(at, 'error', `Variable '${name}': ${entry.key} must be true or false (got ${JSON.stringify(field)})`);
          break;
        case 'max_length':
          if (typeof field === 'number' && Number.isInteger(field) && field >= 0) spec.max_length = field;
          else problem(at, 'error', `Variable '${name}': max_length must be a whole number of characters (got ${JSON.stringify(field)})`);
          break;
        case 'default':
          spec.default = field;
          keyPositions[`variables.${name}.default`] = nodePosition(source, entry.value ?? entry.keyNode);
          break;
        case 'description':
          if (typeof field === 'string') spec.description = field;
          break;
        case 'sample':
          break;
        default: {
          const suggestion = closestName(entry.key, VARIABLE_KEYS);
          problem(entry.keyNode, 'warning', `Variable '${name}': unknown key '${entry.key}' is ignored${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`);
        }
      }
    }
  }
}

function readMessages(node: Node | null, source: YamlSource, prompt: PromptFile): boolean {
  const problem = (where: Node | null | undefined, message: string): void => {
    prompt.findings.push(finding(prompt.file, nodePosition(source, where), 'syntax', 'error', 'load/message-shape', message));
  };
  if (node === null) return false;
  if (!isSeq(node)) {
    problem(node, "'messages' must be a list of {role, content} objects");
    return false;
  }
  (node.items as Node[]).forEach((item, index) => {
    const number = index + 1;
    if (!isMap(item)) {
      problem(item, `Message ${number} must be an object {role: system|user|assistant, content: ...}`);
      return;
    }
    const entries = mapEntries(item);
    const roleNode = entries.find((entry) => entry.key === 'role')?.value ?? null;
    const contentEntry = entries.find((entry) => entry.key === 'content');
    const role = isScalar(roleNode) ? String(roleNode.value) : undefined;
    if (!role || !(ROLES as readonly string[]).includes(role)) {
      const suggestion = role ? closestName(role, ROLES) : undefined;
      problem(roleNode ?? item, `Message ${number}: role must be one of ${ROLES.join(', ')}${role ? ` (got '${role}'${suggestion ? `; did you mean '${suggestion}'?` : ''})` : ''}`);
      return;
    }
    const content = contentEntry?.value ?? null;
    if (!isScalar(content) || typeof content.value !== 'string') {
      problem(content ?? item, `Message ${number}: content must be text (use a block scalar 'content: |' for several lines)`);
      return;
    }
    const located = stringSegments(source, content as Scalar<string>);
    const message: MessageTemplate = { role: role as Role, text: content.value, line: located.line, column: located.column, segments: located.segments };
    prompt.messages.push(message);
  });
  return prompt.messages.length > 0;
}

/** Splits a Prompty body into messages at lines such as `system:` and `user:`. */
function promptyMessages(body: string, firstLine: number): MessageTemplate[] {
  const lines = body.split('\n');
  const messages: MessageTemplate[] = [];
  let current: { role: Role; start: number; lines: string[] } | undefined;
  let preamble: string[] = [];
  lines.forEach((line, index) => {
    const marker = /^\s*(system|user|assistant|developer|tool)\s*:\s*$/i.exec(line);
    if (marker) {
      if (current) messages.push(toMessage(current, firstLine));
      current = { role: marker[1].toLowerCase() as Role, start: index + 1, lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else {
      preamble.push(line);
    }
  });
  if (current) messages.push(toMessage(current, firstLine));
  if (messages.length === 0) return [{ role: 'system', text: body, line: firstLine, column: 1 }];
  if (preamble.join('').trim().length > 0) messages.unshift({ role: 'system', text: preamble.join('\n'), line: firstLine, column: 1 });
  preamble = [];
  return messages.filter((message) => message.text.trim().length > 0);
}

function toMessage(current: { role: Role; start: number; lines: string[] }, firstLine: number): MessageTemplate {
  return { role: current.role, text: current.lines.join('\n').replace(/\s+$/, ''), line: firstLine + current.start, column: 1 };
}
