/** `mcp-migrate check`: every rule, suppressions, formats (SARIF validated against the official schema), exit codes. */
import fs from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, describe, expect, it } from 'vitest';
import { checkText } from '../src/check/matcher.js';
import { ruleDoc } from '../src/check/rule-doc.js';
import { RULE_EXAMPLES } from '../src/check/rule-examples.js';
import { RULES } from '../src/check/rules.js';
import { ownConnectClasses } from '../src/check/own-connect.js';
import { explanation } from '../src/cli/explain.js';
import { runCli, scratch } from './helpers/cli.js';
import { migrate, migratedServers, serverNames } from './helpers/e2e.js';
import { ROOT } from './helpers/fixtures.js';

const ruleIds = (text: string, file = 'sample.ts') => checkText(file, text).map(f => f.rule);
/** The lines of `lines` (joined into one file) that `rule` flags. */
const flaggedLines = (rule: string, lines: string[]) =>
  checkText('sample.ts', lines.join('\n'))
    .filter(f => f.rule === rule)
    .map(f => f.line);

describe.each(RULES.map(r => [r.id, r] as const))('rule %s', (id, rule) => {
  const ex = RULE_EXAMPLES[id];
  it('has a flagged and a clean example', () => {
    expect(ex?.bad && ex?.good).toBeTruthy();
  });
  it('flags its positive sample', () => {
    expect(ruleIds(ex.bad)).toContain(id);
  });
  it('does not flag its negative sample', () => {
    expect(ruleIds(ex.good)).not.toContain(id);
  });
  it('has an up-to-date docs page', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs/rules', `${id}.md`), 'utf8')).toBe(ruleDoc(rule));
  });
});

