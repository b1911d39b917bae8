import { describe, expect, it } from '@jest/globals';
import { analyzePrompt, analyzePromptDetailed } from './analyze.ts';
import { loadPromptFile } from './load.ts';
import { renderPrompt } from './render.ts';
import { extractVariables } from './variables.ts';
import type { Finding } from './types.ts';

const brief = (findings: readonly Finding[]) => findings.map((item) => [item.check, item.severity, item.line, item.column]);

describe('variables per test case', () => {
  const text = [
    '---',
    'variables:',
    '  topic: {type: string, max_length: 12}',
    '  count: {type: integer, default: 3}',
    'tests:',
    '  - name: complete',
    '    vars: {style: formal, topic: cats}',
    '  - name: misspelt',
    '    vars: {style: formal, topc: dogs}',
    '  - name: wrong types',
    '    vars: {style: 1, topic: "a topic that is far too long", count: "three"}',
    '---',
    'Generate a {style} post about {topic} in {count} lines.',
  ].join('\n');
  const prompt = loadPromptFile('post.prompt', text);

  it('errors on a missing required variable at the case, naming the first use and the near miss', () => {
    const findings = analyzePrompt(prompt);
    const missing = findings.find((item) => item.check === 'variables/missing');
    expect(missing).toMatchObject({ line: 8, column: 5, severity: 'error', rule: 'variables' });
    expect(missing?.message).toBe(
      "Test case 'misspelt' is missing required variable 'topic' (used at line 13, column 32): it would render as empty text; did you mean 'topc', which it supplies?",
    );
    const unused = findings.find((item) => item.check === 'variables/unused');
    expect(unused).toMatchObject({ line: 9, column: 27, severity: 'warning' });
    expect(unused?.message).toContain("did you mean 'topic'?");
  });

  it('enforces declared types and max_length at the supplied value', () => {
    const findings = analyzePrompt(prompt).filter((item) => item.check === 'variables/type' || item.check === 'variables/max-length');
    expect(brief(findings)).toEqual([
      ['variables/max-length', 'error', 11, 22],
      ['variables/type', 'error', 11, 61],
    ]);
    expect(findings[0].message).toContain('is 28 characters long, over its max_length of 12');
    expect(findings[1].message).toContain("variable 'count' must be an integer, got a string");
  });

  it('applies defaults when rendering', () => {
    const cases = analyzePromptDetailed(prompt).cases;
    expect(cases[0].messages).toEqual([{ role: 'user', content: 'Generate a formal post about cats in 3 lines.' }]);
    expect(cases.map((item) => item.name)).toEqual(['complete', 'misspelt', 'wrong types']);
  });

  it('extracts variables with their first use and required-ness', () => {
    expect(extractVariables(prompt).map((variable) => [variable.name, variable.required, variable.uses[0]?.line, variable.uses[0]?.column])).toEqual([
      ['style', true, 13, 13],
      ['topic', true, 13, 32],
      ['count', false, 13, 43],
    ]);
  });
});

describe('leftover placeholders', () => {
  it('flags a format template whose {{x}} survives as {x}, at the doubled brace', () => {
    const prompt = loadPromptFile('mixed.prompt', '---\ntests:\n  - {name: n}\n---\nHello {name}, your order {{order_id}} shipped.\n');
    const findings = analyzePrompt(prompt).filter((item) => item.check === 'variables/leftover-placeholder');
    expect(brief(findings)).toEqual([['variables/leftover-placeholder', 'error', 5, 26]]);
    expect(findings[0].message).toContain("'{order_id}'");
  });

  it('flags Jinja syntax in a mustache template, and ignores braces that come from values', () => {
    const text = '---\ntests:\n  - {code: "use {x} here", name: n}\n---\nHi {{name}}\n{% if vip %}VIP{% endif %} {{code}}\n';
    const findings = analyzePrompt(loadPromptFile('t.mustache', text)).filter((item) => item.check === 'variables/leftover-placeholder');
    expect(brief(findings)).toEqual([['variables/leftover-placeholder', 'error', 6, 1]]);
  });
});

