// The `jinja2` engine: @huggingface/jinja, an interpreter over its own value types (no JavaScript property
// access, no `eval`), so templates cannot reach prototypes, `process` or the environment. Never nunjucks.
import { Template, parse, tokenize } from '@huggingface/jinja';
import type { EngineIssue, ParsedTemplate, ScopedUse, VariableUse } from './types.ts';
import { TemplateRenderError, strayBraceIssues } from './types.ts';
import { type IdentifierOccurrence, type JinjaTag, identifierOccurrences, scanJinja, statementHead } from './jinja-scan.ts';
import { toPlainData } from './own-values.ts';

/** Filters @huggingface/jinja 0.5 implements; anything else fails at render time. */
export const JINJA_FILTERS: ReadonlySet<string> = new Set([
  'abs', 'bool', 'capitalize', 'default', 'dictsort', 'first', 'float', 'indent', 'int', 'items', 'join', 'last', 'length',
  'list', 'lower', 'map', 'rejectattr', 'replace', 'reverse', 'safe', 'selectattr', 'sort', 'string', 'title',
  'tojson', 'trim', 'unique', 'upper',
]);

export const JINJA_TESTS: ReadonlySet<string> = new Set([
  'boolean', 'callable', 'odd', 'even', 'false', 'true', 'none', 'string', 'number', 'integer', 'iterable',
  'mapping', 'lower', 'upper', 'defined', 'undefined', 'equalto', 'eq',
]);

const GLOBALS = new Set(['true', 'false', 'none', 'True', 'False', 'None', 'range', 'namespace', 'raise_exception', 'strftime_now']);

interface JNode {
  type: string;
  [key: string]: unknown;
}

export function parseJinjaTemplate(text: string): ParsedTemplate {
  const scan = scanJinja(text);
  const issues: EngineIssue[] = [...scan.issues, ...strayBraceIssues(scan.literals)];
  const variables: VariableUse[] = [];
  const scoped: ScopedUse[] = [];
  const base = { engine: 'jinja2' as const, variables, scoped, literals: scan.literals, issues };
  if (scan.issues.length > 0) return { ...base, renderable: false, render: cannotRender };

  let template: Template;
  try {
    template = new Template(text);
  } catch (error) {
    issues.push(locateParseError(scan.tags, (error as Error).message));
    return { ...base, renderable: false, render: cannotRender };
  }

  const occurrences = identifierOccurrences(scan.tags);
  const firstOccurrence = (name: string, context: IdentifierOccurrence['context']): number => {
    const found = occurrences.find((occurrence) => occurrence.name === name && occurrence.context === context);
    return found?.index ?? occurrences.find((occurrence) => occurrence.name === name)?.index ?? 0;
  };
  const reported = new Set<string>();
  const unknown = (kind: 'filter' | 'test', name: string): void => {
    if (reported.has(`${kind}:${name}`)) return;
    reported.add(`${kind}:${name}`);
    const known = [...(kind === 'filter' ? JINJA_FILTERS : JINJA_TESTS)].join(', ');
    issues.push({
      index: firstOccurrence(name, kind),
      rule: 'syntax',
      severity: 'error',
      check: kind === 'filter' ? 'syntax/unknown-filter' : 'syntax/unknown-test',
      message: `Unknown ${kind} '${name}': the sandboxed Jinja engine provides ${known}`,
    });
  };

  const macros = new Set<string>();
  collectMacros(template.parsed as unknown as JNode, macros);
  const walker = new ScopeWalker(macros, (use) => {
    if (use.kind === 'variable') {
      variables.push({ name: use.name, index: firstOccurrence(use.name, 'plain'), path: use.path, conditional: use.conditional });
    } else {
      scoped.push({ scope: use.scope, name: use.name, index: firstOccurrence(use.name, 'member'), fallsBackToTopLevel: false });
    }
  }, unknown);
  walker.statements((template.parsed as unknown as { body: JNode[] }).body, [new Map()]);

  return {
    ...base,
    renderable: !issues.some((issue) => issue.severity === 'error'),
    render(vars) {
      try {
        return template.render(toPlainData(vars) as Record<string, unknown>);
      } catch (error) {
        const message = (error as Error).message;
        // Jinja2 iterates a missing value as empty; this interpreter stops. Say what to do about it.
        const hint = /for loop: got UndefinedValue/.test(message)
          ? ': a variable iterated by {% for %} is missing; supply it (an empty list for none) or guard the loop with {% if name %}'
          : '';
        throw new TemplateRenderError(`${message}${hint}`);
      }
    },
  };
}

