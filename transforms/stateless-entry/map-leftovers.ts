/**
 * What is left of a session map once its entry is served statelessly. Statements that only work the map (a shutdown
 * loop closing every transport, `delete map[id]`, `map.clear()`, an `if` guarding just those) go with it. A statement
 * that does more and only reads the map (a health route answering `sessions: Object.keys(map).length`) is the user's:
 * it stays, and a count of sessions becomes `0` (2026-07-28 has none) with a NOTE. Any other read keeps the map and
 * gets a TODO. The map's declaration goes once nothing reads it.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import {
  enclosingStatement,
  functionsByName,
  isReferencedOutside,
  isValueReference,
  mentions,
  isEmptyCollection,
  removeStatement,
  rootIdentifier,
  statementsOf
} from '../kit/ast.js';
import { bindingDeclarator } from './bindings.js';
import { removeEmptiedTimers, sweepCallbackOf, type SweepCallback } from './emptied-timers.js';
import { SESSION_COMMENT, type EntryContext } from './entry-context.js';
import { TRANSPORT_CLASS } from './plan-ast.js';

type Node = any;

// `add`: a Set of in-flight `{ transport, server }` records (http-entry.ts) is worked like a map.
const MAP_METHODS = /^(?:set|add|delete|clear|get|has|forEach|values|keys|entries)$/;
const OBJECT_VIEWS = /^(?:keys|values|entries)$/;

/** Returns the functions the removed statements handed each entry to (`.map(closeEntry)`): maybe unused now. */
export function removeMapLeftovers(ctx: EntryContext, maps: Set<string>): Node[] {
  const { j, root } = ctx;
  const handedOver: Node[] = [];
  for (const name of maps) {
    // The map's own bindings: a parameter of the same name in another function is another variable.
    const declarators = root
      .find(j.VariableDeclarator, { id: { name } })
      .filter((d: ASTPath<any>) => holdsSessions(j, d.node))
      .paths();
    const bindings = new Set(declarators.map((d: ASTPath<any>) => d.scope?.lookup(name)));
    // And the map's own declaration in that scope: another block's `transport` (a stdio branch's) is not it.
    const own = new Set(declarators.map((d: ASTPath<any>) => d.node));
    const ofTheMap = (p: ASTPath<any>) => {
      const bound = bindingDeclarator(j, p, name);
      return bound === undefined || (bound !== null && own.has(bound.node));
    };
    const reads = () =>
      root
        .find(j.Identifier, { name })
        .filter(
          (p: ASTPath<any>) =>
            isValueReference(p) &&
            !(p.parent.node.type === 'VariableDeclarator' && p.parent.node.id === p.node) &&
            bindings.has(p.scope?.lookup(name)) &&
            ofTheMap(p)
        );
    const found = reads()
      .paths()
      .map((p: ASTPath<any>) => ({ p, statement: enclosingStatement(p) }));
    const removed = new Set<Node>();
    const closers: ASTPath<any>[] = [];
    const hooks: ASTPath<any>[] = [];
    for (const { statement } of found) {
      if (!statement?.parent) continue;
      if (worksOnlyTheMap(j, statement.node, name)) removed.add(statement.node);
      const closing = entryOnlyClosed(j, statement, name);
      if (closing) {
        removed.add(statement.node);
        closers.push(...closing);
        hooks.push(statement.parent.parent);
      }
    }
    const inRemoved = (p: ASTPath<any>) => {
      for (let cur: ASTPath<any> | null = p; cur; cur = cur.parent) if (removed.has(cur.node)) return true;
      return false;
    };
    for (const { p, statement } of found) {
      if (!statement || inRemoved(p)) continue;
      if (!emptyView(ctx, p, statement, name)) continue;
      ctx.changed = true;
    }
    // Before the lookups they follow, while their paths still hold their places.
    for (const c of closers) j(c).remove();
    // Outermost only (a loop's own statements leave with it), and each once: a path pruned twice takes a sibling.
    const pruned = new Set<Node>();
    const sweeps: SweepCallback[] = [];
    for (const { statement } of found) {
      if (!statement || !removed.has(statement.node) || inRemoved(statement.parent) || pruned.has(statement.node))
        continue;
      pruned.add(statement.node);
      const sweep = sweepCallbackOf(j, statement);
      if (sweep) sweeps.push(sweep);
      j(statement)
        .find(j.CallExpression, { callee: { property: { name: 'map' } } })
        .forEach((c: ASTPath<any>) => {
          if (c.node.arguments[0]?.type === 'Identifier') handedOver.push(c.node.arguments[0]);
        });
      j(statement).remove();
    }
    removeEmptiedTimers(ctx, sweeps);
    removeUncalledReaders(ctx, reads);
    removeEmptiedHooks(j, hooks);
    const left = reads();
    if (left.size() === 0) {
      root.find(j.VariableDeclarator, { id: { name } }).forEach((d: ASTPath<any>) => {
        // Only the map's own declarations: another `transport` of the file is another variable.
        if (!holdsSessions(j, d.node) || !bindings.has(d.scope?.lookup(name))) return;
        if (d.parent.node.declarations.length === 1) removeStatement(j, d.parent, SESSION_COMMENT);
      });
      continue;
    }
    const marked = new Set<Node>();
    const named = functionsByName(j, root);
    left.forEach((p: ASTPath<any>) => {
      if (handedToUnusedParameter(j, p, named)) return;
      const statement = enclosingStatement(p);
      if (!statement || marked.has(statement.node)) return;
      marked.add(statement.node);
      ctx.unsafe(lineStatement(enclosingStatement(p)!).node, 'session-map', sessionMapMessage(name));
    });
  }
  return handedOver;
}

