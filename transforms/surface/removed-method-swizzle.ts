/**
 * A removed registration method saved, replaced and put back around set-up code that registers tools:
 * `const originalTool = server.tool; server.tool = wrap(originalTool); try { … } finally { server.tool = originalTool }`
 * (a wrapper added to every tool's result). v2's McpServer has no `tool`, so the save reads undefined and the wrapper
 * (`new Proxy(undefined, …)`) throws at start-up; and once the calls are `registerTool`, nothing would call the
 * wrapped method anyway. Where the saved value goes nowhere but back into that same method, the three statements go;
 * the same dance around `registerTool`, which v2 has, stays.
 */
import type { ASTPath } from 'jscodeshift';
import { referencesOf, statementRemoval } from '../kit/ast.js';
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
  const receiver = src.slice(read.node.object.start, read.node.object.end);
  const sameMethod = (n: Node) =>
    n?.type === 'MemberExpression' &&
    !n.computed &&
    n.property?.name === kind &&
    src.slice(n.object.start, n.object.end) === receiver;
  // Every write of the method in the file puts back the saved value or a wrapper of it, as a statement of its own.
  const writes = root
    .find(j.AssignmentExpression, { operator: '=' })
    .filter((p: ASTPath<any>) => sameMethod(p.node.left))
    .paths();
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

/** `x as T`, `<T>x`, `x!`, `(x)`: the expression under TypeScript's casts. */
function uncast(n: Node): Node {
  while (
    /^(?:TSAsExpression|TSTypeAssertion|TSNonNullExpression|TSSatisfiesExpression|ParenthesizedExpression)$/.test(
      n?.type
    )
  )
    n = n.expression;
  return n;
}
