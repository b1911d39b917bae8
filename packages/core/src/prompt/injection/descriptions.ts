import type { InjectionCheck } from './types.ts';

/** One-line description of each check and its fix, for SARIF rule metadata and report legends. */
export const INJECTION_CHECK_DESCRIPTIONS: Readonly<Record<InjectionCheck, string>> = {
  'injection/override-phrase': 'An instruction-override phrase ("ignore all previous instructions"), also obfuscated; remove it from the template, assert refusals in probing tests.',
  'injection/role-token': 'A chat-format control token or fake role header ("<|im_start|>", "[INST]", "</system>", "### System:") that forges a conversation turn; remove it.',
  'injection/invisible-unicode': 'Invisible or confusable Unicode (zero-width, bidi controls, tag characters, look-alike letters) that hides text from reviewers; remove or retype it.',
  'injection/exfiltration-link': 'A markdown image or link, or an HTML resource, whose URL is built from a variable, so rendering the answer sends data to that host; keep variables out of URLs.',
  'injection/secret': 'A credential committed in a template or test data (vendor key format or a high-entropy token); remove it, rotate it, pass it from a secret at run time.',
  'injection/template-overreach': 'A template expression that reaches for the runtime (constructor, __proto__, __class__, __globals__, process.env, require()) instead of a variable; use plain variables.',
  'injection/untrusted-in-system': 'An untrusted variable (trusted: false, or named like user data) inside a system or developer message, where it carries the author\'s authority; move it to a fenced user message.',
  'injection/unfenced-untrusted': 'An untrusted variable outside delimiters; wrap it (<input>...</input>, a code fence, """...""") and tell the model that what is inside is data.',
};
