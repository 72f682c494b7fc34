/**
 * Works out how to build "a fresh server" from whatever a v1 entry connected to a transport, because the 2026
 * entries (`createMcpHandler`, `serveStdio`) take a factory instead of an instance:
 * - `getServer()` (a call, at the connect site or behind a local) → that call is the factory;
 * - a server built in place (`const server = new McpServer(…)` plus `server.registerTool(…)` statements, at module
 *   scope or in a function) → those statements move into a generated `function createServer()`.
 * Anything else that touches the server (exported, reassigned, used by timers) makes the rewrite unsafe.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import {
  asyncCore,
  isStringLiteral,
  codeExcerpt,
  enclosingFunction,
  isEmptyValue,
  isFunction,
  insideFunctionBelow,
  isValueReference,
  referencesOf,
  removeDeclarator,
  removeStatement,
  rootIdentifier,
  statementIn,
  statementPathOf,
  thisMember,
  uniqueName,
  within
} from './ast.js';
import {
  factoryDeclaration,
  fillFromFactory,
  keptInstanceOf,
  onlyHoldsInstance,
  type KeptInstance
} from './kept-instance.js';
import { changedAcrossCalls } from './state-mutation.js';
import { isSetupStatement } from './setup-statements.js';
import { staticBuilderCall } from './static-builder.js';

type Node = any;

export interface FactoryPlan {
  /** `() => <call>` is the factory expression. */
  call: Node;
  /** The block (Program or BlockStatement node) in which the factory call is valid. */
  block: Node;
  /** The factory's own function node, when it is in this file (for the per-request state audit). */
  fn?: Node;
  /** Applies the source edits the plan needs (moving statements into the generated factory). */
  apply: () => void;
  /** Call expressions `server.close()` outside the factory, for the caller to point at the entry's handle. */
  closeCalls: ASTPath<any>[];
  /** A generated factory the caller must place in `block`, before the entry it creates. */
  hoisted?: Node;
  /** The name of the factory function this plan generates, if it generates one. */
  generated?: string;
  /** Something the user should know about the factory (a NOTE at the entry). */
  note?: { rule: string; message: string };
  /**
   * The factory reads values of the request handler it was built in (its locals, parameters, `this`): the
   * handler must be created there, per request, as an arrow over `call` (a block body) so those values stay in scope.
   */
  local?: boolean;
  /** The factory awaits: the arrow around `call` must be async. */
  async?: boolean;
  /** Imports the generated code needs: [module, name]. */
  needs?: [string, string][];
  /**
   * The factory belongs to a module-level binding (a `let` a start function fills), not to this entry: every other
   * entry serving that binding serves the same factory once this plan is applied.
   */
  shared?: boolean;
  /** The statements apply() moves into the generated factory (they leave their block, their work does not). */
  moved?: Node[];
}

/** What the caller can serve: a factory only at `hoistTo`, or also one built per request where its values are. */
export interface FactoryOptions {
  allowLocal?: boolean;
  /**
   * A companion the v1 code released at process shutdown (`await cleanup()` in a SIGINT handler) is released when
   * each request's server closes. For HTTP only: serveStdio also builds discarded probe instances.
   */
  releasePerRequest?: boolean;
  /**
   * Another entry of the same module connects this server too (`server.connect(sseTransport)` beside a stdio
   * entry): that use does not block the factory, since that entry is rewritten to serve the same factory.
   */
  otherEntries?: boolean;
  /**
   * Uses that hand the server to code serving it elsewhere, per request, once the factory exists (a helper in
   * another module that takes a factory instead): like other entries, they do not block the factory.
   */
  servedBy?: (use: ASTPath<any>) => boolean;
  /**
   * The function holding the connect goes as a whole (an SSE stream route): what it wires to that connection's end
   * (`server.server.onclose = () => res.end()`) goes with it and does not block the factory.
   */
  connectFunctionGoes?: boolean;
  /**
   * stdio: the factory runs where the connect was, once per connection, so a call whose arguments read values in
   * scope there (`createServer({ service, key: process.env.KEY })`, no calls) serves as it is.
   */
  readsAtConnect?: boolean;
  /** Members of the serving class that hold a server factory (`this.createServer()` builds one per call). */
  factoryMembers?: ReadonlySet<string>;
  /**
   * `this.service.createServer()`: does the method of the object a field of the serving class holds build a fresh
   * server on each call? The class may be another module's, which only the caller can read.
   */
  fieldMethodBuilds?: (call: Node) => boolean;
}

/** `notServer`: the connected object is no MCP server at all (a wrapper): nothing may serve it as one. */
export type FactoryOutcome = FactoryPlan | { unsafe: string; notServer?: boolean; className?: string };

