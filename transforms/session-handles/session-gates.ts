/**
 * Session-keyed gates: a module function that records something under the session id and answers yes or no
 * (`if (!allow(ctx.sessionId)) return { isError: true, … }` over a Map of call times, a quota, a failed-attempt
 * counter). A handle cannot stand in for the session here, whatever the names say: the client mints handles, so
 * it would mint a fresh one whenever the gate says no. Such a read gets its own marker instead.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';

type Node = any;

const WRITING_METHODS = /^(set|push|unshift|splice|delete|add|clear)$/;

export const SESSION_GATE = {
  rule: 'session-gate',
  message:
    'the session id keys a check that lets this call through or refuses it (a rate limit, a quota, a count of ' +
    'attempts); there are no sessions on 2026-07-28, and a handle would not do: the client mints handles and could ' +
    'take a new one whenever it is refused. Key it by the principal (ctx.http?.authInfo?.clientId) instead'
};

/** Does the module function `fn` change state it keeps and answer with a yes or no? */
export function isGateFunction(j: JSCodeshift, fn: Node | undefined): boolean {
  if (!fn) return false;
  const body = j(fn.body);
  const writes =
    body
      .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
      .filter((p: ASTPath<any>) => WRITING_METHODS.test(p.node.callee.property?.name ?? ''))
      .size() > 0 ||
    body.find(j.AssignmentExpression, { left: { type: 'MemberExpression' } }).size() > 0 ||
    body.find(j.UpdateExpression).size() > 0;
  if (!writes) return false;
  const answers = body
    .find(j.ReturnStatement)
    .filter((p: ASTPath<any>) => !!p.node.argument)
    .nodes()
    .map((r: Node) => r.argument);
  return answers.length > 0 && answers.every(isYesOrNo);
}

function isYesOrNo(n: Node): boolean {
  if (n.type === 'BooleanLiteral' || (n.type === 'Literal' && typeof n.value === 'boolean')) return true;
  if (n.type === 'UnaryExpression' && n.operator === '!') return true;
  return n.type === 'BinaryExpression' && /^(?:[<>]=?|[!=]==?)$/.test(n.operator);
}

/** Is the call at `p` what a condition tests (`if (!allow(sid))`, `allow(sid) ? … : …`, `ok && allow(sid)`)? */
export function isTested(p: ASTPath<any>): boolean {
  let cur = p;
  for (;;) {
    const parent = cur.parent?.node;
    if (!parent) return false;
    if (
      (parent.type === 'UnaryExpression' && parent.operator === '!') ||
      parent.type === 'LogicalExpression' ||
      parent.type === 'AwaitExpression' ||
      parent.type === 'ParenthesizedExpression'
    )
      cur = cur.parent;
    else
      return (
        (parent.type === 'IfStatement' ||
          parent.type === 'ConditionalExpression' ||
          parent.type === 'WhileStatement') &&
        parent.test === cur.node
      );
  }
}
