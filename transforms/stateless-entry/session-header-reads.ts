/**
 * Where a route reads the session it belongs to: `const sessionId = req.headers['mcp-session-id']`, Hono's
 * `c.req.header('mcp-session-id')`. The name it reads into is session plumbing wherever it is used, and goes when
 * nothing reads it any more.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isValueReference, removeStatement } from '../kit/ast.js';
import { SESSION_COMMENT, type EntryContext } from './entry-context.js';

type Node = any;

export const SESSION_HEADER = /mcp-session-id/i;

/** The first statement of `statements` declaring (alone) a name read from the session header. */
export function sessionIdDeclared(j: JSCodeshift, statements: Node[]): { name: string; statement: Node } | undefined {
  for (const s of statements) {
    if (s.type !== 'VariableDeclaration' || s.declarations.length !== 1) continue;
    const d = s.declarations[0];
    if (d.id.type === 'Identifier' && d.init && SESSION_HEADER.test(j(d.init).toSource()))
      return { name: d.id.name, statement: s };
  }
  return undefined;
}

/**
 * The session reads of the functions around `fn` (the route's callback around the function that serves:
 * `const serve = async () => { … getSessionTransport(sessionId) … }`), with the paths of their statements.
 */
export function sessionHeadersAround(ctx: EntryContext, fn: ASTPath<any>): { name: string; statement: ASTPath<any> }[] {
  const { j } = ctx;
  const found: { name: string; statement: ASTPath<any> }[] = [];
  for (let cur: ASTPath<any> | null = fn.parent; cur; cur = cur.parent) {
    const block = cur.node.body;
    if (!/Function/.test(cur.node.type) || block?.type !== 'BlockStatement') continue;
    const read = sessionIdDeclared(j, block.body);
    if (read) found.push({ name: read.name, statement: cur.get('body', 'body', block.body.indexOf(read.statement)) });
  }
  return found;
}

/** The session reads around the serving function go once the rewrite left nothing reading them. */
export function removeUnreadSessionHeaders(ctx: EntryContext, fn: ASTPath<any>): void {
  const { j } = ctx;
  for (const { name, statement } of sessionHeadersAround(ctx, fn)) {
    const read = j(statement.parent)
      .find(j.Identifier, { name })
      .some((p: ASTPath<any>) => isValueReference(p) && p.parent.node !== statement.node.declarations[0]);
    if (!read) removeStatement(j, statement, SESSION_COMMENT);
  }
}
