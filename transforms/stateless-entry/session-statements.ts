/**
 * The one filter both HTTP and SSE entries pass a request handler's body through: the user's statements stay, the
 * session plumbing goes, and the handler call takes the place of the call that served the request.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isPureHelper, hooksOntoItsArguments, tablesFiledBy } from './module-functions.js';
import { isSessionKey } from './session-companion-tables.js';
import { isStringLiteral, isValueReference, mentions, statementsOf } from '../kit/ast.js';
import { setsCorsHeader } from './cors-headers.js';
import { onlySessionCodeUses } from './session-bound-objects.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

/**
 * Keeps the user's statements, drops session plumbing (anything that mentions a transport, the session map, the
 * session id, the per-request server, or isInitializeRequest), and puts the handler call where the first
 * statement carrying `handleRequest` stood. try/catch and plain blocks are kept and filtered inside.
 */
/**
 * `placed`: the handler call is in. `dropped`, when given, collects what goes and nothing is changed (a dry run
 * that tells whether the rewrite would lose the user's own work).
 */
export interface StatementsState {
  placed: boolean;
  dropped?: Node[];
  /**
   * The handler's name, for the other calls of a per-request transport that a routing branch makes
   * (`if (req.method === 'POST') { …; handleRequest(req, res, parsed) } else handleRequest(req, res)`): each
   * becomes a call of the handler with its own arguments.
   */
  handlerName?: string;
  /** Inside such a branch. */
  routing?: boolean;
  /**
   * The handler call went into a branch on the request (`if (req.method === 'POST') { …; return }`): the statements
   * after it serve the other methods, so their serving calls go through the handler too.
   */
  servedInBranch?: boolean;
}

