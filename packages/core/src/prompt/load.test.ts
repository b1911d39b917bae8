import { describe, expect, it } from '@jest/globals';
import { engineForFile, loadPromptFile, sidecarPathFor, splitFrontMatter } from './load.ts';
import { positionAt } from './source-map.ts';
import type { TemplateText } from './types.ts';

/** File position of the first occurrence of `needle` inside a template text (via the text's source map). */
function where(template: TemplateText, needle: string): { line: number; column: number } {
  const index = template.text.indexOf(needle);
  expect(index).toBeGreaterThanOrEqual(0);
  return positionAt(template, index);
}

/** File position of the first occurrence of `needle` in the file, computed independently. */
function inFile(file: string, needle: string, occurrence = 0): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = file.indexOf(needle, index + 1);
  const before = file.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

const CHAT = [
  '---',
  'name: support-reply',
  'version: 1.2',
  'engine: jinja2',
  'model: gpt-4o-mini',
  'max_tokens: 800',
  'variables:',
  '  question: {type: string, required: true, max_length: 500, trusted: false}',
  '  tone:',
  '    type: string',
  '    default: friendly',
  'messages:',
  '  - role: system',
  '    content: |',
  '      You are a {{ tone }} assistant.',
  '        Indented rule: be brief.',
  '',
  '      Never reveal {{ secret_name }}.',
  '  - role: user',
  '    content: "Q: {{ question }}\\n\\tThanks {{ who }}"',
  '  - role: assistant',
  '    content: >',
  '      Folded {{ a }}',
  '      continues {{ b }}',
  "  - {role: user, content: 'it''s {{ c }}'}",
  '  - role: user',
  '    content: plain {{ d }}',
  '      next line {{ e }}',
  'tests:',
  '  - name: basic',
  '    vars: {question: "How?", tone: calm}',
  '    assert:',
  '      - {type: contains, value: "How"}',
  '  - {question: "seed style"}',
  '---',
  '',
].join('\n');

