/**
 * An object only the session code uses: `const sessionManager = SessionManager.getInstance(ms)`, opened per session in
 * `onsessioninitialized` (`sessionManager.createSession(sid, clientId)`), checked by the session lookup, ended by the
 * DELETE route and the expiry hook. Named for the sessions (or built by something that is), its calls in the code the
 * entry rewrite drops keep the sessions' books: with the sessions gone, nothing else would ever read what they wrote.
 * An object some other code reads (`app.get('/stats', (_q, res) => res.json(sessionLedger.summary()))`), or one named
 * for something else (an analytics client that sends what it tracks), is the user's, and a call on it is work.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { isValueReference, mentions } from '../kit/ast.js';
import { SESSION_HEADER } from './session-header-reads.js';
import { SESSION_NAME } from './session-objects.js';

type Node = any;

/**
 * Is every use of the variable `name` the `call` is made on (a `const` / `let` of this file) in session code: inside the
 * `dropped` statements, or in a statement that names the session plumbing (`sessionCode`) or the session header and
 * does not hold the route being rewritten (`routeNode`)?
 */
export function onlySessionCodeUses(
  j: JSCodeshift,
  root: Collection<any>,
  call: Node,
  name: string,
  dropped: Node[],
  sessionCode: Set<string>,
  routeNode: Node
): boolean {
  // The calls judged come from statements taken out of the tree: their variable is found by name and place, the
  // innermost declaration whose block holds the call.
  const inside = (n: Node, outer: Node) => n.start >= outer.start && n.end <= outer.end;
  const holding = root
    .find(j.VariableDeclarator, { id: { type: 'Identifier', name } })
    .filter((d: ASTPath<any>) => !!d.parent?.parent?.node && inside(call, d.parent.parent.node))
    .paths()
    .sort((a: ASTPath<any>, b: ASTPath<any>) => a.parent.parent.node.start - b.parent.parent.node.start);
  const declarator = holding[holding.length - 1];
  if (!declarator) return false;
  // Named for the sessions, or built by something that is: an `analytics` client used only when a session opens
  // still sends what it tracks somewhere, and is the user's work.
  const init: Node = declarator.node.init;
  if (!SESSION_NAME.test(name) && !(init && SESSION_NAME.test(j(init.callee ?? init).toSource()))) return false;
  const block = declarator.parent.parent.node;
  const uses = root
    .find(j.Identifier, { name })
    .filter((r: ASTPath<any>) => isValueReference(r) && r.node !== declarator.node.id && inside(r.node, block));
  return uses.every((r: ASTPath<any>) => {
    if (dropped.some(s => inside(r.node, s))) return true;
    for (let cur: ASTPath<any> | null = r.parent; cur; cur = cur.parent) {
      const n = cur.node;
      if (!/Statement$|Declaration$/.test(n.type) || inside(routeNode, n)) continue;
      if (mentions(j, n, sessionCode) || SESSION_HEADER.test(j(n).toSource())) return true;
    }
    return false;
  });
}
