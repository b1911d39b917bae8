// The `handlebars` engine: Handlebars.parse for structure, variables and helpers; rendering in an isolated
// environment with HTML escaping off, only the built-in block helpers, and prototype access disabled.
import Handlebars from 'handlebars';
import type { EngineIssue, ParsedTemplate, ScopedUse, VariableUse } from './types.ts';
import { TemplateRenderError, indexOfLineColumn, strayBraceIssues } from './types.ts';
import { lineStartsOf } from '../source-map.ts';
import { toPlainData } from './own-values.ts';

interface Location {
  start: { line: number; column: number };
}
interface Node {
  type: string;
  loc?: Location;
  [key: string]: unknown;
}
interface PathNode extends Node {
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
}
interface CallNode extends Node {
  path: Node;
  params: Node[];
  hash?: { pairs: Array<{ key: string; value: Node }> };
}
interface BlockNode extends CallNode {
  program?: ProgramNode;
  inverse?: ProgramNode;
}
interface ProgramNode extends Node {
  body: Node[];
  blockParams?: string[];
}

/** Block helpers the template may use; everything else is a missing helper at render time. */
const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
/** Inline helpers the template may call with arguments. */
const INLINE_HELPERS = new Set(['lookup']);

interface Frame {
  /** undefined: names are top-level variables; a name: names are fields of that variable's items; null: unchecked. */
  scope: string | null | undefined;
  /** Block params (`as |item index|`) mapped to the scope their values come from. */
  params: Map<string, string | null>;
}

export function parseHandlebarsTemplate(text: string): ParsedTemplate {
  const issues: EngineIssue[] = [];
  const variables: VariableUse[] = [];
  const scoped: ScopedUse[] = [];
  const literals: Array<{ index: number; text: string }> = [];
  const starts = lineStartsOf(text);
  const indexOf = (node: Node | undefined): number =>
    node?.loc ? indexOfLineColumn(starts, node.loc.start.line, node.loc.start.column) : 0;

  let ast: ProgramNode;
  try {
    ast = Handlebars.parse(text) as unknown as ProgramNode;
  } catch (error) {
    issues.push(parseErrorIssue(error as Error & { lineNumber?: number; column?: number }, text, starts));
    return { engine: 'handlebars', variables, scoped, literals, issues, renderable: false, render: cannotRender };
  }

  const issue = (node: Node | undefined, check: string, message: string): void => {
    issues.push({ index: indexOf(node), rule: 'syntax', severity: 'error', check, message });
  };

  const usePath = (path: PathNode, frames: Frame[], conditional: boolean): void => {
    if (path.data) {
      // @root.x is a top-level variable; @index, @key, @first, @last are loop data.
      if (path.parts[0] === 'root' && path.parts.length > 1) {
        variables.push({ name: path.parts[1], index: indexOf(path) + path.original.indexOf(path.parts[1]), path: path.parts.slice(2), conditional });
      }
      return;
    }
    const frame = frames[Math.max(0, frames.length - 1 - path.depth)];
    const [first, ...rest] = path.parts;
    if (first === undefined) return;
    const nameIndex = indexOf(path) + Math.max(0, path.original.lastIndexOf(first, path.original.length - rest.join('.').length));
    for (let depth = frames.length - 1 - path.depth; depth >= 0; depth--) {
      const param = frames[depth].params.get(first);
      if (param === undefined) continue;
      if (param !== null && rest.length > 0) {
        scoped.push({ scope: param, name: rest[0], index: nameIndex + first.length + 1, fallsBackToTopLevel: false });
      }
      return;
    }
    if (frame.scope === undefined) variables.push({ name: first, index: nameIndex, path: rest, conditional });
    else if (frame.scope !== null) scoped.push({ scope: frame.scope, name: first, index: nameIndex, fallsBackToTopLevel: true });
  };

  const useExpression = (node: Node, frames: Frame[], conditional: boolean): void => {
    if (node.type === 'PathExpression') usePath(node as PathNode, frames, conditional);
    else if (node.type === 'SubExpression') useCall(node as CallNode, frames);
  };

  const useCall = (node: CallNode, frames: Frame[]): void => {
    const path = node.path as PathNode;
    const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (path.original === 'log') {
      issue(path, 'syntax/handlebars-helper', "The 'log' helper is not available: it writes to the runner's stdout, where workflow commands are parsed");
      return;
    }
    if (hasArguments) {
      if (!INLINE_HELPERS.has(path.original)) {
        issue(path, 'syntax/unknown-helper', `Unknown helper '${path.original}': only the built-in helpers (if, unless, each, with, lookup) are available`);
      }
      for (const param of node.params) useExpression(param, frames, false);
      for (const pair of node.hash?.pairs ?? []) useExpression(pair.value, frames, false);
      return;
    }
    useExpression(path, frames, false);
  };

  const walkProgram = (program: ProgramNode | undefined, frames: Frame[]): void => {
    for (const node of program?.body ?? []) walkStatement(node, frames);
  };

  const walkStatement = (node: Node, frames: Frame[]): void => {
    switch (node.type) {
      case 'ContentStatement':
        literals.push({ index: indexOf(node), text: String(node.original ?? node.value) });
        return;
      case 'MustacheStatement':
        useCall(node as CallNode, frames);
        return;
      case 'BlockStatement':
        walkBlock(node as BlockNode, frames);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement':
        issue(node, 'syntax/handlebars-partial', 'Partials cannot be resolved: prompt templates are rendered without partials; inline the content');
        return;
      case 'Decorator':
      case 'DecoratorBlock':
        issue(node, 'syntax/handlebars-decorator', 'Decorators are not supported in prompt templates');
        return;
      default:
        return;
    }
  };

  const walkBlock = (node: BlockNode, frames: Frame[]): void => {
    const path = node.path as PathNode;
    const name = path.original;
    const first = node.params[0];
    const current = frames[frames.length - 1];
    const scopeOf = (expression: Node | undefined): string | null => {
      if (!expression || expression.type !== 'PathExpression') return null;
      const target = expression as PathNode;
      if (target.data || target.depth > 0 || target.parts.length !== 1) return null;
      return current.scope === undefined && !frames.some((frame) => frame.params.has(target.parts[0])) ? target.parts[0] : null;
    };
    if (BLOCK_HELPERS.has(name)) {
      for (const param of node.params) useExpression(param, frames, name === 'if' || name === 'unless');
      for (const pair of node.hash?.pairs ?? []) useExpression(pair.value, frames, false);
      if (name === 'if' || name === 'unless') {
        walkProgram(node.program, frames);
      } else {
        const scope = scopeOf(first);
        const params = new Map<string, string | null>();
        const blockParams = node.program?.blockParams ?? [];
        // `each` binds |item index|, `with` binds |value|; the item's fields come from the iterated variable.
        if (blockParams[0] !== undefined) params.set(blockParams[0], scope);
        if (blockParams[1] !== undefined) params.set(blockParams[1], null);
        walkProgram(node.program, [...frames, { scope: blockParams.length > 0 ? current.scope : scope, params }]);
      }
      walkProgram(node.inverse, frames);
      return;
    }
    if (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) {
      issue(path, 'syntax/unknown-helper', `Unknown block helper '${name}': only the built-in helpers (if, unless, each, with, lookup) are available`);
      walkProgram(node.program, [...frames, { scope: null, params: new Map() }]);
      walkProgram(node.inverse, frames);
      return;
    }
    // A block without arguments is a Mustache-style section: the value's items become the context.
    usePath(path, frames, true);
    walkProgram(node.program, [...frames, { scope: scopeOf(path), params: new Map() }]);
    walkProgram(node.inverse, frames);
  };

  walkProgram(ast, [{ scope: undefined, params: new Map() }]);
  issues.push(...strayBraceIssues(literals));

  let compiled: HandlebarsTemplateDelegate | undefined;
  return {
    engine: 'handlebars',
    variables,
    scoped,
    literals,
    issues,
    renderable: !issues.some((item) => item.severity === 'error'),
    render(vars) {
      try {
        compiled ??= sandboxedEnvironment().compile(ast as unknown as hbs.AST.Program, { noEscape: true, strict: false });
        return compiled(toPlainData(vars), { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
      } catch (error) {
        throw new TemplateRenderError((error as Error).message);
      }
    },
  };
}

let environment: typeof Handlebars | undefined;

function sandboxedEnvironment(): typeof Handlebars {
  if (!environment) {
    environment = Handlebars.create();
    environment.unregisterHelper('log');
  }
  return environment;
}

interface HandlebarsLexer {
  Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } };
}