/** @huggingface/jinja reports no position: re-parse tag by tag to find the one at fault. */
function locateParseError(tags: readonly JinjaTag[], message: string): EngineIssue {
  const closers: Record<string, string> = { if: 'endif', for: 'endfor', macro: 'endmacro', call: 'endcall', filter: 'endfilter' };
  for (const tag of tags) {
    let probe: string | undefined;
    if (tag.kind === 'expression') probe = `{{${tag.inner}}}`;
    else if (tag.kind === 'statement') {
      const head = statementHead(tag);
      if (head && closers[head.name]) probe = `{%${tag.inner}%}{% ${closers[head.name]} %}`;
      else if (head?.name === 'set' && /=/.test(tag.inner)) probe = `{%${tag.inner}%}`;
    }
    if (probe === undefined) continue;
    try {
      parse(tokenize(probe));
    } catch (error) {
      return { index: tag.innerStart, rule: 'syntax', severity: 'error', check: 'syntax/jinja', message: `${(error as Error).message} in '${tag.inner.trim()}'` };
    }
  }
  return { index: tags[0]?.start ?? 0, rule: 'syntax', severity: 'error', check: 'syntax/jinja', message };
}

function collectMacros(node: JNode, macros: Set<string>): void {
  if (node.type === 'Macro') macros.add(((node.name as JNode).value as string) ?? '');
  for (const child of Object.values(node)) {
    if (Array.isArray(child)) for (const item of child) if (isNode(item)) collectMacros(item, macros);
  }
}

function isNode(value: unknown): value is JNode {
  return typeof value === 'object' && value !== null && typeof (value as JNode).type === 'string';
}

type Use =
  | { kind: 'variable'; name: string; path: string[]; conditional: boolean }
  | { kind: 'scoped'; scope: string; name: string };

/** Local names in a scope: each maps to the top-level variable whose items it holds, or null. */
type Scope = Map<string, string | null>;

class ScopeWalker {
  private readonly macros: Set<string>;
  private readonly report: (use: Use) => void;
  private readonly unknown: (kind: 'filter' | 'test', name: string) => void;

  constructor(macros: Set<string>, report: (use: Use) => void, unknown: (kind: 'filter' | 'test', name: string) => void) {
    this.macros = macros;
    this.report = report;
    this.unknown = unknown;
  }

  statements(list: readonly JNode[] | undefined, scopes: Scope[]): void {
    for (const node of list ?? []) this.statement(node, scopes);
  }

  private statement(node: JNode, scopes: Scope[]): void {
    switch (node.type) {
      case 'If':
        this.expression(node.test as JNode, scopes, true);
        this.statements(node.body as JNode[], scopes);
        this.statements(node.alternate as JNode[], scopes);
        return;
      case 'For': {
        let iterable = node.iterable as JNode;
        let filter: JNode | undefined;
        if (iterable.type === 'SelectExpression') {
          filter = iterable.test as JNode;
          iterable = iterable.lhs as JNode;
        }
        this.expression(iterable, scopes, false);
        const source = iterable.type === 'Identifier' && this.resolve(iterable.value as string, scopes) === undefined ? (iterable.value as string) : null;
        const inner: Scope = new Map([['loop', null]]);
        for (const name of this.targets(node.loopvar as JNode)) inner.set(name, (node.loopvar as JNode).type === 'Identifier' ? source : null);
        const loopScopes = [...scopes, inner];
        if (filter) this.expression(filter, loopScopes, true);
        this.statements(node.body as JNode[], loopScopes);
        this.statements(node.defaultBlock as JNode[], scopes);
        return;
      }
      case 'Set': {
        if (node.value) this.expression(node.value as JNode, scopes, false);
        else this.statements(node.body as JNode[], scopes);
        const assignee = node.assignee as JNode;
        if (assignee.type === 'MemberExpression') this.expression(assignee.object as JNode, scopes, false);
        else for (const name of this.targets(assignee)) scopes[scopes.length - 1].set(name, null);
        return;
      }
      case 'Macro': {
        const inner: Scope = new Map([['varargs', null], ['kwargs', null], ['caller', null]]);
        for (const arg of node.args as JNode[]) {
          if (arg.type === 'Identifier') inner.set(arg.value as string, null);
          else if (arg.type === 'KeywordArgumentExpression') {
            inner.set((arg.key as JNode).value as string, null);
            this.expression(arg.value as JNode, scopes, false);
          }
        }
        this.statements(node.body as JNode[], [...scopes, inner]);
        return;
      }
      case 'CallStatement': {
        this.expression(node.call as JNode, scopes, false);
        const inner: Scope = new Map([['caller', null]]);
        for (const arg of (node.callerArgs as JNode[] | null) ?? []) {
          const name = arg.type === 'Identifier' ? (arg.value as string) : ((arg.key as JNode | undefined)?.value as string | undefined);
          if (name) inner.set(name, null);
        }
        this.statements(node.body as JNode[], [...scopes, inner]);
        return;
      }
      case 'FilterStatement':
        this.filter(node.filter as JNode, scopes);
        this.statements(node.body as JNode[], scopes);
        return;
      case 'Comment':
      case 'Break':
      case 'Continue':
        return;
      default:
        this.expression(node, scopes, false);
    }
  }

