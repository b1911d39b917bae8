// Which lines of a file a change added or modified, from unified diff hunks (`@@ -a,b +c,d @@`). Pure.

/** 1-based line numbers in the new file that the patch adds (context lines are not changes). */
export function addedLinesFromPatch(patch: string): Set<number> {
  const added = new Set<number>();
  let newLine = 0;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      newLine = Number(hunk[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk || line.startsWith('\\')) continue;
    if (line.startsWith('+')) {
      if (line.startsWith('+++ ')) continue;
      added.add(newLine++);
    } else if (line.startsWith('-')) {
      // removed lines do not exist in the new file
    } else {
      newLine++;
    }
  }
  return added;
}