function parseErrorIssue(error: Error & { lineNumber?: number; column?: number }, text: string, starts: number[]): EngineIssue {
  let line = error.lineNumber;
  let column = error.column;
  if (line === undefined || column === undefined) {
    // Jison parse errors carry no position on the error; the shared lexer still holds the failing token's.
    const location = (Handlebars as unknown as HandlebarsLexer).Parser?.lexer?.yylloc;
    line = location?.first_line ?? 1;
    column = location?.first_column ?? 0;
  }
  const lines = error.message.split('\n');
  const summary = lines[0].startsWith('Parse error') ? `Parse error: ${lines[lines.length - 1]}` : lines[0];
  if (/got 'EOF'/.test(summary)) {
    const unclosed = unclosedBlock(text);
    if (unclosed) {
      return {
        index: unclosed.index,
        rule: 'syntax',
        severity: 'error',
        check: 'syntax/unterminated-block',
        message: `Block {{#${unclosed.name}}} is never closed: add {{/${unclosed.name}}}`,
      };
    }
  }
  return {
    index: indexOfLineColumn(starts, line, column),
    rule: 'syntax',
    severity: 'error',
    check: 'syntax/handlebars',
    message: `${summary}${/got 'EOF'/.test(summary) ? ' (a tag is never closed)' : ''}`,
  };
}

/** The innermost block opened but never closed, found by pairing {{#name}} and {{/name}} tags. */
function unclosedBlock(text: string): { name: string; index: number } | undefined {
  const stack: Array<{ name: string; index: number }> = [];
  for (const match of text.matchAll(/\{\{~?\s*([#^/])\s*([^\s}~]+)/g)) {
    if (match[1] === '/') {
      const at = stack.map((entry) => entry.name).lastIndexOf(match[2]);
      if (at !== -1) stack.length = at;
    } else if (!(match[1] === '^' && match[2] === '')) {
      stack.push({ name: match[2], index: match.index });
    }
  }
  return stack.pop();
}

function cannotRender(): string {
  throw new TemplateRenderError('the template has syntax errors and cannot be rendered');
}
