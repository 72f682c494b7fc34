/**
 * This file's side of the handoffs planned over the run (handoff-plan.ts), done before the entries are rewritten:
 * - a serving helper's server parameter becomes a factory parameter (`server: Server` → `createServer: () => Server`)
 *   and each `server.connect(transport)` connects `createServer()`: a fresh server per connection, which the HTTP
 *   and SSE entry rewrites then serve through createMcpHandler;
 * - a caller hands a factory instead of its one instance: `startHttp(server)` → `startHttp(() => createServer())`,
 *   the module's server moved into a generated factory that the module's other entries (stdio) serve too.
 * Each side reports the handoffs it honoured; the engine re-runs both files without a handoff one of them could not.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import {
  asyncCore,
  enclosingFunctionPath,
  isValueReference,
  removeStatement,
  statementIn,
  thisMember,
  uniqueName
} from '../kit/ast.js';
import { shutdownStatementOf } from '../kit/server-factory.js';
import type { EntryContext } from './entry-context.js';
import { entryFactory } from './entry-factory.js';
import { importFactory, provideFactory } from './exported-instances.js';
import { connectsArgument, type HandoffCall, type HandoffPart, type HandoffServe } from './handoff-plan.js';
import { declaredFunctions } from '../kit/module-functions.js';
import { factoryName, typeAsFactory } from './factory-parameter.js';
import { receiverCalls } from './method-handoff-plan.js';
import { declareMethodFactory, takeMethodFactories } from './method-handoffs.js';
import { besideConnect, setsUp, takesParameter } from './plan-ast.js';

type Node = any;

export interface PlannedHandoff {
  key: string;
  part: HandoffPart;
}

/**
 * `takeClass` is the class side of a constructor handoff (constructor-handoffs.ts), handed in by the rewrite's entry
 * point: that module builds on this one.
 */
export function applyHandoffs(
  ctx: EntryContext,
  planned: PlannedHandoff[],
  honour: (key: string) => void,
  takeClass: (ctx: EntryContext, part: HandoffServe) => boolean
): void {
  // Every helper this file hands its server to serves it per request: none of those calls blocks the factory.
  const handed = new Map<Node, number>();
  for (const { part } of planned)
    if (part.role === 'hand') for (const call of helperCalls(ctx, part)) handed.set(call.node, part.index);
  const servedBy = (use: ASTPath<any>) => {
    const index = handed.get(use.parent?.node);
    return index !== undefined && use.parent.node.arguments[index] === use.node;
  };
  // A relay's own parameter, handed on: it is the factory the relay takes, passed on as it is.
  const serves = planned.flatMap(({ part }) => (part.role === 'serve' ? [part] : []));
  const isFactoryParameter = (call: ASTPath<any>, arg: Node) =>
    arg.type === 'Identifier' &&
    serves.some(part => {
      const fn = helperFunction(ctx, part.fn);
      const core = fn && asyncCore(fn);
      return !!core && core.params[part.index]?.name === arg.name && call.scope?.lookup(arg.name)?.node === core.owner;
    });
  for (const { key, part } of planned) {
    const done =
      part.role === 'serve' && part.construct
        ? takeClass(ctx, part)
        : part.role === 'serve' && part.inner
          ? takeChain(ctx, part, servedBy, () => honour(key))
          : part.role === 'serve'
            ? takeFactory(ctx, part, false, servedBy, () => honour(key))
            : part.role === 'hand'
              ? handFactory(ctx, part, servedBy, isFactoryParameter, () => honour(key))
              : part.role === 'serve-method'
                ? takeMethodFactories(ctx, part)
                : part.role === 'declare-method'
                  ? declareMethodFactory(ctx, part)
                  : part.role === 'provide'
                    ? provideFactory(ctx, part)
                    : importFactory(ctx, part);
    if (done) honour(key);
  }
}

/**
 * A helper and the functions of its module it hands its server on to, the one connecting it first: each takes a
 * factory, and each passes its own on to the next. All or none: the file is rewritten again without the handoff
 * when one of them cannot. Honoured once every link is (a link's own per-request servers are served later).
 */
