/**
 * Streamable HTTP: a request handler that builds or looks up a session transport, connects a server and calls
 * `transport.handleRequest(…)` becomes a call to one module-level `createMcpHandler(() => buildServer())`
 * (through `toNodeHandler` on Node, `handler.fetch` on web-standard runtimes). Session plumbing goes: the
 * transports map, `mcp-session-id` reads, `isInitializeRequest` branches, `onclose` cleanup, GET/DELETE session
 * routes. What the user wrote around it stays: path, middleware, auth, try/catch, port.
 */
import type { ASTPath } from 'jscodeshift';
import {
  enclosingFunction,
  functionsByName,
  handlerFunction,
  isAwaiterGenerator,
  isReferencedOutside,
  isStringLiteral,
  isValueReference,
  mentions,
  propertyKey,
  removeStatement,
  rootIdentifier,
  statementPathOf,
  statementsOf,
  within
} from '../kit/ast.js';
import { importSourceOf } from '../kit/imports.js';
import { delegatedMethod, removeUncalledMethods } from './delegated-methods.js';
import { SESSION_COMMENT, type EntryContext } from './entry-context.js';
import { removeMapLeftovers, removeUnusedTransportTypes } from './map-leftovers.js';
import { companionTables } from './session-companion-tables.js';
import { auditPerRequestState } from './per-request-audit.js';
import { entryFactory } from './entry-factory.js';
import { guardBefore, hostGuardStatements, protectionOptions } from './host-guard.js';
import { dropLifecycleLinks } from './lifecycle-links.js';
import { debugReadMessage, isDebugRead, readFromFactory } from './debug-reads.js';
import { announcesListChange, listChangedMessage, listChangesIn } from './list-changed.js';
import {
  keepOwnCloseWork,
  rewriteStatements,
  sessionWorkMessage,
  teardownWorkMessage,
  userWorkIn
} from './session-statements.js';
import { removeUnreadSessionHeaders, sessionHeadersAround } from './session-header-reads.js';
import { noSessionPage, servedAbove, sessionRouteWork, sessionRouteWorkMessage } from './session-route-pages.js';
import { rewriteStartupTransport } from './startup-transport.js';
import { rewriteTransportGetter } from './transport-getter.js';
import { readsOfDroppedAssignments } from './orphaned-reads.js';
import { initializeOnlyCaller } from './initialize-only-caller.js';
import { dropStatelessTwins, type DroppedTwin } from './stateless-twin.js';
import {
  answersInJson,
  handlerNames,
  localHandlerNames,
  placeHandlers,
  placeLocalHandlers,
  retargetRoutes,
  routeKey,
  servedThrough
} from './handler-placement.js';

type Node = any;

const NODE_TRANSPORTS = ['NodeStreamableHTTPServerTransport', 'StreamableHTTPServerTransport'];
const WEB_TRANSPORT = 'WebStandardStreamableHTTPServerTransport';
/** `@hono/mcp`'s transport: web-standard, handed the Hono context (`transport.handleRequest(c)`) instead of a Request. */
const HONO_TRANSPORT = 'StreamableHTTPTransport';
const HTTP_TRANSPORTS = [...NODE_TRANSPORTS, WEB_TRANSPORT, HONO_TRANSPORT];
export const PLUMBING_IMPORTS = [
  ...NODE_TRANSPORTS,
  WEB_TRANSPORT,
  HONO_TRANSPORT,
  'isInitializeRequest',
  'randomUUID',
  'InMemoryEventStore'
];

interface RequestFunction {
  fn: ASTPath<any>;
  web: boolean;
  /** The transport took the Hono context: the handler takes its Request, `c.req.raw`. */
  hono?: boolean;
}

export interface HttpEntries {
  /** Names of the module-level handler consts created, for later rewrites in the same file. */
  handlers: string[];
  /** Maps of sessions found (so other rewrites can clean up after them). */
  maps: Set<string>;
  /** Tables filed under the session ids beside the transports, and the helpers that filed them (session-companion-tables.ts). */
  companions: Set<string>;
  bookHelpers: Set<string>;
  paths: Set<string>;
}

export function rewriteHttpEntries(ctx: EntryContext): HttpEntries {
  const { j, root } = ctx;
  const result: HttpEntries = {
    handlers: [],
    maps: new Set(),
    companions: new Set(),
    bookHelpers: new Set(),
    paths: new Set()
  };
  const functions: RequestFunction[] = [];
  root.find(j.NewExpression).forEach((p: ASTPath<any>) => {
    const local: string | undefined = p.node.callee?.name;
    const name = ctx.sdkName(local);
    const hono = !!local && name === HONO_TRANSPORT && importSourceOf(j, root, local) === '@hono/mcp';
    const web = name === WEB_TRANSPORT || hono;
    if (!web && !NODE_TRANSPORTS.includes(name ?? '')) return;
    const fn = j(p).closest(j.Function);
    if (fn.size() === 0) {
      if (!web && rewriteStartupTransport(ctx, p, result)) return;
      ctx.unsafe(
        statementOf(p),
        'transport-outside-handler',
        'a Streamable HTTP transport is created outside any request handler; serve the factory with createMcpHandler and toNodeHandler instead'
      );
      return;
    }
    // One stateless transport made at start-up and handed each route's request.
    if (!web && rewriteStartupTransport(ctx, p, result)) return;
    const fnPath = fn.get();
    if (!functions.some(f => f.fn.node === fnPath.node)) functions.push({ fn: fnPath, web, hono });
  });
  // A route serving either way by a setting loses its stateless twin first, so it reads as a session route; the twin
  // goes back where the route is not rewritten, and its helper is served last (it goes if nothing calls it any more).
  const twins = dropStatelessTwins(
    ctx,
    functions.filter(f => !f.web).map(f => f.fn),
    isHttpTransport(ctx),
    fn => connectsIn(ctx, fn, transportsBuiltIn(ctx, fn)),
    statementOf
  );
  const twinHelpers = new Set(twins.flatMap(t => (t.helper ? [t.helper] : [])));
  const isTwinHelper = (rf: RequestFunction) =>
    twinHelpers.has(functionName(rf.fn) ?? '') && !twins.some(t => t.fn.node === rf.fn.node);
  for (const rf of functions) if (!isTwinHelper(rf)) serveRequestFunction(ctx, rf, result);
  // The twins' helpers last: those something else still calls (a session route's own twin) are left after the twins
  // settle and the session routes go.
  settleTwins(ctx, twins);
  removeSessionRoutes(ctx, result, twinHelpers);
  removeUnusedFunctions(
    ctx,
    [...twinHelpers].map(name => ctx.j.identifier(name))
  );
  for (const rf of functions) if (isTwinHelper(rf)) serveRequestFunction(ctx, rf, result);
  // The helpers that filed a companion table under session ids go first, once nothing calls them: their writes are
  // no leftovers of the table to mark.
  removeUnusedFunctions(
    ctx,
    [...result.bookHelpers].map(name => ctx.j.identifier(name))
  );
  // A companion table first: its sweep loop holds the transports' own leftovers, which then go with it.
  const maps = new Set([...result.companions, ...result.maps]);
  removeUnusedFunctions(ctx, removeMapLeftovers(ctx, maps), SESSION_COMMENT);
  if (result.maps.size) removeUnusedTransportTypes(ctx);
  return result;
}