export function resolveFactory(
  j: JSCodeshift,
  root: Collection<any>,
  connect: ASTPath<any>,
  serverExpr: Node,
  hoistTo: Node,
  options: FactoryOptions = {}
): FactoryOutcome {
  const expr = serverExpr.type === 'TSNonNullExpression' ? serverExpr.expression : serverExpr;
  if (expr.type === 'CallExpression') {
    return callFactory(j, root, expr, declaringBlock(connect, expr), [], connect, options);
  }
  // `this.mcp`, every instance built by a static method of the class: that method builds another (static-builder.ts).
  // Over HTTP only: stdio serves one connection, and the instance it has is all it needs (the builder may do more
  // than build, which a probe instance would run again).
  const built =
    thisMember(expr) && options.releasePerRequest ? staticBuilderCall(j, root, connect, expr.property.name) : undefined;
  if (built) return { call: built.call, block: built.block, apply: () => {}, closeCalls: [] };
  if (thisMember(expr))
    return {
      unsafe:
        `\`this.${expr.property.name}\` is the one server this object holds (built once, or handed to its ` +
        'constructor): give the class a factory (a method building the server, or one its constructor takes) and ' +
        'connect what it returns'
    };
  if (expr.type !== 'Identifier') return { unsafe: 'the connected server is not a plain variable or factory call' };
  const name = expr.name;
  const scope = connect.scope.lookup(name);
  if (!scope) return { unsafe: `cannot find where \`${name}\` is declared` };
  const declarators = j(scope.path)
    .find(j.VariableDeclarator, { id: { name } })
    .filter((p: ASTPath<any>) => p.scope.lookup(name) === scope);
  if (declarators.size() === 0) {
    const destructured = j(scope.path)
      .find(j.VariableDeclarator, { id: { type: 'ObjectPattern' } })
      .filter((p: ASTPath<any>) => patternKeyOf(p.node.id, name) !== undefined && p.scope.lookup(name) === scope);
    if (destructured.size() === 1)
      return destructuredFactory(j, root, connect, name, destructured.get(), scope, options);
  }
  if (declarators.size() === 0 && isParameterOf(scope.path.node, name))
    return {
      unsafe:
        `\`${name}\` is a parameter: its callers hand in one instance; make them pass a factory ` +
        `(\`() => createServer()\`) and serve that`
    };
  const imported = declarators.size() === 0 ? importedFrom(j, root, name) : undefined;
  if (imported)
    return {
      unsafe:
        `\`${name}\` is the one instance ${imported} exports; export a function there that builds a fresh server ` +
        '(with whatever other modules register on the instance, such as tool modules imported for their side ' +
        'effects) and serve that here'
    };
  if (declarators.size() !== 1) return { unsafe: `\`${name}\` is not declared once with const` };
  const declarator = declarators.get();
  const declaration = declarator.parent;
  // Declared without a value where it is connected (a request handler's `let server;`): filled once before the connect.
  const assigned =
    isEmptyValue(declarator.node.init) && declaration.node.kind !== 'const' && sameFunction(declarator, connect)
      ? assignedOnceFactory(j, root, name, declarator, scope, connect, options)
      : undefined;
  if (assigned && !('unsafe' in assigned)) return assigned;
  const kept = keptInstanceOf(j, declarator, name, scope, connect);
  if (kept) return keptInstanceFactory(j, root, name, declarator, kept, connect, scope, hoistTo, options);
  if (assigned) return assigned;
  // A bundle's `let g = new Transport(…), f = buildServer();`: one declarator of several, never assigned again, can
  // go on its own when the factory is the call itself (nothing to move with it).
  const shared = sharedDeclaration(j, declaration, name, scope);
  const problem = shared ? undefined : declarationProblem(declaration, name);
  if (problem) return { unsafe: problem };
  const block = declaration.parent.node;
  const init = declarator.node.init;
  if (!init) return { unsafe: `\`${name}\` has no initial value` };
  const uses = referencesOf(j, root, name, scope);
  const connectStatement = statementIn(block, connect);
  const setup: ASTPath<any>[] = [];
  const closeCalls: ASTPath<any>[] = [];
  // A stdio entry of this module already serves the instance (`serveStdio(() => server)`): it keeps it, built by the
  // factory this entry serves (see keepInstanceFor).
  let servedInstance = false;
  for (const use of uses) {
    if (within(use, declarator)) continue;
    if (within(use, connect)) continue;
    if (options.otherEntries && isConnectCall(use)) continue;
    if (options.otherEntries && servesInstanceOverStdio(use)) {
      servedInstance = true;
      continue;
    }
    if (options.servedBy?.(use)) continue;
    if (options.connectFunctionGoes && closeHookOf(use) && sameFunction(use, connect)) continue;
    const close = closeCallOf(use);
    if (close) {
      closeCalls.push(close);
      continue;
    }
    const statement = statementIn(block, use);
    if (statement && statement !== connectStatement && isSetupStatement(statement.node, name)) {
      if (!setup.includes(statement)) setup.push(statement);
      continue;
    }
    const beside = setupBesideConnect(block, use, connect, name);
    if (beside) {
      if (!setup.includes(beside)) setup.push(beside);
      continue;
    }
    return { unsafe: unreproducible(j, name, statement ?? use.parent ?? use) };
  }
  followDeclaredBySetup(j, root, block, setup, connectStatement);
  // `const server = await buildServer()` with nothing else to set up: `buildServer()` itself is the factory (a factory
  // may return a promise), not a wrapper that awaits it.
  const call = init.type === 'AwaitExpression' && init.argument?.type === 'CallExpression' ? init.argument : init;
  if (setup.length === 0 && call.type === 'CallExpression') {
    // Its closes close the instance the stdio entry keeps.
    const plan = callFactory(
      j,
      root,
      call,
      declaringBlock(connect, call),
      servedInstance ? [] : closeCalls,
      connect,
      options
    );
    if ('unsafe' in plan) return plan;
    // The declaration, or only this declarator of a shared one.
    return servedInstance ? plan : { ...plan, apply: () => removeDeclarator(j, declarator) };
  }
  if (shared) return { unsafe: declarationProblem(declaration, name)! };
  if (init.type === 'NewExpression' || init.type === 'CallExpression' || init.type === 'AwaitExpression') {
    const plan = extractFactory(j, root, name, declaration, setup, servedInstance ? [] : closeCalls, hoistTo, options);
    return servedInstance ? keepInstanceFor(j, plan, declaration) : plan;
  }
  return { unsafe: `\`${name}\` is not built by a constructor or factory call` };
}

/**
 * `const secret = server.tool(…); secret.disable();`: a name a setup statement declares moves into the factory with
 * it, so a statement of the same block that only calls on that name (`secret.disable()`) moves too (in source order,
 * as the others), and in turn what it declares. A use anywhere else stays where it is, and the engine's check for
 * references left behind keeps the file as it was, marked.
 */
function followDeclaredBySetup(
  j: JSCodeshift,
  root: Collection<any>,
  block: Node,
  setup: ASTPath<any>[],
  connectStatement: ASTPath<any> | undefined
): void {
  for (let i = 0; i < setup.length; i++) {
    const statement = setup[i]!;
    if (statement.node.type !== 'VariableDeclaration') continue;
    for (const d of statement.node.declarations as Node[]) {
      if (d.id?.type !== 'Identifier') continue;
      for (const use of referencesOf(j, root, d.id.name, statement.scope)) {
        if (setup.some(s => within(use, s))) continue;
        const own = statementIn(block, use);
        if (!own || own === connectStatement || setup.includes(own)) continue;
        if (Number(own.name) > Number(statement.name) && isSetupStatement(own.node, d.id.name)) setup.push(own);
      }
    }
  }
}

/** `serveStdio(() => server)`: `use` is the instance a stdio entry serves as it is. */
function servesInstanceOverStdio(use: ASTPath<any>): boolean {
  const arrow = use.parent?.node;
  const call = use.parent?.parent?.node;
  return (
    arrow?.type === 'ArrowFunctionExpression' &&
    arrow.body === use.node &&
    arrow.params.length === 0 &&
    call?.type === 'CallExpression' &&
    call.arguments[0] === arrow &&
    call.callee.type === 'Identifier' &&
    call.callee.name === 'serveStdio'
  );
}

/**
 * The module's server moves into the factory and is declared again from it where it stood (`const server =
 * createServer()`): the stdio entry serving that one instance, and the shutdown code closing it, keep reading it.
 */
