import type { ScanContext, TextHit } from './types.ts';

// Chat-format control tokens of the common model families (ChatML, Llama 2/3, Phi, Gemma, GPT
// end-of-text, DeepSeek's fullwidth bars). In text they forge a turn boundary.
const SPECIAL_TOKEN = /<[|｜][\w▁\-]{2,40}[|｜]>/g;
const BRACKET_TOKENS = /\[\/?INST\]|<<\/?SYS>>|<\/?start_of_turn>|<\/?end_of_turn>|<s>\s*\[INST\]|\[\/?SYSTEM\]|<\/?(?:system|system_prompt|sys|im_start|im_end)\s*>/gi;
// Role headers a user could type to fake a new turn; legitimate as prompt formatting in a template,
// so they are only reported in test data.
const MARKDOWN_ROLE_HEADER = /^[ \t]*#{1,6}[ \t]*(?:system|instruction|instructions|assistant|human|user|developer|new instructions|system prompt)(?:[ \t]*:|[ \t]*$)/gim;
const ROLE_HEADER = /^[ \t]*(?:(?:SYSTEM|SYSTEM PROMPT|SYSTEM MESSAGE|DEVELOPER|ADMIN|ASSISTANT)[ \t]*(?:OVERRIDE|INSTRUCTIONS?|MESSAGE|NOTE|UPDATE)?[ \t]*:|[Ss]ystem[ \t]*(?:[Pp]rompt|[Mm]essage|[Oo]verride|[Ii]nstructions?)[ \t]*:|(?:Human|Assistant):[ \t]*\S)/gm;

/** Role and delimiter tokens that forge a conversation turn. */
export function findRoleTokens(text: string, context: ScanContext): TextHit[] {
  const hits: TextHit[] = [];
  const severity = context === 'template' ? 'warning' : 'notice';
  const report = (offset: number, token: string, what: string): void => {
    hits.push({
      check: 'injection/role-token',
      offset,
      severity,
      message:
        context === 'template'
          ? `${what} "${token}"; chat APIs add turn markers themselves, so remove it (or, for a raw completion template, move it out of any text a user controls)`
          : `${what} "${token}" in test data; fine if this case probes turn forgery, then assert the model ignores it`,
    });
  };
  for (const pattern of [SPECIAL_TOKEN, BRACKET_TOKENS]) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) report(m.index, m[0], 'chat-format delimiter token');
  }
  if (context === 'test-data') {
    for (const pattern of [MARKDOWN_ROLE_HEADER, ROLE_HEADER]) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        const offset = m.index + (m[0].length - m[0].trimStart().length);
        report(offset, m[0].trim().replace(/\s*\S$/, (tail) => (tail.trim() === ':' ? ':' : '')), 'fake role header');
      }
    }
  }
  return hits.sort((a, b) => a.offset - b.offset);
}