function takeChain(
  ctx: EntryContext,
  part: HandoffServe,
  servedBy: (use: ASTPath<any>) => boolean,
  honour: () => void
): boolean {
  const links = [...part.inner!, { fn: part.fn, index: part.index }].map(l => ({ role: 'serve' as const, ...l }));
  const handedOn = (i: number) => (use: ASTPath<any>) => {
    if (servedBy(use)) return true;
    const call = use.parent?.node;
    return links
      .slice(0, i)
      .some(l => call?.type === 'CallExpression' && call.callee?.name === l.fn && call.arguments[l.index] === use.node);
  };
  const noop = () => {};
  if (!links.every((l, i) => takeFactory(ctx, l, true, handedOn(i), noop))) return false;
  let left = links.length;
  const linkDone = () => {
    if (--left === 0) honour();
  };
  links.forEach((l, i) => {
    if (takeFactory(ctx, l, false, handedOn(i), linkDone)) linkDone();
  });
  return false;
}

function helperCalls(ctx: EntryContext, part: HandoffCall): ASTPath<any>[] {
  const { j, root } = ctx;
  if (part.method) {
    const calls = new Set(
      receiverCalls(ctx.program, part.method, part.receivers ?? [], part.makers, part.params) ?? []
    );
    return root
      .find(j.CallExpression)
      .filter((p: ASTPath<any>) => calls.has(p.node) && !!p.node.arguments[part.index])
      .paths();
  }
  return root
    .find((part.construct ? j.NewExpression : j.CallExpression) as typeof j.CallExpression, {
      callee: { type: 'Identifier', name: part.local }
    })
    .filter((p: ASTPath<any>) => !!p.node.arguments[part.index])
    .paths();
}

/**
 * The helper's parameter at `index` becomes a factory; its `connect` calls connect a fresh server each. Statements
 * of the helper that set the server up first (`registerTools(server)`, `server.server.onerror = …`) go into a local
 * `buildServer()` that builds one from the factory and sets it up, and the connects connect what that returns.
 */
