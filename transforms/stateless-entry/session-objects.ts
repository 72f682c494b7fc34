/**
 * Objects that kept the sessions' books: `const sessionManager = SessionManager.getInstance(timeout)`, built for the
 * session callbacks and routes the entry rewrite removed. Read before the rewrite and by nothing after it, one goes
 * (with the comment describing it and, through noteNamesIn, the imports only it used), and so does the module's own
 * class it was built from once nothing else names it: with no sessions there is nothing to manage, and left behind it
 * is an unused local (TS6133) that still starts its sweep timers. One the user had left unread is theirs and stays.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isValueReference, removeStatement } from '../kit/ast.js';
import { SESSION_COMMENT, noteNamesIn, type EntryContext } from './entry-context.js';

type Node = any;

/** A name (of a variable, or of what builds it) that says it is the sessions'. */
export const SESSION_NAME = /session/i;

/** The declarations of session objects something reads now, before the rewrite. */
export function sessionObjectsInUse(ctx: EntryContext): Set<Node> {
  const { j } = ctx;
  return new Set(
    sessionObjects(ctx)
      .filter(p => readers(j, p) > 0)
      .map(p => p.node)
  );
}

/** Removes the declarations of `inUse` that nothing reads once the entry is rewritten. */
export function removeUnreadSessionObjects(ctx: EntryContext, inUse: Set<Node>): void {
  const { j } = ctx;
  const built = new Set<string>();
  for (const p of sessionObjects(ctx)) {
    if (!inUse.has(p.node) || readers(j, p) > 0) continue;
    noteNamesIn(ctx, p.node);
    const init = p.node.init;
    if (init.type === 'NewExpression' && init.callee.type === 'Identifier') built.add(init.callee.name);
    removeStatement(j, p.parent, SESSION_COMMENT);
    ctx.changed = true;
  }
  for (const name of built) removeUnbuiltClass(ctx, name);
}

/** The module's own class of a removed session object (`class SessionSweeper`), once nothing else names it. */
function removeUnbuiltClass(ctx: EntryContext, name: string): void {
  const { j, root } = ctx;
  const declared = root
    .find(j.ClassDeclaration, { id: { name } })
    .filter((c: ASTPath<any>) => c.parent?.node.type === 'Program');
  if (declared.size() !== 1) return;
  const own = declared.get();
  const named = root
    .find(j.Identifier, { name })
    .some((r: ASTPath<any>) => r.node !== own.node.id && !j(r).closest(j.ImportDeclaration).size());
  if (named) return;
  noteNamesIn(ctx, own.node);
  removeStatement(j, own, SESSION_COMMENT);
}

/** `const <…session…> = build(…)` / `new …(…)`, one declarator to its statement, not exported. */
function sessionObjects(ctx: EntryContext): ASTPath<any>[] {
  const { j, root } = ctx;
  return root
    .find(j.VariableDeclarator)
    .filter((p: ASTPath<any>) => {
      const { id, init } = p.node;
      if (id.type !== 'Identifier' || !SESSION_NAME.test(id.name)) return false;
      if (!/^(?:CallExpression|NewExpression)$/.test(init?.type)) return false;
      const statement = p.parent;
      return (
        statement.node.declarations.length === 1 &&
        /^(?:Program|BlockStatement)$/.test(statement.parent?.node.type ?? '')
      );
    })
    .paths();
}

/** References to the declared name in the block that declares it, other than the declaration itself. */
function readers(j: JSCodeshift, p: ASTPath<any>): number {
  const name = p.node.id.name;
  return j(p.parent.parent)
    .find(j.Identifier, { name })
    .filter((r: ASTPath<any>) => r.node !== p.node.id && isValueReference(r))
    .size();
}
