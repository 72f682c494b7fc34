/**
 * stateless-entry (SEP-2575 removes `initialize`, SEP-2567 removes `Mcp-Session-Id`).
 *
 * On the v2 SDK a server speaks 2026-07-28 only through `createMcpHandler(factory)` (HTTP) or
 * `serveStdio(factory)` (stdio); `server.connect(transport)` keeps it on 2025 forever. This rewrite:
 * - stdio: `await server.connect(new StdioServerTransport())` → `serveStdio(() => createServer())`;
 * - Streamable HTTP (Node/Express, web-standard/Hono): the per-session transport plumbing in a request handler
 *   → one module-level `createMcpHandler(() => buildServer())`, called through `toNodeHandler` or `.fetch`;
 *   `app.post(path)` → `app.all(path)`; GET/DELETE session routes, the transports map, `isInitializeRequest`,
 *   `mcp-session-id` reads and `onclose` cleanup are removed; unused imports pruned;
 * - a server built once and connected to every transport → a generated `createServer()` factory holding its
 *   construction and registrations (state the handlers close over stays at module scope).
 *
 * Skips, with a `TODO(mcp-migrate/stateless-entry/<rule>)` marker and an error diagnostic:
 * - the server is exported, reassigned, or used outside its registrations (timers, other modules);
 * - the factory takes arguments from the request or session; the connect result is used;
 * - a transport is created outside a request handler, or no `handleRequest` call can be found.
 * Also marked: mutable state declared inside a factory and captured by handlers (it now lives for one request).
 * - HTTP+SSE (`GET /sse` + `POST /messages`) → Streamable HTTP at `/mcp`, always with a NOTE marker and a warning,
 *   because every client must be pointed at the new URL;
 * - a class method connecting the server it holds to a transport handed in → serveStdio with that transport;
 * - CORS header lists: the 2026 request headers allowed, `Mcp-Session-Id` / `Last-Event-ID` no longer exposed;
 * - a module-level event store nothing reads once the routes are rewritten goes (there is no resumability), and so
 *   do the calls closing a stream for the client to resume (`ctx.http?.closeSSE()`) and the branches they guard.
 */
import { tidyReprint } from '../kit/reprint.js';
import { defineTransform, type RewriteContext, type TransformMeta } from '../kit/transform.js';
import { entryContext, TRANSFORM_ID } from './entry-context.js';
import { moduleFunctionsInUse, removeOrphanedFunctions } from './orphaned-functions.js';
import { rewriteHttpEntries } from './http-entry.js';
import { ensureNamedImport, pruneImports, usedImportNames } from '../kit/imports.js';
import { rewriteSseEntries } from './sse-entry.js';
import { connectLeftoversToSharedFactories } from './entry-factory.js';
import { rewriteCorsHeaders } from './cors-headers.js';
import { publishThroughHandler } from './handler-notify.js';
import { removeCloseSseCalls } from './close-sse-calls.js';
import { applyHandoffs, type PlannedHandoff } from './handoffs.js';
import { planHandoffs } from './handoff-plan.js';
import { removeUnusedTransportProperties, removeUnusedTransportSlots } from './transport-properties.js';
import { privateFieldsInUse, removeOrphanedFields } from './orphaned-fields.js';
import { classTransportTables, removeTransportTableLeftovers } from './map-leftovers.js';
import { eventStoresInUse, removeUnusedEventStores } from './event-stores.js';
import { indentFunctionBodies } from './reindent.js';
import { removeUnreadSessionObjects, sessionObjectsInUse } from './session-objects.js';
import { rewriteStdioEntries } from './stdio-entry.js';
import { rewriteConnectWrappers } from './connect-wrapper.js';
import { classServersToFactories } from './class-server-factory.js';
import { applyLocalHandoffs } from './local-handoffs.js';
import { applyConstructorHandoffs, takeConstructorFactory } from './constructor-handoffs.js';
import { indentUnit, printOptions } from '../kit/source-style.js';