describe('fields of section and loop items', () => {
  it('reports an item without the field a section reads', () => {
    const text = [
      '---',
      'tests:',
      '  - vars:',
      '      items:',
      '        - {label: a}',
      '        - {title: b}',
      '---',
      '{{#items}}- {{label}}',
      '{{/items}}',
    ].join('\n');
    const findings = analyzePrompt(loadPromptFile('list.mustache', text));
    expect(brief(findings)).toEqual([['variables/missing-field', 'error', 4, 7]]);
    expect(findings[0].message).toContain("items[1] has no field 'label' (read at line 8, column 15)");
  });

  it('accepts a field found at the top level (Mustache context fallback)', () => {
    const text = "---\ntests:\n  - {items: [{a: 1}], label: L}\n---\n{{#items}}{{label}}{{/items}}";
    expect(analyzePrompt(loadPromptFile('list.mustache', text))).toEqual([]);
  });

  it('checks jinja loop item fields without fallback', () => {
    const text = "---\ntests:\n  - {docs: [{title: t}, {body: b}]}\n---\n{% for d in docs %}{{ d.title }}{% endfor %}";
    expect(brief(analyzePrompt(loadPromptFile('docs.j2', text)))).toEqual([['variables/missing-field', 'error', 3, 6]]);
  });
});

describe('syntax findings at file positions', () => {
  it('reports a stray brace in a format body at its line and column', () => {
    const prompt = loadPromptFile('s.prompt', '---\nname: s\n---\nfirst line\nsecond } line {ok}\n');
    expect(brief(analyzePrompt(prompt, ['syntax']))).toEqual([['syntax/format', 'error', 5, 8]]);
  });

  it('reports an unknown filter inside a block-scalar message', () => {
    const text = '---\nmessages:\n  - role: user\n    content: |\n      Hello\n      {{ name | shout }}\n---\n';
    expect(brief(analyzePrompt(loadPromptFile('f.j2', text), ['syntax']))).toEqual([['syntax/unknown-filter', 'error', 6, 17]]);
  });

  it('does not render a template with syntax errors, and says so once', () => {
    const prompt = loadPromptFile('u.j2', '---\ntests:\n  - {name: x}\n---\n{% if name %}open\n');
    const analysis = analyzePromptDetailed(prompt);
    expect(brief(analysis.findings)).toEqual([['syntax/unterminated-block', 'error', 5, 4]]);
    expect(analysis.cases[0].messages).toEqual([{ role: 'user', content: '' }]);
  });
});

describe('static variable checks', () => {
  it('warns about declared but unused variables and near-miss names', () => {
    const text = '---\nvariables:\n  audience: {type: string}\n  tone: {}\ntests:\n  - {audiense: x, tone: y}\n---\nFor {audiense} in a {tone} tone.';
    const findings = analyzePrompt(loadPromptFile('n.prompt', text));
    expect(brief(findings)).toEqual([
      ['variables/declared-unused', 'warning', 3, 3],
      ['variables/near-miss', 'warning', 8, 6],
    ]);
    expect(findings[1].message).toContain("did you mean the declared variable 'audience'?");
  });

  it('checks declared defaults against their type and max_length', () => {
    const text = '---\nvariables:\n  words: {type: integer, default: many}\n  tone: {max_length: 3, default: friendly}\n---\n{words} {tone}';
    expect(brief(analyzePrompt(loadPromptFile('d.prompt', text)))).toEqual([
      ['variables/type', 'error', 3, 35],
      ['variables/max-length', 'error', 4, 34],
    ]);
  });

  it('counts a mustache name that resolves at the top level inside a section as used', () => {
    const text = '---\nvariables:\n  show: {type: boolean}\n  details: {type: string}\ntests:\n  - {show: true, details: d}\n---\n{{#show}}{{details}}{{/show}}';
    const analysis = analyzePromptDetailed(loadPromptFile('s.mustache', text));
    expect(analysis.findings).toEqual([]);
    expect(analysis.cases[0].messages[0].content).toBe('d');
  });

  it('notes a template whose variables no test case renders', () => {
    const findings = analyzePrompt(loadPromptFile('n.prompt', 'About {topic}'));
    expect(brief(findings)).toEqual([['variables/no-tests', 'notice', 1, 1]]);
  });
});