export function rewriteStatements(
  ctx: EntryContext,
  statements: Node[],
  plumbing: Set<string>,
  handleNode: Node,
  replacement: Node,
  state: StatementsState,
  connectNode: Node
): Node[] {
  const { j } = ctx;
  const out: Node[] = [];
  const again = (list: Node[]) => rewriteStatements(ctx, list, plumbing, handleNode, replacement, state, connectNode);
  let ended = false;
  for (const s of statements) {
    if (ended || (state.placed && replacement.type === 'ReturnStatement' && out.includes(replacement))) {
      // After `return handler(…)` nothing in this block runs; function declarations are hoisted and stay.
      if (s.type === 'FunctionDeclaration') out.push(s);
      continue;
    }
    const carriesHandle =
      j(s)
        .find(j.CallExpression)
        .some((p: ASTPath<any>) => p.node === handleNode) || s.expression === handleNode;
    // A CORS header list naming mcp-session-id is rewritten in place (cors-headers.ts), not dropped.
    const isPlumbing = !setsCorsHeader(s) && (mentions(j, s, plumbing) || /mcp-session-id/i.test(j(s).toSource()));
    // `if (req.method === 'POST') { …; await transport.handleRequest(req, res, parsed) } else { … }`: a branch on
    // the request, not on a session, stays; each branch is filtered (and a per-request transport's other calls serve
    // through the handler). Taking the serving branch in place of the whole if would run it for every method.
    const servesHere =
      carriesHandle ||
      j(s)
        .find(j.CallExpression)
        .some((p: ASTPath<any>) => p.node === connectNode);
    if (
      s.type === 'IfStatement' &&
      (servesHere || (state.routing && state.handlerName && isPlumbing)) &&
      !mentions(j, s.test, plumbing) &&
      !/mcp-session-id/i.test(j(s.test).toSource())
    ) {
      const routed = (branch: Node) => {
        const outer = state.routing;
        state.routing = true;
        const inner = again(statementsOf(branch));
        state.routing = outer;
        return inner;
      };
      const placedBefore = state.placed;
      const consequent = routed(s.consequent);
      const alternate = s.alternate ? routed(s.alternate) : [];
      if (!placedBefore && state.placed) state.servedInBranch = true;
      if (!state.dropped) refillBranches(j, s, consequent, alternate);
      out.push(s);
      continue;
    }
    const creation = s.type === 'IfStatement' && isPlumbing ? creationBranch(j, s, connectNode) : undefined;
    if (creation) {
      for (let cur: Node = s; cur; cur = cur.type === 'IfStatement' ? cur.alternate : undefined) {
        const branch = cur.type === 'IfStatement' ? cur.consequent : cur;
        if (branch !== creation) state.dropped?.push(branch);
      }
      // `if (sid && map[sid]) … else if (!sid) { <new session> } else …`: every 2026 request is a new one, so the
      // new-session branch's own statements (token checks, logging) stay, in place of the whole if. A branch that
      // declares a name its surroundings declare too keeps its braces, so the two never clash.
      // `if (req.method !== 'POST') return new Response('session required', { status: 400 })`: only a POST could
      // open a session. The handler answers the other methods itself (405, which a 2025-era client takes for "no
      // stream here"; kept, the 400 made it report an error for every GET).
      const inner = again(statementsOf(creation).filter((st: Node) => !isMethodGuard(st)));
      out.push(...inPlaceOf(j, s, inner, statements));
      // The new-session branch ended the request (`…; return;`): what followed served other sessions, never runs now.
      const last = inner[inner.length - 1];
      if (state.placed && (last?.type === 'ReturnStatement' || last?.type === 'ThrowStatement')) ended = true;
      continue;
    }
    if (s.type === 'TryStatement' && (carriesHandle || isPlumbing)) {
      const block = again(s.block.body);
      // `catch (error) { await transport.close(); throw error }`: the close goes, the rethrow stays.
      const caught = s.handler ? again(s.handler.body.body) : undefined;
      const finalizer = s.finalizer ? again(s.finalizer.body) : undefined;
      if (state.dropped) {
        out.push(s);
        continue;
      }
      // `try { await transport.close() } catch { /* best effort */ }`: with the close gone nothing is tried, and the
      // catch can never run; what a finally does still runs, in its place.
      if (block.length === 0) {
        out.push(...(finalizer ?? []));
        continue;
      }
      s.block.body = block;
      if (caught) s.handler.body.body = caught;
      if (finalizer) s.finalizer.body = finalizer;
      // `finally { await transport.close(); await server.close() }` had only plumbing: the finally goes, and a try
      // left with nothing to catch or finish is its block.
      if (finalizer?.length === 0) s.finalizer = null;
      // A catch left only rethrowing what it caught catches nothing.
      if (s.handler && onlyRethrows(s.handler)) s.handler = null;
      if (!s.handler && !s.finalizer) out.push(...inPlaceOf(j, s, block, statements));
      else out.push(s);
      continue;
    }
    if ((state.routing || state.servedInBranch) && !carriesHandle && state.handlerName) {
      const other = otherHandleCall(j, s, plumbing);
      if (other) {
        if (!state.dropped) {
          other.callee = j.identifier(state.handlerName);
        }
        out.push(s);
        continue;
      }
    }
    if (s.type === 'BlockStatement' && (carriesHandle || isPlumbing)) {
      const inner = again(s.body);
      if (!state.dropped) s.body = inner;
      out.push(s);
      continue;
    }
    // `await als.run({ principal, budgets }, async () => { await transport.handleRequest(…) })`: the wrapper is the
    // user's (request context, ACLs, spans) and stays; the handler call takes the place of the call inside it.
    const wrapper = carriesHandle ? functionAround(j, s, handleNode) : undefined;
    // (An `await` handler call can only go into an async wrapper.)
    if (wrapper && !state.placed && (wrapper.async || wrapper.body.type !== 'BlockStatement')) {
      if (wrapper.body.type === 'BlockStatement') {
        const inner = again(wrapper.body.body);
        if (!state.dropped) wrapper.body.body = inner;
      } else {
        if (!state.dropped)
          wrapper.body = replacement.type === 'ReturnStatement' ? replacement.argument : replacement.expression;
        state.placed = true;
      }
      if (state.placed) {
        out.push(s);
        continue;
      }
    }
    // A session branch serving some other request (`if (map[sid]) return map[sid].handleRequest(…)`) goes with the
    // plumbing: the handler call takes the place of the call that served the new session, after what set it up.
    if (carriesHandle) {
      if (!state.placed) {
        // `const res = await transport.handleRequest(request)`, then headers added to `res`: the declaration stays
        // and reads the handler's response (the placed statement becomes it, so callers still find it).
        if (!state.dropped && keepsResult(s, handleNode)) adoptDeclaration(j, replacement, s, handleNode);
        else if (!state.dropped) replacement.comments = s.comments;
        out.push(replacement);
        state.placed = true;
      }
      continue;
    }
    // `if (!response.body) { await transport.close(); return response }`: a test on the route's own values keeps
    // its if, and its branches lose only their plumbing (an if left with nothing to do goes).
    if (isPlumbing && s.type === 'IfStatement' && !mentions(j, s.test, plumbing) && ownBranchWork(s)) {
      const consequent = again(statementsOf(s.consequent));
      const alternate = s.alternate ? again(statementsOf(s.alternate)) : [];
      if (consequent.length > 0 || alternate.length > 0) {
        if (!state.dropped) refillBranches(j, s, consequent, alternate);
        out.push(s);
        continue;
      }
    }
    if (isPlumbing) {
      state.dropped?.push(s);
      continue;
    }
    out.push(s);
  }
  return out;
}