export function takeFactory(
  ctx: EntryContext,
  part: HandoffServe,
  dryRun = false,
  handedOn: (use: ASTPath<any>) => boolean = () => false,
  honourLater?: () => void
): boolean {
  const { j, root } = ctx;
  const helper = helperFunction(ctx, part.fn);
  // Compiled output: the generator `__awaiter` runs holds the work (and, with defaults, the parameters).
  const fn = helper && asyncCore(helper);
  const param = fn?.params[part.index];
  if (!fn || param?.type !== 'Identifier' || fn.body?.type !== 'BlockStatement') return false;
  const old = param.name;
  const connects: Node[] = [];
  // Arguments of a relay's calls to a helper that takes a factory too: they pass the factory on.
  const passed: ASTPath<any>[] = [];
  const setup = new Set<Node>();
  // Functions that connect the server and use it otherwise too build one server per call, for all those uses.
  const beside = besideConnect(fn.body, old);
  const ownServer = new Set<ASTPath<any>>();
  // Handed to a function that only connects it (`freshTransport(server, res)`): it gets a fresh server.
  const fresh: ASTPath<any>[] = [];
  const reachable = new Map([...declaredFunctions(ctx.program.body), ...declaredFunctions(fn.body.body)]);
  let other = false;
  j(fn.body)
    .find(j.Identifier, { name: old })
    .forEach((p: ASTPath<any>) => {
      if (!isValueReference(p) || shadowed(p, fn.body, old)) return;
      if (handedOn(p)) {
        passed.push(p);
        return;
      }
      if (beside.has(p.node)) {
        const holder = enclosingFunctionPath(p);
        if (holder?.node.body?.type === 'BlockStatement') ownServer.add(holder);
        else other = true;
        return;
      }
      if (p.parent?.node.arguments?.includes(p.node) && connectsArgument(p.parent.node, p.node, reachable)) {
        fresh.push(p);
        return;
      }
      const member = p.parent?.node;
      if (member?.type === 'MemberExpression' && member.object === p.node && member.property?.name === 'connect') {
        connects.push(member);
        return;
      }
      const statement = setupStatementOf(p, fn.body, old);
      if (statement) setup.add(statement);
      else other = true;
    });
  if (other || connects.length + passed.length + ownServer.size + fresh.length === 0) return false;
  // Whether a function's own server can be served is the entry rewrite's to decide, after this.
  if (ownServer.size && !honourLater) return false;
  // A setup statement holding a connect would serve from inside the factory.
  if (
    [...setup].some(st =>
      connects.some(c =>
        j(st)
          .find(j.MemberExpression)
          .some((m: ASTPath<any>) => m.node === c)
      )
    )
  )
    return false;
  // The builder is declared where the first setup statement was: a relay handing the server on before it would
  // read the builder before its declaration.
  const firstSetup = Math.min(...[...setup].map(st => fn.body.body.indexOf(st)));
  const topLevelIndex = (use: ASTPath<any>) => fn.body.body.indexOf(statementIn(fn.body, use)?.node);
  if (setup.size && passed.some(use => topLevelIndex(use) < firstSetup)) return false;
  if (dryRun) return true;
  const name = factoryName(j, root);
  let served: Node = j.callExpression(j.identifier(name), []);
  // What a relay passes on builds the server as this helper sets it up: the local builder when there is setup.
  let passedOn = name;
  if (setup.size) {
    const build = uniqueName(j, root, 'buildServer');
    passedOn = build;
    const body: Node[] = fn.body.body;
    const moved = body.filter(st => setup.has(st));
    const builder = j.variableDeclaration('const', [
      j.variableDeclarator(
        j.identifier(build),
        j.arrowFunctionExpression(
          [],
          j.blockStatement([
            j.variableDeclaration('const', [j.variableDeclarator(j.identifier(old), served)]),
            ...moved,
            j.returnStatement(j.identifier(old))
          ])
        )
      )
    ]);
    const at = body.indexOf(moved[0]);
    fn.body.body = body.filter(st => !setup.has(st));
    fn.body.body.splice(at, 0, builder);
    served = j.callExpression(j.identifier(build), []);
    ctx.generated.push(build);
  }
  for (const use of connects) use.object = served;
  for (const use of fresh) {
    const args: Node[] = use.parent.node.arguments;
    args[args.indexOf(use.node)] = j.callExpression(served.callee, served.arguments);
  }
  const declared = [...ownServer].map(holder => declareOwnServer(j, holder.node.body, old, served));
  for (const use of passed) {
    const args: Node[] = use.parent.node.arguments;
    args[args.indexOf(use.node)] = j.identifier(passedOn);
  }
  const factory: Node = j.identifier(name);
  if (param.typeAnnotation) factory.typeAnnotation = param.typeAnnotation;
  typeAsFactory(j, factory);
  fn.params[part.index] = factory;
  // The entry rewrites look names up through scopes read before this edit: read the helper's again.
  root
    .find(j.Function)
    .filter((p: ASTPath<any>) => p.node === helper || p.node === fn.owner)
    .forEach((p: ASTPath<any>) => p.scope?.scan(true));
  for (const holder of ownServer) holder.scope?.scan(true);
  ctx.changed = true;
  if (declared.length === 0) return true;
  // Honoured once the entry rewrites have served every function's own server (its declaration gone with the plumbing).
  const inTree = (d: Node) =>
    root
      .find(j.VariableDeclaration)
      .filter((p: ASTPath<any>) => p.node === d)
      .size() > 0;
  ctx.servedLater.push({ done: () => !declared.some(inTree), honour: honourLater! });
  return false;
}

/** Is the reference inside a function (below `body`) taking a parameter of the same name: another variable? */
function shadowed(use: ASTPath<any>, body: Node, name: string): boolean {
  for (let cur = use.parent; cur && cur.node !== body; cur = cur.parent)
    if (takesParameter(cur.node, name)) return true;
  return false;
}

/** `const server = createServer();` before the first statement of `block` that uses the server. */
function declareOwnServer(j: JSCodeshift, block: Node, name: string, served: Node): Node {
  const at = block.body.findIndex((st: Node) => j(st).find(j.Identifier, { name }).size() > 0);
  const built = j.callExpression(served.callee, served.arguments);
  const declaration = j.variableDeclaration('const', [j.variableDeclarator(j.identifier(name), built)]);
  block.body.splice(Math.max(at, 0), 0, declaration);
  return declaration;
}

/**
 * The top-level statement of the helper holding `use`, when that statement sets the server up: `registerTools(server)`,
 * `server.registerTool(…, async () => … server …)`, `server.server.onerror = …`. A route or other call that merely
 * mentions the server somewhere inside is no setup.
 */
function setupStatementOf(use: ASTPath<any>, body: Node, name: string): Node | undefined {
  let cur: ASTPath<any> = use;
  while (cur.parent && cur.parent.node !== body) cur = cur.parent;
  return cur.parent?.node === body && setsUp(cur.node, name) ? cur.node : undefined;
}

export function helperFunction(ctx: EntryContext, name: string): Node | undefined {
  return moduleFunctions(ctx).find(f => f.name === name)?.fn;
}