function keepInstanceFor(j: JSCodeshift, plan: FactoryOutcome, declaration: ASTPath<any>): FactoryOutcome {
  if ('unsafe' in plan) return plan;
  if (!plan.generated || plan.hoisted || plan.block !== declaration.parent.node)
    return { unsafe: 'the served instance could not be kept beside its factory' };
  if (plan.fn?.async)
    return {
      unsafe:
        'the server is set up with awaits, so the instance a stdio entry serves cannot be built from its factory at module level'
    };
  const [declarator] = declaration.node.declarations;
  const again = j.variableDeclaration(declaration.node.kind, [
    j.variableDeclarator(declarator.id, j.callExpression(j.identifier(plan.generated), []))
  ]);
  const block = declaration.parent.node;
  return {
    ...plan,
    apply: () => {
      // After the last statement that set it up: those between may declare what setting it up reads.
      const last = Math.max(...(plan.moved ?? []).map(m => block.body.indexOf(m)));
      const next = block.body[last + 1];
      plan.apply();
      block.body.splice(next ? block.body.indexOf(next) : block.body.length, 0, again);
    }
  };
}

/**
 * `const server = build(); try { const api = await login(req); register(server, api); await server.connect(t); … }
 * catch …`: a setup statement before the connect in the try block that holds it (the try a statement of the block
 * that declares the server). It reads values the try computes per request, so it can only join a factory built there.
 */
function setupBesideConnect(
  block: Node,
  use: ASTPath<any>,
  connect: ASTPath<any>,
  name: string
): ASTPath<any> | undefined {
  const connectStatement = statementPathOf(connect);
  const inner = connectStatement.parent;
  const tryStatement = inner?.parent;
  if (inner?.node.type !== 'BlockStatement' || tryStatement?.node.type !== 'TryStatement') return undefined;
  if (tryStatement.node.block !== inner.node || tryStatement.parent?.node !== block) return undefined;
  const statement = statementIn(inner.node, use);
  if (!statement || Number(statement.name) >= Number(connectStatement.name)) return undefined;
  return isSetupStatement(statement.node, name) ? statement : undefined;
}

/**
 * `let server; if (sid && sessions.has(sid)) { server = sessions.get(sid).server } else { server = build(); await
 * server.connect(t) }`: declared without a value (or `= null`) in the function that connects it, and given one by one call in the
 * connect's block, before it (what the session code assigns goes with that code, see `servedBy`). The call is the
 * factory; the declaration and the assignment go.
 */
function assignedOnceFactory(
  j: JSCodeshift,
  root: Collection<any>,
  name: string,
  declarator: ASTPath<any>,
  scope: any,
  connect: ASTPath<any>,
  options: FactoryOptions
): FactoryOutcome {
  const notOnce = { unsafe: `\`${name}\` is not declared once with a value a factory call gives it` };
  if (declarator.parent.node.declarations.length !== 1) return notOnce;
  const assignments = j(scope.path)
    .find(j.AssignmentExpression, { left: { type: 'Identifier', name } })
    // (`server = null` once it is closed only empties the variable again.)
    .filter(
      (p: ASTPath<any>) =>
        p.scope?.lookup(name) === scope && !options.servedBy?.(p.get('left')) && !isEmptyValue(p.node.right)
    )
    .paths();
  const assignment = assignments[0];
  const filled = assignment?.parent;
  if (assignments.length !== 1 || assignment.node.operator !== '=' || filled.node.type !== 'ExpressionStatement')
    return notOnce;
  const block = filled.parent.node;
  const connectStatement = statementIn(block, connect);
  if (!connectStatement || Number(connectStatement.name) <= Number(filled.name)) return notOnce;
  const value = assignment.node.right;
  const call = value.type === 'AwaitExpression' ? value.argument : value;
  if (call?.type !== 'CallExpression') return { unsafe: `\`${name}\` is not given its value by a factory call` };
  const closeCalls: ASTPath<any>[] = [];
  for (const use of referencesOf(j, root, name, scope)) {
    if (within(use, declarator) || within(use, filled) || within(use, connect) || options.servedBy?.(use)) continue;
    const close = closeCallOf(use);
    if (close) closeCalls.push(close);
    else return { unsafe: unreproducible(j, name, statementIn(block, use) ?? use.parent ?? use) };
  }
  const plan = callFactory(j, root, call, declaringBlock(connect, call), closeCalls, connect, options);
  if ('unsafe' in plan) return plan;
  return {
    ...plan,
    apply: () => {
      removeStatement(j, filled);
      removeDeclarator(j, declarator);
    }
  };
}

/**
 * A module-level `let` a start function fills: its server statements become the factory, and the variable is filled
 * from that factory for what holds it (see kept-instance.ts). Setup statements count after the filling statement only.
 */
function keptInstanceFactory(
  j: JSCodeshift,
  root: Collection<any>,
  name: string,
  declarator: ASTPath<any>,
  kept: KeptInstance,
  connect: ASTPath<any>,
  scope: any,
  hoistTo: Node,
  options: FactoryOptions
): FactoryOutcome {
  const block = kept.assignment.parent.node;
  const connectStatement = statementIn(block, connect);
  const setup: ASTPath<any>[] = [];
  for (const use of referencesOf(j, root, name, scope)) {
    if (within(use, declarator) || within(use, kept.assignment) || within(use, connect)) continue;
    if (options.otherEntries && isConnectCall(use)) continue;
    if (options.servedBy?.(use)) continue;
    const statement = statementIn(block, use);
    const afterFill = !!statement && Number(statement.name) > Number(kept.assignment.name);
    if (afterFill && statement !== connectStatement && isSetupStatement(statement.node, name)) {
      if (!setup.includes(statement!)) setup.push(statement!);
      continue;
    }
    if (onlyHoldsInstance(use)) continue;
    return { unsafe: unreproducible(j, name, statement ?? use.parent ?? use) };
  }
  const plan = extractFactory(j, root, name, kept.assignment, setup, [], hoistTo, options, kept);
  if ('unsafe' in plan) return plan;
  const message =
    `\`${name}\` no longer is the server requests reach: each one is served a fresh server from ` +
    `${plan.generated}(); \`${name}\` holds one built the same way, for what returns or closes it`;
  return { ...plan, shared: true, note: { rule: 'kept-instance', message } };
}

/** The module an import binding of `name` comes from (`'./mcp'`), if it is one. */
function importedFrom(j: JSCodeshift, root: Collection<any>, name: string): string | undefined {
  const found = root
    .find(j.ImportDeclaration)
    .filter((p: ASTPath<any>) => (p.node.specifiers ?? []).some((s: Node) => s.local?.name === name));
  return found.size() ? `\`${found.get().node.source.value}\`` : undefined;
}

function isParameterOf(fn: Node, name: string): boolean {
  return (fn?.params ?? []).some(
    (p: Node) =>
      (p.type === 'Identifier' && p.name === name) || (p.type === 'TSParameterProperty' && p.parameter?.name === name)
  );
}

