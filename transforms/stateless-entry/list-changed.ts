/**
 * A stateless route announcing a list to the client it has just answered (`await server.sendToolListChanged()` after
 * `handleRequest`, or after an `initialize`): with a server per request nothing is left to send it on, and a
 * 2026-07-28 client reads the lists itself and hears of real changes on `subscriptions/listen`. Such a call does not
 * keep the route from being served; it goes with the route's plumbing, and a NOTE names it.
 */
import type { ASTPath } from 'jscodeshift';
import type { EntryContext } from './entry-context.js';

type Node = any;

/** `server.sendToolListChanged()` (or resources, prompts), where `use` is the server. */
export function announcesListChange(use: ASTPath<any>): boolean {
  const member = use.parent?.node;
  return (
    member?.type === 'MemberExpression' &&
    member.object === use.node &&
    LIST_CHANGED.test(member.property?.name ?? '') &&
    use.parent.parent?.node.type === 'CallExpression'
  );
}

const LIST_CHANGED = /^send(?:Tool|Resource|Prompt)ListChanged$/;

/** The list-changed announcements (`sendToolListChanged`, …) of `server` among the statements the route dropped. */
export function listChangesIn(ctx: EntryContext, dropped: Node[], server: string | undefined): string[] {
  const { j } = ctx;
  if (!server) return [];
  const names = dropped.flatMap(s =>
    j(s)
      .find(j.CallExpression, { callee: { type: 'MemberExpression', object: { name: server } } })
      .nodes()
      .map((c: Node) => c.callee.property?.name)
      .filter((n: string | undefined): n is string => !!n && LIST_CHANGED.test(n))
  );
  return [...new Set(names)];
}

export function listChangedMessage(calls: string[]): string {
  return (
    `this route announced ${calls.map(c => `${c}()`).join(', ')} to the client it had just answered; that went ` +
    'with the per-request server: a 2026-07-28 client reads the lists itself and hears of changes on ' +
    'subscriptions/listen (handler.notify.toolsChanged() and the like, when they really change)'
  );
}
