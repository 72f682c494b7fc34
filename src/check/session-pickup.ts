/**
 * A client that picks up a session id if the server sends one and echoes it back:
 *   const sessionId = response.headers.get('mcp-session-id');
 *   if (sessionId) headers['mcp-session-id'] = sessionId;
 * (raw-HTTP integration tests and small clients). A 2026-07-28 server sends none, so the branch never runs, and a
 * 2025 server is still answered as it wants: the code is fine on both, and `session-id` does not flag it. Nor does it
 * flag a test asserting that the server sent none (`expect(res.headers.get('mcp-session-id')).toBeNull()`): that is
 * what a stateless server does.
 */

/** A response's header read into a name, then, under a test of that name only, stored as a request header. */
const PICKUP = new RegExp(
  String.raw`(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*[\w$.]*res(?:ponse)?[\w$]*\.headers\.get\(\s*(['"])mcp-session-id\2\s*\)` +
    String.raw`(?:\s*as\s+[\w\s|]+?)?\s*;?\s*if\s*\(\s*\1\s*\)\s*\{?\s*` +
    String.raw`(?:[\w$.]+\[\s*(['"])mcp-session-id\3\s*\]\s*=\s*\1|[\w$.]+\.set\(\s*(['"])mcp-session-id\4\s*,\s*\1\s*\))\s*;?\s*\}?`,
  'gi'
);

/** `expect(x.headers.get('mcp-session-id')).toBeNull()` and its like: the absence of a session, asserted. */
const ABSENCE = new RegExp(
  String.raw`expect\(\s*[\w$.]+\.headers\.get\(\s*(['"])mcp-session-id\1\s*\)\s*\)\s*\.\s*` +
    String.raw`(?:toBeNull|toBeUndefined|toBeFalsy|not\s*\.\s*toBeTruthy|not\s*\.\s*toBeDefined)\(\s*\)`,
  'gi'
);

// The matcher asks once per finding of the rule in the same file: the spans of the last file read are kept.
let last: { code: string; spans: [number, number][] } | undefined;

/** Is `index` inside such a pickup, or such an assertion, in `code`? */
export function inSessionPickup(code: string, index: number): boolean {
  if (last?.code !== code) {
    const spans = [...code.matchAll(PICKUP), ...code.matchAll(ABSENCE)].map(
      m => [m.index!, m.index! + m[0].length] as [number, number]
    );
    last = { code, spans };
  }
  return last.spans.some(([s, e]) => index >= s && index < e);
}
