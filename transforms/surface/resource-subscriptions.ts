/**
 * v1 servers kept their own subscriber list: `resources/subscribe` added the URI to a Set, `resources/unsubscribe`
 * took it out, and updates went out only `if (subscribed.has(uri))`. On 2026-07-28 a client subscribes with
 * `subscriptions/listen` and the SDK's listen router delivers `notifications/resources/updated` only to the streams
 * that asked for that URI, so the list, its two handlers and the guard have nothing left to do: the handlers and the
 * Set go, the update is sent unconditionally, under a NOTE, and the two handlers only acknowledge (2025-era clients,
 * still served, subscribe first and would fail on a method nobody answers). Only that exact bookkeeping is rewritten;
 * a Set read any other way (iterated by a timer, counted) or handlers doing more than keeping it keep the TODO markers.
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction, LOGGER_NAMES, onlyStatement, within } from '../kit/ast.js';
import { markerEdit, markerText } from '../kit/markers.js';
import { indentUnit } from '../kit/source-style.js';
import { lineIndent, lineStartOf, wholeLines, type TextEdit } from '../kit/text-edits.js';
import { METHODS } from './routing.js';
import { SURFACE, type SurfaceContext } from './surface-context.js';
import { methodOfRequiredSchema } from './whole-module-require.js';

type Node = any;

const GUARD_GONE =
  'clients subscribe with subscriptions/listen on 2026-07-28, and the SDK sends this update only to the streams ' +
  'that asked for its URI: the subscriber list it was guarded by is gone';

const SUBSCRIPTION_METHODS: Record<string, 'add' | 'delete'> = {
  'resources/subscribe': 'add',
  'resources/unsubscribe': 'delete'
};

/** Rewrites the bookkeeping when it is exactly that; returns the registration calls it removed (empty otherwise). */
export function removeSubscriptionBookkeeping(ctx: SurfaceContext): Set<Node> {
  const { j, root } = ctx;
  const handlers: { call: Node; statement: ASTPath<any>; set: string }[] = [];
  let other = false;
  root.find(j.CallExpression, { callee: { property: { name: 'setRequestHandler' } } }).forEach((p: ASTPath<any>) => {
    const op = SUBSCRIPTION_METHODS[methodOf(ctx, p.node.arguments[0]) ?? ''];
    if (!op) return;
    const set = bookkeepingSet(j, p.node.arguments[p.node.arguments.length - 1], op);
    if (!set || p.parent.node.type !== 'ExpressionStatement') other = true;
    else handlers.push({ call: p.node, statement: p.parent, set });
  });
  const names = new Set(handlers.map(h => h.set));
  if (other || handlers.length === 0 || names.size !== 1) return new Set();
  const [key] = [...names] as [string];
  const found = subscriberSet(ctx, key);
  if (!found) return new Set();
  // Every other read of the Set must be the whole test of an `if` that only guards the update.
  const inHandlers = (p: ASTPath<any>) => handlers.some(h => within(p, h.statement));
  const guards: Guard[] = [];
  for (const p of found.reads) {
    if (inHandlers(p)) continue;
    const guard = guardOf(p);
    if (!guard) return new Set();
    guards.push(guard);
  }
  const edits: TextEdit[] = [];
  for (const guard of guards) {
    const unwrapped = guard.exit ? exitRemoval(ctx, guard.node) : unwrap(ctx, guard.node);
    if (!unwrapped) return new Set();
    edits.push(...unwrapped);
  }
  handlers.forEach((h, i) => edits.push(acknowledgement(ctx, h.call, h.statement.node, i === 0)));
  for (const declaration of found.declarations) edits.push(withLeadingComments(ctx.src, declaration));
  ctx.edits.push(...edits);
  return new Set(handlers.map(h => h.call));
}

/**
 * The handler, reduced to acknowledging: 2025-era clients, which serveStdio still serves, subscribe before they expect
 * updates, and a method the server no longer answers would fail that call. The first one carries the NOTE.
 */
