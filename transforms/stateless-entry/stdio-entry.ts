/**
 * stdio: `await server.connect(new StdioServerTransport())` (or via a `transport` variable) becomes
 * `serveStdio(() => createServer())`, which answers `server/discover` and serves 2026-07-28 (and 2025 openings).
 */
import type { ASTPath } from 'jscodeshift';
import {
  isAwaiterGenerator,
  isEmptyValue,
  isFunction,
  isLogCall,
  referencesOf,
  removeDeclarator,
  removeStatement,
  constructorOf,
  statementIn,
  thisMember,
  uniqueName
} from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { auditPerRequestState } from './per-request-audit.js';
import type { FactoryPlan } from '../kit/server-factory.js';
import { connectOwning, entryFactory } from './entry-factory.js';
import { chainedHandlers, HANDLERS, handlersSetOn } from './transport-handlers.js';
import { projectStdioTransport, STDIO_CLASS } from './project-classes.js';
import { importSourceOf } from '../kit/imports.js';
import { stdioHelperCall } from './stdio-transport-helper.js';
import { bindingDeclarator, declaredBy } from './bindings.js';

type Node = any;

type StdioPlan = Pick<FactoryPlan, 'call' | 'apply' | 'closeCalls' | 'fn' | 'generated' | 'note' | 'hoisted'>;

export function rewriteStdioEntries(ctx: EntryContext): void {
  const { j, root } = ctx;
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'connect' } } })
    .filter(
      (p: ASTPath<any>) => p.node.arguments.length === 1 && stdioTransportOf(ctx, p, p.node.arguments[0]) !== undefined
    )
    .forEach((p: ASTPath<any>) => rewriteOne(ctx, p));
}

/**
 * `StdioServerTransport`, or the name a module imports it under (`import{StdioServerTransport as v}` in a bundle), or
 * a class of the project extending it (project-classes.ts).
 */
function isStdioClass(ctx: EntryContext, callee: any): boolean {
  return isSdkStdioClass(ctx, callee) || projectStdioTransport(ctx, callee) || injectedStdioClass(ctx, callee);
}

/**
 * A transport class the code is handed, the SDK's stdio one by default (`function start(TransportClass =
 * StdioServerTransport) { … new TransportClass() … }`, so tests can hand in a fake): served over as it is built, the
 * fake still reaches serveStdio. Only a name bound once in the file, by that one parameter.
 */
function injectedStdioClass(ctx: EntryContext, callee: any): boolean {
  if (callee?.type !== 'Identifier') return false;
  const { j, root } = ctx;
  const name = callee.name;
  const defaults = root.find(j.AssignmentPattern, { left: { type: 'Identifier', name } });
  if (defaults.size() !== 1 || !isSdkStdioClass(ctx, defaults.get().node.right)) return false;
  const fn = defaults.get().parent?.node;
  if (!fn || !/Function/.test(fn.type) || !fn.params.includes(defaults.get().node)) return false;
  return root.find(j.VariableDeclarator, { id: { type: 'Identifier', name } }).size() === 0;
}

function isSdkStdioClass(ctx: EntryContext, callee: any): boolean {
  return callee?.type === 'Identifier' && ctx.sdkName(callee.name) === STDIO_CLASS;
}

/** The `new StdioServerTransport(…)` expression behind a connect argument, if it is one. */
function stdioTransportOf(ctx: EntryContext, at: ASTPath<any>, arg: any): StdioTransport | undefined {
  const { j } = ctx;
  if (arg.type === 'NewExpression' && isStdioClass(ctx, arg.callee)) return { newExpr: arg };
  if (thisMember(arg)) return propertyTransport(ctx, at, arg.property.name);
  if (arg.type !== 'Identifier') return undefined;
  const scope = at.scope.lookup(arg.name);
  if (!scope) return undefined;
  // The one declaration the connect's name means: another branch's `const transport` of the same name is not it.
  const bound = bindingDeclarator(j, at, arg.name);
  if (bound === null) return undefined;
  const d = bound?.node;
  if (d?.id.type === 'Identifier') {
    if (d.init?.type === 'NewExpression' && isStdioClass(ctx, d.init.callee))
      return { newExpr: d.init, variable: arg.name, declarator: d };
    // `const transport = createStdioTransport()`: a helper of the project that only builds a stdio transport.
    const call = stdioHelperCall(ctx, d.init, (c: any) => isStdioClass(ctx, c));
    if (call) return { newExpr: call, variable: arg.name, declarator: d };
  }
  return servedOverTransport(ctx, scope, arg.name, d) ?? assignedTransport(ctx, at, arg.name, scope, d);
}

