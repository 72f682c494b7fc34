/**
 * A server handed to a method of a transport object (`provider.connect(server)`, the provider picked behind an
 * interface): the method of every implementation takes a factory, the interface declares it, and the callers hand
 * one, or none of them changes. fixtures/servers/transport-providers-behind-an-interface is served end to end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRunProject } from './helpers/project.js';

const FIXTURE = path.join(import.meta.dirname, '../fixtures/servers/transport-providers-behind-an-interface/src');
const fixture = Object.fromEntries(
  [
    'transports/types.ts',
    'transports/http.ts',
    'transports/stdio.ts',
    'transports/index.ts',
    'server.ts',
    'index.ts'
  ].map(f => [`src/${f}`, fs.readFileSync(path.join(FIXTURE, f), 'utf8')])
);

describe('a server handed to a method of a transport object', () => {
  it('becomes a factory the interface, every implementation and the caller agree on', async () => {
    const { out } = await dryRunProject(fixture);
    expect(out('src/transports/types.ts')).toContain('connect(createServer: () => Server): Promise<void>;');
    const http = out('src/transports/http.ts');
    // Method to method: the public method, the route set-up it hands the server to, and the route's own method.
    expect(http).toContain('async connect(createServer: () => Server): Promise<void> {');
    expect(http).toContain('private setupRoutes(createServer: () => Server): void {');
    expect(http).toContain('createMcpHandler(() => createServer())');
    expect(http).toContain('this.app.all("/mcp"');
    // The GET and DELETE routes handed their requests to a session method: the routes and the method go.
    expect(http).not.toMatch(/handleSessionRequest|app\.(get|delete)\(|mcp-session-id|TODO\(/);
    expect(out('src/transports/stdio.ts')).toContain('serveStdio(() => createServer(), {');
    expect(out('src/server.ts')).toContain('await transportProvider.connect(() => createServer());');
  });

  it('tells the interface from another whose name begins with its own, declared in another module', async () => {
    const options = 'export interface TransportProviderOptions {\n  port: number;\n}\n';
    const { out } = await dryRunProject({ ...fixture, 'src/options.ts': options });
    expect(out('src/transports/types.ts')).toContain('connect(createServer: () => Server): Promise<void>;');
  });

  it('is not planned when one implementation uses the server for more than connecting it', async () => {
    const stdio = fixture['src/transports/stdio.ts']!.replace(
      'await server.connect(this.transport);',
      'await server.connect(this.transport);\n    console.error("serving", server.getClientVersion());'
    );
    const { out } = await dryRunProject({ ...fixture, 'src/transports/stdio.ts': stdio });
    expect(out('src/transports/types.ts')).toContain('connect(server: Server): Promise<void>;');
    expect(out('src/server.ts')).toContain('await transportProvider.connect(server);');
    expect(out('src/transports/http.ts')).toContain('TODO(mcp-migrate/stateless-entry/http-factory)');
  });

  it('is not planned when a caller hands the method something no factory can build again', async () => {
    const server = fixture['src/server.ts']!.replace(
      'await transportProvider.connect(server);',
      'await transportProvider.connect(server);\n  setInterval(() => console.error(server.getClientVersion()), 60_000);'
    );
    const { out } = await dryRunProject({ ...fixture, 'src/server.ts': server });
    expect(out('src/transports/types.ts')).toContain('connect(server: Server): Promise<void>;');
    expect(out('src/transports/http.ts')).toContain('async connect(server: Server): Promise<void> {');
  });

  it('is not planned when an object typed as the interface or a subclass stands in for a provider', async () => {
    const fake = `import type { TransportProvider } from "./transports/types.js";

export const fakeProvider: TransportProvider = { connect: async server => void server.getClientVersion(), close: async () => {} };
`;
    const subclass = `import { HttpTransportProvider } from "./transports/http.js";

export class LoggedProvider extends HttpTransportProvider {}
`;
    const standIns: Record<string, string>[] = [{ 'src/fake.ts': fake }, { 'src/logged.ts': subclass }];
    for (const extra of standIns) {
      const { out } = await dryRunProject({ ...fixture, ...extra });
      expect(out('src/transports/types.ts')).toContain('connect(server: Server): Promise<void>;');
      expect(out('src/server.ts')).toContain('await transportProvider.connect(server);');
    }
  });

  it('follows a receiver built by a function declared to return the interface', async () => {
    const server = fixture['src/server.ts']!.replace(
      'export async function startServer(transportProvider: TransportProvider): Promise<void> {',
      'export async function startServer(kind: string): Promise<void> {\n  const transportProvider = createTransportProvider(kind, 3000);'
    ).replace(
      'import { TransportProvider } from "./transports/types.js";',
      'import { createTransportProvider } from "./transports/index.js";'
    );
    const index =
      'import { startServer } from "./server.js";\n\nawait startServer(process.env.TRANSPORT ?? "stdio");\n';
    const { out } = await dryRunProject({ ...fixture, 'src/server.ts': server, 'src/index.ts': index });
    expect(out('src/server.ts')).toContain('const transportProvider = createTransportProvider(kind, 3000);');
    expect(out('src/server.ts')).toContain('await transportProvider.connect(() => createServer());');
    expect(out('src/transports/types.ts')).toContain('connect(createServer: () => Server): Promise<void>;');
  });

  it('plans a class without an interface, called on a variable it built', async () => {
    const index = `import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { HttpTransportProvider } from "./transports/http.js";

const server = new Server({ name: "direct", version: "1.0.0" }, { capabilities: { tools: {} } });
const provider = new HttpTransportProvider(3000);
await provider.connect(server);
`;
    const http = fixture['src/transports/http.ts']!.replace(' implements TransportProvider', '');
    const { out } = await dryRunProject({ 'src/transports/http.ts': http, 'src/index.ts': index });
    expect(out('src/transports/http.ts')).toContain('async connect(createServer: () => Server): Promise<void> {');
    expect(out('src/index.ts')).toMatch(/await provider\.connect\(\(\) => \w+\(\)\);/);
  });

  describe('compiled to JavaScript (no interface, no parameter types)', () => {
    const JS = path.join(import.meta.dirname, '../fixtures/servers/transport-providers-compiled-to-javascript/src');
    const compiled = Object.fromEntries(
      ['transports/http.js', 'transports/stdio.js', 'transports/index.js', 'server.js', 'index.js'].map(f => [
        `build/${f}`,
        fs.readFileSync(path.join(JS, f), 'utf8')
      ])
    );

    it('the classes serving one method alike, and a parameter every caller hands one, take the factory', async () => {
      const { out } = await dryRunProject(compiled);
      expect(out('build/server.js')).toContain('await transportProvider.connect(() => createServer());');
      const http = out('build/transports/http.js');
      expect(http).toContain('async connect(createServer) {');
      expect(http).toContain('createMcpHandler(() => createServer())');
      // Its session and SSE helpers, which no other code names, go with the routes that called them.
      expect(http).not.toMatch(/handleSessionRequest|handleSse|SSEServerTransport|mcp-session-id|TODO\(/);
      expect(out('build/transports/stdio.js')).toContain('serveStdio(() => createServer(), {');
    });

    it('keeps a helper method another module names', async () => {
      const probe = 'export const probe = (p) => p.handleSessionRequest;\n';
      const { out } = await dryRunProject({ ...compiled, 'build/probe.js': probe });
      expect(out('build/transports/http.js')).toContain('async handleSessionRequest(req, res) {');
    });

    it('is planned beside another package of the run that has a method and a function by the same names', async () => {
      // A monorepo: the providers' package, and an unrelated one whose own `startServer(mode)` takes no provider and
      // whose own `handleSessionRequest` and `Database.connect(url)` are no provider's.
      const other = {
        'other/package.json': '{ "name": "other", "type": "module" }',
        'other/index.js':
          'export class Database {\n    async connect(url) {\n        this.url = url;\n    }\n}\n' +
          'const handleSessionRequest = async (req, res) => res.end();\n' +
          'export async function startServer(mode) {\n    return { mode, handleSessionRequest };\n}\n' +
          "await startServer('http');\n"
      };
      const { out } = await dryRunProject({ 'build/package.json': '{ "type": "module" }', ...compiled, ...other });
      expect(out('build/server.js')).toContain('await transportProvider.connect(() => createServer());');
      expect(out('build/transports/http.js')).not.toContain('handleSessionRequest');
    });

    it('is not planned when another class of the run has the method too (a receiver could be either)', async () => {
      const db = 'export class Database {\n    async connect(url) {\n        this.url = url;\n    }\n}\n';
      const { out } = await dryRunProject({ ...compiled, 'build/db.js': db });
      expect(out('build/server.js')).toContain('await transportProvider.connect(server);');
    });

    it('is not planned when a caller hands the function something not known to be a provider', async () => {
      const index = compiled['build/index.js']!.replace(
        'await startServer(transportProvider);',
        'await startServer(globalThis.customProvider ?? transportProvider);'
      );
      const { out } = await dryRunProject({ ...compiled, 'build/index.js': index });
      expect(out('build/server.js')).toContain('await transportProvider.connect(server);');
    });
  });
});