/** The key under which `pattern` (`{ server, cleanup }`, `{ server: mcp }`) binds `name`, if it does. */
function patternKeyOf(pattern: Node, name: string): string | undefined {
  for (const prop of pattern.properties ?? []) {
    if (prop.type !== 'ObjectProperty' && prop.type !== 'Property') continue;
    if (prop.value?.type === 'Identifier' && prop.value.name === name && !prop.computed) {
      return prop.key.type === 'Identifier' ? prop.key.name : prop.key.value;
    }
  }
  return undefined;
}

/**
 * `const { server, cleanup } = createServer()`: the factory is `createServer().server`. A companion the v1 code
 * called when the session's server closed (inside `server.server.onclose = …`) is called when each request's server
 * closes instead, so what it releases is still released; any other use of the server or a companion cannot be
 * reproduced per request.
 */
function destructuredFactory(
  j: JSCodeshift,
  root: Collection<any>,
  connect: ASTPath<any>,
  name: string,
  declarator: ASTPath<any>,
  scope: any,
  options: FactoryOptions
): FactoryOutcome {
  const declaration = declarator.parent;
  const problem = declarationProblem(declaration, name);
  if (problem) return { unsafe: problem };
  const init = declarator.node.init;
  if (init?.type !== 'CallExpression') return { unsafe: `\`${name}\` is not built by a factory call` };
  const pattern = declarator.node.id;
  if (pattern.properties.some((p: Node) => p.type === 'RestElement' || p.value?.type !== 'Identifier'))
    return {
      unsafe: `the result of \`${rootIdentifier(init.callee) ?? 'the factory'}()\` is destructured in a way a factory cannot repeat`
    };
  const key = patternKeyOf(pattern, name)!;
  // Built from values of a request handler (`this.config`, its locals), it is built per request where allowed.
  const base = callFactory(j, root, init, declaringBlock(connect, init), [], connect, {
    allowLocal: options.allowLocal
  });
  if ('unsafe' in base) return base;
  const closeCalls: ASTPath<any>[] = [];
  const closeHooks: ASTPath<any>[] = [];
  for (const use of referencesOf(j, root, name, scope)) {
    if (within(use, declarator) || within(use, connect)) continue;
    const close = closeCallOf(use);
    if (close) {
      closeCalls.push(close);
      continue;
    }
    const hook = closeHookOf(use);
    if (hook) {
      closeHooks.push(hook);
      continue;
    }
    return { unsafe: unreproducible(j, name, use.parent ?? use) };
  }
  const companions = pattern.properties.map((p: Node) => p.value.name).filter((n: string) => n !== name);
  const released: string[] = [];
  const atShutdown: ASTPath<any>[] = [];
  for (const companion of companions) {
    for (const use of referencesOf(j, root, companion, declarator.scope.lookup(companion))) {
      if (within(use, declarator)) continue;
      const inHook = closeHooks.some(h => within(use, h));
      const called = use.parent?.node.type === 'CallExpression' && use.parent.node.callee === use.node;
      const shutdown =
        called && !inHook && options.releasePerRequest ? shutdownStatementOf(j, root, use.parent) : undefined;
      if (shutdown) atShutdown.push(shutdown);
      else if (!inHook || !called)
        return { unsafe: `\`${companion}\` (from the same factory call) is used outside the server's close hook` };
      if (!released.includes(companion)) released.push(companion);
    }
  }
  if (closeHooks.length > 1) return { unsafe: `\`${name}\` has more than one close hook` };
  const apply = () => {
    removeStatement(j, declaration);
    // What the one server released at shutdown, each request's server now releases when it closes.
    for (const s of atShutdown) removeStatement(j, s);
  };
  if (released.length === 0) return { ...base, call: j.memberExpression(init, j.identifier(key)), closeCalls, apply };
  if (base.local)
    return { unsafe: `\`${companions.join(', ')}\` must be released by each request's server, built per request` };
  const hook = closeHooks[0] ? undefined : closeTargetFor(j, base.fn, name);
  const target = closeHooks[0]?.node.left ?? hook!.target;
  const release = j.arrowFunctionExpression(
    [],
    j.blockStatement(released.map(c => j.expressionStatement(j.callExpression(j.identifier(c), []))))
  );
  const body = j.blockStatement([
    declaration.node,
    j.expressionStatement(j.assignmentExpression('=', target, release)),
    j.returnStatement(j.identifier(name))
  ]);
  const list = released.map(c => `\`${c}\``).join(', ');
  return {
    ...base,
    call: body,
    closeCalls,
    apply,
    needs: hook?.needs,
    note: {
      rule: 'per-request-cleanup',
      message: closeHooks.length
        ? `${list} ran when a session's server closed; with no sessions (SEP-2567) it runs when each request's ` +
          `server closes, without the session id`
        : `${list} ran at shutdown for the one server; each request now builds its own server (and whatever ` +
          `${list} releases), so it runs when each request's server closes`
    }
  };
}

const SHUTDOWN_EVENTS = /^(SIGINT|SIGTERM|SIGHUP|SIGQUIT|SIGBREAK|exit|beforeExit)$/;

/**
 * `'SIGINT'`, or the parameter of `['SIGINT', 'SIGTERM'].forEach(signal => process.on(signal, …))` over such names.
 */
function isShutdownEvent(registration: ASTPath<any>, event: Node): boolean {
  if (isStringLiteral(event)) return SHUTDOWN_EVENTS.test(event.value);
  if (event.type !== 'Identifier') return false;
  for (let cur: ASTPath<any> | null = registration.parent; cur; cur = cur.parent) {
    if (!isFunction(cur.node) || !(cur.node.params ?? []).some((p: Node) => p.name === event.name)) continue;
    const loop = cur.parent?.node;
    const list =
      loop?.type === 'CallExpression' && loop.callee.property?.name === 'forEach' ? loop.callee.object : undefined;
    return (
      cur.node.params[0]?.name === event.name &&
      list?.type === 'ArrayExpression' &&
      list.elements.length > 0 &&
      list.elements.every((e: Node) => isStringLiteral(e) && SHUTDOWN_EVENTS.test(e.value))
    );
  }
  return false;
}

/**
 * `await cleanup();` as a statement of a process shutdown handler (`process.on('SIGINT', () => …)`, or a function
 * only such registrations name): the statement, else undefined.
 */
