/**
 * The surface stage on whole trees, as a user runs it: relative imports are the v1 SDK only when they lead into a
 * vendored copy of it (proved by its protocol types module), never because a project has its own `server/index.ts`;
 * a 400-tool file migrates in one pass (linear in size; time is the benchmark's job, not this test's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateText } from '../src/pipeline.js';
import { runCli, scratch } from './helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach(c => c()));

function tree(files: Record<string, string>): string {
  const s = scratch();
  cleanups.push(s.cleanup);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(s.dir, f)), { recursive: true });
    fs.writeFileSync(path.join(s.dir, f), text);
  }
  return s.dir;
}

const SDK_TYPES = [
  "export const LATEST_PROTOCOL_VERSION = '2025-11-25';",
  "export const JSONRPC_VERSION = '2.0';",
  'export const CallToolRequestSchema = {};',
  'export type CallToolResult = { content: unknown[] };',
  ''
].join('\n');

describe('surface: relative imports', () => {
  it('rewrites imports of a vendored SDK copy (the SDK examples layout), proved by its types module', () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'sdk-copy', type: 'module' }),
      'src/types.ts': SDK_TYPES,
      'src/server/mcp.ts': 'export class McpServer {}\n',
      'src/server/stdio.ts': 'export class StdioServerTransport {}\n',
      // The SDK's own server module, written with the v1 API it defines: never rewritten.
      'src/server/index.ts': [
        "import { InitializeRequestSchema } from '../types.js';",
        'export class Server {',
        '  constructor() {',
        '    this.setRequestHandler(InitializeRequestSchema, () => ({}));',
        '  }',
        '  setRequestHandler(_schema: unknown, _handler: unknown) {}',
        '}',
        ''
      ].join('\n'),
      'src/mcp-tracing.ts': 'export const mcpLog = () => {};\n',
      'src/examples/server/helpers.ts': 'export const setupAuth = () => {};\n',
      'src/examples/server/echo.ts': [
        "import { McpServer } from '../../server/mcp.js';",
        "import { StdioServerTransport } from '../../server/stdio.js';",
        "import { CallToolResult } from '../../types.js';",
        "import { mcpLog } from '../../mcp-tracing.js';",
        "import { setupAuth } from './helpers.js';",
        '',
        'mcpLog(setupAuth);',
        "export const server = new McpServer({ name: 'echo', version: '1.0.0' });",
        'export const t = StdioServerTransport;',
        'export type R = CallToolResult;',
        ''
      ].join('\n')
    });
    const r = runCli(['--dry-run', '.'], dir);
    expect(r.stdout).toContain("+import { McpServer, CallToolResult } from '@modelcontextprotocol/server';");
    expect(r.stdout).toContain("+import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';");
    // The copy's own modules are the SDK, not code to migrate.
    expect(r.stdout).not.toContain('--- a/src/server/mcp.ts');
    expect(r.stdout).not.toContain('--- a/src/server/index.ts');
    expect(r.stdout).toMatch(/^skipped src\/server\/index\.ts: vendored-sdk$/m);
    // Modules beside the copy that the SDK never published (its examples, support modules) are the project's code.
    expect(r.stdout).not.toMatch(/removed-symbol|mcp-tracing\.js';\n-|helpers\.js';\n-/);
    expect(r.stdout).not.toMatch(/^[-+].*(?:mcp-tracing|helpers)\.js/m);
  });

  it("check leaves a vendored copy's own modules out (named once) but checks the code that uses it", () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'sdk-copy', type: 'module' }),
      'src/types.ts': SDK_TYPES,
      'src/server/index.ts':
        "// method: 'notifications/elicitation/complete' (see @modelcontextprotocol/sdk)\nexport class Server {}\n",
      'src/examples/server/ping.ts': [
        "import { McpServer } from '@modelcontextprotocol/server';",
        "export const s = new McpServer({ name: 'p', version: '1' });",
        "s.server.setRequestHandler('notifications/elicitation/complete' as never, () => ({}));",
        ''
      ].join('\n')
    });
    const r = runCli(['check', '--format', 'json', '.'], dir);
    const report = JSON.parse(r.stdout);
    const files = new Set(report.findings.map((f: { file: string }) => f.file));
    expect(files).toEqual(new Set(['src/examples/server/ping.ts']));
    expect(report.vendoredSdk).toEqual([{ root: 'src', files: 2 }]);
    expect(runCli(['check', '.'], dir).stdout).toMatch(
      /src: a vendored copy of the v1 SDK \(2 file\(s\)\) was not checked/
    );
  });

  it("never touches a project's own module whose path looks like the SDK's (the official servers' layout)", () => {
    const dir = tree({
      'package.json': JSON.stringify({
        name: 'everything',
        type: 'module',
        dependencies: { '@modelcontextprotocol/sdk': '^1.29.0' }
      }),
      'src/server/index.ts': [
        "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
        '',
        'export const createServer = () => {',
        "  const server = new McpServer({ name: 'everything', version: '1.0.0' });",
        '  return { server, cleanup: () => {} };',
        '};',
        ''
      ].join('\n'),
      'src/types.ts': 'export type Options = { verbose: boolean };\n',
      'src/transports/stdio.ts': [
        "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
        "import { createServer } from '../server/index.js';",
        "import type { Options } from '../types.js';",
        '',
        'export async function run(_options: Options) {',
        '  const { server } = createServer();',
        '  await server.connect(new StdioServerTransport());',
        '}',
        ''
      ].join('\n')
    });
    const r = runCli(['--dry-run', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^[-+]import \{ createServer \}/m);
    expect(r.stdout).not.toMatch(/^[-+]import type \{ Options \}/m);
    expect(r.stdout).toContain("+import { McpServer } from '@modelcontextprotocol/server';");
  });
});

describe('surface: size', () => {
  it('migrates a 400-tool file with constant names in one pass, every registration converted', async () => {
    const lines = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { z } from 'zod';",
      '',
      `export const TOOL_NAMES = { ${Array.from({ length: 400 }, (_, i) => `t${i}: 'tool_${i}'`).join(', ')} } as const;`,
      "export const server = new McpServer({ name: 'big', version: '1.0.0' });",
      ...Array.from(
        { length: 400 },
        (_, i) =>
          `server.tool(TOOL_NAMES.t${i}, 'Tool ${i}', { q: z.string(), n: z.number().optional() }, ` +
          `async ({ q, n }, extra) => ({ content: [{ type: 'text', text: \`\${q}\${n ?? ${i}}\${extra.requestId}\` }] }));`
      ),
      ''
    ];
    const r = await migrateText('big.ts', lines.join('\n'), { transforms: ['surface'] });
    const out = r.output!;
    expect(
      out.match(/\.registerTool\(TOOL_NAMES\.t\d+, \{ description: 'Tool \d+', inputSchema: z\.object\(/g)
    ).toHaveLength(400);
    expect(out.match(/ctx\.mcpReq\.id/g)).toHaveLength(400);
    expect(out).not.toMatch(/\.tool\(|extra\b|TODO/);
  });
});
