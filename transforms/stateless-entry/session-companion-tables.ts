/**
 * Tables kept beside the session transports and filed under the same session ids (`lastActivity.set(sid,
 * Date.now())` in the route, or through a helper, `const touch = (sid) => lastActivity.set(sid, Date.now())`), read
 * by an idle sweep that closes the sessions. Every fill sits in session code that goes with the sessions, so nothing
 * fills them any more: they are session maps like the transports' own, and their leftovers (the sweep's loop, a
 * `clear()` at shutdown) go the same way (map-leftovers.ts). A table filled anywhere else stays the user's.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isValueReference } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { tablesFiledBy } from './module-functions.js';

type Node = any;

const FILLS = /^(?:set|add)$/;
/** A session id by what it is called: `sid`, `sessionId`, `mcpSessionId`, `transport.sessionId`. */
const SESSION_ID = /^(?:sid|\w*[sS]ession_?[iI]d)$/;

/** `sid`, `transport.sessionId`: a value that names a session by its id. */
export function isSessionKey(n: Node): boolean {
  if (n?.type === 'Identifier') return SESSION_ID.test(n.name);
  return /MemberExpression$/.test(n?.type) && !n.computed && SESSION_ID.test(n.property?.name ?? '');
}

export interface CompanionTables {
  tables: Set<string>;
  /** The helpers that filed them, which the session code called and nothing else does. */
  helpers: Set<string>;
}

/** The tables only the session code of the route `fn` fills, under session ids (`maps` are the transports' own). */
export function companionTables(ctx: EntryContext, fn: ASTPath<any>, maps: Set<string>): CompanionTables {
  const { j, root } = ctx;
  const out: CompanionTables = { tables: new Set(), helpers: new Set() };
  const inRoute = (n: Node) => n.start >= fn.node.start && n.end <= fn.node.end;
  // Only what the route itself files under a session id, or hands a session id to: a bundle has thousands of
  // functions and tables, and the tree is walked once per candidate.
  const helperTables = new Map<string, string[]>();
  const candidates = new Set<string>();
  j(fn)
    .find(j.CallExpression)
    .forEach((p: ASTPath<any>) => {
      const { callee, arguments: args } = p.node;
      if (!isSessionKey(args[0])) return;
      if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && !callee.computed)
        if (FILLS.test(callee.property?.name ?? '')) candidates.add(callee.object.name);
      if (callee.type !== 'Identifier' || helperTables.has(callee.name)) return;
      const tables = tablesFiledBy(j, root, callee.name);
      if (tables && sessionOnlyCalls(j, root, callee.name, inRoute)) helperTables.set(callee.name, tables);
    });
  j(fn)
    .find(j.AssignmentExpression, {
      left: { type: 'MemberExpression', computed: true, object: { type: 'Identifier' } }
    })
    .forEach((p: ASTPath<any>) => {
      if (isSessionKey(p.node.left.property)) candidates.add(p.node.left.object.name);
    });
  const filledByHelper = new Map<string, string>();
  for (const [helper, tables] of helperTables)
    for (const t of tables) {
      filledByHelper.set(t, helper);
      candidates.add(t);
    }
  for (const name of candidates) {
    if (maps.has(name)) continue;
    const declarations = root.find(j.VariableDeclarator, { id: { type: 'Identifier', name } }).nodes();
    if (declarations.length !== 1 || !emptyTable(declarations[0].init)) continue;
    const fills = fillsOf(j, root, name);
    const byRoute = fills.filter(f => inRoute(f.node) && isSessionKey(f.key) && !insideFunctionNamed(f, helperTables));
    const byHelper = fills.filter(f => insideFunctionNamed(f, helperTables));
    if (!fills.length || byRoute.length + byHelper.length !== fills.length) continue;
    out.tables.add(name);
    const helper = filledByHelper.get(name);
    if (helper) out.helpers.add(helper);
  }
  return out;
}

/** `new Map()`, `new Set()`, `{}` as written. */
function emptyTable(init: Node): boolean {
  if (init?.type === 'ObjectExpression') return init.properties.length === 0;
  return init?.type === 'NewExpression' && /^(?:Map|Set)$/.test(init.callee?.name ?? '') && !init.arguments.length;
}

/** Every place the table is filled, with the key it is filed under: `t.set(k, …)`, `t.add(k)`, `t[k] = …`. */
function fillsOf(j: JSCodeshift, root: any, name: string): { node: Node; key: Node; path: ASTPath<any> }[] {
  const fills: { node: Node; key: Node; path: ASTPath<any> }[] = [];
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', object: { type: 'Identifier', name } } })
    .forEach((p: ASTPath<any>) => {
      if (!p.node.callee.computed && FILLS.test(p.node.callee.property?.name ?? ''))
        fills.push({ node: p.node, key: p.node.arguments[0], path: p });
    });
  root
    .find(j.AssignmentExpression, { left: { type: 'MemberExpression', object: { type: 'Identifier', name } } })
    .forEach((p: ASTPath<any>) => {
      if (p.node.left.computed) fills.push({ node: p.node, key: p.node.left.property, path: p });
    });
  return fills;
}

/** Is every call of `name` (and every other use of it) a call in the route with a session id first? */
function sessionOnlyCalls(j: JSCodeshift, root: any, name: string, inRoute: (n: Node) => boolean): boolean {
  const uses = root
    .find(j.Identifier, { name })
    .filter(
      (p: ASTPath<any>) =>
        isValueReference(p) &&
        !(/^(?:VariableDeclarator|FunctionDeclaration)$/.test(p.parent.node.type) && p.parent.node.id === p.node)
    );
  return (
    uses.size() > 0 &&
    uses.every((p: ASTPath<any>) => {
      const call = p.parent.node;
      return (
        call.type === 'CallExpression' && call.callee === p.node && inRoute(call) && isSessionKey(call.arguments[0])
      );
    })
  );
}

function insideFunctionNamed(fill: { path: ASTPath<any> }, helpers: Map<string, string[]>): boolean {
  for (let cur: ASTPath<any> | null = fill.path.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (n.type === 'FunctionDeclaration') return helpers.has(n.id?.name);
    if (/^(?:ArrowFunctionExpression|FunctionExpression)$/.test(n.type)) {
      const holder = cur.parent?.node;
      return holder?.type === 'VariableDeclarator' && helpers.has(holder.id?.name);
    }
  }
  return false;
}