export function shutdownStatementOf(
  j: JSCodeshift,
  root: Collection<any>,
  call: ASTPath<any>
): ASTPath<any> | undefined {
  const wrapped = call.parent?.node.type === 'AwaitExpression' ? call.parent : call;
  if (wrapped.parent?.node.type !== 'ExpressionStatement') return undefined;
  for (let cur: ASTPath<any> | null = wrapped.parent; cur; cur = cur.parent) {
    if (!isFunction(cur.node)) continue;
    const registrations = (fnRef: (arg: Node) => boolean) =>
      root
        .find(j.CallExpression, { callee: { object: { name: 'process' } } })
        .filter((p: ASTPath<any>) => {
          const [event, handler] = p.node.arguments;
          return (
            /^(on|once|addListener)$/.test(p.node.callee.property?.name) &&
            !!event &&
            isShutdownEvent(p, event) &&
            !!handler &&
            fnRef(handler)
          );
        })
        .size();
    if (registrations(h => h === cur!.node) > 0) return wrapped.parent;
    const fnName =
      cur.node.id?.name ?? (cur.parent?.node.type === 'VariableDeclarator' ? cur.parent.node.id.name : undefined);
    if (!fnName) return undefined;
    const named = registrations(h => h.type === 'Identifier' && h.name === fnName);
    const references = root
      .find(j.Identifier, { name: fnName })
      .filter(
        (p: ASTPath<any>) => isValueReference(p) && p.node !== cur!.node.id && p.parent.node !== cur!.parent?.node
      )
      .size();
    return named > 0 && named === references ? wrapped.parent : undefined;
  }
  return undefined;
}

/**
 * Where a server built by `fn` announces its close: `server.onclose` for the low-level Server, `server.server.onclose`
 * for McpServer; when the factory is in another module, a test that fits both.
 */
function closeTargetFor(j: JSCodeshift, fn: Node, name: string): { target: Node; needs?: [string, string][] } {
  const builds = (cls: string) =>
    !!fn &&
    j(fn)
      .find(j.NewExpression, { callee: { name: cls } })
      .size() > 0;
  const server = j.identifier(name);
  if (builds('McpServer') && !builds('Server'))
    return { target: j.memberExpression(j.memberExpression(server, j.identifier('server')), j.identifier('onclose')) };
  if (builds('Server') && !builds('McpServer')) return { target: j.memberExpression(server, j.identifier('onclose')) };
  const either = j.conditionalExpression(
    j.binaryExpression('instanceof', server, j.identifier('McpServer')),
    j.memberExpression(server, j.identifier('server')),
    server
  );
  return {
    target: j.memberExpression(either, j.identifier('onclose')),
    needs: [['@modelcontextprotocol/server', 'McpServer']]
  };
}

/**
 * `let a = …, server = build(), b = …` (or `var`), not exported, with `name` never assigned after: a declaration its
 * declarator can leave alone.
 */
function sharedDeclaration(j: JSCodeshift, declaration: ASTPath<any>, name: string, scope: any): boolean {
  if (declaration.node.declarations.length < 2 || declaration.parent.node.type === 'ExportNamedDeclaration')
    return false;
  const assigned = (p: ASTPath<any>) => p.scope?.lookup(name) === scope;
  return (
    j(scope.path)
      .find(j.AssignmentExpression, { left: { type: 'Identifier', name } })
      .filter(assigned)
      .size() === 0 &&
    j(scope.path)
      .find(j.UpdateExpression, { argument: { type: 'Identifier', name } })
      .filter(assigned)
      .size() === 0
  );
}

/** Why the declaration of the server cannot become a factory's body: not one const, or exported. */
function declarationProblem(declaration: ASTPath<any>, name: string): string | undefined {
  if (declaration.node.kind !== 'const' || declaration.node.declarations.length !== 1)
    return `\`${name}\` is not a single const declaration`;
  if (declaration.parent.node.type === 'ExportNamedDeclaration')
    return `\`${name}\` is exported, so other modules use this one instance`;
  return undefined;
}

function sameFunction(a: ASTPath<any>, b: ASTPath<any>): boolean {
  const fn = enclosingFunction(a);
  return fn !== undefined && fn === enclosingFunction(b);
}

/** `server.connect(transport)`, where `use` is the server. */
function isConnectCall(use: ASTPath<any>): boolean {
  const member = use.parent?.node;
  return (
    member?.type === 'MemberExpression' &&
    member.object === use.node &&
    member.property?.name === 'connect' &&
    use.parent.parent?.node.type === 'CallExpression' &&
    use.parent.parent.node.callee === member &&
    use.parent.parent.node.arguments.length === 1
  );
}

/** `server.close()`: the call, when `use` is the object it is called on. */
function closeCallOf(use: ASTPath<any>): ASTPath<any> | undefined {
  const call = use.parent?.parent;
  const closes = use.parent?.node.type === 'MemberExpression' && use.parent.node.property.name === 'close';
  return closes && call?.node.type === 'CallExpression' ? call : undefined;
}

/** `server.onclose = …` / `server.server.onclose = …`: the statement's assignment, when `use` is its target's root. */
function closeHookOf(use: ASTPath<any>): ASTPath<any> | undefined {
  let cur: ASTPath<any> = use;
  while (cur.parent?.node.type === 'MemberExpression' && cur.parent.node.object === cur.node) cur = cur.parent;
  const assignment = cur.parent;
  if (assignment?.node.type !== 'AssignmentExpression' || assignment.node.left !== cur.node) return undefined;
  return cur.node.property?.name === 'onclose' ? assignment : undefined;
}

function firstFreeName(j: JSCodeshift, root: Collection<any>, names: string[]): string {
  return names.find(n => uniqueName(j, root, n) === n) ?? uniqueName(j, root, names[0]);
}

function declaringBlock(from: ASTPath<any>, call: Node): Node {
  const callee = rootIdentifier(call.callee);
  const scope = callee ? from.scope.lookup(callee) : undefined;
  if (!scope) return programOf(from);
  return (
    blockDeclaring(from, scope.path, callee!) ??
    // A compiled async function's work is in the generator `__awaiter` runs (its own body is that call).
    (scope.path.node.type === 'Program' ? scope.path.node : asyncCore(scope.path.node).body)
  );
}

/**
 * `try { const createServer = () => …; … }`: ast-types gives blocks no scope of their own, so a `const`, `let`,
 * class or function declared in a block inside the function reads as the function's. The innermost block around
 * `from` (below `top`) that declares `name` itself is where code reading it may go.
 */
function blockDeclaring(from: ASTPath<any>, top: ASTPath<any>, name: string): Node | undefined {
  const declares = (s: Node) =>
    (s.type === 'VariableDeclaration' &&
      s.kind !== 'var' &&
      s.declarations.some((d: Node) => d.id.type === 'Identifier' && d.id.name === name)) ||
    (/^(?:FunctionDeclaration|ClassDeclaration)$/.test(s.type) && s.id?.name === name);
  for (let cur: ASTPath<any> | null = from.parent; cur && cur !== top; cur = cur.parent) {
    if (cur.node.type === 'BlockStatement' && cur.parent?.node !== top.node && cur.node.body.some(declares))
      return cur.node;
  }
  return undefined;
}