/**
 * `this.transports.set(id, transport)` in a stream route that went: the class property it filled (`transports = new
 * Map()`, compiled or plain JavaScript with no type to name the transport) is never filled again. Its counts
 * (`this.transports.size` in a health route) become 0 with a NOTE, like a module-level map's; statements that only work
 * the table (a shutdown loop closing every entry) go; any other read that stays is marked; with no read left the
 * property goes.
 */
function removeClassMapLeftovers(ctx: EntryContext, classBody: Node, properties: Set<string>): void {
  const { j } = ctx;
  for (const name of properties) {
    // `this.transports = new Map()` in the constructor declares the property rather than reading it.
    const declares = (p: ASTPath<any>) =>
      p.parent.node.type === 'AssignmentExpression' &&
      p.parent.node.left === p.node &&
      isEmptyContainer(p.parent.node.right);
    const reads = () =>
      j(classBody)
        .find(j.MemberExpression)
        .filter((p: ASTPath<any>) => thisProperty(p.node) === name && !declares(p));
    // A shutdown loop closing every transport, `this.transports.clear()`: nothing to close or clear any more.
    const isProperty = (n: Node) => thisProperty(n) === name;
    const idle = new Set<Node>();
    reads().forEach((p: ASTPath<any>) => {
      const statement = enclosingStatement(p);
      if (statement?.parent && worksOnlyTheMap(j, statement.node, isProperty)) idle.add(statement.node);
    });
    const within = (p: ASTPath<any> | null) => {
      for (let cur = p; cur; cur = cur.parent) if (idle.has(cur.node)) return true;
      return false;
    };
    const outermost = new Set<ASTPath<any>>();
    reads().forEach((p: ASTPath<any>) => {
      const statement = enclosingStatement(p);
      if (statement && idle.has(statement.node) && !within(statement.parent)) outermost.add(statement);
    });
    for (const statement of outermost) removeStatement(j, statement, SESSION_COMMENT);
    reads().forEach((p: ASTPath<any>) => {
      const statement = enclosingStatement(p);
      if (statement) emptyView(ctx, p, statement, `this.${name}`);
    });
    const left = reads();
    if (left.size() === 0 && name.includes('.')) {
      removeNestedTable(ctx, classBody, name);
      continue;
    }
    if (left.size() === 0) {
      j(classBody)
        .find(j.ClassProperty, { key: { name } })
        .filter((d: ASTPath<any>) => d.parent.node === classBody && !d.node.static && isEmptyContainer(d.node.value))
        .forEach((d: ASTPath<any>) => removeStatement(j, d, SESSION_COMMENT));
      j(classBody)
        .find(j.MemberExpression, { object: { type: 'ThisExpression' }, property: { name } })
        .filter(declares)
        .forEach((p: ASTPath<any>) => {
          const statement = enclosingStatement(p);
          if (statement?.node.type === 'ExpressionStatement') removeStatement(j, statement, SESSION_COMMENT);
        });
      continue;
    }
    const marked = new Set<Node>();
    left.forEach((p: ASTPath<any>) => {
      const statement = enclosingStatement(p);
      if (!statement || marked.has(statement.node)) return;
      marked.add(statement.node);
      ctx.unsafe(lineStatement(statement).node, 'session-map', sessionMapMessage(`this.${name}`));
    });
  }
}