const meta: TransformMeta = {
  id: TRANSFORM_ID,
  title: 'Stateless entry',
  summary: 'connect(transport) and session plumbing → createMcpHandler / toNodeHandler / serveStdio (2026-07-28)',
  spec: ['SEP-2575', 'SEP-2567'],
  safety: 'review',
  // `this.server.connect(`: a class serving the server it holds over a transport its caller hands it.
  prefilter: new RegExp(
    [
      'StreamableHTTP(?:Server)?Transport',
      'Stdio\\w*Transport',
      'InMemoryTransport',
      'SSEServerTransport',
      'mcp-session-id',
      'last-event-id',
      // A stream-closing callback a tool calls, in a file with no transport at all.
      '\\bcloseS(?:tandaloneS)?SE\\b',
      '\\bthis\\.\\w+\\.connect\\(',
      // A test pairing two transports of its own class, one for a client and one for the server: two built.
      '(?:\\bnew\\s+\\w*Transport\\s*\\([\\s\\S]*?){2}'
    ].join('|'),
    'i'
  ),
  plan: planHandoffs
};

function statelessEntry({ file, j, options }: RewriteContext<undefined>): string | undefined {
  const root = j(file.source);
  const ctx = entryContext(j, root, options, file.path);
  // Imports only the removed session plumbing used (a store's cleanup function) go with it; imports the user had
  // left unused are theirs.
  const usedBefore = usedImportNames(j, root);
  const storesInUse = eventStoresInUse(ctx, file.source);
  const sessionObjects = sessionObjectsInUse(ctx);
  const transportTables = classTransportTables(ctx);
  const fieldsInUse = privateFieldsInUse(ctx);
  const functionsInUse = moduleFunctionsInUse(ctx);
  // First: a server handed to another module's serving helper becomes the factory the other entries serve too.
  const planned = (options.planned?.[TRANSFORM_ID] ?? []) as PlannedHandoff[];
  if (planned.length) applyHandoffs(ctx, planned, key => options.honour?.(key), takeConstructorFactory);
  // A class connecting the one server its constructor built gets a method that builds one, for the entries to serve;
  // a helper of this module handed the one server takes a factory instead.
  // A class serving the server it holds over a transport its caller hands in keeps that one server: first, so the
  // class rewrite below does not take its connect for a site to build a fresh server at.
  rewriteConnectWrappers(ctx);
  classServersToFactories(ctx);
  for (const hand of ctx.classHands)
    if (hand.calls.every(call => call.arguments[hand.index]?.type === 'ArrowFunctionExpression')) hand.honour();
  applyLocalHandoffs(ctx);
  applyConstructorHandoffs(ctx);
  rewriteStdioEntries(ctx);
  rewriteSseEntries(ctx);
  rewriteHttpEntries(ctx);
  connectLeftoversToSharedFactories(ctx);
  for (const later of ctx.servedLater) if (later.done()) later.honour();
  // Only once a route was rewritten: before that, an unused transports property is the user's business.
  if (ctx.changed) {
    removeUnusedTransportProperties(ctx);
    removeUnusedTransportSlots(ctx);
    removeTransportTableLeftovers(ctx, transportTables);
    removeUnusedEventStores(ctx, storesInUse);
    removeUnreadSessionObjects(ctx, sessionObjects);
    removeOrphanedFields(ctx, fieldsInUse);
    removeOrphanedFunctions(ctx, functionsInUse);
  }
  rewriteCorsHeaders(ctx);
  publishThroughHandler(ctx);
  removeCloseSseCalls(ctx);
  if (!ctx.changed) return undefined;
  for (const [module, names] of ctx.imports) for (const name of names) ensureNamedImport(j, root, module, name);
  pruneImports(j, root, [...ctx.maybeUnused, ...usedBefore]);
  return indentFunctionBodies(
    file.path,
    tidyReprint(file.source, root.toSource(printOptions(file.source))),
    ctx.generated,
    indentUnit(file.source)
  );
}

export default defineTransform({ meta, rewrite: statelessEntry });
