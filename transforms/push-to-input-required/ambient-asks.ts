/**
 * The per-file side of ambient-plan.ts. A question the rewrite cannot hand back to a tool (it is asked in a method
 * of a tool class, a service the tools share, a callback) is asked in the round of the tool call it runs in instead:
 * `await this.server.server.elicitInput(params, options)` → `await elicitInRound(params)`, the same promise of the
 * same result. The file that builds the server opens those rounds: `askingInRounds(new McpServer(…))`.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { callableName, enclosingFunctionPath, moduleLevelFunction, nameChainText } from '../kit/ast.js';
import { requireSource } from '../kit/commonjs.js';
import { ownMethodAround } from '../kit/own-methods.js';
import type { TextEdit } from '../kit/text-edits.js';
import { insideRequestHandler } from '../kit/tool-registrations.js';
import { isDeferring, requestOrigin } from './request-origin.js';

type Node = any;

/** The mcp-input-rounds.ts function that asks for each kind of question in the current round. */
export const IN_ROUND: Record<string, string> = {
  elicit: 'elicitInRound',
  elicitUrl: 'elicitInRound',
  sampling: 'createMessageInRound',
  roots: 'listRootsInRound'
};
export const OPENS_ROUNDS = 'askingInRounds';

export const AMBIENT_NOTE =
  'asked in the round of the tool call this code runs in (the server is built with askingInRounds): 2026-07-28 ' +
  'has no server→client requests, so the call returns inputRequired(...) here and the client retries it with the ' +
  'answer; the tool runs again from the top, so work it does before this question runs again';

export const OUTSIDE_TODO =
  'asked in the round of the tool call this code runs in (the server is built with askingInRounds), and the retry runs ' +
  'the tool again from the top; but other code may call this outside a tool call (a hook, a test, another module), ' +
  "where there is no round and it throws, while v1's request still reached a 2025 client: check its callers, and ask " +
  'such things inside a tool call';

export const OUTSIDE_AS_V1_NOTE =
  `${AMBIENT_NOTE}. Other code may call this outside a tool call (a hook, a test, another module): there it asks ` +
  'through the server as v1 did, which only a 2025-era client can answer';

/** v1's request methods a server (or v2's request context) still has, which the rounds module asks as v1 did. */
const ASKS_AS_V1 = new Set(['elicitInput', 'createMessage', 'listRoots']);

/**
 * The server a request asks through (`this.server.server` of `this.server.server.elicitInput(…)`), as written, where
 * the rounds module can ask through it as v1 did outside a tool call: a chain of names (evaluated after the arguments
 * instead of before, with no effect to reorder), calling one of v1's request methods. Not a URL elicitation: its
 * round form drops the elicitationId v1's request needs.
 */
export function v1AskerOf(src: string, call: Node, url: boolean): string | undefined {
  const callee = call.callee;
  if (url || callee?.type !== 'MemberExpression' || callee.computed) return undefined;
  // v1's request methods, or its Protocol.request sending the same request on the wire
  // (`server.server.request({ method: 'roots/list' }, ListRootsResultSchema)`): the server has both.
  const wire = callee.property?.name === 'request' && call.arguments[0]?.type === 'ObjectExpression';
  if (!wire && !ASKS_AS_V1.has(callee.property?.name)) return undefined;
  return nameChainText(src, callee.object);
}

export const OPENS_NOTE =
  'the tools of this server answer in rounds (SEP-2322): a question the code they call asks (elicitInRound, ' +
  'createMessageInRound, listRootsInRound) ends the call with inputRequired(...), and the retry carries the answer';

/**
 * Is the function asking at `call` also run where no tool call is behind it: called in this file from a hook, a timer
 * or a listener (`oninitialized`, `setInterval`), or from the handler of another request (`resources/subscribe`), or
 * itself the code that connects the server?
 * There it has no round to ask in, and v1's request still reached a 2025 client.
 */