/**
 * `transports.sse`, nothing reading it: its entry goes from the property's type (`sse: Record<…>`) and from every
 * object the property is set to (`this.transports = { streamable: {}, sse: {} }`, or its initialiser); once no entry
 * is left and nothing reads the property, the property goes as a table of its own does.
 */
function removeNestedTable(ctx: EntryContext, classBody: Node, path: string): void {
  const { j } = ctx;
  const [property, ...rest] = path.split('.');
  if (rest.length !== 1) return;
  const entry = rest[0]!;
  const field = (classBody.body as Node[]).find(
    m => m.type === 'ClassProperty' && !m.static && !m.computed && m.key?.name === property
  );
  const objects: Node[] = [];
  if (field?.value?.type === 'ObjectExpression') objects.push(field.value);
  j(classBody)
    .find(j.AssignmentExpression)
    .filter((p: ASTPath<any>) => thisProperty(p.node.left) === property && p.node.right.type === 'ObjectExpression')
    .forEach((p: ASTPath<any>) => void objects.push(p.node.right));
  for (const o of objects)
    o.properties = o.properties.filter((p: Node) => !(/^(?:Object)?Property$/.test(p.type) && p.key?.name === entry));
  const literal = field?.typeAnnotation?.typeAnnotation;
  if (literal?.type === 'TSTypeLiteral') {
    for (const m of literal.members as Node[])
      if (m.type === 'TSPropertySignature' && m.key?.name === entry && m.typeAnnotation)
        j(m.typeAnnotation)
          .find(j.Identifier)
          .forEach((p: ASTPath<any>) => void ctx.maybeUnused.add(p.node.name));
    literal.members = literal.members.filter((m: Node) => !(m.type === 'TSPropertySignature' && m.key?.name === entry));
  }
  ctx.changed = true;
  const emptied = objects.every(o => o.properties.length === 0) && (!literal || literal.members.length === 0);
  if (emptied) removeClassMapLeftovers(ctx, classBody, new Set([property!]));
}

/**
 * The class properties a file files transports in (`this.transports.set(id, transport)`, `this.transports[id] =
 * transport`, the value a variable given a 2025 transport), by the class body holding them: read before the routes are
 * rewritten, so that once the filling code has gone `removeTransportTableLeftovers` can account for what still reads
 * them.
 */
export function classTransportTables(ctx: EntryContext): Map<Node, Set<string>> {
  const { j, root } = ctx;
  const isTransport = (n: Node) =>
    n?.type === 'NewExpression' && TRANSPORT_CLASS.test(ctx.sdkName(n.callee?.name) ?? '');
  const transports = new Set<string>();
  root
    .find(j.VariableDeclarator, { id: { type: 'Identifier' } })
    .filter((d: ASTPath<any>) => isTransport(d.node.init))
    .forEach((d: ASTPath<any>) => void transports.add(d.node.id.name));
  root
    .find(j.AssignmentExpression, { left: { type: 'Identifier' } })
    .filter((a: ASTPath<any>) => isTransport(a.node.right))
    .forEach((a: ASTPath<any>) => void transports.add(a.node.left.name));
  const out = new Map<Node, Set<string>>();
  tableWrites(j, root, (at, name, value) => {
    const body = j(at).closest(j.ClassBody).nodes()[0];
    if (!body || value?.type !== 'Identifier' || !transports.has(value.name)) return;
    out.set(body, (out.get(body) ?? new Set()).add(name));
  });
  return out;
}

/** For each table `classTransportTables` found that nothing files a transport in any more: its leftovers. */
export function removeTransportTableLeftovers(ctx: EntryContext, tables: Map<Node, Set<string>>): void {
  const { j } = ctx;
  for (const [body, names] of tables) {
    const stillFilled = new Set<string>();
    tableWrites(j, j(body), (_at, name) => void stillFilled.add(name));
    const emptied = new Set([...names].filter(n => !stillFilled.has(n)));
    if (emptied.size) removeClassMapLeftovers(ctx, body, emptied);
  }
}

