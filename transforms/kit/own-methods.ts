/**
 * A class method only its own class can call, and its calls: a helper a rewrite may change the signature of (add the
 * request's context), because every caller is in view. `private` (TypeScript) or `#name`, or any method of a class the
 * module only instantiates; static methods, accessors and constructors are not helpers. Its calls are
 * `this.name(…)`; another object's `.name(…)` call may be this method on an instance, so it rules the method out.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { enclosingFunctionPath } from './ast.js';

type Node = any;

export interface OwnMethod {
  fn: Node;
  name: string;
}

/** The method `p` is directly in, when only its class can call it. */
export function ownMethodAround(j: JSCodeshift, p: ASTPath<any>): OwnMethod | undefined {
  const fnPath = enclosingFunctionPath(p);
  const fn = fnPath?.node;
  if (!/^(?:ClassMethod|ClassPrivateMethod)$/.test(fn?.type) || fn.kind !== 'method' || fn.static) return undefined;
  const name = memberKey(fn.key);
  if (!name) return undefined;
  const cls = j(fnPath!)
    .closest(j.Node, (n: Node) => /^Class(?:Declaration|Expression)$/.test(n.type))
    .paths()[0];
  const ownOnly = fn.type === 'ClassPrivateMethod' || fn.accessibility === 'private' || keptToItself(j, cls);
  return ownOnly ? { fn, name } : undefined;
}

/**
 * The method's references in the module: `this.name` (called or not) and any other object's `.name(…)` call. A data
 * read of another object (`answer.content.confirm`) is not one.
 */
export function methodReferences(j: JSCodeshift, root: any, name: string): ASTPath<any>[] {
  return root
    .find(j.Node, (n: Node) => /MemberExpression$/.test(n.type) && !n.computed && memberKey(n.property) === name)
    .filter((p: ASTPath<any>) => p.node.object.type === 'ThisExpression' || isCallee(p))
    .paths();
}

/** `confirm` in `this.confirm`, `confirm` in `this.#confirm`, the key of `confirm() {}` or `#confirm() {}`. */
export function memberKey(key: Node): string | undefined {
  if (key?.type === 'Identifier') return key.name;
  return key?.type === 'PrivateName' ? key.id?.name : undefined;
}

function isCallee(p: ASTPath<any>): boolean {
  return /CallExpression$/.test(p.parent?.node.type) && p.parent.node.callee === p.node;
}

/**
 * A class declaration the module only instantiates: not exported where it is declared, and its name used nowhere but
 * in `new Name(…)` (an `export { Name }`, `module.exports = Name` or a value handed out would let other code call it).
 */
function keptToItself(j: JSCodeshift, cls: ASTPath<any> | undefined): boolean {
  const holder = cls?.parent?.node.type;
  if (cls?.node.type !== 'ClassDeclaration' || !cls.node.id || /^Export/.test(holder ?? '')) return false;
  const name = cls.node.id.name;
  return j(cls)
    .closest(j.Program)
    .find(j.Identifier, { name })
    .every(
      (p: ASTPath<any>) =>
        p.node === cls.node.id || (p.parent.node.type === 'NewExpression' && p.parent.node.callee === p.node)
    );
}
