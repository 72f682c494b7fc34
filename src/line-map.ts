/**
 * Where the lines of one text went in the next: a rewrite that inserts or removes lines moves every diagnostic an
 * earlier rewrite reported below them. Unchanged lines map exactly; a line that was replaced or removed maps to
 * where its hunk now starts. Past a work budget (a file whose every line moved) lines are left as they are.
 */
import { diffArrays } from 'diff';

const MAX_EDITS = 2_000;

export function lineMap(before: string, after: string): ((line: number) => number) | undefined {
  const chunks = diffArrays(before.split('\n'), after.split('\n'), { maxEditLength: MAX_EDITS });
  if (!chunks) return undefined;
  // starts[i]: the new line (1-based) of old line i + 1.
  const starts: number[] = [];
  let o = 1;
  for (const c of chunks) {
    const n = c.count ?? c.value.length;
    if (c.added) o += n;
    else if (c.removed) for (let k = 0; k < n; k++) starts.push(o);
    else for (let k = 0; k < n; k++) starts.push(o++);
  }
  return line => starts[line - 1] ?? line;
}

/** The same diagnostics with their lines moved to where that code is in `after`. */
export function moveLines<D extends { line: number }>(found: D[], before: string, after: string): D[] {
  if (found.length === 0 || before === after) return found;
  const map = lineMap(before, after);
  return map ? found.map(d => ({ ...d, line: map(d.line) })) : found;
}
