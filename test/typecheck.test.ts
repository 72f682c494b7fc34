/**
 * `--typecheck`: the changed files are type-checked before (v1 types) and after (v2 types), in memory; the errors the
 * migration introduced are reported at their line in the migrated file, errors the original already had are not.
 * The scratch projects live outside this repository and install nothing, so every `@modelcontextprotocol/*` package
 * (v1 and v2) and zod are resolved from mcp-migrate's own installation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importersOf } from '../src/typecheck/importers.js';
import { introducedErrors, type TypeError } from '../src/typecheck/introduced.js';
import { runTypecheck } from '../src/typecheck/run-typecheck.js';
import { runCli, scratch } from './helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach(c => c()));

function project(files: Record<string, string>): string {
  const s = scratch();
  cleanups.push(s.cleanup);
  fs.writeFileSync(
    path.join(s.dir, 'package.json'),
    JSON.stringify({
      name: 'p',
      type: 'module',
      dependencies: { '@modelcontextprotocol/sdk': '^1.29.0', zod: '^4.2.0' }
    })
  );
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(s.dir, f)), { recursive: true });
    fs.writeFileSync(path.join(s.dir, f), text);
  }
  return s.dir;
}

function typecheckJson(dir: string, extra: string[] = []) {
  const r = runCli(['--dry-run', '--typecheck', '--json', ...extra, '.'], dir);
  const report = JSON.parse(r.stdout);
  const typeErrors = (report.files as any[]).flatMap(f => f.diagnostics).filter((d: any) => d.rule === 'type-error');
  return { code: r.code, report, typeErrors };
}

const STDIO_SERVER = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
  "import pino from 'pino';",
  "import { z } from 'zod';",
  '',
  'const log = pino();',
  "const server = new McpServer({ name: 'echo', version: '1.0.0' });",
  "server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => {",
  "  log.info({ text }, 'echo');",
  "  return { content: [{ type: 'text', text }] };",
  '});',
  'await server.connect(new StdioServerTransport());',
  ''
].join('\n');

describe('--typecheck', () => {
  it('reports nothing for a migration that compiles, even with third-party modules nobody installed', () => {
    const dir = project({ 'src/server.ts': STDIO_SERVER });
    const { code, report, typeErrors } = typecheckJson(dir);
    expect(report.summary.changed).toBeGreaterThan(0);
    expect(typeErrors).toEqual([]);
    expect(report.summary.typeErrors).toBe(0);
    expect(code).toBe(0);
  });

  it('reports an error the migration introduced at its line and column in the migrated file, and exits 1', () => {
    // v2 McpServer has no experimental tasks API: the registration stays (marked) and no longer compiles.
    const tasks = STDIO_SERVER.replace(
      'await server.connect',
      "server.experimental.tasks.registerToolTask('slow', { inputSchema: {} }, {} as any);\nawait server.connect"
    );
    const dir = project({ 'src/server.ts': tasks });
    const { code, report, typeErrors } = typecheckJson(dir);
    expect(code).toBe(1);
    expect(report.summary.typeErrors).toBe(typeErrors.length);
    expect(typeErrors.length).toBeGreaterThan(0);
    const migrated = (report.files as any[]).find(f => f.file === path.join('src', 'server.ts'));
    expect(migrated).toBeTruthy();
    // Recompute where the call is in the migrated text the dry run would write.
    const diff = runCli(['--dry-run', '.'], dir).stdout;
    expect(diff).toContain('experimental.tasks');
    const e = typeErrors.find((d: any) => /experimental/.test(d.message))!;
    expect(e).toMatchObject({
      transform: 'typecheck',
      rule: 'type-error',
      severity: 'error',
      file: path.join('src', 'server.ts')
    });
    expect(e.message).toMatch(/^TS2339: Property 'experimental' does not exist/);
    const written = runCli(['--force', '--typecheck', '.'], dir);
    expect(written.code).toBe(1);
    const line = fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8').split('\n')[e.line - 1]!;
    expect(line.slice(e.column - 1)).toMatch(/^experimental\.tasks\.registerToolTask/);
    expect(written.stdout).toMatch(/typecheck: \d+ type error\(s\) introduced by the migration/);
  });

  it('does not report errors the original file already had, but counts them', () => {
    const broken = STDIO_SERVER.replace(
      'const log = pino();',
      "const log = pino();\nconst port: number = 'not a number';"
    );
    const dir = project({ 'src/server.ts': broken });
    const { code, report, typeErrors } = typecheckJson(dir);
    expect(typeErrors).toEqual([]);
    expect(report.summary.typeErrorsBefore).toBeGreaterThanOrEqual(1);
    expect(code).toBe(0);
  });

  it('uses the nearest tsconfig.json: under noImplicitAny the original has errors a default check does not see', () => {
    const helper = STDIO_SERVER.replace(
      'const log = pino();',
      'const log = pino();\nexport function shout(text) {\n  return text.toUpperCase();\n}'
    );
    const lax = project({ 'src/server.ts': helper });
    expect(typecheckJson(lax).report.summary.typeErrorsBefore).toBe(0);
    const strict = project({
      'src/server.ts': helper,
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          skipLibCheck: true
        }
      })
    });
    const s = typecheckJson(strict);
    expect(s.report.summary.typeErrorsBefore).toBeGreaterThanOrEqual(1);
    expect(s.typeErrors).toEqual([]);
  });

  it('checks unchanged files that import a changed one: an export the migration removed is reported there', async () => {
    const dir = project({
      'src/a.ts': 'export const transports: Record<string, string> = {};\nexport const port = 3000;\n',
      'src/b.ts': "import { transports } from './a.js';\n\nexport const open = Object.keys(transports).length;\n",
      'src/c.ts': "import { port } from './a.js';\n\nexport const url = `http://localhost:${port}`;\n"
    });
    const a = path.join(dir, 'src/a.ts');
    const files = ['src/a.ts', 'src/b.ts', 'src/c.ts'].map(f => path.join(dir, f));
    const importers = importersOf(new Set([a]), files);
    expect(importers.sort()).toEqual([path.join(dir, 'src/b.ts'), path.join(dir, 'src/c.ts')]);
    const result = await runTypecheck(
      [{ file: a, before: fs.readFileSync(a, 'utf8'), after: 'export const port = 3000;\n' }],
      importers
    );
    expect(result.introduced.map(d => [path.relative(dir, d.file), d.line, d.column, d.message.slice(0, 7)])).toEqual([
      [path.join('src', 'b.ts'), 1, 10, 'TS2305:']
    ]);
  });

  it('a test folder with a tsconfig of its own sees the sources the run migrated, not their text on disk', () => {
    const tsconfig = JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022' }
    });
    const dir = project({
      'tsconfig.json': tsconfig,
      'test/tsconfig.json': tsconfig,
      'src/handlers.ts': [
        "import { Server } from '@modelcontextprotocol/sdk/server/index.js';",
        "import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';",
        '',
        'export function registerHandlers(server: Server): void {',
        '  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [] }));',
        '}',
        ''
      ].join('\n'),
      'test/handlers.test.ts': [
        "import { Server } from '@modelcontextprotocol/sdk/server/index.js';",
        "import { registerHandlers } from '../src/handlers.js';",
        '',
        "const server = new Server({ name: 't', version: '1.0.0' }, { capabilities: { tools: {} } });",
        'registerHandlers(server);',
        ''
      ].join('\n')
    });
    const { typeErrors } = typecheckJson(dir);
    expect(typeErrors).toEqual([]);
  });

  it('without --typecheck the summary has no type-check fields', () => {
    const dir = project({ 'src/server.ts': STDIO_SERVER });
    const r = JSON.parse(runCli(['--dry-run', '--json', '.'], dir).stdout);
    expect(r.summary.typeErrors).toBeUndefined();
  });
});

describe('introducedErrors', () => {
  const e = (code: number, message: string, lineText: string, line = 1): TypeError => ({
    code,
    message,
    lineText,
    line,
    column: 1
  });

  it('takes an error with the same code and message, or the same code on an unchanged line, as already there', () => {
    const before = [
      e(2322, "Type 'string' is not assignable to type 'number'.", "const n: number = 'x';", 3),
      e(7006, "Parameter 'a' implicitly has an 'any' type.", 'function f(a) {}', 9)
    ];
    const after = [
      e(2322, "Type 'string' is not assignable to type 'number'.", "const n: number = 'x';", 5),
      e(7006, "Parameter 'a' implicitly has an 'any' type.", 'function f(a) {}', 12),
      e(2339, "Property 'experimental' does not exist on type 'McpServer'.", 'server.experimental.tasks.x();', 20)
    ];
    expect(introducedErrors(before, after).map(x => x.code)).toEqual([2339]);
  });

  it('takes a missing member of a v1 SDK module and of the v2 package its import moved to as one error', () => {
    const missing = (module: string) =>
      e(
        2305,
        `Module '"${module}"' has no exported member 'ToolResult'.`,
        `import type { ToolResult } from '${module}';`
      );
    const before = [missing('@modelcontextprotocol/sdk/types.js')];
    expect(introducedErrors(before, [missing('@modelcontextprotocol/server')])).toEqual([]);
    expect(introducedErrors(before, [missing('./tool-result.js')])).toHaveLength(1);
  });

  it('counts: one error before does not excuse two after', () => {
    const x = e(2322, 'm', 'a');
    expect(introducedErrors([x], [x, { ...x, line: 2, lineText: 'b' }])).toHaveLength(1);
  });
});