/** Each `this.<name>.set(key, value)` and `this.<name>[key] = value` under `scope`: where, the property, the value. */
function tableWrites(
  j: JSCodeshift,
  scope: Collection<any>,
  visit: (at: ASTPath<any>, name: string, value: Node) => void
): void {
  scope
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'set' } } })
    .forEach((p: ASTPath<any>) => {
      const name = thisProperty(p.node.callee.object);
      if (name) visit(p, name, p.node.arguments[1]);
    });
  scope
    .find(j.AssignmentExpression, { left: { type: 'MemberExpression', computed: true } })
    .forEach((p: ASTPath<any>) => {
      const name = thisProperty(p.node.left.object);
      if (name) visit(p, name, p.node.right);
    });
}

/** The NOTE on a count of a session table that nothing fills any more (`label`: `transports`, `this.transports`). */
function sessionCountNote(label: string): string {
  return `this counted the open sessions in \`${label}\`; 2026-07-28 has no sessions, so it is 0 now (count requests if that is what you watch)`;
}

/** The TODO on any other read of such a table. */
function sessionMapMessage(label: string): string {
  return `\`${label}\` held the sessions' transports, which createMcpHandler replaces: nothing fills it now; rewrite this use`;
}

/**
 * `this.transports`: the property's name; `this.transports.streamable` (a table of tables, one per transport kind):
 * the path, `transports.streamable`.
 */
function thisProperty(n: Node): string | undefined {
  if (!/MemberExpression$/.test(n?.type) || n.computed || n.property?.type !== 'Identifier') return undefined;
  if (n.object?.type === 'ThisExpression') return n.property.name;
  const outer = thisProperty(n.object);
  return outer === undefined ? undefined : `${outer}.${n.property.name}`;
}

/** No value, `{}`, `[]` or `new Map()`: a table waiting to be filled. */
function isEmptyContainer(value: Node): boolean {
  return !value || isEmptyCollection(value, ['Map']);
}

/**
 * `function sessionTransport(id) { return transports.get(id) ?? notFound() }`: a lookup the removed session routes
 * called. Nothing calls it now, and the map it reads is never filled again: it goes like the routes did (an exported
 * one may have callers elsewhere, and stays for the marker).
 */
function removeUncalledReaders(ctx: EntryContext, reads: () => Collection<any>): void {
  const { j } = ctx;
  for (let again = true; again;) {
    again = false;
    reads().some((p: ASTPath<any>) => {
      const fn = namedFunctionAround(p);
      if (!fn || /^Export/.test(fn.statement.parent?.node.type)) return false;
      if (isReferencedOutside(j, fn.statement.parent, fn.name, fn.statement)) return false;
      removeStatement(j, fn.statement, SESSION_COMMENT);
      ctx.changed = again = true;
      return true;
    });
  }
}

/** The named function a read sits in: a function declaration or a `const f = (…) => …`, with its statement. */
function namedFunctionAround(p: ASTPath<any>): { name: string; statement: ASTPath<any> } | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (n.type === 'FunctionDeclaration' && n.id)
      return cur.parent?.node.type === 'Program' || cur.parent?.node.type === 'BlockStatement'
        ? { name: n.id.name, statement: cur }
        : undefined;
    if (/^(?:ArrowFunctionExpression|FunctionExpression)$/.test(n.type)) {
      const d = cur.parent;
      if (d?.node.type !== 'VariableDeclarator' || d.node.id.type !== 'Identifier') return undefined;
      const declaration = d.parent;
      return declaration?.node.declarations.length === 1 ? { name: d.node.id.name, statement: declaration } : undefined;
    }
    if (/Function|Class/.test(n.type)) return undefined;
  }
  return undefined;
}

/**
 * A declarator that holds the sessions: an empty `{}` / `[]` / `new Map()`, or one typed with a transport
 * (`let transport: SSEServerTransport | null = null`). A stdio entry's `const transport = new StdioServerTransport()`
 * of the same name elsewhere in the file is not one.
 */
