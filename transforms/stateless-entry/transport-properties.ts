/**
 * A class that kept its sessions' transports in a property (`private transports: Map<string, SSEServerTransport>`)
 * has no use for it once its routes serve through createMcpHandler: the property goes once its only `this.` uses are
 * statements that only work the map (a shutdown loop, `clear()`), which go with it.
 */
import type { ASTPath } from 'jscodeshift';
import { enclosingStatement, isEmptyValue, removeStatement, within } from '../kit/ast.js';
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
      const asMap = statements.every(st => st && worksOnlyTheMap(j, st.node, isProperty));
      // One transport (`private transport: SSEServerTransport | null = null`) no route sets any more: it is only ever
      // null, so `if (this.transport) { … }` never runs and `this.transport = null` changes nothing.
      const nullOnly = asMap ? undefined : alwaysNullUses(uses.paths(), isProperty);
      if (!asMap && !nullOnly) return;
      const removed: ASTPath<any>[] = [];
      for (const st of (nullOnly ?? statements) as ASTPath<any>[]) {
        if (removed.some(r => within(st, r))) continue;
        removed.push(st);
        removeStatement(j, st);
      }
      for (const t of j(p.node).toSource().match(TRANSPORT_TYPE) ?? []) ctx.maybeUnused.add(t);
      removeStatement(j, p, SESSION_COMMENT);
      ctx.changed = true;
    });
}

/**
 * The same table kept on a shared object instead (`app.locals.transports = new Map<string, Transport>()`, Express's
 * place for app-wide values; the routes read it back through `req.app.locals`): the assignment goes once nothing
 * in the file reads a property of that name any more.
 */
export function removeUnusedTransportSlots(ctx: EntryContext): void {
  const { j, root } = ctx;
  root
    .find(j.ExpressionStatement, {
      expression: { type: 'AssignmentExpression', operator: '=', left: { type: 'MemberExpression', computed: false } }
    })
    .filter((p: ASTPath<any>) => holdsTransports(ctx, { value: p.node.expression.right }))
    .forEach((p: ASTPath<any>) => {
      const slot = p.node.expression.left;
      const name = slot.property?.name;
      const read = root
        .find(j.MemberExpression, { property: { name } })
        .some((m: ASTPath<any>) => m.node !== slot && !m.node.computed);
      if (!name || read) return;
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
    isEmptyValue(init) ||
    (init.type === 'ObjectExpression' && init.properties.length === 0) ||
    (init.type === 'NewExpression' && init.callee?.name === 'Map' && init.arguments.length === 0);
  return empty && /SSEServerTransport|StreamableHTTPServerTransport/.test(annotation + initText);
}

/**
 * The statements that go when every use of the property either sets it to null (`this.transport = null;`) or is
 * what an `if` without `else` tests first (`if (this.transport)`, `if (this.transport && open)`): the ifs, whole, and
 * the assignments. Undefined when any use is anything else (the property still holds something).
 */
function alwaysNullUses(uses: ASTPath<any>[], isProperty: (n: any) => boolean): ASTPath<any>[] | undefined {
  const out: ASTPath<any>[] = [];
  for (const use of uses) {
    const parent = use.parent;
    if (
      parent?.node.type === 'AssignmentExpression' &&
      parent.node.operator === '=' &&
      parent.node.left === use.node &&
      isEmptyValue(parent.node.right) &&
      parent.parent?.node.type === 'ExpressionStatement'
    ) {
      out.push(parent.parent);
      continue;
    }
    let test: ASTPath<any> = use;
    while (
      test.parent?.node.type === 'LogicalExpression' &&
      test.parent.node.operator === '&&' &&
      test.parent.node.left === test.node
    )
      test = test.parent;
    const ifPath = test.parent;
    if (
      ifPath?.node.type === 'IfStatement' &&
      ifPath.node.test === test.node &&
      !ifPath.node.alternate &&
      Array.isArray(ifPath.parent?.node.body)
    ) {
      if (!isProperty(use.node)) return undefined;
      out.push(ifPath);
      continue;
    }
    return undefined;
  }
  return out;
}