/**
 * A transport the code picks or pairs itself, which serveStdio serves over as it is (its declaration stays):
 * `const t = debugLog ? new LoggingStdioTransport(debugLog) : new StdioServerTransport()`, every branch a stdio
 * transport; and the server half of an in-memory pair, `const [clientSide, serverSide] =
 * InMemoryTransport.createLinkedPair()` (a test connecting a client to the server in process: served this way, the
 * test speaks 2026-07-28 as the real entry does).
 */
function servedOverTransport(ctx: EntryContext, scope: any, name: string, bound: Node): StdioTransport | undefined {
  const { j } = ctx;
  const own = j(scope.path)
    .find(j.VariableDeclarator)
    .filter((d: ASTPath<any>) => d.scope?.lookup(name) === scope && (!bound || d.node === bound))
    .nodes();
  const picked = own.find(
    (d: Node) => d.id.type === 'Identifier' && d.id.name === name && d.init?.type === 'ConditionalExpression'
  );
  if (picked && everyBranchStdio(ctx, picked.init)) return { newExpr: picked.init, variable: name, declarator: picked };
  // A pair's halves are alike: the server's is the one no client connects to (either place in the pattern).
  const clientHalf = connectedByClient(ctx, scope, name);
  const inPair = (pattern: Node) =>
    !clientHalf &&
    pattern?.type === 'ArrayPattern' &&
    pattern.elements.some((e: Node) => e?.type === 'Identifier' && e.name === name);
  const paired = own.find((d: Node) => inPair(d.id) && isLinkedPair(ctx, d.init));
  if (paired) return { newExpr: paired.init, variable: name, declarator: paired };
  const half = clientHalf ? undefined : ownPairHalf(ctx, scope, own, name);
  if (half) return { newExpr: half.init, variable: name, declarator: half };
  // `let serverSide; beforeEach(() => { [clientSide, serverSide] = InMemoryTransport.createLinkedPair(); … })`: a test
  // suite's pair, made anew for each test; every assignment of the name is such a pair.
  const assigned = j(scope.path)
    .find(j.AssignmentExpression, { left: { type: 'ArrayPattern' } })
    .filter((p: ASTPath<any>) => p.node.left.elements.some((e: Node) => e?.type === 'Identifier' && e.name === name))
    .filter((p: ASTPath<any>) => p.scope?.lookup(name) === scope);
  const pairs = assigned.filter((p: ASTPath<any>) => inPair(p.node.left) && isLinkedPair(ctx, p.node.right));
  if (assigned.size() === 0 || pairs.size() !== assigned.size()) return undefined;
  return { newExpr: pairs.get().node.right, variable: name };
}

/**
 * The server's half of a pair of the code's own transports: two built by one class in the scope (`const clientSide =
 * new StreamTransport(); const serverSide = new StreamTransport();`, wired to each other by the code), an SDK client
 * connected to the other one. A test's in-process harness like the SDK's linked pair, served over the same way.
 */
function ownPairHalf(ctx: EntryContext, scope: any, own: Node[], name: string): Node | undefined {
  const { j } = ctx;
  const classOf = (d: Node) =>
    d.id.type === 'Identifier' && d.init?.type === 'NewExpression' && d.init.callee.type === 'Identifier'
      ? (d.init.callee.name as string)
      : undefined;
  const mine = own.find((d: Node) => d.id.type === 'Identifier' && d.id.name === name);
  const cls = mine && classOf(mine);
  // An SDK transport class is served (or left) by its own rule: only a class the SDK does not have.
  if (!cls || importSourceOf(ctx.j, ctx.root, cls)?.startsWith('@modelcontextprotocol/')) return undefined;
  const others = j(scope.path)
    .find(j.VariableDeclarator)
    .filter((d: ASTPath<any>) => d.node !== mine && classOf(d.node) === cls && d.scope === scope)
    .nodes();
  return others.length === 1 && connectedByClient(ctx, scope, (others[0] as Node).id.name) ? mine : undefined;
}

/**
 * `client.connect(name)` in the scope, `client` made by `new Client(…)` (the SDK's), wherever it is declared (a test
 * suite's `const client = new Client(…)` above the `beforeAll` that connects it): that half is the client's.
 */
