/**
 * v1's `server.connect(transport)` kept the handlers a transport already had and ran them before its own: code sets
 * `transport.onmessage` before connecting to look at or rewrite each message first (Context7 maps argument aliases
 * this way), or `onclose` / `onerror` to react. serveStdio sets the transport's handlers outright, so served as it is
 * the transport would lose them without a word. These find the handlers the code gives the transport and chain each
 * back, first, as connect did.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { enclosingFunction, uniqueName } from '../kit/ast.js';
import { bindingDeclarator, declaredBy } from './bindings.js';
import type { EntryContext } from './entry-context.js';

export const HANDLERS = ['onmessage', 'onclose', 'onerror'] as const;
type Handler = (typeof HANDLERS)[number];

/**
 * The handlers set on the transport variable `name` (declared in `scope`): assigned in this file, or inside a function
 * of this file it is handed to. Handed to a function this file does not define, it may have any of them.
 */
export function handlersSetOn(ctx: EntryContext, name: string, scope: any, connect: ASTPath<any>): Handler[] {
  const { j, root } = ctx;
  // The variable the connect hands over, not another block's of the same name (ast-types' scopes are per function).
  const own = bindingDeclarator(j, connect, name);
  const same = (p: ASTPath<any>) => p.scope?.lookup(name) === scope && (!own || declaredBy(j, p, name, own.node));
  // A handler set after the connect, in the same straight-line code, replaced connect's in v1 as it replaces
  // serveStdio's now (code that wants both reads the served one first): nothing to chain.
  const connectFn = enclosingFunction(connect);
  const repeated = inLoopWithin(connect, connectFn);
  const later = (p: ASTPath<any>) => !repeated && p.node.start > connect.node.end && enclosingFunction(p) === connectFn;
  const found = new Set<Handler>(assignedHandlers(j, root, name, p => same(p) && !later(p)));
  root
    .find(j.CallExpression)
    .filter((p: ASTPath<any>) => p.node !== connect.node && p.scope?.lookup(name) === scope)
    .forEach((p: ASTPath<any>) => {
      const at = p.node.arguments.findIndex((a: any) => a.type === 'Identifier' && a.name === name);
      if (at < 0 || !same(p.get('arguments', at))) return;
      const param = parameterOf(ctx, p.node.callee, at);
      const set = param ? assignedHandlers(j, j(param.fn), param.name, () => true) : HANDLERS;
      for (const h of set) found.add(h);
    });
  return HANDLERS.filter(h => found.has(h));
}

/** Is `p` inside a loop of the function `fn` (so code after it in the body also runs before it, next time)? */
function inLoopWithin(p: ASTPath<any>, fn: any): boolean {
  for (let cur: ASTPath<any> | null = p; cur && cur.node !== fn; cur = cur.parent)
    if (/^(?:For|ForIn|ForOf|While|DoWhile)Statement$/.test(cur.node.type)) return true;
  return false;
}

function assignedHandlers(j: JSCodeshift, within: any, name: string, sameBinding: (p: ASTPath<any>) => boolean) {
  return within
    .find(j.AssignmentExpression, {
      left: { type: 'MemberExpression', object: { type: 'Identifier', name }, property: { type: 'Identifier' } }
    })
    .filter((p: ASTPath<any>) => HANDLERS.includes(p.node.left.property.name) && sameBinding(p))
    .nodes()
    .map((n: any) => n.left.property.name as Handler);
}

/** `f(…, transport)` where `f` is a function this file declares: that function and its parameter's name. */
function parameterOf(ctx: EntryContext, callee: any, index: number): { fn: any; name: string } | undefined {
  const { j, root } = ctx;
  if (callee.type !== 'Identifier') return undefined;
  const fns = [
    ...root.find(j.FunctionDeclaration, { id: { name: callee.name } }).nodes(),
    ...root
      .find(j.VariableDeclarator, { id: { type: 'Identifier', name: callee.name } })
      .nodes()
      .map((d: any) => d.init)
      .filter((f: any) => f && (f.type === 'ArrowFunctionExpression' || f.type === 'FunctionExpression'))
  ];
  const param = fns.length === 1 ? fns[0].params[index] : undefined;
  return param?.type === 'Identifier' ? { fn: fns[0], name: param.name } : undefined;
}

/**
 * Statements around the serveStdio call: before it, the handlers the transport has; after it, each handler becomes one
 * that runs the transport's own first and then serveStdio's.
 */
export function chainedHandlers(
  ctx: EntryContext,
  transport: string | (() => any),
  handlers: Handler[]
): { before: any[]; after: any[] } {
  const { j, root } = ctx;
  if (handlers.length === 0) return { before: [], after: [] };
  // A variable by its name, or a property (`this.transport`) built anew for each place it is read.
  const held = () => (typeof transport === 'string' ? j.identifier(transport) : transport());
  const member = (h: Handler) => j.memberExpression(held(), j.identifier(h));
  const names = handlers.map(h => {
    const capitalized = h[0]!.toUpperCase() + h.slice(1);
    return { h, own: uniqueName(j, root, `own${capitalized}`), served: uniqueName(j, root, `served${capitalized}`) };
  });
  // `const { onmessage: ownOnmessage } = transport`
  const read = (key: 'own' | 'served') =>
    j.variableDeclaration('const', [
      j.variableDeclarator(
        j.objectPattern(names.map(n => j.objectProperty(j.identifier(n.h), j.identifier(n[key])))),
        held()
      )
    ]);
  const args = j.identifier('args');
  const call = (fn: string) =>
    j.expressionStatement(j.optionalCallExpression(j.identifier(fn), [j.spreadElement(args)], true));
  const before = read('own');
  before.comments = [
    j.commentLine(
      ' serveStdio sets the transport handlers outright; v1 connect ran the ones it already had first, as these do',
      true,
      false
    )
  ];
  const chains = names.map(n =>
    j.expressionStatement(
      j.assignmentExpression(
        '=',
        member(n.h),
        j.arrowFunctionExpression([j.restElement(args)], j.blockStatement([call(n.own), call(n.served)]))
      )
    )
  );
  return { before: [before], after: [read('served'), ...chains] };
}
