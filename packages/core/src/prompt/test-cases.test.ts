import { describe, expect, it } from '@jest/globals';
import { parseTestCases } from './test-cases.ts';

describe('parseTestCases', () => {
  it('accepts a list, a {tests: [...]} map and a single map of variables', () => {
    expect(parseTestCases('- {a: 1}\n- {b: 2}', 'cases.yaml').tests.map((test) => test.vars)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseTestCases('tests:\n  - name: t\n    vars: {a: 1}', 'cases.yaml').tests).toEqual([
      expect.objectContaining({ name: 't', vars: { a: 1 }, source: { file: 'cases.yaml', line: 2, column: 5 } }),
    ]);
    expect(parseTestCases('{"style": "formal"}', 'input').tests).toEqual([expect.objectContaining({ name: 'case 1', vars: { style: 'formal' } })]);
    expect(parseTestCases('', 'input')).toEqual({ tests: [], findings: [] });
  });

  it('reports JSON or YAML syntax errors at their position', () => {
    const { tests, findings } = parseTestCases('[{"a": 1},\n {"b": 1]', 'test-cases input');
    expect(tests).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]).toMatchObject({ file: 'test-cases input', line: 2, column: 9, check: 'load/test-cases-yaml', severity: 'error' });
  });

  it('reports a scalar root, non-object cases, bad names and unknown keys', () => {
    expect(parseTestCases('42', 'x').findings).toEqual([expect.objectContaining({ line: 1, column: 1, check: 'load/test-cases-shape' })]);
    const { tests, findings } = parseTestCases('- [1, 2]\n- null\n- name: [x]\n  vars: {}\n- name: ok\n  vars: {}\n  asert: []', 'x');
    expect(tests.map((test) => test.name)).toEqual(['case 3', 'ok']);
    expect(findings.map((item) => [item.line, item.column, item.severity, item.check])).toEqual([
      [1, 3, 'error', 'load/test-case-shape'],
      [2, 3, 'error', 'load/test-case-shape'],
      [3, 9, 'error', 'load/test-case-shape'],
      [7, 3, 'warning', 'load/test-case-key'],
    ]);
    expect(findings[3].message).toContain("did you mean 'assert'?");
  });

  it('validates assertions: list, type, target', () => {
    const { tests, findings } = parseTestCases('- vars: {}\n  assert:\n    - {type: regex, value: "^a", target: prompt}\n    - {value: x}\n    - {type: equals, target: both}\n    - just text', 'x');
    expect(tests[0].assert).toEqual([{ type: 'regex', value: '^a', target: 'prompt' }, { type: 'equals' }]);
    expect(findings.map((item) => [item.line, item.column, item.check])).toEqual([
      [4, 7, 'load/assertion-type'],
      [5, 30, 'load/assertion-target'],
      [6, 7, 'load/assertion-shape'],
    ]);
  });

  it('keeps a __proto__ variable as data', () => {
    const { tests } = parseTestCases('- {__proto__: {polluted: 1}, a: 1}', 'x');
    expect(Object.keys(tests[0].vars)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
