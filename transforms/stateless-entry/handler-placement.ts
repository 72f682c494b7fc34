/**
 * Where the 2026 handler an HTTP or SSE entry serves through is declared: one module-level
 * `const mcpHandler = createMcpHandler(() => factory())` (and its `toNodeHandler`) per factory, placed before the
 * route that uses it, with the imports it needs; the route then takes every method (`app.post` → `app.all`).
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import {
  enclosingFunctionPath,
  isFunction,
  isStringLiteral,
  isValueReference,
  propertyKey,
  statementIn,
  uniqueName
} from '../kit/ast.js';
import type { FactoryPlan } from '../kit/server-factory.js';
import { isTypeScript } from '../kit/source-style.js';
import { delegatedMethodName } from './delegated-methods.js';
import type { EntryContext, HandlerNames } from './entry-context.js';

type Node = any;

/** What the rewritten routes serve: the paths they listen on (to find their session routes). */
export interface RoutedPaths {
  paths: Set<string>;
}

/** `enableJsonResponse: true` among a removed transport's options: the handler is to answer in JSON too. */
export function answersInJson(options: Node[]): boolean {
  return options.some((p: Node) => propertyKey(p) === 'enableJsonResponse' && p.value?.value === true);
}

/** Names of the module-level handler for this factory (shared by every request function that uses it). */
export function handlerNames(ctx: EntryContext, plan: FactoryPlan, node: boolean, json = false): HandlerNames {
  const key = ctx.j(plan.call).toSource() + (json ? '#json' : '');
  const names: HandlerNames = ctx.handlers.get(key) ?? { handler: uniqueName(ctx.j, ctx.root, 'mcpHandler'), json };
  if (node && !names.node) names.node = uniqueName(ctx.j, ctx.root, 'mcpNodeHandler');
  ctx.handlers.set(key, names);
  return names;
}

/**
 * Declares `const mcpHandler = createMcpHandler(() => factory())` (and its `toNodeHandler`) once, before the
 * statement that registers the request handler `at`, in the block where the factory is visible.
 */
export function placeHandlers(
  ctx: EntryContext,
  at: ASTPath<any>,
  plan: FactoryPlan,
  names: HandlerNames,
  placed?: Node
): void {
  const { j, root } = ctx;
  const declared = (name: string) => root.find(j.VariableDeclarator, { id: { name } }).size() > 0;
  const targetBlock = plan.block.type === 'Program' ? ctx.program : plan.block;
  // The transport's function may hold the factory itself (`startHttp(server)` made `startHttp(createServer)`):
  // then the handler goes before the statement in it that serves (the route), not at its end.
  const serving = () => {
    const path = j(targetBlock)
      .find(j.Node)
      .filter((p: ASTPath<any>) => p.node === placed)
      .paths()[0];
    return path && statementIn(targetBlock, path);
  };
  const anchor = statementIn(targetBlock, at) ?? (placed ? serving() : undefined) ?? at;
  const decls: Node[] = [];
  if (plan.hoisted) decls.push(plan.hoisted);
  if (!declared(names.handler)) {
    const declaration = handlerDeclaration(ctx, plan, names);
    if (plan.note) ctx.note(declaration, plan.note.rule, plan.note.message);
    decls.push(declaration);
  }
  if (names.node && !declared(names.node)) decls.push(nodeAdapterDeclaration(ctx, names.handler, names.node));
  const body: Node[] = targetBlock.body;
  const index = body.indexOf(anchor.node);
  // Never after a return: declarations that never run leave the routes reading names still in their dead zone.
  const last = body.length - (body[body.length - 1]?.type === 'ReturnStatement' ? 1 : 0);
  body.splice(index < 0 ? last : index, 0, ...decls);
}

/**
 * `const mcpHandler = createMcpHandler(() => <plan.call>)` (an async arrow when the factory awaits), with
 * `{ responseMode: 'json' }` where the v1 transports answered in JSON.
 */
export function handlerDeclaration(ctx: EntryContext, plan: FactoryPlan, names: HandlerNames): Node {
  const { j } = ctx;
  const factory = j.arrowFunctionExpression([], plan.call);
  factory.async = !!plan.async;
  const options = names.json
    ? [j.objectExpression([j.objectProperty(j.identifier('responseMode'), j.stringLiteral('json'))])]
    : [];
  const create = j.callExpression(j.identifier('createMcpHandler'), [factory, ...options]);
  return j.variableDeclaration('const', [j.variableDeclarator(j.identifier(names.handler), create)]);
}

/** `const mcpNodeHandler = toNodeHandler(mcpHandler)`. */
export function nodeAdapterDeclaration(ctx: EntryContext, handler: string, name: string): Node {
  const { j } = ctx;
  const adapt = j.callExpression(j.identifier('toNodeHandler'), [j.identifier(handler)]);
  return j.variableDeclaration('const', [j.variableDeclarator(j.identifier(name), adapt)]);
}

