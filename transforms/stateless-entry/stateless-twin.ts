/**
 * A route that serves either way by a setting: `if (!stateful) { <a stateless transport for this request>; return }`
 * followed by the session plumbing (or the two as the branches of an if/else). On 2026-07-28 every request is served
 * without a session whatever the setting, so the two modes are one: the stateless branch goes, and the session branch
 * is rewritten as any session route is (its map, its GET/DELETE routes and its reads go with it there). The stateless
 * branch may build its transport itself or through a helper of the module (`const t = await statelessTransport(res);
 * await t.handleRequest(…)`), which goes too when nothing else calls it. Only when that branch is plumbing alone (the
 * transport, the server it connects, the response's close hook) and the test that chose it only reads a value; a NOTE
 * on the route says the setting no longer changes how it serves.
 */
import type { ASTPath } from 'jscodeshift';
import { functionsByName, isUndefinedValue, propertyKey, statementsOf } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { inPlaceOf, userWorkIn } from './session-statements.js';
import { bareCallee } from './entry-factory.js';

type Node = any;

/** A test that only reads (`!stateful`, `process.env.MODE === 'stateless'`, `config.sessions?.enabled`). */
const READ_ONLY = new RegExp(
  '^(?:Identifier|MemberExpression|OptionalMemberExpression|UnaryExpression|BinaryExpression|LogicalExpression|' +
    'StringLiteral|NumericLiteral|BooleanLiteral|NullLiteral|Literal|TemplateLiteral)$'
);

interface TwinContext {
  ctx: EntryContext;
  isHttpTransport: (n: Node) => boolean;
  helpers: Map<string, Node>;
}

/** A stateless twin taken out of a route: put back unless the route is rewritten, announced if it is. */
export interface DroppedTwin {
  fn: ASTPath<any>;
  /** The module's helper the twin served through, if one. */
  helper?: string;
  /** The route was rewritten: the NOTE saying the setting no longer changes how it serves. */
  announce: () => void;
  /** The route stays as it was: the twin goes back where it was. */
  restore: () => void;
}

/**
 * Takes the stateless twin of the session serving out of each of the request functions `fns`, so the route reads as a
 * session route; the caller announces or restores each once it knows whether the route was rewritten.
 */
export function dropStatelessTwins(
  ctx: EntryContext,
  fns: ASTPath<any>[],
  isHttpTransport: (n: Node) => boolean,
  connectsIn: (fn: ASTPath<any>) => ASTPath<any>[],
  anchorOf: (fn: ASTPath<any>) => Node
): DroppedTwin[] {
  const dropped: DroppedTwin[] = [];
  const tc: TwinContext = { ctx, isHttpTransport, helpers: functionsByName(ctx.j, ctx.root) };
  for (const fn of fns) {
    const twin = dropTwin(tc, fn, connectsIn(fn), anchorOf(fn));
    if (twin) dropped.push(twin);
  }
  return dropped;
}

function dropTwin(tc: TwinContext, fn: ASTPath<any>, connects: ASTPath<any>[], anchor: Node): DroppedTwin | undefined {
  const { j } = tc.ctx;
  if (!connects.length || connects.length > 2 || fn.node.body?.type !== 'BlockStatement') return undefined;
  // The route's own statements, and those of a try wrapping them (`try { if (!stateful) { … } … } catch …`).
  const lists: Node[][] = [fn.node.body.body];
  for (const s of fn.node.body.body) if (s.type === 'TryStatement') lists.push(s.block.body);
  for (const statements of lists)
    for (const s of statements) {
      if (s.type !== 'IfStatement' || !readsOnly(j, s.test)) continue;
      for (const branch of [s.consequent, s.alternate]) {
        if (!branch) continue;
        const inside = connects.filter(c => contains(j, branch, c.node));
        if (connects.length - inside.length !== 1) continue;
        const other = branch === s.consequent ? s.alternate : s.consequent;
        // `if (stateless) { …serve…; return }` with no else: what follows it is the session serving.
        if (!other && statementsOf(branch).at(-1)?.type !== 'ReturnStatement') continue;
        const served = inside.length ? servedInline(tc, branch, inside[0]!.node) : servedByHelper(tc, branch);
        if (served === undefined) continue;
        // Through paths, not the array: the paths jscodeshift caches for the route must see each change.
        const at = j(fn)
          .find(j.IfStatement)
          .filter((p: ASTPath<any>) => p.node === s)
          .paths()[0]!;
        const list = at.parentPath;
        const index = at.name as number;
        const inserted = other ? inPlaceOf(j, s, statementsOf(other), statements) : [];
        if (inserted.length) at.replace(...inserted);
        else at.prune();
        const when = branch === s.consequent ? 'when' : 'unless';
        return {
          fn,
          helper: served || undefined,
          announce: () =>
            tc.ctx.note(
              anchor,
              'stateless-twin',
              `this route served requests without sessions ${when} \`${j(s.test).toSource()}\` and with sessions ` +
                'otherwise; on 2026-07-28 every request is served without sessions, so the two are one now and the ' +
                'setting no longer changes how this route serves'
            ),
          restore: () => {
            for (let k = 0; k < inserted.length; k++) list.get(index).prune();
            list.insertAt(index, s);
          }
        };
      }
    }
  return undefined;
}

function readsOnly(j: EntryContext['j'], test: Node): boolean {
  return j(test)
    .find(j.Node)
    .every((p: ASTPath<any>) => !/Expression$|Literal$/.test(p.node.type) || READ_ONLY.test(p.node.type));
}

function contains(j: EntryContext['j'], n: Node, target: Node): boolean {
  return j(n)
    .find(j.CallExpression)
    .some((p: ASTPath<any>) => p.node === target);
}

