/**
 * Routes of a class whose callbacks only hand the request to a method of it: `this.app.get('/mcp', (req, res) =>
 * this.handleSessionRequest(req, res))`. The method is what serves the route, for deciding whether the route serves
 * sessions (and goes) or MCP (and is retargeted to every method); a method no route calls any more goes with it.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { removeStatement, statementsOf } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { exportedNames } from './local-handoffs.js';

type Node = any;

/** `this.name(…)`, awaited or returned, as the callback's one statement (or its expression body): `name`. */
export function delegatedMethodName(fn: Node): string | undefined {
  const body = fn?.body;
  let e: Node;
  if (body?.type === 'BlockStatement') {
    const only = statementsOf(body);
    if (only.length !== 1) return undefined;
    const st = only[0];
    e = st.type === 'ExpressionStatement' ? st.expression : st.type === 'ReturnStatement' ? st.argument : undefined;
  } else e = body;
  if (e?.type === 'AwaitExpression') e = e.argument;
  const callee = e?.type === 'CallExpression' ? e.callee : undefined;
  return callee?.type === 'MemberExpression' && callee.object.type === 'ThisExpression' && !callee.computed
    ? callee.property?.name
    : undefined;
}

/** The method of the class around `at` that the callback `fn` hands its request to. */
export function delegatedMethod(j: JSCodeshift, at: ASTPath<any>, fn: Node): Node | undefined {
  const name = delegatedMethodName(fn);
  if (!name) return undefined;
  return methodNamed(j(at).closest(j.ClassBody).nodes()[0], name);
}

function methodNamed(classBody: Node, name: string): Node | undefined {
  return classBody?.body.find(
    (m: Node) => m.type === 'ClassMethod' && m.kind === 'method' && !m.computed && m.key?.name === name
  );
}

/** The method of the class around the callback `fn` that it hands its request to (found by position: no path). */
export function classMethodCalledBy(ctx: EntryContext, fn: Node): Node | undefined {
  const name = delegatedMethodName(fn);
  if (!name) return undefined;
  const { j, root } = ctx;
  const body = root
    .find(j.ClassBody)
    .nodes()
    .filter((b: Node) => b.start <= fn.start && fn.end <= b.end)
    .pop();
  return methodNamed(body, name);
}

/** A method of a class that nothing in the class refers to (`this.name`): what called it has gone. */
export function uncalledMethod(ctx: EntryContext, method: Node): boolean {
  if (method?.type !== 'ClassMethod' || method.kind !== 'method' || method.computed) return false;
  const { j, root } = ctx;
  const body = root
    .find(j.ClassBody)
    .nodes()
    .find((b: Node) => b.body.includes(method));
  return !!body && !referencedOnThis(j, body, method.key.name);
}

function referencedOnThis(j: JSCodeshift, classBody: Node, name: string): boolean {
  return (
    j(classBody)
      .find(j.MemberExpression, { property: { name } })
      .filter((p: ASTPath<any>) => p.node.object.type === 'ThisExpression' && !p.node.computed)
      .size() > 0
  );
}

/**
 * Each of `methods` that nothing in its class refers to any more (`this.name`) is removed with its comments: only a
 * private one, or one of a class the module keeps to itself (code elsewhere may call a public method of an exported
 * class).
 */
export function removeUncalledMethods(ctx: EntryContext, methods: Node[], obsolete?: RegExp): void {
  const { j, root } = ctx;
  let exported: Set<string> | undefined;
  for (const method of new Set(methods)) {
    const path = root
      .find(j.ClassMethod)
      .filter((p: ASTPath<any>) => p.node === method)
      .paths()[0];
    const body = path?.parent?.node;
    if (!path || body?.type !== 'ClassBody') continue;
    // A class without a name (`export default class {`) is the module's export.
    const cls = path.parent.parent;
    exported ??= exportedNames(ctx);
    const isExported = /^Export/.test(cls.parent?.node.type ?? '') || !cls.node.id || exported.has(cls.node.id.name);
    if (method.accessibility !== 'private' && isExported && !ctx.unreferencedMethods.has(method)) continue;
    if (!referencedOnThis(j, body, method.key.name)) removeStatement(j, path, obsolete);
  }
}