/**
 * What every entry served by a handler needs: `server.close()` calls pointed at the handler, and the imports of
 * `createMcpHandler`, `toNodeHandler` (on Node) and whatever the factory's generated code uses.
 */
export function servedThrough(ctx: EntryContext, plan: FactoryPlan, names: HandlerNames): void {
  const { j } = ctx;
  for (const c of plan.closeCalls)
    c.node.callee.object = names.fields
      ? j.memberExpression(j.thisExpression(), j.identifier(names.handler))
      : j.identifier(names.handler);
  ctx.need('@modelcontextprotocol/server', 'createMcpHandler');
  for (const [module, name] of plan.needs ?? []) ctx.need(module, name);
  if (names.node) ctx.need('@modelcontextprotocol/node', 'toNodeHandler');
}

/**
 * Routes whose `transport.handleRequest(…)` calls now call the handler (a transport shared from start-up, or handed
 * out by a getter): the handler goes beside the first, the factory is served through it, and each route function
 * answers every method.
 */
export function serveRoutesThrough(
  ctx: EntryContext,
  plan: FactoryPlan,
  names: HandlerNames,
  handles: ASTPath<any>[],
  out: RoutedPaths
): void {
  placeHandlers(ctx, handles[0]!, plan, names);
  servedThrough(ctx, plan, names);
  for (const handle of handles) {
    const fn = enclosingFunctionPath(handle);
    if (fn) retargetRoutes(ctx, fn, out);
  }
}

/** `app.post('/mcp', …, handler)` → `app.all('/mcp', …)`: GET and DELETE now get the spec's 405 from the handler. */
export function retargetRoutes(ctx: EntryContext, fn: ASTPath<any>, out: RoutedPaths): void {
  const { j, root } = ctx;
  const names = namesOf(fn);
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'post' } } })
    .forEach((p: ASTPath<any>) => {
      const args = p.node.arguments;
      const last = args[args.length - 1];
      // The route's callback itself, a name for it, or a callback the serving function sits in
      // (`app.post('/mcp', async c => { const serve = async () => handler.fetch(…); return run(serve) })`).
      // Or a class's route handing the request to the serving method: `(req, res) => this.handlePost(req, res)`.
      const isOurs =
        last === fn.node ||
        (last?.type === 'Identifier' && names.has(last.name)) ||
        (isFunction(last) && last.start <= fn.node.start && fn.node.end <= last.end) ||
        (fn.node.type === 'ClassMethod' && isFunction(last) && delegatedMethodName(last) === fn.node.key?.name);
      const path = routeKey(j, args[0]);
      if (!isOurs || path === undefined) return;
      p.node.callee.property = j.identifier('all');
      if (isFunction(last)) readBodyOnlyOnPost(j, last);
      out.paths.add(path);
    });
}

/**
 * A route that now takes every method reads a request body only for a POST: `await c.req.json()` (Hono) or
 * `await request.json()` (fetch) throws on a GET's empty body, which would answer 500 where the handler answers 405.
 */
function readBodyOnlyOnPost(j: JSCodeshift, fn: Node): void {
  const param = fn.params?.[0];
  if (param?.type !== 'Identifier') return;
  j(fn.body)
    .find(j.AwaitExpression, { argument: { type: 'CallExpression', callee: { property: { name: 'json' } } } })
    .forEach((p: ASTPath<any>) => {
      const call = p.node.argument;
      const request = call.callee.object;
      let root = request;
      while (root?.type === 'MemberExpression' && !root.computed) root = root.object;
      if (call.arguments.length || root?.type !== 'Identifier' || root.name !== param.name) return;
      const isPost = j.binaryExpression(
        '===',
        j.memberExpression(request, j.identifier('method')),
        j.stringLiteral('POST')
      );
      p.replace(j.conditionalExpression(isPost, p.node, j.identifier('undefined')));
    });
}

/**
 * What a route's path is, to find the other routes on it: the string, or a configured path's code
 * (`config.http.path`, `MCP_PATH`), which the session routes name the same way.
 */
export function routeKey(j: JSCodeshift, path: Node): string | undefined {
  if (isStringLiteral(path)) return path.value;
  let cur = path;
  while (cur?.type === 'MemberExpression' && !cur.computed) cur = cur.object;
  return cur?.type === 'Identifier' || cur?.type === 'ThisExpression' ? `code:${j(path).toSource()}` : undefined;
}

function namesOf(fn: ASTPath<any>): Set<string> {
  const names = new Set<string>();
  if (fn.node.id?.name) names.add(fn.node.id.name);
  const parent = fn.parent?.node;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') names.add(parent.id.name);
  return names;
}