/** Names of the module's own types (interfaces, aliases) that name a session transport: a session record. */
function recordTypes(ctx: EntryContext): string[] {
  const { j, root } = ctx;
  return [...root.find(j.TSInterfaceDeclaration).paths(), ...root.find(j.TSTypeAliasDeclaration).paths()]
    .filter((p: ASTPath<any>) => /StreamableHTTPServerTransport\b/.test(j(p).toSource()))
    .map((p: ASTPath<any>) => (p.node.id as Node).name);
}

/**
 * `entry = { server, transport }`, `sessions.set(id, { server, transport })`: the server put into the record a session
 * is kept in (a transport variable or a session map) is session bookkeeping, which goes with the sessions.
 */
function storedInSessionRecord(j: EntryContext['j'], use: ASTPath<any>, records: Set<string>): boolean {
  let value: ASTPath<any> = use;
  // The object literal holding it (`{ server }` is found by its key or its value: babel gives a shorthand both).
  while (value.parent && /Property$/.test(value.parent.node.type) && value.parent.node.key !== value.node)
    value = value.parent.parent;
  if (use.parent?.node.shorthand && use.parent.node.key === use.node) value = use.parent.parent;
  if (value === use || value.node.type !== 'ObjectExpression') return false;
  const holder = value.parent?.node;
  if (holder?.type === 'AssignmentExpression' && holder.right === value.node)
    return holder.left.type === 'Identifier' && records.has(holder.left.name);
  if (holder?.type === 'CallExpression' && holder.arguments.includes(value.node))
    return mentions(j, holder.callee, records) && /^(?:set|add|push)$/.test(holder.callee.property?.name ?? '');
  // `const conn = { transport, server }` then `connections.add(conn)`: the record, stored under its own name.
  if (holder?.type === 'VariableDeclarator' && holder.init === value.node && holder.id.type === 'Identifier') {
    const name = holder.id.name;
    return j(value.parent.parent.parent)
      .find(j.CallExpression, { arguments: [{ type: 'Identifier', name }] })
      .some(
        (c: ASTPath<any>) =>
          mentions(j, c.node.callee, records) && /^(?:add|push)$/.test(c.node.callee.property?.name ?? '')
      );
  }
  return false;
}

function statementOf(p: ASTPath<any>): Node {
  return statementPathOf(p).node;
}

/** Session maps: module-level `{}` / `new Map()` into which transports are stored. */
function findMaps(ctx: EntryContext, fn: ASTPath<any>, transports: Set<string>): Set<string> {
  const { j, root } = ctx;
  const maps = new Set<string>();
  const candidates = new Set<string>();
  let records: string[] | undefined; // the module's session record types, read once a candidate needs them
  j(fn)
    .find(j.MemberExpression)
    .forEach((p: ASTPath<any>) => {
      const id = rootIdentifier(p.node);
      if (
        id &&
        p.node.object.type === 'Identifier' &&
        (p.node.computed || /^(get|set|has|delete|add)$/.test(p.node.property.name))
      )
        candidates.add(id);
    });
  for (const name of candidates) {
    const decl = root.find(j.VariableDeclarator, { id: { name } }).filter((d: ASTPath<any>) => {
      const init = d.node.init;
      return (
        init &&
        ((init.type === 'ObjectExpression' && init.properties.length === 0) ||
          // A Set of in-flight `{ transport, server }` records, closed at shutdown (Figma's `activeConnections`).
          (init.type === 'NewExpression' && /^(?:Map|Set)$/.test(init.callee.name)))
      );
    });
    if (!decl.size()) continue;
    const declared = j(decl.get()).toSource();
    // `new Map<string, SessionEntry>()` where the module's SessionEntry holds the transport.
    records ??= recordTypes(ctx);
    const typed = /Transport/.test(declared) || records.some(t => new RegExp(`\\b${t}\\b`).test(declared));
    // `sessions.set(id, entry)` where `entry = { server, transport }`.
    const holdsTransport = (v: Node) =>
      mentions(j, v, transports) ||
      (v?.type === 'Identifier' &&
        root
          .find(j.AssignmentExpression, { left: { type: 'Identifier', name: v.name } })
          .some(
            (a: ASTPath<any>) => a.node.right.type === 'ObjectExpression' && mentions(j, a.node.right, transports)
          ));
    const stores =
      root
        .find(j.AssignmentExpression)
        .some(
          (a: ASTPath<any>) =>
            a.node.left.type === 'MemberExpression' &&
            a.node.left.object.name === name &&
            a.node.right.type === 'Identifier' &&
            transports.has(a.node.right.name)
        ) ||
      root
        .find(j.CallExpression, { callee: { object: { name }, property: { name: 'set' } } })
        .some((c: ASTPath<any>) => holdsTransport(c.node.arguments[1]));
    if (typed || stores || /transport/i.test(name)) maps.add(name);
  }
  return maps;
}

/**
 * The call that built the transport a `handleRequest` call is made on, when a function call did (`makeTransport(res)`):
 * found in the blocks around the call, nearest first, as `const`/`let` scope it (ast-types' scopes hoist them to the
 * function, and would take a branch's `transport` for the route's).
 */
function builtElsewhere(handleCall: ASTPath<any>): Node | undefined {
  const receiver = handleCall.node.callee.object;
  if (receiver?.type !== 'Identifier') return undefined;
  for (let cur: ASTPath<any> | null = handleCall.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (n.type === 'BlockStatement')
      for (const s of n.body) {
        if (s.type !== 'VariableDeclaration' || s.start > handleCall.node.start) continue;
        const d = s.declarations.find((x: Node) => x.id.type === 'Identifier' && x.id.name === receiver.name);
        if (!d) continue;
        const init = d.init?.type === 'AwaitExpression' ? d.init.argument : d.init;
        return init?.type === 'CallExpression' && init.callee.type === 'Identifier' ? init : undefined;
      }
    if (/Function/.test(n.type)) return undefined;
  }
  return undefined;
}

