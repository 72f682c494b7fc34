/**
 * Questions asked below the tool callbacks (a confirmation service, a method of a tool class): push-to-input-required
 * cannot hand them back to a tool, so they are asked in the round of the tool call they run in (elicitInRound …), and
 * the module building the server opens those rounds (askingInRounds). Planned over the run: the server is wrapped
 * only where some question was rewritten, and a question with no server to open its rounds keeps its marker.
 */
import { describe, expect, it } from 'vitest';
import { dryRunProject } from './helpers/project.js';

const PROMPTS = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export class Prompts {
  constructor(private readonly server: McpServer) {}

  async confirm(question: string): Promise<boolean> {
    if (!this.server.server.getClientCapabilities()?.elicitation) return false;
    const answer = await this.server.server.elicitInput({
      message: question,
      requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }
    }, { timeout: 30_000 });
    return answer.action === 'accept' && answer.content?.ok === true;
  }

  summary(text: string) {
    return this.server.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 50 });
  }
}
`;

const TOOLS = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Prompts } from './prompts.js';

export function registerTools(server: McpServer, prompts: Prompts) {
  server.registerTool('wipe', { inputSchema: { table: z.string() } }, async ({ table }) => {
    if (!(await prompts.confirm(\`Wipe \${table}?\`))) return { content: [{ type: 'text', text: 'kept' }] };
    return { content: [{ type: 'text', text: \`wiped \${table}\` }] };
  });
}
`;

const INDEX = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Prompts } from './prompts.js';
import { registerTools } from './tools.js';

const server = new McpServer({ name: 'db', version: '1.0.0' });
registerTools(server, new Prompts(server));
await server.connect(new StdioServerTransport());
`;

/** The package above (a module package), with `prompts` as its prompts module. */
const withPrompts = (prompts: string) =>
  dryRunProject({
    'package.json': '{ "type": "module" }',
    'src/prompts.ts': prompts,
    'src/tools.ts': TOOLS,
    'src/index.ts': INDEX
  });

/** A roots refresh its hook leaves to run, and the tools wait for (chrome-devtools-mcp's shape). */
const ROOTS_REFRESH = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListRootsResultSchema, type Root } from '@modelcontextprotocol/sdk/types.js';

export async function main() {
  const server = new McpServer({ name: 'pages', version: '1.0.0' });
  let lastRoots: Root[] | undefined;
  const updateRoots = async (timeout?: number) => {
    try {
      const roots = await server.server.request({ method: 'roots/list' }, ListRootsResultSchema, timeout === undefined ? undefined : { timeout });
      lastRoots = roots.roots;
    } catch (e) {
      console.error('Failed to list roots', e);
    }
  };
  server.server.oninitialized = () => {
    void updateRoots();
  };
  async function roots(): Promise<Root[]> {
    if (lastRoots === undefined) await updateRoots(5_000);
    return lastRoots ?? [];
  }
  server.registerTool('roots', { description: 'The roots' }, async () => ({
    content: [{ type: 'text', text: (await roots()).map(r => r.uri).join(', ') }]
  }));
  await server.connect(new StdioServerTransport());
}
`;