describe('matcher', () => {
  it('reports one finding per rule and line', () => {
    const text = [
      "import type { EventStore } from '@modelcontextprotocol/server';",
      'const options: { store?: EventStore } = { eventStore: store };',
      "const headers = ['Mcp-Session-Id', 'mcp-session-id'];"
    ].join('\n');
    const found = checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`);
    expect(found).toEqual(['resumability@1', 'resumability@2', 'session-id@3']);
  });

  it('takes an option name written bare for a shorthand key only inside braces, not for a value handed to a call', () => {
    const lines = [
      "import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';",
      'const taskStore = makeStore();',
      'const server = new Server(info, { capabilities: {}, taskStore });',
      'await notifyStatus(taskId, taskStore, server);',
      'const stores = [taskStore, eventStore];',
      'const transport = new StreamableHTTPServerTransport({ eventStore, sessionIdGenerator: undefined });',
      'replay(eventStore, lastId);'
    ];
    expect(flaggedLines('experimental-tasks', lines)).toEqual([1, 3]);
    expect(flaggedLines('resumability', lines)).toEqual([6]);
  });

  it("does not flag a connect called on the project's own wrapper class, which has a connect of its own", () => {
    const caller = [
      "import { InMemoryTransport } from '@modelcontextprotocol/core';",
      "import { AppServer } from '@acme/app-server';",
      'let server: AppServer | undefined;',
      'const otherServer = new AppServer();',
      'const [, serverTransport] = InMemoryTransport.createLinkedPair();',
      'await server.connect(serverTransport);',
      'await otherServer.connect(serverTransport);'
    ];
    const connects = (lines: string[], ownConnect?: Set<string>) =>
      checkText('app.test.ts', lines.join('\n'), RULES, { ownConnect })
        .filter(f => f.rule === 'server-connect-transport')
        .map(f => f.line);
    expect(connects(caller, new Set(['AppServer']))).toEqual([]);
    // Without the run's knowledge, or for a class with no connect of its own, both are SDK connects.
    expect(connects(caller)).toEqual([6, 7]);
    expect(connects(caller, new Set(['OtherServer']))).toEqual([6, 7]);
    // Made by a method the file declares to return the wrapper.
    const made = [
      "import { InMemoryTransport } from '@modelcontextprotocol/core';",
      'class Host<T> {',
      '  hold(event: { mcpSession: T }) {}',
      '  #open(auth?: string): Promise<AppServer> { return open(auth); }',
      '  async start(serverTransport: InMemoryTransport) {',
      '    const mcpSession = await this.#open();',
      '    await mcpSession.connect(serverTransport);',
      '  }',
      '}'
    ];
    expect(connects(made, new Set(['AppServer']))).toEqual([]);
    expect(connects(made, new Set(['OtherServer']))).toEqual([7]);
    // A name the file also makes an SDK server is not only the wrapper: still a finding.
    const mixed = [
      ...caller,
      "import { McpServer } from '@modelcontextprotocol/server';",
      "server = new McpServer({ name: 'x', version: '1' }) as never;"
    ];
    expect(connects(mixed, new Set(['AppServer']))).toEqual([6]);
  });

  it('flags a task store or event store set as an option, not a shape that declares or takes one by that name', () => {
    const lines = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      "import { CallTaskStore } from './mcp-task-calls.js';",
      'interface Deps {',
      '  taskStore?: CallTaskStore;',
      '  eventStore?: unknown;',
      '}',
      'class Jobs {',
      '  private readonly taskStore: CallTaskStore;',
      '  constructor(deps: Deps) { this.taskStore = deps.taskStore!; }',
      '}',
      'type Options = { taskStore: CallTaskStore; };',
      'const { taskStore, eventStore } = deps;',
      'const server = new McpServer(info, { taskStore: deps.taskStore, eventStore });',
      'const other = new McpServer(info, {',
      '  taskStore,',
      '});'
    ];
    expect(flaggedLines('experimental-tasks', lines)).toEqual([13, 15]);
    expect(flaggedLines('resumability', lines)).toEqual([13]);
  });

  it("does not flag a sampling request asked in a tool call's round, nor a project's own function named requestSampling", () => {
    const lines = [
      "import { createMessageInRound } from './mcp-input-rounds.js';",
      'const requestSampling = async (text: string) => {',
      "  const request = { method: 'sampling/createMessage', params: { messages: [], maxTokens: 9 } };",
      '  return await createMessageInRound(request.params);',
      '};',
      "await requestSampling('hi');",
      'await ctx.mcpReq.requestSampling({ messages: [], maxTokens: 9 });',
      "await server.request({ method: 'sampling/createMessage', params: {} });"
    ];
    expect(flaggedLines('sampling', lines)).toEqual([7, 8]);
  });

  it('does not flag a list change sent by a server only serveStdio serves (it routes them onto listen streams), only one an HTTP handler serves', () => {
    const server = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      "const server = new McpServer({ name: 'x', version: '1' });",
      'export function unlock() { server.sendToolListChanged(); }'
    ];
    const stdio = [
      ...server,
      "import { serveStdio } from '@modelcontextprotocol/server/stdio';",
      'serveStdio(() => server);'
    ];
    expect(ruleIds(stdio.join('\n'))).not.toContain('unsolicited-list-changed');
    const http = [
      ...stdio,
      "import { createMcpHandler } from '@modelcontextprotocol/server';",
      'createMcpHandler(() => server);'
    ];
    expect(ruleIds(http.join('\n'))).toContain('unsolicited-list-changed');
    expect(ruleIds(server.join('\n'))).toContain('unsolicited-list-changed');
  });

  it('does not flag a server.connect(transport) written in a string (a test reading the source for it)', () => {
    const lines = [
      "import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';",
      "const connectAt = source.indexOf('server.connect(transport)');",
      'await server.connect(transport);'
    ];
    expect(flaggedLines('server-connect-transport', lines)).toEqual([3]);
  });

  it("does not flag the oninitialized hook of another package's class (an MCP Apps host bridge), only the SDK server's", () => {
    const lines = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      "import { AppBridge } from '@modelcontextprotocol/ext-apps/app-bridge';",
      "const server = new McpServer({ name: 'x', version: '1' });",
      'let bridge: AppBridge | null = null;',
      'bridge = new AppBridge(client, hostInfo, capabilities);',
      'bridge.oninitialized = () => bridge!.sendToolResult(result);',
      'server.server.oninitialized = () => track(server.server.getClientVersion());'
    ];
    expect(flaggedLines('initialize-handshake', lines)).toEqual([7]);
    // The project's own class (a relative import) may extend the SDK's server: its hook stays a finding.
    const own = lines.map(l => l.replace("'@modelcontextprotocol/ext-apps/app-bridge'", "'./bridge.js'"));
    expect(flaggedLines('initialize-handshake', own)).toEqual([6, 7]);
  });

  it('finds the classes that declare a connect of their own (a method or an arrow property), not those that call one', () => {
    const text = [
      'export class AppServer {',
      '  private mcp = makeServer();',
      '  async connect(transport: unknown) { await this.mcp.connect(transport as never); }',
      '}',
      'export const Session = class Session { connect = async () => {}; };',
      'class Runner { start() { connect(); } static connect() {} }'
    ].join('\n');
    expect(ownConnectClasses('a.ts', text)).toEqual(['AppServer', 'Session']);
  });

  it('does not take an API name inside a string, or a project type of the same name, for a use of the API', () => {
    const text = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      "import type { EventStore } from './event-sourcing.js';",
      "log.debug('[ListTasksRequestSchema] listing tasks');",
      'const store: EventStore = openStore();',
      "server.server.setRequestHandler('tasks/list', listAll);"
    ].join('\n');
    expect(checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual(['experimental-tasks@5']);
  });

  it('does not take a string a test asserts is absent for a use of the API, only one it asserts is there', () => {
    const text = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      'const source = readFileSync(entry, "utf8");',
      'expect(source).not.toContain(\'from "@modelcontextprotocol/sdk/server/sse.js"\');',
      'expect(headers).not.toHaveProperty("mcp-session-id");',
      'expect(source).toContain(\'from "@modelcontextprotocol/sdk/server/sse.js"\');'
    ].join('\n');
    expect(checkText('entry.test.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual(['http-sse-transport@5']);
  });

  it('does not take an option key written in a log line for the option, only one set in code', () => {
    expect(
      flaggedLines('resumability', [
        "console.log('- eventStore: in memory (events are kept for replay)');",
        'const transport = new NodeStreamableHTTPServerTransport({ eventStore: store });'
      ])
    ).toEqual([2]);
  });

  it('does not take a request declared as data and asked as a 2026 input request for a push, only one sent', () => {
    const asked = [
      'const request: CreateMessageRequest = {',
      "  method: 'sampling/createMessage',",
      '  params: { messages, maxTokens }',
      '};',
      'const resultRequest = inputRequired.createMessage(request.params);'
    ];
    expect(flaggedLines('sampling', asked)).toEqual([]);
    expect(flaggedLines('sampling', [...asked, 'await ctx.mcpReq.send(request);'])).toEqual([2]);
    const elicit = ["const ask = { method: 'elicitation/create', params };", 'inputRequired.elicit(ask.params);'];
    expect(flaggedLines('push-elicitation', elicit)).toEqual([]);
    expect(flaggedLines('push-elicitation', [elicit[0]])).toEqual([1]);
    // A sibling tool sending a request of the same name decides nothing for this one, only its own.
    const sibling = [
      "const request = { method: 'sampling/createMessage', params };",
      'await ctx.mcpReq.send(request);'
    ];
    expect(flaggedLines('sampling', [...asked, ...sibling])).toEqual([6]);
    expect(flaggedLines('sampling', [...sibling, ...asked])).toEqual([1]);
  });

  it('flags the task store set as an option, not a handler destructuring its own context, nor a generated module', () => {
    const text = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      'const server = new McpServer(info, { taskStore, capabilities: {} });',
      'const legacy = new McpServer(info, { taskStore: store });',
      "server.registerTool('t', {}, run({ async createTask({ a }, { taskStore: s, taskRequestedTtl }) { return x; } }));",
      'const make = async (args, { taskStore }): Promise<Task> => taskStore.createTask({});',
      'start(job, { taskStore });'
    ].join('\n');
    expect(checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual([
      'experimental-tasks@2',
      'experimental-tasks@3',
      'experimental-tasks@6'
    ]);
    expect(checkText('mcp-task-calls.ts', `// Generated by mcp-migrate (surface). …\n${text}`)).toEqual([]);
  });

  it('reads an error code by its own statement: a session constant beside a NOT_FOUND one is no missing resource', () => {
    const text = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      'const SESSION_ID_INVALID = -32002;',
      'const SESSION_NOT_FOUND = -32003;',
      'const RESOURCE_MISSING = -32002; // a resource the client named',
      'throw new ProtocolError(',
      '  -32002,',
      "  'Resource not found'",
      ');'
    ].join('\n');
    expect(checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual([
      'old-error-codes@4',
      'old-error-codes@6'
    ]);
  });

  it('takes only a set oninitialized hook for the handshake, not a test of it or its clearing', () => {
    const lines = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      'server.server.oninitialized = () => ready();',
      "if (typeof this.oninitialized === 'function') this.oninitialized();",
      'this.oninitialized = undefined;'
    ];
    expect(flaggedLines('initialize-handshake', lines)).toEqual([2]);
  });

  it("takes a server's notifications/initialized handler for the handshake, by schema or by method name, not a client's", () => {
    const lines = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      'server.server.setNotificationHandler(InitializedNotificationSchema, () => ready());',
      "server.server.setNotificationHandler('notifications/initialized', () => ready());",
      "server.server.setNotificationHandler('notifications/cancelled', () => stop());",
      'mcpClient.setNotificationHandler(InitializedNotificationSchema, () => hooks.onInitialized());'
    ];
    expect(flaggedLines('initialize-handshake', lines)).toEqual([2, 3]);
  });

  it('does not take a transport asked for no sessions for session plumbing', () => {
    const lines = [
      "import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';",
      'const stateless = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });',
      'const stateful = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });',
      'interface StatelessOptions { sessionIdGenerator?: undefined }',
      'const compiled = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: void 0 });'
    ];
    expect(flaggedLines('session-id', lines)).toEqual([3]);
  });

  it('does not take a subscribe handler that only acknowledges 2025-era clients for subscriber bookkeeping', () => {
    const lines = [
      "server.server.setRequestHandler('resources/subscribe', async () => ({}));",
      'server.server.setRequestHandler("resources/unsubscribe", () => ({ }));',
      "server.server.setRequestHandler('resources/subscribe', async request => { watched.add(request.params.uri); return {}; });",
      "server.server.setRequestHandler('resources/unsubscribe', async () => ({ done: true }));",
      'await client.subscribeResource({ uri });'
    ];
    expect(flaggedLines('resource-subscribe', lines)).toEqual([3, 4, 5]);
  });

  it('counts a handler wrapped in a span once: the span name is a label, not a second registration', () => {
    const lines = [
      "server.server.setRequestHandler('resources/subscribe', withMcpSpan('resources/subscribe', undefined, async request => {",
      'server.server.setRequestHandler(',
      "  'logging/setLevel',",
      "  withMcpSpan('logging/setLevel', undefined, async request => {",
      "const name = withMcpSpan; trace('resources/unsubscribe');"
    ];
    expect(flaggedLines('resource-subscribe', lines)).toEqual([1, 5]);
    expect(flaggedLines('logging-set-level', lines)).toEqual([3]);
  });

  it('does not take the session header named in a log line for session plumbing, only a read that decides', () => {
    const lines = [
      "logger.error('request failed', { error: String(e), sessionId: req.headers['mcp-session-id'] });",
      "console.warn(`no session ${JSON.stringify(req.headers['mcp-session-id'])}`);",
      "const sid = req.headers['mcp-session-id'];",
      "if (transports[format(req.headers['mcp-session-id'])]) reuse();"
    ];
    expect(flaggedLines('session-id', lines)).toEqual([3, 4]);
  });

  it('leaves stdout to a CLI branch that prints instead of serving, not to code that runs while serving', () => {
    const text = [
      "import { serveStdio } from '@modelcontextprotocol/server/stdio';",
      "if (process.argv.includes('--help')) {",
      "  console.log('usage: notes [--version]');",
      '  process.exit(0);',
      '}',
      'async function main() {',
      "  if (process.argv.includes('--version')) {",
      '    console.log(VERSION);',
      '    return;',
      '  }',
      '  serveStdio(() => createServer());',
      "  console.log('running');",
      "  console.debug('ready'); console.warn('slow start');",
      '}',
      'function onTick() {',
      '  if (queue.length) {',
      "    console.log('tick');",
      '    return queue.shift();',
      '  }',
      '}'
    ].join('\n');
    expect(checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual([
      'stdio-console-log@12',
      'stdio-console-log@13',
      'stdio-console-log@17'
    ]);
  });

  it('does not take a snippet the server hands out for a write to stdout', () => {
    const text = [
      "import { serveStdio } from '@modelcontextprotocol/server/stdio';",
      "const SNIPPETS = { hello: 'console.log(\"hello\")', shout: `console.info(${JSON.stringify('hi')})` };",
      'serveStdio(() => createServer());',
      "console.log('serving', SNIPPETS);"
    ].join('\n');
    expect(checkText('snippets.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual(['stdio-console-log@4']);
  });

  it('leaves stdout to a helper called only from such branches, not to one also called while serving', () => {
    const text = [
      "import { serveStdio } from '@modelcontextprotocol/server/stdio';",
      'function printHelp(): void {',
      "  console.log('usage: guard [--list]');",
      '}',
      'function printList(): void {',
      '  for (const p of PRESETS) console.log(p.name);',
      '}',
      'function status(): void {',
      "  console.log('status');",
      '}',
      'export function banner(): void {',
      "  console.log('banner');",
      '}',
      'function parse(argv: string[]) {',
      '  switch (argv[0]) {',
      "    case '--help':",
      '      printHelp();',
      '      process.exit(0);',
      '  }',
      '}',
      'async function main() {',
      '  parse(process.argv);',
      '  if (listing) {',
      '    printList();',
      '    status();',
      '    process.exit(0);',
      '  }',
      '  serveStdio(() => createServer());',
      '  status();',
      '}',
      'function listTools(): void {',
      '  TOOLS.forEach((tool) => {',
      '    console.log(tool.name);',
      '  });',
      '  process.exit(0);',
      '}',
      "if (process.argv.includes('--list-tools')) listTools();",
      'function onCall(names: string[]) {',
      '  names.forEach(function (n) {',
      '    console.log(n);',
      '  });',
      '}'
    ].join('\n');
    expect(checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual([
      'stdio-console-log@9',
      'stdio-console-log@12',
      'stdio-console-log@40'
    ]);
  });

  it('does not flag console.log in the function serving HTTP of a file that also serves stdio', () => {
    const text = [
      "import { createMcpHandler } from '@modelcontextprotocol/server';",
      "import { serveStdio } from '@modelcontextprotocol/server/stdio';",
      "import { toNodeHandler } from '@modelcontextprotocol/node';",
      "import express from 'express';",
      'function startHttp(port: number) {',
      '  const app = express();',
      '  app.use((req, res, next) => {',
      "    res.on('finish', () => {",
      '      console.log(`${req.method} ${req.url} ${res.statusCode}`);',
      '    });',
      '    next();',
      '  });',
      "  app.all('/mcp', toNodeHandler(createMcpHandler(() => createServer())));",
      '  app.listen(port, () => {',
      '    console.log(`listening on ${port}`);',
      '  });',
      '}',
      'function startStdio() {',
      "  console.log('starting');",
      '  serveStdio(() => createServer());',
      '}',
      'if (process.env.PORT) startHttp(Number(process.env.PORT)); else startStdio();'
    ].join('\n');
    expect(checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual(['stdio-console-log@19']);
  });

  it("flags a sampling or roots request the server pushes as an error, not the 2026 input request, a client's answer or a chat API", () => {
    const text = [
      "import { inputRequired, RootsListChangedNotificationSchema } from '@modelcontextprotocol/server';",
      'const reply = await server.server.createMessage({ messages, maxTokens: 50 });',
      'const { roots } = await ctx.mcpReq.listRoots();',
      'return inputRequired({ inputRequests: { s: inputRequired.createMessage({ messages, maxTokens: 50 }) } });',
      "client.setRequestHandler('sampling/createMessage', async () => answer);",
      'await chat.createMessage({ text });'
    ].join('\n');
    expect(checkText('server.ts', text).map(f => `${f.rule}:${f.severity}@${f.line}`)).toEqual([
      'sampling:error@2',
      'roots:error@3'
    ]);
  });

  it("flags a server connected to a transport another module built, not a client's connect beside it", () => {
    const entry = [
      "import { createStdioTransport } from './transport/stdio.js';",
      'const transport = createStdioTransport();',
      'await mcpServer.connect(transport);'
    ].join('\n');
    expect(checkText('index.ts', entry).map(f => `${f.rule}@${f.line}`)).toEqual(['server-connect-transport@3']);
    const linked = [
      "import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';",
      'await server.connect(new StdioServerTransport());',
      'await client.connect(clientTransport);',
      'await mcpClient.connect(httpTransport);'
    ].join('\n');
    expect(checkText('pair.ts', linked).map(f => `${f.rule}@${f.line}`)).toEqual(['server-connect-transport@2']);
    // A test connecting its client over HTTP names no server: not an entry.
    expect(checkText('it.test.ts', 'await mcpClient.connect(httpTransport);')).toEqual([]);
    expect(checkText('db.ts', 'await db.connect(transport);')).toEqual([]);
  });

  it("reports a project's own 2025 transport class as one finding, and a test file of it as one", () => {
    const transport = [
      "import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';",
      "import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';",
      '',
      'export interface EdgeHttpTransportOptions {',
      '  sessionIdGenerator?: () => string;',
      '}',
      'export class EdgeHttpTransport implements Transport {',
      '  onmessage?: (message: unknown) => void;',
      '  private sessions = new Map<string, Response>();',
      '  async start(): Promise<void> {}',
      '  async send(message: unknown): Promise<void> {',
      '    const body = \'{ "jsonrpc": "2.0" }\'; // a brace in a string does not end the class',
      '    const line = `${body}}${body}`; // nor one in template text between interpolations',
      '    void line;',
      '  }',
      '  async handle(request: Request): Promise<Response> {',
      '    const message = await request.json();',
      "    const sessionId = request.headers.get('mcp-session-id');",
      '    if (isInitializeRequest(message)) this.sessions.set(crypto.randomUUID(), new Response());',
      "    else if (!sessionId) return new Response('no session', { status: 400 });",
      '    this.onmessage?.(message);',
      "    return new Response(null, { headers: { 'mcp-session-id': sessionId ?? '' } });",
      '  }',
      '}',
      '',
      "export const header = 'mcp-session-id';"
    ].join('\n');
    const found = checkText('edge-transport.ts', transport).filter(f => f.severity === 'error');
    // The options interface named after the class is part of it.
    expect(found.map(f => `${f.rule}@${f.line}`)).toEqual(['own-transport@7', 'session-id@26']);
    expect(found[0]!.message).toMatch(
      /^`EdgeHttpTransport` implements the 2025 transport itself \(session-id ×3, initialize-handshake\)/
    );
    // Without the methods that make it a transport, a class is read line by line as before.
    const notATransport = transport.replace('async send(', 'async deliver(');
    expect(checkText('edge-transport.ts', notATransport).filter(f => f.rule === 'session-id')).toHaveLength(4);

    // As sucrase compiles it to CommonJS: a class expression held in a temporary, optional calls spelled out.
    const compiled = [
      'var _class;',
      'var EdgeHttpTransport = (_class = class {',
      '  async start() {}',
      '  async send(message) {}',
      '  handle(request, message) {',
      "    const sessionId = request.headers.get('mcp-session-id');",
      "    _optionalChain([this, 'access', _2 => _2.onmessage, 'optionalCall', _3 => _3(message, sessionId)]);",
      '  }',
      '}, _class);'
    ].join('\n');
    const [own] = checkText('edge.cjs', compiled);
    expect(`${own!.rule}@${own!.line}`).toBe('own-transport@2');
    expect(own!.message).toMatch(/^`EdgeHttpTransport` implements/);

    const test = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { EdgeHttpTransport } from './edge-transport.js';",
      "it('keeps a session', async () => {",
      '  const transport = new EdgeHttpTransport();',
      "  await new McpServer({ name: 'x', version: '1' }).connect(transport);",
      "  const res = await transport.handle(new Request('http://x', { headers: { 'mcp-session-id': 'abc' } }));",
      "  expect(res.headers.get('mcp-session-id')).toBe('abc');",
      '});'
    ].join('\n');
    expect(checkText('edge-transport.test.ts', test).map(f => `${f.rule}@${f.line}`)).toEqual(['own-transport@2']);
    // The same lines outside a test file are read one by one.
    expect(ruleIds(test, 'edge-demo.ts').filter(r => r === 'session-id')).toHaveLength(2);
  });

  it("does not flag a client's pickup of a session id the server may send, only reads that need one", () => {
    const pickup = [
      'const post = async (body: unknown) => {',
      "  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });",
      "  const sessionId = response.headers.get('mcp-session-id');",
      '  if (sessionId)',
      "    headers['Mcp-Session-Id'] = sessionId;",
      '  return response.json();',
      '};'
    ].join('\n');
    expect(ruleIds(pickup, 'client.test.ts').filter(r => r === 'session-id')).toEqual([]);
    const braced = pickup.replace(
      "    headers['Mcp-Session-Id'] = sessionId;",
      "  { headers.set('mcp-session-id', sessionId); }"
    );
    expect(ruleIds(braced, 'client.test.ts').filter(r => r === 'session-id')).toEqual([]);
    // A test that needs the server to issue one asserts what 2026-07-28 removed.
    const asserted = pickup.replace(/ {2}if \(sessionId\)\n.*\n/, '  expect(sessionId).toBeTruthy();\n');
    expect(ruleIds(asserted, 'client.test.ts').filter(r => r === 'session-id')).toHaveLength(1);
    // Asserting that the server sent none is what a stateless server passes; asserting one was sent is not.
    const none = "expect(response.headers.get('mcp-session-id')).toBeNull();";
    expect(ruleIds(none, 'server.test.ts').filter(r => r === 'session-id')).toEqual([]);
    expect(
      ruleIds(none.replace('toBeNull', 'toBeTruthy'), 'server.test.ts').filter(r => r === 'session-id')
    ).toHaveLength(1);
    // A server reading the request's header is session plumbing.
    const server =
      "app.post('/mcp', (req, res) => { const sid = req.headers['mcp-session-id']; if (sid) res.setHeader('mcp-session-id', sid); });";
    expect(ruleIds(server, 'server.ts').filter(r => r === 'session-id')).toHaveLength(1);
  });

  it('flags zod 3 schemas only in a package on the v2 server, where tools/list refuses them', () => {
    const tools = [
      "import { z } from 'zod';",
      "export const register = (server: any) => server.registerTool('echo', { inputSchema: z.object({}) }, () => ({}));"
    ].join('\n');
    const zod3 = (declared: Record<string, string>, text = tools) =>
      checkText('tools.ts', text, RULES, { declared: () => declared })
        .filter(f => f.rule === 'zod-3')
        .map(f => `${f.line}: ${f.message.split(':')[0]}`);
    const v2 = { '@modelcontextprotocol/server': '^2.4.0' };
    expect(zod3({ ...v2, zod: '^3.25.0' })).toEqual([
      "1: this server's schemas are zod 3 (its package declares zod ^3.25.0)"
    ]);
    expect(zod3({ ...v2, zod: '^4.2.0' })).toEqual([]);
    // On the v1 SDK zod 3 is what it takes: nothing to say before the migration.
    expect(zod3({ '@modelcontextprotocol/sdk': '^1.25.0', zod: '^3.25.0' })).toEqual([]);
    expect(zod3({ ...v2, zod: '^4.2.0' }, tools.replace("'zod'", "'zod/v3'"))).toEqual([
      "1: this server's schemas are zod 3 (it imports zod 3's API ('zod/v3'))"
    ]);
    // A module of schemas alone serves nothing.
    expect(zod3({ ...v2, zod: '^3.25.0' }, "import { z } from 'zod';\nexport const Id = z.string();")).toEqual([]);
    // A low-level Server answering tools/list with zod-to-json-schema's output: zod 3 never meets the SDK.
    const lowLevel = [
      "import { Server } from '@modelcontextprotocol/server';",
      "import { z } from 'zod';",
      "import zodToJsonSchema from 'zod-to-json-schema';",
      'export const tools = [{ name: "echo", inputSchema: zodToJsonSchema(z.object({})) }];',
      "export const serve = (server: Server) => server.setRequestHandler('tools/list', async () => ({ tools }));"
    ].join('\n');
    expect(zod3({ ...v2, zod: '^3.25.0' }, lowLevel)).toEqual([]);
    expect(zod3({ ...v2, zod: '^3.25.0' }, lowLevel.replace('{ Server }', '{ McpServer, Server }'))).toHaveLength(1);
    // A converter reading the kind of zod 3 schemas it is handed (zod-to-json-schema in a bundle) builds none.
    const kinds =
      "import { ZodFirstPartyTypeKind as K } from 'zod/v3';\nexport const isString = (d: any) => d.typeName === K.ZodString;\n";
    expect(zod3({ ...v2, zod: '^4.2.0' }, kinds + tools)).toEqual([]);
    const required =
      "const v3 = __toESM(require('zod/v3'));\nexport const isAny = (d) => d.typeName === v3.ZodFirstPartyTypeKind.ZodAny;\n";
    expect(zod3({ ...v2, zod: '^4.2.0' }, required + tools)).toEqual([]);
    // The same namespace building a schema, or a type from it, is zod 3 meeting the server.
    expect(zod3({ ...v2, zod: '^4.2.0' }, required + 'export const Id = v3.z.string();\n' + tools)).toHaveLength(1);
    expect(
      zod3({ ...v2, zod: '^4.2.0' }, "import { ZodFirstPartyTypeKind, ZodRawShape } from 'zod/v3';\n" + tools)
    ).toHaveLength(1);
  });

  it("flags a bundle's connect of a transport class it imported under another name", () => {
    const bundle =
      'import{McpServer as Xt}from"@modelcontextprotocol/sdk/server/mcp.js";' +
      'import{StdioServerTransport as ro}from"@modelcontextprotocol/sdk/server/stdio.js";\n' +
      'async function ln(e){let r=new Xt(e),n=new ro;await r.connect(n)}\n' +
      'async function mn(e){let r=new Xt(e);await r.connect(new ro)}\n' +
      'async function on(c){await c.connect(x)}\n';
    expect(checkText('chunk.js', bundle).map(f => `${f.rule}@${f.line}`)).toEqual([
      'server-connect-transport@2',
      'server-connect-transport@3'
    ]);
  });

  it('flags a server connected to a transport held under any name, as a boilerplate keeps it in a module variable', () => {
    const entry = [
      "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
      'let serverInstance = null;',
      'let transportInstance = null;',
      'transportInstance = new StdioServerTransport();',
      'await serverInstance.connect(transportInstance);',
      'const stdio = new StdioServerTransport();',
      'await mcpServer.connect(stdio);',
      'await mcpClient.connect(stdio);',
      'await client1.connect(transport1);',
      'await pool.connect();'
    ].join('\n');
    expect(checkText('index.ts', entry).map(f => `${f.rule}@${f.line}`)).toEqual([
      'server-connect-transport@5',
      'server-connect-transport@7'
    ]);
  });

  it('flags a server connected to a transport kept in a property or built by a call, not a client connected to one', () => {
    const provider = [
      "import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';",
      'class StdioProvider {',
      '  async connect(server) {',
      '    this.transport = new StdioServerTransport();',
      '    await server.connect(this.transport);',
      '    await this.server.connect(this.stdio);',
      '    await server.connect(options.transport);',
      '    await this.client.connect(this.transport);',
      '    await this.mcpClient.connect(this.serverTransport);',
      '    await buildServer(options).connect(tx);',
      '    await makeClient().connect(tx);',
      '  }',
      '}'
    ].join('\n');
    expect(checkText('stdio.ts', provider).map(f => `${f.rule}@${f.line}`)).toEqual([
      'server-connect-transport@5',
      'server-connect-transport@6',
      'server-connect-transport@7',
      'server-connect-transport@10'
    ]);
  });

  it('flags removed task and resumability options where they are set, not every variable of that name', () => {
    const text = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      'const taskStore = makeStore();',
      'const server = new McpServer(info, { taskStore });',
      'await taskStore.flush();',
      "transport = makeTransport({ eventStore: store }, { mode: 'url', elicitationId });",
      'const elicitationId = next();',
      "server.server.setRequestHandler('tasks/list', listAll);",
      'log(`declined (elicitation ${elicitationId}, store ${taskStore})`);'
    ].join('\n');
    const found = checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`);
    expect(found).toEqual(['experimental-tasks@3', 'resumability@5', 'elicitation-complete@5', 'experimental-tasks@7']);
  });

  it("flags elicitationId as a URL elicitation's field, not as a tool's own argument of that name", () => {
    const lines = [
      "import { McpServer } from '@modelcontextprotocol/server';",
      'const schema = z.object({ url: z.string(), elicitationId: z.string().optional() });',
      'const { url, elicitationId: requested } = args;',
      'await handler({ url: "https://a.test", elicitationId: "e-1" }, ctx);',
      'function complete(elicitationId: string) { return elicitationId; }',
      'console.log(`sent notifications/elicitation/complete for ${id}`);',
      "const params: ElicitRequestURLParams = { mode: 'url', url, message, elicitationId };",
      'const prerequisite = {',
      "  mode: 'url',",
      '  elicitationId: randomUUID(),',
      '};',
      "notify({ method: 'notifications/elicitation/complete', params: { elicitationId } });"
    ];
    expect(flaggedLines('elicitation-complete', lines)).toEqual([7, 10, 12]);
  });

  it("leaves a client's elicitation handler alone (it answers 2026 input requests) and flags a server's push", () => {
    const text = [
      "import { Client } from '@modelcontextprotocol/client';",
      "client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: {} }));",
      "const answer = await server.server.elicitInput({ message: 'Sure?', requestedSchema });"
    ].join('\n');
    expect(checkText('sample.ts', text).map(f => `${f.rule}@${f.line}`)).toEqual(['push-elicitation@3']);
  });

  it('flags a v2 server that compiles but still speaks only 2025', () => {
    const v2ButOld = [
      "import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';",
      "import { McpServer } from '@modelcontextprotocol/server';",
      'const server = new McpServer({ name: "x", version: "1" });',
      'app.post("/mcp", async (req, res) => {',
      '  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });',
      '  await server.connect(transport);',
      '  await transport.handleRequest(req, res, req.body);',
      '});'
    ].join('\n');
    expect(
      checkText('a.ts', v2ButOld)
        .filter(f => f.severity === 'error')
        .map(f => [f.rule, f.line, f.column])
    ).toEqual([['server-connect-transport', 6, 15]]);
  });

  it('ignores API names inside comments, and markers outside comments', () => {
    const text =
      "import '@modelcontextprotocol/server';\n// we used to call server.sendLoggingMessage() here\nconst s = 'TODO(mcp-migrate/x): not a comment';\n";
    expect(ruleIds(text)).toEqual([]);
  });

  it("a rule's context is the code: a comment that names stdio does not make an HTTP file a stdio server", () => {
    const http =
      "import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';\nconsole.log('up');\n";
    expect(ruleIds(http)).not.toContain('stdio-console-log');
    expect(ruleIds(`// serve it with serveStdio (stdio)\n${http}`)).not.toContain('stdio-console-log');
    expect(ruleIds(`import { serveStdio } from '@modelcontextprotocol/node';\n${http}`)).toContain('stdio-console-log');
  });

  it('serveStdio handed a transport of its own (an in-memory pair) does not make the file a stdio server', () => {
    const script = (options: string) =>
      `import { serveStdio } from '@modelcontextprotocol/server/stdio';\nserveStdio(() => createServer()${options});\nconsole.log('listed');\n`;
    expect(ruleIds(script(', { transport: serverTransport }'))).not.toContain('stdio-console-log');
    expect(ruleIds(script(', { transport }'))).not.toContain('stdio-console-log');
    expect(ruleIds(script(''))).toContain('stdio-console-log');
    expect(ruleIds(script(', { transport: new FilteredStdioServerTransport() }'))).toContain('stdio-console-log');
  });

  it('the 2026 form inputRequired.elicit(...) is not push elicitation', () => {
    expect(
      ruleIds("import '@modelcontextprotocol/server';\ninputRequired.elicitInput;\nawait server.server.elicitInput(x);")
    ).toEqual(['push-elicitation']);
    expect(
      ruleIds(
        "import '@modelcontextprotocol/server';\nreturn inputRequired({ inputRequests: { a: inputRequired.listRoots() } });"
      )
    ).toEqual([]);
  });

  it('honours a suppression with a reason, on the next line or the same line', () => {
    const text = [
      "import { Client } from '@modelcontextprotocol/client';",
      '// mcp-migrate-ignore-next-line ping -- health check against our own 2025 gateway',
      'await client.ping();',
      'await client.ping(); // mcp-migrate-ignore ping -- same gateway',
      'await client.ping();'
    ].join('\n');
    expect(checkText('a.ts', text).map(f => [f.rule, f.line])).toEqual([['ping', 5]]);
  });

  it("does not take a WebSocket's own keepalive ping for the MCP request", () => {
    const text = [
      "import { Server } from '@modelcontextprotocol/server';",
      "import WebSocket from 'ws';",
      'setInterval(() => {',
      '  for (const session of sessions.values()) {',
      '    if (session.client.readyState === WebSocket.OPEN) {',
      '      session.client.ping();',
      '    }',
      '  }',
      '  ws.ping();',
      '  this.socket.ping();',
      '  void server.server.ping();',
      '}, 30_000);'
    ].join('\n');
    expect(checkText('a.ts', text).map(f => [f.rule, f.line])).toEqual([['ping', 11]]);
  });

  it('reports a marker and the finding it explains once: the finding carries the marker; a marker alone stays', () => {
    const text = [
      "import { Client } from '@modelcontextprotocol/client';",
      '// TODO(mcp-migrate/check/ping): ping is gone from 2026-07-28',
      'await client.ping();',
      '// TODO(mcp-migrate/session-handles/x): a step check cannot see',
      'doSomething();',
      '',
      '',
      '',
      '',
      'await client.ping();',
      '// NOTE(mcp-migrate/y): advisory',
      'await client.ping();'
    ].join('\n');
    expect(checkText('a.ts', text).map(f => [f.rule, f.line, f.severity, f.marker?.slice(0, 24)])).toEqual([
      ['ping', 3, 'error', 'TODO(mcp-migrate/check/p'],
      ['todo-marker', 4, 'error', undefined],
      ['ping', 10, 'error', undefined],
      ['note-marker', 11, 'warning', undefined],
      ['ping', 12, 'error', 'NOTE(mcp-migrate/y): adv']
    ]);
  });

  it('reports a suppression without a reason and does not apply it', () => {
    const text =
      "import { Client } from '@modelcontextprotocol/client';\n// mcp-migrate-ignore-next-line ping\nawait client.ping();";
    expect(checkText('a.ts', text).map(f => f.rule)).toEqual(['invalid-suppression', 'ping']);
  });
});

describe('mcp-migrate check (CLI)', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach(c => c()));
  const dirWith = (files: Record<string, string>) => {
    const s = scratch();
    cleanups.push(s.cleanup);
    for (const [f, t] of Object.entries(files)) fs.writeFileSync(path.join(s.dir, f), t);
    return s.dir;
  };

  // One test per fixture server, from three CLI runs for all of them (check the originals, migrate a copy of the whole
  // folder once for the test run, check the copy): run per server, starting those processes was most of this file's
  // time on two cores. Each server has its own package.json, so one run migrates each as a run of its own folder would.
  type Finding = { file: string; severity: string; rule: string; message: string };
  const servers = serverNames();
  const ofServer = (findings: Finding[], name: string) =>
    findings.filter(f => f.file.split(/[\\/]/).includes(name) && f.severity === 'error');
  let originals: { code: number; findings: Finding[] } | undefined;
  let migrated: { code: number; findings: Finding[] } | undefined;
  const checkOriginals = () => {
    if (!originals) {
      const r = runCli(['check', '--format', 'json', path.join(ROOT, 'fixtures/servers')], ROOT);
      originals = { code: r.code, findings: JSON.parse(r.stdout).findings };
    }
    return originals;
  };
  const checkMigrated = () => {
    if (!migrated) {
      const r = runCli(['check', '--format', 'json', '.'], migratedServers());
      migrated = { code: r.code, findings: JSON.parse(r.stdout).findings };
    }
    return migrated;
  };

  it('the original fixture servers have error findings (check exits 1)', () => {
    expect(checkOriginals().code).toBe(1);
  });

  it.each(servers)('the original fixture server %s has error findings', name => {
    expect(ofServer(checkOriginals().findings, name).length, name).toBeGreaterThan(0);
  });

  it('after migration every fixture server checks clean (exit 0; the migration itself exited 0)', () => {
    expect(checkMigrated().code).toBe(0);
  });

  it.each(servers)(
    'after migration %s has no error: no TODO is left, and a moved SSE endpoint is a NOTE (a warning) naming the new URL',
    name => {
      const { findings } = checkMigrated();
      expect(ofServer(findings, name), name).toEqual([]);
      if (name === 'sse') {
        const notes = findings.filter(f => f.file.split(/[\\/]/).includes('sse') && f.rule === 'note-marker');
        expect(notes.map(n => n.message)).toEqual([
          expect.stringMatching(/^NOTE\(mcp-migrate\/stateless-entry\/sse-endpoint\): .*Streamable HTTP at \/mcp/)
        ]);
      }
    }
  );

  it("reports a wrapper class's connect once, where it connects the SDK server, and not at its callers in other files", () => {
    const dir = dirWith({
      'package.json': JSON.stringify({
        name: 'wrapped',
        type: 'module',
        dependencies: { '@modelcontextprotocol/sdk': '^1.24.0' }
      }),
      'wrapper.ts': [
        "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
        "import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';",
        'export class AppServer {',
        "  readonly mcp = new McpServer({ name: 'app', version: '1.0.0' });",
        '  async connect(transport: Transport): Promise<void> {',
        '    await this.mcp.connect(transport);',
        '  }',
        '}',
        // One with a base class is known for no server by a method servers lack (`addTool`), not by its declaration.
        'export class ToolServer extends EventTarget {',
        '  addTool(name: string): void {}',
        '  async connect(transport: Transport): Promise<void> {}',
        '}',
        ''
      ].join('\n'),
      'caller.test.ts': [
        "import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';",
        "import { AppServer, ToolServer } from './wrapper.js';",
        'const appServer = new AppServer();',
        'const [, serverTransport] = InMemoryTransport.createLinkedPair();',
        'await appServer.connect(serverTransport);',
        'const toolServer = new ToolServer();',
        "toolServer.addTool('echo');",
        'const [, toolTransport] = InMemoryTransport.createLinkedPair();',
        'await toolServer.connect(toolTransport);',
        // Built by a function declared to return the wrapper.
        'function openTools(): ToolServer {',
        '  return new ToolServer();',
        '}',
        'const tools = openTools();',
        "tools.addTool('echo');",
        'const [, moreTransport] = InMemoryTransport.createLinkedPair();',
        'await tools.connect(moreTransport);',
        ''
      ].join('\n')
    });
    const connects = () =>
      JSON.parse(runCli(['check', '--format', 'json', '.'], dir).stdout)
        .findings.filter((f: { rule: string }) => f.rule === 'server-connect-transport')
        .map((f: { file: string; line: number }) => `${path.basename(f.file)}:${f.line}`);
    expect(connects()).toEqual(['wrapper.ts:6']);
    expect(migrate(dir).code).toBe(0);
    // The migration marks no caller either: what the wrapper serves is settled in its own connect.
    expect(fs.readFileSync(path.join(dir, 'caller.test.ts'), 'utf8')).not.toMatch(/TODO\(mcp-migrate/);
    expect(connects().filter((c: string) => c.startsWith('caller'))).toEqual([]);
  });

  it('advisory NOTE markers alone keep exit 0, and --max-warnings turns them into a failure', () => {
    const dir = dirWith({
      'a.ts':
        "import '@modelcontextprotocol/server';\n// NOTE(mcp-migrate/push-to-input-required/roots): roots are deprecated\nexport {};\n"
    });
    const r = runCli(['check', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/a\.ts:2:4 warning note-marker NOTE\(mcp-migrate/);
    expect(runCli(['check', '--max-warnings', '0', '.'], dir).code).toBe(1);
  });

  it('prints the marker a finding carries, in every format', () => {
    const dir = dirWith({
      'a.ts':
        "import { Client } from '@modelcontextprotocol/client';\n// TODO(mcp-migrate/check/ping): drop the keep-alive\nawait client.ping();\n"
    });
    const text = runCli(['check', '.'], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/a\.ts:3:\d+ error ping .*\(marked: TODO\(mcp-migrate\/check\/ping\)\)/);
    expect(text.stdout).toMatch(/^1 error\(s\)/m);
    const json = JSON.parse(runCli(['check', '--format', 'json', '.'], dir).stdout);
    expect(json.findings).toEqual([
      expect.objectContaining({ rule: 'ping', line: 3, marker: 'TODO(mcp-migrate/check/ping): drop the keep-alive' })
    ]);
    const sarif = JSON.parse(runCli(['check', '--format', 'sarif', '.'], dir).stdout);
    expect(sarif.runs[0].results.map((r: any) => r.message.text)).toEqual([
      expect.stringMatching(/ — TODO\(mcp-migrate\/check\/ping\): drop the keep-alive$/)
    ]);
  });

  it("checks a file whose only MCP import is @hono/mcp's transport: it serves a v1 server on the 2025 protocol", () => {
    const dir = dirWith({
      'server.ts':
        "import { Hono } from 'hono';\nimport { StreamableHTTPTransport } from '@hono/mcp';\nimport mcp from './mcp';\n" +
        "const app = new Hono();\napp.all('/mcp', async c => {\n  const transport = new StreamableHTTPTransport();\n" +
        '  await mcp.connect(transport);\n  return transport.handleRequest(c);\n});\nexport default app;\n'
    });
    const r = runCli(['check', '--format', 'json', '.'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string; line: number }) => [f.rule, f.line])).toEqual([
      ['server-connect-transport', 7]
    ]);
  });

  it('writes SARIF 2.1.0 that validates against the official schema', () => {
    const r = runCli(['check', '--format', 'sarif', path.join(ROOT, 'fixtures/servers')], ROOT);
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')
    );
    // The official SARIF 2.1.0 schema is written in JSON Schema draft-04.
    const Draft04 = AjvDraft04 as unknown as new (options: object) => import('ajv').default;
    const ajv = new Draft04({ strict: false, allErrors: true, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false); // the schema really rejects: no tool
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    const first = log.runs[0].results[0];
    expect(log.runs[0].tool.driver.rules[first.ruleIndex].id).toBe(first.ruleId);
  });

  it('writes GitHub workflow annotations', () => {
    const dir = dirWith({ 's.ts': "import { Client } from '@modelcontextprotocol/client';\nawait client.ping();\n" });
    const r = runCli(['check', '--format', 'github', '.'], dir);
    expect(r.stdout.trim()).toBe(
      '::error file=s.ts,line=2,col=13,title=ping::ping is removed from the 2026-07-28 wire; the SDK throws on a modern connection'
    );
  });

  it('explain prints the rule page; an unknown rule is a usage error', () => {
    const r = runCli(['explain', 'session-id'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# `session-id`');
    const bad = runCli(['explain', 'nope'], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown rule "nope"/);
  });

  it('explains every rule id a fixture reports, including rewrite markers and check/<rule> leftovers', () => {
    const ids = new Set<string>();
    for (const f of fs.readdirSync(path.join(ROOT, 'fixtures'), { recursive: true }) as string[]) {
      if (!f.endsWith('.diagnostics.json')) continue;
      for (const d of JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', f), 'utf8'))) ids.add(d.rule);
    }
    expect(ids.size).toBeGreaterThan(20);
    const docs = path.join(ROOT, 'docs');
    for (const id of [...ids, 'parse-error', 'type-error', 'unchecked-file', 'stateless-entry/crash']) {
      const text = explanation(id, docs);
      const rule = id
        .replace(/^check\//, '')
        .split('/')
        .pop()!;
      expect(text, id).toMatch(/^# `/);
      expect(text.length, id).toBeGreaterThan(80);
      if (id.includes('/') && rule !== 'crash') expect(text, id).toContain(rule);
    }
    const marker = runCli(['explain', 'stateless-entry/sse-endpoint'], ROOT);
    expect(marker.code).toBe(0);
    expect(marker.stdout).toMatch(/stateless-entry\/sse-endpoint.*\/mcp/s);
    expect(runCli(['explain', 'stateless-entry/no-such-marker'], ROOT).code).toBe(2);
  });

  it('fails the gate on a file that uses MCP but does not parse, or is too big to check', () => {
    const dir = dirWith({
      'broken.ts':
        "import { McpServer } from '@modelcontextprotocol/server';\nconst s = new McpServer({ name: 'x' };\n",
      'huge.ts': `import { McpServer } from '@modelcontextprotocol/server';\n//${'x'.repeat(2 * 1024 * 1024)}\n`,
      'bundle.js': `//${'y'.repeat(2 * 1024 * 1024)}\n`
    });
    const r = runCli(['check', '--format', 'json', '.'], dir);
    expect(r.code).toBe(1);
    const unchecked = JSON.parse(r.stdout).findings.filter((f: { rule: string }) => f.rule === 'unchecked-file');
    expect(unchecked.map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([
      ['broken.ts', 2],
      ['huge.ts', 1]
    ]);
    expect(unchecked[0].message).toMatch(/not checked: does not parse/);
    expect(unchecked[1].message).toMatch(/over the 2 MB limit/);
  });

  it('a bad --format is a usage error', () => {
    expect(runCli(['check', '--format', 'xml', '.'], ROOT).code).toBe(2);
  });
});