function programOf(p: ASTPath<any>): Node {
  let cur: ASTPath<any> = p;
  while (cur.parent) cur = cur.parent;
  return cur.node.type === 'File' ? cur.node.program : cur.node;
}

/**
 * A factory that is a call: shared by every request when its arguments are constants or module-level values;
 * built per request (a local plan) when they are values of the request handler and the caller allows it.
 */
function callFactory(
  j: JSCodeshift,
  root: Collection<any>,
  call: Node,
  block: Node,
  closeCalls: ASTPath<any>[],
  at: ASTPath<any>,
  options: FactoryOptions
): FactoryOutcome {
  const fn = functionNamed(j, root, call.callee);
  // `this.getServer()` in a request handler (HTTP): a method of the object serving, never callable from module scope.
  // One that builds a server is the factory, per request; one that hands out the server the object holds (or is not
  // in this file) is no factory: v2 serves a fresh server per request, and one instance connected twice is refused.
  // An SSE stream route's too: its handler must not go to module scope, where `this` is no object at all.
  const perRequest = options.allowLocal || options.connectFunctionGoes;
  if (perRequest && /MemberExpression$/.test(call.callee.type) && thisRooted(call.callee)) {
    const method = call.callee.property?.name;
    // `this.service.createServer()`: a method of the object a field holds, maybe declared in another module.
    const throughField = call.callee.object.type !== 'ThisExpression';
    const body = method && !throughField ? classMethodNamed(j, root, method) : undefined;
    const factoryMember = !throughField && !!method && !!options.factoryMembers?.has(method);
    const builds = throughField
      ? !!options.fieldMethodBuilds?.(call)
      : factoryMember ||
        (!!body &&
          j(body)
            .find(j.NewExpression)
            .some((p: ASTPath<any>) => /^(?:Mcp)?Server$/.test(p.node.callee?.name ?? '')));
    if (!builds)
      return {
        unsafe:
          `\`${j(call).toSource()}\` may hand out the one server ${throughField ? 'that object' : 'this object'} ` +
          'holds, not a new one per request; ' +
          'make it build a fresh server'
      };
    // Served from an arrow inside a method, `this` is the method's: the handler is made once there, not per request.
    const holder = call.arguments.every((a: Node) => isModuleLevelValue(a, at)) ? methodHoldingArrowsAt(at) : undefined;
    if (holder) return { call, block: holder.body, fn, apply: () => {}, closeCalls };
    if (!options.allowLocal)
      return { unsafe: `\`this.${method ?? '…'}()\` is read where no method holds the request handler` };
    return { call, block, fn, apply: () => {}, closeCalls, local: true };
  }
  // `wrapper.getServer()` with `wrapper` a local of the request handler reads that handler's values as its
  // arguments would. (Only where a per-request plan is allowed: stdio serves a function's locals per connection.)
  const calleeReadsRequest =
    !!options.allowLocal && call.callee.type === 'MemberExpression' && declaredInRequestHandler(call.callee, at);
  if (!calleeReadsRequest && call.arguments.every((a: Node) => isModuleLevelValue(a, at))) {
    return { call, block, fn, apply: () => {}, closeCalls };
  }
  // Arguments from the function that registers the route (`const service = …; app.post('/mcp', …
  // createServer({ service }))`): one handler, made before the route, reads them on every request.
  const registration =
    calleeReadsRequest || !(options.allowLocal || options.connectFunctionGoes) ? undefined : registrationBlockOf(at);
  if (registration && call.arguments.every((a: Node) => boundAbove(j, a, at, registration)))
    return { call, block: registration.node, fn, apply: () => {}, closeCalls };
  if (options.readsAtConnect && call.arguments.every((a: Node) => boundAbove(j, a, at, at)))
    return { call, block, fn, apply: () => {}, closeCalls };
  if (!options.allowLocal)
    return { unsafe: 'the server factory takes arguments that may depend on the request or session' };
  return { call, block, fn, apply: () => {}, closeCalls, local: true };
}

/** The block holding the statement that registers the request handler `at` is in (`app.post('/mcp', handler)`). */
function registrationBlockOf(at: ASTPath<any>): ASTPath<any> | undefined {
  let cur: ASTPath<any> | null = at.parent;
  while (cur && !isFunction(cur.node)) cur = cur.parent;
  for (cur = cur?.parent ?? null; cur; cur = cur.parent) {
    if (isFunction(cur.node)) return undefined;
    if (
      cur.parent &&
      /^(?:BlockStatement|Program)$/.test(cur.parent.node.type) &&
      /Statement|Declaration/.test(cur.node.type)
    )
      return cur.parent.node.type === 'Program' ? undefined : cur.parent;
  }
  return undefined;
}

function isLiteral(n: Node): boolean {
  return /Literal$/.test(n?.type ?? '') && n.type !== 'TemplateLiteral';
}

/**
 * Is `arg` built only from names bound where `block` sees them (literals, names, member reads, object literals of
 * those), none of them `this` or a binding of the request handler?
 */
function boundAbove(j: JSCodeshift, arg: Node, at: ASTPath<any>, block: ASTPath<any>): boolean {
  if (j(arg).find(j.ThisExpression).size() || arg.type === 'ThisExpression') return false;
  if (j(arg).find(j.Function).size() || /Function/.test(arg.type)) return false;
  const names: string[] = [];
  // Reads only: a call would now run per request where it ran once.
  const collect = (n: Node): boolean => {
    if (!n) return true;
    if (['Literal', 'StringLiteral', 'NumericLiteral', 'BooleanLiteral', 'NullLiteral'].includes(n.type)) return true;
    if (n.type === 'Identifier') return (names.push(n.name), true);
    if (n.type === 'MemberExpression') return (!n.computed || isLiteral(n.property)) && collect(n.object);
    if (/^(?:Logical|Binary)Expression$/.test(n.type)) return collect(n.left) && collect(n.right);
    if (n.type === 'ConditionalExpression') return collect(n.test) && collect(n.consequent) && collect(n.alternate);
    if (/^(?:Unary|Spread|TSAs|TSNonNull)/.test(n.type)) return collect(n.argument ?? n.expression);
    if (n.type === 'TemplateLiteral') return n.expressions.every(collect);
    if (n.type === 'ArrayExpression') return n.elements.every(collect);
    if (n.type === 'ObjectExpression')
      return n.properties.every((p: Node) =>
        /^(?:ObjectProperty|Property)$/.test(p.type)
          ? (!p.computed || isLiteral(p.key)) && collect(p.value)
          : /^Spread/.test(p.type) && collect(p.argument)
      );
    return false;
  };
  if (!collect(arg)) return false;
  return names.every(name => {
    const scope = at.scope?.lookup(name);
    if (!scope || scope.isGlobal) return true;
    for (let cur: ASTPath<any> | null = block; cur; cur = cur.parent) if (cur.node === scope.path.node) return true;
    return false;
  });
}