/** Names for a handler created inside one request handler (not shared with any other). */
export function localHandlerNames(ctx: EntryContext, node: boolean, json: boolean): HandlerNames {
  return {
    handler: uniqueName(ctx.j, ctx.root, 'mcpHandler'),
    json,
    ...(node ? { node: uniqueName(ctx.j, ctx.root, 'mcpNodeHandler') } : {})
  };
}

/**
 * The server is built from values of the request handler (its parameters, locals, `this`): the handler is created
 * right before the call that serves the request, over an arrow that builds the server from those values, so
 * each request gets a server made from its own values (as each v1 session did from its initialize request).
 */
export function placeLocalHandlers(
  ctx: EntryContext,
  fn: ASTPath<any>,
  placed: Node,
  plan: FactoryPlan,
  names: HandlerNames
): void {
  const { j } = ctx;
  const decls: Node[] = [handlerDeclaration(ctx, plan, names)];
  const outer = registrationOfRoute(j, fn, plan.call);
  if (outer) {
    // `const db = await openDb(); app.all('/mcp', async (req, res) => { … createServer(db) … })`: the server is built
    // from what the function registering the route holds, the same for every request: the handler is made once,
    // there, before the route.
    if (plan.note) ctx.note(decls[0], plan.note.rule, plan.note.message);
    if (names.node) decls.push(nodeAdapterDeclaration(ctx, names.handler, names.node));
    outer.block.splice(outer.block.indexOf(outer.statement), 0, ...decls);
    return;
  }
  if (placeAsClassFields(ctx, fn, plan, names)) return;
  ctx.note(
    decls[0],
    'per-request-handler',
    'the server is built from values of this request handler, so its MCP handler is created per request; ' +
      'move what does not depend on the request to module scope'
  );
  if (plan.note) ctx.note(decls[0], plan.note.rule, plan.note.message);
  if (names.node) decls.push(nodeAdapterDeclaration(ctx, names.handler, names.node));
  const blocks = [fn.node.body, ...j(fn.node.body).find(j.BlockStatement).nodes()];
  // Every call of the handler (branches on the request method each serve through it) sees the declarations: they
  // go before the innermost statement holding all of them.
  const calls = names.node
    ? j(fn.node.body)
        .find(j.CallExpression, { callee: { type: 'Identifier', name: names.node } })
        .nodes()
    : [];
  const holdsAll = (st: Node) =>
    st === placed ||
    calls.every((c: Node) =>
      j(st)
        .find(j.CallExpression)
        .some((x: ASTPath<any>) => x.node === c)
    );
  let block = blocks.find((b: Node) => b.body.includes(placed))!;
  let anchor: Node = placed;
  // Blocks come outermost first, and those holding a statement with every call nest: the last one found is innermost.
  for (const b of calls.length > 1 ? blocks : []) {
    const holder = b.body.find((st: Node) => st !== placed && holdsAll(st));
    if (holder) {
      block = b;
      anchor = holder;
    }
  }
  // Comments the placed call took over from the statement it replaced belong above the whole group.
  decls[0].comments = [...(placed.comments ?? []), ...(decls[0].comments ?? [])];
  placed.comments = undefined;
  block.body.splice(block.body.indexOf(anchor), 0, ...decls);
}

/**
 * A route method of a class (a NestJS controller's `@Post() handle(req, res, body)`) building the server from the
 * instance alone (`this.buildServer()`), nothing of the request: the handler is a field of the instance, made once,
 * where a local would make one per request. The class's instance is what a framework builds once and routes to.
 */
function placeAsClassFields(ctx: EntryContext, fn: ASTPath<any>, plan: FactoryPlan, names: HandlerNames): boolean {
  const { j } = ctx;
  const method = fn.node;
  const body = fn.parent?.node;
  if (method.type !== 'ClassMethod' || method.static || method.kind !== 'method' || body?.type !== 'ClassBody')
    return false;
  if (!j(plan.call).find(j.ThisExpression).size()) return false;
  // `server.close()` calls pointed at the handler reach it through `this`: only where `this` is the instance (in the
  // method, not inside a function of its own).
  const seesThis = (p: ASTPath<any>) => {
    for (let cur = p.parent; cur; cur = cur.parent) {
      if (cur.node === method) return true;
      if (/^(?:FunctionExpression|FunctionDeclaration|ClassMethod|ObjectMethod)$/.test(cur.node.type)) return false;
    }
    return false;
  };
  if (!plan.closeCalls.every(seesThis)) return false;
  // Nothing the method binds (its parameters, its locals) may be read by the factory.
  if (readsRouteBindings(j, fn, plan.call)) return false;
  const typed = isTypeScript(ctx.file);
  const field = (name: string, value: Node) => {
    const f = j.classProperty(j.identifier(name), value) as Node;
    if (typed) {
      f.accessibility = 'private';
      f.readonly = true;
    }
    return f;
  };
  const member = (name: string) => j.memberExpression(j.thisExpression(), j.identifier(name));
  const create = handlerDeclaration(ctx, plan, names).declarations[0].init;
  const fields = [field(names.handler, create)];
  if (names.node)
    fields.push(field(names.node, j.callExpression(j.identifier('toNodeHandler'), [member(names.handler)])));
  // The calls placed in the method reach the fields through the instance.
  j(method.body)
    .find(j.Identifier)
    .filter((p: ASTPath<any>) => (p.node.name === names.handler || p.node.name === names.node) && isValueReference(p))
    .forEach((p: ASTPath<any>) => p.replace(member(p.node.name)));
  body.body.splice(body.body.indexOf(method), 0, ...fields);
  names.fields = true;
  return true;
}

