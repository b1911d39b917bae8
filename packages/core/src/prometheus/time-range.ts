// The window a range query covers: `range` back from `end` (default now), or explicit `start` and `end`.
export interface TimeWindowSpec {
  /** Milliseconds, e.g. from parseDurationInput('30m'). */
  rangeMs?: number;
  /** RFC 3339 timestamp or unix seconds. */
  start?: string;
  end?: string;
}

export interface TimeWindow {
  start: number;
  end: number;
}

/** Parses an RFC 3339 timestamp or unix seconds into unix seconds; `undefined` when the text is neither. */
export function parseTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** Reports a bad window through `fail(input, problem)`, so the caller can name its own input in the error. */
export function resolveTimeWindow(spec: TimeWindowSpec, nowMs: number, fail: (input: 'start' | 'end' | 'range', problem: string) => never): TimeWindow {
  const parse = (input: 'start' | 'end', text: string | undefined): number | undefined => {
    if (text === undefined || text.trim() === '') return undefined;
    const value = parseTimestamp(text);
    if (value === undefined) fail(input, `'${text}' is not a time; use RFC 3339 (2026-01-31T12:00:00Z) or unix seconds.`);
    return value;
  };
  const end = parse('end', spec.end) ?? nowMs / 1000;
  const explicitStart = parse('start', spec.start);
  const start = explicitStart ?? (spec.rangeMs !== undefined ? end - spec.rangeMs / 1000 : undefined);
  if (start === undefined) fail('range', 'give a range such as 30m, or both start and end.');
  if (!(start < end)) fail(explicitStart !== undefined ? 'start' : 'range', `the window must end after it starts (start ${new Date(start * 1000).toISOString()}, end ${new Date(end * 1000).toISOString()}).`);
  return { start, end };
}