/** Puts an if's filtered branches back: an emptied else goes, a lone `else if` stays one. */
function refillBranches(j: JSCodeshift, s: Node, consequent: Node[], alternate: Node[]): void {
  s.consequent = j.blockStatement(consequent);
  s.alternate =
    alternate.length === 0
      ? null
      : alternate.length === 1 && alternate[0].type === 'IfStatement'
        ? alternate[0]
        : j.blockStatement(alternate);
}

/** `catch (error) { throw error }`. */
function onlyRethrows(handler: Node): boolean {
  const [only, ...rest] = handler.body.body;
  return (
    rest.length === 0 &&
    only?.type === 'ThrowStatement' &&
    handler.param?.type === 'Identifier' &&
    only.argument?.type === 'Identifier' &&
    only.argument.name === handler.param.name
  );
}

/** Does a branch of this if end the request itself (`return response`, `throw`), beside its plumbing? */
function ownBranchWork(s: Node): boolean {
  const ends = (branch: Node | null | undefined) =>
    !!branch && statementsOf(branch).some((x: Node) => x.type === 'ReturnStatement' || x.type === 'ThrowStatement');
  return ends(s.consequent) || ends(s.alternate);
}

/** `const res = transport.handleRequest(…)` (awaited or not): the one declarator's value is the call. */
function keepsResult(s: Node, handleNode: Node): boolean {
  if (s.type !== 'VariableDeclaration' || s.declarations.length !== 1) return false;
  const init = s.declarations[0].init;
  return init === handleNode || (init?.type === 'AwaitExpression' && init.argument === handleNode);
}

/** Turns the placed statement into the declaration, its value the handler call the placed statement made. */
function adoptDeclaration(j: any, placed: Node, s: Node, handleNode: Node): void {
  let call = placed.type === 'ReturnStatement' ? placed.argument : placed.expression;
  if (call?.type === 'AwaitExpression') call = call.argument;
  const declarator = s.declarations[0];
  declarator.init = declarator.init === handleNode ? call : j.awaitExpression(call);
  for (const key of Object.keys(placed)) delete placed[key];
  Object.assign(placed, s);
}