/**
 * The class method whose `this` an arrow-only path reaches `at` with (`registerRoutes(app) { app.post('/mcp', async
 * (req, res) => { … }) }`): its function node. Undefined when a plain `function` in between has its own `this`.
 */
function methodHoldingArrowsAt(at: ASTPath<any>): Node | undefined {
  let crossedArrow = false;
  for (let cur: ASTPath<any> | null = at.parent; cur; cur = cur.parent) {
    if (!isFunction(cur.node)) continue;
    if (cur.node.type === 'ArrowFunctionExpression') {
      crossedArrow = true;
      continue;
    }
    const holder = cur.node.type === 'FunctionExpression' ? cur.parent?.node : cur.node;
    const isMethod = /^(?:ClassMethod|ClassPrivateMethod|MethodDefinition)$/.test(holder?.type ?? '');
    return crossedArrow && isMethod && cur.node.body?.type === 'BlockStatement' ? cur.node : undefined;
  }
  return undefined;
}

/** `this.x`, `this.a.b`: an expression read off `this`. */
function thisRooted(expr: Node): boolean {
  let n = expr;
  while (n && /MemberExpression$/.test(n.type)) n = n.object;
  return n?.type === 'ThisExpression';
}

/** The body of a class method (or function-valued class property) named `name` in this file. */
function classMethodNamed(j: JSCodeshift, root: Collection<any>, name: string): Node | undefined {
  const method = root
    .find(j.Node)
    .filter(
      (p: ASTPath<any>) =>
        (/^(?:ClassMethod|MethodDefinition)$/.test(p.node.type) && p.node.key?.name === name) ||
        (/^(?:ClassProperty|PropertyDefinition)$/.test(p.node.type) &&
          p.node.key?.name === name &&
          isFunction(p.node.value))
    )
    .nodes()[0] as Node;
  return method?.body ?? method?.value?.body;
}

/** Is the root variable of `expr` declared in the function `at` sits in (or deeper)? */
function declaredInRequestHandler(expr: Node, at: ASTPath<any>): boolean {
  const name = rootIdentifier(expr);
  const scope = name ? at.scope?.lookup(name) : undefined;
  if (!scope) return false;
  let handler: ASTPath<any> | null = at.parent;
  while (handler && !isFunction(handler.node)) handler = handler.parent;
  if (!handler) return false;
  for (let cur: ASTPath<any> | null = scope.path; cur; cur = cur.parent) if (cur.node === handler.node) return true;
  return false;
}

/** A constant, or a value every request sees the same: module-level bindings and globals, read by name or member. */
function isModuleLevelValue(arg: Node, at: ASTPath<any>): boolean {
  if (['Literal', 'StringLiteral', 'NumericLiteral', 'BooleanLiteral'].includes(arg.type)) return true;
  if (arg.type === 'ObjectExpression' && arg.properties.length === 0) return true;
  if (arg.type !== 'Identifier' && arg.type !== 'MemberExpression') return false;
  if (arg.type === 'MemberExpression' && arg.computed) return false;
  const name = rootIdentifier(arg);
  if (!name) return false;
  const scope = at.scope?.lookup(name);
  return !scope || scope.isGlobal || scope.path.node.type === 'Program';
}

/** The function a callee names, when it is declared in this file. */
function functionNamed(j: JSCodeshift, root: Collection<any>, callee: Node): Node | undefined {
  if (callee?.type !== 'Identifier') return undefined;
  const decl = root.find(j.FunctionDeclaration, { id: { name: callee.name } });
  if (decl.size()) return decl.get().node;
  const v = root.find(j.VariableDeclarator, { id: { name: callee.name } });
  if (v.size() && isFunction(v.get().node.init)) return v.get().node.init;
  return undefined;
}

/**
 * Moves `const server = …` and its setup statements into `function createServer() { …; return server; }`, placed
 * where the declaration was (or, when that is inside a request handler, at `hoistTo` if nothing local is needed).
 */
function extractFactory(
  j: JSCodeshift,
  root: Collection<any>,
  name: string,
  declStatement: ASTPath<any>,
  setup: ASTPath<any>[],
  closeCalls: ASTPath<any>[],
  hoistTo: Node,
  options: FactoryOptions,
  kept?: KeptInstance
): FactoryOutcome {
  const block = declStatement.parent.node;
  // In source order: setup may also sit in the try block that holds the connect (setupBesideConnect), which is
  // ordered where that try stands in the declaration's block.
  const order = (s: ASTPath<any>): [number, number] =>
    s.parent?.node === block ? [Number(s.name), -1] : [Number(s.parent?.parent?.name), Number(s.name)];
  const moved = [declStatement, ...setup].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1];
  });
  let targetBlock = block;
  const isModule = block.type === 'Program';
  const isAsync = moved.some(
    s =>
      j(s)
        .find(j.AwaitExpression)
        .filter((p: ASTPath<any>) => !insideNestedFunction(p, s))
        .size() > 0
  );
  if (!isModule && hoistTo && block !== hoistTo) {
    const own = declaredNames(j, moved);
    const readsRequest = moved.some(s => dependsOnLocals(j, s, own, block, hoistTo) || readsThis(j, s));
    if (readsRequest && kept) return { unsafe: `\`${name}\` is built from values of the function that fills it` };
    if (readsRequest && options.allowLocal) return localFactory(j, name, moved, block, closeCalls, isAsync);
    if (readsRequest) return { unsafe: `\`${name}\` is built inside a request handler from values of that request` };
    targetBlock = hoistTo;
  }
  // The filling statement awaits where the factory is awaited: only where it awaited already.
  if (kept && isAsync && kept.init.type !== 'AwaitExpression')
    return { unsafe: `\`${name}\` is set up with awaits after it is built` };
  const factoryName = firstFreeName(j, root, ['createServer', 'createMcpServer', 'buildMcpServer']);
  const body = moved.map(s => (kept && s === declStatement ? factoryDeclaration(j, name, kept) : s.node));
  const fnNode = j.functionDeclaration(
    j.identifier(factoryName),
    [],
    j.blockStatement([...body, j.returnStatement(j.identifier(name))])
  );
  fnNode.async = isAsync;
  const call = j.callExpression(j.identifier(factoryName), []);
  return {
    call,
    block: targetBlock,
    fn: fnNode,
    closeCalls,
    apply: () => {
      const first = moved[0];
      const anchorIndex = Number(first.name);
      removeMoved(block, kept ? setup : moved);
      if (kept) fillFromFactory(j, kept, j.callExpression(j.identifier(factoryName), []), isAsync);
      if (targetBlock === block) block.body.splice(anchorIndex, 0, fnNode);
    },
    hoisted: targetBlock === block ? undefined : fnNode,
    generated: factoryName,
    moved: (kept ? setup : moved).map(s => s.node)
  };
}