/** One function that builds a session transport: a transport getter goes whole, a request handler is rewritten. */
function serveRequestFunction(ctx: EntryContext, rf: RequestFunction, result: HttpEntries): void {
  // Gone already (a twin's helper nothing calls any more).
  if (!ctx.root.find(ctx.j.Function).some((p: ASTPath<any>) => p.node === rf.fn.node)) return;
  // A function handing each request its transport (`getTransport(req)`) goes whole, its callers serve through
  // the handler.
  const transports = rf.web ? undefined : transportsBuiltIn(ctx, rf.fn);
  if (transports && rewriteTransportGetter(ctx, rf.fn, transports, findMaps(ctx, rf.fn, transports), result)) {
    for (const n of PLUMBING_IMPORTS) ctx.maybeUnused.add(n);
    return;
  }
  rewriteRequestFunction(ctx, rf, result);
}

/**
 * Each route that lost its stateless twin: rewritten (it builds no transport any more), it says so and its helper goes
 * if nothing else calls it; not rewritten, it gets its twin back and stays as it was.
 */
function settleTwins(ctx: EntryContext, twins: DroppedTwin[]): void {
  const { j } = ctx;
  const helpers: string[] = [];
  const isTransport = isHttpTransport(ctx);
  for (const twin of twins) {
    const served = !j(twin.fn.node)
      .find(j.NewExpression)
      .some((p: ASTPath<any>) => isTransport(p.node));
    if (!served) {
      twin.restore();
      continue;
    }
    twin.announce();
    if (twin.helper) helpers.push(twin.helper);
  }
  removeUnusedFunctions(
    ctx,
    helpers.map(name => j.identifier(name))
  );
}

/** The name a function is declared or held under (`function f() {}`, `const f = () => {}`). */
function functionName(fn: ASTPath<any>): string | undefined {
  if (fn.node.id?.name) return fn.node.id.name;
  const holder = fn.parent?.node;
  return holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' ? holder.id.name : undefined;
}

/** The `server.connect(transport)` calls in `fn` handing over one of its `transports`. */
function connectsIn(ctx: EntryContext, fn: ASTPath<any>, transports: Set<string>): ASTPath<any>[] {
  const { j } = ctx;
  return j(fn)
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'connect' } } })
    .filter((p: ASTPath<any>) => mentions(j, p.node.arguments[0] ?? {}, transports))
    .paths();
}

/** Is the `new` expression a Streamable HTTP server transport of the SDK's? */
function isHttpTransport(ctx: EntryContext): (n: Node) => boolean {
  return n => HTTP_TRANSPORTS.includes(ctx.sdkName(n.callee?.name)!);
}

/** The variables `fn` puts a new HTTP transport in (`const transport = new …`, `transport = new …`). */
function transportsBuiltIn(ctx: EntryContext, fn: ASTPath<any>): Set<string> {
  const { j } = ctx;
  const transports = new Set<string>();
  j(fn)
    .find(j.NewExpression)
    .forEach((p: ASTPath<any>) => {
      if (!isHttpTransport(ctx)(p.node)) return;
      const parent = p.parent.node;
      if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') transports.add(parent.id.name);
      if (parent.type === 'AssignmentExpression' && parent.left.type === 'Identifier') transports.add(parent.left.name);
    });
  return transports;
}

/**
 * How the function hands back a transport, if it does: a variable holding one it built (`return transport`), or a new
 * one (`return new NodeStreamableHTTPServerTransport({ … })`).
 */
function returnedTransport(
  ctx: EntryContext,
  fn: ASTPath<any>,
  transports: Set<string>
): 'variable' | 'new' | undefined {
  let found: 'variable' | 'new' | undefined;
  ctx
    .j(fn)
    .find(ctx.j.ReturnStatement)
    .forEach((r: ASTPath<any>) => {
      const a = r.node.argument;
      if (a?.type === 'Identifier' && transports.has(a.name)) found = 'variable';
      else if (a?.type === 'NewExpression' && isHttpTransport(ctx)(a)) found ??= 'new';
    });
  return found;
}

