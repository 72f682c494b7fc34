/**
 * A server handed to a serving helper in another module (stateless-entry's cross-file change, planned over the run):
 * both files change together or neither does. The helper takes a factory only when every caller in the run passes
 * one; a caller that cannot (its server is used in a way a factory cannot repeat, or it is not migrated at all)
 * leaves the helper's signature as it was, marked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRunProject } from './helpers/project.js';

const HELPER = `import express from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export function startHttp(server: McpServer, port: number) {
  const app = express();
  app.use(express.json());
  app.post('/mcp', async (req, res) => {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.listen(port);
}
`;

const caller = (extra = '') => `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { startHttp } from './http.js';

const server = new McpServer({ name: 'handed', version: '1.0.0' });
server.registerTool('ping', { description: 'pong' }, async () => ({ content: [{ type: 'text', text: 'pong' }] }));
${extra}
startHttp(server, 3000);
`;

const migrate = dryRunProject;

describe('a server handed to a serving helper in another module', () => {
  it('becomes a factory both sides agree on: the helper takes it, the caller passes it', async () => {
    const { out } = await migrate({ 'src/http.ts': HELPER, 'src/index.ts': caller() });
    expect(out('src/http.ts')).toContain('export function startHttp(createServer: () => McpServer, port: number)');
    expect(out('src/http.ts')).toContain('createMcpHandler(() => createServer())');
    expect(out('src/http.ts')).not.toContain('.connect(');
    expect(out('src/index.ts')).toContain('startHttp(() => createServer(), 3000);');
    expect(out('src/index.ts')).toMatch(/function createServer\(\) \{\n {2}const server = new McpServer/);
  });

  it('hands a factory to a host class another module constructs with the server, or to neither side', async () => {
    const host = (beyond = '') => `import express from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export class HttpHost {
  constructor(private readonly server: McpServer, private readonly port: number) {}

  start() {
    const app = express();
    app.use(express.json());
    app.post('/mcp', async (req, res) => {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await this.server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    });${beyond}
    app.listen(this.port);
  }
}
`;
    const index = caller()
      .replace("import { startHttp } from './http.js';", "import { HttpHost } from './http.js';")
      .replace('startHttp(server, 3000);', 'new HttpHost(server, 3000).start();');
    const { out, report } = await migrate({ 'src/http.ts': host(), 'src/index.ts': index });
    expect(out('src/http.ts')).toContain('constructor(private readonly createServer: () => McpServer');
    expect(out('src/http.ts')).toContain('createMcpHandler(() => this.createServer())');
    expect(out('src/http.ts')).not.toContain('.connect(');
    expect(out('src/index.ts')).toContain('new HttpHost(() => createServer(), 3000).start();');
    for (const f of report.files) expect(f.honoured?.length ?? 0, f.file).toBeGreaterThan(0);
    // A class that announces list changes on its one server keeps it: the caller keeps handing that instance.
    const announcing = host(
      "\n    app.post('/reload', (_req, res) => {\n      this.server.sendToolListChanged();\n      res.end();\n    });"
    );
    const kept = await migrate({ 'src/http.ts': announcing, 'src/index.ts': index });
    expect(kept.out('src/http.ts')).toContain('await this.server.connect(transport);');
    expect(kept.out('src/http.ts')).toContain('TODO(mcp-migrate/stateless-entry/http-factory)');
    expect(kept.out('src/index.ts')).toContain('new HttpHost(server, 3000).start();');
  });

  it("drops the one server's close at shutdown, registered per signal in a loop, and nothing else", async () => {
    const shutdown =
      "['SIGINT', 'SIGTERM'].forEach(signal => {\n  process.on(signal, async () => {\n    console.error(`${signal}: bye`);\n" +
      '    await server.close();\n    process.exit(0);\n  });\n});';
    const { out } = await migrate({ 'src/http.ts': HELPER, 'src/index.ts': caller(shutdown) });
    expect(out('src/index.ts')).toContain('startHttp(() => createServer(), 3000);');
    expect(out('src/index.ts')).not.toContain('server.close()');
    expect(out('src/index.ts')).toContain('console.error(`${signal}: bye`);\n    process.exit(0);');
  });

  it('passes the factory through a relay that hands its server on and serves it over stdio itself', async () => {
    const relay = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { startHttp } from './http.js';

export async function startTransport(server: McpServer, mode?: string) {
  switch (mode) {
    case 'http':
      startHttp(server, 3000);
      break;
    default: {
      const transport = new StdioServerTransport();
      await server.connect(transport);
    }
  }
}
`;
    const index = caller()
      .replace("import { startHttp } from './http.js';", "import { startTransport } from './transports.js';")
      .replace('startHttp(server, 3000);', 'await startTransport(server, process.env.MODE);');
    const { out, report } = await migrate({ 'src/http.ts': HELPER, 'src/transports.ts': relay, 'src/index.ts': index });
    expect(out('src/http.ts')).toContain('export function startHttp(createServer: () => McpServer, port: number)');
    const transports = out('src/transports.ts');
    expect(transports).toContain('export async function startTransport(createServer: () => McpServer, mode?: string)');
    expect(transports).toContain('startHttp(createServer, 3000);');
    expect(transports).toMatch(/serveStdio\((?:createServer|\(\) => createServer\(\))\)/);
    expect(transports).not.toContain('.connect(');
    expect(out('src/index.ts')).toContain('await startTransport(() => createServer(), process.env.MODE);');
    for (const f of report.files) expect(f.honoured?.length ?? 0, f.file).toBeGreaterThan(0);
  });

  it('hands the factory to a stdio helper the caller also hands its server to, and serves it per connection', async () => {
    const stdio = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

export const startStdio = async (server: McpServer) => {
  const transport = new StdioServerTransport();
  await server.connect(transport);
};
`;
    const index = caller()
      .replace(
        "import { startHttp } from './http.js';",
        "import { startHttp } from './http.js';\nimport { startStdio } from './stdio.js';"
      )
      .replace(
        'startHttp(server, 3000);',
        'if (process.env.REMOTE) startHttp(server, 3000);\nelse await startStdio(server);'
      );
    const { out, report } = await migrate({ 'src/http.ts': HELPER, 'src/stdio.ts': stdio, 'src/index.ts': index });
    expect(out('src/index.ts')).toContain('startHttp(() => createServer(), 3000);');
    expect(out('src/index.ts')).toContain('await startStdio(() => createServer());');
    expect(out('src/stdio.ts')).toContain('export const startStdio = async (createServer: () => McpServer) => {');
    expect(out('src/stdio.ts')).toMatch(/serveStdio\((?:createServer|\(\) => createServer\(\))\)/);
    for (const f of report.files) expect(f.honoured?.length ?? 0, f.file).toBeGreaterThan(0);
  });

  it('leaves a server handed to a stdio helper alone an instance (no HTTP helper needs a factory)', async () => {
    const stdio = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

export async function startStdio(server: McpServer) {
  await server.connect(new StdioServerTransport());
}
`;
    const index = caller()
      .replace("import { startHttp } from './http.js';", "import { startStdio } from './stdio.js';")
      .replace('startHttp(server, 3000);', 'await startStdio(server);');
    const { out } = await migrate({ 'src/stdio.ts': stdio, 'src/index.ts': index });
    expect(out('src/index.ts')).toContain('await startStdio(server);');
    expect(out('src/index.ts')).not.toContain('function createServer()');
    expect(out('src/stdio.ts')).toContain('export async function startStdio(server: McpServer)');
    expect(out('src/stdio.ts')).toContain('serveStdio(() => server)');
  });

  it('follows barrels between the helper and its callers: `export *` and a renaming `export { … as … }`', async () => {
    const barrel = "export * from './http.js';\nexport { startStdio } from './stdio.js';\n";
    const outer = "export { startHttp as serveOverHttp } from './transports/index.js';\n";
    const index = caller()
      .replace("import { startHttp } from './http.js';", "import { serveOverHttp } from './outer.js';")
      .replace('startHttp(server, 3000);', 'function run() {\n  serveOverHttp(server, 3000);\n}\nrun();');
    const { out, report } = await migrate({
      'src/transports/http.ts': HELPER,
      'src/transports/stdio.ts': 'export function startStdio() {}\n',
      'src/transports/index.ts': barrel,
      'src/outer.ts': outer,
      'src/index.ts': index
    });
    expect(out('src/transports/http.ts')).toContain(
      'export function startHttp(createServer: () => McpServer, port: number)'
    );
    expect(out('src/transports/http.ts')).toContain('createMcpHandler(() => createServer())');
    expect(out('src/index.ts')).toContain('serveOverHttp(() => createServer(), 3000);');
    // The barrels call nothing and keep exporting the same names.
    expect(out('src/transports/index.ts')).toBe(barrel);
    expect(out('src/outer.ts')).toBe(outer);
    for (const f of ['src/transports/http.ts', 'src/index.ts'])
      expect(report.files.find(r => r.file.endsWith(f))!.honoured?.length ?? 0, f).toBeGreaterThan(0);
  });

  it('is not planned when a barrel is imported as a namespace', async () => {
    const index = caller()
      .replace("import { startHttp } from './http.js';", "import * as transports from './transports/index.js';")
      .replace('startHttp(server, 3000);', 'transports.startHttp(server, 3000);');
    const { out } = await migrate({
      'src/transports/http.ts': HELPER,
      'src/transports/index.ts': "export * from './http.js';\n",
      'src/index.ts': index
    });
    expect(out('src/transports/http.ts')).toContain('export function startHttp(server: McpServer, port: number)');
    expect(out('src/index.ts')).toContain('transports.startHttp(server, 3000);');
  });

  it('passes on a builder with the setup a relay does before handing its server on', async () => {
    const relay = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { startHttp } from './http.js';

export async function startTransport(server: McpServer, mode?: string) {
  server.registerTool('mode', { description: 'transport in use' }, async () => ({ content: [{ type: 'text', text: String(mode) }] }));
  if (mode === 'http') startHttp(server, 3000);
  else await server.connect(new StdioServerTransport());
}
`;
    const index = caller()
      .replace("import { startHttp } from './http.js';", "import { startTransport } from './transports.js';")
      .replace('startHttp(server, 3000);', 'await startTransport(server, process.env.MODE);');
    const { out } = await migrate({ 'src/http.ts': HELPER, 'src/transports.ts': relay, 'src/index.ts': index });
    const transports = out('src/transports.ts');
    // The HTTP helper's servers get the relay's tool too, as the one v1 instance had it.
    expect(transports).toContain('startHttp(buildServer, 3000);');
    expect(transports).toMatch(
      /const buildServer = \(\) => \{\n\s+const server = createServer\(\);\n\s+server\.registerTool\('mode'/
    );
    // The connect in a brace-less `else` is served there (the branch becomes a block).
    expect(transports).toMatch(/else \{\n\s+serveStdio\(\(\) => buildServer\(\)\);\n\s+\}/);
  });

  it("hands a class's server on as a factory method, and drops the session routes on the configured path", async () => {
    // fixtures/servers/http-helper-reached-through-a-relay, which the e2e suite serves: here what the rewrite wrote.
    const src = path.join(import.meta.dirname, '../fixtures/servers/http-helper-reached-through-a-relay/src');
    const files = Object.fromEntries(
      ['http.ts', 'transports.ts', 'index.ts'].map(f => [`src/${f}`, fs.readFileSync(path.join(src, f), 'utf8')])
    );
    const { out } = await migrate(files);
    expect(out('src/index.ts')).toContain('await startTransport(() => this.createServer(), http);');
    expect(out('src/index.ts')).toMatch(/private createServer\(\): Server \{\n {4}const server = new Server/);
    const http = out('src/http.ts');
    expect(http).toContain('app.all(config.path, async (req: Request, res: Response) => {');
    expect(http).not.toMatch(/handleSessionRequest|app\.(get|delete)\(|TODO\(|GET and DELETE/);
    expect(out('src/transports.ts')).toContain('await startHttp(createServer, http);');
  });

  it('leaves both as they were when the caller cannot build a fresh server per request', async () => {
    // The timer reads the one instance: a factory cannot repeat that, so the caller keeps its server...
    const { out, report } = await migrate({
      'src/http.ts': HELPER,
      'src/index.ts': caller("setInterval(() => console.error('connected:', server.isConnected()), 60_000);")
    });
    expect(out('src/index.ts')).toContain('startHttp(server, 3000);');
    // ...and the helper keeps taking one instance, marked, instead of expecting a factory nobody passes.
    expect(out('src/http.ts')).toContain('export function startHttp(server: McpServer, port: number)');
    expect(out('src/http.ts')).toContain('TODO(mcp-migrate/stateless-entry/http-factory)');
    const http = report.files.find(f => f.file.endsWith('http.ts'))!;
    expect(http.honoured ?? []).toEqual([]);
  });

  it('serves one transport connected once in the helper through the handler, declared before its route and awaited in it', async () => {
    const shared = `import express from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export function startHttp(server: McpServer, port: number) {
  const app = express();
  app.use(express.json());
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  server.connect(transport);
  app.all('/mcp', async (req, res) => {
    try {
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      if (!res.headersSent) res.status(500).end(String(error));
    }
  });
  app.listen(port);
}
`;
    const { out } = await migrate({ 'src/http.ts': shared, 'src/index.ts': caller() });
    const http = out('src/http.ts');
    expect(http).toContain('export function startHttp(createServer: () => McpServer, port: number)');
    // Before the route that reads it, not after app.listen; awaited inside the try, so its rejection is caught.
    expect(http.indexOf('const mcpNodeHandler = toNodeHandler(mcpHandler);')).toBeLessThan(
      http.indexOf("app.all('/mcp'")
    );
    expect(http).toContain('      await mcpNodeHandler(req, res, req.body);');
    expect(http).not.toContain('.connect(');
  });

  // TypeScript's ES2015 output of an async helper, as npm packages ship it: defaults move the parameters onto the
  // generator `__awaiter` runs; without defaults they stay on the wrapper.
  const AWAITER =
    'var __awaiter = function (thisArg, _arguments, P, generator) { return new Promise(function (resolve) { ' +
    'resolve(generator.apply(thisArg, _arguments || []).next().value); }); };\n';
  const compiledSse = (
    signature: string,
    generator: string,
    forwarded: string
  ) => `${AWAITER}import express from "express";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
export const startSse = ${signature} => __awaiter(void 0, ${forwarded}, void 0, function* ${generator} {
    const app = express();
    app.use(express.json());
    const transports = {};
    app.get("/sse", (req, res) => __awaiter(void 0, void 0, void 0, function* () {
        const transport = new SSEServerTransport("/messages", res);
        transports[transport.sessionId] = transport;
        transport.onclose = () => delete transports[transport.sessionId];
        yield server.connect(transport);
    }));
    app.post("/messages", (req, res) => __awaiter(void 0, void 0, void 0, function* () {
        const transport = transports[req.query.sessionId];
        if (!transport) return res.status(404).send("Session not found");
        yield transport.handlePostMessage(req, res, req.body);
    }));
    app.listen(port);
});
`;
  const compiledCaller = `${AWAITER}import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { startSse } from "./sse.js";
export function createServer() {
    return new McpServer({ name: "compiled", version: "1.0.0" });
}
export const run = (port) => __awaiter(void 0, void 0, void 0, function* () {
    const server = createServer();
    yield startSse(server, port);
});
`;
  it.each([
    [
      'with defaults (the generator takes the parameters)',
      '(server_1, ...args_1)',
      '(server, port = 3033)',
      '[server_1, ...args_1]',
      'function* (createServer, port = 3033)'
    ],
    ['without defaults (the wrapper keeps them)', '(server, port)', '()', 'void 0', '(createServer, port) => __awaiter']
  ])('follows a compiled async helper %s', async (_, signature, generator, forwarded, takes) => {
    const { out } = await migrate({
      'build/sse.js': compiledSse(signature, generator, forwarded),
      'build/index.js': compiledCaller
    });
    expect(out('build/sse.js')).toContain(takes);
    expect(out('build/sse.js')).toContain('createMcpHandler(() => createServer())');
    expect(out('build/sse.js')).not.toContain('.connect(');
    expect(out('build/sse.js')).not.toMatch(/TODO\(mcp-migrate/);
    expect(out('build/index.js')).toContain('yield startSse(() => createServer(), port);');
  });

  it("is not planned when the helper's own module calls it with an instance", async () => {
    const demo =
      `${HELPER}\nif (process.env.DEMO) startHttp(new McpServer({ name: 'demo', version: '1' }), 4000);\n`.replace(
        "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
        "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';"
      );
    const { out } = await migrate({ 'src/http.ts': demo, 'src/index.ts': caller() });
    // The module's own call would still pass an instance to a parameter that now expects a factory.
    expect(out('src/http.ts')).toContain('export function startHttp(server: McpServer, port: number)');
    expect(out('src/http.ts')).toContain('TODO(mcp-migrate/stateless-entry/http-factory)');
    expect(out('src/index.ts')).toContain('startHttp(server, 3000);');
  });

  it('takes the factory through a relay of the same module that hands its server on', async () => {
    const relayed = `${HELPER}\nexport function startAll(server: McpServer) {\n  startHttp(server, 3000);\n}\n`;
    const { out } = await migrate({
      'src/http.ts': relayed,
      'src/index.ts': caller()
        .replace('startHttp(server, 3000)', 'startAll(server)')
        .replace(/startHttp/g, 'startAll')
    });
    expect(out('src/http.ts')).toContain('export function startHttp(createServer: () => McpServer, port: number)');
    expect(out('src/http.ts')).toMatch(
      /export function startAll\((\w+): \(\) => McpServer\) \{\n {2}startHttp\(\1, 3000\)/
    );
    expect(out('src/http.ts')).toContain('createMcpHandler(() => createServer())');
    expect(out('src/http.ts')).not.toContain('.connect(');
    expect(out('src/index.ts')).toContain('startAll(() => createServer());');
  });

  it('serves a route whose stateless twin a helper of the helper connects, and drops the session GET with its twin', async () => {
    const twinned = `import { randomUUID } from 'node:crypto';
import express from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const stateful = process.env.STATEFUL === '1';

export function buildApp(server: McpServer) {
  const app = express();
  app.use(express.json());
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  async function open(server: McpServer) {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    return transport;
  }
  app.post('/mcp', async (req, res) => {
    if (!stateful) {
      const transport = await open(server);
      await transport.handleRequest(req, res, req.body);
      return;
    }
    const id = req.headers['mcp-session-id'] as string | undefined;
    let transport = id ? sessions.get(id) : undefined;
    if (!transport && isInitializeRequest(req.body)) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: sid => void sessions.set(sid, created)
      });
      await server.connect(created);
      transport = created;
    }
    if (!transport) {
      res.status(400).send('no session');
      return;
    }
    await transport.handleRequest(req, res, req.body);
  });
  app.get('/mcp', async (req, res) => {
    if (!stateful) {
      const transport = await open(server);
      await transport.handleRequest(req, res);
      return;
    }
    const id = req.headers['mcp-session-id'] as string | undefined;
    const transport = id ? sessions.get(id) : undefined;
    if (!transport) {
      res.status(400).send('no session');
      return;
    }
    await transport.handleRequest(req, res);
  });
  return app;
}

export function startHttp(server: McpServer, port: number) {
  buildApp(server).listen(port);
}
`;
    const { out } = await migrate({ 'src/http.ts': twinned, 'src/index.ts': caller() });
    const http = out('src/http.ts');
    expect(http).toContain('export function buildApp(createServer: () => McpServer)');
    expect(http).toContain('createMcpHandler(() => createServer())');
    expect(http).not.toContain('.connect(');
    expect(http).not.toContain('async function open');
    expect(http).not.toContain("app.get('/mcp'");
    expect(http).not.toContain('TODO(mcp-migrate');
    expect(out('src/index.ts')).toContain('startHttp(() => createServer(), 3000);');
  });

  it('is not planned through a relay when the module also calls the helper with an instance of its own', async () => {
    const relayed = `${HELPER}\nexport function relay(server: McpServer) {\n  startHttp(server, 3000);\n}\n`.replace(
      'app.listen(port);\n}',
      'app.listen(port);\n}\nif (process.env.DEMO) startHttp(demo(), 4000);\ndeclare function demo(): McpServer;'
    );
    const { out } = await migrate({
      'src/http.ts': relayed,
      'src/index.ts': caller().replace(/startHttp/g, 'relay')
    });
    expect(out('src/http.ts')).toContain('export function startHttp(server: McpServer, port: number)');
    expect(out('src/index.ts')).toContain('relay(server, 3000);');
  });

  it('is not planned when a caller loads the helper with a dynamic import, which no plan follows', async () => {
    const { out } = await migrate({
      'src/http.ts': HELPER,
      'src/index.ts': caller(),
      'src/http.test.ts':
        `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
        `const { startHttp } = await import('./http.js');\n` +
        `startHttp(new McpServer({ name: 't', version: '1' }), 0);\n`
    });
    expect(out('src/http.ts')).toContain('export function startHttp(server: McpServer, port: number)');
    expect(out('src/index.ts')).toContain('startHttp(server, 3000);');
  });

  it('leaves both as they were when a caller hands in what a method of another object returns (one instance)', async () => {
    const holder =
      `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
      `import { startHttp } from './http.js';\n` +
      `class App {\n  private server = new McpServer({ name: 'app', version: '1' });\n  getServer() {\n    return this.server;\n  }\n}\n` +
      `const app = new App();\nstartHttp(app.getServer(), 3000);\n`;
    const { out } = await migrate({ 'src/http.ts': HELPER, 'src/index.ts': holder });
    expect(out('src/http.ts')).toContain('export function startHttp(server: McpServer, port: number)');
    expect(out('src/index.ts')).toContain('startHttp(app.getServer(), 3000);');
  });

  it('leaves both as they were when a caller without MCP imports hands in the one instance another module exports', async () => {
    const { out } = await migrate({
      'src/http.ts': HELPER,
      'src/server.ts':
        `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
        `export const server = new McpServer({ name: 's', version: '1' });\n`,
      'src/main.ts': `import { startHttp } from './http.js';\nimport { server } from './server.js';\nstartHttp(server, 3000);\n`
    });
    expect(out('src/http.ts')).toContain('export function startHttp(server: McpServer, port: number)');
    expect(out('src/main.ts')).toContain('startHttp(server, 3000);');
  });

  it('hands a factory from a caller without MCP imports that builds its server through its own module', async () => {
    const { out, report } = await migrate({
      'src/http.ts': HELPER,
      'src/server.ts':
        `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
        `export function buildServer() {\n  return new McpServer({ name: 's', version: '1' });\n}\n`,
      'src/main.ts':
        `import { startHttp } from './http.js';\nimport { buildServer } from './server.js';\n` +
        `const server = buildServer();\nstartHttp(server, 3000);\n`
    });
    expect(out('src/http.ts')).toContain('export function startHttp(createServer: () => McpServer, port: number)');
    expect(out('src/main.ts')).toBe(
      `import { startHttp } from './http.js';\nimport { buildServer } from './server.js';\nstartHttp(() => buildServer(), 3000);\n`
    );
    // Rewritten as a file of the plan, not counted among the files that use MCP.
    expect(report.files.find(f => f.file.endsWith('main.ts'))?.changed).toBe(true);
  });

  it('serves the factory a module-level server is built by to every helper the caller hands it to', async () => {
    const stdio =
      `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
      `import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n` +
      `export async function startStdio(server: McpServer) {\n  await server.connect(new StdioServerTransport());\n}\n`;
    const { out } = await migrate({
      'src/http.ts': HELPER,
      'src/stdio.ts': stdio,
      'src/main.ts':
        `import { startHttp } from './http.js';\nimport { startStdio } from './stdio.js';\nimport { buildServer } from './server.js';\n` +
        `const server = buildServer();\nif (process.env.PORT) startHttp(server, 3000);\nelse await startStdio(server);\n`,
      'src/server.ts':
        `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
        `export const buildServer = () => new McpServer({ name: 's', version: '1' });\n`
    });
    expect(out('src/main.ts')).toContain(
      'if (process.env.PORT) startHttp(() => buildServer(), 3000);\nelse await startStdio(() => buildServer());'
    );
    expect(out('src/main.ts')).not.toContain('const server');
    expect(out('src/stdio.ts')).toContain('serveStdio(() => createServer());');
  });

  it('moves what the helper sets up on the server into a local factory over the one it is handed', async () => {
    const helper = HELPER.replace(
      '  const app = express();',
      '  registerExtras(server);\n  server.server.onerror = error => console.error(error);\n  const app = express();'
    ).replace(
      "import express from 'express';",
      "import express from 'express';\nimport { registerExtras } from './extras.js';"
    );
    const { out } = await migrate({ 'src/http.ts': helper, 'src/index.ts': caller() });
    const http = out('src/http.ts');
    expect(http).toMatch(/export function startHttp\(createServer: \(\) => McpServer, port: number\)/);
    expect(http).toMatch(
      /const buildServer = \(\) => \{\s+const server = createServer\(\);\s+registerExtras\(server\);/
    );
    expect(http).toContain('createMcpHandler(() => buildServer())');
    expect(out('src/index.ts')).toContain('startHttp(() => createServer(), 3000);');
  });

  it('is not planned when the helper uses the server for more than connecting it', async () => {
    const { out } = await migrate({
      'src/http.ts': HELPER.replace(
        '  app.listen(port);',
        "  app.get('/name', (_req, res) => void res.send(server.server.getClientVersion()?.name ?? ''));\n  app.listen(port);"
      ),
      'src/index.ts': caller()
    });
    expect(out('src/index.ts')).toContain('startHttp(server, 3000);');
    expect(out('src/http.ts')).toContain('startHttp(server: McpServer');
  });

  it('a route that also reads and notifies through the server it connects builds one per call, which the handler serves', async () => {
    const helper = HELPER.replace(
      '    await server.connect(transport);\n    await transport.handleRequest(req, res, req.body);',
      "    if (process.env.DEBUG) console.error('tools', Object.keys((server as any)._registeredTools ?? {}));\n" +
        '    await server.connect(transport);\n    await transport.handleRequest(req, res, req.body);\n' +
        "    if (req.body?.method === 'initialize') await server.sendToolListChanged();"
    );
    const { out, report, dir } = await migrate({ 'src/http.ts': helper, 'src/index.ts': caller() });
    expect(out('src/index.ts')).toContain('startHttp(() => createServer(), 3000);');
    const http = out('src/http.ts');
    expect(http).toContain('export function startHttp(createServer: () => McpServer, port: number)');
    expect(http).toContain('createMcpHandler(() => createServer())');
    // The debug line reads a server built for it; the announcement goes, said in a NOTE.
    expect(http).toContain("console.error('tools', Object.keys((createServer() as any)._registeredTools ?? {}))");
    expect(http).not.toContain('server.sendToolListChanged');
    expect(http).not.toMatch(/\bserver\.connect\(/);
    const rules = report.files.find(f => f.file === path.join(dir, 'src/http.ts'))!.diagnostics.map(d => d.rule);
    expect(rules).toEqual(expect.arrayContaining(['stateless-entry/list-changed', 'stateless-entry/debug-read']));
    expect(rules.filter(r => !/list-changed|debug-read/.test(r))).toEqual([]);
  });

  it('a route using the server it connects in a way no factory repeats leaves both files as they were', async () => {
    const helper = HELPER.replace(
      '    await transport.handleRequest(req, res, req.body);',
      "    await transport.handleRequest(req, res, req.body);\n    res.setHeader('x-connected', String(server.isConnected()));"
    );
    const { out } = await migrate({ 'src/http.ts': helper, 'src/index.ts': caller() });
    expect(out('src/index.ts')).toContain('startHttp(server, 3000);');
    expect(out('src/http.ts')).toContain('startHttp(server: McpServer');
  });

  it('an instance another module exports and a route connects per request: that module exports a factory the route serves', async () => {
    const provider =
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
      "import { registerNotes } from './notes.js';\n\n" +
      "const mcp = new McpServer({ name: 'notes', version: '1.0.0' });\n" +
      'registerNotes(mcp);\n\n' +
      'export default mcp;\n';
    const route =
      "import express from 'express';\n" +
      "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\n" +
      "import mcp from './mcp.js';\n\n" +
      'const app = express();\napp.use(express.json());\n' +
      "app.post('/mcp', async (req, res) => {\n" +
      '  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n' +
      '  await mcp.connect(transport);\n' +
      '  await transport.handleRequest(req, res, req.body);\n' +
      '});\napp.listen(3000);\n';
    const stdio =
      "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n" +
      "import mcp from './mcp.js';\n\nawait mcp.connect(new StdioServerTransport());\n";
    const { out } = await migrate({ 'src/mcp.ts': provider, 'src/http.ts': route, 'src/stdio.ts': stdio });
    const mcp = out('src/mcp.ts');
    expect(mcp).toMatch(
      /export function createMcpServer\(\) \{\s+const mcp = new McpServer\(\{ name: 'notes', version: '1\.0\.0' \}[^;]*\);\s+registerNotes\(mcp\);\s+return mcp;\s+\}/
    );
    expect(mcp).toContain('const mcp = createMcpServer();');
    expect(mcp).toContain('export default mcp;');
    const http = out('src/http.ts');
    expect(http).toContain("import { createMcpServer } from './mcp.js';");
    expect(http).toContain('createMcpHandler(() => createMcpServer())');
    expect(http).not.toMatch(/\bmcp\.connect|StreamableHTTPServerTransport/);
    // The stdio entry serves the instance the module still exports.
    expect(out('src/stdio.ts')).toContain('serveStdio(() => mcp)');
  });

  it('leaves an exported instance that another module registers its tools on as it is imported: a fresh server would lack them', async () => {
    const provider =
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n\n" +
      "export const server = new McpServer({ name: 'side-effects', version: '1.0.0' });\n";
    const tools =
      "import { server } from '../server.js';\n\n" +
      "server.registerTool('ping', { description: 'pong' }, async () => ({ content: [{ type: 'text', text: 'pong' }] }));\n";
    const route =
      "import express from 'express';\n" +
      "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\n" +
      "import { server } from './server.js';\n" +
      "import './tools/ping.js';\n\n" +
      'const app = express();\napp.use(express.json());\n' +
      "app.post('/mcp', async (req, res) => {\n" +
      '  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n' +
      '  await server.connect(transport);\n' +
      '  await transport.handleRequest(req, res, req.body);\n' +
      '});\napp.listen(3000);\n';
    const { out, report } = await migrate({
      'src/server.ts': provider,
      'src/tools/ping.ts': tools,
      'src/index.ts': route
    });
    expect(out('src/server.ts')).not.toContain('function createServer');
    expect(out('src/index.ts')).toContain('await server.connect(transport);');
    expect(out('src/index.ts')).not.toMatch(/createMcpHandler\(/);
    const marked = report.files.find(f => f.file.endsWith('index.ts'))?.diagnostics ?? [];
    expect(marked.map(d => d.rule)).toContain('stateless-entry/http-factory');
  });

  it('builds the exported instance after the setup, which may read what is declared after the server', async () => {
    const provider =
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
      "import { openStore, registerNotes } from './notes.js';\n\n" +
      "export const mcp = new McpServer({ name: 'notes', version: '1.0.0' });\n" +
      'const store = openStore();\n' +
      'registerNotes(mcp, store);\n';
    const route =
      "import express from 'express';\n" +
      "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\n" +
      "import { mcp } from './mcp.js';\n\n" +
      "const app = express();\napp.post('/mcp', async (req, res) => {\n" +
      '  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n' +
      '  await mcp.connect(transport);\n  await transport.handleRequest(req, res, req.body);\n});\n';
    const { out } = await migrate({ 'src/mcp.ts': provider, 'src/http.ts': route });
    const mcp = out('src/mcp.ts');
    const order = [
      'export function createMcpServer()',
      'const store = openStore();',
      'export const mcp = createMcpServer();'
    ];
    expect(order.map(t => mcp.indexOf(t))).toEqual([...order.map(t => mcp.indexOf(t))].sort((a, b) => a - b));
    expect(order.every(t => mcp.includes(t))).toBe(true);
    expect(out('src/http.ts')).toContain('createMcpHandler(() => createMcpServer())');
  });

  it("follows the project's tsconfig paths to the module that exports the instance (`@/lib/mcp`)", async () => {
    const { out } = await migrate({
      'tsconfig.json':
        '{\n  // aliases as Next.js writes them\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] }, },\n}\n',
      'src/lib/mcp.ts':
        "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
        "export const server = new McpServer({ name: 'aliased', version: '1.0.0' });\n",
      'src/pages/api/mcp.ts':
        "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\n" +
        "import { server } from '@/lib/mcp';\n\n" +
        'export default async function handler(req: any, res: any) {\n' +
        '  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n' +
        '  await server.connect(transport);\n  await transport.handleRequest(req, res, req.body);\n}\n'
    });
    expect(out('src/lib/mcp.ts')).toContain('export function createServer()');
    expect(out('src/pages/api/mcp.ts')).toContain("import { createServer } from '@/lib/mcp';");
    expect(out('src/pages/api/mcp.ts')).toContain('createMcpHandler(() => createServer())');
  });
});

describe('a server instance one module exports and a route connects per request', () => {
  const SERVERS = path.join(import.meta.dirname, '../fixtures/servers/route-serves-an-instance-another-module-exports');
  const files = Object.fromEntries(
    ['package.json', 'src/mcp.ts', 'src/http.ts', 'src/tools.ts'].map(f => [
      f,
      fs.readFileSync(path.join(SERVERS, f), 'utf8')
    ])
  );

  it("is not kept from its factory by a require of the SDK's own `server/mcp.js` (a module sharing its name)", async () => {
    // Another CommonJS module of the run requires the SDK's McpServer module, whose file name is the instance
    // module's: only a require that resolves to the providing module uses the instance.
    const cjs = {
      'legacy/package.json': '{ "name": "legacy" }',
      'legacy/index.js':
        "const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nmodule.exports = { McpServer };\n"
    };
    const { out } = await dryRunProject({ ...files, ...cjs });
    expect(out('src/mcp.ts')).toContain('export function createMcpServer()');
    expect(out('src/http.ts')).toContain('createMcpHandler(() => createMcpServer())');
  });
});