function connectedByClient(ctx: EntryContext, scope: any, name: string): boolean {
  const { j } = ctx;
  const isClient = (n: Node) => n?.type === 'NewExpression' && ctx.sdkName(n.callee?.name) === 'Client';
  const madeAsClient = (c: ASTPath<any>, variable: string) => {
    const binding = c.scope?.lookup(variable);
    if (!binding) return false;
    const own = (p: ASTPath<any>) => p.scope?.lookup(variable) === binding;
    return (
      j(binding.path)
        .find(j.VariableDeclarator, { id: { type: 'Identifier', name: variable } })
        .some((d: ASTPath<any>) => own(d) && isClient(d.node.init)) ||
      j(binding.path)
        .find(j.AssignmentExpression, { left: { type: 'Identifier', name: variable } })
        .some((a: ASTPath<any>) => own(a) && isClient(a.node.right))
    );
  };
  return j(scope.path)
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'connect' } } })
    .some(
      (c: ASTPath<any>) =>
        c.node.arguments[0]?.type === 'Identifier' &&
        c.node.arguments[0].name === name &&
        c.node.callee.object.type === 'Identifier' &&
        madeAsClient(c, c.node.callee.object.name)
    );
}

function everyBranchStdio(ctx: EntryContext, expr: Node): boolean {
  if (expr?.type === 'ConditionalExpression')
    return everyBranchStdio(ctx, expr.consequent) && everyBranchStdio(ctx, expr.alternate);
  return expr?.type === 'NewExpression' && isStdioClass(ctx, expr.callee);
}

/** `InMemoryTransport.createLinkedPair()`, the SDK's class (imported from an `@modelcontextprotocol/` module). */
function isLinkedPair(ctx: EntryContext, init: Node): boolean {
  const callee = init?.type === 'CallExpression' ? init.callee : undefined;
  const owner = callee?.type === 'MemberExpression' && !callee.computed ? callee.object : undefined;
  return (
    owner?.type === 'Identifier' &&
    callee.property.name === 'createLinkedPair' &&
    ctx.sdkName(owner.name) === IN_MEMORY_CLASS &&
    !!importSourceOf(ctx.j, ctx.root, owner.name)?.startsWith('@modelcontextprotocol/')
  );
}

const IN_MEMORY_CLASS = 'InMemoryTransport';

interface StdioTransport {
  newExpr: any;
  variable?: string;
  declarator?: any;
  /** `transport = new StdioServerTransport()`: the statement assigning it, before the connect in the same block. */
  assignment?: ASTPath<any>;
  /** The variable is assigned other transports elsewhere: it stays, whatever reads it. */
  othersAssigned?: boolean;
  /** `this.transport`: a property of the class, which stays and is served over (its close still ends the server). */
  property?: string;
  /** The handlers the class sets on that property. */
  handlers?: (typeof HANDLERS)[number][];
}

/**
 * `this.transport = new StdioServerTransport(); await server.connect(this.transport)` in a method: the class keeps
 * the transport to close it later. Served over as it is (serveStdio owns and starts it; closing it still ends the
 * connection), so every other use of the property stays right. One stdio assignment in the class, a statement just
 * before the connect in its block; handlers the class sets on it (`this.transport.onclose = …`) are chained to
 * serveStdio's, as v1's connect ran them.
 */
function propertyTransport(ctx: EntryContext, at: ASTPath<any>, name: string): StdioTransport | undefined {
  const { j } = ctx;
  const body = j(at).closest(j.ClassBody).paths()[0];
  if (!body) return undefined;
  const onProperty = (n: Node) => thisMember(n, name);
  const assignments = j(body)
    .find(j.AssignmentExpression)
    .filter((p: ASTPath<any>) => onProperty(p.node.left))
    .paths();
  const stdio = assignments.filter(
    (p: ASTPath<any>) => p.node.right.type === 'NewExpression' && isStdioClass(ctx, p.node.right.callee)
  );
  if (stdio.length !== 1 || stdio[0]!.node.operator !== '=') return undefined;
  // Handlers the class gives it (`this.transport.onclose = …`) are chained as for a variable; any other property it
  // sets on the transport is left to the marker.
  const set = j(body)
    .find(j.AssignmentExpression, { left: { type: 'MemberExpression' } })
    .filter((p: ASTPath<any>) => onProperty(p.node.left.object))
    .nodes()
    .map((n: Node) => (n.left.computed ? '' : n.left.property.name));
  if (set.some((key: string) => !(HANDLERS as readonly string[]).includes(key))) return undefined;
  const statement = stdio[0]!.parent;
  const container = statement?.parent?.node;
  if (statement?.node.type !== 'ExpressionStatement' || !Array.isArray(container?.body)) return undefined;
  // Made by the constructor (`constructor(private server) { this.transport = new StdioServerTransport() }`) and
  // connected by a method, which runs after it; or made just before the connect in the same block.
  const method = j(at).closest(j.ClassMethod).paths()[0]?.node;
  const byConstructor = container === constructorOf(body.node)?.body && !!method && method.kind !== 'constructor';
  if (!byConstructor) {
    const connectStatement = statementIn(container, at);
    if (!connectStatement || crossesFunction(at, connectStatement)) return undefined;
    if (Number(statement.name) >= Number(connectStatement.name)) return undefined;
  }
  const handlers = HANDLERS.filter(h => set.includes(h));
  return { newExpr: stdio[0]!.node.right, property: name, assignment: statement, handlers };
}

