/**
 * v1's low-level `Server<RequestT, NotificationT, ResultT>` was generic over the project's own requests,
 * notifications and results; v2's `Server` takes no type parameters (TS2315 "Type 'Server' is not generic"). Where the
 * arguments only narrow a value (`server as Server<Request, Notification, Result>`) they go. Where a type reads them
 * back (`S extends Server<infer R, any, any> ? R : never`) there is nothing left to read: the reference stays, marked.
 */
import type { ASTPath } from 'jscodeshift';
import { typeArgumentList } from '../kit/ast.js';
import type { SurfaceContext } from './surface-context.js';

export function dropServerTypeArguments(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  root.find(j.TSTypeReference, { typeName: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    if (ctx.imported.get(p.node.typeName.name) !== 'Server') return;
    const list = typeArgumentList(p.node);
    if (!list) return;
    if (j(list).find(j.TSInferType).size() > 0) {
      ctx.mark(
        p,
        'TODO',
        'server-type-parameters',
        "v2's Server takes no type parameters, so a type cannot infer v1's request, notification and result types " +
          'from it: name the types (ServerRequest, ServerNotification, ServerResult) directly'
      );
      return;
    }
    ctx.edits.push({ start: list.start, end: list.end, text: '' });
  });
}
