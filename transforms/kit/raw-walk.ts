/**
 * Walking raw parser output (babel ASTs without jscodeshift paths): the plans made over a whole run and the package
 * passes read files they never rewrite, where building a jscodeshift collection would be wasted work.
 */

type Node = any;

const COMMENTS = new Set(['loc', 'leadingComments', 'trailingComments', 'innerComments']);
const COMMENTS_AND_TYPES = new Set([...COMMENTS, 'typeAnnotation', 'typeParameters', 'returnType']);

/**
 * Every node under `node` (itself included) with its parent, the key it sits under, and the innermost function that
 * encloses it below `node` (undefined at its top level). Returning false from `fn` skips the node's children;
 * `skipTypes` leaves TypeScript annotations out.
 */
export function visit(
  node: Node,
  fn: (n: Node, parent: Node | undefined, key: string, enclosing: Node | undefined) => boolean | void,
  { skipTypes = false } = {}
): void {
  const skipped = skipTypes ? COMMENTS_AND_TYPES : COMMENTS;
  const walk = (n: Node, parent: Node | undefined, key: string, enclosing: Node | undefined) => {
    if (!n || typeof n.type !== 'string') return;
    if (fn(n, parent, key, enclosing) === false) return;
    const inside = /Function/.test(n.type) ? n : enclosing;
    for (const k of Object.keys(n)) {
      if (skipped.has(k)) continue;
      const v = n[k];
      if (Array.isArray(v)) for (const c of v) walk(c, n, k, inside);
      else if (v && typeof v.type === 'string') walk(v, n, k, inside);
    }
  };
  walk(node, undefined, '', undefined);
}

export function someNode(node: Node, test: (n: Node) => boolean): boolean {
  let found = false;
  visit(node, n => {
    if (!found && test(n)) found = true;
  });
  return found;
}