/**
 * `let transport = null; … case 'stdio': transport = new StdioServerTransport(); await server.connect(transport)`:
 * assigned once, by a statement just before the connect in the same block, and declared without a value of its own.
 */
function assignedTransport(
  ctx: EntryContext,
  at: ASTPath<any>,
  name: string,
  scope: any,
  bound: Node
): StdioTransport | undefined {
  const { j } = ctx;
  // `transport = httpTransport` in another branch (a shutdown closes whichever was made) is another assignment: the
  // stdio one is the one assignment of a stdio transport.
  const assignments = j(scope.path)
    .find(j.AssignmentExpression, { left: { type: 'Identifier', name } })
    .filter((p: ASTPath<any>) => p.scope?.lookup(name) === scope && (!bound || declaredBy(j, p, name, bound)))
    .paths();
  const stdio = assignments.filter(
    (p: ASTPath<any>) => p.node.right.type === 'NewExpression' && isStdioClass(ctx, p.node.right.callee)
  );
  if (stdio.length !== 1) return undefined;
  const assign = stdio[0]!;
  const right = assign.node.right;
  if (assign.node.operator !== '=' || right.type !== 'NewExpression' || !isStdioClass(ctx, right.callee))
    return undefined;
  const statement = assign.parent;
  const container = statement?.parent?.node;
  const listed = Array.isArray(container?.body) || container?.type === 'SwitchCase';
  if (statement?.node.type !== 'ExpressionStatement' || !listed) return undefined;
  // Before the connect, in its block (or `case`) or one around it (`t = new StdioServerTransport(); try { … }`).
  const connectStatement = statementIn(container, at);
  if (!connectStatement || crossesFunction(at, connectStatement)) return undefined;
  if (Number(statement.name) >= Number(connectStatement.name)) return undefined;
  const declarators = j(scope.path)
    .find(j.VariableDeclarator, { id: { type: 'Identifier', name } })
    .filter((d: ASTPath<any>) => d.scope?.lookup(name) === scope && (!bound || d.node === bound))
    .nodes();
  const init = declarators[0]?.init;
  if (declarators.length !== 1 || !isEmptyValue(init)) return undefined;
  return {
    newExpr: right,
    variable: name,
    declarator: declarators[0],
    assignment: statement,
    othersAssigned: assignments.length > 1
  };
}

/** Is there a function between `p` and its ancestor `top` (a callback that may run later, or never)? */
function crossesFunction(p: ASTPath<any>, top: ASTPath<any>): boolean {
  for (let cur = p.parent; cur && cur.node !== top.node; cur = cur.parent) if (isFunction(cur.node)) return true;
  return isFunction(top.node);
}

/**
 * A bundle's `await r.connect(n), tt(async () => {})`: the connect's value is discarded like a statement's, so the
 * sequence becomes one statement per expression (the comments stay on the first) and the connect is on its own.
 * The connect's path in the file as it is now.
 */