function rewriteRequestFunction(ctx: EntryContext, rf: RequestFunction, out: HttpEntries): void {
  const { j } = ctx;
  const fn = rf.fn;
  const transports = transportsBuiltIn(ctx, fn);
  const connects = connectsIn(ctx, fn, transports);
  const anchor = statementOf(fn);
  if (connects.length !== 1) {
    // Several connects: the marker goes above the first, a line `check` flags too (one marker for both), when that
    // connect is a statement of its own in a block; under an `if` without braces it stays above the route.
    const first = connects[0] ? statementOf(connects[0]) : undefined;
    const expression = first?.type === 'ExpressionStatement' ? first.expression : undefined;
    const onlyConnect = !!expression && (expression === connects[0]!.node || expression.argument === connects[0]!.node);
    // `createTransport(sid) { return new NodeStreamableHTTPServerTransport({ … }) }`: no request handled here at all.
    const builds = connects.length === 0 && returnedTransport(ctx, fn, transports) !== undefined;
    ctx.unsafe(
      onlyConnect ? first : anchor,
      'http-connect',
      builds
        ? "this function builds a session transport for its caller to connect and serve: serve that caller's requests " +
            'through createMcpHandler(() => buildServer()) and toNodeHandler, then drop this function, by hand'
        : 'expected one server.connect(transport) in this request handler; replace the session plumbing with ' +
            'createMcpHandler(() => buildServer()) and toNodeHandler by hand'
    );
    return;
  }
  const connect = connects[0];
  const maps = findMaps(ctx, fn, transports);
  const companions = companionTables(ctx, fn, maps);
  for (const t of companions.tables) maps.add(t);
  for (const name of new Set(transports)) {
    // `let transport = transports[sid]` style aliases are transports too.
    j(fn)
      .find(j.VariableDeclarator, { id: { name } })
      .forEach(() => transports.add(name));
  }
  j(fn)
    .find(j.VariableDeclarator)
    .forEach((p: ASTPath<any>) => {
      if (p.node.id.type === 'Identifier' && p.node.init && mentions(j, p.node.init, maps))
        transports.add(p.node.id.name);
    });
  // `transport = created`, once the new transport is connected: the request handler's own variable the request is
  // then handed to (not one declared outside it, which other code may read).
  j(fn)
    .find(j.AssignmentExpression, { left: { type: 'Identifier' }, right: { type: 'Identifier' } })
    .forEach((p: ASTPath<any>) => {
      const local = p.scope?.lookup(p.node.left.name)?.path.node === fn.node;
      if (local && transports.has(p.node.right.name)) transports.add(p.node.left.name);
    });
  const handle = j(fn)
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'handleRequest' } } })
    .filter((p: ASTPath<any>) => mentions(j, p.node.callee.object, new Set([...transports, ...maps])));
  if (handle.size() === 0) {
    // A helper that builds, connects and returns the session's transport: its caller runs handleRequest.
    const handsBack = returnedTransport(ctx, fn, transports) === 'variable';
    ctx.unsafe(
      anchor,
      'http-handle',
      handsBack
        ? 'this function builds a session transport, connects the server to it and hands it back for its caller to ' +
            'run handleRequest(...): make it the server factory (the server without the transport), serve that with ' +
            'createMcpHandler and route the caller through toNodeHandler by hand'
        : 'no transport.handleRequest(...) call found in this request handler; route the request to createMcpHandler by hand'
    );
    return;
  }
  // `const transport = await statelessTransport(res); await transport.handleRequest(…)` beside the session serving: a
  // transport of the same name that another function built and connected. Dropped as the route's plumbing, the
  // requests it served would get no answer at all.
  const elsewhere = handle.paths().map(builtElsewhere).find(Boolean);
  if (elsewhere) {
    ctx.unsafe(
      anchor,
      'http-handle',
      `this route also serves requests through \`${j(elsewhere).toSource()}\`, a transport built and connected ` +
        'elsewhere: serve those requests through createMcpHandler(() => buildServer()) and toNodeHandler too, by hand'
    );
    return;
  }
  const dispatcher = initializeOnlyCaller(j, ctx.root, fn);
  if (dispatcher) {
    ctx.unsafe(
      anchor,
      'http-connect',
      `this function serves only initialize requests; \`${dispatcher}\` routes every other request by its session ` +
        'id: serve all of them there through createMcpHandler(() => buildServer()) and toNodeHandler (2026-07-28 ' +
        'requests carry no session and never initialize), by hand'
    );
    return;
  }
  // The call that serves a new session's first request is the one every 2026 request takes: the first after connect.
  const handleCall =
    handle.filter((p: ASTPath<any>) => (p.node as Node).start > (connect.node as Node).start).paths()[0] ??
    handle.get();
  const sessionVars = new Set<string>();
  j(fn)
    .find(j.VariableDeclarator)
    .forEach((p: ASTPath<any>) => {
      if (p.node.id.type === 'Identifier' && p.node.init && /mcp-session-id|sessionId/i.test(j(p.node.init).toSource()))
        sessionVars.add(p.node.id.name);
      // `const isInit = req.body?.method === 'initialize'`: a hand-written isInitializeRequest; or the SDK's, kept in
      // a local (`const isInit = req.body ? isInitializeRequest(req.body) : false`, CommonJS `(0, types_1.isInit…)`).
      if (
        p.node.id.type === 'Identifier' &&
        (isInitializeCheck(p.node.init) || callsIsInitializeRequest(ctx, p.node.init))
      )
        sessionVars.add(p.node.id.name);
    });
  for (const { name } of sessionHeadersAround(ctx, fn)) sessionVars.add(name);
  // What the session filter drops whatever the factory turns out to be (the reuse branch, the transport's options
  // and callbacks): a use of the server there is not one a factory has to reproduce.
  const connected = (connect.node.callee as any).object;
  const sessionPlumbing = new Set([
    ...transports,
    ...maps,
    ...sessionVars,
    // (The server the transport's callbacks store is not plumbing: it is what the factory builds.)
    ...transportOptionLocals(ctx, fn, new Set([...transports, ...maps]), connected),
    'isInitializeRequest'
  ]);
  // A node handler's other serving calls (a session's GET and DELETE beside the POST that opened it) serve through the
  // handler: dropped with the sessions, those requests would get no answer at all.
  const routes = !rf.web;
  const goes = new Set(droppedWithSessions(ctx, fn, sessionPlumbing, handleCall.node, connect.node, routes));
  const plan = entryFactory(ctx, connect, connected, ctx.program, {
    allowLocal: true,
    releasePerRequest: true,
    servedBy: use =>
      storedInSessionRecord(j, use, new Set([...transports, ...maps])) ||
      (insideAny(use, goes) && onlyRecordsServer(use)) ||
      (announcesListChange(use) && enclosingFunction(use) === enclosingFunction(connect)) ||
      isDebugRead(j, use, connect)
  });
  if (!('unsafe' in plan) && plan.local && plan.closeCalls.some(c => !within(c, fn))) {
    ctx.unsafe(
      anchor,
      'http-factory',
      'the server is built from values of this request handler, and server.close() is called outside it; ' +
        'pass a factory that builds a fresh server to createMcpHandler'
    );
    return;
  }
  if ('unsafe' in plan) {
    // At the connect: the reason is about the server it connects, and `check` flags that connect too (one marker
    // explains both, rather than one on the route and another at the connect).
    ctx.unsafe(
      statementOf(connect),
      'http-factory',
      `${plan.unsafe}; pass a factory that builds a fresh server to createMcpHandler`
    );
    return;
  }
  const serverVar =
    (connect.node.callee as any).object.type === 'Identifier' ? (connect.node.callee as any).object.name : undefined;
  const plumbing = new Set([
    ...sessionPlumbing,
    // A filled module-level `let` keeps an instance for what holds it (kept-instance.ts): not plumbing.
    ...(serverVar && !plan.shared ? [serverVar] : [])
  ]);
  const json = asksForJson(ctx, fn.node);
  const names = plan.local ? localHandlerNames(ctx, !rf.web, json) : handlerNames(ctx, plan, !rf.web, json);
  const args = handleCall.node.arguments;
  const call = rf.web
    ? j.callExpression(
        j.memberExpression(j.identifier(names.handler), j.identifier('fetch')),
        rf.hono ? [honoRequest(ctx, args[0])] : webFetchArgs(ctx, args)
      )
    : j.callExpression(j.identifier(names.node!), args);
  // The function the call sits in (the route's callback, which may be inside the transport's function) decides.
  const caller = j(handleCall).closest(j.Function).paths()[0];
  // In tsc's ES2015 output the route's callback is a generator run by __awaiter: `yield` is its await.
  const compiled = isAwaiterGenerator(caller);
  const callerIsAsync = !!caller?.node.async || compiled;
  const awaited = /^(?:AwaitExpression|YieldExpression)$/.test(handleCall.parent.node.type) || callerIsAsync;
  const waited = compiled ? j.yieldExpression(call) : j.awaitExpression(call);
  const replacement =
    handleCall.parent.node.type === 'ReturnStatement'
      ? j.returnStatement(call)
      : j.expressionStatement(awaited && callerIsAsync ? waited : call);
  const body = fn.node.body;
  if (body.type !== 'BlockStatement') {
    ctx.unsafe(
      anchor,
      'http-body',
      'the request handler is an expression; rewrite it to call the createMcpHandler handler by hand'
    );
    return;
  }
  const isReturn = mentionsReturnOf(handleCall);
  // A transport made per request (no session map) may serve from several branches on the request: each serves
  // through the handler.
  const handlerName = routes ? names.node : undefined;
  const state = { placed: false, handlerName };
  // A dry run first: session plumbing that also does the server's own work (connects a backend per session,
  // counts sessions for analytics) would go with it, silently. Then the entry stays as it was, marked.
  const dry = { placed: false, dropped: [] as Node[], handlerName };
  const debugReads = serverVar
    ? j(fn)
        .find(j.Identifier, { name: serverVar })
        .filter((p: ASTPath<any>) => isValueReference(p) && isDebugRead(j, p, connect))
        .paths()
    : [];
  // A server built from the request's values may read values the log line comes before: it keeps the one it had.
  if (debugReads.length && plan.local) {
    ctx.unsafe(
      statementOf(connect),
      'http-factory',
      `\`${serverVar}\` is read by a log line of this route, and the server is built from the request's values; ` +
        'log from inside the factory, then pass it to createMcpHandler'
    );
    return;
  }
  const restoreReads = readFromFactory(j, debugReads, plan.call);
  const dropLinks = dropLifecycleLinks(ctx, fn, plumbing);
  const restoreLinks = () => {
    dropLinks();
    restoreReads();
  };
  rewriteStatements(ctx, body.body, plumbing, handleCall.node, replacement, dry, connect.node);
  const factoryText = j(plan.call).toSource();
  const droppedWork = dry.dropped.filter(s => !declaresServer(s, serverVar) && !plan.moved?.includes(s));
  const sessionNames = new Set([...plumbing, ...[...factoryText.matchAll(/[\w$]+/g)].map(m => m[0])]);
  // What the transport was handed (`c`, `c.req.raw`, `req, res`): the request and response of the route.
  const exchange = new Set<string>(args.map(rootIdentifier).filter((n: string | undefined): n is string => !!n));
  const { work: lost, ended } = userWorkIn(ctx, droppedWork, sessionNames, connect.node, {
    exchange,
    sessionCode: sessionPlumbing,
    fn: fn.node
  });
  if (lost.length) {
    restoreLinks();
    ctx.unsafe(anchor, 'http-session-work', sessionWorkMessage(lost));
    return;
  }
  const orphaned = readsOfDroppedAssignments(j, fn.node, dry.dropped);
  if (orphaned.length) {
    restoreLinks();
    ctx.unsafe(
      anchor,
      'http-session-work',
      `${orphaned.map(n => `\`${n}\``).join(', ')} ${orphaned.length > 1 ? 'are' : 'is'} set only by the session code ` +
        'and read by code that stays; with no sessions on 2026-07-28 there is nothing to set it from: drop the reads ' +
        '(or set it from a handle, SEP-2567), then rerun'
    );
    return;
  }
  // Read before the transport constructors go with the plumbing.
  const protection = protectionOptions(ctx, fn.node);
  // Setup statements that plan.apply() moves must leave the body before the plumbing is filtered.
  plan.apply();
  if (plan.generated) ctx.generated.push(plan.generated);
  // `return await transport.handleRequest(…)` keeps its await: inside a try, a returned promise's rejection would
  // otherwise skip the catch.
  const returnedAwait = handleCall.parent.node.type === 'AwaitExpression' && callerIsAsync;
  // `return (await transport.handleRequest(c)) ?? c.body(null, 204)`: the return keeps its shape, around the handler.
  const returning = isReturn ? undefined : returnAround(handleCall);
  let placed = isReturn ? j.returnStatement(returnedAwait ? j.awaitExpression(call) : call) : replacement;
  let handleNode = handleCall.node;
  if (returning) {
    j(handleCall).replaceWith(call);
    handleNode = call;
    placed = returning.node;
  }
  // The route's `res.on('close', …)` keeps what it does besides ending the transport and server (a log line).
  if (dry.placed && !rf.web && args[1]?.type === 'Identifier')
    keepOwnCloseWork(ctx, body.body, args[1].name, new Set([...plumbing, ...(serverVar ? [serverVar] : [])]));
  const newBody = rewriteStatements(ctx, body.body, plumbing, handleNode, placed, state, connect.node);
  if (!state.placed) {
    restoreLinks();
    ctx.unsafe(
      anchor,
      'http-handle',
      'could not place the handler call; route the request to createMcpHandler by hand'
    );
    return;
  }
  body.body = newBody;
  dropReturnEndingTheFunction(body, placed);
  removeUnreadSessionHeaders(ctx, fn);
  if (ended.length) ctx.note(anchor, 'session-teardown', teardownWorkMessage(ended));
  for (const statement of new Set(debugReads.map(p => statementPathOf(p).node)))
    ctx.note(statement, 'debug-read', debugReadMessage(j(plan.call).toSource()));
  const announced = listChangesIn(ctx, dry.dropped, serverVar);
  if (announced.length) ctx.note(anchor, 'list-changed', listChangedMessage(announced));
  if (protection) {
    const guard = hostGuardStatements(
      ctx,
      protection,
      rf.web ? call.arguments[0] : args[0],
      rf.web ? undefined : args[1]
    );
    if (!guardBefore(ctx, fn, placed, guard))
      ctx.unsafe(
        anchor,
        'host-guard',
        'the removed transport was asked for DNS-rebinding protection and its guard could not be placed; check Host ' +
          'and Origin before the handler call (hostHeaderValidation / originValidation from @modelcontextprotocol/node)'
      );
  }
  if (plan.local) {
    placeLocalHandlers(ctx, fn, placed, plan, names);
  } else {
    auditPerRequestState(ctx, plan.fn, 'http');
    placeHandlers(ctx, fn, plan, names, placed);
  }
  servedThrough(ctx, plan, names);
  for (const m of maps) out.maps.add(m);
  for (const h of companions.helpers) out.bookHelpers.add(h);
  for (const t of companions.tables) out.companions.add(t);
  out.handlers.push(names.handler);
  retargetRoutes(ctx, fn, out);
  for (const n of PLUMBING_IMPORTS) ctx.maybeUnused.add(n);
  ctx.changed = true;
}

/**
 * A use of the server that does nothing to it: assigned (`({ transport, server } = sessions.get(sid))`), put in a
 * literal (a session record), or handed to a logging call (`log(server, 'session opened')`). In code that goes with
 * the sessions such a use goes too; anything else there (`registerTenantTools(server)` in `onsessioninitialized`)
 * configures the server and still blocks the factory.
 */
function onlyRecordsServer(use: ASTPath<any>): boolean {
  const parent = use.parent?.node;
  if (!parent) return false;
  if (inStoredClosure(use)) return true;
  if (/Pattern$|^(?:ObjectProperty|Property)$/.test(parent.type) || parent.type === 'ArrayExpression') return true;
  if (parent.type === 'AssignmentExpression' && parent.left === use.node) return true;
  if (parent.type === 'CallExpression' && parent.arguments.includes(use.node)) {
    const callee = parent.callee;
    const name = callee.type === 'Identifier' ? callee.name : callee.property?.name;
    return /^(?:log\w*|debug|info|warn|error|trace|audit|track\w*)$/i.test(name ?? '');
  }
  return false;
}

/**
 * In a function kept in a session record (`records[sid] = { send: params => server.server.elicitInput(params) }`,
 * `sessions.set(sid, { … })`): it runs only when the project calls it for that session, which goes with the record.
 */
function inStoredClosure(use: ASTPath<any>): boolean {
  let fn: ASTPath<any> | null = use.parent;
  while (fn && !/Function/.test(fn.node.type)) fn = fn.parent;
  const literal =
    fn?.parent && /^(?:ObjectProperty|Property)$/.test(fn.parent.node.type) ? fn.parent.parent : undefined;
  const holder = literal?.node.type === 'ObjectExpression' ? literal.parent?.node : undefined;
  if (holder?.type === 'AssignmentExpression') return holder.right === literal!.node;
  return (
    holder?.type === 'CallExpression' &&
    holder.arguments.includes(literal!.node) &&
    /^(?:set|add|push)$/.test(holder.callee.property?.name ?? '')
  );
}

function insideAny(p: ASTPath<any>, nodes: Set<Node>): boolean {
  for (let cur: ASTPath<any> | null = p; cur; cur = cur.parent) if (nodes.has(cur.node)) return true;
  return false;
}

/** The statements and branches the session filter drops from `fn`'s body, found by a dry run of it. */
function droppedWithSessions(
  ctx: EntryContext,
  fn: ASTPath<any>,
  plumbing: Set<string>,
  handleNode: Node,
  connectNode: Node,
  routes: boolean
): Node[] {
  const body = fn.node.body;
  if (body?.type !== 'BlockStatement') return [];
  // (Any handler name: a dry run only reads whether there is one.)
  const dry = { placed: false, dropped: [] as Node[], handlerName: routes ? 'handler' : undefined };
  rewriteStatements(ctx, body.body, plumbing, handleNode, ctx.j.emptyStatement(), dry, connectNode);
  // The connect's own statement is plumbing too (it names the transport); its server is what the factory builds.
  return dry.dropped.filter(
    s =>
      !ctx
        .j(s)
        .find(ctx.j.CallExpression)
        .some((p: ASTPath<any>) => p.node === connectNode)
  );
}

/** `const server = …` (what the factory builds; it moves into the factory, it is not lost). */
function declaresServer(s: Node, serverVar: string | undefined): boolean {
  return (
    !!serverVar &&
    s.type === 'VariableDeclaration' &&
    s.declarations.some((d: Node) => d.id.type === 'Identifier' && d.id.name === serverVar)
  );
}

/** Does `init` call the SDK's isInitializeRequest (under any local name, or as CommonJS `(0, types_1.isInitializeRequest)`)? */
function callsIsInitializeRequest(ctx: EntryContext, init: Node): boolean {
  if (!init) return false;
  const { j } = ctx;
  const named = (callee: Node): boolean => {
    if (callee?.type === 'SequenceExpression') return named(callee.expressions.at(-1));
    if (callee?.type === 'Identifier') return (ctx.sdkName(callee.name) ?? callee.name) === 'isInitializeRequest';
    return callee?.type === 'MemberExpression' && callee.property?.name === 'isInitializeRequest';
  };
  const call = (n: Node) => n?.type === 'CallExpression' && named(n.callee);
  return (
    call(init) ||
    j(init)
      .find(j.CallExpression)
      .some((p: ASTPath<any>) => call(p.node))
  );
}

/** `x.method === 'initialize'` (either side, `==` too, optional chains): the test isInitializeRequest makes. */
function isInitializeCheck(n: Node): boolean {
  if (n?.type !== 'BinaryExpression' || !/^[!=]==?$/.test(n.operator) || n.operator.startsWith('!')) return false;
  const method = (m: Node) => /MemberExpression$/.test(m?.type) && !m.computed && m.property?.name === 'method';
  const literal = (m: Node) => isStringLiteral(m, 'initialize');
  return (method(n.left) && literal(n.right)) || (literal(n.left) && method(n.right));
}

/** The return statement whose value the call is part of (`return (await call) ?? fallback`), in the same function. */
function returnAround(p: ASTPath<any>): ASTPath<any> | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    if (cur.node.type === 'ReturnStatement') return cur;
    if (/Statement$|Function|Declaration$/.test(cur.node.type)) return undefined;
  }
  return undefined;
}

function mentionsReturnOf(p: ASTPath<any>): boolean {
  return (
    p.parent.node.type === 'ReturnStatement' ||
    (p.parent.node.type === 'AwaitExpression' && p.parent.parent.node.type === 'ReturnStatement')
  );
}

/** `c.req.raw`: the web Request a Hono context carries. */
function honoRequest(ctx: EntryContext, context: Node): Node {
  const { j } = ctx;
  return j.memberExpression(j.memberExpression(context, j.identifier('req')), j.identifier('raw'));
}

/** `transport.handleRequest(request, { parsedBody })` and `(request, parsedBody)` both map onto handler.fetch. */
function webFetchArgs(ctx: EntryContext, args: Node[]): Node[] {
  const { j } = ctx;
  if (args.length < 2) return args.slice(0, 1);
  const second = args[1];
  if (second.type === 'ObjectExpression') return [args[0], second];
  return [args[0], j.objectExpression([j.objectProperty(j.identifier('parsedBody'), second)])];
}

/**
 * `await handler(…); return;` taken from a new-session branch, now the last thing the function does (directly or
 * as the end of a try that ends it): the `return;` kept the old code from reaching a second handleRequest; alone
 * at the end it does nothing.
 */
function dropReturnEndingTheFunction(body: Node, placed: Node): void {
  let list: Node[] = body.body;
  const last = list[list.length - 1];
  if (last?.type === 'TryStatement') list = last.block.body;
  const end = list.length - 1;
  const before = list[end - 1];
  const endsWithPlaced =
    before === placed ||
    (before?.type === 'TryStatement' && before.block.body[before.block.body.length - 1] === placed);
  if (end >= 1 && list[end].type === 'ReturnStatement' && !list[end].argument && endsWithPlaced) {
    list.splice(end, 1);
  }
}

/**
 * Locals of the request handler read only to configure the session transport (`const eventStore = …`, the id a
 * `sessionIdGenerator` returns), or besides only in statements about the transports: plumbing too. Not the locals
 * the transport's callbacks declare.
 */
function transportOptionLocals(ctx: EntryContext, fn: ASTPath<any>, plumbing: Set<string>, connected: Node): string[] {
  const { j } = ctx;
  const transportsBuilt = j(fn)
    .find(j.NewExpression)
    .filter((p: ASTPath<any>) => isHttpTransport(ctx)(p.node))
    .paths();
  const inTransport = (p: ASTPath<any>) => transportsBuilt.some(t => within(p, t));
  const names = new Set<string>();
  for (const t of transportsBuilt)
    j(t)
      .find(j.Identifier)
      .forEach((i: ASTPath<any>) => {
        const scope = isValueReference(i) ? i.scope?.lookup(i.node.name) : undefined;
        if (scope && within(scope.path, fn)) names.add(i.node.name);
      });
  // What the connected server is built from (`buildServer(crm).connect(transport)`, with `crm` in the session record
  // too) is what the factory takes, not an option.
  const buildsServer = (i: ASTPath<any>) => i.node.start >= connected.start && i.node.end <= connected.end;
  return [...names].filter(n => {
    if (connected.type === 'Identifier' && n === connected.name) return false;
    const declared = j(fn).find(j.VariableDeclarator, { id: { name: n } });
    // A local of the transport's own callbacks (`const store = auth.getStore()` in onsessioninitialized) is what the
    // callback does, not an option: the calls it is handed are judged like the others (userWorkIn).
    if (declared.size() !== 1 || inTransport(declared.paths()[0])) return false;
    return j(fn)
      .find(j.Identifier, { name: n })
      .filter((i: ASTPath<any>) => isValueReference(i) && i.parent.node !== declared.get().node)
      .every(
        (i: ASTPath<any>) => !buildsServer(i) && (inTransport(i) || mentions(j, statementPathOf(i).node, plumbing))
      );
  });
}

/** Did a transport created in `fn` answer in JSON (`enableJsonResponse: true`)? createMcpHandler's own default is SSE
 * once the handler sends a notification first. */
function asksForJson(ctx: EntryContext, fn: Node): boolean {
  const { j } = ctx;
  return j(fn)
    .find(j.NewExpression)
    .some((p: ASTPath<any>) => answersInJson(p.node.arguments[0]?.properties ?? []));
}

/** Comments that describe a session route (`// Handle GET requests for SSE streams`): they go with it. */
const SESSION_ROUTE_COMMENT = /transport|session|\bGET\b|\bDELETE\b|SSE stream/i;