export function askedOutsideTools(
  j: JSCodeshift,
  root: Node,
  call: ASTPath<any>,
  inTool: (p: ASTPath<any>) => boolean
): boolean {
  if (askedAtStartUp(j, call)) return true;
  const fn = enclosingFunctionPath(call);
  const name = fn && callableName(fn);
  if (!name) return false;
  let outside = false;
  root.find(j.CallExpression).forEach((p: ASTPath<any>) => {
    if (outside) return;
    const callee = p.node.callee;
    const called = calledName(callee);
    // Handed by name to a timer, a listener or a notification handler (`setNotificationHandler(…, requestRoots)`).
    if (
      isDeferring(callee) &&
      p.node.arguments.some((a: Node) => (a.type === 'Identifier' ? a.name : a.property?.name) === name)
    )
      outside = true;
    if (called !== name || inTool(p)) return;
    if (requestOrigin(p) === 'no-request' || insideRequestHandler(p)) outside = true;
  });
  return outside;
}

/** Is `call` in the code that connects the server (a session's `connect`, a constructor): start-up, never a tool call? */
export function askedAtStartUp(j: JSCodeshift, call: ASTPath<any>): boolean {
  const fn = enclosingFunctionPath(call);
  return !!fn && (fn.node.kind === 'constructor' || connectsSomething(j, fn.node));
}

/**
 * The calls, in this file, of the function asking at `call` where a tool call may be behind them: from a tool, or
 * from code of the module that no hook, timer or other request's handler runs (`getContext()` a tool awaits).
 * Undefined when the function has no name to be called by.
 */
export function callsBelowTools(
  j: JSCodeshift,
  root: Node,
  call: ASTPath<any>,
  inTool: (p: ASTPath<any>) => boolean
): ASTPath<any>[] | undefined {
  const fn = enclosingFunctionPath(call);
  const name = fn && callableName(fn);
  if (!name) return undefined;
  return root
    .find(j.CallExpression)
    .filter((p: ASTPath<any>) => {
      if (calledName(p.node.callee) !== name || enclosingFunctionPath(p)?.node === fn.node) return false;
      // A class's method is called on `this` (another object's method of that name is another function), a
      // function by its name.
      const member = p.node.callee.type === 'MemberExpression';
      if (/^Class(?:Private)?Method$/.test(fn.node.type) ? p.node.callee.object?.type !== 'ThisExpression' : member)
        return false;
      return inTool(p) || (requestOrigin(p) === 'helper' && !insideRequestHandler(p));
    })
    .paths();
}

/**
 * May code other than the tools call the function asking at `call`: a public method of a class other modules can
 * reach, or an exported function? Outside a tool call there is no round to ask in, so its callers need a look (a
 * private method, or a function of the module's own, is called where the module says).
 */
export function callableFromOutside(j: JSCodeshift, call: ASTPath<any>): boolean {
  for (let cur: ASTPath<any> | null = call.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (!/^Class(?:Private)?Method$/.test(n.type)) continue;
    if (n.accessibility === 'protected') return false;
    return !ownMethodAround(j, cur.get('body'));
  }
  return !!moduleLevelFunction(call)?.exported;
}

/**
 * Is the answer at `call` waited for: awaited, or returned (from an arrow's body too) for the caller to await? A
 * request sent and left to run (`void ask(…).catch(…)`, a nudge that "never blocks the tool") has no 2026 form:
 * asked in a round it would hold the tool's own result back until the user answered.
 */
export function answerAwaited(call: ASTPath<any>): boolean {
  const parent = call.parent?.node;
  if (parent?.type === 'AwaitExpression' || parent?.type === 'ReturnStatement') return true;
  return /^ArrowFunctionExpression$/.test(parent?.type) && parent.body === call.node;
}

function connectsSomething(j: JSCodeshift, fn: Node): boolean {
  return (
    j(fn.body)
      .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'connect' } } })
      .filter((p: ASTPath<any>) => p.node.arguments.length > 0).length > 0
  );
}

const SERVER_CLASS = /^(?:McpServer|Server)$/;