function holdsSessions(j: JSCodeshift, d: Node): boolean {
  const init = d.init;
  const empty =
    !init ||
    init.type === 'NullLiteral' ||
    (init.type === 'Literal' && init.value === null) ||
    (init.type === 'ObjectExpression' && init.properties.length === 0) ||
    (init.type === 'ArrayExpression' && init.elements.length === 0) ||
    (init.type === 'NewExpression' && /^(?:Map|Set)$/.test(init.callee.name));
  const typed = !!d.id.typeAnnotation && /Transport/.test(j(d.id.typeAnnotation).toSource());
  return empty || typed;
}

/** The statement a marker goes above: the outermost one starting on the same line (`app.get('/h', (q, r) => { … })`). */
function lineStatement(statement: ASTPath<any>): ASTPath<any> {
  let target = statement;
  for (;;) {
    const outer = target.parent ? enclosingStatement(target.parent) : undefined;
    const line = target.node.loc?.start.line;
    if (!outer?.parent || outer === target || line === undefined || outer.node.loc?.start.line !== line) return target;
    target = outer;
  }
}

/**
 * `const transport = transports.get(id); if (transport) { transport.close().catch(report); transports.delete(id) }`
 * (an expiry hook): an entry taken out of the map only to be ended. The statements after the lookup that use the entry, each only calling
 * it under a test of it, are returned to go with the lookup; undefined when the entry is used any other way.
 */
function entryOnlyClosed(j: JSCodeshift, statement: ASTPath<any>, map: string): ASTPath<any>[] | undefined {
  const s = statement.node;
  if (s.type !== 'VariableDeclaration' || s.declarations.length !== 1) return undefined;
  const d = s.declarations[0];
  const isMap = (n: Node) => n?.type === 'Identifier' && n.name === map;
  if (d.id.type !== 'Identifier' || !entryOf(d.init, isMap)) return undefined;
  const entry = d.id.name;
  const siblings: Node[] = statement.parent.node.body ?? [];
  const after = siblings.slice(siblings.indexOf(s) + 1);
  const uses = (n: Node) => mentions(j, n, new Set([entry]));
  const users = after.filter(uses);
  const callsEntry = (x: Node) => {
    let e = x.type === 'ExpressionStatement' ? x.expression : undefined;
    while (e?.type === 'AwaitExpression' || (e?.type === 'UnaryExpression' && e.operator === 'void')) e = e.argument;
    return /CallExpression$/.test(e?.type) && rootIdentifier(e) === entry;
  };
  const ends = (x: Node) =>
    x.type === 'IfStatement' &&
    !x.alternate &&
    x.test.type === 'Identifier' &&
    x.test.name === entry &&
    statementsOf(x.consequent).every((y: Node) => callsEntry(y) || worksOnlyTheMap(j, y, map));
  if (!users.length || !users.every(u => ends(u) || callsEntry(u))) return undefined;
  return users.map(u => statement.parent.get('body', siblings.indexOf(u)));
}

/** `sessions.onExpired = (id) => {}`: a hook assigned only to end the entry it looked up has nothing left to do. */
function removeEmptiedHooks(j: JSCodeshift, hooks: ASTPath<any>[]): void {
  for (const fn of new Set(hooks)) {
    const assigned = fn?.parent;
    if (!/Function/.test(fn?.node.type) || fn.node.body?.type !== 'BlockStatement' || fn.node.body.body.length)
      continue;
    if (assigned?.node.type === 'AssignmentExpression' && assigned.parent?.node.type === 'ExpressionStatement')
      removeStatement(j, assigned.parent, SESSION_COMMENT);
  }
}

