/**
 * A module function that hands each request its transport: an existing session's from the map, else a new one it
 * connects to a fresh server (`const getTransport = async (req) => { … return transports.get(id) … const t = new
 * StreamableHTTPServerTransport({ … }); await createMcpServer().connect(t); return t; }`), used by the route as
 * `const transport = await getTransport(req); await transport.handleRequest(req, res, req.body)`. With no sessions
 * the whole function is session plumbing: it goes, and the route serves through the module's handler over the
 * factory the function connected. Only when every connect serves the same existing factory call, the function is
 * not exported and is only called that way, and it does no work of its own (else it is marked, naming that work).
 */
import type { ASTPath } from 'jscodeshift';
import {
  enclosingFunctionPath,
  enclosingStatement,
  isFunction,
  isReferencedOutside,
  isValueReference,
  mentions,
  propertyKey,
  removeStatement,
  statementPathOf
} from '../kit/ast.js';
import type { FactoryPlan } from '../kit/server-factory.js';
import { noteNamesIn, SESSION_COMMENT, type EntryContext } from './entry-context.js';
import { answersInJson, handlerNames, serveRoutesThrough, type RoutedPaths } from './handler-placement.js';
import { namedCalls, teardownWorkMessage, userWorkIn } from './session-statements.js';

type Node = any;

/** Options of the removed transports that mean nothing without sessions, or that the handler reproduces (JSON). */
const SESSION_OPTIONS = /^(?:sessionIdGenerator|onsessioninitialized|onsessionclosed|enableJsonResponse)$/;

interface Caller {
  /** `const transport = await getTransport(req);` */
  declaration: ASTPath<any>;
  /** `transport.handleRequest(…)` calls on what it returned. */
  handles: ASTPath<any>[];
}

/**
 * Rewrites `fn` when it is such a transport getter; true when it did or marked why not, false to leave it to the
 * per-request rewrite. `transports`: the transport variables it builds; `maps`: the session maps it reads.
 */
export function rewriteTransportGetter(
  ctx: EntryContext,
  fn: ASTPath<any>,
  transports: Set<string>,
  maps: Set<string>,
  out: RoutedPaths & { maps: Set<string> }
): boolean {
  const { j } = ctx;
  const getter = namedModuleFunction(ctx, fn);
  if (!getter || !returnsTransports(ctx, fn, transports, maps)) return false;
  const callers = callersOf(ctx, getter.name, fn);
  if (!callers) return false;
  const built = j(fn)
    .find(j.NewExpression)
    .filter((p: ASTPath<any>) => p.node.callee?.type === 'Identifier' && /Transport$/.test(p.node.callee.name))
    .nodes();
  const options = built.flatMap((n: Node) => n.arguments[0]?.properties ?? []);
  if (built.some((n: Node) => n.arguments.length > 1 || (n.arguments[0] && n.arguments[0].type !== 'ObjectExpression')))
    return false;
  if (!options.every((p: Node) => SESSION_OPTIONS.test(propertyKey(p) ?? ''))) return false;
  const json = answersInJson(options);
  const connects = j(fn)
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'connect' } } })
    .filter((p: ASTPath<any>) => p.node.arguments.length === 1 && mentions(j, p.node.arguments[0], transports))
    .paths();
  if (connects.length === 0) return false;
  const plan = oneFactoryCall(ctx, connects);
  if (!plan) return false;
  const serverVars = connects
    .map((c: ASTPath<any>) => c.node.callee.object)
    .filter((o: Node) => o.type === 'Identifier')
    .map((o: Node) => o.name);
  const factoryWords = [
    ...j(plan.call)
      .toSource()
      .matchAll(/[\w$]+/g)
  ].map(m => m[0]);
  const plumbing = new Set([...transports, ...maps, ...serverVars, ...factoryWords, ...sessionIdVars(ctx, fn)]);
  plumbing.add('isInitializeRequest').add('randomUUID');
  const predicates = routingPredicates(ctx, fn);
  for (const name of predicates) plumbing.add(name);
  const { work: lost, ended } = userWorkIn(ctx, fn.node.body.body ?? [fn.node.body], plumbing, connects[0].node, {
    fn: fn.node
  });
  if (lost.length) {
    ctx.unsafe(
      getter.statement.node,
      'http-session-work',
      `\`${getter.name}()\` hands each request its session's transport and also does work of its own ` +
        `(${namedCalls(lost)}), which a stateless handler would drop: ` +
        'move it into the server factory or the route, then rerun'
    );
    return true;
  }
  const names = handlerNames(ctx, plan, true, json);
  for (const caller of callers) {
    for (const handle of caller.handles) handle.node.callee = j.identifier(names.node!);
    removeStatement(j, caller.declaration);
  }
  removeStatement(j, getter.statement, SESSION_COMMENT);
  for (const name of new Set(predicates)) removeDeadHelper(ctx, name, getter.name);
  serveRoutesThrough(
    ctx,
    plan,
    names,
    callers.flatMap(c => c.handles),
    out
  );
  for (const m of maps) out.maps.add(m);
  // The getter's `transport.onclose = () => { …; usage.flush() }` went with it: said at the route that served through it.
  const route = callers[0]?.handles[0] && enclosingStatement(callers[0].handles[0]);
  if (ended.length && route) ctx.note(route.node, 'session-teardown', teardownWorkMessage(ended));
  ctx.changed = true;
  return true;
}

