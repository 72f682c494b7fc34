/**
 * `response.body.pipeTo(writable).finally(() => transport.close())`: a per-request transport closed once the
 * response body has drained (fetch-style routes stream the body through their own TransformStream for this). Under
 * createMcpHandler the handler owns the transport's lifetime, so the chain link that only ends the plumbing goes and
 * the rest of the chain (the body's passthrough, its `.catch`) stays as the route's own code. Without this the whole
 * statement would go with the plumbing, and with it the route's streaming of the response.
 */
import type { ASTPath } from 'jscodeshift';
import { mentions } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

/** Drops such links inside `fn`; the returned function puts them back (for a rewrite that then gives up). */
export function dropLifecycleLinks(ctx: EntryContext, fn: ASTPath<any>, plumbing: Set<string>): () => void {
  const { j } = ctx;
  const dropped: { path: ASTPath<any>; link: Node }[] = [];
  j(fn)
    .find(j.CallExpression)
    .filter((p: ASTPath<any>) => isLifecycleLink(ctx, p.node, plumbing))
    .forEach((p: ASTPath<any>) => {
      dropped.push({ path: p, link: p.node });
      p.replace(p.node.callee.object);
    });
  return () => {
    for (const { path, link } of dropped.reverse()) path.replace(link);
  };
}

/** `<chain>.finally(() => transport.close())`: a `finally` whose callback does nothing but end the plumbing. */
function isLifecycleLink(ctx: EntryContext, call: Node, plumbing: Set<string>): boolean {
  const callee = call.callee;
  if (callee?.type !== 'MemberExpression' || callee.computed || callee.property?.name !== 'finally') return false;
  // The chain must be the route's own (a stream, a promise of its own), not the plumbing itself.
  if (mentions(ctx.j, callee.object, plumbing)) return false;
  const [callback] = call.arguments;
  if (call.arguments.length !== 1 || !/^(?:Arrow)?FunctionExpression$/.test(callback?.type)) return false;
  if (callback.params.length > 0) return false;
  const body = callback.body;
  const expressions =
    body.type === 'BlockStatement'
      ? body.body.map((s: Node) => (s.type === 'ExpressionStatement' ? s.expression : undefined))
      : [body];
  return expressions.length > 0 && expressions.every((e: Node) => endsPlumbing(e, plumbing));
}

/** `transport.close()`, `await server.close()`, `void transport.close().catch(() => {})`. */
function endsPlumbing(expression: Node, plumbing: Set<string>): boolean {
  let e = expression;
  while (e && (e.type === 'AwaitExpression' || (e.type === 'UnaryExpression' && e.operator === 'void'))) e = e.argument;
  // `.catch(…)` on the close: still only the close.
  while (e?.type === 'CallExpression' && e.callee?.type === 'MemberExpression' && e.callee.property?.name === 'catch')
    e = e.callee.object;
  if (e?.type !== 'CallExpression' || e.callee?.type !== 'MemberExpression') return false;
  const method = e.callee.property?.name;
  const owner = e.callee.object;
  return /^(?:close|terminate)$/.test(method) && owner?.type === 'Identifier' && plumbing.has(owner.name);
}