/**
 * The server is built from values of the request handler: its statements become the body of the arrow the
 * handler is created with, in that request handler, so each request builds its own server from its own values.
 */
function localFactory(
  j: JSCodeshift,
  name: string,
  moved: ASTPath<any>[],
  block: Node,
  closeCalls: ASTPath<any>[],
  isAsync: boolean
): FactoryPlan {
  const body = j.blockStatement([...moved.map(s => s.node), j.returnStatement(j.identifier(name))]);
  return {
    call: body,
    block,
    fn: body,
    closeCalls,
    local: true,
    async: isAsync,
    apply: () => removeMoved(block, moved)
  };
}

/** Takes the moved statements out of the blocks they are in (`block`, or a try block in it). */
function removeMoved(block: Node, moved: ASTPath<any>[]): void {
  for (const s of moved.slice().reverse()) {
    const body: Node[] = s.parent?.node.body ?? block.body;
    body.splice(body.indexOf(s.node), 1);
  }
}

function declaredNames(j: JSCodeshift, statements: ASTPath<any>[]): Set<string> {
  const own = new Set<string>();
  for (const s of statements)
    j(s)
      .find(j.VariableDeclarator)
      .forEach((p: ASTPath<any>) => p.node.id.type === 'Identifier' && own.add(p.node.id.name));
  return own;
}

/** `this` outside a nested non-arrow function: a hoisted function declaration would not have it. */
function readsThis(j: JSCodeshift, statement: ASTPath<any>): boolean {
  return j(statement)
    .find(j.ThisExpression)
    .some((p: ASTPath<any>) => {
      for (let cur = p.parent; cur && cur.node !== statement.node; cur = cur.parent)
        if (isFunction(cur.node) && cur.node.type !== 'ArrowFunctionExpression') return false;
      return true;
    });
}

function insideNestedFunction(p: ASTPath<any>, top: ASTPath<any>): boolean {
  for (let cur = p.parent; cur && cur.node !== top.node; cur = cur.parent) if (isFunction(cur.node)) return true;
  return false;
}

/** Does the statement read a variable declared in `block`'s function (other than the ones the factory declares)? */
function dependsOnLocals(
  j: JSCodeshift,
  statement: ASTPath<any>,
  own: Set<string>,
  block: Node,
  hoistTo: Node
): boolean {
  return j(statement)
    .find(j.Identifier)
    .some((p: ASTPath<any>) => {
      if (!isValueReference(p) || own.has(p.node.name)) return false;
      if (declaredInBlockAround(statement, p.node.name, hoistTo)) return true;
      const scope = p.scope?.lookup(p.node.name);
      if (!scope || scope.isGlobal) return false;
      // Bound inside the statement itself (a handler's own parameter): it moves with it.
      if (within(scope.path, statement)) return false;
      // Hoisted to module scope, the statement sees module-level bindings only: a local of any enclosing function
      // (the handler's, or a function around it) would be left behind.
      if (hoistTo?.type === 'Program') return scope.path.node.type !== 'Program';
      return !within(p, { node: scope.path.node } as ASTPath<any>) || scopeIsInside(scope.path, block);
    });
}

/**
 * A `let` / `const` / class declared in a block around the statement, below `hoistTo`: ast-types gives blocks no
 * scope of their own, so `if (…) { const verbose = …; const server = …(verbose) }` at the top of a module reads as
 * module scope there, and the factory hoisted out of the block would lose `verbose`.
 */
function declaredInBlockAround(statement: ASTPath<any>, name: string, hoistTo: Node): boolean {
  for (let cur: ASTPath<any> | null = statement.parent; cur && cur.node !== hoistTo; cur = cur.parent) {
    if (cur.node.type !== 'BlockStatement' || isFunction(cur.parent?.node)) continue;
    const declares = cur.node.body.some(
      (s: Node) =>
        (s.type === 'VariableDeclaration' &&
          s.kind !== 'var' &&
          s.declarations.some((d: Node) => d.id.type === 'Identifier' && d.id.name === name)) ||
        (s.type === 'ClassDeclaration' && s.id?.name === name)
    );
    if (declares) return true;
  }
  return false;
}

function scopeIsInside(scopePath: ASTPath<any>, block: Node): boolean {
  for (let cur: ASTPath<any> | null = scopePath; cur; cur = cur.parent) if (cur.node === block) return true;
  return scopePath.node.body === block;
}

/**
 * Variables a factory declares at its top level and that its handlers close over and mutate: with a
 * per-request factory they now live for one request only.
 */
export function perRequestState(j: JSCodeshift, fn: Node): Node[] {
  const body = fn?.body?.type === 'BlockStatement' ? fn.body.body : [];
  const found: Node[] = [];
  for (const statement of body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const d of statement.declarations) {
      if (d.id.type !== 'Identifier') continue;
      const mutableInit = statement.kind !== 'const' || isMutableContainer(d.init);
      if (!mutableInit) continue;
      const name = d.id.name;
      const usedInClosure = body.some(
        (s: Node) =>
          s !== statement &&
          j(s)
            .find(j.Identifier, { name })
            .some((p: ASTPath<any>) => isValueReference(p) && insideFunctionBelow(p, s))
      );
      if (usedInClosure && changedAcrossCalls(j, body, statement, name, inInitializedHook)) found.push(statement);
    }
  }
  return [...new Set(found)];
}

/**
 * Inside an `x.oninitialized = () => …` hook: what it sets, it sets again for each server instance (request-envelope
 * runs a hook reading the client before each instance's first request), or the hook keeps its own TODO.
 */
function inInitializedHook(p: ASTPath<any>): boolean {
  for (let cur = p.parent; cur; cur = cur.parent) {
    const node = cur.node;
    const assignment = cur.parent?.node;
    if (
      isFunction(node) &&
      assignment?.type === 'AssignmentExpression' &&
      assignment.right === node &&
      assignment.left.type === 'MemberExpression' &&
      assignment.left.property?.name === 'oninitialized'
    )
      return true;
  }
  return false;
}

function isMutableContainer(init: Node): boolean {
  if (!init) return false;
  if (init.type === 'ArrayExpression' || init.type === 'ObjectExpression') return true;
  return init.type === 'NewExpression' && /^(Map|Set|WeakMap|Array)$/.test(init.callee?.name ?? '');
}

function unreproducible(j: JSCodeshift, name: string, at: ASTPath<any>): string {
  return `\`${name}\` is used in \`${codeExcerpt(j, at.node)}\` in a way a per-request factory cannot reproduce`;
}
