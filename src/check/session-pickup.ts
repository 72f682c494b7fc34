/**
 * A client that picks up a session id if the server sends one and echoes it back:
 *   const sessionId = response.headers.get('mcp-session-id');
 *   if (sessionId) headers['mcp-session-id'] = sessionId;
 * (raw-HTTP integration tests and small clients). A 2026-07-28 server sends none, so the branch never runs, and a
 * 2025 server is still answered as it wants: the code is fine on both, and `session-id` does not flag it.
 */

/** A response's header read into a name, then, under a test of that name only, stored as a request header. */
const PICKUP = new RegExp(
  String.raw`(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*[\w$.]*res(?:ponse)?[\w$]*\.headers\.get\(\s*(['"])mcp-session-id\2\s*\)` +
    String.raw`(?:\s*as\s+[\w\s|]+?)?\s*;?\s*if\s*\(\s*\1\s*\)\s*\{?\s*` +
    String.raw`(?:[\w$.]+\[\s*(['"])mcp-session-id\3\s*\]\s*=\s*\1|[\w$.]+\.set\(\s*(['"])mcp-session-id\4\s*,\s*\1\s*\))\s*;?\s*\}?`,
  'gi'
);

const spans = new Map<string, [number, number][]>();

/** Is `index` inside such a pickup in `code`? */
export function inSessionPickup(code: string, index: number): boolean {
  let found = spans.get(code);
  if (!found) {
    found = [...code.matchAll(PICKUP)].map(m => [m.index!, m.index! + m[0].length] as [number, number]);
    if (spans.size > 64) spans.clear();
    spans.set(code, found);
  }
  return found.some(([s, e]) => index >= s && index < e);
}
