/**
 * Which type errors of a migrated file did the migration introduce? An error the original file already had (the same
 * code and message, or the same code on a line whose text did not change) is not ours; every other one is.
 * Matching is a multiset: two identical errors before and three after leave one introduced.
 */
export interface TypeError {
  line: number;
  column: number;
  code: number;
  message: string;
  /** The text of the line it is on, trimmed. */
  lineText: string;
}

export function introducedErrors(before: TypeError[], after: TypeError[]): TypeError[] {
  const byMessage = counts(before.map(e => `${e.code}\u0000${e.message}`));
  const byLine = counts(before.map(e => `${e.code}\u0000${e.lineText}`));
  const introduced: TypeError[] = [];
  for (const e of after) {
    if (take(byMessage, `${e.code}\u0000${e.message}`) || take(byLine, `${e.code}\u0000${e.lineText}`)) continue;
    introduced.push(e);
  }
  return introduced;
}

function counts(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function take(m: Map<string, number>, key: string): boolean {
  const n = m.get(key) ?? 0;
  if (n === 0) return false;
  m.set(key, n - 1);
  return true;
}