/** `await transport.handleRequest(req, res)` as a whole statement (awaited, returned or bare), on a plumbing transport. */
function otherHandleCall(j: any, s: Node, plumbing: Set<string>): Node | undefined {
  let e = s.type === 'ExpressionStatement' ? s.expression : s.type === 'ReturnStatement' ? s.argument : undefined;
  if (e?.type === 'AwaitExpression') e = e.argument;
  const callee = e?.type === 'CallExpression' ? e.callee : undefined;
  if (callee?.type !== 'MemberExpression' || callee.property?.name !== 'handleRequest') return undefined;
  return mentions(j, callee.object, plumbing) ? e : undefined;
}

/** `inner` in place of `s` among `statements`: as they are, or in braces where a name they declare would clash. */
export function inPlaceOf(j: any, s: Node, inner: Node[], statements: Node[]): Node[] {
  return clashes(
    inner,
    statements.filter(x => x !== s)
  )
    ? [j.blockStatement(inner)]
    : inner;
}

/** Does `inner` declare, at its top level, a name that one of `around` declares at its top level? */
function clashes(inner: Node[], around: Node[]): boolean {
  const declared = (list: Node[]) =>
    new Set(
      list.flatMap((n: Node) =>
        n.type === 'VariableDeclaration'
          ? n.declarations.flatMap((d: Node) => (d.id.type === 'Identifier' ? [d.id.name] : []))
          : n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration'
            ? [n.id?.name]
            : []
      )
    );
  const outer = declared(around);
  return [...declared(inner)].some(name => outer.has(name));
}

/** The branch of an if/else-if chain that connects the server (the new-session branch), if one does. */
function creationBranch(j: EntryContext['j'], ifStatement: Node, connectNode: Node): Node | undefined {
  const contains = (n: Node) =>
    !!n &&
    j(n)
      .find(j.CallExpression)
      .some((p: ASTPath<any>) => p.node === connectNode);
  for (let cur: Node = ifStatement; cur; cur = cur.alternate) {
    if (cur.type !== 'IfStatement') return contains(cur) ? cur : undefined;
    if (contains(cur.consequent)) return cur.consequent;
  }
  return undefined;
}

/**
 * `if (req.method !== 'POST') { …; return }`: a test of the request's method alone (`c.req.method`, `request.method`)
 * against a literal, whose branch ends the request.
 */
function isMethodGuard(s: Node): boolean {
  if (s.type !== 'IfStatement' || s.alternate) return false;
  const t = s.test;
  if (t?.type !== 'BinaryExpression' || !/^!==?$/.test(t.operator)) return false;
  const isMethod = (n: Node) =>
    /MemberExpression$/.test(n?.type) &&
    !n.computed &&
    n.property?.name === 'method' &&
    n.object?.type !== 'ThisExpression';
  if (!((isMethod(t.left) && isStringLiteral(t.right)) || (isMethod(t.right) && isStringLiteral(t.left)))) return false;
  const body = statementsOf(s.consequent);
  const last = body[body.length - 1];
  return last?.type === 'ReturnStatement' || last?.type === 'ThrowStatement';
}

/** The innermost function inside statement `s` (not `s` itself) whose body holds the call `handleNode`. */
function functionAround(j: EntryContext['j'], s: Node, handleNode: Node): Node | undefined {
  let found: Node | undefined;
  j(s)
    .find(j.Function)
    .forEach((p: ASTPath<any>) => {
      const fn = p.node;
      if (fn === s || fn.start > handleNode.start || fn.end < handleNode.end) return;
      if (!found || (fn.start >= found.start && fn.end <= found.end)) found = fn;
    });
  return found;
}

/** Callees that are plumbing or bookkeeping anyway: logging, the response, timers, ids, built-ins. */
const HARMLESS = new RegExp(
  '^(?:console|logger|log|log(?:Info|Error|Warn(?:ing)?|Debug|Trace|Verbose|Fatal)|debugLog|' +
    'res|req|reply|next|JSON|Object|Array|String|Number|Boolean|Promise|Date|Math|Error|' +
    'Buffer|Symbol|setTimeout|clearTimeout|setInterval|clearInterval|randomUUID|crypto|uuid|uuidv4|v4|nanoid)$'
);

