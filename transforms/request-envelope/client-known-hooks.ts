/**
 * An `oninitialized` hook that reads who the client is (`x.oninitialized = () => { agent = x.getClientVersion(); }`,
 * for a user agent, telemetry, or a context field the tools read) never fires for a 2026-07-28 client. It becomes
 * `whenClientKnown(x, (client, capabilities) => { agent = client; })` (mcp-client-known.ts): the same code, run once
 * per server instance before the first request that names its client, with the identity that request carries.
 *
 * Left to the TODO instead: a hook that reads no identity (its work is tied to the handshake itself, such as enabling a
 * transport's notifications), one that reads the identity of another object or through `this` of a `function`, one
 * that uses the server otherwise or calls the file's code that does (asking the client for its roots outside any
 * request), one the file also reads back (`const previous = x.oninitialized`, chaining hooks) or assigns twice.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { isFunction, isValueReference, uncast } from '../kit/ast.js';

type Node = any;

export const CLIENT_KNOWN = 'whenClientKnown';
const ACCESSORS: Record<string, 'client' | 'capabilities'> = {
  getClientVersion: 'client',
  getClientCapabilities: 'capabilities'
};

/**
 * Rewrites the hook assignment at `p` into a `whenClientKnown(…)` call when it is one this module can carry over,
 * and says whether it did.
 */
export function clientKnownHook(j: JSCodeshift, root: Collection<any>, p: ASTPath<any>): boolean {
  const { left, right } = p.node;
  const receiver = chainKey(left.object);
  if (!receiver || right.params?.length || !onlyAssignedHere(j, root, receiver, p.node)) return false;
  return carried(j, root, p, left.object, right);
}

/**
 * The same hook registered as the `notifications/initialized` handler (`x.setNotificationHandler(…, () => …)`), whose
 * notification parameter it does not read.
 */
export function clientKnownHandler(j: JSCodeshift, root: Collection<any>, p: ASTPath<any>): boolean {
  const fn = p.node.arguments[1];
  const params: Node[] = fn?.params ?? [];
  const unread = (param: Node) =>
    param.type === 'Identifier' && !j(fn.body).find(j.Identifier, { name: param.name }).size();
  if (params.length > 1 || (params.length === 1 && !unread(params[0]))) return false;
  // Carried, its parameters are the client's identity: the unread notification parameter goes with the rest.
  return carried(j, root, p, p.node.callee.object, fn, params.length);
}

/** Rewrites the statement of `expression` into `whenClientKnown(receiver, fn')` if the hook can be carried over. */
function carried(
  j: JSCodeshift,
  root: Collection<any>,
  expression: ASTPath<any>,
  receiverNode: Node,
  right: Node,
  ignoredParams = 0
): boolean {
  const receiver = chainKey(receiverNode);
  const statement = expression.parent?.node;
  if (!receiver || statement?.type !== 'ExpressionStatement' || statement.expression !== expression.node) return false;
  if (!['ArrowFunctionExpression', 'FunctionExpression'].includes(right?.type) || right.generator) return false;
  if (right.params.length > ignoredParams) return false;
  if (right.type === 'FunctionExpression' && usesOwnThis(j, right)) return false;

  const reads: ASTPath<any>[] = j(right.body)
    .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
    .filter((c: ASTPath<any>) => Object.hasOwn(ACCESSORS, c.node.callee.property?.name) && !c.node.arguments.length)
    .paths();
  if (!reads.length || reads.some(c => chainKey(c.node.callee.object) !== receiver)) return false;
  const family = familyOf(receiver);
  if (usesTheServerOtherwise(j, right, family, reads) || callsCodeUsingTheServer(j, root, right, receiver, family))
    return false;

  const kinds = new Map(reads.map(c => [c, ACCESSORS[c.node.callee.property.name]!]));
  const kindOf = (c: ASTPath<any>) => kinds.get(c)!;
  const wanted = new Set(kinds.values());
  const names = {
    client: freeIn(j, right, wanted.has('client') ? 'client' : '_client'),
    capabilities: freeIn(j, right, 'clientCapabilities')
  };
  for (const c of reads) {
    // `const info = x.getClientVersion();` first in the hook: the parameter takes its name, and the line goes.
    const declaration = reads.filter(r => kindOf(r) === kindOf(c)).length === 1 ? ownDeclaration(right, c) : undefined;
    if (declaration) {
      names[kindOf(c)] = declaration.declarations[0].id.name;
      right.body.body.splice(right.body.body.indexOf(declaration), 1);
    } else c.replace(j.identifier(names[kindOf(c)]));
  }
  right.params = [
    j.identifier(names.client),
    ...(wanted.has('capabilities') ? [j.identifier(names.capabilities)] : [])
  ];
  statement.expression = j.callExpression(j.identifier(CLIENT_KNOWN), [receiverNode, right]);
  return true;
}

/**
 * Does the hook use the server (`server.server.listRoots()`, `server.sendToolListChanged()`, `helper(server)`) other
 * than to ask who the client is? Then it talks to the client or hands the server on, which nothing may do outside a
 * request on 2026-07-28 (SEP-2260): it keeps its TODO.
 */
