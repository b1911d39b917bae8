import type { ScanContext, TextHit } from './types.ts';

interface SecretPattern {
  name: string;
  pattern: RegExp;
  /** Literals of which every match contains one: texts with none skip the (lookbehind-heavy) pattern. */
  hint: string[];
}

// Vendor formats, most specific first (an Anthropic key also starts with "sk-").
const SECRET_PATTERNS: SecretPattern[] = [
  { name: 'private key block', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g, hint: ['PRIVATE KEY'] },
  { name: 'Anthropic API key', pattern: /(?<![\w-])sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{20,}/g, hint: ['sk-ant-'] },
  { name: 'OpenAI project API key', pattern: /(?<![\w-])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/g, hint: ['sk-'] },
  { name: 'OpenAI API key', pattern: /(?<![\w-])sk-(?!ant-|proj-|svcacct-|admin-)[A-Za-z0-9]{20,}(?:T3BlbkFJ[A-Za-z0-9]{20,})?(?![\w-])/g, hint: ['sk-'] },
  { name: 'AWS access key id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, hint: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AROA', 'AIDA'] },
  { name: 'GitHub token', pattern: /(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g, hint: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'] },
  { name: 'Slack token', pattern: /(?<![\w])xox[abposr]-[A-Za-z0-9-]{10,}/g, hint: ['xox'] },
  { name: 'Slack webhook URL', pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/g, hint: ['hooks.slack.com'] },
  { name: 'Google API key', pattern: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g, hint: ['AIza'] },
  { name: 'Stripe secret key', pattern: /(?<![\w])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, hint: ['k_live_', 'k_test_'] },
  { name: 'Hugging Face token', pattern: /(?<![\w])hf_[A-Za-z]{30,}(?![\w])/g, hint: ['hf_'] },
  { name: 'JSON Web Token', pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, hint: ['eyJ'] },
];

const ANY_HINT = new RegExp(
  SECRET_PATTERNS.flatMap((p) => p.hint)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
);

// Values that are documentation, not credentials: AWS's published example key ids, masks, fill-ins.
const PLACEHOLDER_VALUE = /EXAMPLE|example|X{6,}|x{6,}|\*{3,}|\.{3}|0{8,}|1234567890|your[_-]?(?:api[_-]?)?key|<|\{|\$\{|REDACTED|redacted|dummy|DUMMY|placeholder/;

// Characters of base64, base64url and hex tokens.
const TOKEN_CHAR = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_=-') TOKEN_CHAR[ch.charCodeAt(0)] = 1;

/** Runs of token characters at least 20 long, by a scan rather than a regex that restarts inside every word. */
function candidateTokens(text: string): Array<{ start: number; token: string }> {
  const found: Array<{ start: number; token: string }> = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x20;
    if (c < 128 && TOKEN_CHAR[c] === 1) {
      if (start === -1) start = i;
    } else if (start !== -1) {
      if (i - start >= 20) found.push({ start, token: text.slice(start, i) });
      start = -1;
    }
  }
  return found;
}
const HEX = /^[0-9a-f]+$|^[0-9A-F]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Labels that say the next token is a credential.
const SECRET_LABEL = /(?:api[_ -]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|credential|auth(?:orization)?|bearer|private[_ -]?key|access[_ -]?key|client[_ -]?secret|signature|sig)["']?\s*(?:[:=]|=>|\bis\b)?\s*["']?(?:bearer\s+|basic\s+)?$/i;
// Contexts where long random-looking tokens are content hashes, identifiers or embedded data.
// Labels that say the next token is an identifier ("order id: ...", "request 4f3a...").
const ID_LABEL = /\b(?:id|ids|identifier|ulid|uuid|order|request|trace|span|ref|reference|number|no|commit|revision|build|sku|isbn|tracking)\b["']?\s*(?:[:=#]|is)?\s*["']?$/i;
const URL_REST = /[^\s<>"'`)\]]*/y;
// Inside a URL only a query value named like a credential counts (paths and ids are random-looking by design).
const SECRET_QUERY_NAME = /[?&#][\w-]*(?:key|token|secret|sig|signature|password|passwd|auth|credential)=$/i;
const BENIGN_PREFIX = /(?:data:[\w/+.-]+;base64,|sha(?:1|256|384|512)[-:]|integrity=["']?|commit\s|sha\s|hash\s|digest\s|checksum\s|etag\s|[?&](?:v|id|page|ref|utm_\w+)=|\/)$/i;

/** Shannon entropy of the characters of a token, in bits per character. */
export function shannonEntropy(token: string): number {
  const counts = new Map<string, number>();
  for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / token.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * The entropy a token must reach to look random: 85% of the most a token of its length over a
 * 62-letter alphabet can carry (log2 of min(length, 62)), capped at 4.5 bits. Random 20-character
 * keys score about 3.9-4.2 against a bar of 3.67; camelCase identifiers and base64 of English prose
 * fall below it far more often than not, and are further excluded by requiring mixed character classes.
 */
export function entropyThreshold(length: number): number {
  return Math.min(4.5, 0.85 * Math.log2(Math.min(length, 62)));
}

function redact(value: string): string {
  return `${value.slice(0, Math.min(6, Math.floor(value.length / 4)))}…(${value.length} chars)`;
}

/** Credentials committed in templates or test data: vendor key formats, and high-entropy tokens. */
export function findSecrets(text: string, context: ScanContext): TextHit[] {
  const hits: TextHit[] = [];
  const covered: Array<[number, number]> = [];
  // One pass tells whether any vendor format can be present; most texts skip all twelve patterns.
  const anyHint = ANY_HINT.test(text);
  for (const { name, pattern, hint } of SECRET_PATTERNS) {
    if (!anyHint || !hint.some((literal) => text.includes(literal))) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      if (PLACEHOLDER_VALUE.test(m[0]) || covered.some(([s, e]) => m!.index < e && m!.index + m![0].length > s)) continue;
      covered.push([m.index, m.index + m[0].length]);
      const shown = name === 'private key block' ? m[0] : redact(m[0]);
      hits.push({
        check: 'injection/secret',
        offset: m.index,
        severity: 'error',
        message: `${name} ${shown} committed in ${context === 'template' ? 'the template' : 'test data'}; remove it, rotate the credential, and pass it at run time from a secret`,
      });
    }
  }
  const urls = urlSpans(text);
  for (const candidate of candidateTokens(text)) {
    const start = candidate.start;
    const token = candidate.token.replace(/^[-_=/+]+|[-_=/+]+$/g, '');
    if (covered.some(([s, e]) => start < e && start + candidate.token.length > s)) continue;
    const before = text.slice(Math.max(0, start - 40), start);
    const inUrl = urls.find(([s, e]) => s <= start && start < e);
    if (inUrl && !SECRET_QUERY_NAME.test(text.slice(inUrl[0], start))) continue;
    if (ID_LABEL.test(before) || /^sha(?:1|256|384|512)-/.test(token)) continue;
    const reason = randomLookingToken(token, before);
    if (!reason) continue;
    hits.push({
      check: 'injection/secret',
      offset: start + candidate.token.indexOf(token),
      severity: 'warning',
      message: `${reason} ${redact(token)}; if it is a credential, remove it and rotate it; if it is an identifier, say so in the text before it (e.g. "id:") or move it out of the prompt`,
    });
  }
  return hits.sort((a, b) => a.offset - b.offset);
}

function randomLookingToken(token: string, before: string): string | undefined {
  if (token.length < 20 || PLACEHOLDER_VALUE.test(token)) return undefined;
  const labelled = SECRET_LABEL.test(before);
  if (UUID.test(token) || HEX.test(token)) {
    // Hex and UUIDs are hashes, commit ids and record ids unless a label says they are a secret.
    return labelled && token.length >= 32 ? `hex token after a secret label` : undefined;
  }
  if (BENIGN_PREFIX.test(before)) return undefined;
  const classes = Number(/[a-z]/.test(token)) + Number(/[A-Z]/.test(token)) + Number(/[0-9]/.test(token));
  const digits = token.replace(/\D/g, '').length;
  if (classes < 3 || digits < 2) return labelled && classes >= 2 && shannonEntropy(token) >= entropyThreshold(token.length) ? 'high-entropy token after a secret label' : undefined;
  // Words glued by separators (file names, slugs, identifiers) are not random.
  if (/(?:[A-Za-z]{4,}[-_/]){2,}/.test(token) && !labelled) return undefined;
  const entropy = shannonEntropy(token);
  if (entropy < entropyThreshold(token.length)) return undefined;
  return `high-entropy token (${entropy.toFixed(2)} bits/char)`;
}

// Found from each "://" outwards: a regex that tries a scheme at every word is slow on long prose.
function urlSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && /[A-Za-z0-9+.-]/.test(text[start - 1])) start--;
    URL_REST.lastIndex = at + 3;
    const rest = URL_REST.exec(text)!;
    if (start < at) spans.push([start, at + 3 + rest[0].length]);
  }
  return spans;
}
