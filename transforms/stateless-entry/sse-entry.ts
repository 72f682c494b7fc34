/**
 * HTTP+SSE (deprecated; removed from the v2 server package): `GET /sse` creating an `SSEServerTransport` plus
 * `POST /messages` feeding it become one Streamable HTTP route served by `createMcpHandler`. The endpoint URL
 * changes, which clients must learn about: that is never silent — a NOTE marker and a warning say so (the code itself
 * is complete, so it is not a TODO).
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import {
  awaiterOwner,
  codeExcerpt,
  functionsByName,
  handlerFunction,
  isFunction,
  isReferencedOutside,
  isStringLiteral,
  isValueReference,
  removeStatement,
  statementPathOf
} from '../kit/ast.js';
import { classMethodCalledBy, uncalledMethod } from './delegated-methods.js';
import type { EntryContext, HandlerNames } from './entry-context.js';
import { removeUnusedFunctions } from './http-entry.js';
import { handlerNames, placeHandlers, servedThrough } from './handler-placement.js';
import { auditPerRequestState } from './per-request-audit.js';
import { removeMapLeftovers, removeUnusedTransportTypes } from './map-leftovers.js';
import { entryFactory } from './entry-factory.js';
import { hostGuardStatements, protectionOptions } from './host-guard.js';
import { servePerRequest } from './sse-per-request.js';
import { messageRouteMove, type MessageRouteMove, type Route } from './sse-message-route.js';
import { rawBranchesOf, rewriteRawBranches, type RawBranches } from './sse-raw-branches.js';
import { retargetPrintedEndpoint } from './printed-endpoints.js';
import type { FactoryPlan } from '../kit/server-factory.js';

type Node = any;
const SSE_CLASS = 'SSEServerTransport';
// Comments on the endpoint's removed routes and helpers described them (`// Legacy SSE endpoint`).
const SSE_COMMENT = /\bSSE\b|\bmessages?\b|transport|session|stream|endpoint/i;

export function rewriteSseEntries(ctx: EntryContext): void {
  const { j, root } = ctx;
  const classes = sseClasses(ctx);
  root
    .find(j.NewExpression, { callee: { type: 'Identifier' } })
    .filter((p: ASTPath<any>) => classes.has(p.node.callee.name))
    .forEach((p: ASTPath<any>) => rewriteOne(ctx, p));
}

/** This file's subclasses of the SSE transport (`class DebugSSETransport extends SSEServerTransport`, logging what it sends). */
function sseSubclasses(ctx: EntryContext): ASTPath<any>[] {
  const { j, root } = ctx;
  return root.find(j.ClassDeclaration, { superClass: { type: 'Identifier', name: SSE_CLASS } }).paths();
}

/** The SSE transport and this file's subclasses of it: a stream made with either is the same endpoint. */
function sseClasses(ctx: EntryContext): Set<string> {
  const names = new Set([SSE_CLASS]);
  for (const p of sseSubclasses(ctx)) if (p.node.id) names.add(p.node.id.name);
  return names;
}

/** This file's subclasses of the SSE transport that nothing uses any more go with the endpoint they served. */
function removeUnusedSseClasses(ctx: EntryContext): void {
  const { j, root } = ctx;
  const program = root.paths()[0]!;
  for (const p of sseSubclasses(ctx)) {
    const name = p.node.id?.name;
    if (!name || isReferencedOutside(j, program, name, p)) continue;
    removeStatement(j, p.parent.node.type === 'ExportNamedDeclaration' ? p.parent : p, SSE_COMMENT);
  }
}

/**
 * The name of the function a route handler only hands the request to: `(req, res) => handleSseConnection('/sse',
 * '/messages', req, res)`, or a block doing just that (awaited or returned). Shared helpers serve several endpoints
 * that way.
 */
function delegateOf(f: Node): string | undefined {
  let body = f?.body;
  if (body?.type === 'BlockStatement') {
    if (body.body.length !== 1) return undefined;
    const only = body.body[0];
    body =
      only.type === 'ExpressionStatement'
        ? only.expression
        : only.type === 'ReturnStatement'
          ? only.argument
          : undefined;
  }
  if (body?.type === 'AwaitExpression' || (body?.type === 'UnaryExpression' && body.operator === 'void'))
    body = body.argument;
  return body?.type === 'CallExpression' && body.callee.type === 'Identifier' ? body.callee.name : undefined;
}