function usesTheServerOtherwise(j: JSCodeshift, fn: Node, family: Set<string>, reads: ASTPath<any>[]): boolean {
  return readsServer(j, fn.body, family, n => reads.some(r => r.node.start <= n.start && n.end <= r.node.end));
}

/** Does `body` read the server (`family`: the receiver, or an object it is read from) outside what `skip` covers? */
function readsServer(j: JSCodeshift, body: Node, family: Set<string>, skip: (n: Node) => boolean = () => false) {
  const reads = (type: any, reference: (p: ASTPath<any>) => boolean) =>
    j(body)
      .find(type)
      .some((p: ASTPath<any>) => reference(p) && family.has(chainKey(p.node) ?? '') && !skip(p.node));
  return reads(j.Identifier, isValueReference) || reads(j.MemberExpression, () => true);
}

/**
 * Does the hook call a function or method of the file that uses the server itself (`void updateRoots()`, which asks
 * the client for its roots)? That code would run outside a request too, where it may not talk to the client.
 */
function callsCodeUsingTheServer(
  j: JSCodeshift,
  root: Collection<any>,
  fn: Node,
  receiver: string,
  family: Set<string>
): boolean {
  const named = (name: string): Node[] => [
    ...root.find(j.FunctionDeclaration, { id: { name } }).nodes(),
    ...root
      .find(j.VariableDeclarator, { id: { name } })
      .nodes()
      .map((d: Node) => d.init)
      .filter(isFunction),
    ...root
      .find(j.ClassMethod, { key: { name } })
      .nodes()
      .filter(() => receiver.startsWith('this.'))
  ];
  return j(fn.body)
    .find(j.CallExpression)
    .some((c: ASTPath<any>) => {
      const callee = c.node.callee;
      const name =
        callee.type === 'Identifier'
          ? callee.name
          : callee.type === 'MemberExpression' && callee.object.type === 'ThisExpression'
            ? callee.property?.name
            : undefined;
      return name !== undefined && named(name).some(f => readsServer(j, f.body, family));
    });
}

/** The receiver and the objects it is read from (`server.server` → `server.server`, `server`), but not `this`. */
function familyOf(receiver: string): Set<string> {
  const family = new Set<string>();
  for (let key = receiver; key.includes('.'); key = key.slice(0, key.lastIndexOf('.'))) family.add(key);
  family.add(receiver.split('.')[0]!);
  family.delete('this');
  return family;
}

/** `server`, `this.server`, `server.server`, `this.#server`: a receiver written the same way everywhere it is used. */
function chainKey(node: Node): string | undefined {
  const n = uncast(node);
  if (n?.type === 'Identifier') return n.name;
  if (n?.type === 'ThisExpression') return 'this';
  if (n?.type !== 'MemberExpression' || n.computed) return undefined;
  const object = chainKey(n.object);
  const property = n.property.type === 'PrivateName' ? `#${n.property.id.name}` : n.property.name;
  return object && property ? `${object}.${property}` : undefined;
}

/** Is this the file's one assignment of the receiver's hook, and is the hook read nowhere? */
function onlyAssignedHere(j: JSCodeshift, root: Collection<any>, receiver: string, assignment: Node): boolean {
  return root.find(j.MemberExpression, { property: { name: 'oninitialized' } }).every((m: ASTPath<any>) => {
    const parent = m.parent.node;
    const assigned = parent.type === 'AssignmentExpression' && parent.left === m.node;
    if (!assigned) return false;
    return parent === assignment || chainKey(m.node.object) !== receiver;
  });
}

/** `const info = x.getClientVersion();`, a statement of the hook's own body, declaring nothing else. */
function ownDeclaration(fn: Node, read: ASTPath<any>): Node | undefined {
  const declarator = read.parent?.node;
  const declaration = read.parent?.parent?.node;
  if (declarator?.type !== 'VariableDeclarator' || declarator.init !== read.node || declarator.id.type !== 'Identifier')
    return undefined;
  if (declaration?.kind !== 'const' || declaration.declarations.length !== 1) return undefined;
  return fn.body.type === 'BlockStatement' && fn.body.body.includes(declaration) ? declaration : undefined;
}

/** A parameter name the hook's code does not mention, so it shadows nothing the hook reads. */
function freeIn(j: JSCodeshift, fn: Node, base: string): string {
  const used = new Set(
    j(fn)
      .find(j.Identifier)
      .nodes()
      .map((n: Node) => n.name)
  );
  for (let i = 1; ; i++) if (!used.has(i === 1 ? base : `${base}${i}`)) return i === 1 ? base : `${base}${i}`;
}

/** Does a `function` read its own `this` (the server, when v1 called it as the server's hook)? */
function usesOwnThis(j: JSCodeshift, fn: Node): boolean {
  return j(fn.body)
    .find(j.ThisExpression)
    .some((t: ASTPath<any>) => {
      for (let cur = t.parent; cur && cur.node !== fn; cur = cur.parent)
        if (isFunction(cur.node) && cur.node.type !== 'ArrowFunctionExpression') return false;
      return true;
    });
}