function acknowledgement(ctx: SurfaceContext, call: Node, statement: Node, noted: boolean): TextEdit {
  const { src } = ctx;
  const method = methodOf(ctx, call.arguments[0])!;
  const registrar = src.slice(call.callee.start, call.callee.end);
  const indent = lineIndent(src, statement.start);
  const id = `${SURFACE}/resource-subscribe`;
  const message =
    '2025-era clients still subscribe and unsubscribe here; the handlers acknowledge, and every update is sent ' +
    '(the SDK passes it to a 2026-07-28 client only when its subscriptions/listen stream asked for that URI)';
  let note = '';
  if (noted) {
    markerEdit(src, statement, 'NOTE', id, message, ctx.options);
    note = `// ${markerText('NOTE', id, message)}\n${indent}`;
  }
  return { start: statement.start, end: statement.end, text: `${note}${registrar}('${method}', async () => ({}));` };
}

function methodOf(ctx: SurfaceContext, arg: Node): string | undefined {
  if (arg?.type === 'StringLiteral') return String(arg.value);
  // `types_js_1.SubscribeRequestSchema`: compiled CommonJS.
  if (arg?.type === 'MemberExpression') return methodOfRequiredSchema(ctx, arg);
  if (arg?.type !== 'Identifier') return undefined;
  return METHODS[ctx.imported.get(arg.name) ?? arg.name]?.method;
}

/**
 * A Set named by a variable (`subscribed`) or by a field of the class (`this.subscriptions`, a private
 * `this.#subscriptions`): `name` / `this.name` / `this.#name`.
 */
function setKey(node: Node): string | undefined {
  if (node?.type === 'Identifier') return node.name;
  if (node?.type !== 'MemberExpression' || node.object.type !== 'ThisExpression' || node.computed) return undefined;
  const field = fieldName(node.property);
  return field === undefined ? undefined : `this.${field}`;
}

/** A field's name as written after `this.`: `subscriptions`, or `#subscriptions` for a private one. */
function fieldName(key: Node): string | undefined {
  if (key?.type === 'Identifier') return key.name;
  if (key?.type === 'PrivateName') return `#${key.id.name}`;
  return undefined;
}

/** `logger`, `console`, `this.logger`, `this.session.logger`: what a handler logs through. */
function isLogger(node: Node): boolean {
  if (node?.type === 'Identifier') return LOGGER_NAMES.test(node.name);
  return node?.type === 'MemberExpression' && !node.computed && LOGGER_NAMES.test(node.property?.name ?? '');
}

/**
 * The Set's one declaration, created empty (`const subscribed = new Set()`, a class field `subscriptions = new Set()`,
 * or `this.subscriptions = new Set()` as a statement of the constructor), and every other place that names it. A field
 * is followed only inside its class, and only when no other class of the file has a field of that name.
 */