/** `new McpServer(…)` / `new Server(…)` of the SDK (`via` a re-exporting module), not yet handed to askingInRounds. */
export function serverConstructions(j: JSCodeshift, root: Node, via: string[] = []): Node[] {
  const sdkClasses = new Set<string>();
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    const source = String(p.node.source.value);
    // The SDK's package, or a module of the project re-exporting its server class (the plan names those).
    if (source !== '@modelcontextprotocol/server' && !via.includes(source)) return;
    for (const s of p.node.specifiers ?? []) {
      const imported = s.imported?.name;
      if (s.type === 'ImportSpecifier' && (imported === 'McpServer' || imported === 'Server'))
        sdkClasses.add(s.local?.name ?? imported);
    }
  });
  // CommonJS: `const { McpServer } = require(…)`, and a compiled module's namespace (`new mcp_js_1.McpServer(…)`).
  const namespaces = new Set<string>();
  for (const s of root.get().node.program?.body ?? []) {
    if (requireSource(s) !== '@modelcontextprotocol/server') continue;
    const { id, init } = s.declarations[0];
    if (init.type === 'MemberExpression') {
      if (SERVER_CLASS.test(init.property?.name ?? '') && id.type === 'Identifier') sdkClasses.add(id.name);
    } else if (id.type === 'Identifier') namespaces.add(id.name);
    else if (id.type === 'ObjectPattern')
      for (const prop of id.properties)
        if (SERVER_CLASS.test(prop.key?.name ?? '') && prop.value?.type === 'Identifier')
          sdkClasses.add(prop.value.name);
  }
  if (sdkClasses.size === 0 && namespaces.size === 0) return [];
  const found: Node[] = [];
  root.find(j.NewExpression).forEach((p: ASTPath<any>) => {
    const callee = p.node.callee;
    const named = callee.type === 'Identifier' && sdkClasses.has(callee.name);
    const fromNamespace =
      callee.type === 'MemberExpression' &&
      callee.object.type === 'Identifier' &&
      namespaces.has(callee.object.name) &&
      SERVER_CLASS.test(callee.property?.name ?? '');
    if (!named && !fromNamespace) return;
    const parent = p.parent?.node;
    if (parent?.type === 'CallExpression' && parent.callee.type === 'Identifier' && parent.callee.name === OPENS_ROUNDS)
      return;
    found.push(p);
  });
  return found;
}

/** `askingInRounds(` … `)` around a construction. */
export function openingEdits(construction: ASTPath<any>): TextEdit[] {
  const n = construction.node;
  return [
    { start: n.start, end: n.start, text: `${OPENS_ROUNDS}(` },
    { start: n.end, end: n.end, text: ')' }
  ];
}

export const CAPABILITIES_IN_ROUND = 'clientCapabilitiesInRound';

/**
 * `x.getClientCapabilities()` where no handler context is at hand (the check before a question, in the same code):
 * on 2026-07-28 the client's capabilities come with each request, so they are read from the current tool call's
 * round, and from `x` for a 2025 client.
 */
export function capabilityReadEdits(
  j: JSCodeshift,
  root: Node,
  src: string,
  inHandler: (p: ASTPath<any>) => boolean
): TextEdit[] {
  const edits: TextEdit[] = [];
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'getClientCapabilities' } } })
    .forEach((p: ASTPath<any>) => {
      if (p.node.arguments.length > 0 || inHandler(p)) return;
      const receiver = p.node.callee.object;
      edits.push({
        start: p.node.start,
        end: p.node.end,
        text: `${CAPABILITIES_IN_ROUND}(${src.slice(receiver.start, receiver.end)})`
      });
    });
  return edits;
}

/** The name a call calls by: `f(…)`, `x.f(…)`, `this.f(…)`. */
function calledName(callee: Node): string | undefined {
  if (callee.type === 'Identifier') return callee.name;
  return callee.type === 'MemberExpression' ? callee.property?.name : undefined;
}
