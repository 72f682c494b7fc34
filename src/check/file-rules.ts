/**
 * Findings about a file or a comment rather than an API pattern in the code: a suppression without a reason, and a
 * file check could not read or parse. They are not regex rules, but they have pages, SARIF entries and `explain`
 * like the others, so a CI gate never passes over code nobody looked at without saying so.
 */
import type { Diagnostic, Severity } from '../types.js';
import { OWN_TRANSPORT } from './own-transport.js';
import { ZOD_3 } from './zod-3.js';

export interface FileRule {
  id: string;
  severity: Severity;
  /** One line, as in SARIF's short description. */
  summary: string;
  fix: string;
  /** The docs/rules/<id>.md text. */
  page: string;
}

export const UNCHECKED_FILE = 'unchecked-file';
export const V1_LIBRARY = 'v1-library';

export const FILE_RULES: FileRule[] = [
  {
    id: ZOD_3,
    severity: 'error',
    summary: 'a v2 server whose zod schemas are zod 3',
    fix: 'port what zod 4 removed (the migration report names it) and move zod to ^4.2.0',
    page:
      '# `zod-3`\n\n**Severity:** error.\n\n' +
      'The file imports `@modelcontextprotocol/server` and takes its zod from a package that declares zod 3 (or ' +
      "imports zod 3's API from `zod/v3`). The v2 server converts tool schemas with zod 4's own JSON Schema support " +
      'and refuses a zod 3 schema at `tools/list` ("Schema appears to be from zod 3"): the server starts and then ' +
      'lists no tools. `mcp-migrate` moves a package to zod `^4.2.0` when its code uses only what zod 4 kept; where ' +
      'the code uses what zod 4 removed (`z.record(valueSchema)`, `required_error`, `.errors`, …) it keeps zod 3 and ' +
      'names those uses in the report.\n\n' +
      'Not flagged: a file that serves through the low-level `Server` only (its `tools/list` handler returns JSON ' +
      'Schema it built itself, often with zod-to-json-schema: zod never meets the SDK), and a `zod/v3` import of ' +
      "nothing but the enums naming a schema's kind (`ZodFirstPartyTypeKind`, as a bundled converter reads them).\n\n" +
      '**Fix:** port the uses the report names to zod 4 (`z.record(z.string(), v)`, `{ error }`, `.issues`), set ' +
      '`"zod": "^4.2.0"`, and run `mcp-migrate check` again.\n'
  },
  {
    id: OWN_TRANSPORT,
    severity: 'error',
    summary: "a project's own implementation of the 2025 transport (or a test file of one)",
    fix: 'serve the server factory with createMcpHandler (HTTP) or serveStdio where the class is used, then delete the class and its tests',
    page:
      '# `own-transport`\n\n**Severity:** error.\n\n' +
      'A class with `start` and `send` methods that feeds `this.onmessage` is a transport the project wrote itself ' +
      "(fastmcp's edge transport, an OpenAPI server's `StreamableHttpServerTransport`). When it keeps sessions, " +
      'answers `initialize`, replays streams or otherwise holds what the session, handshake and resumability rules ' +
      'flag, every line of it is the 2025 Streamable HTTP protocol, and none of it is fixed line by line: on ' +
      '2026-07-28 the SDK serves HTTP statelessly with `createMcpHandler`, and `serveStdio` takes a custom message ' +
      'transport (its `transport` option) for anything else. So the class is one finding, at its declaration, naming ' +
      'what it holds, instead of one per line. A test file that constructs a `…Transport` imported from the project ' +
      'is likewise one finding: its subject goes with the class.\n\n' +
      '**Fix:** where the class is constructed, serve the server factory with `createMcpHandler` (HTTP, ' +
      '`toNodeHandler` for Node) or `serveStdio`; then delete the class and its tests, or rewrite the tests against ' +
      'the handler.\n'
  },
  {
    id: 'invalid-suppression',
    severity: 'error',
    summary: 'a suppression comment without a reason',
    fix: 'add `-- <reason>`',
    page:
      '# `invalid-suppression`\n\n**Severity:** error.\n\nAn `mcp-migrate-ignore` comment without a reason ' +
      'suppresses nothing. Write `// mcp-migrate-ignore-next-line <rule-id> -- <why>`.\n'
  },
  {
    id: UNCHECKED_FILE,
    severity: 'error',
    summary: 'a file that uses MCP could not be checked',
    fix: 'fix the syntax error (or make the file readable / split it under 2 MB), then run check again',
    page:
      '# `unchecked-file`\n\n**Severity:** error.\n\n' +
      'A file that mentions MCP could not be checked properly: it does not parse (the finding points at the ' +
      'syntax error; the other rules still ran on its text, but comments and code could not be told apart ' +
      'reliably), it is over 2 MB, it could not be read, or it is a build output with the v1 SDK compiled into it ' +
      "(a bundle: its findings would be the SDK's own internals, and rewriting it would leave the bundled 2025 " +
      'runtime in place). `mcp-migrate` leaves such a file untouched, so it may still be v1 code; a CI gate must ' +
      'not pass over it in silence. A bundle, or a file over the limit, gets one line at its end from a run of every ' +
      'rewrite, a `TODO(mcp-migrate/check/unchecked-file)` comment saying so (no code and no source-map position ' +
      'moves), and this error is reported on it.\n\n' +
      '**Fix:** fix the syntax error, split or exclude the file (`--ignore <glob>` for generated bundles), or make ' +
      'it readable, then run `mcp-migrate check` again. For a bundle, migrate the sources it is built from and ' +
      'rebuild it.\n'
  },
  {
    id: V1_LIBRARY,
    severity: 'error',
    summary: 'an imported library is built on the v1 SDK',
    fix: 'upgrade the library to a release on the v2 packages (or build the server with @modelcontextprotocol/server), then run mcp-migrate again',
    page:
      '# `v1-library`\n\n**Severity:** error where the file takes a server, agent or MCP helper from the library; ' +
      'a warning for other imports from it.\n\n' +
      'The file imports a package whose own manifest depends on `@modelcontextprotocol/sdk` (found in ' +
      '`node_modules`, else in `package-lock.json`): `@supabase/mcp-utils`, `fastmcp`, `agents` and the like. A ' +
      'server such a library builds or serves is a v1 server: it speaks only the 2025 protocol whatever this ' +
      "project's code does, and v2's `serveStdio` / `createMcpHandler` cannot serve it. No rewrite of this project " +
      'can change that, and nothing else in its code would say so.\n\n' +
      'A library whose job is to host MCP servers (`agents`, `fastmcp`, `mcp-handler`, `@vercel/mcp-adapter`, ' +
      '`mcp-framework`, `@supabase/mcp-utils`) that the project declares but has not installed (no `node_modules`, no ' +
      '`package-lock.json` entry) is a warning: its release could not be read, so whether it is on the v1 SDK is not ' +
      'known. Install the dependencies and run again for the verdict.\n\n' +
      "Cloudflare's `agents` is both: its `McpAgent` (and `createLegacyMcpHandler`) runs only an SDK v1 server in " +
      'every release, an error installed or not, while its `agents/mcp/server` entry (0.32 and later) serves v2 ' +
      'factories with `createMcpHandler` and is no finding.\n\n' +
      '**Fix:** upgrade the library to a release built on the v2 packages (`@modelcontextprotocol/server`), or ' +
      'replace it with the SDK itself, then run `mcp-migrate` again.\n'
  }
];

export function uncheckedFile(file: string, why: string, line = 1, column = 1): Diagnostic {
  return {
    transform: 'check',
    rule: UNCHECKED_FILE,
    file,
    line,
    column,
    severity: 'error',
    message: `not checked: ${why}`
  };
}
