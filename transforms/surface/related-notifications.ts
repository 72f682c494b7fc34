/**
 * Progress a handler sends through the server (`server.server.notification({ method: 'notifications/progress', … })`,
 * with or without v1's `{ relatedRequestId }`) reaches a client over stdio only. Behind `createMcpHandler` each
 * request has its own response stream and there is no other: a notification not tied to its request goes nowhere,
 * and the client's progress callback never runs (found serving a migrated HTTP crawler; the official everything
 * server reports its long-running operation this way). The handler's own context sends on that request's stream
 * (`ctx.mcpReq.notify(…)`), on every transport, so the call becomes that wherever the handler's context is in reach.
 * Where it is not (a helper or base class keeping the token), a NOTE says what to do.
 */
import type { ASTPath } from 'jscodeshift';
import { isStringLiteral, propertyNamed } from '../kit/ast.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

/** Notifications about one request, which only that request's stream can carry. */
const RELATED = 'notifications/progress';

export function relateNotificationsToTheirRequest(ctx: SurfaceContext): void {
  const { j, root, src } = ctx;
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'notification' } } })
    .forEach((p: ASTPath<any>) => {
      const [notification] = p.node.arguments;
      const method = notification?.type === 'ObjectExpression' ? propertyNamed(notification, 'method') : undefined;
      if (!isStringLiteral(method?.value, RELATED)) return;
      const context = handlerContextInReach(j, p);
      if (context) {
        ctx.edits.push({
          start: p.node.callee.start,
          end: p.node.end,
          text: `${context}.mcpReq.notify(${src.slice(notification.start, notification.end)})`
        });
        return;
      }
      ctx.mark(
        p,
        'NOTE',
        'related-notification',
        "progress sent through the server reaches an HTTP client only on its request's own stream: send it with " +
          'the handler context (ctx.mcpReq.notify(…)), handing that context to the code that reports progress'
      );
    });
}

/** The name of a v2 handler context a function around `p` takes: a parameter the function reads `.mcpReq` of. */
function handlerContextInReach(j: SurfaceContext['j'], p: ASTPath<any>): string | undefined {
  for (let cur = p.parent; cur; cur = cur.parent) {
    const fn: Node = cur.node;
    if (!/Function|ArrowFunction/.test(fn.type)) continue;
    for (const param of fn.params ?? []) {
      if (param.type !== 'Identifier') continue;
      const readsRequest = j(fn.body)
        .find(j.MemberExpression, { object: { type: 'Identifier', name: param.name }, property: { name: 'mcpReq' } })
        .size();
      if (readsRequest) return param.name;
    }
  }
  return undefined;
}
