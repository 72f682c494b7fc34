/**
 * Debug output that reads the connected server in the request handler (`const tools = Object.keys(server._registeredTools
 * ?? {}); console.error('visible tools', tools)`). Served per request, there is no one instance left to read, and the
 * request's own server is built inside the MCP handler, out of reach. What such a read feeds is a log line, so it reads
 * a server the factory builds for it instead: the output stays, at the cost of one more server when that line runs.
 * Anything else done with the server there (a method call, an assignment, a value that goes further than a log line)
 * is not a read this covers, and still blocks the factory.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { enclosingFunction, isLogCall, isValueReference } from '../kit/ast.js';

type Node = any;

const CASTS = /^(?:TSAsExpression|TSNonNullExpression|TSSatisfiesExpression|TSTypeAssertion|ParenthesizedExpression)$/;

/** Is `use` (the server, in the function that connects it) only read for a log line? */
export function isDebugRead(j: JSCodeshift, use: ASTPath<any>, connect: ASTPath<any>): boolean {
  const fn = enclosingFunction(use);
  if (!fn || fn !== enclosingFunction(connect)) return false;
  // `server._registeredTools`, `server.server.transport`: property reads only, no method of the server called.
  // (`(server as any)._registeredTools`: a cast reads the same server.)
  let cast: ASTPath<any> = use;
  while (CASTS.test(cast.parent?.node.type ?? '')) cast = cast.parent;
  let top: ASTPath<any> = cast;
  while (top.parent?.node.type === 'MemberExpression' && top.parent.node.object === top.node) top = top.parent;
  if (top === cast) return false;
  const holder = top.parent?.node;
  if (holder?.type === 'CallExpression' && holder.callee === top.node) return false;
  if (/^(?:Assignment|Update)Expression$/.test(holder?.type ?? '') || holder?.type === 'UnaryExpression') return false;
  const statement = innermostStatement(j, use);
  if (statement.node.type === 'ExpressionStatement') return insideLogCall(use, statement.node);
  if (statement.node.type !== 'VariableDeclaration' || statement.node.kind !== 'const') return false;
  const names = statement.node.declarations.map((d: Node) => (d.id.type === 'Identifier' ? d.id.name : undefined));
  if (names.some((n: string | undefined) => n === undefined)) return false;
  return names.every((name: string) =>
    j(fn)
      .find(j.Identifier, { name })
      .filter(
        (p: ASTPath<any>) => isValueReference(p) && !(p.parent.node.type === 'VariableDeclarator' && p.name === 'id')
      )
      .every((p: ASTPath<any>) => insideLogCall(p, innermostStatement(j, p).node))
  );
}

/** The statement `p` is part of (`console.error(…)` in `if (debug) console.error(…)`, not the `if`). */
function innermostStatement(j: JSCodeshift, p: ASTPath<any>): ASTPath<any> {
  let cur = p;
  while (cur.parent && !j.Statement.check(cur.node)) cur = cur.parent;
  return cur;
}

/** Is `p` inside the arguments of a log call, below `statement`? */
function insideLogCall(p: ASTPath<any>, statement: Node): boolean {
  for (let cur = p.parent; cur && cur.node !== statement; cur = cur.parent)
    if (isLogCall(cur.node) && cur.node.arguments.some((a: Node) => a.start <= p.node.start && p.node.end <= a.end))
      return true;
  return false;
}

/**
 * The reads point at `call` (the factory's call, valid where the connect was). Returns what puts the server back, for
 * a rewrite that gives up afterwards.
 */
export function readFromFactory(j: JSCodeshift, reads: ASTPath<any>[], call: Node): () => void {
  const originals = reads.map(p => p.node);
  for (const p of reads) p.replace(j.callExpression(call.callee, call.arguments));
  return () => reads.forEach((p, i) => p.replace(originals[i]));
}

export function debugReadMessage(factory: string): string {
  return (
    `this log line read the one server the route connected; each request now has its own, built inside the MCP ` +
    `handler, so it reads one \`${factory}\` builds for it (only when the line runs)`
  );
}
