/**
 * A class that kept its sessions' transports in a property (`private transports: Map<string, SSEServerTransport>`)
 * has no use for it once its routes serve through createMcpHandler: the property goes once its only `this.` uses are
 * statements that only work the map (a shutdown loop, `clear()`), which go with it.
 */
import type { ASTPath } from 'jscodeshift';
import { enclosingStatement, removeStatement } from '../kit/ast.js';
import { worksOnlyTheMap } from './map-leftovers.js';
import { SESSION_COMMENT, type EntryContext } from './entry-context.js';

const TRANSPORT_TYPE = /\b(?:SSEServerTransport|\w*StreamableHTTPServerTransport)\b/g;

export function removeUnusedTransportProperties(ctx: EntryContext): void {
  const { j, root } = ctx;
  root
    .find(j.ClassProperty)
    .filter((p: ASTPath<any>) => !p.node.static && p.node.key?.type === 'Identifier' && holdsTransports(ctx, p.node))
    .forEach((p: ASTPath<any>) => {
      const name = p.node.key.name;
      const body = p.parent.node;
      const isProperty = (n: any) =>
        n?.type === 'MemberExpression' && n.object.type === 'ThisExpression' && n.property?.name === name;
      const uses = j(body).find(j.MemberExpression, { object: { type: 'ThisExpression' }, property: { name } });
      // A shutdown loop closing every transport, `this.transports.clear()`: they go with the property.
      const statements = uses.paths().map((u: ASTPath<any>) => enclosingStatement(u));
      if (statements.some(st => !st || !worksOnlyTheMap(j, st.node, isProperty))) return;
      const removed = new Set<any>();
      for (const st of statements) {
        if (removed.has(st!.node)) continue;
        removed.add(st!.node);
        removeStatement(j, st!);
      }
      for (const t of j(p.node).toSource().match(TRANSPORT_TYPE) ?? []) ctx.maybeUnused.add(t);
      removeStatement(j, p, SESSION_COMMENT);
      ctx.changed = true;
    });
}

/** An empty `new Map()` / `{}` (or no value) whose declared type names a transport class. */
function holdsTransports(ctx: EntryContext, node: any): boolean {
  const { j } = ctx;
  const annotation = node.typeAnnotation ? j(node.typeAnnotation).toSource() : '';
  const init = node.value;
  const initText = init ? j(init).toSource() : '';
  const empty =
    !init ||
    (init.type === 'ObjectExpression' && init.properties.length === 0) ||
    (init.type === 'NewExpression' && init.callee?.name === 'Map' && init.arguments.length === 0);
  return empty && /SSEServerTransport|StreamableHTTPServerTransport/.test(annotation + initText);
}
