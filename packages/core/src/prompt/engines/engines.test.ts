import { describe, expect, it } from '@jest/globals';
import { parseMustacheTemplate } from './mustache.ts';
import { parseHandlebarsTemplate } from './handlebars.ts';
import { parseJinjaTemplate } from './jinja.ts';
import { parseTemplateText } from './index.ts';

const names = (uses: Array<{ name: string; index: number; conditional?: boolean }>) => uses.map((use) => [use.name, use.index, use.conditional]);

describe('mustache', () => {
  it('extracts top-level variables and resolves section names against the section item', () => {
    const text = 'Hi {{name}}!\n{{#items}}- {{label}} {{.}}\n{{/items}}{{^empty}}none{{/empty}}{{{raw}}} {{user.email}}';
    const parsed = parseMustacheTemplate(text);
    expect(names(parsed.variables)).toEqual([
      ['name', 5, false],
      ['items', 16, true],
      ['empty', 54, true],
      ['raw', 78, false],
      ['user', 87, false],
    ]);
    expect(parsed.variables[4].path).toEqual(['email']);
    expect(parsed.scoped).toEqual([{ scope: 'items', name: 'label', index: 27, fallsBackToTopLevel: true }]);
    expect(parsed.literals[0]).toEqual({ index: 0, text: 'Hi ' });
  });

  it('renders without HTML escaping', () => {
    const parsed = parseMustacheTemplate('{{a}} {{#items}}<{{label}}>{{/items}}');
    expect(parsed.render({ a: '<b> & "c"', items: [{ label: 'x' }, { label: 'y' }] })).toBe('<b> & "c" <x><y>');
  });

  it('reports unclosed sections at their opening tag and unclosed tags where they start', () => {
    expect(parseMustacheTemplate('ab\n{{#list}}x').issues).toEqual([
      expect.objectContaining({ index: 3, check: 'syntax/mustache', message: expect.stringContaining('add the closing tag {{/list}}') }),
    ]);
    expect(parseMustacheTemplate('ab {{name').issues).toEqual([expect.objectContaining({ index: 3 })]);
    expect(parseMustacheTemplate('{{#a}}x{{/b}}').issues).toEqual([expect.objectContaining({ index: 7 })]);
    expect(parseMustacheTemplate('x {{/a}}').issues).toEqual([expect.objectContaining({ index: 2, message: expect.stringContaining('Unopened section') })]);
  });

  it('flags partials, which would render as nothing', () => {
    const parsed = parseMustacheTemplate('a {{> footer}}');
    expect(parsed.issues).toEqual([expect.objectContaining({ index: 2, check: 'syntax/mustache-partial' })]);
    expect(parsed.renderable).toBe(false);
  });
});

describe('handlebars', () => {
  it('extracts variables, each/with scopes, block params, ../ and @root', () => {
    const text = '{{name}} {{#each items as |item i|}}{{item.title}}{{../owner}}{{@index}}{{i}}{{/each}}{{#each rows}}{{cell}}{{/each}}{{#with user}}{{email}}{{/with}}{{#if flag}}{{@root.extra}}{{/if}}';
    const parsed = parseHandlebarsTemplate(text);
    expect(names(parsed.variables)).toEqual([
      ['name', 2, false],
      ['items', 17, false],
      ['owner', 55, false],
      ['rows', 94, false],
      ['user', 125, false],
      ['flag', 155, true],
      ['extra', 169, false],
    ]);
    expect(parsed.scoped).toEqual([
      { scope: 'items', name: 'title', index: 43, fallsBackToTopLevel: false },
      { scope: 'rows', name: 'cell', index: 102, fallsBackToTopLevel: true },
      { scope: 'user', name: 'email', index: 133, fallsBackToTopLevel: true },
    ]);
  });

  it('reports unknown helpers with their position and allows the built-ins', () => {
    const parsed = parseHandlebarsTemplate('a {{upper name}}\n{{#repeat 3}}x{{/repeat}}{{lookup map key}}{{#unless x}}y{{/unless}}');
    expect(parsed.issues.map((issue) => [issue.check, issue.index])).toEqual([
      ['syntax/unknown-helper', 4],
      ['syntax/unknown-helper', 20],
    ]);
  });

  it('reports parse errors and unclosed blocks with positions', () => {
    expect(parseHandlebarsTemplate('line\n{{#if ok}}\nopen').issues).toEqual([
      expect.objectContaining({ index: 5, check: 'syntax/unterminated-block', message: expect.stringContaining('add {{/if}}') }),
    ]);
    const stray = parseHandlebarsTemplate('a\nb {{/if}}');
    expect(stray.issues).toEqual([expect.objectContaining({ index: 4, check: 'syntax/handlebars' })]);
    expect(parseHandlebarsTemplate('x {{foo}').issues[0].index).toBe(7);
  });

  it('renders with noEscape and built-in helpers', () => {
    const parsed = parseHandlebarsTemplate('{{a}}{{#each items}}[{{this}}]{{/each}}{{#if flag}}!{{/if}}');
    expect(parsed.render({ a: '<&>', items: ['x', 'y'], flag: true })).toBe('<&>[x][y]!');
  });
});

