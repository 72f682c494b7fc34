/**
 * A session sweep (`setInterval(() => { const now = Date.now(); for (… of Object.entries(sessions)) { …close, delete… }
 * }, 60_000)`) whose loop went with the session map: the timer is left ticking over what is left of its callback,
 * declarations nothing reads. It goes, and with it the module constants only the sweep read (`const IDLE_MS = 10 *
 * 60_000`). A timer started as a statement of its own, or one whose kept handle is only unref'd and cleared (those
 * statements go with it).
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { enclosingFunctionPath, isValueReference, removeStatement } from '../kit/ast.js';
import { SESSION_COMMENT, type EntryContext } from './entry-context.js';
import { isClockRead } from './module-functions.js';

type Node = any;

const TIMERS = /^(?:setInterval|setTimeout)$/;

export interface SweepCallback {
  fn: ASTPath<any>;
  /** Names the callback read before its statements went: constants only it may have used. */
  read: Set<string>;
}

/** The timer callback `statement` sits directly in, with the names it reads, before anything is removed. */
export function sweepCallbackOf(j: JSCodeshift, statement: ASTPath<any>): SweepCallback | undefined {
  const fn = enclosingFunctionPath(statement);
  if (!fn || !isTimerCallback(fn)) return undefined;
  const read = new Set<string>(
    j(fn.node.body)
      .find(j.Identifier)
      .nodes()
      .map((n: Node) => n.name)
  );
  return { fn, read };
}

/** Removes each timer whose callback now does nothing, then the module constants only those callbacks read. */
export function removeEmptiedTimers(ctx: EntryContext, callbacks: SweepCallback[]): void {
  const { j, root } = ctx;
  const read = new Set<string>();
  for (const { fn, read: names } of callbacks) {
    const own = timerStatement(fn);
    const statements = own ? [own] : heldTimerStatements(j, root, fn);
    if (!statements || !doesNothing(j, fn.node)) {
      // Still doing other work (`rateLimiter.sweep()`): only what the loop read goes (`const now = Date.now()`, and a
      // module constant nothing reads any more, `IDLE_MS`).
      // Through the paths, not the arrays: a list changed underneath them makes later finds build new paths and
      // scopes, which no longer compare equal to the ones already read.
      if (fn.node.body?.type === 'BlockStatement')
        j(fn.get('body'))
          .find(j.VariableDeclaration)
          .filter((st: ASTPath<any>) => st.parent.node === fn.node.body && unread(j, fn.node, st.node))
          .remove();
      for (const n of names) read.add(n);
      continue;
    }
    for (const n of names) read.add(n);
    for (const st of statements) removeStatement(j, st, SESSION_COMMENT);
    ctx.changed = true;
  }
  if (!read.size) return;
  root
    .find(j.VariableDeclaration, { kind: 'const' })
    .filter((p: ASTPath<any>) => {
      const s = p.node;
      if (p.parent?.node.type !== 'Program' || s.declarations.length !== 1) return false;
      const d = s.declarations[0];
      if (d.id.type !== 'Identifier' || !read.has(d.id.name) || !plainValue(d.init)) return false;
      return !root
        .find(j.Identifier, { name: d.id.name })
        .some((u: ASTPath<any>) => u.node !== d.id && isValueReference(u));
    })
    .remove();
}

/** `fn` is the callback a `setInterval` / `setTimeout` call is handed first. */
function isTimerCallback(fn: ASTPath<any>): boolean {
  const call = fn.parent?.node;
  return (
    call?.type === 'CallExpression' &&
    call.arguments[0] === fn.node &&
    call.callee.type === 'Identifier' &&
    TIMERS.test(call.callee.name)
  );
}

/** `setInterval(fn, ms);`, `setInterval(fn, ms).unref();`: the statement starting the timer `fn` is handed to. */
function timerStatement(fn: ASTPath<any>): ASTPath<any> | undefined {
  if (!isTimerCallback(fn)) return undefined;
  const call = fn.parent;
  let top = call;
  const parent = top.parent;
  // `.unref()` on the handle.
  if (
    parent?.node.type === 'MemberExpression' &&
    parent.node.object === top.node &&
    parent.parent?.node.type === 'CallExpression'
  )
    top = parent.parent;
  return top.parent?.node.type === 'ExpressionStatement' ? top.parent : undefined;
}

