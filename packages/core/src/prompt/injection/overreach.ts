import type { EngineName } from '../types.ts';
import { findPlaceholders } from './placeholders.ts';
import type { ScanContext, TextHit } from './types.ts';

// Names that walk from a template value to the language runtime: prototype chains (JavaScript
// engines), dunder attributes (Python format and Jinja), module loaders. Anywhere in an expression,
// string literals included (`lookup string "constructor"`), they are an escape attempt.
const ESCAPE_NAMES = /(?<![\w$])(constructor|__proto__|prototype|__defineGetter__|__defineSetter__|__lookupGetter__|__class__|__globals__|__subclasses__|__builtins__|__import__|__init__|__mro__|__bases__|__base__|__dict__|__getattribute__|__reduce__|__code__|func_globals|mainModule|child_process|globalThis)(?![\w$])/;
// Runtime objects that are harmless as plain variable names (`{process}`, `{{env}}`) and reach the host
// only when dereferenced or called; reported only in that form.
const RUNTIME_ACCESS = /(?<![\w$.])(?:(process|env|environ|os|sys|global|window|document\.cookie|subprocess|builtins)\s*(?:\.\s*[A-Za-z_$]|\[)|(require|import|eval|exec|Function|popen|system|getattr|setattr|open|compile)\s*\()/;

/** Template expressions that reach for the runtime instead of a variable (sandbox escape attempts). */
export function findTemplateOverreach(text: string, engine: EngineName | undefined, context: ScanContext): TextHit[] {
  if (!text.includes('{')) return [];
  const hits: TextHit[] = [];
  for (const placeholder of findPlaceholders(text, engine)) {
    const inner = placeholder.inner;
    const escape = ESCAPE_NAMES.exec(inner) ?? RUNTIME_ACCESS.exec(inner);
    if (!escape) continue;
    const name = escape[1] ?? escape[2] ?? escape[0];
    const expression = text.slice(placeholder.start, placeholder.end).replace(/\s+/g, ' ');
    const shown = expression.length > 70 ? `${expression.slice(0, 67)}...` : expression;
    hits.push({
      check: 'injection/template-overreach',
      offset: placeholder.innerStart + escape.index + (escape[0].length - escape[0].trimStart().length),
      severity: context === 'template' ? 'error' : 'notice',
      message:
        context === 'template'
          ? `template expression ${shown} reaches for "${name}", a runtime object, not a template variable; use plain variable names (sandboxed engines refuse it, other renderers may execute it)`
          : `test data holds the template expression ${shown} reaching for "${name}"; fine if this case checks that values are never rendered twice`,
    });
  }
  return hits;
}