function ownStatement(ctx: EntryContext, connect: ASTPath<any>): ASTPath<any> | undefined {
  const { j, root } = ctx;
  // Its path once a statement around it was replaced.
  const pathNow = (): ASTPath<any> | undefined =>
    root
      .find(j.CallExpression)
      .filter((p: ASTPath<any>) => p.node === connect.node)
      .paths()[0];
  // `if (http) startHttp(server); else await server.connect(t);`: the branch becomes a block the entry can sit in.
  const expression = connect.parent?.node.type === 'AwaitExpression' ? connect.parent : connect;
  const branch = expression.parent;
  const ifStatement = branch?.parent?.node;
  if (
    branch?.node.type === 'ExpressionStatement' &&
    ifStatement?.type === 'IfStatement' &&
    (ifStatement.consequent === branch.node || ifStatement.alternate === branch.node)
  ) {
    j(branch).replaceWith(j.blockStatement([branch.node]));
    const moved = pathNow();
    return moved && ownStatement(ctx, moved);
  }
  const statement = caseOrBlockStatement(connect);
  const seq = statement?.node.type === 'ExpressionStatement' ? statement.node.expression : undefined;
  const bare = (e: any) => e === connect.node || (e.type === 'AwaitExpression' && e.argument === connect.node);
  if (seq?.type !== 'SequenceExpression' || !seq.expressions.some(bare)) return connect;
  const split = seq.expressions.map((e: any) => j.expressionStatement(e));
  split[0].comments = statement!.node.comments;
  j(statement!).replaceWith(split);
  return pathNow();
}

/** `yield server.connect(t)` in compiled ES2015 output: an await. */
function awaitsInCompiledCode(ctx: EntryContext, statement: ASTPath<any>, expr: any): boolean {
  if (expr.type !== 'YieldExpression' || expr.delegate) return false;
  return isAwaiterGenerator(ctx.j(statement).closest(ctx.j.Function).paths()[0]);
}