/**
 * `const sweeper = setInterval(fn, ms)` whose handle is only unref'd and cleared (`sweeper.unref()`,
 * `clearInterval(sweeper)` at shutdown, each a statement of its own): the declaration and those statements.
 */
function heldTimerStatements(j: JSCodeshift, root: any, fn: ASTPath<any>): ASTPath<any>[] | undefined {
  if (!isTimerCallback(fn)) return undefined;
  const d = fn.parent.parent;
  const declaration = d?.parent;
  if (
    d?.node.type !== 'VariableDeclarator' ||
    d.node.id.type !== 'Identifier' ||
    declaration?.node.type !== 'VariableDeclaration' ||
    declaration.node.declarations.length !== 1
  )
    return undefined;
  const name = d.node.id.name;
  const scope = d.scope?.lookup(name);
  const uses = root
    .find(j.Identifier, { name })
    .filter((p: ASTPath<any>) => p.node !== d.node.id && isValueReference(p) && p.scope?.lookup(name) === scope)
    .paths();
  const statements: ASTPath<any>[] = [declaration];
  for (const u of uses) {
    const parent = u.parent;
    // `sweeper.unref()`, `sweeper.unref?.()`
    const handle =
      /MemberExpression$/.test(parent.node.type) &&
      parent.node.object === u.node &&
      /^(?:unref|ref)$/.test(parent.node.property?.name ?? '') &&
      /CallExpression$/.test(parent.parent?.node.type) &&
      parent.parent.node.callee === parent.node
        ? parent.parent
        : undefined;
    // `clearInterval(sweeper)`
    const cleared =
      parent.node.type === 'CallExpression' &&
      parent.node.callee.type === 'Identifier' &&
      /^clear(?:Interval|Timeout)$/.test(parent.node.callee.name) &&
      parent.node.arguments.length === 1
        ? parent
        : undefined;
    const statement = (handle ?? cleared)?.parent;
    if (statement?.node.type !== 'ExpressionStatement') return undefined;
    statements.push(statement);
  }
  return statements;
}

/** Nothing left but declarations of plain values nothing in the callback reads. */
function doesNothing(j: JSCodeshift, fn: Node): boolean {
  if (fn.body?.type !== 'BlockStatement') return false;
  return fn.body.body.every((s: Node) => unread(j, fn, s));
}

/** A declaration of plain values (a literal, the clock) that nothing in the callback `fn` reads. */
function unread(j: JSCodeshift, fn: Node, s: Node): boolean {
  if (s.type !== 'VariableDeclaration') return false;
  return s.declarations.every(
    (d: Node) =>
      d.id.type === 'Identifier' &&
      (d.init === null || timeValue(d.init)) &&
      !j(fn.body)
        .find(j.Identifier, { name: d.id.name })
        .some((p: ASTPath<any>) => p.node !== d.id && isValueReference(p))
  );
}

/** A literal, the clock, or arithmetic over them (`Date.now() - 15 * 60_000`: a sweep's cutoff). */
function timeValue(n: Node): boolean {
  if (n?.type === 'BinaryExpression') return timeValue(n.left) && timeValue(n.right);
  return plainValue(n) || isClockRead(n);
}

/** A literal, or arithmetic over literals (`10 * 60_000`). */
function plainValue(n: Node): boolean {
  if (!n) return false;
  if (/^(?:NumericLiteral|StringLiteral|BooleanLiteral|NullLiteral)$/.test(n.type)) return true;
  if (n.type === 'Literal') return true;
  if (n.type === 'BinaryExpression') return plainValue(n.left) && plainValue(n.right);
  if (n.type === 'UnaryExpression') return n.operator === '-' && plainValue(n.argument);
  return false;
}
