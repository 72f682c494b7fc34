/**
 * Which write of a store starts a session's entry, the code `create_<noun>` runs for a new handle: a lazy creation
 * (`if (!carts.has(sid)) carts.set(sid, …)`, `state[sid] ??= …`, `carts.get(sid) ?? …`), or a write outside every tool
 * (session setup: `onsessioninitialized: id => carts.set(id, …)`). A tool that writes the entry as its own action
 * (`new_game` setting a fresh game) is no start: it keeps doing that on its handle, and a handle no tool has written
 * yet reads as empty, as a new session did.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';

type Node = any;

export function startsAnEntry(
  j: JSCodeshift,
  write: ASTPath<any>,
  isStore: (n: Node) => boolean,
  toolCallbacks: Set<Node>
): boolean {
  if (write.node.type === 'AssignmentExpression' && /^(?:\?\?|\|\|)=$/.test(write.node.operator)) return true;
  for (let cur: ASTPath<any> | null = write.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (toolCallbacks.has(n)) return false;
    const test = n.type === 'IfStatement' || n.type === 'ConditionalExpression' ? n.test : undefined;
    const guard = n.type === 'LogicalExpression' && /^(?:\?\?|\|\|)$/.test(n.operator) ? n.left : test;
    if (
      guard &&
      (isStore(guard) ||
        j(guard)
          .find(j.Node)
          .some((p: ASTPath<any>) => isStore(p.node)))
    )
      return true;
  }
  return true;
}

/**
 * The code `create_<noun>` runs for a new handle `id`: the first write of the store (`carts.set(sid, V)`,
 * `state[sid] = V`; `store.is` says which node is the store, `store.name` how to write it) that starts an entry with a
 * value a module-level function can build (`portable`).
 */
export function entryCreation(
  j: JSCodeshift,
  root: any,
  src: string,
  store: { name: string; is: (n: Node) => boolean },
  portable: (n: Node) => boolean,
  toolCallbacks: Set<Node>
): string | undefined {
  const text = (n: Node) => src.slice(n.start, n.end);
  const starts = (p: ASTPath<any>) => startsAnEntry(j, p, store.is, toolCallbacks);
  const set = root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'set' } } })
    .filter((p: ASTPath<any>) => {
      const value = p.node.arguments[1];
      return store.is(p.node.callee.object) && !!value && portable(value) && starts(p);
    })
    .paths()[0];
  if (set) return `id => { ${store.name}.set(id, ${text(set.node.arguments[1])}); }`;
  const assigned = root
    .find(j.AssignmentExpression, { left: { type: 'MemberExpression', computed: true } })
    .filter((p: ASTPath<any>) => store.is(p.node.left.object) && portable(p.node.right) && starts(p))
    .paths()[0];
  return assigned ? `id => { ${store.name}[id] = ${text(assigned.node.right)}; }` : undefined;
}