describe('jinja2', () => {
  it('treats loop variables, set targets, macro arguments and loop as local', () => {
    const text = '{% set greeting = "Hi" %}{{ greeting }} {{ name }}\n{% for doc in documents %}{{ loop.index }}. {{ doc.title }}{% endfor %}{% macro show(x) %}{{ x }}{% endmacro %}{{ show(topic) }}{{ missing | default("d") }}{% if extra is defined %}{{ extra }}{% endif %}';
    const parsed = parseJinjaTemplate(text);
    expect(names(parsed.variables)).toEqual([
      ['name', 43, false],
      ['documents', 65, false],
      ['topic', 170, false],
      ['missing', 182, true],
      ['extra', 213, true],
      ['extra', 213, false],
    ]);
    expect(parsed.scoped).toEqual([{ scope: 'documents', name: 'title', index: 102, fallsBackToTopLevel: false }]);
    for (const use of [...parsed.variables, ...parsed.scoped]) expect(text.slice(use.index, use.index + use.name.length)).toBe(use.name);
  });

  it('points a variable at a read, not at a loop or set binding of the same name', () => {
    const text = '{% for name, v in pairs %}{{ name }}{% endfor %}{% set x = 1 %}{{ name }}';
    const parsed = parseJinjaTemplate(text);
    expect(names(parsed.variables)).toEqual([['pairs', 18, false], ['name', 29, false]]);
  });

  it('reports unknown filters and tests at their position', () => {
    const parsed = parseJinjaTemplate('{{ a }}\n{{ b | shout }} {% if c is prime %}x{% endif %}');
    expect(parsed.issues.map((issue) => [issue.check, issue.index])).toEqual([
      ['syntax/unknown-filter', 15],
      ['syntax/unknown-test', 35],
    ]);
  });

  it('detects unterminated and mismatched blocks and unclosed tags', () => {
    expect(parseJinjaTemplate('a\n{% if x %}\nb').issues).toEqual([
      expect.objectContaining({ index: 5, check: 'syntax/unterminated-block', message: expect.stringContaining('add {% endif %}') }),
    ]);
    expect(parseJinjaTemplate('{% for x in y %}{% endif %}').issues.map((issue) => [issue.check, issue.index])).toEqual([
      ['syntax/jinja-block', 19],
      ['syntax/unterminated-block', 3],
    ]);
    expect(parseJinjaTemplate('ok {{ name ').issues).toEqual([expect.objectContaining({ index: 3, check: 'syntax/unterminated-tag' })]);
    expect(parseJinjaTemplate('{% raw %}x{% endraw %}').issues[0]).toMatchObject({ index: 3, check: 'syntax/jinja-unknown-tag' });
    expect(parseJinjaTemplate('{% else %}').issues[0]).toMatchObject({ index: 3, check: 'syntax/jinja-block' });
  });

  it('locates expression errors the interpreter reports without a position', () => {
    const parsed = parseJinjaTemplate('fine {{ a }}\n{{ 1 + }}');
    expect(parsed.issues).toEqual([expect.objectContaining({ index: 15, check: 'syntax/jinja', message: expect.stringContaining("in '1 +'") })]);
  });

  it('ignores tags inside string literals and comments', () => {
    const parsed = parseJinjaTemplate('{# {{ nope }} #}{{ "}}" ~ value }}');
    expect(names(parsed.variables)).toEqual([['value', 26, false]]);
    expect(parsed.render({ value: 'v' })).toBe('}}v');
  });

  it('renders like a chat template (trim_blocks and lstrip_blocks around statements)', () => {
    const parsed = parseJinjaTemplate('{% for m in messages %}\n  {{ m.role }}: {{ m.content }}\n  {% endfor %}');
    expect(parsed.render({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yo' }] })).toBe('  user: hi\n  assistant: yo\n');
  });
});

describe('stray braces and malformed tags', () => {
  it('reports {name}} in static text of every brace engine', () => {
    expect(parseMustacheTemplate('Hi {name}} and {{ok}}').issues).toEqual([expect.objectContaining({ index: 3, check: 'syntax/stray-brace', message: expect.stringContaining('write {{name}}') })]);
    expect(parseHandlebarsTemplate('Hi\n {user}}').issues).toEqual([expect.objectContaining({ index: 4, check: 'syntax/stray-brace' })]);
    const jinja = parseJinjaTemplate('{{ a }} {b}}');
    expect(jinja.issues).toEqual([expect.objectContaining({ index: 8, check: 'syntax/stray-brace' })]);
    expect(names(jinja.variables)).toEqual([['a', 3, false]]);
  });

  it('leaves JSON in static text alone', () => {
    expect(parseMustacheTemplate('Return {"a": {"b": 1}} for {{x}}').issues).toEqual([]);
  });

  it('reports a mustache tag whose name swallowed a brace', () => {
    expect(parseMustacheTemplate('{{a} and {{b}}').issues).toEqual([expect.objectContaining({ index: 0, check: 'syntax/mustache-tag' })]);
    expect(parseMustacheTemplate('{{first name}}').issues).toEqual([expect.objectContaining({ index: 0, check: 'syntax/mustache-tag' })]);
    expect(parseMustacheTemplate('{{user-name}} {{items.0}} {{#list}}{{.}}{{/list}}').issues).toEqual([]);
  });
});

describe('jinja render errors', () => {
  it('explains a loop over a missing variable', () => {
    expect(() => parseJinjaTemplate('{% for d in docs %}{{ d }}{% endfor %}').render({})).toThrow('guard the loop with {% if name %}');
  });
});

describe('parseTemplateText', () => {
  it('parses each text once per engine', () => {
    const template = { text: '{{ a }}', line: 1, column: 1 };
    expect(parseTemplateText('jinja2', template)).toBe(parseTemplateText('jinja2', template));
    expect(parseTemplateText('mustache', template).engine).toBe('mustache');
  });
});
