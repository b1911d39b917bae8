// Test cases from front-matter `tests:`, a sidecar `<name>.tests.yaml`, or the `test-cases` input (JSON/YAML).
// A case is `{name, vars, assert}` or, as in the seed's `test_cases=[{"style": ..., "topic": ...}]`, a plain
// map of variables. Anything else is a finding at its line, never an exception.
import type { Document, Node } from 'yaml';
import type { Assertion, AssertionType, Finding, TestCase } from './types.ts';
import { finding } from './findings.ts';
import { closestName } from './edit-distance.ts';
import { lineStartsOf } from './source-map.ts';
import { setOwn } from './engines/own-values.ts';
import { type YamlSource, isMap, isScalar, isSeq, mapEntries, nodePosition, parseYaml, toJS } from './yaml-source.ts';

export const ASSERTION_TYPES: readonly AssertionType[] = [
  'contains', 'icontains', 'not-contains', 'regex', 'starts-with', 'is-json', 'json-schema', 'max-latency-ms',
  'max-tokens', 'max-cost', 'equals',
];

export interface ParsedTestCases {
  tests: TestCase[];
  findings: Finding[];
}

/** Parses test cases from JSON or YAML text (a list of cases, `{tests: [...]}`, or one case). */
export function parseTestCases(text: string, sourceFile: string): ParsedTestCases {
  const source: YamlSource = { file: sourceFile, fileText: text, lineStarts: lineStartsOf(text), offset: 0 };
  const parsed = parseYaml(text, source, 'load/test-cases-yaml', 'Test cases must be a JSON or YAML list of {name, vars, assert} objects');
  if (!parsed.document) return { tests: [], findings: parsed.findings };
  let root = parsed.document.contents as Node | null;
  if (root === null) return { tests: [], findings: [] };
  if (isMap(root)) {
    const tests = mapEntries(root).find((entry) => entry.key === 'tests');
    if (tests) root = tests.value;
    else return testCasesFromNodes([root], parsed.document, source);
  }
  if (!isSeq(root)) {
    return {
      tests: [],
      findings: [finding(sourceFile, nodePosition(source, root), 'syntax', 'error', 'load/test-cases-shape', 'Test cases must be a list of {name, vars, assert} objects (or maps of variables)')],
    };
  }
  return testCasesFromNodes(root.items as Node[], parsed.document, source);
}

/** Turns YAML nodes into test cases; a node that is not a map yields a finding. */
export function testCasesFromNodes(nodes: readonly Node[], document: Document.Parsed, source: YamlSource): ParsedTestCases {
  const tests: TestCase[] = [];
  const findings: Finding[] = [];
  nodes.forEach((node, index) => {
    const number = index + 1;
    const position = nodePosition(source, node);
    const at = { file: source.file, line: position.line, column: position.column };
    const problem = (where: Node | null | undefined, check: string, message: string): void => {
      findings.push(finding(source.file, nodePosition(source, where ?? node), 'syntax', 'error', check, message));
    };
    if (!isMap(node)) {
      problem(node, 'load/test-case-shape', `Test case ${number} is not an object (got ${describe(toJS(node, document))}): write it as {name: ..., vars: {...}, assert: [...]} or as a map of variables`);
      return;
    }
    const entries = mapEntries(node);
    const structured = entries.some((entry) => entry.key === 'vars' || entry.key === 'assert');
    const varsEntry = structured ? entries.find((entry) => entry.key === 'vars') : undefined;
    const varsNode = structured ? varsEntry?.value : node;
    const vars: Record<string, unknown> = {};
    const varSources: Record<string, { file: string; line: number; column: number }> = {};
    if (varsNode !== undefined && varsNode !== null) {
      if (!isMap(varsNode)) {
        problem(varsNode, 'load/test-case-shape', `Test case ${number}: 'vars' must be a map of variable names to values`);
        return;
      }
      for (const entry of mapEntries(varsNode)) {
        setOwn(vars, entry.key, toJS(entry.value, document));
        const keyPosition = nodePosition(source, entry.keyNode);
        varSources[entry.key] = { file: source.file, line: keyPosition.line, column: keyPosition.column };
      }
    }
    let name = `case ${number}`;
    const assertions: Assertion[] = [];
    if (structured) {
      for (const entry of entries) {
        if (entry.key === 'name') {
          if (isScalar(entry.value) && entry.value.value !== null) name = String(entry.value.value);
          else problem(entry.value, 'load/test-case-shape', `Test case ${number}: 'name' must be a string`);
        } else if (entry.key === 'assert') {
          assertions.push(...parseAssertions(entry.value, number, document, problem));
        } else if (entry.key !== 'vars' && entry.key !== 'description') {
          const suggestion = closestName(entry.key, ['name', 'vars', 'assert', 'description']);
          findings.push(
            finding(source.file, nodePosition(source, entry.keyNode), 'syntax', 'warning', 'load/test-case-key',
              `Test case ${number}: unknown key '${entry.key}' is ignored${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`),
          );
        }
      }
    }
    tests.push({ name, vars, assert: assertions, source: at, varSources });
  });
  return { tests, findings };
}

function parseAssertions(
  node: Node | null,
  caseNumber: number,
  document: Document.Parsed,
  problem: (where: Node | null | undefined, check: string, message: string) => void,
): Assertion[] {
  if (node === null) return [];
  if (!isSeq(node)) {
    problem(node, 'load/assertion-shape', `Test case ${caseNumber}: 'assert' must be a list of {type, value} objects`);
    return [];
  }
  const assertions: Assertion[] = [];
  for (const item of node.items as Node[]) {
    if (!isMap(item)) {
      problem(item, 'load/assertion-shape', `Test case ${caseNumber}: each assertion must be an object such as {type: contains, value: "..."}`);
      continue;
    }
    const entries = mapEntries(item);
    const typeEntry = entries.find((entry) => entry.key === 'type');
    const type = typeEntry && isScalar(typeEntry.value) ? String(typeEntry.value.value) : undefined;
    if (!type || !(ASSERTION_TYPES as readonly string[]).includes(type)) {
      const suggestion = type ? closestName(type, ASSERTION_TYPES) : undefined;
      problem(typeEntry?.value ?? item, 'load/assertion-type',
        `Test case ${caseNumber}: ${type ? `unknown assertion type '${type}'` : "assertion has no 'type'"}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; use one of ${ASSERTION_TYPES.join(', ')}`);
      continue;
    }
    const assertion: Assertion = { type: type as AssertionType };
    const value = entries.find((entry) => entry.key === 'value');
    if (value) assertion.value = toJS(value.value, document);
    const target = entries.find((entry) => entry.key === 'target');
    if (target) {
      const targetValue = isScalar(target.value) ? String(target.value.value) : '';
      if (targetValue === 'prompt' || targetValue === 'output') assertion.target = targetValue;
      else problem(target.value, 'load/assertion-target', `Test case ${caseNumber}: assertion target must be 'prompt' or 'output'`);
    }
    assertions.push(assertion);
  }
  return assertions;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
