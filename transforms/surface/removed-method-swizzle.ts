/**
 * A removed registration method saved, replaced and put back around set-up code that registers tools:
 * `const originalTool = server.tool; server.tool = wrap(originalTool); try { … } finally { server.tool = originalTool }`
 * (a wrapper added to every tool's result). v2's McpServer has no `tool`, so the save reads undefined and the wrapper
 * (`new Proxy(undefined, …)`) throws at start-up; and once the calls are `registerTool`, nothing would call the
 * wrapped method anyway. Where the saved value goes nowhere but back into that same method, the three statements go;
 * the same dance around `registerTool`, which v2 has, stays.
 */
import type { ASTPath } from 'jscodeshift';
import { referencesOf, statementRemoval, uncast } from '../kit/ast.js';
import type { TextEdit } from '../kit/text-edits.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

/**
 * The edits removing the swizzle `read` (a value read of `receiver.kind`) starts, or undefined when the saved value
 * is used any other way.
 */
export function swizzleRemoval(ctx: SurfaceContext, read: ASTPath<any>, kind: string): TextEdit[] | undefined {
  const { j, root, src } = ctx;
  const declarator = read.parent;
  if (declarator.node.type !== 'VariableDeclarator' || declarator.node.init !== read.node) return undefined;
  if (declarator.node.id.type !== 'Identifier' || declarator.parent.node.declarations.length !== 1) return undefined;
  const saved = declarator.node.id.name;
  const { sameMethod, writes } = methodSites(ctx, read, kind);
  // Every write of the method in the file puts back the saved value or a wrapper of it, as a statement of its own.
  const ofSaved = (node: Node): boolean => {
    const n = uncast(node);
    return (
      (n.type === 'Identifier' && n.name === saved) ||
      (n.type === 'CallExpression' &&
        n.arguments.some((a: Node) => uncast(a).type === 'Identifier' && uncast(a).name === saved))
    );
  };
  if (writes.length === 0 || writes.some(w => w.parent.node.type !== 'ExpressionStatement' || !ofSaved(w.node.right)))
    return undefined;
  // The saved value is read nowhere else, and the method is read nowhere but here.
  const inWrites = (p: ASTPath<any>) =>
    writes.some(w => {
      const right: Node = w.node.right;
      return right.start <= p.node.start && p.node.end <= right.end;
    });
  const savedUses = referencesOf(j, root, saved, declarator.scope?.lookup(saved));
  if (savedUses.some(p => p.node !== declarator.node.id && !inWrites(p))) return undefined;
  const otherReads = root
    .find(j.MemberExpression)
    .filter(
      (p: ASTPath<any>) => sameMethod(p.node) && p.node !== read.node && !writes.some(w => w.node.left === p.node)
    );
  if (otherReads.size() > 0) return undefined;
  return [statementRemoval(src, declarator.parent.node), ...writes.map(w => statementRemoval(src, w.parent.node))];
}

/** Is a node the same receiver's `kind` member as `read` (`server.tool`), and every `= …` write of it in the file. */
function methodSites(
  ctx: SurfaceContext,
  read: ASTPath<any>,
  kind: string
): { sameMethod: (n: Node) => boolean; writes: ASTPath<any>[] } {
  const { j, root, src } = ctx;
  const receiver = src.slice(read.node.object.start, read.node.object.end);
  const sameMethod = (n: Node) =>
    n?.type === 'MemberExpression' &&
    !n.computed &&
    n.property?.name === kind &&
    src.slice(n.object.start, n.object.end) === receiver;
  const writes = root
    .find(j.AssignmentExpression, { operator: '=' })
    .filter((p: ASTPath<any>) => sameMethod(p.node.left))
    .paths();
  return { sameMethod, writes };
}

/**
 * The wrapping kind of swizzle, kept for good: `const originalTool = server.tool.bind(server); server.tool = function
 * (name, ...args) { const callback = args[args.length - 1]; … return originalTool(name, ...args.slice(0, -1), traced) }`
 * (tracing every tool). The wrapper only takes the callback as the last argument and passes the others on, which holds
 * of the v2 method as of the v1 one (`registerTool(name, config, callback)`), and the registrations it wraps become
 * `registerTool` calls: the swizzle moves to `registerTool`, its read and every write. Undefined where the wrapper reads
 * the arguments any other way (`args[0]` meant the description in v1), or the method is read anywhere else.
 */
