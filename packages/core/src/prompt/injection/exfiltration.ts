import type { EngineName, VariableSpec } from '../types.ts';
import { findPlaceholders } from './placeholders.ts';
import { variablesIn } from './variable-uses.ts';
import type { ScanContext, TextHit } from './types.ts';

// Markup a client renders by fetching a URL (images: with no click at all) or offers as a link.
// URL characters, with template expressions (which may hold spaces) taken whole.
const URL_PART = String.raw`(?:\{\{[^}\n]*\}\}|\{%[^%\n]*%\}|\{[^}\s]*\}|\$\{[^}\n]*\}|<[A-Z][A-Z0-9_]{2,40}>)`;
const MARKDOWN_TARGET = new RegExp(String.raw`(!?)\[[^\]\n]{0,200}\]\(\s*<?((?:${URL_PART}|\([^)\s]*\)|[^()\s>])*)`, 'g');
const REFERENCE_DEFINITION = /^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+)/gm;
const HTML_TARGET = new RegExp(String.raw`<(img|image|iframe|script|source|video|audio|embed|object|link|a)\b[^>]*?\b(src|href|data|srcset|poster)\s*=\s*(["']?)((?:${URL_PART}|[^"'\s>])*)`, 'gi');
const CSS_URL = new RegExp(String.raw`url\(\s*["']?((?:${URL_PART}|[^"'()\s])+)`, 'gi');
// In test data, any way of marking "put data here" inside a URL is a placeholder.
const DATA_SLOT = /\{\{?[^}\n]{1,60}\}?\}|\$\{[^}\n]{1,60}\}|\[[A-Z][A-Z0-9_ ]{2,40}\]|<[A-Z][A-Z0-9_ ]{2,40}>|%s|\{\{?\.?\w*\}?\}|\bINSERT_\w+|=[A-Z_]*(?:SECRET|PASSWORD|API_KEY|TOKEN|CHAT_HISTORY|CONVERSATION|DATA|SUMMARY)[A-Z_]*\b/;

interface UrlSite {
  offset: number;
  url: string;
  kind: 'image' | 'link' | 'html';
  tag?: string;
}

function urlSites(text: string): UrlSite[] {
  const sites: UrlSite[] = [];
  MARKDOWN_TARGET.lastIndex = 0;
  for (let m = MARKDOWN_TARGET.exec(text); m; m = MARKDOWN_TARGET.exec(text)) {
    sites.push({ offset: m.index, url: m[2], kind: m[1] ? 'image' : 'link' });
  }
  REFERENCE_DEFINITION.lastIndex = 0;
  for (let m = REFERENCE_DEFINITION.exec(text); m; m = REFERENCE_DEFINITION.exec(text)) {
    sites.push({ offset: m.index + m[0].indexOf(m[1]), url: m[1], kind: 'link' });
  }
  HTML_TARGET.lastIndex = 0;
  for (let m = HTML_TARGET.exec(text); m; m = HTML_TARGET.exec(text)) {
    const tag = m[1].toLowerCase();
    sites.push({ offset: m.index, url: m[4], kind: tag === 'a' ? 'link' : 'html', tag });
  }
  CSS_URL.lastIndex = 0;
  for (let m = CSS_URL.exec(text); m; m = CSS_URL.exec(text)) sites.push({ offset: m.index, url: m[1], kind: 'html', tag: 'css url()' });
  return sites;
}

/**
 * Markdown images and links and HTML resources whose URL is built from a variable: if the model
 * repeats them, the client fetches the URL and sends the variable's value to whoever owns the host.
 */
export function findExfiltrationLinks(
  text: string,
  engine: EngineName | undefined,
  context: ScanContext,
  variables: Record<string, VariableSpec> = {},
): TextHit[] {
  if (!text.includes('](') && !/<[a-z]|url\(|\]:/i.test(text)) return [];
  const hits: TextHit[] = [];
  for (const site of urlSites(text)) {
    const slot = dataSlot(site.url, engine, context, variables);
    if (!slot) continue;
    const shownUrl = site.url.length > 80 ? `${site.url.slice(0, 77)}...` : site.url;
    const what = site.kind === 'image' ? 'markdown image' : site.kind === 'link' ? 'link' : `HTML ${site.tag}`;
    const autoFetched = site.kind !== 'link';
    hits.push({
      check: 'injection/exfiltration-link',
      offset: site.offset,
      severity: context === 'test-data' ? 'notice' : autoFetched ? 'error' : 'warning',
      message:
        context === 'template'
          ? `${what} URL ${shownUrl} is built from ${slot}; ${autoFetched ? 'a client that renders it fetches the URL with no click, sending the value to that host' : 'a click sends the value to that host'}. Remove the variable from the URL (or declare it trusted: true if it is not user data)`
          : `${what} URL ${shownUrl} carries a data slot (${slot}) in test data; fine if this case checks that the model never emits such links`,
    });
  }
  return hits;
}

function dataSlot(url: string, engine: EngineName | undefined, context: ScanContext, variables: Record<string, VariableSpec>): string | undefined {
  if (context === 'template') {
    for (const placeholder of findPlaceholders(url, engine)) {
      const roots = engine ? variablesIn(url.slice(placeholder.start, placeholder.end), engine) : [];
      // A trusted variable that is the whole URL or its base (`{docs_url}/guide`) is configuration.
      const untrusted = roots.filter((name) => variables[name]?.trusted !== true);
      if (roots.length === 0 || untrusted.length > 0) return `the variable ${url.slice(placeholder.start, placeholder.end)}`;
    }
    return undefined;
  }
  const slot = DATA_SLOT.exec(url);
  return slot ? `"${slot[0]}"` : undefined;
}