/** Does the statement only work the map (named, or told by `isMap`: `this.transports` for a class property)? */
export function worksOnlyTheMap(j: JSCodeshift, s: Node, map: string | ((n: Node) => boolean)): boolean {
  const isMap = typeof map === 'string' ? (n: Node) => n?.type === 'Identifier' && n.name === map : map;
  const again = (x: Node) => worksOnlyTheMap(j, x, isMap);
  if (s.type === 'ForInStatement' || s.type === 'ForOfStatement') return viewOf(s.right, isMap);
  if (s.type === 'IfStatement') {
    const testReadsMap =
      isMap(s.test) ||
      j(s.test)
        .find(j.Node)
        .some((p: ASTPath<any>) => isMap(p.node));
    return !s.alternate && testReadsMap && statementsOf(s.consequent).every(again);
  }
  if (s.type === 'BlockStatement') return s.body.length > 0 && s.body.every(again);
  if (s.type !== 'ExpressionStatement') return false;
  let e = s.expression;
  while (e.type === 'AwaitExpression' || (e.type === 'UnaryExpression' && e.operator === 'void')) e = e.argument;
  if (e.type === 'UnaryExpression' && e.operator === 'delete') return entryOf(e.argument, isMap);
  if (e.type === 'AssignmentExpression') return entryOf(e.left, isMap);
  if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression') {
    const target = e.callee.object;
    // `await Promise.allSettled(Array.from(map.values()).map(closeEntry))`: every session closed at shutdown.
    if (target.type === 'Identifier' && target.name === 'Promise' && /^all(?:Settled)?$/.test(e.callee.property?.name))
      return mapsOver(e.arguments[0], isMap);
    if (isMap(target)) return MAP_METHODS.test(e.callee.property?.name ?? '');
    // `map[id].close()`, `map.get(id)?.close()`, `Object.values(map).forEach(t => t.close())`
    return entryOf(target, isMap) || viewOf(target, isMap);
  }
  return false;
}

/** `map[key]` or `map.get(key)` (optionally chained). */
function entryOf(n: Node, isMap: (n: Node) => boolean): boolean {
  if (/MemberExpression$/.test(n?.type) && n.computed) return isMap(n.object);
  if (/CallExpression$/.test(n?.type) && /MemberExpression$/.test(n.callee?.type))
    return isMap(n.callee.object) && n.callee.property?.name === 'get';
  return false;
}

/** `view.map(f)` over a view of the map. */
function mapsOver(n: Node, isMap: (n: Node) => boolean): boolean {
  return n?.type === 'CallExpression' && n.callee.type === 'MemberExpression' && n.callee.property?.name === 'map'
    ? viewOf(n.callee.object, isMap)
    : false;
}