/** GET/DELETE routes on an MCP path whose handler only serves sessions are removed with their handlers. */
function removeSessionRoutes(ctx: EntryContext, entries: HttpEntries, twinHelpers: Set<string>): void {
  const { j, root } = ctx;
  if (entries.paths.size === 0) return;
  // Any DELETE on an MCP path ended a session (the only thing DELETE meant there); a GET may be a page of its own.
  const sessionish = (fnNode: Node, method: string) =>
    method === 'delete' ||
    mentions(j, fnNode, entries.maps) ||
    /mcp-session-id/i.test(j(fnNode).toSource()) ||
    refusesOnly(fnNode);
  const handlerFns = functionsByName(j, root);
  const removedHandlers: Node[] = [];
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const route = sessionRouteCall(p);
    if (!route) return;
    const { method, statement } = route;
    const args = route.args;
    const path = routeKey(j, args[0]);
    if (path === undefined || !entries.paths.has(path)) return;
    const last = args[args.length - 1];
    const callback = handlerFunction(last, handlerFns);
    // A class's route handing the request to a method of its own: that method is what the route does.
    const delegate = callback && delegatedMethod(j, p, callback);
    const fnNode = delegate ?? callback;
    if (!fnNode || !sessionish(fnNode, method)) return;
    const page = method === 'get' ? noSessionPage(j, fnNode) : undefined;
    if (page && delegate) return;
    const body = statementsOf(fnNode.body);
    // What goes: all of it, or what the page does not keep (the page's own statements stay, in or out of their `if`).
    const holdsPage = (s: Node) => page?.some((k: Node) => k.start >= s.start && k.end <= s.end);
    // A stateless twin's helper (`const transport = await freshTransport(createServer(), res)`) served the route as
    // the handler above now does: what it hands back, and the server built for it, are plumbing, not the route's work.
    const work = sessionRouteWork(
      ctx,
      fnNode,
      body.filter((s: Node) => !holdsPage(s)),
      new Set([...entries.maps, ...twinHelpers, ...handedToTwins(ctx, fnNode, twinHelpers)])
    );
    if (work.length) {
      ctx.unsafe(statement.node, 'session-route-work', sessionRouteWorkMessage(method, work));
      return;
    }
    if (page) {
      fnNode.body.body = page;
      ctx.changed = true;
      if (servedAbove(ctx, statement, path))
        ctx.note(
          statement.node,
          'session-route-page',
          'this page answers GET without a session, but the MCP route above now takes every method and answers GET ' +
            'first (405): register this route before it to keep the page'
        );
      return;
    }
    // The method it handed its request to goes with it once nothing calls it (removeUnusedFunctions).
    removedHandlers.push(last, ...(delegate ? [delegate] : []));
    removeStatement(j, statement, SESSION_ROUTE_COMMENT);
  });
  removeUnusedFunctions(ctx, removedHandlers, SESSION_ROUTE_COMMENT);
  pruneEmptyIfs(ctx);
}