function rewriteOne(ctx: EntryContext, found: ASTPath<any>): void {
  const { j, root } = ctx;
  const connect = ownStatement(ctx, found);
  const statement = connect && caseOrBlockStatement(connect);
  if (!connect || !statement) return;
  const expr = statement.node.type === 'ExpressionStatement' ? statement.node.expression : undefined;
  const bare =
    expr &&
    (expr === connect.node ||
      ((expr.type === 'AwaitExpression' || awaitsInCompiledCode(ctx, statement, expr)) &&
        expr.argument === connect.node));
  // `server.connect(t).catch(onFailure)`: serveStdio reports its failures to `onerror` instead. It reports every
  // out-of-band error there, not just a failed start, so only a handler that only reports (`console.error`,
  // `logger.warn`, or a function that only calls those) can become it: one that exits or throws would now act on
  // errors the v1 code never gave it.
  const caught = !bare && expr ? caughtBy(expr, connect.node) : undefined;
  const onerror = caught && onlyReports(caught) ? caught : undefined;
  // One that exits or throws is not carried over: a stdio start has nothing to fail on (v1's connect rejected only
  // for a transport started twice), so the handler never ran, while onerror would run it on every malformed line.
  const dropped = caught && !onerror ? caught : undefined;
  // `return server.connect(t)`, `server.connect(t).then(() => log(…))`: serveStdio starts at once, so it goes just
  // before the statement and the promise the code goes on with is an already settled `Promise.resolve()`.
  const valued = !bare && !caught && startsStatement(connect, statement);
  if (!bare && !caught && !valued) {
    ctx.unsafe(
      statement.node,
      'stdio-connect',
      'the result of server.connect() is used here; replace the connect with serveStdio(() => buildServer()) by hand'
    );
    return;
  }
  const transport = stdioTransportOf(ctx, connect, connect.node.arguments[0])!;
  const resolved = entryFactory(ctx, connect, connect.node.callee.object, ctx.program, { readsAtConnect: true });
  // Read after: a wrapper's connect becomes its server's (`proxy.getServer().connect(…)`).
  const serverExpr = connect.node.callee.object;
  const block = statement.parent.node;
  const serverName = serverExpr.type === 'Identifier' ? serverExpr.name : undefined;
  // A close in another entry's branch (`else { …; server.connect(http); …; server.close() }`) is that entry's.
  const resolvedHere =
    'unsafe' in resolved || !serverName
      ? resolved
      : {
          ...resolved,
          closeCalls: resolved.closeCalls.filter(c => {
            const owner = connectOwning(ctx, c, serverName);
            return !owner || owner === connect.node;
          })
        };
  const closeOutside = !('unsafe' in resolvedHere) && resolvedHere.closeCalls.some(c => !statementIn(block, c));
  // serveStdio pins one instance to the connection, so the server the v1 code built once can be served as it is
  // when no fresh-server factory can be made from it (handed to helpers, a class field, used after connect).
  const plan: StdioPlan | undefined =
    'unsafe' in resolvedHere || closeOutside
      ? stableReference(serverExpr) && !('notServer' in resolved && resolved.notServer)
        ? sameInstance(ctx, connect, serverExpr)
        : undefined
      : resolvedHere;
  if (!plan) {
    const why =
      'unsafe' in resolved ? resolved.unsafe : 'server.close() is called where the serveStdio handle is not in scope';
    // What is not a server at all is not served by building one: the reason says what to serve instead.
    const notServer = 'notServer' in resolved && resolved.notServer;
    // A wrapper with a connect of its own: that method is the entry, rewritten or marked where it connects its server.
    const wrapper = 'className' in resolved ? resolved.className : undefined;
    if (notServer && wrapper && ctx.options.ownConnect?.includes(wrapper)) return;
    ctx.unsafe(
      statement.node,
      'stdio-factory',
      notServer
        ? why
        : `${why}; serve it with serveStdio(() => buildServer()) where buildServer() returns a fresh server`
    );
    return;
  }
  const options: any[] = [];
  // The project's own transport class does what the SDK's does not (filters console output, logs what it sends), or
  // the code picks or pairs its transport (servedOverTransport): serveStdio serves over it.
  const custom = !isSdkStdioClass(ctx, transport.newExpr.callee);
  const transportUses = transport.variable ? usesOfName(ctx, connect, transport.variable) : 0;
  // Its declaration and the connect argument (and the assignment, when assigned later) are the transport's own uses.
  const ownUses = transport.assignment ? 3 : 2;
  let around: { before: any[]; after: any[] } = { before: [], after: [] };
  if (transport.property) {
    const property = transport.property;
    const held = () => j.memberExpression(j.thisExpression(), j.identifier(property));
    around = chainedHandlers(ctx, held, transport.handlers ?? []);
    options.push(j.objectProperty(j.identifier('transport'), held()));
  } else if (transport.variable && (transportUses > ownUses || custom)) {
    const handlers = handlersSetOn(ctx, transport.variable, connect.scope.lookup(transport.variable), connect);
    around = chainedHandlers(ctx, transport.variable, handlers);
    options.push(
      j.objectProperty.from({
        key: j.identifier('transport'),
        value: j.identifier(transport.variable),
        // `{ transport }` only when the variable has that name: a shorthand over another name prints the wrong one.
        shorthand: transport.variable === 'transport'
      })
    );
  } else if (transport.newExpr.arguments.length > 0 || custom) {
    options.push(j.objectProperty(j.identifier('transport'), transport.newExpr));
  }
  if (onerror) options.push(j.objectProperty(j.identifier('onerror'), toStderr(ctx, onerror)));
  const serve = j.callExpression(j.identifier('serveStdio'), [
    j.arrowFunctionExpression([], plan.call),
    ...(options.length ? [j.objectExpression(options)] : [])
  ]);
  let replacement: any = j.expressionStatement(serve);
  if (plan.closeCalls.length) {
    const handle = uniqueName(j, root, 'stdioHandle');
    replacement = j.variableDeclaration('const', [j.variableDeclarator(j.identifier(handle), serve)]);
    for (const c of plan.closeCalls) c.node.callee.object = j.identifier(handle);
  }
  replacement.comments = statement.node.comments;
  if (plan.note) ctx.note(replacement, plan.note.rule, plan.note.message);
  if (dropped)
    ctx.note(
      replacement,
      'failure-handler',
      'the failure handler of server.connect() (it exits or throws) is not carried over: a stdio start cannot fail ' +
        'as a connect could, and serveStdio hands later out-of-band errors (a malformed line) to onerror, where ' +
        'exiting would end the server on bad input; pass { onerror } to report them'
    );
  auditPerRequestState(ctx, plan.fn, 'stdio');
  // A server built in a function from nothing of that function's own gets its factory at module level, before the
  // statement holding the entry (it was never placed, and serveStdio called a createServer that did not exist).
  const topLevel = plan.hoisted ? statementIn(ctx.program, connect)?.node : undefined;
  plan.apply();
  if (plan.hoisted) {
    const at = topLevel ? ctx.program.body.indexOf(topLevel) : -1;
    ctx.program.body.splice(at < 0 ? ctx.program.body.length : at, 0, plan.hoisted);
  }
  if (plan.generated) ctx.generated.push(plan.generated);
  const rest: any[] = [];
  if (valued) {
    const list = connect.parent.node;
    // An element of a Promise.all whose result nobody reads goes; one read by position, or racing a timeout, keeps
    // its place, settled.
    const waitsForAll = /^all(?:Settled)?$/.test(combinedBy(connect.parent) ?? '');
    if (waitsForAll && statement.node.type === 'ExpressionStatement')
      list.elements.splice(list.elements.indexOf(connect.node), 1);
    else
      j(connect).replaceWith(
        j.callExpression(j.memberExpression(j.identifier('Promise'), j.identifier('resolve')), [])
      );
    statement.node.comments = null;
    rest.push(statement.node);
  }
  j(statement).replaceWith([...around.before, replacement, ...around.after, ...rest]);
  // This transport's own declaration (another function's `const transport`, an HTTP session's, is not it); one of
  // several declarators (a bundle's `let r = fe(), n = new ro`) goes on its own.
  const removeDeclaration = () =>
    root
      .find(j.VariableDeclarator, { id: { name: transport.variable } })
      .filter((d: ASTPath<any>) => d.node === transport.declarator)
      .forEach((d: ASTPath<any>) => removeDeclarator(j, d));
  if (custom || transport.property) {
    // Served over: its declaration stays where it is.
  } else if (transport.assignment) {
    // Read nowhere else: the assignment and the declaration go.
    if (transportUses <= ownUses && !transport.othersAssigned) {
      removeStatement(j, transport.assignment);
      removeDeclaration();
    }
  } else if (transport.variable && transportUses <= 2) removeDeclaration();
  ctx.need('@modelcontextprotocol/server/stdio', 'serveStdio');
  ctx.maybeUnused.add(STDIO_CLASS);
  if (!custom && !transport.property) ctx.maybeUnused.add(transport.newExpr.callee.name);
  ctx.changed = true;
}