const RESPONSE = /^(?:res|response|reply|resp)$/;

const STORE_METHODS =
  /^(?:get|set|has|delete|clear|add|remove|exists|put|values|keys|entries|forEach|count|touch|close|end|on|once|off)$/;

/**
 * Calls in statements the rewrite would drop that are the user's own work, not session plumbing, by name and
 * deduplicated: `work` (`connectBackendForSession(sid)`, `trackSessionStart()`) would be lost; `ended` sit in a
 * session's close callback (`transport.onclose = () => meter.stop(tenant)`), which with no sessions has nothing to
 * tear down, so they go, and the user is told what no longer runs. `exchange` names what the transport was handed
 * (Hono's context `c`, a `request` / `response` pair): reading the request and answering on it (`c.req.header(…)`,
 * `c.body(null, 204)`) is the route's plumbing whatever the names; `sessionCode` names the session plumbing, for calls
 * on an object only session code uses (session-bound-objects.ts).
 */
export function userWorkIn(
  ctx: EntryContext,
  dropped: Node[],
  plumbing: Set<string>,
  connectNode: Node,
  more: { exchange?: Set<string>; sessionCode?: Set<string>; fn?: Node } = {}
): { work: string[]; ended: string[] } {
  const exchange = more.exchange ?? new Set<string>();
  const { j } = ctx;
  const inConnect = (n: Node) => n.start >= connectNode.start && n.end <= connectNode.end;
  /** Is the call plumbing or bookkeeping (`'skip'`), or the user's work, and if so in which kind of callback? */
  const judge = (p: ASTPath<any>): 'skip' | 'session' | undefined => {
    // Teardown of a session (`transport.onclose = () => endSession(id)`): with no sessions there is nothing
    // to tear down; per-session state itself is rewrite 2's (session-handles). The route's own close hook keeps
    // its work (keepOwnCloseWork), so only a session's close callbacks are teardown that goes.
    if (inConnect(p.node) || inStoredValue(p)) return 'skip';
    const kind = teardownKind(p);
    if (kind === 'response') return 'skip';
    const callee = p.node.callee;
    let root: Node = callee;
    while (root && /MemberExpression$/.test(root.type)) root = root.object;
    if (root?.type === 'CallExpression') return 'skip'; // a call on a call's result: its inner call is judged on its own
    const name = root?.type === 'Identifier' ? root.name : root?.type === 'ThisExpression' ? 'this' : undefined;
    if (!name || plumbing.has(name) || exchange.has(name) || HARMLESS.test(name)) return 'skip';
    const method = /MemberExpression$/.test(callee.type) ? callee.property?.name : undefined;
    // `this.logger.info(…)`, `metrics.log(…)`: logging wherever it hangs. `this.connections.set(id, t)`,
    // `sessionStore.add(sid, t)`: the sessions' own bookkeeping, whatever holds it.
    if (method && /^(?:log|info|warn|error|debug|trace|verbose|fatal)$/.test(method)) return 'skip';
    if (method && STORE_METHODS.test(method)) return 'skip';
    // `trackResponse(session, res)`: a helper handed the session's own record or transport keeps session books;
    // unless it hooks a function onto what it is handed (`installArgAliasing(transport)` setting `transport.onmessage`).
    if (p.node.arguments.some((a: Node) => mentions(j, a, plumbing)))
      return callee.type === 'Identifier' && hooksOntoItsArguments(j, ctx.root, name) ? kind : 'skip';
    // `fail(res, 400, 'no valid session')`: a helper handed the response answers a session error.
    if (p.node.arguments.some((a: Node) => a.type === 'Identifier' && RESPONSE.test(a.name))) return 'skip';
    // `sessionManager.createSession(sid, …)` on an object nothing but the session code uses: its books.
    if (root.type === 'Identifier' && more.sessionCode)
      if (onlySessionCodeUses(j, ctx.root, p.node, name, dropped, more.sessionCode, connectNode)) return 'skip';
    // `extractHeaderValue(req.headers['mcp-session-id'])`: a helper that only computes a value does nothing.
    if (callee.type === 'Identifier' && isPureHelper(j, ctx.root, name)) return 'skip';
    // `touch(sessionId)`: a helper that only files a value under the session's id in a table keeps its books.
    if (callee.type === 'Identifier' && isSessionKey(p.node.arguments[0]) && tablesFiledBy(j, ctx.root, name))
      return 'skip';
    return kind;
  };
  const skipped = new Set<Node>();
  const candidates: { p: ASTPath<any>; kind: 'session' | undefined }[] = [];
  for (const s of dropped)
    j(s)
      .find(j.CallExpression)
      .forEach((p: ASTPath<any>) => {
        const verdict = judge(p);
        if (verdict === 'skip') skipped.add(p.node);
        else candidates.push({ p, kind: verdict });
      });
  const work = new Set<string>();
  const ended = new Set<string>();
  for (const { p, kind } of candidates)
    if (!feedsOnly(j, p, skipped, more.fn)) (kind === 'session' ? ended : work).add(j(p.node.callee).toSource());
  return { work: [...work], ended: [...ended] };
}