describe('loadPromptFile', () => {
  const prompt = loadPromptFile('prompts/support.j2', CHAT);

  it('reads the Prompty-shaped front-matter', () => {
    expect(prompt.findings).toEqual([]);
    expect(prompt).toMatchObject({
      name: 'support-reply',
      version: '1.2',
      engine: 'jinja2',
      model: 'gpt-4o-mini',
      max_tokens: 800,
      variables: {
        question: { type: 'string', required: true, max_length: 500, trusted: false },
        tone: { type: 'string', default: 'friendly' },
      },
    });
    expect(prompt.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user', 'user']);
    expect(prompt.keyPositions?.max_tokens).toEqual({ line: 6, column: 1 });
    expect(prompt.keyPositions?.['variables.tone']).toEqual({ line: 9, column: 3 });
  });

  it('maps every character of a block literal to its file line and column', () => {
    const [system] = prompt.messages;
    expect(system.text).toBe('You are a {{ tone }} assistant.\n  Indented rule: be brief.\n\nNever reveal {{ secret_name }}.\n');
    expect(where(system, '{{ tone }}')).toEqual(inFile(CHAT, '{{ tone }}'));
    expect(where(system, 'Indented')).toEqual(inFile(CHAT, 'Indented'));
    expect(where(system, '{{ secret_name }}')).toEqual({ line: 18, column: 20 });
  });

  it('maps double-quoted escapes, folded, single-quoted and multi-line plain scalars', () => {
    const [, user, folded, quoted, plain] = prompt.messages;
    expect(user.text).toBe('Q: {{ question }}\n\tThanks {{ who }}');
    expect(where(user, '{{ question }}')).toEqual(inFile(CHAT, '{{ question }}'));
    expect(where(user, '{{ who }}')).toEqual(inFile(CHAT, '{{ who }}'));
    expect(folded.text).toBe('Folded {{ a }} continues {{ b }}\n');
    expect(where(folded, '{{ b }}')).toEqual(inFile(CHAT, '{{ b }}'));
    expect(quoted.text).toBe("it's {{ c }}");
    expect(where(quoted, '{{ c }}')).toEqual(inFile(CHAT, '{{ c }}'));
    expect(plain.text).toBe('plain {{ d }} next line {{ e }}');
    expect(where(plain, '{{ e }}')).toEqual(inFile(CHAT, '{{ e }}'));
  });

  it('reads structured and seed-style test cases with the position of each case and variable', () => {
    expect(prompt.tests).toEqual([
      {
        name: 'basic',
        vars: { question: 'How?', tone: 'calm' },
        assert: [{ type: 'contains', value: 'How' }],
        source: { file: 'prompts/support.j2', line: 30, column: 5 },
        varSources: {
          question: { file: 'prompts/support.j2', line: 31, column: 12 },
          tone: { file: 'prompts/support.j2', line: 31, column: 30 },
        },
      },
      {
        name: 'case 2',
        vars: { question: 'seed style' },
        assert: [],
        source: { file: 'prompts/support.j2', line: 34, column: 5 },
        varSources: { question: { file: 'prompts/support.j2', line: 34, column: 6 } },
      },
    ]);
  });

  it('keeps the body position after the front-matter', () => {
    const text = '---\nname: x\n---\nLine one\nWrite about {topic}.\n';
    const loaded = loadPromptFile('a.prompt', text);
    expect(loaded.messages).toEqual([{ role: 'user', text: 'Line one\nWrite about {topic}.', line: 4, column: 1 }]);
    expect(where(loaded.messages[0], '{topic}')).toEqual({ line: 5, column: 13 });
  });

  it('loads a file without front-matter as one user message', () => {
    const loaded = loadPromptFile('seed.txt', 'Generate a {style} post about {topic}');
    expect(loaded).toMatchObject({ name: 'seed', engine: 'format', findings: [], messages: [{ role: 'user', line: 1, column: 1 }] });
  });

  it('splits a .prompty body at role markers', () => {
    const text = '---\nname: p\n---\nsystem:\nYou help with {{ topic }}.\n\nuser:\n{{ question }}\n';
    const loaded = loadPromptFile('chat.prompty', text);
    expect(loaded.engine).toBe('jinja2');
    expect(loaded.messages.map((message) => [message.role, message.text.trim(), message.line])).toEqual([
      ['system', 'You help with {{ topic }}.', 5],
      ['user', '{{ question }}', 8],
    ]);
  });
});

describe('bad input becomes findings, not exceptions', () => {
  it('front-matter that is not YAML', () => {
    const loaded = loadPromptFile('bad.prompt', '---\nname: x\nvariables: [unclosed\n---\nHello {name}\n');
    expect(loaded.findings).toEqual([
      expect.objectContaining({ file: 'bad.prompt', line: 4, rule: 'syntax', severity: 'error', check: 'load/front-matter-yaml', message: expect.stringContaining('Fix the YAML') }),
    ]);
    expect(loaded.messages).toHaveLength(1);
  });

  it('front-matter never closed', () => {
    expect(loadPromptFile('open.prompt', '---\nname: x\nHello\n').findings).toEqual([
      expect.objectContaining({ line: 1, column: 1, check: 'load/front-matter' }),
    ]);
  });

  it('an unknown engine, with a suggestion and the extension fallback', () => {
    const loaded = loadPromptFile('t.prompt', '---\nengine: jinja3\n---\nHi {name}\n');
    expect(loaded.engine).toBe('format');
    expect(loaded.findings).toEqual([
      expect.objectContaining({ line: 2, column: 9, check: 'load/unknown-engine', message: expect.stringContaining("did you mean 'jinja2'") }),
    ]);
  });

  it('test cases that are not objects, bad vars and unknown assertion types', () => {
    const text = [
      '---',
      'tests:',
      '  - just a string',
      '  - name: t',
      '    vars: [1, 2]',
      '  - name: u',
      '    vars: {a: 1}',
      '    assert:',
      '      - type: contain',
      '        value: x',
      '---',
      'Hi {a}',
    ].join('\n');
    const loaded = loadPromptFile('t.prompt', text);
    expect(loaded.findings.map((item) => [item.line, item.column, item.check])).toEqual([
      [3, 5, 'load/test-case-shape'],
      [5, 11, 'load/test-case-shape'],
      [9, 15, 'load/assertion-type'],
    ]);
    expect(loaded.findings[2].message).toContain("did you mean 'contains'");
    expect(loaded.tests.map((test) => test.name)).toEqual(['u']);
  });

  it('invalid variable specs, max_tokens, messages and unknown keys', () => {
    const text = [
      '---',
      'max_tokens: -5',
      'variables:',
      '  a: {type: text, max_length: many, requird: true}',
      'messages:',
      '  - role: sytem',
      '    content: hi',
      '  - role: user',
      '    content: [1]',
      'temprature: 1',
      '---',
    ].join('\n');
    const loaded = loadPromptFile('t.prompt', text);
    expect(loaded.findings.map((item) => [item.line, item.column, item.severity, item.check])).toEqual([
      [2, 13, 'error', 'load/front-matter-field'],
      [4, 13, 'error', 'load/variable-spec'],
      [4, 31, 'error', 'load/variable-spec'],
      [4, 37, 'warning', 'load/variable-spec'],
      [6, 11, 'error', 'load/message-shape'],
      [9, 14, 'error', 'load/message-shape'],
      [10, 1, 'warning', 'load/unknown-key'],
      [1, 1, 'warning', 'load/empty-template'],
    ]);
    expect(loaded.findings[4].message).toContain("did you mean 'system'");
  });
});

describe('sidecar and inline test cases', () => {
  it('adds cases from a sidecar file with positions in that file', () => {
    const sidecar = { file: 'prompts/post.tests.yaml', text: '- name: one\n  vars:\n    topic: cats\n- 42\n' };
    const loaded = loadPromptFile('prompts/post.prompt', 'About {topic}', { sidecar });
    expect(loaded.tests).toEqual([
      expect.objectContaining({ name: 'one', vars: { topic: 'cats' }, source: { file: 'prompts/post.tests.yaml', line: 1, column: 3 } }),
    ]);
    expect(loaded.findings).toEqual([expect.objectContaining({ file: 'prompts/post.tests.yaml', line: 4, column: 3, check: 'load/test-case-shape' })]);
  });

  it('accepts the seed-style inline JSON list', () => {
    const inlineTests = { text: '[{"style": "formal", "topic": "AI"}, {"style": "casual", "topic": "ML"}]', source: 'test-cases input' };
    const loaded = loadPromptFile('seed.prompt', 'Generate a {style} post about {topic}', { inlineTests });
    expect(loaded.tests.map((test) => [test.name, test.vars])).toEqual([
      ['case 1', { style: 'formal', topic: 'AI' }],
      ['case 2', { style: 'casual', topic: 'ML' }],
    ]);
  });
});

describe('helpers', () => {
  it('chooses engines by extension', () => {
    expect(['a.prompt', 'a.txt', 'a.md', 'a.mustache', 'a.hbs', 'a.j2', 'a.jinja', 'a.prompty', 'a.other'].map(engineForFile)).toEqual([
      'format', 'format', 'format', 'mustache', 'handlebars', 'jinja2', 'jinja2', 'jinja2', 'format',
    ]);
  });

  it('names the sidecar', () => {
    expect(sidecarPathFor('prompts/post.prompt')).toBe('prompts/post.tests.yaml');
  });

  it('splits front-matter with CRLF and a BOM', () => {
    const split = splitFrontMatter('\uFEFF---\r\nname: x\r\n---\r\nbody');
    expect(split).toMatchObject({ yaml: 'name: x\r\n', body: 'body', unclosed: false });
  });
});
