/**
 * `ctx.http?.closeSSE` / `closeStandaloneSSE` (v1 `extra.closeSSEStream`) exist only on a Streamable HTTP transport
 * configured with an event store: they end a stream so that the client resumes it with Last-Event-ID. 2026-07-28 has
 * no resumability and neither createMcpHandler nor serveStdio sets them, so a branch they guard never runs and a
 * call of one does nothing. Both go, with a NOTE where they stood; any other use of them stays for `check`.
 */
import type { ASTPath } from 'jscodeshift';
import { removeStatement, statementPathOf, within } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

const CLOSERS = new Set(['closeSSE', 'closeStandaloneSSE']);
/** Comments about the stream being closed for the client to poll or resume: they go with the code they describe. */
const ABOUT_RESUMING = /closeSSE|event ?store|last-event-id|reconnect|resum|poll/i;

export const CLOSE_SSE_NOTE =
  'a call closing the response stream (closeSSE, closeStandaloneSSE) went: they exist only on a Streamable HTTP ' +
  'transport with an event store, which createMcpHandler and serveStdio do not have (2026-07-28 has no ' +
  'resumability); a long tool call now answers on its one response';

/** `<x>.http.closeSSE` / `<x>.http?.closeSSE` (and the standalone form). */
function isCloser(node: Node): boolean {
  const member = node?.type === 'TSNonNullExpression' ? node.expression : node;
  if (member?.type !== 'MemberExpression' && member?.type !== 'OptionalMemberExpression') return false;
  if (member.computed || !CLOSERS.has(member.property?.name)) return false;
  const http = member.object;
  return (
    (http?.type === 'MemberExpression' || http?.type === 'OptionalMemberExpression') &&
    !http.computed &&
    http.property?.name === 'http'
  );
}

/** A test that is false whenever the closer is missing: the closer itself, or an `&&` chain holding it. */
function needsCloser(test: Node): boolean {
  if (isCloser(test)) return true;
  return (
    test?.type === 'LogicalExpression' && test.operator === '&&' && (needsCloser(test.left) || needsCloser(test.right))
  );
}

function callsCloser(statement: Node): boolean {
  if (statement.type !== 'ExpressionStatement') return false;
  let e = statement.expression;
  if (e?.type === 'AwaitExpression' || e?.type === 'UnaryExpression') e = e.argument;
  return (e?.type === 'CallExpression' || e?.type === 'OptionalCallExpression') && isCloser(e.callee);
}

export function removeCloseSseCalls(ctx: EntryContext): void {
  const { j, root } = ctx;
  const dead = root
    .find(j.Statement)
    .filter(
      (p: ASTPath<any>) =>
        Array.isArray(p.parent?.node.body) &&
        ((p.node.type === 'IfStatement' && !p.node.alternate && needsCloser(p.node.test)) || callsCloser(p.node))
    )
    .paths()
    // The outermost only: a call inside a removed branch goes with it.
    .filter((p: ASTPath<any>, _i: number, all: ASTPath<any>[]) => !all.some(o => o !== p && within(p, o)));
  for (const p of dead) {
    const siblings: Node[] = p.parent.node.body;
    const i = siblings.indexOf(p.node);
    const anchor = siblings[i + 1] ?? siblings[i - 1];
    // A block the removal empties: the NOTE goes on the statement holding it.
    const owner = anchor || !p.parent.parent ? undefined : statementPathOf(p.parent.parent).node;
    removeStatement(j, p, ABOUT_RESUMING);
    ctx.note(anchor ?? owner ?? p.parent.node, 'close-sse', CLOSE_SSE_NOTE);
    ctx.changed = true;
  }
}