/** `function getTransport(…)` / `const getTransport = async (…) => …` at module level, not exported. */
function namedModuleFunction(
  ctx: EntryContext,
  fn: ASTPath<any>
): { name: string; statement: ASTPath<any> } | undefined {
  const { j, root } = ctx;
  const declarator = fn.parent?.node.type === 'VariableDeclarator' ? fn.parent : undefined;
  const name = fn.node.type === 'FunctionDeclaration' ? fn.node.id?.name : declarator?.node.id?.name;
  const statement = fn.node.type === 'FunctionDeclaration' ? fn : declarator?.parent;
  if (!name || statement?.parent?.node.type !== 'Program') return undefined;
  if (declarator && statement.node.declarations.length !== 1) return undefined;
  const exported = root.find(j.ExportSpecifier).some((s: ASTPath<any>) => s.node.local?.name === name);
  return exported ? undefined : { name, statement };
}

/** Every `return` of the function (not of functions inside it) hands back a transport or a session map's entry. */
function returnsTransports(ctx: EntryContext, fn: ASTPath<any>, transports: Set<string>, maps: Set<string>): boolean {
  const { j } = ctx;
  const returns = j(fn)
    .find(j.ReturnStatement)
    .filter((r: ASTPath<any>) => enclosingFunctionPath(r)?.node === fn.node)
    .nodes();
  const transportValue = (v: Node): boolean => {
    if (v?.type === 'AwaitExpression') return transportValue(v.argument);
    if (v?.type === 'TSNonNullExpression' || v?.type === 'TSAsExpression') return transportValue(v.expression);
    if (v?.type === 'Identifier') return transports.has(v.name);
    if (v?.type === 'MemberExpression' && v.computed) return v.object.type === 'Identifier' && maps.has(v.object.name);
    const callee = v?.type === 'CallExpression' ? v.callee : undefined;
    return callee?.type === 'MemberExpression' && callee.property?.name === 'get' && maps.has(callee.object?.name);
  };
  return returns.length > 0 && returns.every((r: Node) => transportValue(r.argument));
}

/** `const transport = await getTransport(req)` in each caller, its value only ever asked to handle the request. */
function callersOf(ctx: EntryContext, name: string, fn: ASTPath<any>): Caller[] | undefined {
  const { j, root } = ctx;
  const references = root
    .find(j.Identifier, { name })
    .filter((p: ASTPath<any>) => isValueReference(p) && p.parent.node.id !== p.node && p.node !== fn.node.id)
    .paths();
  const callers: Caller[] = [];
  for (const ref of references) {
    const call = ref.parent;
    if (call.node.type !== 'CallExpression' || call.node.callee !== ref.node) return undefined;
    const value = call.parent.node.type === 'AwaitExpression' ? call.parent : call;
    const declarator = value.parent;
    if (declarator.node.type !== 'VariableDeclarator' || declarator.node.id.type !== 'Identifier') return undefined;
    const declaration = declarator.parent;
    if (declaration.node.declarations.length !== 1 || !Array.isArray(declaration.parent?.node.body)) return undefined;
    const local = declarator.node.id.name;
    const scope = declarator.scope?.lookup(local);
    const uses = j(declaration.parent)
      .find(j.Identifier, { name: local })
      .filter(
        (p: ASTPath<any>) => isValueReference(p) && p.node !== declarator.node.id && p.scope?.lookup(local) === scope
      )
      .paths();
    const handles = uses.map((u: ASTPath<any>) => u.parent?.parent);
    const handleCall = (h: ASTPath<any>, u: ASTPath<any>) =>
      h?.node.type === 'CallExpression' &&
      h.node.callee === u.parent.node &&
      u.parent.node.property?.name === 'handleRequest';
    if (uses.length === 0 || !uses.every((u: ASTPath<any>, i: number) => handleCall(handles[i]!, u))) return undefined;
    callers.push({ declaration, handles });
  }
  return callers.length ? callers : undefined;
}

/**
 * The one factory every connect serves: `createMcpServer().connect(t)`, or `const mcpServer = createMcpServer()` just
 * before in the same block, the same call each time, of a module-level function with module-level arguments (so the
 * module's handler can call it for every request).
 */
