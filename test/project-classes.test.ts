/**
 * `const server = new DocsServer(ctx); await server.connect(transport)` where DocsServer is a class of the project that
 * holds an McpServer and extends nothing: createMcpHandler(() => new DocsServer(ctx)) would hand the SDK an object
 * that is no server, and every request would fail. Whether the class extends an SDK server is read from its module
 * (ES import or CommonJS require); a class that extends one is served as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMigration } from '../src/migrate.js';
import { scratch } from './helpers/cli.js';
import { dryRunProject } from './helpers/project.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach(c => c()));

const WRAPPER = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';",
  '',
  'export class DocsServer {',
  '  private server: McpServer;',
  '  constructor(private tenant: string) {',
  "    this.server = new McpServer({ name: 'docs', version: '1.0.0' });",
  '  }',
  '  async connect(transport: Transport): Promise<void> {',
  '    await this.server.connect(transport);',
  '  }',
  '}',
  ''
].join('\n');

const SUBCLASS = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  '',
  'export class DocsServer extends McpServer {',
  '  constructor(tenant: string) {',
  "    super({ name: `docs-${tenant}`, version: '1.0.0' });",
  '  }',
  '}',
  ''
].join('\n');

const ENTRY = [
  "import express from 'express';",
  "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';",
  "import { DocsServer } from './docs-server.js';",
  '',
  'const app = express();',
  'app.use(express.json());',
  "app.post('/mcp', async (req, res) => {",
  '  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });',
  "  const server = new DocsServer(String(req.query.tenant ?? 'main'));",
  '  await server.connect(transport);',
  '  await transport.handleRequest(req, res, req.body);',
  '});',
  'app.listen(3000);',
  ''
].join('\n');

/** The CommonJS build of the same entry, as tsc writes it. */
const ENTRY_CJS = [
  "'use strict';",
  "const express = require('express');",
  "const streamableHttp_js_1 = require('@modelcontextprotocol/sdk/server/streamableHttp.js');",
  "const docs_server_1 = require('./docs-server');",
  'const app = express();',
  'app.use(express.json());',
  "app.post('/mcp', async (req, res) => {",
  '  const transport = new streamableHttp_js_1.StreamableHTTPServerTransport({ sessionIdGenerator: undefined });',
  "  const server = new docs_server_1.DocsServer(String(req.query.tenant ?? 'main'));",
  '  await server.connect(transport);',
  '  await transport.handleRequest(req, res, req.body);',
  '});',
  'app.listen(3000);',
  ''
].join('\n');

async function migrated(server: string, entry: string, ext: 'ts' | 'js'): Promise<string> {
  const { dir, cleanup } = scratch();
  cleanups.push(cleanup);
  const type = ext === 'ts' ? 'module' : 'commonjs';
  const deps = { '@modelcontextprotocol/sdk': '^1.25.0', express: '^5.0.0' };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', type, dependencies: deps }));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, `src/docs-server.${ext}`), server);
  fs.writeFileSync(path.join(dir, `src/http.${ext}`), entry);
  const report = await runMigration({ paths: [dir], dryRun: true, force: true, jobs: 1, ignore: [] });
  return report.files.find(f => f.file.endsWith(`http.${ext}`))!.output!;
}

describe('a project class connected like a server', () => {
  it('is not served when it extends nothing: the connect stays, marked with what to serve instead', async () => {
    const out = await migrated(WRAPPER, ENTRY, 'ts');
    expect(out).not.toMatch(/createMcpHandler\(/);
    expect(out).toMatch(
      /TODO\(mcp-migrate\/stateless-entry\/http-factory\): server is a `DocsServer` \(from `\.\/docs-server\.js`\), which extends no MCP server[^\n]*\n\s*await server\.connect\(transport\);/
    );
  });

  it('is not served from CommonJS output either (`new docs_server_1.DocsServer(…)`)', async () => {
    const out = await migrated(WRAPPER, ENTRY_CJS, 'js');
    expect(out).not.toMatch(/createMcpHandler\(/);
    expect(out).toContain('which extends no MCP server');
  });

  it('is served per request when it extends McpServer', async () => {
    const out = await migrated(SUBCLASS, ENTRY, 'ts');
    expect(out).toMatch(
      /createMcpHandler\(\(\) => \{\s*const server = new DocsServer\(String\(req\.query\.tenant \?\? 'main'\)\);/
    );
    expect(out).not.toContain('extends no MCP server');
  });
});

describe("a host serving what its service's method builds", () => {
  const service = (body: string) =>
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n\n" +
    `export class NotesService {\n  createServer() {\n${body}\n  }\n}\n`;
  // JavaScript: the field is known only from what the constructor assigns it.
  const host =
    "import express from 'express';\n" +
    "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\n" +
    "import { NotesService } from './notes-service.js';\n\n" +
    'export class Host {\n' +
    '  constructor() {\n' +
    '    this.service = new NotesService();\n' +
    '  }\n' +
    '  start() {\n' +
    '    const app = express();\n' +
    '    app.use(express.json());\n' +
    "    app.post('/mcp', async (req, res) => {\n" +
    '      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n' +
    '      await this.service.createServer().connect(transport);\n' +
    '      await transport.handleRequest(req, res, req.body);\n' +
    '    });\n' +
    '    app.listen(3000);\n' +
    '  }\n' +
    '}\n';

  it('serves it per request when the constructor builds the service and its method builds anew', async () => {
    const { out } = await dryRunProject({
      'src/notes-service.js': service("    return new McpServer({ name: 'notes', version: '1.0.0' });"),
      'src/host.js': host
    });
    expect(out('src/host.js')).toContain('createMcpHandler(() => this.service.createServer())');
    expect(out('src/host.js')).not.toContain('.connect(');
  });

  it('keeps the route, marked, when the method hands out a server it keeps', async () => {
    const { out } = await dryRunProject({
      'src/notes-service.js': service(
        "    this.kept ??= new McpServer({ name: 'notes', version: '1.0.0' });\n    return this.kept;"
      ),
      'src/host.js': host
    });
    expect(out('src/host.js')).toContain('await this.service.createServer().connect(transport);');
    expect(out('src/host.js')).toContain('may hand out the one server that object holds');
  });
});