function subscriberSet(ctx: SurfaceContext, key: string): { declarations: Node[]; reads: ASTPath<any>[] } | undefined {
  const { j, root } = ctx;
  if (!key.startsWith('this.')) {
    const declarators = root.find(j.VariableDeclarator, { id: { type: 'Identifier', name: key } });
    if (declarators.size() !== 1 || !isEmptySet(declarators.get().node.init)) return undefined;
    const declaration = declarators.get().parent;
    if (declaration.node.declarations.length !== 1) return undefined;
    const reads = root
      .find(j.Identifier, { name: key })
      .filter((p: ASTPath<any>) => p.parent.node !== declarators.get().node);
    return { declarations: [declaration.node], reads: reads.paths() };
  }
  const field = key.slice('this.'.length);
  const uses = root
    .find(
      j.MemberExpression,
      (n: Node) => n.object.type === 'ThisExpression' && !n.computed && fieldName(n.property) === field
    )
    .paths();
  const properties: ASTPath<any>[] = root
    .find(
      j.Node,
      (n: Node) =>
        /^(?:Class)?(?:Private)?Property$|^PropertyDefinition$/.test(n.type) &&
        fieldName(n.key) === field &&
        'static' in n
    )
    .paths();
  const classes = new Set([...uses, ...properties].map(classBodyAround));
  if (classes.size !== 1 || classes.has(undefined)) return undefined;
  const withValue = properties.filter(p => p.node.value);
  const assigned = uses.filter(p => p.parent.node.type === 'AssignmentExpression' && p.parent.node.left === p.node);
  // Created once, empty: by its field (`subscriptions = new Set()`) or by one statement (`this.subscriptions = new
  // Set()`, the field then declared without a value, if at all).
  let created: Node;
  if (withValue.length === 1 && assigned.length === 0 && isEmptySet(withValue[0]!.node.value))
    created = withValue[0]!.node;
  else if (withValue.length === 0 && assigned.length === 1) {
    const assignment = assigned[0]!.parent;
    if (assignment.parent.node.type !== 'ExpressionStatement' || !isEmptySet(assignment.node.right)) return undefined;
    created = assignment.parent.node;
  } else return undefined;
  return {
    declarations: [created, ...properties.filter(p => !p.node.value).map(p => p.node)],
    reads: uses.filter(p => !assigned.includes(p))
  };
}

function classBodyAround(p: ASTPath<any>): Node | undefined {
  for (let q: ASTPath<any> | null = p.parent; q; q = q.parent) if (q.node.type === 'ClassBody') return q.node;
  return undefined;
}

/**
 * The Set a handler only keeps: `set.add(request.params.uri)` (or `.delete`), with at most logging, locals read
 * from the request, and `return {}` beside it.
 */
function bookkeepingSet(j: SurfaceContext['j'], handler: Node, op: 'add' | 'delete'): string | undefined {
  if (!isFunction(handler) || handler.body.type !== 'BlockStatement') return undefined;
  let set: string | undefined;
  for (const s of handler.body.body as Node[]) {
    if (s.type === 'ReturnStatement' && s.argument?.type === 'ObjectExpression' && !s.argument.properties.length)
      continue;
    if (
      s.type === 'VariableDeclaration' &&
      s.declarations.every((d: Node) => d.init && !j(d.init).find(j.CallExpression).size())
    )
      continue;
    const e = s.type === 'ExpressionStatement' ? s.expression : undefined;
    const call = e?.type === 'AwaitExpression' ? e.argument : e;
    if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return undefined;
    const target = call.callee.object;
    if (isLogger(target)) continue;
    const key = setKey(target);
    if (!key || call.callee.property?.name !== op || call.arguments.length !== 1) return undefined;
    if (set && set !== key) return undefined;
    set = key;
  }
  return set;
}

function isEmptySet(init: Node): boolean {
  return (
    init?.type === 'NewExpression' &&
    init.callee.type === 'Identifier' &&
    init.callee.name === 'Set' &&
    (init.arguments.length === 0 ||
      (init.arguments[0].type === 'ArrayExpression' && !init.arguments[0].elements.length))
  );
}

/**
 * `if (set.has(uri)) …` with no else, or the early exit before the update `if (!set.has(uri)) return;`, `set` read by
 * `p`: the if.
 */
function guardOf(p: ASTPath<any>): Guard | undefined {
  const member = p.parent;
  const call = member?.parent;
  if (
    member?.node.type !== 'MemberExpression' ||
    member.node.object !== p.node ||
    member.node.property?.name !== 'has' ||
    call?.node.type !== 'CallExpression' ||
    call.node.callee !== member.node
  )
    return undefined;
  const negation = call.parent?.node.type === 'UnaryExpression' && call.parent.node.operator === '!';
  const ifPath = negation ? call.parent.parent : call.parent;
  if (ifPath?.node.type !== 'IfStatement' || ifPath.node.alternate) return undefined;
  if (ifPath.node.test !== (negation ? call.parent.node : call.node)) return undefined;
  if (!negation) return { node: ifPath.node, exit: false };
  const only = onlyStatement(ifPath.node.consequent);
  return only?.type === 'ReturnStatement' && !only.argument ? { node: ifPath.node, exit: true } : undefined;
}

