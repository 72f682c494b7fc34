/**
 * A hook that ran once the client had initialized and asks the client something there (a filesystem server reading
 * its roots: `server.server.oninitialized = async () => { … await server.server.listRoots() … }`, or the same as the
 * `notifications/initialized` handler) has neither its moment nor a way to ask on 2026-07-28: there is no initialize,
 * and a client is only asked inside a client request. It becomes `beforeFirstToolCall(server.server, hook)`
 * (mcp-input-rounds.ts): the same function, run at the start of the first tool call of its server instance, where
 * what it asks is asked in that call's round.
 *
 * Carried only where the hook waits for every question it asks (in its own body, or in a function of the module it
 * awaits), is assigned once and never read back, and is a plain function of no `this`: a request left to run
 * (`void refresh()`) would ask while the tool's own code runs.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { enclosingFunctionPath, isFunction, nameChainText } from '../kit/ast.js';
import type { TextEdit } from '../kit/text-edits.js';
import { answerAwaited } from './ambient-asks.js';
import { isDeferring } from './request-origin.js';

type Node = any;

export const BEFORE_FIRST_CALL = 'beforeFirstToolCall';
const INITIALIZED = 'notifications/initialized';
const ROOTS_CHANGED = 'notifications/roots/list_changed';

export const FIRST_CALL_NOTE =
  'this ran once the client had initialized, and asks the client there; 2026-07-28 has no initialize and asks a client ' +
  "only inside a request, so it runs at the start of the first tool call of this server instance, in that call's " +
  'round (once per connection under serveStdio, on every request under createMcpHandler, where each request gets a ' +
  'server of its own); a resource or prompt read before any tool call runs without it';

export const ROOTS_CHANGED_NOTE =
  'only a 2025-era client sends notifications/roots/list_changed (2026-07-28 removed it): it is asked as v1 did; a ' +
  '2026-07-28 client is asked for its roots by the first tool call (beforeFirstToolCall), and roots it changes later ' +
  'reach this server instance only through a new one';

export interface FirstCallHook {
  /** The assignment or the handler registration that sets the hook. */
  site: ASTPath<any>;
  /** The hook function, run as it was. */
  fn: Node;
  /** The server it was set on, as written (`server.server`). */
  receiver: string;
  /** Functions of the module the hook awaits that ask the client themselves. */
  helpers: Set<Node>;
  edits: TextEdit[];
}

/** The hooks of the file that ask the client (`asks`: the paths of the file's server→client requests). */
export function firstCallHooks(j: JSCodeshift, root: Node, src: string, asks: ASTPath<any>[]): FirstCallHook[] {
  const found: FirstCallHook[] = [];
  const consider = (at: ASTPath<any>, receiverNode: Node, fn: Node, params: number) => {
    const site = at.node;
    const receiver = nameChainText(src, receiverNode);
    if (!receiver || !isFunction(fn) || fn.generator || fn.params.length > params) return;
    if (fn.type === 'FunctionExpression' && j(fn.body).find(j.ThisExpression).size() > 0) return;
    const asked = asksOf(j, root, fn, asks);
    if (!asked) return;
    found.push({
      site: at,
      fn,
      receiver,
      helpers: asked,
      edits: [
        { start: site.start, end: fn.start, text: `${BEFORE_FIRST_CALL}(${receiver}, ` },
        { start: fn.end, end: site.end, text: ')' }
      ]
    });
  };
  root
    .find(j.AssignmentExpression, { left: { type: 'MemberExpression', property: { name: 'oninitialized' } } })
    .forEach((p: ASTPath<any>) => {
      const statement = p.parent?.node;
      if (statement?.type !== 'ExpressionStatement' || p.node.operator !== '=') return;
      // Read back or set twice (`const previous = x.oninitialized`, chained hooks): its other uses decide.
      if (root.find(j.MemberExpression, { property: { name: 'oninitialized' } }).size() !== 1) return;
      consider(p, p.node.left.object, p.node.right, 0);
    });
  for (const p of notificationHandlers(j, root, INITIALIZED)) {
    const fn = p.node.arguments[1];
    const unread = fn?.params?.every(
      (param: Node) => param.type === 'Identifier' && j(fn.body).find(j.Identifier, { name: param.name }).size() === 0
    );
    if (unread) consider(p, p.node.callee.object, fn, 1);
  }
  return found;
}