  private targets(node: JNode): string[] {
    if (node.type === 'Identifier') return [node.value as string];
    if (node.type === 'TupleLiteral' || node.type === 'ArrayLiteral') return (node.value as JNode[]).flatMap((item) => this.targets(item));
    return [];
  }

  private resolve(name: string, scopes: Scope[]): string | null | undefined {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].has(name)) return scopes[i].get(name);
    return undefined;
  }

  private expression(node: JNode | null | undefined, scopes: Scope[], conditional: boolean): void {
    if (!node) return;
    switch (node.type) {
      case 'Identifier':
        this.identifier(node.value as string, [], scopes, conditional);
        return;
      case 'MemberExpression': {
        const chain: string[] = [];
        let object: JNode = node;
        while (object.type === 'MemberExpression') {
          const property = object.property as JNode;
          if (!object.computed && property.type === 'Identifier') chain.unshift(property.value as string);
          else if (property.type === 'StringLiteral' || property.type === 'IntegerLiteral') chain.unshift(String(property.value));
          else {
            chain.length = 0;
            this.expression(property, scopes, false);
          }
          object = object.object as JNode;
        }
        if (object.type === 'Identifier') this.identifier(object.value as string, chain, scopes, conditional);
        else this.expression(object, scopes, false);
        return;
      }
      case 'CallExpression':
        this.expression(node.callee as JNode, scopes, false);
        for (const arg of node.args as JNode[]) this.expression(arg, scopes, false);
        return;
      case 'FilterExpression': {
        const isDefault = this.filterName(node.filter as JNode) === 'default';
        this.expression(node.operand as JNode, scopes, conditional || isDefault);
        this.filter(node.filter as JNode, scopes);
        return;
      }
      case 'TestExpression': {
        const test = (node.test as JNode).value as string;
        if (!JINJA_TESTS.has(test)) this.unknown('test', test);
        this.expression(node.operand as JNode, scopes, conditional || test === 'defined' || test === 'undefined' || test === 'none');
        return;
      }
      case 'Ternary':
        this.expression(node.condition as JNode, scopes, true);
        this.expression(node.trueExpr as JNode, scopes, conditional);
        this.expression(node.falseExpr as JNode, scopes, conditional);
        return;
      case 'BinaryExpression': {
        const operator = (node.operator as { value: string }).value;
        const guarded = conditional || operator === 'and' || operator === 'or';
        this.expression(node.left as JNode, scopes, guarded);
        this.expression(node.right as JNode, scopes, guarded);
        return;
      }
      case 'UnaryExpression':
        this.expression(node.argument as JNode, scopes, conditional);
        return;
      case 'SelectExpression':
        this.expression(node.lhs as JNode, scopes, conditional);
        this.expression(node.test as JNode, scopes, true);
        return;
      case 'ArrayLiteral':
      case 'TupleLiteral':
        for (const item of node.value as JNode[]) this.expression(item, scopes, conditional);
        return;
      case 'ObjectLiteral':
        for (const [key, value] of node.value as Map<JNode, JNode>) {
          this.expression(key, scopes, false);
          this.expression(value, scopes, false);
        }
        return;
      case 'SliceExpression':
        this.expression(node.start as JNode, scopes, false);
        this.expression(node.stop as JNode, scopes, false);
        this.expression(node.step as JNode, scopes, false);
        return;
      case 'KeywordArgumentExpression':
        this.expression(node.value as JNode, scopes, false);
        return;
      case 'SpreadExpression':
      case 'KeywordSpreadExpression':
        this.expression(node.argument as JNode, scopes, false);
        return;
      default:
        return;
    }
  }

  private identifier(name: string, path: string[], scopes: Scope[], conditional: boolean): void {
    const local = this.resolve(name, scopes);
    if (local !== undefined) {
      if (local !== null && path.length > 0) this.report({ kind: 'scoped', scope: local, name: path[0] });
      return;
    }
    if (GLOBALS.has(name) || this.macros.has(name)) return;
    this.report({ kind: 'variable', name, path, conditional });
  }

  private filterName(filter: JNode): string {
    return filter.type === 'CallExpression' ? ((filter.callee as JNode).value as string) : (filter.value as string);
  }

  private filter(filter: JNode, scopes: Scope[]): void {
    const name = this.filterName(filter);
    if (!JINJA_FILTERS.has(name)) this.unknown('filter', name);
    if (filter.type === 'CallExpression') for (const arg of filter.args as JNode[]) this.expression(arg, scopes, false);
  }
}

function cannotRender(): string {
  throw new TemplateRenderError('the template has syntax errors and cannot be rendered');
}
