/**
 * Where each v1 SDK module went in v2 (facts from the v2 migration guide, checked against the published packages):
 * the entry point its symbols prefer (`'context'`: the server or client package, by what the file is), or why it
 * has no v2 home. Symbols are then routed one by one to an entry point that really exports them (routing.ts), so
 * this table only breaks ties and explains removals. Keys are module paths inside the SDK without extension.
 */
export type Preferred = string | 'context' | 'validators/ajv' | 'validators/cf-worker';

export interface ModuleFacts {
  prefer?: Preferred;
  /** The module has no v2 counterpart: why, and what to do instead (the import is kept and marked). */
  removed?: string;
  /** Per-module renames of exported symbols (on top of the global ones in renames.ts). */
  renames?: Record<string, string>;
  /** Works, but on a frozen or deprecated v2 package: a NOTE saying where the maintained home is. */
  note?: string;
}

const TASKS_REMOVED =
  'the experimental tasks API is gone from v2 (SEP-2663 moved tasks to the io.modelcontextprotocol/tasks extension, ' +
  'which v2 ships no runtime for): run the work inside the tool call, or answer with inputRequired rounds';

const LEGACY_AUTH =
  'the v1 OAuth authorization-server helpers live on, frozen, in @modelcontextprotocol/server-legacy/auth; ' +
  'resource-server pieces (requireBearerAuth, mcpAuthMetadataRouter) are maintained in @modelcontextprotocol/express, ' +
  'whose verifiers throw the v2 OAuthError';

export const MODULES: Record<string, ModuleFacts> = {
  'server/mcp': { prefer: '@modelcontextprotocol/server' },
  'server/index': { prefer: '@modelcontextprotocol/server' },
  server: { prefer: '@modelcontextprotocol/server' },
  'server/completable': { prefer: '@modelcontextprotocol/server' },
  'server/webStandardStreamableHttp': { prefer: '@modelcontextprotocol/server' },
  'server/stdio': { prefer: '@modelcontextprotocol/server/stdio' },
  'server/streamableHttp': {
    prefer: '@modelcontextprotocol/node',
    renames: { StreamableHTTPServerTransport: 'NodeStreamableHTTPServerTransport' }
  },
  'server/sse': {
    prefer: '@modelcontextprotocol/server-legacy/sse',
    note: 'SSEServerTransport lives on, frozen, in @modelcontextprotocol/server-legacy; serve Streamable HTTP with createMcpHandler'
  },
  'server/express': { prefer: '@modelcontextprotocol/express' },
  'server/middleware': { prefer: '@modelcontextprotocol/express' },
  'server/middleware/hostHeaderValidation': { prefer: '@modelcontextprotocol/express' },
  'server/auth/types': { prefer: 'context' },
  'server/auth/provider': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/auth/router': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/auth/middleware': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/auth/middleware/bearerAuth': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/auth/middleware/clientAuth': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/auth/errors': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/auth/clients': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/auth/handlers/metadata': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/auth/providers/proxyProvider': { prefer: '@modelcontextprotocol/server-legacy/auth', note: LEGACY_AUTH },
  'server/zod-compat': {
    removed:
      "zod-compat is gone from v2: schemas are Standard Schema objects; type generic helpers with StandardSchemaWithJSON from '@modelcontextprotocol/server'"
  },
  'server/zod-json-schema-compat': {
    removed:
      "zod-json-schema-compat is gone from v2: convert a zod 4 schema with z.toJSONSchema(schema, { io: 'input' }), or wrap JSON Schema with fromJsonSchema"
  },
  client: { prefer: '@modelcontextprotocol/client' },
  'client/index': { prefer: '@modelcontextprotocol/client' },
  'client/auth': { prefer: '@modelcontextprotocol/client' },
  'client/auth-extensions': { prefer: '@modelcontextprotocol/client' },
  'client/streamableHttp': { prefer: '@modelcontextprotocol/client' },
  'client/sse': { prefer: '@modelcontextprotocol/client' },
  'client/middleware': { prefer: '@modelcontextprotocol/client' },
  'client/stdio': { prefer: '@modelcontextprotocol/client/stdio' },
  'client/websocket': {
    removed:
      'WebSocketClientTransport is gone from v2: connect with StreamableHTTPClientTransport (or StdioClientTransport)'
  },
  types: { prefer: 'context', renames: { ResourceTemplate: 'ResourceTemplateType' } },
  'shared/protocol': { prefer: 'context' },
  'shared/transport': { prefer: 'context' },
  'shared/auth': { prefer: 'context' },
  'shared/auth-utils': { prefer: 'context' },
  'shared/uriTemplate': { prefer: 'context' },
  'shared/stdio': { prefer: 'context' },
  'shared/metadataUtils': { prefer: 'context' },
  inMemory: { prefer: 'context' },
  'validation/ajv-provider': { prefer: 'validators/ajv' },
  'validation/ajv': { prefer: 'validators/ajv' },
  'validation/cfworker-provider': { prefer: 'validators/cf-worker' },
  'validation/cfworker': { prefer: 'validators/cf-worker' },
  'validation/index': { prefer: 'context' },
  'validation/types': { prefer: 'context' },
  'experimental/tasks': { removed: TASKS_REMOVED },
  experimental: { removed: TASKS_REMOVED }
};

/** The facts of a module path (`server/mcp`, `experimental/tasks/stores/in-memory`): exact, else its nearest parent. */
export function factsOf(modulePath: string): ModuleFacts | undefined {
  for (let p = modulePath; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
    if (Object.hasOwn(MODULES, p)) return MODULES[p];
  }
  return undefined;
}

/** Symbols with no v2 export, and what to do instead. */
export const REMOVED_SYMBOLS: Record<string, string> = {
  AnySchema: MODULES['server/zod-compat']!.removed!,
  SchemaOutput: MODULES['server/zod-compat']!.removed!,
  ZodRawShapeCompat: MODULES['server/zod-compat']!.removed!,
  RequestTaskStore: TASKS_REMOVED,
  TaskStore: TASKS_REMOVED,
  InMemoryTaskStore: TASKS_REMOVED,
  InMemoryTaskMessageQueue: TASKS_REMOVED,
  TaskMessageQueue: TASKS_REMOVED,
  CreateTaskResult: TASKS_REMOVED,
  InMemoryEventStore:
    'event stores and stream resumability are gone from 2026-07-28: drop the event store and serve through createMcpHandler',
  WebSocketClientTransport: MODULES['client/websocket']!.removed!
};