/** The names a binding pattern declares (`req`, `{ a, b: c }`, `[x = 1]`). */
function patternNames(j: JSCodeshift, pattern: Node): string[] {
  return pattern.type === 'Identifier'
    ? [pattern.name]
    : j(pattern)
        .find(j.Identifier)
        .filter(
          (p: ASTPath<any>) =>
            !(p.parent?.node.type === 'ObjectProperty' && p.parent.node.key === p.node && !p.parent.node.shorthand)
        )
        .nodes()
        .map((n: Node) => n.name);
}

/** Names declared under `root` (variables, functions other than `fn`, parameters, catch clauses, classes), outside `skip`. */
function declaredIn(j: JSCodeshift, fn: ASTPath<any>, root: Node, skip?: Node): Set<string> {
  const names = new Set<string>();
  const bind = (pattern: Node) => {
    for (const n of patternNames(j, pattern)) names.add(n);
  };
  const inSkip = (p: ASTPath<any>) => !!skip && p.node.start >= skip.start && p.node.end <= skip.end;
  j(root)
    .find(j.VariableDeclarator)
    .forEach((p: ASTPath<any>) => void (!inSkip(p) && bind(p.node.id)));
  j(root)
    .find(j.Function)
    .forEach((p: ASTPath<any>) => {
      if (inSkip(p)) return;
      if (p.node.id && p !== fn) names.add(p.node.id.name);
      for (const param of p.node.params) bind(param);
    });
  j(root)
    .find(j.CatchClause)
    .forEach((p: ASTPath<any>) => void (!inSkip(p) && p.node.param && bind(p.node.param)));
  j(root)
    .find(j.ClassDeclaration)
    .forEach((p: ASTPath<any>) => void (!inSkip(p) && p.node.id && names.add(p.node.id.name)));
  return names;
}

/** Does the factory `call` read something the route function `fn` binds (its parameters, its locals)? */
function readsRouteBindings(j: JSCodeshift, fn: ASTPath<any>, call: Node): boolean {
  const own = declaredIn(j, fn, call);
  const read = new Set(
    j(call)
      .find(j.Identifier)
      .filter((p: ASTPath<any>) => {
        const parent = p.parent?.node;
        if (/MemberExpression$/.test(parent?.type) && parent.property === p.node && !parent.computed) return false;
        if (parent?.type === 'ObjectProperty' && parent.key === p.node && !parent.shorthand && !parent.computed)
          return false;
        return !own.has(p.node.name);
      })
      .nodes()
      .map((n: Node) => n.name)
  );
  // Its own parameters too (`find` looks below the node it starts from): `req` is the route's.
  const routeNames = declaredIn(j, fn, fn.node, call);
  for (const param of fn.node.params) for (const n of patternNames(j, param)) routeNames.add(n);
  return [...read].some(n => routeNames.has(n));
}

/**
 * The statement of a function body that registers the route `fn` (`app.all('/mcp', fn)` in `main`), when the factory
 * `call` reads nothing the route's function declares (its parameters, its locals, `this`): there the handler sees
 * every value the factory reads, and is made once.
 */
function registrationOfRoute(
  j: JSCodeshift,
  fn: ASTPath<any>,
  call: Node
): { block: Node[]; statement: Node } | undefined {
  if (j(call).find(j.ThisExpression).size() || j(call).find(j.Identifier, { name: 'arguments' }).size())
    return undefined;
  if (readsRouteBindings(j, fn, call)) return undefined;
  // The statement holding the route's function, in the body of the function around it.
  let cur: ASTPath<any> | null = fn;
  while (cur?.parent && cur.parent.node.type !== 'BlockStatement' && cur.parent.node.type !== 'Program')
    cur = cur.parent;
  const block = cur?.parent?.node;
  if (!cur || block?.type !== 'BlockStatement' || !isFunction(cur.parent.parent?.node)) return undefined;
  if (!block.body.includes(cur.node)) return undefined;
  return { block: block.body, statement: cur.node };
}
