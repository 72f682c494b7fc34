/**
 * Where a server→client request outside every handler of the file runs, which decides what its marker tells the
 * user. Code with no client request behind it at all (start-up, a timer, an event listener, a hook such as
 * `oninitialized`) may not ask the client anything on 2026-07-28 (SEP-2260). A function of its own (a declaration,
 * a method, a function kept in a variable or property) is a helper: the tools that call it run inside a request,
 * so the request can become an `inputRequired` round, but only in the tool, which must return it. Telling the user a
 * helper runs "outside a client request" sends them to drop a feature that has a 2026 form.
 */
import type { ASTPath } from 'jscodeshift';
import { enclosingFunctionPath } from '../kit/ast.js';

type Node = any;

/** Calls whose callback runs later, with no client request behind it. */
// `whenClientKnown(server, hook)` (request-envelope's carried `oninitialized` hook) runs before a request's handler.
const DEFERRING_FUNCTIONS = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'nextTick',
  'whenClientKnown'
]);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'addEventListener', 'prependListener']);
/**
 * A client notification's handler (`server.server.setNotificationHandler(RootsListChangedNotificationSchema, …)`): a
 * notification is no request, so there is nothing to return an input round on.
 */
const NOTIFICATION_HANDLERS = new Set(['setNotificationHandler']);

export type RequestOrigin = 'no-request' | 'helper';

export function requestOrigin(p: ASTPath<any>): RequestOrigin {
  for (let cur = enclosingFunctionPath(p); cur; cur = enclosingFunctionPath(cur)) {
    const fn = cur.node;
    const parent = cur.parent?.node;
    if (parent?.type === 'CallExpression' && parent.arguments.includes(fn)) {
      if (isDeferring(parent.callee)) return 'no-request';
      // A callback of anything else (`.then`, `.map`, a wrapper) runs when its enclosing code does: look further out.
      continue;
    }
    // `x.oninitialized = () => …`, `transport.onclose = …`: hooks the SDK or a transport calls, not a handler.
    if (parent?.type === 'AssignmentExpression' && parent.right === fn && /^on[a-z]/.test(memberName(parent.left)))
      return 'no-request';
    return 'helper';
  }
  return 'no-request';
}

/** A call that runs a function handed to it later: a timer, a listener, a client notification's handler. */
export function isDeferring(callee: Node): boolean {
  if (callee?.type === 'Identifier') return DEFERRING_FUNCTIONS.has(callee.name);
  const name = memberName(callee);
  return DEFERRING_FUNCTIONS.has(name) || LISTENER_METHODS.has(name) || NOTIFICATION_HANDLERS.has(name);
}

/** The property a member expression names (`server.oninitialized`, `emitter?.on`), or '' for anything else. */
function memberName(node: Node): string {
  if (node?.type !== 'MemberExpression' && node?.type !== 'OptionalMemberExpression') return '';
  return node.property?.name ?? node.property?.value ?? '';
}
