/**
 * The rules of `mcp-migrate check`: every API a 2026-07-28 server or client may still contain that is removed
 * from the wire or the v2 SDK (error), deprecated with the 12-month runway (warning), or deprecated in the SDK's
 * typings only (info), plus the markers the rewrites leave. Rules are data: a pattern over code (comments
 * excluded) or over comments, optionally only in files matching `when`. One engine (matcher.ts) runs them all.
 */
import { MARKER_RULES } from './marker-rules.js';
import { SERVER_CONNECTS_TRANSPORT } from '../prefilter.js';
import { servesStdio } from '../../transforms/logging-to-otel/serving-code.js';
import type { Rule } from './rule.js';

export type { Rule } from './rule.js';

const SPEC = 'https://modelcontextprotocol.io/specification/2026-07-28';
const CHANGELOG = `${SPEC}/changelog`;
// `@hono/mcp`'s StreamableHTTPTransport is the SDK's 2025 transport behind a Hono context.
const SERVER_TRANSPORT_FILE = /StreamableHTTPServerTransport|StdioServerTransport|SSEServerTransport|@hono\/mcp/;
// Between the `{` or `,` and a shorthand key, blanks or comments: a marker the leftover pass puts above the key must
// not hide the finding it explains.
const GAP = String.raw`(?:\s|//[^\n]*\n|/\*[\s\S]*?\*/)*`;

/** `name` as a key of an object (`name: …`, `name?: T`) or a shorthand property (`{ a, name }`): where an API option is set or declared. */
// `{ name: … }`, `{ name }` / `{ a, name }` (shorthand): a key. Not `${name}` in a template, which reads a variable.
// The name before the look-behind: tried at every offset, a leading look-behind is most of a large file's time.
const OPTION_KEY = (name: string) =>
  `\\b${name}\\s*\\??:(?!:)|${name}(?<=(?:(?<!\\$)\\{${GAP}|,${GAP})${name})(?=\\s*[,}])`;