export function swizzleRetarget(
  ctx: SurfaceContext,
  read: ASTPath<any>,
  kind: string,
  to: string
): TextEdit[] | undefined {
  const { j, root } = ctx;
  // `server.tool` or `server.tool.bind(server)`, as a const's value.
  const bound =
    read.parent.node.type === 'MemberExpression' &&
    read.parent.node.property?.name === 'bind' &&
    read.parent.parent.node.type === 'CallExpression' &&
    read.parent.parent.node.callee === read.parent.node;
  const value = bound ? read.parent.parent : read;
  const declarator = value.parent;
  if (declarator.node.type !== 'VariableDeclarator' || declarator.node.init !== value.node) return undefined;
  if (declarator.node.id.type !== 'Identifier') return undefined;
  const saved = declarator.node.id.name;
  const { sameMethod, writes } = methodSites(ctx, read, kind);
  if (writes.length === 0 || writes.some(w => !callbackLastWrapper(ctx, uncast(w.node.right), saved))) return undefined;
  // Its calls (`server.tool('learn', …)`) are the registrations the wrapper wraps: they become registerTool calls.
  const otherReads = root
    .find(j.MemberExpression)
    .filter(
      (p: ASTPath<any>) =>
        sameMethod(p.node) &&
        p.node !== read.node &&
        !writes.some(w => w.node.left === p.node) &&
        !(p.parent.node.type === 'CallExpression' && p.parent.node.callee === p.node)
    );
  if (otherReads.size() > 0) return undefined;
  const rename = (m: Node): TextEdit => ({ start: m.property.start, end: m.property.end, text: to });
  return [rename(read.node), ...writes.map(w => rename(w.node.left))];
}

/**
 * `function (name, ...args) { … }` (or `(...args) => …`) whose rest parameter is read only as the argument list whose
 * last element is the callback: `args[args.length - 1]`, `args.at(-1)`, `args.pop()`, `args.slice(0, -1)`,
 * `args.length`, `...args`; and which calls `saved`.
 */
function callbackLastWrapper(ctx: SurfaceContext, fn: Node, saved: string): boolean {
  const { j } = ctx;
  if (!/^(?:Function|ArrowFunction)Expression$/.test(fn?.type ?? '')) return false;
  const rest = fn.params[fn.params.length - 1];
  const args = rest?.type === 'RestElement' && rest.argument.type === 'Identifier' ? rest.argument.name : undefined;
  if (!args || fn.params.length > 2) return false;
  const callsSaved = j(fn.body)
    .find(j.CallExpression)
    .some((p: ASTPath<any>) => {
      const callee = uncast(p.node.callee);
      return callee.type === 'Identifier' && callee.name === saved;
    });
  if (!callsSaved) return false;
  const lastIndex = (n: Node) =>
    n?.type === 'BinaryExpression' &&
    n.operator === '-' &&
    n.left.type === 'MemberExpression' &&
    n.left.object.name === args &&
    n.left.property?.name === 'length' &&
    n.right.value === 1;
  const minusOne = (n: Node) => n?.type === 'UnaryExpression' && n.operator === '-' && n.argument.value === 1;
  return j(fn.body)
    .find(j.Identifier, { name: args })
    .every((p: ASTPath<any>) => {
      const parent = p.parent.node;
      if (parent.type === 'SpreadElement') return true;
      if (parent.type !== 'MemberExpression' || parent.object !== p.node) return false;
      if (parent.computed) return lastIndex(parent.property);
      const method = parent.property?.name;
      const call = p.parent.parent.node;
      const callArgs = call?.type === 'CallExpression' && call.callee === parent ? call.arguments : undefined;
      if (method === 'length') return true;
      if (method === 'pop') return callArgs?.length === 0;
      if (method === 'at') return callArgs?.length === 1 && minusOne(callArgs[0]);
      if (method === 'slice') return callArgs?.length === 2 && callArgs[0].value === 0 && minusOne(callArgs[1]);
      return false;
    });
}