describe('questions asked below the tool callbacks', () => {
  it('are asked in the tool call round, and the module building the server opens the rounds', async () => {
    const { out, report } = await withPrompts(PROMPTS);
    const prompts = out('src/prompts.ts');
    expect(prompts).toContain('const answer = await elicitInRound({');
    expect(prompts).toContain('return createMessageInRound({ messages:');
    // The check before the question reads the capabilities the tool call brought.
    expect(prompts).toContain('if (!clientCapabilitiesInRound(this.server.server)?.elicitation) return false;');
    expect(prompts).not.toMatch(/elicitInput|\.createMessage\(/);
    // v1's request options stay where the code names them (a round takes and leaves them: nothing waits between rounds),
    // and the server it asked through follows them: public methods of an exported class may be called outside a tool
    // call, where there is no round and they ask as v1 did.
    expect(prompts).toContain('}, { timeout: 30_000 }, this.server.server);');
    expect(prompts).toMatch(
      /return createMessageInRound\(\{ messages: .*maxTokens: 50 \}, undefined, this\.server\.server\);/
    );
    expect(prompts).toContain(
      "import { clientCapabilitiesInRound, createMessageInRound, elicitInRound } from './mcp-input-rounds.js';"
    );
    expect(out('src/index.ts')).toContain(
      "const server = askingInRounds(new McpServer({ name: 'db', version: '1.0.0' }));"
    );
    expect(out('src/index.ts')).toContain("import { askingInRounds } from './mcp-input-rounds.js';");
    expect(out('src/tools.ts')).not.toContain('askingInRounds');
    // Public methods of an exported class: other code may call them outside a tool call, where they ask as v1 did.
    const asks = report.files.flatMap(f => f.diagnostics).filter(d => d.rule.endsWith('/ask-in-round'));
    expect(asks.map(d => `${d.severity}: ${d.message.slice(0, 40)}`).sort()).toEqual([
      'warning: asked in the round of the tool call this',
      'warning: asked in the round of the tool call this',
      'warning: the tools of this server answer in round'
    ]);
    expect(
      asks.filter(d => d.message.startsWith('asked')).every(d => d.message.includes('it asks through the server as v1'))
    ).toBe(true);
  });

  it('ask from a private method of a tool class under a NOTE only: the class says who calls it', async () => {
    const tool = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export class RouteTool {
  constructor(private readonly server: McpServer) {}

  install() {
    this.server.registerTool('route', { inputSchema: { to: z.string() } }, async ({ to }) => this.run(to));
  }

  private async run(to: string) {
    const routes = [\`\${to} by road\`, \`\${to} by rail\`];
    const picked = await this.choose(routes);
    return { content: [{ type: 'text' as const, text: picked ?? routes.join(', ') }] };
  }

  private async choose(routes: string[]): Promise<string | undefined> {
    try {
      const answer = await this.server.server.elicitInput({
        message: 'Which route?',
        requestedSchema: { type: 'object', properties: { route: { type: 'string', enum: routes } }, required: ['route'] }
      });
      return answer.action === 'accept' ? String(answer.content?.route) : undefined;
    } catch {
      return undefined;
    }
  }
}
`;
    const index = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { RouteTool } from './route-tool.js';

const server = new McpServer({ name: 'maps', version: '1.0.0' });
new RouteTool(server).install();
await server.connect(new StdioServerTransport());
`;
    const { out, report } = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/route-tool.ts': tool,
      'src/index.ts': index
    });
    expect(out('src/route-tool.ts')).toContain('const answer = await elicitInRound({');
    expect(out('src/index.ts')).toContain('askingInRounds(new McpServer(');
    expect(report.files.flatMap(f => f.diagnostics).filter(d => d.severity === 'error')).toEqual([]);

    // Also left to run by the tool (a prefetch it does not wait for), the question would replace the tool's result.
    const prefetching = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/route-tool.ts': tool.replace(
        '    const picked = await this.choose(routes);',
        '    void this.choose([`${to} by air`]);\n    const picked = await this.choose(routes);'
      ),
      'src/index.ts': index
    });
    expect(prefetching.out('src/route-tool.ts')).toContain('await this.server.server.elicitInput({');
    expect(prefetching.out('src/route-tool.ts')).toContain('TODO(mcp-migrate/push-to-input-required/manual)');
  });

  it('keep their marker where the package builds no server to open the rounds, and nothing is wrapped', async () => {
    const { out } = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/prompts.ts': PROMPTS,
      'src/tools.ts': TOOLS
    });
    expect(out('src/prompts.ts')).toContain('await this.server.server.elicitInput(');
    expect(out('src/prompts.ts')).toContain('TODO(mcp-migrate/push-to-input-required/manual)');
    expect(out('src/prompts.ts')).not.toContain('InRound');
  });

  it('keep their marker where the same file also asks from a hook, with no tool call behind it', async () => {
    const hooked = PROMPTS.replace(
      'export class Prompts {',
      "export class Prompts {\n  watch() {\n    this.server.server.oninitialized = () => void this.confirm('Hello?');\n  }\n"
    );
    const { out } = await withPrompts(hooked);
    expect(out('src/prompts.ts')).toContain('await this.server.server.elicitInput(');
    expect(out('src/prompts.ts')).not.toContain('elicitInRound');
  });

  it("keep their marker where the same file also asks from another request's handler (resources/subscribe)", async () => {
    const subscribed = PROMPTS.replace(
      'export class Prompts {',
      "export class Prompts {\n  listen() {\n    this.server.server.setRequestHandler('resources/subscribe', async () => {\n" +
        "      await this.confirm('Follow it?');\n      return {};\n    });\n  }\n"
    );
    const { out } = await withPrompts(subscribed);
    expect(out('src/prompts.ts')).toContain('await this.server.server.elicitInput(');
    expect(out('src/prompts.ts')).not.toContain('elicitInRound');
  });

  it('keep their marker where the asking function is handed to a notification handler, to run with no tool call', async () => {
    const roots = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

export function watchRoots(server: McpServer, onRoots: (roots: unknown[]) => void) {
  const refresh = async () => {
    const { roots } = await server.server.listRoots();
    onRoots(roots);
  };
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, refresh);
  return refresh;
}
`;
    const { out } = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/roots.ts': roots,
      'src/index.ts': INDEX.replace(
        "import { Prompts } from './prompts.js';\nimport { registerTools } from './tools.js';\n",
        ''
      ).replace('registerTools(server, new Prompts(server));\n', '')
    });
    expect(out('src/roots.ts')).toContain('await server.server.listRoots()');
    expect(out('src/roots.ts')).not.toContain('listRootsInRound');
    expect(out('src/index.ts')).not.toContain('askingInRounds');
  });

  it('keep their marker where the question is asked by the code that connects the server, at start-up', async () => {
    const session = PROMPTS.replace(
      '  summary(text: string) {',
      '  async open(transport: Transport) {\n    await this.server.connect(transport);\n' +
        '    const { roots } = await this.server.server.listRoots();\n    return roots;\n  }\n\n' +
        // Called by other code of the module too, and waited for: start-up all the same.
        '  async reopen(transport: Transport) {\n    return await this.open(transport);\n  }\n\n  summary(text: string) {'
    ).replace(
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
        "import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';"
    );
    const { out } = await withPrompts(session);
    expect(out('src/prompts.ts')).toContain('await this.server.server.listRoots()');
    expect(out('src/prompts.ts')).toContain('elicitInRound(');
  });

  it('keep their marker where the request is sent and left to run (a nudge that never holds the tool back)', async () => {
    const nudging = PROMPTS.replace(
      '  summary(text: string) {',
      "  nudge() {\n    void this.server.server\n      .elicitInput({ message: 'Sign in?', requestedSchema: { type: 'object', properties: {} } })\n" +
        '      .catch(() => {});\n  }\n\n  summary(text: string) {'
    );
    const { out } = await withPrompts(nudging);
    expect(out('src/prompts.ts')).toContain(".elicitInput({ message: 'Sign in?'");
    expect(out('src/prompts.ts')).toContain('const answer = await elicitInRound({');
  });

  it('leave the server alone when every question could be handed back to its tool', async () => {
    const direct = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const server = new McpServer({ name: 'db', version: '1.0.0' });
server.registerTool('wipe', {}, async () => {
  const answer = await server.server.elicitInput({
    message: 'Wipe?',
    requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }
  });
  return { content: [{ type: 'text', text: answer.action }] };
});
await server.connect(new StdioServerTransport());
`;
    const { out } = await dryRunProject({ 'package.json': '{ "type": "module" }', 'src/index.ts': direct });
    expect(out('src/index.ts')).toContain('inputRequired({ inputRequests:');
    expect(out('src/index.ts')).not.toContain('askingInRounds');
  });

  it("are asked in rounds where handing the tools' context down to an asking helper fails (a caller two levels down)", async () => {
    // The helper plan pairs an exported asking helper with its callers; a caller that is itself a helper of the tool
    // (BrowserStack's createLCAStepsTool) cannot pass a context it does not have, so that plan is dropped, and the
    // question is then asked in the round of the tool call instead of keeping its TODO.
    const credentials = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export async function askCredentials(server: McpServer, user?: string): Promise<string | undefined> {
  if (user) return user;
  const answer = await server.server.elicitInput({
    message: 'Login?',
    requestedSchema: { type: 'object', properties: { user: { type: 'string' } }, required: ['user'] }
  });
  return answer.action === 'accept' ? String(answer.content?.user) : undefined;
}
`;
    const steps = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { askCredentials } from './credentials.js';

export async function createSteps(args: { id: string; user?: string }, server: McpServer) {
  const user = await askCredentials(server, args.user);
  return { content: [{ type: 'text' as const, text: \`steps for \${args.id} as \${user ?? 'nobody'}\` }] };
}

export function registerSteps(server: McpServer) {
  server.registerTool('create_steps', { inputSchema: { id: z.string(), user: z.string().optional() } }, args =>
    createSteps(args, server)
  );
}
`;
    const index = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerSteps } from './steps.js';

const server = new McpServer({ name: 'qa', version: '1.0.0' });
registerSteps(server);
await server.connect(new StdioServerTransport());
`;
    const { out } = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/credentials.ts': credentials,
      'src/steps.ts': steps,
      'src/index.ts': index
    });
    expect(out('src/credentials.ts')).toContain('const answer = await elicitInRound({');
    expect(out('src/credentials.ts')).not.toContain('elicitInput');
    expect(out('src/credentials.ts')).not.toContain('push-to-input-required/manual');
    expect(out('src/index.ts')).toContain(
      "const server = askingInRounds(new McpServer({ name: 'qa', version: '1.0.0' }));"
    );
  });

  it('are asked in rounds in CommonJS too, where the server is built through a compiled module namespace', async () => {
    // The shape TypeScript compiles to (mongodb-mcp-server's dist/cjs): `new mcp_js_1.McpServer(…)`.
    const prompts = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Prompts = void 0;
class Prompts {
    constructor(server) {
        this.server = server;
    }
    async confirm(question) {
        if (!this.server.server.getClientCapabilities()?.elicitation)
            return false;
        const answer = await this.server.server.elicitInput({
            message: question,
            requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] }
        });
        return answer.action === "accept" && answer.content?.ok === true;
    }
}
exports.Prompts = Prompts;
`;
    const index = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const mcp_js_1 = require("@modelcontextprotocol/sdk/server/mcp.js");
const stdio_js_1 = require("@modelcontextprotocol/sdk/server/stdio.js");
const zod_1 = require("zod");
const prompts_js_1 = require("./prompts.js");
const server = new mcp_js_1.McpServer({ name: "db", version: "1.0.0" });
const prompts = new prompts_js_1.Prompts(server);
server.registerTool("wipe", { inputSchema: { table: zod_1.z.string() } }, async ({ table }) => {
    if (!(await prompts.confirm("Wipe " + table + "?")))
        return { content: [{ type: "text", text: "kept" }] };
    return { content: [{ type: "text", text: "wiped " + table }] };
});
server.connect(new stdio_js_1.StdioServerTransport());
`;
    const { out } = await dryRunProject({
      'package.json': '{ "type": "commonjs" }',
      'src/prompts.js': prompts,
      'src/index.js': index
    });
    expect(out('src/prompts.js')).toContain('const answer = await elicitInRound({');
    expect(out('src/prompts.js')).toContain(
      'const { clientCapabilitiesInRound, elicitInRound } = require("./mcp-input-rounds.js");'
    );
    expect(out('src/index.js')).toMatch(/const server = askingInRounds\(new (?:mcp_js_1\.)?McpServer\(\{ name: "db"/);
    expect(out('src/index.js')).toContain('const { askingInRounds } = require("./mcp-input-rounds.js");');
    expect(out('src/mcp-input-rounds.js')).toContain('exports.askingInRounds');
  });

  it("are asked in rounds a server of a package depending on the asking one opens (a monorepo's core and server)", async () => {
    const server = (
      name: string,
      core: boolean
    ) => `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
${core ? "import { Prompts } from '@acme/core';\nimport { registerTools } from './tools.js';\n" : ''}
const server = new McpServer({ name: '${name}', version: '1.0.0' });
${core ? 'registerTools(server, new Prompts(server));\n' : ''}await server.connect(new StdioServerTransport());
`;
    const { out } = await dryRunProject({
      'package.json': '{ "private": true, "workspaces": ["packages/*"] }',
      'packages/core/package.json': '{ "name": "@acme/core", "type": "module" }',
      'packages/core/src/prompts.ts': PROMPTS,
      'packages/server/package.json':
        '{ "name": "@acme/server", "type": "module", "dependencies": { "@acme/core": "workspace:*" } }',
      'packages/server/src/tools.ts': TOOLS.replace("from './prompts.js'", "from '@acme/core'"),
      'packages/server/src/index.ts': server('db', true),
      'packages/other/package.json': '{ "name": "@acme/other", "type": "module" }',
      'packages/other/src/index.ts': server('other', false)
    });
    expect(out('packages/core/src/prompts.ts')).toContain('const answer = await elicitInRound({');
    expect(out('packages/server/src/index.ts')).toContain(
      "const server = askingInRounds(new McpServer({ name: 'db', version: '1.0.0' }));"
    );
    // A package that does not use the asking one keeps its server as it was.
    expect(out('packages/other/src/index.ts')).not.toContain('askingInRounds');
  });

  it('hand along a server kept in a private field, which outside a tool call they ask through as v1 did', async () => {
    const prompts = PROMPTS.replace(
      '  constructor(private readonly server: McpServer) {}',
      '  #server: McpServer;\n\n  constructor(server: McpServer) {\n    this.#server = server;\n  }'
    ).replaceAll('this.server.server', 'this.#server.server');
    const { out, report } = await withPrompts(prompts);
    expect(out('src/prompts.ts')).toContain('}, { timeout: 30_000 }, this.#server.server);');
    const asks = report.files.flatMap(f => f.diagnostics).filter(d => d.rule.endsWith('/ask-in-round'));
    expect(asks.filter(d => d.severity === 'error')).toEqual([]);
  });

  it("drop a URL elicitation's elicitationId (2026-07-28 has none) and keep its mode, which the round reads", async () => {
    const prompts = PROMPTS.replace(
      '  summary(text: string) {',
      `  async signIn(url: string, elicitationId: string) {
    const result = await this.server.server.elicitInput({ mode: 'url', message: 'Sign in', url, elicitationId });
    return result.action === 'accept';
  }

  summary(text: string) {`
    );
    const { out, report } = await withPrompts(prompts);
    expect(out('src/prompts.ts')).toContain(
      "const result = await elicitInRound({ mode: 'url', message: 'Sign in', url });"
    );
    // Without the elicitationId v1's request cannot be sent as it was: outside a tool call it has nothing to ask with.
    const todos = report.files
      .flatMap(f => f.diagnostics)
      .filter(d => d.rule.endsWith('/ask-in-round') && d.severity === 'error');
    expect(todos.map(d => d.message)).toEqual([expect.stringContaining('where there is no round and it throws')]);
  });

  it('ask in rounds from a function tools run and hooks run too, sent on the wire, and as v1 did outside', async () => {
    const index = ROOTS_REFRESH;
    const { out, report } = await dryRunProject({ 'package.json': '{ "type": "module" }', 'src/index.ts': index });
    const text = out('src/index.ts');
    // The options follow the request's parameters, and the server it was sent through follows them.
    expect(text).toContain(
      'const roots = await listRootsInRound(undefined, timeout === undefined ? undefined : { timeout }, server.server);'
    );
    expect(text).not.toContain('ListRootsResultSchema');
    const errors = report.files.flatMap(f => f.diagnostics).filter(d => d.severity === 'error');
    // The hook leaves its question to run on its own: it keeps its marker, the function does not.
    expect(errors.map(d => d.rule)).toEqual(['request-envelope/oninitialized']);
  });

  it('keep their marker where code below the tools also leaves the question to run on its own', async () => {
    const index = ROOTS_REFRESH.replace(
      '    if (lastRoots === undefined) await updateRoots(5_000);',
      '    if (lastRoots === undefined) await updateRoots(5_000);\n    else void updateRoots();'
    );
    const { out, report } = await dryRunProject({ 'package.json': '{ "type": "module" }', 'src/index.ts': index });
    expect(out('src/index.ts')).not.toContain('listRootsInRound');
    const rules = report.files
      .flatMap(f => f.diagnostics)
      .filter(d => d.severity === 'error')
      .map(d => d.rule);
    expect(rules).toContain('push-to-input-required/manual');
  });

  it("open rounds on a server whose class comes through a module of the project re-exporting the SDK's", async () => {
    const barrel = `export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export { ListRootsResultSchema, type Root } from '@modelcontextprotocol/sdk/types.js';
`;
    const index = ROOTS_REFRESH.replace(
      /import \{ McpServer \}[^\n]*\nimport \{ StdioServerTransport \}[^\n]*\nimport \{ ListRootsResultSchema, type Root \}[^\n]*\n/,
      "import { McpServer, StdioServerTransport, ListRootsResultSchema, type Root } from './third_party/index.js';\n"
    );
    expect(index).toContain('./third_party/index.js');
    const { out, report } = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/third_party/index.ts': barrel,
      'src/index.ts': index
    });
    expect(out('src/index.ts')).toContain("askingInRounds(new McpServer({ name: 'pages', version: '1.0.0' }))");
    expect(out('src/index.ts')).toContain('await listRootsInRound(undefined,');
    const errors = report.files.flatMap(f => f.diagnostics).filter(d => d.severity === 'error');
    expect(errors.map(d => d.rule)).toEqual(['request-envelope/oninitialized']);
  });
});