export const RULES: Rule[] = [
  {
    id: 'initialize-handshake',
    severity: 'error',
    message: 'the initialize handshake is gone in 2026-07-28: every request carries its own protocol envelope',
    fix: 'serve through createMcpHandler / serveStdio and read the client from ctx.mcpReq.envelope',
    automatedBy: 'stateless-entry, request-envelope',
    spec: `${SPEC}/basic/lifecycle`,
    // An assignment of the hook, not a comparison (`=== 'function'`) or a clearing (`= undefined`); or the same hook
    // registered as the notifications/initialized handler.
    pattern: new RegExp(
      [
        String.raw`\bisInitializeRequest\s*\(|\bInitializeRequestSchema\b|\.oninitialized\s*=(?!=)(?!\s*(?:undefined|null)\b)`,
        // A server's handler only: a client's (`mcpClient.setNotificationHandler(…)`) waits for what no server sends.
        String.raw`(?<![cC]lient\??)\.setNotificationHandler\s*\(\s*(?:InitializedNotificationSchema\b|['"]notifications\/initialized['"])`
      ].join('|'),
      'g'
    ),
    // An MCP Apps host's `bridge.oninitialized` is the app's handshake, which 2026-07-28 did not touch.
    notOnForeignInstance: /^\.oninitialized/
  },
  {
    id: 'session-id',
    severity: 'error',
    message: 'protocol sessions and the Mcp-Session-Id header are removed in 2026-07-28',
    fix: 'serve statelessly with createMcpHandler; keep cross-call state behind explicit handles',
    automatedBy: 'stateless-entry',
    spec: `${SPEC}/basic/transports/streamable-http`,
    // The header as a name (a whole string, or an item of a header list), not prose that mentions it; and
    // `sessionIdGenerator: undefined` (or `void 0`, as compilers write it), which asks for no sessions (the transport
    // it configures is flagged itself).
    pattern: new RegExp(
      String.raw`mcp-session-id(?<=(?:['"${'`'}]\s*|,\s*)mcp-session-id)(?=\s*['"${'`'},])|` +
        String.raw`\bsessionIdGenerator\b(?!\s*\??:\s*(?:undefined\b|void\s+0\b))|\bonsessioninitialized\b|\bonsessionclosed\b`,
      'gi'
    ),
    // A log line naming the header's value reads undefined on 2026-07-28 and still runs: nothing to fix.
    notInLogging: true,
    notInSessionPickup: true
  },
  {
    id: 'session-state',
    severity: 'error',
    message: 'state keyed by the session id: on 2026-07-28 requests ctx.sessionId is undefined',
    fix: 'mint a handle in a create_<noun> tool and pass it as an ordinary tool argument',
    automatedBy: 'session-handles',
    spec: `${SPEC}/server/tools#stateful-tools`,
    pattern: /\b(?:ctx|extra)\.sessionId\b/g
  },
  {
    id: 'session-routes',
    severity: 'error',
    message: 'GET (standalone SSE stream) and DELETE (session termination) routes have no meaning on 2026-07-28',
    fix: 'remove them; createMcpHandler answers GET/DELETE with 405 and serves subscriptions/listen',
    automatedBy: 'stateless-entry',
    spec: `${SPEC}/basic/transports/streamable-http`,
    pattern: /\.(?:get|delete)\(\s*['"`]\/mcp['"`]/g,
    when: /mcp-session-id|transports?\s*\[|transports?\.get\(/i
  },
  {
    id: 'resumability',
    severity: 'error',
    message: 'SSE resumability (event stores, Last-Event-ID, closeSSEStream) is removed in 2026-07-28',
    fix: 'drop the event store; a client re-issues an interrupted request',
    automatedBy: 'stateless-entry',
    spec: CHANGELOG,
    // The SDK's store types and the transport option, not every variable a project happens to call eventStore.
    pattern: new RegExp(
      [
        '\\bInMemoryEventStore\\b',
        // The SDK's EventStore type where it is imported (its uses follow from that line); a project's own
        // EventStore (event sourcing) is not the SDK's. The word comes first: a look-behind tried at every offset
        // scans back to the last `}` each time, which took 45 s on a 1.7 MB bundle.
        '\\bEventStore\\b(?<=import\\s+(?:type\\s+)?\\{[^}]*EventStore)(?=[^}]*\\}\\s*from\\s*[\'"]@modelcontextprotocol)',
        OPTION_KEY('eventStore'),
        '[Ll]ast-[Ee]vent-I[Dd](?<=(?:[\'"`]\\s*|,\\s*)[Ll]ast-[Ee]vent-I[Dd])(?=\\s*[\'"`,])',
        '\\bcloseSSEStream\\b',
        '\\bcloseSSE\\b'
      ].join('|'),
      'g'
    ),
    shorthandOnlyInBraces: /^eventStore$/,
    notInDeclarations: /^eventStore\b/
  },
  {
    id: 'server-connect-transport',
    severity: 'error',
    message: 'server.connect(transport) serves only the 2025 protocol era',
    fix: 'serve the server factory with createMcpHandler (HTTP) or serveStdio (stdio)',
    automatedBy: 'stateless-entry',
    spec: `${SPEC}/basic/lifecycle`,
    // The transport by its name (`transport`, `stdioTransport`, `transportInstance`), or any single value handed to
    // an object named as the server (`serverInstance.connect(stdio)`): a connect the name test missed was left
    // unrewritten with no finding and no marker.
    pattern: new RegExp(
      // The transport may be held in a property (`this.transport`, `options.transport`).
      String.raw`(?<![Cc]lient\d*)\.connect\s*\(\s*(?:new\s+)?` +
        String.raw`(?:[\w$]+\??\.)*(?![\w$]*[Cc]lient)\w*[Tt]ransport\w*|` +
        // At `.connect`, where the first form reports it; the receiver is read behind it (`server`, `buildServer()`).
        String.raw`\.connect\s*\(\s*(?:this\.)?[\w$]+\s*\)` +
        String.raw`(?<=\b(?![\w$]*[cC]lient)[\w$]*(?:[sS]erver|[mM]cp|MCP)[\w$]*(?:\([^()]*\))?` +
        String.raw`\.connect\s*\(\s*(?:this\.)?[\w$]+\s*\))`,
      'g'
    ),
    // A bundle's names: `import{StdioServerTransport as ro}…n=new ro;await r.connect(n)`.
    filePattern: aliasedTransportConnects,
    notOnOwnConnect: true,
    // A test reading the source for the call (`src.indexOf('server.connect(transport)')`) makes no connection.
    notInStrings: true,
    // Also where the transport comes from another module (`const transport = createStdioTransport()`): the entry
    // file then names no transport class, only the server it connects.
    when: new RegExp(`${SERVER_TRANSPORT_FILE.source}|${SERVER_CONNECTS_TRANSPORT}`)
  },
  {
    id: 'ping',
    severity: 'error',
    message: 'ping is removed from the 2026-07-28 wire; the SDK throws on a modern connection',
    fix: 'remove it; rely on transport-level health checks',
    spec: CHANGELOG,
    pattern: /\.ping\s*\(\s*\)|\bPingRequestSchema\b/g,
    // A WebSocket's own keepalive frame (`ws.ping()`, `if (socket.readyState === WebSocket.OPEN) client.ping()`) is
    // not the MCP request.
    notAfter: /(?:\bws|[sS]ocket)$/,
    notNear: /\.readyState\b|\bWebSocket\.OPEN\b/
  },
  {
    id: 'logging-set-level',
    severity: 'error',
    message: 'logging/setLevel is removed from the 2026-07-28 wire (the level travels per request)',
    fix: 'remove the handler and client calls; use OpenTelemetry for diagnostics',
    automatedBy: 'logging-to-otel',
    spec: `${SPEC}/server/utilities/logging`,
    pattern: /\bsetLoggingLevel\s*\(|\bSetLevelRequestSchema\b|['"]logging\/setLevel['"]/g,
    // A barrel re-exporting the schema serves nothing; the handler that registers it is the finding.
    notInImports: true
  },
  {
    id: 'logging',
    severity: 'warning',
    message: 'MCP logging is deprecated (SEP-2577) and silently dropped on most 2026-07-28 requests',
    fix: 'emit OpenTelemetry spans and span events; log to stderr on stdio',
    automatedBy: 'logging-to-otel',
    spec: `${SPEC}/server/utilities/logging`,
    pattern:
      /\bsendLoggingMessage\s*\(|['"]notifications\/message['"]|\bmcpReq\.log\s*\(|\bLoggingMessageNotificationSchema\b|\blogging\s*:\s*\{/g
  },
  {
    id: 'roots',
    severity: 'error',
    message:
      'a roots/list request pushed to the client fails on every 2026-07-28 request, and notifications/roots/list_changed ' +
      'is gone from the wire; roots themselves are deprecated (SEP-2577)',
    fix: 'take paths as tool parameters or configuration; if needed, ask with inputRequired.listRoots()',
    automatedBy: 'push-to-input-required',
    spec: `${SPEC}/client/roots`,
    // The server's own call (`server.server.listRoots()`, `ctx.mcpReq.listRoots()`), not a client answering one.
    pattern:
      /(?:[\w$]*[sS]erver|mcpReq)\.listRoots\s*\(|['"]roots\/list['"]|\bsendRootsListChanged\b|\bRootsListChangedNotificationSchema\b/g,
    notAfter: /inputRequired\.$|\bsetRequestHandler\(\s*$/,
    notInImports: true,
    notInInputRequest: true
  },
  {
    id: 'sampling',
    severity: 'error',
    message:
      'a sampling request pushed to the client fails on every 2026-07-28 request; sampling itself is deprecated (SEP-2577)',
    fix: "call the LLM provider's API directly; if needed, ask with inputRequired.createMessage(...)",
    automatedBy: 'push-to-input-required',
    spec: `${SPEC}/client/sampling`,
    // The server's own request (a chat library's `createMessage` on another object is not one); `requestSampling` as
    // a member (the context's, a session's), not a project's own function by that name (its body is checked).
    pattern: /(?:[\w$]*[sS]erver|mcpReq)\.createMessage\s*\(|\.requestSampling\s*\(|['"]sampling\/createMessage['"]/g,
    notAfter: /inputRequired\.$|\bsetRequestHandler\(\s*$/,
    notInImports: true,
    notInInputRequest: true
  },
  {
    id: 'push-elicitation',
    severity: 'error',
    message: 'server→client elicitation requests are removed in 2026-07-28 (multi-round-trip results replace them)',
    fix: 'return inputRequired({ inputRequests: { key: inputRequired.elicit({...}) } }) and read ctx.mcpReq.inputResponses',
    automatedBy: 'push-to-input-required',
    spec: `${SPEC}/basic/patterns/mrtr`,
    pattern: /\belicitInput\s*\(|['"]elicitation\/create['"]|\bUrlElicitationRequiredError\b/g,
    // `client.setRequestHandler('elicitation/create', …)` is how a v2 client answers the input requests of 2026
    // (and the pushed requests of 2025): no server ever registers that method.
    notAfter: /inputRequired\.$|\bsetRequestHandler\(\s*$/,
    notInInputRequest: true
  },
  {
    id: 'elicitation-complete',
    severity: 'error',
    message: 'notifications/elicitation/complete is removed in 2026-07-28',
    fix: 'let the client retry the original request; correlate through requestState',
    automatedBy: 'push-to-input-required',
    spec: CHANGELOG,
    // elicitationId as a field of an elicitation (a key), not a project's own variable of that name.
    pattern: new RegExp(
      [
        'elicitation/complete',
        '\\bcreateElicitationCompletionNotifier\\b',
        '\\bElicitationCompleteNotification\\w*',
        OPTION_KEY('elicitationId')
      ].join('|'),
      'g'
    ),
    // The field lives in URL-mode elicitation params (`mode: 'url'`, in elicitInput or a URL-elicitation error) and in
    // the completion notification; a tool's own `elicitationId` argument (its schema, the arguments a test calls it
    // with, a function's parameter) is the project's name, and a log line naming the method sends nothing.
    onlyInObjectWith: {
      match: /^elicitationId/,
      context: /\bmode\s*:\s*['"`]url['"`]|\bElicitRequestURLParams\b|\bElicitationComplete\w*|elicitation\/complete/
    },
    notInParameters: /^elicitationId/,
    notInLogging: true
  },
  {
    id: 'resource-subscribe',
    severity: 'error',
    message: 'resources/subscribe and resources/unsubscribe are replaced by subscriptions/listen',
    fix: 'client: client.listen({ resourceSubscriptions: [uri] }); server: handler.notify.resourceUpdated(uri)',
    spec: CHANGELOG,
    // Not a handler that only acknowledges (`'resources/subscribe', async () => ({})`): it answers the 2025-era
    // clients still served and keeps nothing from 2026-07-28 ones.
    pattern: new RegExp(
      [
        String.raw`\bsubscribeResource\s*\(`,
        String.raw`\bunsubscribeResource\s*\(`,
        String.raw`['"]resources\/(?:un)?subscribe['"](?!\s*,\s*(?:async\s*)?\(\s*\)\s*=>\s*\(\s*\{\s*\}\s*\))`,
        String.raw`\b(?:Un)?[Ss]ubscribeRequestSchema\b`
      ].join('|'),
      'g'
    )
  },
  {
    id: 'unsolicited-list-changed',
    severity: 'warning',
    message: 'list-changed notifications reach 2026-07-28 clients only through subscriptions/listen',
    fix:
      'on HTTP publish with handler.notify.toolsChanged() (and a shared ServerEventBus across instances); a server ' +
      'served by serveStdio alone needs nothing (it routes them onto the listen streams)',
    spec: CHANGELOG,
    pattern: /\bsend(?:Tool|Resource|Prompt)ListChanged\s*\(/g,
    // serveStdio routes a modern connection's outbound change notifications onto its subscriptions/listen streams
    // itself: a file served only that way (no HTTP handler) sends them as it did.
    when: { test: code => !/\bserveStdio\s*\(/.test(code) || /\bcreateMcpHandler\s*\(/.test(code) }
  },
  {
    id: 'experimental-tasks',
    severity: 'error',
    message: 'experimental tasks are gone from the v2 SDK and moved to an extension in 2026-07-28',
    fix: 'return results directly, or implement the io.modelcontextprotocol/tasks extension methods yourself',
    spec: CHANGELOG,
    // The SDK's task API and the removed methods, not every variable a project happens to call taskStore.
    pattern: new RegExp(
      [
        '\\bregisterToolTask\\b',
        '\\bInMemoryTask(?:Store|MessageQueue)\\b',
        OPTION_KEY('taskStore'),
        OPTION_KEY('taskMessageQueue'),
        '\\btaskSupport\\b',
        '\\bcallToolStream\\b',
        '\\bexperimental\\.tasks\\b',
        'experimental/tasks',
        '\\b(?:ListTasks|GetTaskPayload)RequestSchema\\b',
        '[\'"]tasks/(?:list|result)[\'"]'
      ].join('|'),
      'g'
    ),
    notInParameters: /^task(?:Store|MessageQueue)\b/,
    shorthandOnlyInBraces: /^task(?:Store|MessageQueue)$/,
    notInDeclarations: /^task(?:Store|MessageQueue)\b/
  },
  {
    id: 'http-sse-transport',
    severity: 'error',
    message: 'the HTTP+SSE transport is deprecated and removed from the v2 server package',
    fix: 'serve Streamable HTTP through createMcpHandler (and point clients at the new URL)',
    automatedBy: 'stateless-entry',
    spec: `${SPEC}/basic/transports`,
    pattern: /\bSSEServerTransport\b|server\/sse\.js|server-legacy\/sse/g
  },
  {
    id: 'websocket-transport',
    severity: 'error',
    message: 'WebSocketClientTransport is removed from the v2 SDK',
    fix: 'use Streamable HTTP or stdio',
    spec: `${SPEC}/basic/transports`,
    pattern: /\bWebSocketClientTransport\b|client\/websocket/g
  },
  {
    id: 'dynamic-client-registration',
    severity: 'warning',
    message: 'dynamic client registration is deprecated in favour of Client ID Metadata Documents',
    fix: 'publish a client ID metadata document and use its URL as the client_id',
    spec: `${SPEC}/basic/authorization`,
    pattern: /\bregisterClient\s*\(/g
  },
  {
    id: 'old-error-codes',
    severity: 'error',
    message: 'this error code is not the 2026-07-28 one (resource not found is -32602; -32042 is gone)',
    fix: 'throw ResourceNotFoundError; a tool that needs a URL step returns inputRequired(… inputRequired.elicitUrl(…))',
    // A read handler's `throw new McpError(-32002, …)` (the v1 → v2 stage); other uses stay to fix by hand.
    automatedBy: 'surface',
    spec: `${SPEC}/basic/index#error-codes`,
    // -32000..-32019 stay an implementation-defined band in 2026-07-28: a server's own -32001 ("Unauthorized",
    // "Session not found") is legal; only the two codes the spec gave a meaning it has now taken away are wrong,
    // and -32002 only where it still means that: a missing resource (an auth middleware's own -32002 "Forbidden"
    // is as legal as its -32001).
    pattern: /-32002\b|-32042\b/g,
    onlyNear: { match: /-32002/, context: /resource|not[\s_-]*found|no such|unknown|\buri\b/i },
    notInStrings: true
  },
  {
    id: 'deprecated-client-accessors',
    severity: 'info',
    message: 'getClientCapabilities/getClientVersion/getNegotiatedProtocolVersion are deprecated in the v2 SDK',
    fix: 'read ctx.mcpReq.envelope inside the handler',
    automatedBy: 'request-envelope',
    spec: `${SPEC}/basic/index`,
    pattern: /\bgetClientCapabilities\s*\(|\bgetClientVersion\s*\(|\bgetNegotiatedProtocolVersion\s*\(/g
  },
  {
    id: 'low-level-server',
    severity: 'info',
    message: 'the low-level Server class is deprecated in the v2 SDK',
    fix:
      'use McpServer with registerTool / registerResource / registerPrompt (validators-to-json-schema ' +
      'keeps the low-level Server but validates tools/call arguments against the advertised schemas)',
    spec: `${SPEC}/server`,
    pattern: /\bnew\s+Server\s*\(/g,
    when: /@modelcontextprotocol\//
  },
  {
    id: 'raw-shape-schema',
    severity: 'info',
    message: 'raw zod shapes as schemas are deprecated in the v2 SDK',
    fix: 'wrap the shape in z.object({...}) or use fromJsonSchema',
    spec: `${SPEC}/server/tools`,
    pattern: /\b(?:inputSchema|argsSchema|outputSchema)\s*:\s*\{\s*[\w$]+\s*:\s*z\./g
  },
  {
    id: 'draft-schema-dialect',
    severity: 'warning',
    message:
      'a tool schema names a draft JSON Schema dialect; 2026-07-28 reads schemas as JSON Schema 2020-12, and clients need not support other dialects',
    fix: 'write the schema in 2020-12 ($defs, prefixItems, dependentRequired / dependentSchemas) and drop $schema',
    automatedBy: 'validators-to-json-schema',
    spec: `${SPEC}/basic`,
    pattern: /["']?\$schema["']?\s*:\s*["']https?:\/\/json-schema\.org\/draft-0[3-7]\/schema#?["']/g,
    when: /@modelcontextprotocol\//
  },
  {
    id: 'zod-to-json-schema',
    severity: 'warning',
    message: 'zodToJsonSchema emits draft-07 schemas; 2026-07-28 reads tool schemas as JSON Schema 2020-12',
    fix: "let zod 4 convert its own schema: z.toJSONSchema(schema, { io: 'input' }), or pass the zod object to registerTool",
    automatedBy: 'validators-to-json-schema',
    spec: `${SPEC}/server/tools`,
    pattern: /\bzodToJsonSchema\s*\(/g,
    when: /@modelcontextprotocol\//
  },
  {
    id: 'zod-json-schema',
    severity: 'error',
    message:
      'zod 4 cannot write this type as JSON Schema, and the v2 SDK lists tools and prompts through that conversion: ' +
      'one such field fails tools/list for every tool',
    fix:
      'describe the JSON the client sends and convert in the handler: z.iso.datetime() or ' +
      'z.union([z.string(), z.number()]).pipe(z.coerce.date()) for a date, z.string() for a bigint, z.array() / ' +
      'z.record() for a set / map; leave undefined and void fields out (.optional())',
    spec: `${SPEC}/server/tools`,
    // A coercion on the output side of a pipe is what the zod 4 port writes: its input side is what gets listed.
    pattern: new RegExp(
      String.raw`\bz\s*\.\s*(?:date|bigint|map|set|symbol|void|undefined|nan|function|custom|instanceof)\s*\(|` +
        String.raw`(?<!\.pipe\(\s*)\bz\s*\.\s*coerce\s*\.\s*(?:date|bigint)\s*\(`,
      'g'
    ),
    // Files that register tools or prompts: where a zod schema is most likely one the SDK lists.
    when: /\bregister(?:Tool|Prompt)\s*\(|\.(?:tool|prompt)\s*\(\s*['"`]/,
    notInStrings: true
  },
  {
    id: 'transport-host-options',
    severity: 'info',
    message: 'allowedHosts / allowedOrigins / enableDnsRebindingProtection transport options are deprecated',
    fix: 'use createMcpExpressApp or the host/origin validation guards from @modelcontextprotocol/node',
    spec: `${SPEC}/basic/security_best_practices`,
    pattern: /\ballowedHosts\b|\ballowedOrigins\b|\benableDnsRebindingProtection\b/g,
    when: SERVER_TRANSPORT_FILE
  },
  {
    id: 'client-without-negotiation',
    severity: 'warning',
    message: 'a Client without versionNegotiation speaks only the 2025 protocol',
    fix: "pass { versionNegotiation: { mode: 'auto' } } (or pin '2026-07-28')",
    automatedBy: 'client-version-negotiation',
    spec: `${SPEC}/basic/lifecycle`,
    pattern: /\bnew\s+Client\s*\(/g,
    when: /@modelcontextprotocol\/(?:client|sdk\/client)/,
    argsLack: /versionNegotiation/
  },
  {
    id: 'stdio-console-log',
    severity: 'error',
    message:
      'console.log (and console.info / console.debug) in a stdio server writes to stdout, which is the protocol channel',
    fix: 'log to stderr (console.error) or to OpenTelemetry',
    automatedBy: 'logging-to-otel',
    spec: `${SPEC}/basic/transports/stdio`,
    pattern: /\bconsole\.(?:log|info|debug)\s*\(/g,
    when: { test: servesStdio },
    // `'console.log("hello")'`: a snippet the server hands out, not a call.
    notInStrings: true,
    notInExitBranch: true,
    notInHttpServing: true
  },
  ...MARKER_RULES
];

/**
 * `.connect(…)` of a server transport the file imports under another name, as bundlers do: `new ro` handed in, or a
 * variable assigned `new ro` first. Undefined when the file renames no transport class.
 */
function aliasedTransportConnects(code: string): RegExp | undefined {
  const aliases = [
    ...code.matchAll(/\b(?:\w*StreamableHTTPServerTransport|StdioServerTransport|SSEServerTransport)\s+as\s+([\w$]+)/g)
  ].map(m => escapeName(m[1]!));
  if (aliases.length === 0) return undefined;
  const created = new RegExp(`([\\w$]+)\\s*=\\s*new\\s+(?:${aliases.join('|')})(?![\\w$])`, 'g');
  const variables = [...code.matchAll(created)].map(m => escapeName(m[1]!));
  const handed = [`new\\s+(?:${aliases.join('|')})(?![\\w$])`, ...variables.map(v => `${v}\\s*\\)`)];
  return new RegExp(`(?<![Cc]lient\\d*)\\.connect\\s*\\(\\s*(?:${handed.join('|')})`, 'g');
}

function escapeName(name: string): string {
  return name.replace(/\$/g, '\\$');
}

export function ruleById(id: string): Rule | undefined {
  return RULES.find(r => r.id === id);
}