/**
 * A GET or DELETE route and the statement that registers it: `app.get(path, h)`; the same registered in a loop over
 * the methods (`for (const m of ['get', 'delete'] as const) app[m](path, h)`, the loop its only statement); or Hono's
 * `app.on(['GET', 'DELETE'], path, h)`. For several methods, a GET among them decides (a GET may be a page).
 */
function sessionRouteCall(p: ASTPath<any>): { method: string; args: Node[]; statement: ASTPath<any> } | undefined {
  const callee = p.node.callee;
  const own = p.parent.node.type === 'ExpressionStatement' ? p.parent : undefined;
  const pick = (methods: string[]) =>
    methods.length && methods.every(m => m === 'get' || m === 'delete')
      ? methods.includes('get')
        ? 'get'
        : 'delete'
      : undefined;
  if (!callee.computed) {
    const name = callee.property?.name;
    if (name === 'get' || name === 'delete') return own && { method: name, args: p.node.arguments, statement: own };
    const methods = name === 'on' ? stringList(p.node.arguments[0]) : undefined;
    const method = methods && pick(methods.map(m => m.toLowerCase()));
    return method && own ? { method, args: p.node.arguments.slice(1), statement: own } : undefined;
  }
  // `app[method](…)` as the only statement of a `for (const method of [...])` over the methods.
  const loop = own?.parent;
  const body = loop?.node.type === 'BlockStatement' ? loop.parent : loop;
  const forOf = body?.node.type === 'ForOfStatement' ? body : undefined;
  const single = loop?.node.type === 'BlockStatement' ? loop.node.body.length === 1 : loop === body;
  const variable = forOf?.node.left.declarations?.[0]?.id;
  if (!forOf || !single || callee.property.type !== 'Identifier' || variable?.name !== callee.property.name) return;
  const method = pick(stringList(forOf.node.right) ?? []);
  return method ? { method, args: p.node.arguments, statement: forOf } : undefined;
}