/** The hook whose own body runs `p` (through callbacks run in place, not ones run later), if any. */
export function hookRunning(p: ASTPath<any>, hooks: FirstCallHook[]): FirstCallHook | undefined {
  return hooks.find(h => runsWithin(p, h.fn));
}

/** Does `p` run while function `top` runs: in its body, or in a callback it runs in place (not a timer's, a listener's)? */
function runsWithin(p: ASTPath<any>, top: Node): boolean {
  for (let cur = enclosingFunctionPath(p); cur; cur = enclosingFunctionPath(cur)) {
    if (cur.node === top) return true;
    const parent = cur.parent?.node;
    if (!(parent?.type === 'CallExpression' && parent.arguments.includes(cur.node)) || isDeferring(parent.callee))
      return false;
  }
  return false;
}

/**
 * The `notifications/roots/list_changed` handler set on the server of a hook, whose own body runs `p`: only a
 * 2025-era client sends it, and its question is asked as v1 did.
 */
export function rootsChangedHandlerRunning(
  j: JSCodeshift,
  root: Node,
  src: string,
  p: ASTPath<any>,
  hooks: FirstCallHook[]
): boolean {
  // Most files carry no hook: no need to look for their handlers, for every question outside a tool.
  const fn = hooks.length ? enclosingFunctionPath(p) : undefined;
  if (!fn) return false;
  return notificationHandlers(j, root, ROOTS_CHANGED).some(
    h => h.node.arguments[1] === fn.node && hooks.some(k => k.receiver === nameChainText(src, h.node.callee.object))
  );
}

/** `x.setNotificationHandler('<method>', fn)` (the surface rewrite names notifications by their method). */
function notificationHandlers(j: JSCodeshift, root: Node, method: string): ASTPath<any>[] {
  return root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'setNotificationHandler' } } })
    .filter((p: ASTPath<any>) => p.node.arguments[0]?.value === method && p.parent?.node.type === 'ExpressionStatement')
    .paths();
}

/**
 * The module functions the hook awaits that ask, when every question runs while the hook waits for it (asked in its
 * body and awaited, or in such a function called and awaited there); undefined when it asks nothing or not so.
 */
function asksOf(j: JSCodeshift, root: Node, fn: Node, asks: ASTPath<any>[]): Set<Node> | undefined {
  const own = asks.filter(a => runsWithin(a, fn));
  if (own.some(a => !answerAwaited(a))) return undefined;
  const helpers = new Set<Node>();
  let unawaited = false;
  // Found from the root, so each call's path leads up through the hook.
  root
    .find(j.CallExpression, { callee: { type: 'Identifier' } })
    .filter((c: ASTPath<any>) => c.node.start >= fn.body.start && c.node.end <= fn.body.end)
    .forEach((c: ASTPath<any>) => {
      const declared = moduleFunction(j, root, c.node.callee.name);
      if (!declared) return;
      const asking = asks.filter(a => runsWithin(a, declared));
      if (asking.length === 0) return;
      if (!answerAwaited(c) || !runsWithin(c, fn) || asking.some(a => !answerAwaited(a))) unawaited = true;
      helpers.add(declared);
    });
  if (unawaited || (own.length === 0 && helpers.size === 0)) return undefined;
  return helpers;
}

/** The module-level function declared under `name` (`function f`, `const f = () => …`). */
function moduleFunction(j: JSCodeshift, root: Node, name: string): Node | undefined {
  for (const s of root.get().node.program.body) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type === 'FunctionDeclaration' && d.id?.name === name) return d;
    if (d?.type !== 'VariableDeclaration') continue;
    for (const v of d.declarations)
      if (v.id.type === 'Identifier' && v.id.name === name && isFunction(v.init)) return v.init;
  }
  return undefined;
}
