// Templates are untrusted input from pull requests: no engine may let them reach prototypes, Function,
// `process` or the environment. Each payload must render harmlessly or fail with a TemplateRenderError.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EngineName } from '../types.ts';
import { TEMPLATE_PARSERS } from './index.ts';
import { TemplateRenderError } from './types.ts';

const SECRET = `sandbox-secret-${Math.random().toString(36).slice(2)}`;
const VARIABLE = 'MODEL_CICD_SANDBOX_SECRET';

const PAYLOADS: Record<EngineName, string[]> = {
  format: [
    '{x.constructor}',
    '{x.constructor.constructor}',
    '{x.__proto__}',
    '{x[constructor]}',
    '{x.__class__.__init__.__globals__}',
    '{process.env.MODEL_CICD_SANDBOX_SECRET}',
    '{obj.__proto__.polluted}',
  ],
  mustache: [
    '{{constructor}}',
    '{{__proto__}}',
    '{{x.constructor.constructor}}',
    '{{#constructor}}{{name}}{{/constructor}}',
    '{{#x}}{{constructor.constructor}}{{/x}}',
    '{{process.env.MODEL_CICD_SANDBOX_SECRET}}',
    '{{#obj}}{{__proto__.toString}}{{/obj}}',
    '{{{x.constructor.name}}}',
  ],
  handlebars: [
    '{{constructor}}',
    '{{this.constructor.constructor}}',
    '{{lookup this "constructor"}}',
    '{{#with this.constructor}}{{name}}{{/with}}',
    '{{#with (lookup x "constructor")}}{{#with (lookup this "constructor")}}{{this}}{{/with}}{{/with}}',
    '{{process.env.MODEL_CICD_SANDBOX_SECRET}}',
    '{{@root.constructor.name}}',
    [
      '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}',
      '{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}',
      '{{this.push "return process.env.MODEL_CICD_SANDBOX_SECRET;"}}{{this.pop}}{{#each conslist}}',
      '{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
    ].join(''),
  ],
  jinja2: [
    '{{ x.constructor }}',
    '{{ x.constructor.constructor("return process.env.MODEL_CICD_SANDBOX_SECRET")() }}',
    '{{ x.__proto__ }}',
    "{{ ''.__class__.__mro__ }}",
    '{{ range.constructor("return process")() }}',
    '{{ raise_exception.constructor("return process.env.MODEL_CICD_SANDBOX_SECRET")() }}',
    '{{ namespace.constructor }}',
    '{{ x["constructor"]["constructor"]("return process")() }}',
    '{{ process.env.MODEL_CICD_SANDBOX_SECRET }}',
    '{% set ns = namespace() %}{% set ns.__proto__ = 1 %}{{ ns }}',
    '{{ obj.__proto__.polluted }}{{ obj.items() }}',
  ],
};

describe('every engine is sandboxed', () => {
  beforeAll(() => {
    process.env[VARIABLE] = SECRET;
  });
  afterAll(() => {
    delete process.env[VARIABLE];
  });

  for (const engine of Object.keys(PAYLOADS) as EngineName[]) {
    for (const payload of PAYLOADS[engine]) {
      it(`${engine}: ${payload.slice(0, 80)}`, () => {
        const parsed = TEMPLATE_PARSERS[engine](payload);
        let output = '';
        try {
          output = parsed.render({ x: 'text', obj: { name: 'n' }, name: 'n' });
        } catch (error) {
          expect(error).toBeInstanceOf(TemplateRenderError);
          output = (error as Error).message;
        }
        expect(output).not.toContain(SECRET);
        expect(output).not.toMatch(/\[native code\]|function\s*\w*\s*\(|=>/);
        expect(Object.prototype).not.toHaveProperty('polluted');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  }

  it('keeps a __proto__ key in the data a plain key', () => {
    const data = JSON.parse('{"__proto__": {"polluted": "yes"}, "name": "n"}') as Record<string, unknown>;
    for (const engine of ['mustache', 'handlebars', 'jinja2'] as const) {
      const template = engine === 'jinja2' ? '{{ name }}{{ polluted }}' : '{{name}}{{polluted}}';
      expect(TEMPLATE_PARSERS[engine](template).render(data)).toBe('n');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handlebars cannot write to the runner log (workflow commands) through the log helper', () => {
    const parsed = TEMPLATE_PARSERS.handlebars('{{log "::set-output name=x::pwned"}}');
    expect(parsed.issues).toEqual([expect.objectContaining({ check: 'syntax/handlebars-helper', index: 2 })]);
    expect(() => parsed.render({})).toThrow(TemplateRenderError);
  });
});
