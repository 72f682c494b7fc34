/**
 * v1's log calls returned a promise; what replaces them (`mcpLog(…)`, `console.error(…)`) returns nothing. Where the
 * code around a call uses that promise (`.catch(…)`, `.then(…)`, a callback typed to return `Promise<void>`, a value
 * handed on), a bare replacement would throw at run time (`undefined.catch`) or fail to type-check. This decides how
 * the replacement must be written so the surrounding code keeps working.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isFunction, isValueReference } from '../kit/ast.js';

type Node = any;

/**
 * - `statement`: the value is dropped or only awaited: write the replacement as it is;
 * - `caught`: the call only had a rejection handler, which can no longer run: the `.catch(…)` ends at `end` and goes;
 * - `value`: something uses the promise: keep one, `Promise.resolve(replacement)`.
 */
export type PromiseUse = { kind: 'statement' } | { kind: 'caught'; end: number } | { kind: 'value' };

/** Callbacks whose return value nobody reads: a timer's, an event listener's, forEach's. */
const VOID_CALLBACK_CALLEES = /^(?:setInterval|setTimeout|setImmediate|queueMicrotask|on|once|addListener|forEach)$/;

export function promiseUse(j: JSCodeshift, p: ASTPath<any>): PromiseUse {
  const parent = p.parent?.node;
  const call = p.node;
  if (
    parent?.type === 'MemberExpression' &&
    parent.object === call &&
    !parent.computed &&
    parent.property?.name === 'catch' &&
    p.parent.parent?.node.type === 'CallExpression' &&
    p.parent.parent.node.callee === parent &&
    ignored(j, p.parent.parent)
  )
    return { kind: 'caught', end: p.parent.parent.node.end };
  return ignored(j, p) ? { kind: 'statement' } : { kind: 'value' };
}

/** Is the value of the expression at `p` dropped (a statement, `void`, awaited as a statement, a void callback)? */
function ignored(j: JSCodeshift, p: ASTPath<any>): boolean {
  const parent = p.parent?.node;
  if (!parent) return true;
  if (parent.type === 'ExpressionStatement') return true;
  if (parent.type === 'UnaryExpression' && parent.operator === 'void') return true;
  if (parent.type === 'AwaitExpression') return ignored(j, p.parent);
  if (parent.type === 'SequenceExpression' && parent.expressions[parent.expressions.length - 1] !== p.node) return true;
  if (isFunction(parent) && parent.body === p.node) return isVoidCallback(p.parent) || resultsUnread(j, p.parent);
  return false;
}

/** `const log = (…) => …` in this module, not exported, whose every call drops what it returns. */
function resultsUnread(j: JSCodeshift, fn: ASTPath<any>): boolean {
  const declarator = fn.parent?.node;
  if (declarator?.type !== 'VariableDeclarator' || declarator.id.type !== 'Identifier') return false;
  if (fn.parent.parent?.parent?.node.type === 'ExportNamedDeclaration') return false;
  const name: string = declarator.id.name;
  const binding = fn.parent.scope?.lookup(name);
  let program: ASTPath<any> = fn;
  while (program.parent) program = program.parent;
  const uses = j(program)
    .find(j.Identifier, { name })
    .filter((r: ASTPath<any>) => r.node !== declarator.id && isValueReference(r) && r.scope?.lookup(name) === binding);
  return (
    uses.size() > 0 &&
    uses.every(
      (r: ASTPath<any>) =>
        r.parent.node.type === 'CallExpression' && r.parent.node.callee === r.node && ignored(j, r.parent)
    )
  );
}

/** An arrow passed to a callee that ignores what it returns. */
function isVoidCallback(fn: ASTPath<any>): boolean {
  const call = fn.parent?.node;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(fn.node)) return false;
  const callee: Node = call.callee;
  const name =
    callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? callee.property?.name : '';
  return VOID_CALLBACK_CALLEES.test(name ?? '');
}
