// Markdown building blocks for job summaries and PR comments (pure string functions).

/** Escapes text for a GitHub-flavoured markdown table cell. */
export const cell = (value: unknown): string =>
  String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');

export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot break out of it. */
export function fenced(content: string, language = ''): string {
  const longestRun = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

export function details(summaryLine: string, body: string): string {
  return `<details><summary>${summaryLine}</summary>\n\n${body}\n\n</details>`;
}

/** Formats a number for humans: up to `digits` significant digits, no exponent for ordinary magnitudes. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e9) return value.toExponential(digits - 1);
  return String(Number(value.toPrecision(digits)));
}

export const formatPercent = (fraction: number | null | undefined, digits = 3): string =>
  fraction === null || fraction === undefined || !Number.isFinite(fraction) ? '–' : `${formatNumber(fraction * 100, digits)}%`;
