/**
 * Which type errors of a migrated file did the migration introduce? An error the original file already had (the same
 * code and message, MCP SDK module names aside, or the same code on a line whose text did not change) is not ours;
 * every other one is.
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
  const byMessage = counts(before.map(e => `${e.code}\u0000${sdkModulesAlike(e.message)}`));
  const byLine = counts(before.map(e => `${e.code}\u0000${e.lineText}`));
  const introduced: TypeError[] = [];
  for (const e of after) {
    if (take(byMessage, `${e.code}\u0000${sdkModulesAlike(e.message)}`) || take(byLine, `${e.code}\u0000${e.lineText}`))
      continue;
    introduced.push(e);
  }
  return introduced;
}

/**
 * The message with every MCP SDK module named alike: the migration moves imports from `@modelcontextprotocol/sdk/…`
 * to the v2 packages, so "Module '"@modelcontextprotocol/sdk/types.js"' has no exported member 'ToolResult'" before
 * and the same of '"@modelcontextprotocol/server"' after are one error the project already had.
 */
function sdkModulesAlike(message: string): string {
  return message.replace(/(["'])@modelcontextprotocol\/[\w./-]+\1/g, '$1@modelcontextprotocol$1');
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