/**
 * `const store = authContext.getStore(); sessions.create(sid, store?.clientId)`: a value read only for the session's
 * own bookkeeping goes with it. True when the call initialises a local whose every use is an argument of a call
 * judged bookkeeping (`skipped`).
 */
function feedsOnly(j: JSCodeshift, p: ASTPath<any>, skipped: Set<Node>, fn: Node | undefined): boolean {
  let holder: ASTPath<any> = p.parent;
  if (holder?.node.type === 'AwaitExpression') holder = holder.parent;
  const d = holder?.node;
  if (
    d?.type !== 'VariableDeclarator' ||
    d.id.type !== 'Identifier' ||
    d.init !== (holder === p.parent ? p.node : p.parent.node)
  )
    return false;
  // A declaration that is itself a dropped statement has no parent in the walk that found it: its function is the scope.
  const scope = holder.parent?.parent ?? fn;
  if (!scope) return false;
  const uses = j(scope)
    .find(j.Identifier, { name: d.id.name })
    .filter((u: ASTPath<any>) => isValueReference(u) && u.node !== d.id);
  return uses.size() > 0 && uses.every((u: ASTPath<any>) => argumentOfSkipped(u, skipped));
}

/** Is the reference (or an expression built from it) an argument of one of the `skipped` calls? */
function argumentOfSkipped(u: ASTPath<any>, skipped: Set<Node>): boolean {
  for (let child: ASTPath<any> = u, cur = u.parent; cur; child = cur, cur = cur.parent) {
    const n = cur.node;
    if (n.type === 'CallExpression' && n.arguments.includes(child.node)) return skipped.has(n);
    if (/Statement$|Function|Declarator$/.test(n.type)) return false;
  }
  return false;
}

/** `sessions.set(id, { transport, keyHash: hash(key) })`: a call building the value a session record stores is the
 * record's bookkeeping too. */
function inStoredValue(p: ASTPath<any>): boolean {
  for (let cur: ASTPath<any> | null = p.parent; cur && !/Statement$/.test(cur.node.type); cur = cur.parent) {
    const n = cur.node;
    if (
      n.type === 'CallExpression' &&
      /MemberExpression$/.test(n.callee.type) &&
      STORE_METHODS.test(n.callee.property?.name ?? '')
    )
      return true;
  }
  return false;
}

/**
 * Is the call inside a teardown callback: a session's (`onclose`, `onsessionclosed`) or the response's
 * (`res.on('close', …)`)?
 */
