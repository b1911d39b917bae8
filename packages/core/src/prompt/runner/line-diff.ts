// A unified diff of two texts by lines (longest common subsequence), for showing how a pull request changed
// a rendered prompt. Pure; quadratic in lines, which is fine for prompts (a size guard keeps it bounded).

const MAX_CELLS = 4_000_000;

export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > MAX_CELLS) return `--- ${labels.before}\n+++ ${labels.after}\n@@ too large to diff (${a.length} and ${b.length} lines) @@`;
  const ops = diffOps(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // extend while changes are within 2*context of each other
    while (end < ops.length) {
      if (ops[end].kind !== ' ') {
        end++;
        continue;
      }
      let run = end;
      while (run < ops.length && ops[run].kind === ' ') run++;
      if (run < ops.length && run - end <= 2 * context) end = run;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const slice = ops.slice(start, stop);
    const aStart = slice[0].aLine;
    const bStart = slice[0].bLine;
    const aCount = slice.filter((op) => op.kind !== '+').length;
    const bCount = slice.filter((op) => op.kind !== '-').length;
    hunks.push(`@@ -${aCount ? aStart : aStart - 1},${aCount} +${bCount ? bStart : bStart - 1},${bCount} @@`);
    for (const op of slice) hunks.push(`${op.kind}${op.text}`);
    i = stop;
    start = stop;
  }
  return [`--- ${labels.before}`, `+++ ${labels.after}`, ...hunks].join('\n');
}

interface DiffOp {
  kind: ' ' | '-' | '+';
  text: string;
  /** 1-based line in `a` (for ' ' and '-') or the line before which an insertion sits. */
  aLine: number;
  bLine: number;
}

function diffOps(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[at(i, j)] = a[i] === b[j] ? lcs[at(i + 1, j + 1)] + 1 : Math.max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i], aLine: i + 1, bLine: j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) {
      ops.push({ kind: '-', text: a[i], aLine: i + 1, bLine: j + 1 });
      i++;
    } else {
      ops.push({ kind: '+', text: b[j], aLine: i + 1, bLine: j + 1 });
      j++;
    }
  }
  return ops;
}
