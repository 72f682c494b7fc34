/**
 * The leftovers pass: every error `check` still reports after the rewrites sits on a marker line (its own line or
 * the three above), the marker is never put where it would change what the code does, and a second pass adds nothing.
 */
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/check/matcher.js';
import { markLeftovers } from '../src/leftovers.js';

const FILE = 'server.ts';
const HEAD = "import { McpServer } from '@modelcontextprotocol/server';\n";

/** Error findings (markers aside) with no marker on their line or the three above. */
function unmarked(text: string): string[] {
  const lines = text.split('\n');
  return checkText(FILE, text)
    .filter(f => f.severity === 'error' && !/marker|suppression/.test(f.rule))
    .filter(f => !/TODO\(mcp-migrate\//.test(lines.slice(Math.max(0, f.line - 4), f.line).join('\n')))
    .map(f => `${f.rule}@${f.line}`);
}

describe('markLeftovers', () => {
  it('puts a TODO line above a plain statement, with a diagnostic on the statement under it', () => {
    const text = `${HEAD}export function close(server: McpServer) {\n  server.sendToolListChanged();\n  return server.ping();\n}\n`;
    expect(unmarked(text).length).toBeGreaterThan(0);
    const { text: out, diagnostics } = markLeftovers(FILE, text);
    expect(unmarked(out)).toEqual([]);
    const lines = out.split('\n');
    for (const d of diagnostics) {
      expect(d.rule).toMatch(/^check\//);
      expect(lines[d.line - 2]).toContain(`TODO(mcp-migrate/${d.rule})`);
    }
  });

  it("tells a test's author what the session header it asserts means now, and a server's author what to serve", () => {
    const test = [
      "it('opens a session', async () => {",
      "  const res = await request(app).post('/mcp').send(init);",
      "  expect(res.headers['mcp-session-id']).toBeDefined();",
      '});',
      ''
    ].join('\n');
    const inTest = markLeftovers('test/app.test.ts', test).text;
    expect(inTest).toContain('TODO(mcp-migrate/check/session-id)');
    expect(inTest).toContain('assert the header is absent and drop the session plumbing, or delete the test');
    const inServer = markLeftovers('src/routes.ts', test).text;
    expect(inServer).toContain('serve statelessly with createMcpHandler');
    expect(inServer).not.toContain('delete the test');
  });

  it("marks a project's own 2025 transport once, at the class, saying what it holds and what replaces it", () => {
    const text = [
      'export class HttpTransport {',
      '  onmessage?: (message: unknown) => void;',
      '  async start() {}',
      '  async send(message: unknown) {',
      '    void message;',
      '  }',
      '  handle(headers: Headers, body: unknown) {',
      "    if (!headers.get('mcp-session-id')) throw new Error('no session');",
      '    this.onmessage?.(body);',
      "    return { 'mcp-session-id': headers.get('mcp-session-id') };",
      '  }',
      '}',
      ''
    ].join('\n');
    const { text: out, diagnostics } = markLeftovers(FILE, text);
    expect(diagnostics.map(d => `${d.rule}@${d.line}`)).toEqual(['check/own-transport@2']);
    expect(out.split('\n')[0]).toBe(
      '// TODO(mcp-migrate/check/own-transport): `HttpTransport` implements the 2025 transport itself (session-id ×2): ' +
        'a 2026-07-28 server is served statelessly by createMcpHandler (HTTP) or serveStdio (which takes a custom ' +
        'message transport) — serve the server factory with one of them where this class is used, then delete the class'
    );
    expect(unmarked(out)).toEqual([]);
    expect(markLeftovers(FILE, out).text).toBe(out);
  });

  it('marks an interpolation inside HTML template text in place, with a block comment that changes nothing', () => {
    const text = [
      HEAD,
      'export function page(elicitationId: string) {',
      '  return `<form>',
      '    <input type="hidden" name="notify" value="${createElicitationCompletionNotifier(elicitationId)}" />',
      '  </form>`;',
      '}',
      ''
    ].join('\n');
    expect(unmarked(text)).toContain('elicitation-complete@5');
    const { text: out, diagnostics } = markLeftovers(FILE, text);
    expect(unmarked(out)).toEqual([]);
    const line = out.split('\n').find(l => l.includes('value="'))!;
    expect(line).toMatch(
      /value="\$\{\/\* TODO\(mcp-migrate\/check\/elicitation-complete\): [^*]+\*\/ createElicitationCompletionNotifier\(elicitationId\)\}"/
    );
    const at = out.split('\n').indexOf(line) + 1;
    expect(diagnostics).toContainEqual(expect.objectContaining({ rule: 'check/elicitation-complete', line: at }));
    // Nothing in the template's text moved: only the interpolation gained a comment (and the signature a line above).
    expect(out.replace(/\/\* TODO[^*]*\*\/ /, '').replace(/^\/\/ TODO[^\n]*\n/m, '')).toBe(text);
  });

  it('never writes a comment into template text: a finding there is marked above its statement', () => {
    const text = `${HEAD}export const help = \`send
notifications/elicitation/complete
when done\`;
`;
    const { text: out } = markLeftovers(FILE, text);
    const lines = out.split('\n');
    const marker = lines.findIndex(l => l.includes('TODO(mcp-migrate/check/elicitation-complete)'));
    expect(lines[marker + 1]).toMatch(/^export const help = `send$/);
    expect(out.replace(/^\/\/ TODO[^\n]*\n/m, '')).toBe(text);
  });

  it('counts a line that starts at the closing backtick as inside the template (a bundle ends one there)', () => {
    // A bundler joins statements on the line where a multi-line template ends: the finding's line starts with the
    // closing backtick, and a comment line put there would be template text whose backticks end the template.
    const text = `${HEAD}export const sql = \`select 1
\`;export function f(server: McpServer) { return server.ping(); }
`;
    const { text: out } = markLeftovers(FILE, text);
    expect(out).toContain(
      'select 1\n`;export function f(server: McpServer) { return server/* TODO(mcp-migrate/check/ping)'
    );
    expect(unmarked(out)).toEqual([]);
  });

  it('keeps the finding under a marker it put between a shorthand key and the comma before it', () => {
    // `{ endpoint, eventStore, port }` over several lines: the marker lands between `endpoint,` and `eventStore`.
    const text = `${HEAD}export const serve = async ({\n  endpoint,\n  eventStore,\n  port,\n}: Options) => {};\n`;
    const { text: out } = markLeftovers(FILE, text);
    expect(out).toContain('  // TODO(mcp-migrate/check/resumability)');
    const after = checkText(FILE, out).filter(f => f.severity === 'error');
    // The finding is still found and carries the marker; the marker is not an error of its own.
    expect(after.map(f => `${f.rule}@${f.line}`)).toEqual(['resumability@5']);
    expect(after[0]!.marker).toContain('TODO(mcp-migrate/check/resumability)');
  });

  it('drops a marker of its own that explains nothing any more, and only such a marker', () => {
    const text = `${HEAD}export function f(server: McpServer) {\n  server.sendToolListChanged();\n  return server.ping();\n}\n`;
    const marked = markLeftovers(FILE, text).text;
    const ping = marked.split('\n').find(l => l.includes('TODO(mcp-migrate/check/ping)'))!;
    // Later the ping went (by hand, or a newer rewrite): its marker stays behind, alone, as an error of its own.
    const fixed = marked.replace('  return server.ping();\n', '  return true;\n');
    expect(checkText(FILE, fixed).some(f => f.rule === 'todo-marker' && f.message.includes('check/ping'))).toBe(true);
    const again = markLeftovers(FILE, fixed).text;
    expect(again).not.toContain('TODO(mcp-migrate/check/ping)');
    expect(again).toBe(fixed.replace(`${ping}\n`, ''));
    // A rewrite's own marker, a marker the user edited, and the user's own TODOs are not this pass's to drop.
    const others = [
      '  // TODO(mcp-migrate/stateless-entry/http-factory): serve a factory',
      `${ping} (kept: the ping moved to health.ts)`,
      '  // TODO: tidy this up'
    ];
    const kept = `${HEAD}export function g() {\n${others.join('\n')}\n  return true;\n}\n`;
    expect(markLeftovers(FILE, kept).text).toBe(kept);
  });

  it('writes no marker far above a finding that a marker on its own line already explains (a bundle: stable on re-run)', () => {
    // The line starts inside a template: the ping call gets a block comment in place; the string naming the removed
    // notification can only be marked above the template's statement, lines up, where it explains nothing once the
    // block comment sits on its line. A second run would drop that far marker as stale.
    const text = `${HEAD}export const page = \`<p>
</p>\`; export function f(server: McpServer) { server.ping(); return 'notifications/elicitation/complete'; }
`;
    const once = markLeftovers(FILE, text);
    expect(once.text).not.toMatch(/^\/\/ TODO\(mcp-migrate\/check\/elicitation-complete\)/m);
    expect(unmarked(once.text)).toEqual([]);
    expect(markLeftovers(FILE, once.text).text).toBe(once.text);
    const lines = once.text.split('\n');
    for (const d of once.diagnostics) expect(lines[d.line - 1]).toContain(`TODO(mcp-migrate/${d.rule})`);
  });

  it('marks the lines of one expression once: a marker a line or two above a finding of its rule reaches it', () => {
    const text =
      `${HEAD}export function sessionOf(request: { headers: Record<string, string | string[] | undefined> }) {\n` +
      "  const sessionId = Array.isArray(request.headers['mcp-session-id'])\n" +
      "    ? request.headers['mcp-session-id'][0]\n" +
      "    : request.headers['mcp-session-id'];\n" +
      '  return sessionId;\n}\n';
    const { text: out, diagnostics } = markLeftovers(FILE, text);
    expect(unmarked(out)).toEqual([]);
    expect(out.match(/TODO\(mcp-migrate\/check\/session-id\)/g)).toHaveLength(1);
    expect(diagnostics.map(d => d.rule)).toEqual(['check/session-id']);
    // Every finding carries the one marker, and a second pass adds none.
    expect(checkText(FILE, out).filter(f => f.rule === 'session-id' && !f.marker)).toEqual([]);
    expect(markLeftovers(FILE, out)).toEqual({ text: out, diagnostics: [] });
  });

  it('leaves findings a marker already explains, and changes nothing on a second pass', () => {
    const text = `${HEAD}export function f(server: McpServer) {\n  server.sendToolListChanged();\n  return server.ping();\n}\n`;
    const once = markLeftovers(FILE, text).text;
    expect(markLeftovers(FILE, once)).toEqual({ text: once, diagnostics: [] });
  });
});
