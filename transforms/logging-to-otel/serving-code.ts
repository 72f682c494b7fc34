/**
 * Which entry a piece of code serves, read from its text: a function that starts an HTTP entry (`app.listen(…)`, a
 * createMcpHandler, a v1 HTTP transport) and never a stdio one writes its logs where stdout is not the protocol
 * channel, even in a file that has a stdio entry too. Shared by check's `stdio-console-log` and the logging rewrite,
 * which must agree on what they leave alone.
 */
import { argumentText } from './argument-text.js';

const HTTP_SERVING = /\.listen\s*\(|\bcreateMcpHandler\s*\(|\bStreamableHTTPServerTransport\b|\bSSEServerTransport\b/;
// A project's own subclass counts (`FilteredStdioServerTransport`), hence no word boundary before the name.
const STDIO_TRANSPORT = /StdioServerTransport/;
const SERVE_STDIO = /\bserveStdio\s*\(/g;
const STDIO_NAMED = /\bserveStdio\b|server\/stdio/;

/** Does this code (a file, a function's text) serve HTTP at all? */
export function servesHttp(code: string): boolean {
  return HTTP_SERVING.test(code);
}

/**
 * Does this code serve over the process's stdin/stdout? A stdio transport does, and so does `serveStdio(factory)`
 * (or a file that imports it); `serveStdio(factory, { transport: memory })` serves the transport it is handed (an
 * in-memory pair in a script or a test), where stdout is free for the code's own output.
 */
export function servesStdio(code: string): boolean {
  if (STDIO_TRANSPORT.test(code)) return true;
  const calls = [...code.matchAll(SERVE_STDIO)];
  if (calls.length === 0) return STDIO_NAMED.test(code);
  return calls.some(m => {
    const transport = /\btransport\s*(?::\s*([^,}]*)|(?=[,}]))/.exec(argumentText(code, m.index + m[0].length - 1));
    return !transport || /stdio/i.test(transport[1] ?? '');
  });
}

/** Undefined when the code serves neither; else whether it serves HTTP only (true) or stdio (false). */
export function servesHttpOnly(code: string): boolean | undefined {
  if (servesStdio(code)) return false;
  return HTTP_SERVING.test(code) ? true : undefined;
}
