/**
 * v1 servers kept their own subscriber list: `resources/subscribe` added the URI to a Set, `resources/unsubscribe`
 * took it out, and updates went out only `if (subscribed.has(uri))`. On 2026-07-28 a client subscribes with
 * `subscriptions/listen` and the SDK's listen router delivers `notifications/resources/updated` only to the streams
 * that asked for that URI, so the list, its two handlers and the guard have nothing left to do: the handlers and the
 * Set go, and the update is sent unconditionally, under a NOTE. Only that exact bookkeeping is rewritten; a Set read
 * any other way (iterated by a timer, counted) or handlers doing more than keeping it keep the TODO markers.
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction, LOGGER_NAMES, within } from '../kit/ast.js';
import { markerEdit, markerText } from '../kit/markers.js';
import { indentUnit } from '../kit/source-style.js';
import { lineIndent, lineStartOf, wholeLines, type TextEdit } from '../kit/text-edits.js';
import { METHODS } from './routing.js';
import { SURFACE, type SurfaceContext } from './surface-context.js';

type Node = any;

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
  const [name] = [...names] as [string];
  const declarators = root.find(j.VariableDeclarator, { id: { type: 'Identifier', name } });
  if (declarators.size() !== 1 || !isEmptySet(declarators.get().node.init)) return new Set();
  const declaration = declarators.get().parent;
  if (declaration.node.declarations.length !== 1) return new Set();
  // Every other read of the Set must be the whole test of an `if` that only guards the update.
  const inHandlers = (p: ASTPath<any>) => handlers.some(h => within(p, h.statement));
  const guards: Node[] = [];
  const reads = root.find(j.Identifier, { name }).filter((p: ASTPath<any>) => p.parent.node !== declarators.get().node);
  for (const p of reads.paths()) {
    if (inHandlers(p)) continue;
    const guard = guardOf(p);
    if (!guard) return new Set();
    guards.push(guard);
  }
  const edits: TextEdit[] = [];
  for (const guard of guards) {
    const unwrapped = unwrap(ctx, guard);
    if (!unwrapped) return new Set();
    edits.push(...unwrapped);
  }
  for (const h of handlers) edits.push(withLeadingComments(ctx.src, h.statement.node));
  edits.push(withLeadingComments(ctx.src, declaration.node));
  ctx.edits.push(...edits);
  return new Set(handlers.map(h => h.call));
}

function methodOf(ctx: SurfaceContext, arg: Node): string | undefined {
  if (arg?.type === 'StringLiteral') return String(arg.value);
  if (arg?.type !== 'Identifier') return undefined;
  return METHODS[ctx.imported.get(arg.name) ?? arg.name]?.method;
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
    if (target.type === 'Identifier' && LOGGER_NAMES.test(target.name)) continue;
    if (target.type !== 'Identifier' || call.callee.property?.name !== op || call.arguments.length !== 1)
      return undefined;
    if (set && set !== target.name) return undefined;
    set = target.name;
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

/** `if (set.has(uri)) …` with no else, `set` read by `p`: the if. */
function guardOf(p: ASTPath<any>): Node | undefined {
  const member = p.parent;
  const call = member?.parent;
  const ifPath = call?.parent;
  if (
    member?.node.type !== 'MemberExpression' ||
    member.node.object !== p.node ||
    member.node.property?.name !== 'has' ||
    call?.node.type !== 'CallExpression' ||
    call.node.callee !== member.node ||
    ifPath?.node.type !== 'IfStatement' ||
    ifPath.node.test !== call.node ||
    ifPath.node.alternate
  )
    return undefined;
  return ifPath.node;
}

/**
 * The guarded statements, without their guard, under a NOTE: a block's `if (…) {` line becomes the NOTE, its lines
 * move one level out and its `}` line goes; a one-line `if (…) send(…);` loses its `if (…) `.
 */
function unwrap(ctx: SurfaceContext, guard: Node): TextEdit[] | undefined {
  const { src } = ctx;
  const id = `${SURFACE}/resource-subscribe`;
  const message =
    'clients subscribe with subscriptions/listen on 2026-07-28, and the SDK sends this update only to the streams ' +
    'that asked for its URI: the subscriber list it was guarded by is gone';
  markerEdit(src, guard, 'NOTE', id, message, ctx.options);
  const indent = lineIndent(src, guard.start);
  const note = `${indent}// ${markerText('NOTE', id, message)}\n`;
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

/** The statement's lines and the line comments right above it (they described it). */
function withLeadingComments(src: string, node: Node): TextEdit {
  const edit = wholeLines(src, node);
  let start = edit.start;
  for (;;) {
    const prev = src.lastIndexOf('\n', start - 2) + 1;
    if (start === 0 || !/^\s*\/\/.*\n$/.test(src.slice(prev, start))) break;
    start = prev;
  }
  // Between two blank lines, one of them goes too.
  const end = start >= 2 && src[start - 2] === '\n' && src[edit.end] === '\n' ? edit.end + 1 : edit.end;
  return { start, end, text: '' };
}