/** `['get', 'delete']` (also `as const`): the strings, or undefined for anything else. */
function stringList(n: Node): string[] | undefined {
  const list = n?.type === 'TSAsExpression' ? n.expression : n;
  if (list?.type !== 'ArrayExpression') return undefined;
  const items = list.elements.map((e: Node) =>
    /Literal$/.test(e?.type) && typeof e.value === 'string' ? e.value : ''
  );
  return items.every(Boolean) ? items : undefined;
}

/** What the route calls only to hand a twin's helper (`createServer` in `freshTransport(createServer(), res)`). */
function handedToTwins(ctx: EntryContext, fn: Node, twinHelpers: Set<string>): string[] {
  const { j } = ctx;
  return j(fn)
    .find(j.CallExpression, { callee: { type: 'Identifier' } })
    .filter((p: ASTPath<any>) => twinHelpers.has(p.node.callee.name))
    .nodes()
    .flatMap((call: Node) =>
      (call.arguments as Node[]).flatMap(a => [
        ...(a.type === 'CallExpression' && a.callee.type === 'Identifier' ? [a.callee.name as string] : []),
        ...j(a)
          .find(j.CallExpression, { callee: { type: 'Identifier' } })
          .nodes()
          .map((c: Node) => c.callee.name as string)
      ])
    );
}