function teardownKind(p: ASTPath<any>): 'session' | 'response' | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (!/Function/.test(n.type)) continue;
    const parent = cur.parent?.node;
    const key = (k: Node) => k?.name ?? k?.value;
    if (/Property$/.test(parent?.type) && /^(?:onclose|onsessionclosed)$/.test(key(parent.key) ?? '')) return 'session';
    if (parent?.type === 'AssignmentExpression' && /MemberExpression$/.test(parent.left.type))
      if (/^(?:onclose|onsessionclosed)$/.test(parent.left.property?.name ?? '')) return 'session';
    if (parent?.type === 'CallExpression' && /MemberExpression$/.test(parent.callee.type))
      if (/^(?:on|once)$/.test(parent.callee.property?.name) && /^(?:close|finish)$/.test(parent.arguments[0]?.value))
        return 'response';
  }
  return undefined;
}

/**
 * `res.on('close', () => { transport.close(); server.close(); meter.stop(tenant) })`: the response still closes, once
 * per request now, so what the callback does besides ending the session stays in it (a `meter.start(tenant)` kept
 * above it keeps its pair); the callback loses the session's teardown, and goes whole when that was all it did.
 */
export function keepOwnCloseWork(ctx: EntryContext, statements: Node[], response: string, session: Set<string>): void {
  const { j } = ctx;
  for (const s of statements) {
    // In a `try` around the serving code, as the SDK's stateless example writes it.
    if (s.type === 'TryStatement' || s.type === 'BlockStatement') {
      keepOwnCloseWork(ctx, s.type === 'TryStatement' ? s.block.body : s.body, response, session);
      continue;
    }
    const call = s.type === 'ExpressionStatement' ? s.expression : undefined;
    const callee = call?.type === 'CallExpression' ? call.callee : undefined;
    const onClose =
      callee?.type === 'MemberExpression' &&
      callee.object.type === 'Identifier' &&
      callee.object.name === response &&
      /^(?:on|once)$/.test(callee.property?.name ?? '') &&
      call.arguments[0]?.value === 'close';
    const callback = onClose ? call.arguments[1] : undefined;
    if (!/Function/.test(callback?.type ?? '') || callback.body.type !== 'BlockStatement') continue;
    // Locals the teardown declared (`const id = transport.sessionId`) go with it: what reads one is teardown too.
    const ended = new Set(session);
    let own: Node[] = [];
    for (let grew = true; grew;) {
      grew = false;
      own = callback.body.body.filter((st: Node) => !mentions(j, st, ended));
      for (const st of callback.body.body)
        if (!own.includes(st) && st.type === 'VariableDeclaration')
          for (const d of st.declarations)
            if (d.id.type === 'Identifier' && !ended.has(d.id.name)) {
              ended.add(d.id.name);
              grew = true;
            }
    }
    if (own.length && own.length < callback.body.body.length) callback.body.body = own;
  }
}

/** The note for a session close callback's own calls (`ended`, from userWorkIn's teardown reading), which went. */
export function teardownWorkMessage(ended: string[]): string {
  return (
    `a session's close callback here also called ${namedCalls(ended)}; ` +
    'with no sessions it went with the transport and no longer runs: if that work still matters (a counter or ' +
    'resource started per session), end it where it starts, per request or per handle (SEP-2567)'
  );
}

/** The marker text for session code whose calls (`lost`, from userWorkIn) a stateless handler would drop. */
export function sessionWorkMessage(lost: string[]): string {
  return (
    `the session code here also does work of its own (${namedCalls(lost)}), ` +
    'which a stateless handler would drop: move it into the server factory, a tool or a handle (SEP-2567), then rerun'
  );
}

/** The first three of the calls a marker names (`usage.flush, meter.stop, …`), each as one line of code. */
export function namedCalls(calls: string[]): string {
  const named = calls.slice(0, 3).map(c => c.replace(/\s*\n\s*/g, ''));
  return `${named.join(', ')}${calls.length > 3 ? ', …' : ''}`;
}
