/**
 * Which entry a piece of code serves, read from its text: a function that starts an HTTP entry (`app.listen(…)`, a
 * createMcpHandler, a v1 HTTP transport) and never a stdio one writes its logs where stdout is not the protocol
 * channel, even in a file that has a stdio entry too. Shared by check's `stdio-console-log` and the logging rewrite,
 * which must agree on what they leave alone.
 */
const HTTP_SERVING = /\.listen\s*\(|\bcreateMcpHandler\s*\(|\bStreamableHTTPServerTransport\b|\bSSEServerTransport\b/;
const STDIO_SERVING = /\bserveStdio\s*\(|\bStdioServerTransport\b/;

/** Does this code (a file, a function's text) serve HTTP at all? */
export function servesHttp(code: string): boolean {
  return HTTP_SERVING.test(code);
}

/** Undefined when the code serves neither; else whether it serves HTTP only (true) or stdio (false). */
export function servesHttpOnly(code: string): boolean | undefined {
  if (STDIO_SERVING.test(code)) return false;
  return HTTP_SERVING.test(code) ? true : undefined;
}