/**
 * Is the connect the first thing its statement runs, its promise only returned, awaited, kept or followed by
 * `.then(onDone)` / `.catch(…)` / `.finally(…)`? Then serving first and going on with a settled promise changes nothing
 * else: a stdio connect did not reject (v1's transport threw only when started twice), so a `.catch` after it never
 * ran, and it does not now.
 */
function startsStatement(connect: ASTPath<any>, statement: ASTPath<any>): boolean {
  for (let cur: ASTPath<any> = connect; cur.node !== statement.node; cur = cur.parent) {
    const parent = cur.parent?.node;
    switch (parent?.type) {
      case 'AwaitExpression':
      case 'ExpressionStatement':
      case 'ReturnStatement':
        break;
      case 'MemberExpression': {
        const call = cur.parent.parent?.node;
        const chained =
          parent.object === cur.node &&
          !parent.computed &&
          /^(?:then|catch|finally)$/.test(parent.property?.name ?? '') &&
          call?.type === 'CallExpression' &&
          call.callee === parent &&
          call.arguments.length === 1;
        if (!chained) return false;
        break;
      }
      case 'CallExpression':
        if (parent.callee !== cur.node) return false;
        break;
      case 'VariableDeclarator':
        if (parent.init !== cur.node) return false;
        break;
      case 'VariableDeclaration':
        if (parent.declarations[0] !== cur.node) return false;
        break;
      case 'ArrayExpression': {
        // `await Promise.all([server.connect(serverSide), client.connect(clientSide)])`, `Promise.race([server.connect(t),
        // timeout])`: serving first is the order an in-memory test wants, and the connect's element settles at once,
        // as a stdio connect did.
        if (!combinedBy(cur.parent)) return false;
        cur = cur.parent;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

/** `all` for the array of `Promise.all([…])` (or `allSettled`, `race`, `any`): the combinator it is handed to. */
function combinedBy(list: ASTPath<any>): string | undefined {
  const call = list.parent?.node;
  const callee = call?.type === 'CallExpression' && call.arguments[0] === list.node ? call.callee : undefined;
  if (list.node.type !== 'ArrayExpression' || callee?.type !== 'MemberExpression' || callee.computed) return undefined;
  if (callee.object.type !== 'Identifier' || callee.object.name !== 'Promise') return undefined;
  const name: string = callee.property.name;
  return /^(?:all|allSettled|race|any)$/.test(name) ? name : undefined;
}

/** The handler of `connect(…).catch(handler)`, awaited or not. */
function caughtBy(expr: any, connect: any): any {
  const call = expr.type === 'AwaitExpression' ? expr.argument : expr;
  const callee = call?.type === 'CallExpression' ? call.callee : undefined;
  const caught = callee?.type === 'MemberExpression' && callee.object === connect && callee.property?.name === 'catch';
  return caught && call.arguments.length === 1 ? call.arguments[0] : undefined;
}

/** `console.log` handed over as it is would write to stdout, which is the stdio server's wire: `console.error`. */
function toStderr(ctx: EntryContext, handler: any): any {
  const { j } = ctx;
  const toStdout =
    handler.type === 'MemberExpression' &&
    handler.object.type === 'Identifier' &&
    handler.object.name === 'console' &&
    /^(?:log|info|debug)$/.test(handler.property?.name ?? '');
  return toStdout ? j.memberExpression(j.identifier('console'), j.identifier('error')) : handler;
}

function onlyReports(handler: any): boolean {
  if (handler.type === 'MemberExpression') return isLogCall({ type: 'CallExpression', callee: handler });
  if (!/^(?:Arrow)?FunctionExpression$/.test(handler.type)) return false;
  const body = handler.body;
  if (body.type !== 'BlockStatement') return isLogCall(body);
  return (
    body.body.length > 0 && body.body.every((s: any) => s.type === 'ExpressionStatement' && isLogCall(s.expression))
  );
}

/** The statement holding `p` in a block, or in a `case` of a switch (`case 'stdio': await server.connect(t); break`). */
function caseOrBlockStatement(p: ASTPath<any>): ASTPath<any> | undefined {
  for (let cur: ASTPath<any> | null = p; cur?.parent; cur = cur.parent) {
    if (cur.parent.node.type === 'SwitchCase' && cur.parent.node.consequent.includes(cur.node)) return cur;
    if (/^(?:Program|BlockStatement|TSModuleBlock)$/.test(cur.parent.node.type) && Array.isArray(cur.parent.node.body))
      return cur;
  }
  return undefined;
}

function usesOfName(ctx: EntryContext, at: ASTPath<any>, name: string): number {
  const uses = referencesOf(ctx.j, ctx.root, name, at.scope.lookup(name));
  // Only the uses of the declaration meant at `at`: another block's variable of the same name is another transport.
  const own = bindingDeclarator(ctx.j, at, name);
  return own ? uses.filter((u: ASTPath<any>) => declaredBy(ctx.j, u, name, own.node)).length : uses.length;
}

/** `server`, `this.server`, `app.mcp.server`: reading it twice gives the same object and runs nothing. */
function stableReference(node: any): boolean {
  if (node.type === 'TSNonNullExpression') return stableReference(node.expression);
  if (node.type === 'Identifier' || node.type === 'ThisExpression') return true;
  return node.type === 'MemberExpression' && !node.computed && stableReference(node.object);
}

/**
 * The plan that serves the very instance v1 connected: `serveStdio(() => server)`; its close calls stay as written.
 * A TypeScript `let server: McpServer | null` filled before the connect is read as `server!`: the connect's own
 * narrowing does not reach into the arrow.
 */
function sameInstance(ctx: EntryContext, connect: ASTPath<any>, serverExpr: any): StdioPlan {
  const nullable =
    /\.[cm]?tsx?$/.test(ctx.file) && serverExpr.type === 'Identifier' && nullableLet(ctx, connect, serverExpr.name);
  return { call: nullable ? ctx.j.tsNonNullExpression(serverExpr) : serverExpr, apply: () => {}, closeCalls: [] };
}

/** `let name;`, `let name = null`, `let name: T | undefined`: a variable that may hold no server when read. */
function nullableLet(ctx: EntryContext, at: ASTPath<any>, name: string): boolean {
  const scope = at.scope?.lookup(name);
  const declarator = scope
    ? ctx
        .j(scope.path)
        .find(ctx.j.VariableDeclarator, { id: { type: 'Identifier', name } })
        .filter((d: ASTPath<any>) => d.scope?.lookup(name) === scope)
        .paths()[0]
    : undefined;
  if (!declarator || declarator.parent.node.kind === 'const') return false;
  const init = declarator.node.init;
  const annotation = (declarator.node.id as any).typeAnnotation;
  const mayBeEmpty =
    !!annotation &&
    ctx
      .j(annotation)
      .find(ctx.j.Node)
      .some((p: ASTPath<any>) => /^TS(?:Null|Undefined)Keyword$/.test(p.node.type));
  return isEmptyValue(init) || mayBeEmpty;
}