/** `app.get('/sse', …, fn)` style registrations whose last argument is (or names) `fnNode`. */
function routesOf(ctx: EntryContext, test: (fnNode: Node) => boolean): Route[] {
  const { j, root } = ctx;
  const named = functionsByName(j, root);
  const routes: Route[] = [];
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const args = p.node.arguments;
    const at = args.length < 2 ? undefined : routePath(j, p, args[0]);
    if (!at) return;
    const last = args[args.length - 1];
    const fnNode = handlerFunction(last, named);
    if (!fnNode || !test(fnNode) || p.parent.node.type !== 'ExpressionStatement') return;
    routes.push({ statement: p.parent, call: p.node, ...at, handler: last });
  });
  return routes;
}

/**
 * The path a route is registered at: a string, or a name bound to one — a `const`, or a parameter whose default is
 * one (`endpoint = '/sse'`: a caller may pass another path, so `parameter` names it for the report).
 */
function routePath(j: JSCodeshift, p: ASTPath<any>, first: Node): Pick<Route, 'path' | 'parameter'> | undefined {
  if (isStringLiteral(first)) return { path: first.value };
  // `this.options.path || '/sse'`: a configured path with a default, like a parameter's.
  if (first?.type === 'LogicalExpression' && /^(\|\||\?\?)$/.test(first.operator) && isStringLiteral(first.right)) {
    const configured = first.left;
    if (/^(Identifier|MemberExpression|OptionalMemberExpression)$/.test(configured.type))
      return { path: first.right.value, parameter: codeExcerpt(j, configured) };
  }
  if (first?.type !== 'Identifier') return undefined;
  const bindings: ASTPath<any>[] = p.scope?.lookup(first.name)?.getBindings()[first.name] ?? [];
  if (bindings.length !== 1) return undefined;
  const decl = bindings[0]!.parent?.node;
  if (decl?.type === 'AssignmentPattern' && decl.left === bindings[0]!.node && isStringLiteral(decl.right))
    return { path: decl.right.value, parameter: first.name };
  const declaration = bindings[0]!.parent?.parent?.node;
  if (decl?.type === 'VariableDeclarator' && declaration?.kind === 'const' && isStringLiteral(decl.init))
    return { path: decl.init.value };
  return undefined;
}

/** How the report names a route's path. */
function shownPath(r: Route): string {
  return r.parameter ? `\`${r.parameter}\` (by default ${r.path})` : r.path;
}

/** The object routes are registered on (`app`, `this.app`, `router`), the same binding for both routes. */
function sameApp(ctx: EntryContext, a: Route, b: Route): boolean {
  const objA = a.call.callee.object;
  const objB = b.call.callee.object;
  const text = (n: Node) => ctx.j(n).toSource();
  if (text(objA) !== text(objB)) return false;
  if (objA.type !== 'Identifier') return true;
  const scopeA = a.statement.scope?.lookup(objA.name);
  return scopeA === b.statement.scope?.lookup(objB.name);
}

/** Is `route` registered whenever `from` is: in the block that holds `from` or one around it, not a sibling branch? */
function registeredAlongside(route: ASTPath<any>, from: ASTPath<any>): boolean {
  const block = route.parent?.node;
  for (let cur: ASTPath<any> | null = from.parent; cur; cur = cur.parent) if (cur.node === block) return true;
  return false;
}

/**
 * A `/mcp` route already served on the same app (an HTTP entry rewritten before). Not the SSE endpoint's own
 * routes: an SSE stream opened at `GET /mcp` is what moves, and taking it for the served route removed it with
 * nothing left serving `/mcp`.
 */
function mcpRouteOf(ctx: EntryContext, sse: Route, own: Route[] = []): ASTPath<any> | undefined {
  const { j, root } = ctx;
  const endpoint = new Set([sse, ...own].map(r => r.call));
  const registrations = root
    .find(j.CallExpression, { callee: { type: 'MemberExpression' }, arguments: [{ value: '/mcp' }] })
    .filter(
      (p: ASTPath<any>) =>
        p.parent.node.type === 'ExpressionStatement' &&
        !endpoint.has(p.node) &&
        registeredAlongside(p.parent, sse.statement) &&
        sameApp(ctx, { statement: p.parent, call: p.node, path: '/mcp', handler: undefined }, sse)
    )
    .paths();
  // A route rather than middleware mounted there (`app.use('/mcp', guard)` before the route).
  return registrations.find((p: ASTPath<any>) => p.node.callee.property?.name !== 'use') ?? registrations[0];
}