/** The map itself or a view of its entries: `map`, `Object.keys(map)`, `map.values()`, `Array.from(…)`, `[...…]`. */
function viewOf(n: Node, isMap: (n: Node) => boolean): boolean {
  if (isMap(n)) return true;
  if (n?.type === 'ArrayExpression' && n.elements.length === 1 && n.elements[0]?.type === 'SpreadElement')
    return viewOf(n.elements[0].argument, isMap);
  if (n?.type === 'CallExpression' && n.callee.type === 'MemberExpression' && n.callee.object.name === 'Array')
    return n.callee.property?.name === 'from' && n.arguments.length === 1 && viewOf(n.arguments[0], isMap);
  if (n?.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return false;
  const { object, property } = n.callee;
  if (object.type === 'Identifier' && object.name === 'Object')
    return OBJECT_VIEWS.test(property?.name) && isMap(n.arguments[0]);
  return isMap(object) && OBJECT_VIEWS.test(property?.name ?? '');
}

/** `Object.keys(map).length` or `map.size`: the path of the whole count, or undefined. */
/**
 * A count of the sessions (`map.size`, `Object.keys(map).length`) becomes 0, a list of them (`Array.from(map.keys())`,
 * `[...map.values()]`, `Object.keys(map)`) an empty array: nothing fills the table any more. A list read on
 * (`Array.from(map.values()).map(t => t.sessionId)`) stays for the TODO: its elements' type would be lost.
 */
function emptyView(ctx: EntryContext, p: ASTPath<any>, statement: ASTPath<any>, label: string): boolean {
  const { j } = ctx;
  const count = countOf(p);
  if (count) {
    j(count).replaceWith(j.numericLiteral(0));
    ctx.note(lineStatement(statement).node, 'session-count', sessionCountNote(label));
    return true;
  }
  const list = listOf(p);
  if (!list) return false;
  j(list).replaceWith(j.arrayExpression([]));
  ctx.note(
    lineStatement(statement).node,
    'session-count',
    `this listed the open sessions in \`${label}\`; 2026-07-28 has no sessions, so the list is empty now`
  );
  return true;
}

/** `Array.from(map.keys())`, `Array.from(map)`, `[...map.values()]`, `Object.keys(map)`: the expression, not read on. */
function listOf(p: ASTPath<any>): ASTPath<any> | undefined {
  let view: ASTPath<any> = p;
  const parent = p.parent;
  // `map.keys()` / `map.values()` / `map.entries()`
  if (
    parent.node.type === 'MemberExpression' &&
    parent.node.object === p.node &&
    !parent.node.computed &&
    OBJECT_VIEWS.test(parent.node.property?.name) &&
    parent.parent.node.type === 'CallExpression' &&
    parent.parent.node.callee === parent.node &&
    parent.parent.node.arguments.length === 0
  )
    view = parent.parent;
  const outer = view.parent;
  let list: ASTPath<any> | undefined;
  if (
    outer.node.type === 'CallExpression' &&
    outer.node.arguments.length === 1 &&
    outer.node.arguments[0] === view.node &&
    outer.node.callee.type === 'MemberExpression' &&
    outer.node.callee.object.type === 'Identifier' &&
    ((outer.node.callee.object.name === 'Array' && outer.node.callee.property?.name === 'from') ||
      (view === p && outer.node.callee.object.name === 'Object' && OBJECT_VIEWS.test(outer.node.callee.property?.name)))
  )
    list = outer;
  else if (
    outer.node.type === 'SpreadElement' &&
    outer.parent.node.type === 'ArrayExpression' &&
    outer.parent.node.elements.length === 1
  )
    list = outer.parent;
  if (!list) return undefined;
  const reader = list.parent.node;
  const readOn =
    (/MemberExpression$/.test(reader.type) && reader.object === list.node) ||
    (reader.type === 'SpreadElement' && list.parent.parent.node.type === 'CallExpression');
  return readOn ? undefined : list;
}

function countOf(p: ASTPath<any>): ASTPath<any> | undefined {
  const parent = p.parent.node;
  if (
    parent.type === 'MemberExpression' &&
    parent.object === p.node &&
    !parent.computed &&
    parent.property.name === 'size'
  )
    return p.parent;
  const call = p.parent;
  if (
    call.node.type === 'CallExpression' &&
    call.node.arguments[0] === p.node &&
    call.node.callee.type === 'MemberExpression' &&
    call.node.callee.object.name === 'Object' &&
    OBJECT_VIEWS.test(call.node.callee.property?.name) &&
    call.parent.node.type === 'MemberExpression' &&
    call.parent.node.object === call.node &&
    call.parent.node.property?.name === 'length'
  )
    return call.parent;
  return undefined;
}

/** `handle(req, res, map)` where `handle`'s parameter for it is no longer read (its session code went): harmless. */
function handedToUnusedParameter(j: JSCodeshift, p: ASTPath<any>, named: Map<string, Node>): boolean {
  const call = p.parent.node;
  if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier') return false;
  const fn = named.get(call.callee.name);
  const param = fn?.params?.[call.arguments.indexOf(p.node)];
  if (param?.type !== 'Identifier') return false;
  return j(fn.body).find(j.Identifier, { name: param.name }).filter(isValueReference).size() === 0;
}

/**
 * `interface TransportMap { [id: string]: SSEServerTransport }`, `type SessionEntry = { transport: …; keyHash: string }`:
 * a module's own type naming a session transport that only the removed session map was typed with goes too.
 */
export function removeUnusedTransportTypes(ctx: EntryContext, comment: RegExp = SESSION_COMMENT): void {
  const { j, root } = ctx;
  const declarations = [
    ...root.find(j.TSInterfaceDeclaration).paths(),
    ...root.find(j.TSTypeAliasDeclaration).paths()
  ].filter(
    (p: ASTPath<any>) =>
      p.parent?.node.type === 'Program' &&
      j(p)
        .find(j.Identifier)
        .some((id: ASTPath<any>) => SESSION_TRANSPORTS.test(id.node.name))
  );
  for (const p of declarations) {
    const name = (p.node.id as Node).name;
    const used = root.find(j.Identifier, { name }).some((u: ASTPath<any>) => u.node !== p.node.id);
    if (used) continue;
    j(p)
      .find(j.Identifier)
      .forEach((id: ASTPath<any>) => {
        if (SESSION_TRANSPORTS.test(id.node.name)) ctx.maybeUnused.add(id.node.name);
      });
    removeStatement(j, p, comment);
  }
}

const SESSION_TRANSPORTS = /^(?:SSEServerTransport|(?:Node|WebStandard)?StreamableHTTPServerTransport)$/;
