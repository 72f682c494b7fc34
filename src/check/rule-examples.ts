/**
 * One flagged and one clean example per rule: they are printed on each rule's docs page and the check tests run
 * every rule over both, so the docs cannot drift from what the matcher does.
 */
export const RULE_EXAMPLES: Record<string, { bad: string; good: string }> = {
  'initialize-handshake': {
    bad: `import { isInitializeRequest } from '@modelcontextprotocol/server';\nif (isInitializeRequest(req.body)) startSession();`,
    good:
      `import { createMcpHandler } from '@modelcontextprotocol/server';\nconst handler = createMcpHandler(() => buildServer());\n` +
      `import { AppBridge } from '@modelcontextprotocol/ext-apps/app-bridge';\nconst bridge = new AppBridge(client, host, {});\n` +
      `bridge.oninitialized = () => bridge.sendToolResult(result);`
  },
  'session-id': {
    bad:
      `import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';\n` +
      `const t = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });`,
    good:
      `import { toNodeHandler } from '@modelcontextprotocol/node';\nconst node = toNodeHandler(handler);\n` +
      `it('no longer answers with an Mcp-Session-Id header', () => expect(res.headers.has(name)).toBe(false));\n` +
      `logger.error('request failed', { sessionId: req.headers['mcp-session-id'] });\n` +
      `expect(res.headers.get('mcp-session-id')).toBeNull();\n` +
      `const sid = res.headers.get('mcp-session-id');\nif (sid) headers['mcp-session-id'] = sid;`
  },
  'session-state': {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nconst cart = carts.get(ctx.sessionId!);`,
    good: `import { McpServer } from '@modelcontextprotocol/server';\nconst cart = carts.get(args.cart_id);`
  },
  'session-routes': {
    bad:
      `import express from 'express';\n` +
      `import '@modelcontextprotocol/node';\n` +
      `const transports = {};\n` +
      `app.get('/mcp', (req, res) => transports[req.headers['mcp-session-id']].handleRequest(req, res));`,
    good: `import '@modelcontextprotocol/node';\napp.all('/mcp', (req, res) => void node(req, res, req.body));`
  },
  resumability: {
    bad:
      `import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';\n` +
      `new NodeStreamableHTTPServerTransport({ eventStore: new InMemoryEventStore() });`,
    good:
      `import { createMcpHandler } from '@modelcontextprotocol/server';\n` +
      `const eventStore = openAuditLog();\ncreateMcpHandler(() => buildServer(eventStore));`
  },
  'server-connect-transport': {
    bad: `import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';\nawait server.connect(new StdioServerTransport());`,
    good:
      `import { serveStdio } from '@modelcontextprotocol/server/stdio';\nserveStdio(() => buildServer());\n` +
      `expect(source).toContain('server.connect(transport)');`
  },
  ping: {
    bad: `import { Client } from '@modelcontextprotocol/client';\nawait client.ping();`,
    good:
      `import { Client } from '@modelcontextprotocol/client';\nawait client.listTools();\n` +
      `// a WebSocket's own keepalive frame\nif (socket.readyState === WebSocket.OPEN) socket.ping();`
  },
  'logging-set-level': {
    bad: `import { Client } from '@modelcontextprotocol/client';\nawait client.setLoggingLevel('debug');`,
    good:
      `import { Client } from '@modelcontextprotocol/client';\nawait client.callTool({ name: 'x', arguments: {} });\n` +
      `export {\n  type CallToolResult,\n  SetLevelRequestSchema,\n} from '@modelcontextprotocol/server';`
  },
  logging: {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nawait server.sendLoggingMessage({ level: 'info', data: 'hi' });`,
    good: `import { trace } from '@opentelemetry/api';\nimport '@modelcontextprotocol/server';\ntrace.getActiveSpan()?.addEvent('hi');`
  },
  roots: {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nconst { roots } = await server.server.listRoots();`,
    good: `import { inputRequired } from '@modelcontextprotocol/server';\nreturn inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });`
  },
  sampling: {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nconst r = await server.server.createMessage({ messages, maxTokens: 100 });`,
    good:
      `import { inputRequired } from '@modelcontextprotocol/server';\n` +
      `return inputRequired({ inputRequests: { s: inputRequired.createMessage({ messages, maxTokens: 100 }) } });`
  },
  'push-elicitation': {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nconst answer = await server.server.elicitInput({ message: 'Sure?', requestedSchema });`,
    good:
      `import { inputRequired } from '@modelcontextprotocol/server';\n` +
      `return inputRequired({ inputRequests: { ok: inputRequired.elicit({ message: 'Sure?', requestedSchema }) } });`
  },
  'elicitation-complete': {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nconst notify = server.server.createElicitationCompletionNotifier(id);`,
    good:
      `import { McpServer } from '@modelcontextprotocol/server';\nconst state = ctx.mcpReq.requestState();\n` +
      `const elicitationId = state.pending;\nawait audit.record(elicitationId);\n` +
      `const args = z.object({ url: z.string(), elicitationId: z.string() });`
  },
  'resource-subscribe': {
    bad: `import { Client } from '@modelcontextprotocol/client';\nawait client.subscribeResource({ uri: 'file:///a' });`,
    good: `import { Client } from '@modelcontextprotocol/client';\nawait client.readResource({ uri: 'file:///a' });`
  },
  'unsolicited-list-changed': {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nsetInterval(() => server.sendToolListChanged(), 1000);`,
    good:
      `import { serveStdio } from '@modelcontextprotocol/server/stdio';\nserveStdio(() => server);\n` +
      `setInterval(() => server.sendToolListChanged(), 1000);`
  },
  'experimental-tasks': {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nserver.experimental.tasks.registerToolTask('slow', {}, handlers);`,
    good:
      `import { McpServer } from '@modelcontextprotocol/server';\nconst taskStore = new JobQueue();\n` +
      `server.registerTool('slow', {}, async () => ({ content: [{ type: 'text', text: await taskStore.run() }] }));\n` +
      `interface Jobs { taskStore?: JobQueue; }\nconst { taskStore: queue } = jobs;`
  },
  'http-sse-transport': {
    bad: `import { SSEServerTransport } from '@modelcontextprotocol/server-legacy/sse';\nconst t = new SSEServerTransport('/messages', res);`,
    good: `import { createMcpHandler } from '@modelcontextprotocol/server';\nconst handler = createMcpHandler(() => buildServer());`
  },
  'websocket-transport': {
    bad: `import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';\nnew WebSocketClientTransport(url);`,
    good: `import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';\nnew StreamableHTTPClientTransport(url);`
  },
  'dynamic-client-registration': {
    bad: `import { registerClient } from '@modelcontextprotocol/client';\nawait registerClient(serverUrl, { metadata });`,
    good: `import { auth } from '@modelcontextprotocol/client';\nawait auth(provider, { serverUrl });`
  },
  'old-error-codes': {
    bad: `import { ProtocolError } from '@modelcontextprotocol/server';\nthrow new ProtocolError(-32002, 'Resource not found');`,
    good:
      `import { ResourceNotFoundError } from '@modelcontextprotocol/server';\nthrow new ResourceNotFoundError(uri);\n` +
      `res.status(401).json({ jsonrpc: '2.0', error: { code: -32001, message: 'Unauthorized' }, id: null });\n` +
      `res.status(403).json({ jsonrpc: '2.0', error: { code: -32002, message: 'Forbidden: invalid token' }, id: null });\n` +
      `const description = 'throws UrlElicitationRequiredError (MCP error -32042) in the v1 flow';`
  },
  'deprecated-client-accessors': {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nconst caps = server.server.getClientCapabilities();`,
    good:
      `import { CLIENT_CAPABILITIES_META_KEY } from '@modelcontextprotocol/server';\n` +
      `const caps = (ctx.mcpReq.envelope as Record<string, unknown>)[CLIENT_CAPABILITIES_META_KEY];`
  },
  'low-level-server': {
    bad: `import { Server } from '@modelcontextprotocol/server';\nconst server = new Server({ name: 'x', version: '1' }, { capabilities: {} });`,
    good: `import { McpServer } from '@modelcontextprotocol/server';\nconst server = new McpServer({ name: 'x', version: '1' });`
  },
  'raw-shape-schema': {
    bad: `import { McpServer } from '@modelcontextprotocol/server';\nserver.registerTool('t', { inputSchema: { q: z.string() } }, cb);`,
    good: `import { McpServer } from '@modelcontextprotocol/server';\nserver.registerTool('t', { inputSchema: z.object({ q: z.string() }) }, cb);`
  },
  'draft-schema-dialect': {
    bad:
      `import { fromJsonSchema } from '@modelcontextprotocol/server';\n` +
      `const input = fromJsonSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', definitions: {} });`,
    good: `import { fromJsonSchema } from '@modelcontextprotocol/server';\nconst input = fromJsonSchema({ type: 'object', $defs: {} });`
  },
  'zod-json-schema': {
    bad:
      `import { McpServer } from '@modelcontextprotocol/server';\nimport { z } from 'zod';\n` +
      `server.registerTool('since', { inputSchema: z.object({ since: z.coerce.date() }) }, list);`,
    good:
      `import { McpServer } from '@modelcontextprotocol/server';\nimport { z } from 'zod';\n` +
      `server.registerTool('since', { inputSchema: z.object({ since: z.union([z.string(), z.number()]).pipe(z.coerce.date()) }) }, list);`
  },
  'zod-to-json-schema': {
    bad:
      `import { Server } from '@modelcontextprotocol/server';\n` +
      `import { zodToJsonSchema } from 'zod-to-json-schema';\n` +
      `const tool = { name: 'q', inputSchema: zodToJsonSchema(Args) };`,
    good:
      `import { Server } from '@modelcontextprotocol/server';\n` +
      `import * as z from 'zod/v4';\n` +
      `const tool = { name: 'q', inputSchema: z.toJSONSchema(Args, { io: 'input' }) };`
  },
  'transport-host-options': {
    bad:
      `import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';\n` +
      `new NodeStreamableHTTPServerTransport({ enableDnsRebindingProtection: true, allowedHosts: ['localhost'] });`,
    good: `import { localhostHostValidation } from '@modelcontextprotocol/node';\nconst validateHost = localhostHostValidation();`
  },
  'client-without-negotiation': {
    bad: `import { Client } from '@modelcontextprotocol/client';\nconst client = new Client({ name: 'app', version: '1.0.0' });`,
    good:
      `import { Client } from '@modelcontextprotocol/client';\n` +
      `const client = new Client({ name: 'app', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });`
  },
  'stdio-console-log': {
    bad: `import { serveStdio } from '@modelcontextprotocol/server/stdio';\nconsole.log('server started');`,
    good: `import { serveStdio } from '@modelcontextprotocol/server/stdio';\nconsole.error('server started');`
  },
  'todo-marker': {
    bad: `import '@modelcontextprotocol/server';\n// TODO(mcp-migrate/stateless-entry/sse-endpoint): point clients at /mcp\napp.all('/mcp', handler);`,
    good: `import '@modelcontextprotocol/server';\napp.all('/mcp', handler);`
  },
  'codemod-marker': {
    bad: `import '@modelcontextprotocol/server';\n/* @mcp-codemod-error tasks are not supported in v2 */\nregisterTasks(server);`,
    good: `import '@modelcontextprotocol/server';\nregisterTools(server);`
  },
  'note-marker': {
    bad:
      `import '@modelcontextprotocol/server';\n` +
      `// NOTE(mcp-migrate/push-to-input-required/roots): roots are deprecated; take a path parameter\n` +
      `const roots = await askRoots();`,
    good: `import '@modelcontextprotocol/server';\nconst root = args.path;`
  }
};
