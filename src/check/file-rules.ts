/**
 * Findings about a file or a comment rather than an API pattern in the code: a suppression without a reason, and a
 * file check could not read or parse. They are not regex rules, but they have pages, SARIF entries and `explain`
 * like the others, so a CI gate never passes over code nobody looked at without saying so.
 */
import type { Diagnostic, Severity } from '../types.js';

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
      'not pass over it in silence.\n\n' +
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