interface Guard {
  node: Node;
  /** `if (!set.has(uri)) return;`: the whole statement goes. */
  exit: boolean;
}

/**
 * The guarded statements, without their guard, under a NOTE: a block's `if (…) {` line becomes the NOTE, its lines
 * move one level out and its `}` line goes; a one-line `if (…) send(…);` loses its `if (…) `.
 */
function unwrap(ctx: SurfaceContext, guard: Node): TextEdit[] | undefined {
  const { src } = ctx;
  const indent = lineIndent(src, guard.start);
  const note = guardGoneNote(ctx, guard);
  const body = guard.consequent;
  if (body.type !== 'BlockStatement') {
    if (src.slice(lineStartOf(src, guard.start), guard.start).trim()) return undefined;
    return [{ start: lineStartOf(src, guard.start), end: body.start, text: `${note}${indent}` }];
  }
  const open = lineStartOf(src, guard.start);
  const openEnd = src.indexOf('\n', body.start);
  const close = lineStartOf(src, body.end - 1);
  // `if (…) {` alone on its line, `}` alone on its own.
  if (src.slice(body.start + 1, openEnd).trim() || src.slice(close, body.end).trim() !== '}') return undefined;
  if (src.slice(open, guard.start).trim()) return undefined;
  const unit = indentUnit(src);
  const edits: TextEdit[] = [{ start: open, end: openEnd + 1, text: note }];
  for (let line = openEnd + 1; line < close; line = src.indexOf('\n', line) + 1) {
    if (src.startsWith(indent + unit, line))
      edits.push({ start: line + indent.length, end: line + indent.length + unit.length, text: '' });
  }
  edits.push(wholeLines(src, { start: close, end: body.end }));
  return edits;
}

/** The early exit's lines go, a NOTE in their place: the update after it is now sent unconditionally. */
function exitRemoval(ctx: SurfaceContext, guard: Node): TextEdit[] | undefined {
  const { src } = ctx;
  if (src.slice(lineStartOf(src, guard.start), guard.start).trim()) return undefined;
  const lines = wholeLines(src, guard);
  // A blank line the exit was set apart by goes with it: the NOTE now introduces the update.
  const blank = /^[ \t]*\r?\n/.exec(src.slice(lines.end))?.[0].length ?? 0;
  return [{ start: lines.start, end: lines.end + blank, text: guardGoneNote(ctx, guard) }];
}

/** The NOTE line (reported too) that takes the place of a guard on the subscriber list, at the guard's indent. */
function guardGoneNote(ctx: SurfaceContext, guard: Node): string {
  const id = `${SURFACE}/resource-subscribe`;
  markerEdit(ctx.src, guard, 'NOTE', id, GUARD_GONE, ctx.options);
  return `${lineIndent(ctx.src, guard.start)}// ${markerText('NOTE', id, GUARD_GONE)}\n`;
}

/** The statement's lines and the line comments right above it (they described it). */
function withLeadingComments(src: string, node: Node): TextEdit {
  const edit = wholeLines(src, node);
  let start = edit.start;
  for (;;) {
    const prev = src.lastIndexOf('\n', start - 2) + 1;
    if (start === 0 || !/^\s*\/\/.*\n$/.test(src.slice(prev, start))) break;
    start = prev;
  }
  // A doc comment right above (`/** Resource URIs the client subscribed to. */`) on lines of its own.
  const doc = /(?:^|\n)([ \t]*\/\*(?:(?!\*\/)[\s\S])*\*\/[ \t]*\n)$/.exec(src.slice(0, start));
  if (doc) start -= doc[1]!.length;
  // Between two blank lines, one of them goes too.
  const end = start >= 2 && src[start - 2] === '\n' && src[edit.end] === '\n' ? edit.end + 1 : edit.end;
  return { start, end, text: '' };
}