function oneFactoryCall(ctx: EntryContext, connects: ASTPath<any>[]): FactoryPlan | undefined {
  const { j } = ctx;
  const calls = connects.map((c: ASTPath<any>) => factoryCallOf(ctx, c));
  if (calls.some(c => !c)) return undefined;
  const sources = new Set(calls.map(c => j(c!.call).toSource()));
  if (sources.size !== 1) return undefined;
  const { call, at } = calls[0]!;
  const moduleLevel = (n: Node, p: ASTPath<any>) => {
    if (n.type !== 'Identifier') return isLiteral(n);
    const scope = p.scope?.lookup(n.name);
    return !scope || scope.isGlobal || scope.path.node.type === 'Program';
  };
  if (call.callee.type !== 'Identifier' || !call.arguments.every((a: Node) => moduleLevel(a, at))) return undefined;
  if (!moduleLevel(call.callee, at)) return undefined;
  return { call, block: ctx.program, apply: () => {}, closeCalls: [] };
}

function factoryCallOf(ctx: EntryContext, connect: ASTPath<any>): { call: Node; at: ASTPath<any> } | undefined {
  const server = connect.node.callee.object;
  if (server.type === 'CallExpression') return { call: server, at: connect };
  if (server.type !== 'Identifier') return undefined;
  const statement = statementPathOf(connect);
  const block: Node[] | undefined = statement.parent?.node.body;
  const before = Array.isArray(block) ? block[Number(statement.name) - 1] : undefined;
  const declarator =
    before?.type === 'VariableDeclaration' && before.declarations.length === 1 ? before.declarations[0] : undefined;
  if (declarator?.id.name !== server.name || declarator.init?.type !== 'CallExpression') return undefined;
  // Read nowhere after the connect (nothing before its declaration can): the declaration goes with the function.
  const later = block!.slice(Number(statement.name) + 1);
  const readLater = later.some((n: Node) => ctx.j(n).find(ctx.j.Identifier, { name: server.name }).size() > 0);
  return readLater ? undefined : { call: declarator.init, at: connect };
}

function isLiteral(n: Node): boolean {
  return /Literal$/.test(n.type) && n.type !== 'TemplateLiteral';
}

/**
 * `if (!sessionId && isListToolsRequest(req.body)) { …; return transport; }`: a function called in an `if` test whose
 * branch throws nothing only picks which transport the request gets, and goes with that choice. One whose branch
 * throws (`if (!authorized(req)) throw …`) refuses requests: it is work, and keeps the function.
 */
function routingPredicates(ctx: EntryContext, fn: ASTPath<any>): string[] {
  const { j } = ctx;
  const names: string[] = [];
  j(fn)
    .find(j.IfStatement)
    .forEach((p: ASTPath<any>) => {
      const throws = (branch: Node) =>
        !!branch && (branch.type === 'ThrowStatement' || j(branch).find(j.ThrowStatement).size() > 0);
      if (throws(p.node.consequent) || throws(p.node.alternate)) return;
      j(p.get('test'))
        .find(j.CallExpression, { callee: { type: 'Identifier' } })
        .forEach((c: ASTPath<any>) => void names.push(c.node.callee.name));
    });
  return names;
}

/**
 * A module function only the removed getter called (`const isListToolsRequest = (v) => …`) is dead with it: it goes,
 * and what it alone imported may go too. Not when exported or still called.
 */
function removeDeadHelper(ctx: EntryContext, name: string, getterName: string): void {
  const { j, root } = ctx;
  const declarations = root
    .find(j.Node)
    .filter(
      (p: ASTPath<any>) =>
        p.parent?.node.type === 'Program' &&
        ((p.node.type === 'FunctionDeclaration' && p.node.id?.name === name) ||
          (p.node.type === 'VariableDeclaration' &&
            p.node.declarations.length === 1 &&
            p.node.declarations[0].id.name === name &&
            isFunction(p.node.declarations[0].init)))
    )
    .paths();
  if (declarations.length !== 1) return;
  const declaration = declarations[0] as ASTPath<any>;
  if (isReferencedOutside(j, root.paths()[0]!, name, declaration)) return;
  noteNamesIn(ctx, declaration.node);
  // Its comment goes with it when it speaks of it, the getter or sessions; any other stays for what follows.
  const names = [name, getterName].map(n => n.replace(/\$/g, '\\$')).join('|');
  const about = new RegExp(`(?:^|[^\\w$])(?:${names})(?![\\w$])|${SESSION_COMMENT.source}`, 'i');
  removeStatement(j, declaration, about);
}

/** `const sessionId = req.headers['mcp-session-id']`: the session's id, read to look the session up. */
function sessionIdVars(ctx: EntryContext, fn: ASTPath<any>): string[] {
  const { j } = ctx;
  return j(fn)
    .find(j.VariableDeclarator, { id: { type: 'Identifier' } })
    .filter((p: ASTPath<any>) => !!p.node.init && /mcp-session-id|sessionId/i.test(j(p.node.init).toSource()))
    .nodes()
    .map((d: Node) => d.id.name);
}