/** Functions declared at the top of the module (exported or not), by name. */
export function moduleFunctions(ctx: EntryContext): { name: string; fn: Node }[] {
  const { j } = ctx;
  const out: { name: string; fn: Node }[] = [];
  for (const s of ctx.program.body as Node[]) {
    const d = s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' ? s.declaration : s;
    if (d?.type === 'FunctionDeclaration' && d.id) out.push({ name: d.id.name, fn: d });
    if (d?.type === 'VariableDeclaration')
      for (const v of d.declarations)
        if (v.id.type === 'Identifier' && j.Function.check(v.init)) out.push({ name: v.id.name, fn: v.init });
  }
  return out;
}

/** Every call of the helper hands it a factory; all or none (a half-done file would break the other half). */
export function handFactory(
  ctx: EntryContext,
  part: HandoffCall,
  servedBy: (use: ASTPath<any>) => boolean,
  isFactoryParameter: (call: ASTPath<any>, arg: Node) => boolean = () => false,
  honourLater?: () => void
): boolean {
  const { j, root } = ctx;
  const calls = helperCalls(ctx, part);
  if (calls.length === 0) return false;
  // A class's server (`this.server`): the class rewrite builds it per request, if it can, and honours then.
  if (honourLater && calls.every(call => thisMember(call.node.arguments[part.index]))) {
    ctx.classHands.push({ calls: calls.map(c => c.node), index: part.index, honour: honourLater });
    return false;
  }
  const factories: (Node | undefined)[] = [];
  for (const call of calls) {
    const arg = call.node.arguments[part.index];
    if (isFactoryParameter(call, arg)) {
      factories.push(undefined);
      continue;
    }
    if (arg.type === 'CallExpression' || arg.type === 'NewExpression') {
      if (!simpleArguments(arg) || !buildsAFreshServer(arg)) return false;
      factories.push(arg);
      continue;
    }
    const shared = new Map(ctx.sharedFactories);
    const plan = entryFactory(ctx, call, arg, ctx.program, { servedBy });
    if ('unsafe' in plan) return false;
    // The one server's close at process shutdown has no server left to close: each now lives for one request
    // (HTTP) or one connection (stdio, ended by the exit itself). A close anywhere else keeps the file as it was.
    const shutdownCloses = plan.closeCalls.map(c => shutdownStatementOf(j, root, c));
    if (shutdownCloses.some(s => !s)) {
      // The factory was offered to the module's other entries; it is not made after all.
      ctx.sharedFactories = shared;
      return false;
    }
    // A server built in a function from nothing of its own: its factory goes to module level, before that function.
    const topLevel = plan.hoisted ? statementIn(ctx.program, call)?.node : undefined;
    plan.apply();
    if (plan.hoisted) {
      const at = topLevel ? ctx.program.body.indexOf(topLevel) : -1;
      ctx.program.body.splice(at < 0 ? ctx.program.body.length : at, 0, plan.hoisted);
    }
    for (const s of shutdownCloses) removeStatement(j, s!);
    if (plan.generated) ctx.generated.push(plan.generated);
    factories.push(plan.call);
  }
  calls.forEach((call, i) => {
    if (factories[i]) call.node.arguments[part.index] = j.arrowFunctionExpression([], factories[i]);
  });
  ctx.changed = true;
  return true;
}

/**
 * `createServer()`, `new McpServer(…)`, `this.buildServer()`: a call the factory arrow can make again for a fresh
 * server each request. A method of another object (`app.getServer()`) most likely hands back the one it holds, and
 * one instance cannot serve two requests (v2 refuses to connect it again: AlreadyConnected).
 */
function buildsAFreshServer(call: Node): boolean {
  if (call.type === 'NewExpression' || call.callee.type === 'Identifier') return true;
  const method = call.callee.type === 'MemberExpression' && !call.callee.computed ? call.callee.property?.name : '';
  return /^(?:create|build|make|new)/i.test(method ?? '');
}

/** Arguments a factory arrow can evaluate again on each request without running anything new. */
function simpleArguments(call: Node): boolean {
  return (call.arguments ?? []).every(
    (a: Node) =>
      a.type === 'Identifier' ||
      /Literal$/.test(a.type) ||
      (a.type === 'MemberExpression' && !a.computed && a.object.type === 'Identifier') ||
      (a.type === 'ObjectExpression' &&
        a.properties.every((p: Node) => p.type === 'ObjectProperty' && /Literal$|^Identifier$/.test(p.value.type)))
  );
}