/**
 * A GET that only answers 405 (`res.writeHead(405).end(…)`, a stateless v1 server's refusal of the SSE stream): the
 * MCP route now answers GET itself, with the same 405, so the route is dead code.
 */
function refusesOnly(fn: Node): boolean {
  if (returns405(fn)) return true;
  const res = fn.params?.[1];
  if (res?.type !== 'Identifier' || fn.body?.type !== 'BlockStatement' || fn.body.body.length === 0) return false;
  let refused = false;
  const chainOnRes = (e: Node): boolean => {
    if (e?.type === 'Identifier') return e.name === res.name;
    if (e?.type === 'MemberExpression') return chainOnRes(e.object);
    if (e?.type !== 'CallExpression') return false;
    const method = e.callee.type === 'MemberExpression' ? e.callee.property?.name : undefined;
    if (/^(?:writeHead|status|sendStatus|code)$/.test(method ?? '') && e.arguments[0]?.value === 405) refused = true;
    return chainOnRes(e.callee);
  };
  const ok = (fn.body.body as Node[]).every(st => {
    const e = st.type === 'ReturnStatement' ? st.argument : st.type === 'ExpressionStatement' ? st.expression : null;
    if (e?.type === 'AssignmentExpression' && e.left.type === 'MemberExpression' && chainOnRes(e.left.object))
      return e.left.property?.name === 'statusCode' && e.right.value === 405 ? (refused = true) : true;
    return logsToConsole(e) || chainOnRes(e);
  });
  return ok && refused;
}

/**
 * A fetch-style route (Hono: `c => c.json({ … }, 405)`, `c => new Response(null, { status: 405 })`) that only
 * answers 405: every statement a return of such a response, or a log.
 */
function returns405(fn: Node): boolean {
  const c = fn.params?.[0];
  const is405 = (n: Node) => (n?.type === 'NumericLiteral' || n?.type === 'Literal') && n.value === 405;
  const answers405 = (e: Node): boolean => {
    if (e?.type === 'AwaitExpression') return answers405(e.argument);
    if (e?.type === 'NewExpression' && e.callee.type === 'Identifier' && e.callee.name === 'Response')
      return (e.arguments[1]?.properties ?? []).some((p: Node) => propertyKey(p) === 'status' && is405(p.value));
    return (
      e?.type === 'CallExpression' &&
      e.callee.type === 'MemberExpression' &&
      e.callee.object.type === 'Identifier' &&
      e.callee.object.name === c?.name &&
      /^(?:json|text|body|html|newResponse)$/.test(e.callee.property?.name ?? '') &&
      is405(e.arguments[1])
    );
  };
  if (c?.type !== 'Identifier') return false;
  if (fn.body?.type !== 'BlockStatement') return answers405(fn.body);
  const statements = fn.body.body as Node[];
  return (
    statements.some(st => st.type === 'ReturnStatement') &&
    statements.every(
      st =>
        (st.type === 'ExpressionStatement' && logsToConsole(st.expression)) ||
        (st.type === 'ReturnStatement' && answers405(st.argument))
    )
  );
}

/** `console.log(…)` and its kin: what a refusing route may do besides refusing. */
function logsToConsole(e: Node): boolean {
  return e?.type === 'CallExpression' && e.callee.object?.name === 'console';
}

/** Named handlers whose routes were removed go too, once nothing else refers to them. */
export function removeUnusedFunctions(ctx: EntryContext, handlers: Node[], obsolete?: RegExp): void {
  const { j, root } = ctx;
  const program = root.paths()[0]!;
  // A class's methods its removed routes handed their requests to.
  removeUncalledMethods(
    ctx,
    handlers.filter(h => h.type === 'ClassMethod'),
    obsolete
  );
  for (const name of new Set(handlers.filter(h => h.type === 'Identifier').map(h => h.name))) {
    const functions = root.find(j.FunctionDeclaration, { id: { name } }).paths();
    const declarators = root.find(j.VariableDeclarator, { id: { name } }).paths();
    // Its own body calling it (recursion) is no use from outside.
    if ([...functions, ...declarators].some(d => isReferencedOutside(j, program, name, d))) continue;
    for (const f of functions) removeStatement(j, f, obsolete);
    for (const d of declarators) if (d.parent.node.declarations.length === 1) removeStatement(j, d.parent, obsolete);
  }
}

/** `if (useAuth) { app.get(…) } else { app.get(…) }` with both routes gone leaves nothing to decide. */
function pruneEmptyIfs(ctx: EntryContext): void {
  const { j, root } = ctx;
  const empty = (n: Node) => !n || (n.type === 'BlockStatement' && n.body.length === 0) || n.type === 'EmptyStatement';
  root
    .find(j.IfStatement)
    .filter(
      (p: ASTPath<any>) =>
        empty(p.node.consequent) && empty(p.node.alternate) && p.node.consequent.type === 'BlockStatement'
    )
    .forEach((p: ASTPath<any>) => {
      const t = p.node.test.type;
      if (
        t === 'Identifier' ||
        t === 'MemberExpression' ||
        t === 'UnaryExpression' ||
        t === 'BinaryExpression' ||
        t === 'LogicalExpression'
      )
        j(p).remove();
    });
}