describe('length', () => {
  it('errors when a rendered case exceeds max_tokens, with an exact OpenAI count', () => {
    const text = '---\nmodel: gpt-4o\nmax_tokens: 20\ntests:\n  - name: short\n    vars: {topic: cats}\n  - name: long\n    vars: {topic: "' + 'word '.repeat(40) + '"}\n---\nWrite about {topic}.';
    const analysis = analyzePromptDetailed(loadPromptFile('b.prompt', text));
    expect(brief(analysis.findings)).toEqual([['length/over-budget', 'error', 7, 5]]);
    expect(analysis.findings[0].message).toMatch(/^Test case 'long' renders to 49 tokens \(43 content \+ 6 chat framing; exact, o200k_base tokenizer of gpt-4o\), over the max_tokens budget of 20$/);
    expect(analysis.cases[0].tokens).toEqual({ tokens: 10, contentTokens: 4, exact: true, encoding: 'o200k_base' });
  });

  it('says a count for a non-OpenAI model is an estimate', () => {
    const text = '---\nmodel: claude-sonnet-4\nmax_tokens: 5\n---\nA static prompt that is longer than five tokens.';
    const findings = analyzePrompt(loadPromptFile('c.prompt', text));
    expect(brief(findings)).toEqual([['length/over-budget', 'error', 3, 1]]);
    expect(findings[0].message).toContain('estimate with the o200k_base tokenizer; claude-sonnet-4 uses its own tokenizer');
  });

  it('checks the static text against the budget when no case can render', () => {
    const text = '---\nmax_tokens: 10\n---\n{question}\n' + 'Static instructions. '.repeat(10);
    expect(brief(analyzePrompt(loadPromptFile('s.prompt', text), ['length']))).toEqual([['length/over-budget', 'error', 2, 1]]);
  });

  it('warns when a variable precedes a long static prefix that defeats prompt caching', () => {
    const staticText = 'Follow these detailed policies carefully. '.repeat(200);
    const text = `---\ntests:\n  - {user_name: Ada}\n---\nHello {user_name}.\n${staticText}`;
    const findings = analyzePrompt(loadPromptFile('cache.prompt', text), ['length']);
    expect(brief(findings)).toEqual([['length/prompt-cache', 'warning', 5, 8]]);
    expect(findings[0].message).toMatch(/Variable 'user_name' comes before 1,\d{3} tokens of static text/);
    const fixed = `---\ntests:\n  - {user_name: Ada}\n---\n${staticText}\nHello {user_name}.`;
    expect(analyzePrompt(loadPromptFile('cache.prompt', fixed), ['length'])).toEqual([]);
  });
});

describe('renderPrompt', () => {
  it('renders chat messages with defaults and reports missing required variables', () => {
    const text = '---\nvariables:\n  tone: {default: calm}\nmessages:\n  - role: system\n    content: Be {{ tone }}.\n  - role: user\n    content: "{{ question }}"\n---\n';
    const prompt = loadPromptFile('chat.j2', text);
    expect(renderPrompt(prompt, { question: 'Why?' })).toEqual({
      messages: [
        { role: 'system', content: 'Be calm.' },
        { role: 'user', content: 'Why?' },
      ],
      findings: [],
    });
    const missing = renderPrompt(prompt, {});
    expect(missing.messages[1]).toEqual({ role: 'user', content: '' });
    expect(missing.findings).toEqual([
      expect.objectContaining({ check: 'variables/missing', line: 1, column: 1, message: expect.stringContaining("This render is missing required variable 'question' (used at line 8, column 18)") }),
    ]);
  });

  it('turns engine runtime errors into findings', () => {
    const prompt = loadPromptFile('f.prompt', 'Value: {amount:.2f}');
    const result = renderPrompt(prompt, { amount: 'ten' });
    expect(result.findings).toEqual([
      expect.objectContaining({ check: 'render/error', line: 1, column: 16, message: expect.stringContaining("Unknown format code 'f' for object of type 'str'") }),
    ]);
  });

  it('honours the rule selection', () => {
    const prompt = loadPromptFile('r.prompt', '---\ntests:\n  - {}\n---\nA } and {x}');
    expect(analyzePrompt(prompt, ['variables']).map((item) => item.rule)).toEqual(['variables']);
    expect(analyzePrompt(prompt, ['syntax']).map((item) => item.rule)).toEqual(['syntax']);
  });
});

describe('test data probing role tokens', () => {
  it('analyzes a case whose value contains <|endoftext|> without throwing, counting it as text', () => {
    const text = ['---', 'tests:', '  - name: probe', '    vars: {q: "hi <|endoftext|> there"}', '---', 'Answer <q>{q}</q>'].join('\n');
    const detailed = analyzePromptDetailed(loadPromptFile('probe.prompt', text), ['length']);
    expect(detailed.cases).toHaveLength(1);
    expect(detailed.cases[0].tokens.contentTokens).toBeGreaterThan(5);
  });
});
