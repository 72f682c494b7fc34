/**
 * Session state a class keeps in a field (`private games = new Map<string, Game>()`, read in its tools as
 * `this.games.get(ctx.sessionId)`): the store is keyed by a handle as a module-level one is, and the registry is a
 * field of the same class (`readonly gameHandles = handleRegistry('game', { onExpire: id => this.games.delete(id) })`),
 * reached as `this.gameHandles` from the method that registers the tools. Only where that `this` is the instance
 * holding the store (tools registered in a method of the class, with arrow callbacks) and the class is built once, at
 * module level: an instance built per session or per request would keep its handles no longer than one request.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isFunction } from '../kit/ast.js';
import type { ToolRegistration } from '../kit/tool-registrations.js';
import type { HandleGroup } from './types.js';
import { entryCreation } from './entry-start.js';

type Node = any;

export interface FieldStore {
  /** `this.games`. */
  name: string;
  field: string;
  property: Node;
  owner: Node;
  isMap: boolean;
}

/** The fields the file's classes keep a store in (`new Map()`, `{}`), by `this.<field>`; a name two classes use is left out. */
export function fieldStores(j: JSCodeshift, root: any): Map<string, FieldStore> {
  const found = new Map<string, FieldStore>();
  const twice = new Set<string>();
  root.find(j.ClassBody).forEach((body: ASTPath<any>) => {
    for (const member of body.node.body as Node[]) {
      if (!/^(?:ClassProperty|PropertyDefinition)$/.test(member.type) || member.static || member.computed) continue;
      if (member.key?.type !== 'Identifier') continue;
      const value = member.value;
      const isMap = value?.type === 'NewExpression' && /^(?:Map)$/.test(value.callee?.name ?? '');
      const isRecord = value?.type === 'ObjectExpression' && value.properties.length === 0;
      if (!isMap && !isRecord) continue;
      const name = `this.${member.key.name}`;
      if (found.has(name)) twice.add(name);
      found.set(name, { name, field: member.key.name, property: member, owner: body.parent.node, isMap });
    }
  });
  for (const name of twice) found.delete(name);
  return found;
}

/** Why the store's tools cannot reach it and its registry through `this`, or nothing. */
export function fieldStoreProblem(
  j: JSCodeshift,
  root: any,
  store: FieldStore,
  tools: ToolRegistration[]
): string | undefined {
  const className = store.owner.id?.name;
  if (!className) return `${store.name} belongs to a class without a name, which cannot be seen to be built once`;
  for (const tool of tools) {
    if (tool.callback.type !== 'ArrowFunctionExpression')
      return `the ${tool.name} callback is no arrow function, so its \`this\` is not the ${className} holding ${store.name}`;
    if (methodOwner(tool.path) !== store.owner)
      return `${tool.name} is registered outside the methods of ${className}, where \`this\` is not the instance holding ${store.name}`;
  }
  const built = root.find(j.NewExpression, { callee: { type: 'Identifier', name: className } }).paths();
  if (built.length === 0) return `${className} is not built in this file, so it cannot be seen to be built once`;
  if (built.some((p: ASTPath<any>) => insideFunction(p)))
    return (
      `${className} is built inside a function (per session or per request, as like as not), and each instance ` +
      `would keep its own handles: build one at module level and register its tools on every server`
    );
  return undefined;
}

/** The class whose method `p` runs in, looking through arrow functions (they share the method's `this`). */
function methodOwner(p: ASTPath<any>): Node | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (n.type === 'ArrowFunctionExpression') continue;
    if (n.type === 'ClassMethod' || n.type === 'ClassPrivateMethod') return cur.parent?.parent?.node;
    if (n.type === 'MethodDefinition') return cur.parent?.parent?.node;
    if (isFunction(n)) return undefined;
  }
  return undefined;
}

function insideFunction(p: ASTPath<any>): boolean {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) if (isFunction(cur.node)) return true;
  return false;
}

/**
 * How the field's entries start and end: the value a session's entry started with (entry-start.ts), how to drop one,
 * and cleanup v1 ran on session close.
 */
export function fieldStoreLifecycle(
  j: JSCodeshift,
  root: any,
  src: string,
  store: FieldStore,
  portable: (n: Node) => boolean,
  cleanupTouching: string | undefined,
  toolCallbacks: Set<Node>
): Partial<HandleGroup> {
  const isField = (n: Node) =>
    n?.type === 'MemberExpression' &&
    !n.computed &&
    n.object.type === 'ThisExpression' &&
    n.property?.name === store.field;
  const init = entryCreation(j, root, src, { name: store.name, is: isField }, portable, toolCallbacks);
  return {
    after: store.property,
    member: true,
    init,
    onExpire: store.isMap ? `id => ${store.name}.delete(id)` : `id => { delete ${store.name}[id]; }`,
    todo: cleanupTouching
  };
}