/**
 * Work the endpoint's routes do besides carrying messages, which a move to one handler would lose: a path with
 * parameters the server reads (`/:apiKey/sse`), a message route that rewrites the body it forwards. The reason, or
 * undefined.
 */
function routeWork(ctx: EntryContext, sse: Route, posts: Route[]): string | undefined {
  const { j } = ctx;
  const param = [sse, ...posts].find(r => /[:*]/.test(r.path));
  if (param) return `the route \`${param.path}\` carries path parameters the server reads`;
  for (const r of posts) {
    const rewritten = j(r.call)
      .find(j.CallExpression, { callee: { property: { name: 'handlePostMessage' } } })
      .filter((p: ASTPath<any>) => {
        const body = p.node.arguments[2];
        return !!body && !(body.type === 'MemberExpression' && body.property?.name === 'body');
      });
    if (rewritten.size()) return `the message route \`${r.path}\` forwards a body it rewrote, not the request's`;
  }
  return undefined;
}

function rewriteOne(ctx: EntryContext, created: ASTPath<any>): void {
  const { j, root } = ctx;
  const fn = j(created).closest(j.Function);
  const anchorOf = (p: ASTPath<any>) => statementPathOf(p).node;
  if (fn.size() === 0) {
    ctx.unsafe(
      anchorOf(created),
      'sse-transport',
      'an SSE transport is created outside a request handler; serve the server with createMcpHandler over Streamable HTTP'
    );
    return;
  }
  // In tsc's ES2015 output the route's callback returns an __awaiter generator: the callback is the handler.
  const fnNode = awaiterOwner(fn.get()).node;
  const named = functionsByName(j, root);
  // A route handing its request to a helper, or (in a class) to a method of its own.
  const delegated = (f: Node) => {
    const name = delegateOf(f);
    return name !== undefined ? named.get(name) : classMethodCalledBy(ctx, f);
  };
  // The transport may be made in a callback inside the route (`app.get('/mcp', (req, res) => { withAuth(req, res,
  // async () => { … new SSEServerTransport('/mcp', res) … }) })`): that route is the stream's.
  const allGetRoutes = routesOf(
    ctx,
    f => f === fnNode || delegated(f) === fnNode || (isFunction(f) && f.start < fnNode.start && fnNode.end <= f.end)
  );
  // A helper several routes share (`GET /sse` and `GET /mcp` both open a stream): one endpoint serves them all, at
  // /mcp when one of them is there; the others go with it.
  const getRoutes =
    allGetRoutes.length > 1 && allGetRoutes.every(r => sameApp(ctx, r, allGetRoutes[0]!))
      ? [allGetRoutes.find(r => r.path === '/mcp') ?? allGetRoutes[0]!]
      : allGetRoutes;
  const otherGetRoutes = allGetRoutes.filter(r => !getRoutes.includes(r));
  const connect = j(fn.get())
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'connect' } } })
    .paths()[0];
  if (getRoutes.length === 0 && connect) {
    const raw = rawBranchesOf(ctx, created, fnNode);
    if (raw) return rewriteRaw(ctx, raw, connect, fn.get());
  }
  // A method of the class nothing calls any more (its route went, the method stayed: public, on an exported class):
  // `check` marks its transport; no route is left to look for.
  if (getRoutes.length === 0 && uncalledMethod(ctx, fnNode)) return;
  if (getRoutes.length !== 1 || !connect) {
    ctx.unsafe(
      anchorOf(created),
      'sse-route',
      'could not find the GET route and server.connect() of this SSE endpoint; move it to createMcpHandler over Streamable HTTP by hand'
    );
    return;
  }
  const sse = getRoutes[0];
  // Only this app's message routes belong to this endpoint (a module may run two SSE apps).
  const postsMessages = (f: Node) =>
    !!f &&
    j(f)
      .find(j.MemberExpression, { property: { name: 'handlePostMessage' } })
      .size() > 0;
  // Nor the message routes of a sibling branch (`if (auth) { GET /sse + POST /messages } else { … }`): each branch
  // registers its own endpoint.
  const postRoutes = routesOf(ctx, f => postsMessages(f) || postsMessages(delegated(f))).filter(
    r =>
      sameApp(ctx, r, sse) &&
      (registeredAlongside(r.statement, sse.statement) || registeredAlongside(sse.statement, r.statement))
  );
  // The helpers the routes delegated to go with the routes, once nothing else calls them.
  const helpers = [...allGetRoutes, ...postRoutes]
    .map(r => delegateOf(handlerFunction(r.handler, named)))
    .filter((n): n is string => n !== undefined && named.has(n))
    .map(n => j.identifier(n))
    .concat(
      [...allGetRoutes, ...postRoutes].flatMap(r => {
        const method = classMethodCalledBy(ctx, handlerFunction(r.handler, named));
        return method ? [method] : [];
      })
    );
  const kept =
    routeWork(ctx, sse, postRoutes) ??
    (otherGetRoutes.length && postRoutes.length === 1 ? 'one message route serves several streams' : undefined);
  let move: MessageRouteMove | undefined;
  if (kept) {
    // Work of the message route's own moves with it, when it is the endpoint's one message route.
    const taken = new Set(
      routesOf(ctx, () => true)
        .filter(r => sameApp(ctx, r, sse))
        .map(r => r.path)
    );
    const alternative =
      postRoutes.length === 1 && !mcpRouteOf(ctx, sse, postRoutes)
        ? messageRouteMove(ctx, fnNode, postRoutes[0]!, sessionMaps(ctx, fnNode), taken)
        : undefined;
    if (!alternative || typeof alternative === 'string') {
      ctx.unsafe(
        sse.statement.node,
        'sse-route',
        `${kept}${alternative ? ` and ${alternative}` : ''}; move this endpoint to createMcpHandler over Streamable HTTP by hand`
      );
      return;
    }
    move = alternative;
  }
  const plan = entryFactory(ctx, connect, (connect.node.callee as Node).object, ctx.program, {
    releasePerRequest: true,
    connectFunctionGoes: true
  });
  // A stream route already behind a middleware that checks Host or Origin keeps that guard wherever it moves (its
  // middleware go with it): the transport's own protection asks for nothing more.
  const asked = protectionOptions(ctx, fnNode);
  const protection = asked && guardedByMiddleware(ctx, sse.call, asked) ? undefined : asked;
  // A JSON body parser drained the stream (`express.json()`, tsc's `express_1.default.json()`, `bodyParser.json()`).
  const parsesJson = /\bexpress(?:_\d+)?(?:\.default)?\.json\(|\.use\([^;]*?\bjson\(|createMcpExpressApp\(/.test(
    j(root.get().node).toSource()
  );
  const oldEndpoints = [
    ...[sse, ...otherGetRoutes].map(r => `GET ${shownPath(r)}`),
    ...postRoutes.map(r => `POST ${shownPath(r)}`)
  ].join(' + ');
  if ('unsafe' in plan) {
    // The app serves Streamable HTTP at /mcp already (its server built per request, from the request's auth): the
    // old endpoint goes, and no factory is needed for it.
    const served = move ? undefined : mcpRouteOf(ctx, sse, [...postRoutes, ...otherGetRoutes]);
    if (served) {
      const maps = sessionMaps(ctx, fnNode);
      retireEndpoint(ctx, { sse, postRoutes, otherGetRoutes, served, protection, oldEndpoints });
      removeEndpointLeftovers(ctx, [sse, ...postRoutes, ...otherGetRoutes].map(r => r.handler).concat(helpers), maps);
      return;
    }
    // The server is built from values of the stream route: that route becomes the Streamable HTTP one, building
    // its handler per request.
    if (!move && !protection && sse.handler === fnNode && otherGetRoutes.length === 0) {
      const local = entryFactory(ctx, connect, (connect.node.callee as Node).object, ctx.program, {
        releasePerRequest: true,
        connectFunctionGoes: true,
        allowLocal: true
      });
      const maps = sessionMaps(ctx, fnNode);
      const route =
        !('unsafe' in local) && local.local
          ? servePerRequest(ctx, { sse, fn: fn.get(), connect, plan: local, maps, parsesJson, sseClass: SSE_CLASS })
          : undefined;
      if (typeof route === 'string') {
        ctx.unsafe(anchorOf(connect), 'sse-session-work', route);
        return;
      }
      if (route) {
        ctx.note(route, 'sse-endpoint', movedNote(oldEndpoints, '/mcp', sse));
        if (!sse.parameter) retargetPrintedEndpoint(ctx, sse.path, '/mcp');
        for (const r of postRoutes) removeStatement(j, r.statement, SSE_COMMENT);
        removeEndpointLeftovers(ctx, postRoutes.map(r => r.handler).concat(helpers), maps);
        return;
      }
    }
    // At the connect, which `check` flags too: one marker for the one problem.
    ctx.unsafe(
      anchorOf(connect),
      'sse-factory',
      `${plan.unsafe}; pass a factory that builds a fresh server to createMcpHandler`
    );
    return;
  }
  if (protection && declaresNamesOf(ctx, fnNode, protection)) {
    ctx.unsafe(
      sse.statement.node,
      'host-guard',
      'the SSE transport is asked for DNS-rebinding protection with values of its GET handler; check Host and ' +
        'Origin in the Streamable HTTP route by hand (hostHeaderValidation / originValidation from @modelcontextprotocol/node)'
    );
    return;
  }
  const { maps, names } = commit(ctx, plan, fnNode);
  if (move) {
    placeHandlers(ctx, postRoutes[0]!.statement, plan, names);
    const route = move.apply(names.node!);
    const handler = postRoutes[0]!.handler;
    if (protection)
      handler.body.body.unshift(...hostGuardStatements(ctx, protection, handler.params[0], handler.params[1]));
    removeStatement(j, sse.statement);
    ctx.note(
      route,
      'sse-endpoint',
      `this server moved from HTTP+SSE (${oldEndpoints}) to Streamable HTTP at ${move.path}: point every client at ` +
        `${move.path} with a Streamable HTTP transport` +
        (move.rewritesBody
          ? '; the body this route rewrites carries the 2026 request envelope in params._meta: add to _meta, never replace it'
          : '')
    );
    finish(ctx, plan, names, [sse.handler, ...helpers], maps);
    return;
  }
  const served = mcpRouteOf(ctx, sse, [...postRoutes, ...otherGetRoutes]);
  const newPath = served ? undefined : '/mcp';
  const req = j.identifier('req');
  const res = j.identifier('res');
  const call = j.callExpression(
    j.identifier(names.node!),
    parsesJson ? [req, res, j.memberExpression(req, j.identifier('body'))] : [req, res]
  );
  if (newPath) {
    const middleware = sse.call.arguments.slice(1, -1);
    const route = j.expressionStatement(
      j.callExpression(j.memberExpression(sse.call.callee.object, j.identifier('all')), [
        j.stringLiteral(newPath),
        ...middleware,
        protection
          ? j.arrowFunctionExpression(
              [req, res],
              j.blockStatement([
                ...hostGuardStatements(ctx, protection, req, res),
                j.expressionStatement(j.unaryExpression('void', call))
              ])
            )
          : j.arrowFunctionExpression([req, res], j.unaryExpression('void', call))
      ])
    );
    route.comments = sse.statement.node.comments;
    placeHandlers(ctx, sse.statement, plan, names);
    j(sse.statement).replaceWith(route);
    // The move is complete, working code: a NOTE (warning), so the clients that must learn the new URL are not missed.
    ctx.note(route, 'sse-endpoint', movedNote(oldEndpoints, newPath, sse));
    if (!sse.parameter) retargetPrintedEndpoint(ctx, sse.path, newPath);
    for (const r of [...postRoutes, ...otherGetRoutes]) removeStatement(j, r.statement, SSE_COMMENT);
  } else retireEndpoint(ctx, { sse, postRoutes, otherGetRoutes, served: served!, protection, oldEndpoints });
  finish(
    ctx,
    plan,
    names,
    [sse.handler, ...postRoutes.map(r => r.handler), ...otherGetRoutes.map(r => r.handler), ...helpers],
    maps
  );
}

/**
 * Does a middleware of the route (`app.get('/sse', rejectDnsRebinding, requireAuth, handler)`), a function of this file,
 * refuse with a 403 after reading each header the transport was asked to check (Host for `allowedHosts`, Origin for
 * `allowedOrigins`; both when the options are spread in from elsewhere)? Its own code then guards what the transport did.
 */
function guardedByMiddleware(ctx: EntryContext, route: Node, protection: Node): boolean {
  const { j, root } = ctx;
  const keys = new Set(protection.properties.map((p: Node) => (p.key ? (p.key.name ?? p.key.value) : '...')));
  const needs = [
    ...(keys.has('allowedHosts') || keys.has('...') ? ['host'] : []),
    ...(keys.has('allowedOrigins') || keys.has('...') ? ['origin'] : [])
  ];
  const named = functionsByName(j, root);
  return route.arguments.slice(1, -1).some((m: Node) => {
    const fn = handlerFunction(m, named);
    if (!fn) return false;
    const text = j(fn).toSource();
    return /\b403\b/.test(text) && needs.every(header => headerRead(header).test(text));
  });
}

/** `req.headers.host`, `req.headers['origin']`, `req.get('host')`, `req.header('Origin')`. */
function headerRead(name: string): RegExp {
  return new RegExp(
    `headers\\s*(?:\\.\\s*${name}\\b|\\[\\s*['"]${name}['"]\\s*\\])|\\.(?:get|header)\\(\\s*['"]${name}['"]`,
    'i'
  );
}

/** A listener that routes by hand (`if (req.url === '/sse') … else if (… '/messages') …`): see sse-raw-branches.ts. */
function rewriteRaw(ctx: EntryContext, raw: RawBranches, connect: ASTPath<any>, listenerPath: ASTPath<any>): void {
  const listener = listenerPath.node;
  const { j } = ctx;
  const plan = entryFactory(ctx, connect, (connect.node.callee as Node).object, ctx.program, {
    releasePerRequest: true
  });
  if ('unsafe' in plan || protectionOptions(ctx, listener)) {
    ctx.unsafe(
      raw.stream,
      'sse-factory',
      `${'unsafe' in plan ? plan.unsafe : 'the SSE transport is asked for DNS-rebinding protection'}; ` +
        'serve the server with createMcpHandler over Streamable HTTP by hand'
    );
    return;
  }
  const { maps, names } = commit(ctx, plan, listener);
  placeHandlers(ctx, listenerPath, plan, names);
  const pathIn = (test: Node, method: string) =>
    `${method} ${
      j(test)
        .find(j.StringLiteral)
        .nodes()
        .map((n: Node) => n.value)
        .find((v: string) => v.startsWith('/')) ?? '?'
    }`;
  const oldEndpoints = `${pathIn(raw.stream.test, 'GET')} + ${pathIn(raw.messages.test, 'POST')}`;
  const branch = rewriteRawBranches(ctx, raw, names.node!);
  ctx.note(
    branch,
    'sse-endpoint',
    `this server moved from HTTP+SSE (${oldEndpoints}) to Streamable HTTP at /mcp: point every client at /mcp with a Streamable HTTP transport`
  );
  finish(ctx, plan, names, [], maps);
}

/** What the NOTE on a moved endpoint tells: its clients' new URL, and that a configured path no longer picks it. */
function movedNote(oldEndpoints: string, newPath: string, sse: Route): string {
  return (
    `this server moved from HTTP+SSE (${oldEndpoints}) to Streamable HTTP at ${newPath}: point every client at ` +
    `${newPath} with a Streamable HTTP transport` +
    (sse.parameter ? `; \`${sse.parameter}\` no longer picks the path` : '')
  );
}

/**
 * The app's `/mcp` route serves Streamable HTTP already: the SSE endpoint's routes go, and the note (or, where the
 * endpoint was asked for DNS-rebinding protection the route lacks, a TODO) at that route tells its clients where to go.
 */
function retireEndpoint(
  ctx: EntryContext,
  endpoint: {
    sse: Route;
    postRoutes: Route[];
    otherGetRoutes: Route[];
    served: ASTPath<any>;
    protection: Node | undefined;
    oldEndpoints: string;
  }
): void {
  const { j } = ctx;
  const { sse, postRoutes, otherGetRoutes, served, protection, oldEndpoints } = endpoint;
  removeStatement(j, sse.statement, SSE_COMMENT);
  if (protection)
    ctx.unsafe(
      served.parent.node,
      'host-guard',
      `the HTTP+SSE endpoints (${oldEndpoints}) are gone and were asked for DNS-rebinding protection this route does ` +
        'not have; check Host and Origin here (hostHeaderValidation / originValidation from @modelcontextprotocol/node)'
    );
  else
    ctx.note(
      served.parent.node,
      'sse-endpoint',
      `the HTTP+SSE endpoints (${oldEndpoints}) are gone; their clients must use Streamable HTTP at /mcp`
    );
  for (const r of [...postRoutes, ...otherGetRoutes]) removeStatement(j, r.statement, SSE_COMMENT);
}

/** The endpoint moves: its session maps (read first), its handler names, the factory plan applied. */
function commit(ctx: EntryContext, plan: FactoryPlan, fnNode: Node): { maps: string[]; names: HandlerNames } {
  const maps = sessionMaps(ctx, fnNode);
  const names = handlerNames(ctx, plan, true);
  plan.apply();
  if (plan.generated) ctx.generated.push(plan.generated);
  return { maps, names };
}

/** What every moved endpoint ends with: its old handlers, maps and imports go, the factory is audited and served. */
function finish(
  ctx: EntryContext,
  plan: FactoryPlan,
  names: HandlerNames,
  removedHandlers: Node[],
  maps: string[]
): void {
  removeEndpointLeftovers(ctx, removedHandlers, maps);
  auditPerRequestState(ctx, plan.fn, 'http');
  servedThrough(ctx, plan, names);
}

/** What an endpoint that went leaves: the helpers only its routes called, its session maps, its transport types. */
function removeEndpointLeftovers(ctx: EntryContext, removedHandlers: Node[], maps: string[]): void {
  removeUnusedFunctions(ctx, removedHandlers, SSE_COMMENT);
  removeMapLeftovers(ctx, new Set(maps));
  removeUnusedTransportTypes(ctx, SSE_COMMENT);
  removeUnusedSseClasses(ctx);
  ctx.maybeUnused.add(SSE_CLASS);
  ctx.changed = true;
}

/** Module-level `{}` / `[]` / `new Map()` that the SSE handler stores transports in. */
function sessionMaps(ctx: EntryContext, fnNode: Node): string[] {
  const { j, root } = ctx;
  const names = new Set<string>();
  j(fnNode)
    .find(j.MemberExpression, { object: { type: 'Identifier' } })
    .forEach((p: ASTPath<any>) => names.add(p.node.object.name));
  j(fnNode)
    .find(j.AssignmentExpression, { left: { type: 'Identifier' } })
    .forEach((p: ASTPath<any>) => names.add(p.node.left.name));
  return [...names].filter(name =>
    root.find(j.VariableDeclarator, { id: { name } }).some((d: ASTPath<any>) => {
      const init = d.node.init;
      const empty =
        init &&
        ((init.type === 'ObjectExpression' && init.properties.length === 0) ||
          (init.type === 'ArrayExpression' && init.elements.length === 0) ||
          (init.type === 'NewExpression' && init.callee.name === 'Map'));
      // `let transport: SSEServerTransport;`: the one connection's transport, gone with the route that set it.
      const annotation = d.node.id.typeAnnotation;
      const holdsTransport =
        (!!annotation && /SSEServerTransport/.test(j(annotation).toSource())) ||
        ((!init || init.type === 'NullLiteral') && assignedSseTransport(ctx, fnNode, name));
      // At module scope, or in a block around the route (`let transport` inside `runSse()`, or inside the
      // `if (SSE_PORT) { … }` that sets the SSE app up).
      // Not a variable of the same name in another route (`let transport` in the Streamable HTTP route's `try`).
      const where = d.parent.parent.node;
      const around = where.type === 'BlockStatement' && where.start <= fnNode.start && fnNode.end <= where.end;
      return (empty || holdsTransport) && (where.type === 'Program' || around);
    })
  );
}

/** `name = new SSEServerTransport(…)` inside `fnNode` (`let sseTransport = null` then set per stream). */
function assignedSseTransport(ctx: EntryContext, fnNode: Node, name: string): boolean {
  const { j } = ctx;
  return j(fnNode)
    .find(j.AssignmentExpression, { left: { type: 'Identifier', name } })
    .some((p: ASTPath<any>) => p.node.right?.type === 'NewExpression' && p.node.right.callee?.name === SSE_CLASS);
}

/** Does `fnNode` declare a name `expr` reads (a value that would be out of scope outside the handler)? */
function declaresNamesOf(ctx: EntryContext, fnNode: Node, expr: Node): boolean {
  const { j } = ctx;
  const declared = new Set<string>();
  j(fnNode)
    .find(j.VariableDeclarator, { id: { type: 'Identifier' } })
    .forEach((p: ASTPath<any>) => declared.add(p.node.id.name));
  for (const param of fnNode.params ?? []) if (param.type === 'Identifier') declared.add(param.name);
  return j(expr)
    .find(j.Identifier)
    .some((p: ASTPath<any>) => isValueReference(p) && declared.has(p.node.name));
}