/**
 * The branch builds one transport without sessions, connects a server to it, hands it the request, and does nothing
 * of the user's besides: '' when so.
 */
function servedInline(tc: TwinContext, branch: Node, connect: Node): string | undefined {
  const transport = statelessTransportIn(tc, branch);
  if (!transport || !handsRequestTo(tc.ctx, branch, transport)) return undefined;
  return plumbingOnly(tc.ctx, branch, transport, connect) ? '' : undefined;
}

/**
 * `const t = await statelessTransport(res); await t.handleRequest(req, res, req.body); return;`, where the module's
 * `statelessTransport` builds a transport without sessions, connects a server and returns the transport, with nothing
 * of the user's in either: the helper's name when so.
 */
function servedByHelper(tc: TwinContext, branch: Node): string | undefined {
  const { j } = tc.ctx;
  const statements = statementsOf(branch);
  const declaration = statements.find(
    (s: Node) =>
      s.type === 'VariableDeclaration' &&
      s.declarations.length === 1 &&
      s.declarations[0].id.type === 'Identifier' &&
      calledHelper(s.declarations[0].init) !== undefined
  );
  if (!declaration) return undefined;
  const transport: string = declaration.declarations[0].id.name;
  const call = calledHelper(declaration.declarations[0].init)!;
  const helper = tc.helpers.get(call.callee.name);
  if (!helper || helper.body?.type !== 'BlockStatement' || !handsRequestTo(tc.ctx, branch, transport)) return undefined;
  // The helper: one stateless transport, one connect handing it over, and the transport returned.
  const built = statelessTransportIn(tc, helper.body);
  // `server.connect(transport)`, or through a cast (`transport as Transport`).
  const connects = j(helper.body)
    .find(j.CallExpression, { callee: { property: { name: 'connect' } } })
    .filter((p: ASTPath<any>) => {
      let a = p.node.arguments[0];
      while (a && /^(?:TSAsExpression|TSNonNullExpression|TSSatisfiesExpression)$/.test(a.type)) a = a.expression;
      return a?.type === 'Identifier' && a.name === built;
    })
    .paths();
  const returned = j(helper.body)
    .find(j.ReturnStatement)
    .every((r: ASTPath<any>) => r.node.argument?.type === 'Identifier' && r.node.argument.name === built);
  if (!built || connects.length !== 1 || !returned) return undefined;
  if (!plumbingOnly(tc.ctx, helper.body, built, connects[0]!.node)) return undefined;
  const rest = statements.filter((s: Node) => s !== declaration);
  return userWorkIn(tc.ctx, rest, new Set([transport]), call).work.length ? undefined : call.callee.name;
}

/**
 * `statelessTransport(res)` or `await statelessTransport(res)`, handed plain values or the server it connects, built
 * for it (`createServer()`, `() => createServer()`): the call.
 */
function calledHelper(init: Node): Node | undefined {
  const call = init?.type === 'AwaitExpression' ? init.argument : init;
  if (call?.type !== 'CallExpression' || call.callee.type !== 'Identifier') return undefined;
  return call.arguments.every((a: Node) => /^(?:Identifier|MemberExpression)$/.test(a.type) || builtServer(a))
    ? call
    : undefined;
}

/** `createServer()` or `() => createServer()`: a server built by a call of nothing. */
function builtServer(a: Node): boolean {
  return bareCallee(a.type === 'ArrowFunctionExpression' && a.params.length === 0 ? a.body : a) !== undefined;
}

/** The variable holding the one transport `block` builds, when it has no sessions (no options, or no generator). */
function statelessTransportIn(tc: TwinContext, block: Node): string | undefined {
  const { j } = tc.ctx;
  const built = j(block)
    .find(j.NewExpression)
    .filter((p: ASTPath<any>) => tc.isHttpTransport(p.node));
  if (built.size() !== 1) return undefined;
  const options = built.get().node.arguments[0];
  if (options && !withoutSessions(options)) return undefined;
  const holder = built.get().parent.node;
  if (holder.type !== 'VariableDeclarator' || holder.id.type !== 'Identifier') return undefined;
  return /mcp-session-id/i.test(j(block).toSource()) ? undefined : holder.id.name;
}

function handsRequestTo(ctx: EntryContext, block: Node, transport: string): boolean {
  const { j } = ctx;
  return j(block)
    .find(j.CallExpression, { callee: { property: { name: 'handleRequest' } } })
    .some((p: ASTPath<any>) => p.node.callee.object?.name === transport);
}

/** Nothing in `block` but the transport, the server `connect` hands it to (built there), and the response's close. */
function plumbingOnly(ctx: EntryContext, block: Node, transport: string, connect: Node): boolean {
  const receiver = connect.callee.object;
  // `server.connect(t)`, or `createServer().connect(t)` (a factory the helper was handed): built for this transport.
  const server = receiver?.type === 'Identifier' ? receiver.name : bareCallee(receiver);
  // The server it connects, built here (`const server = createServer()`), is the factory's business.
  const statements = statementsOf(block).filter(
    (s: Node) =>
      !(
        s.type === 'VariableDeclaration' &&
        s.declarations.some((d: Node) => d.id.type === 'Identifier' && d.id.name === server)
      )
  );
  const plumbing = new Set<string>([transport, ...(server ? [server] : [])]);
  return userWorkIn(ctx, statements, plumbing, connect).work.length === 0;
}

function withoutSessions(options: Node): boolean {
  if (options.type !== 'ObjectExpression') return false;
  return options.properties.every((p: Node) => {
    const key = propertyKey(p);
    if (key === 'sessionIdGenerator') return isUndefinedValue(p.value);
    return key === 'enableJsonResponse';
  });
}
