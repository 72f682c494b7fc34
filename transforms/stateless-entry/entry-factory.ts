/**
 * The factory an entry serves, shared by every entry of one module: a server built once at module scope and
 * connected by a stdio entry and an SSE or HTTP entry alike becomes one generated `createServer()`, which each
 * entry then serves (the first entry generates it; the others reuse it instead of finding its declaration gone).
 */
import type { ASTPath } from 'jscodeshift';
import { resolveFactory, type FactoryOptions, type FactoryOutcome } from '../kit/server-factory.js';
import type { EntryContext } from './entry-context.js';
import { notAServer } from './server-evidence.js';

export function entryFactory(
  ctx: EntryContext,
  connect: ASTPath<any>,
  serverExpr: any,
  hoistTo: any,
  options: FactoryOptions = {}
): FactoryOutcome {
  const { j, root } = ctx;
  const name = serverExpr.type === 'Identifier' ? serverExpr.name : undefined;
  // Only where `name` is the module's binding: another function's own `server` is another server.
  const moduleLevel = name !== undefined && connect.scope?.lookup(name)?.path.node.type === 'Program';
  const shared = moduleLevel ? ctx.sharedFactories.get(name!) : undefined;
  if (shared)
    return { call: j.callExpression(j.identifier(shared), []), block: ctx.program, apply: () => {}, closeCalls: [] };
  const wrapper = notAServer(ctx, connect, serverExpr);
  if (wrapper?.accessor && name) {
    // `proxy.connect(t)` on a wrapper that hands out its server: what `proxy.getServer()` returns is served.
    const inner = j.callExpression(j.memberExpression(j.identifier(name), j.identifier(wrapper.accessor)), []);
    connect.node.callee.object = inner;
    const plan = entryFactory(ctx, connect, inner, hoistTo, options);
    if ('unsafe' in plan) return plan;
    const message =
      `\`${name}\` wraps a server (it has \`${wrapper.accessor}()\`), so what \`${name}.${wrapper.accessor}()\` returns is ` +
      `served; check that \`${name}.connect()\` did nothing besides connecting that server`;
    return { ...plan, note: { rule: 'wrapped-server', message } };
  }
  if (wrapper) return { unsafe: wrapper.reason, notServer: true };
  const plan = resolveFactory(j, root, connect, serverExpr, hoistTo, { ...options, otherEntries: true });
  if (name && !('unsafe' in plan) && plan.generated && !plan.hoisted && plan.block === ctx.program)
    ctx.sharedFactories.set(name, plan.generated);
  // A filled `let`: the other entries serve its factory once it exists, not before (this entry may still give up).
  if (name && !('unsafe' in plan) && plan.shared && plan.generated) {
    const generated = plan.generated;
    return {
      ...plan,
      apply: () => {
        plan.apply();
        ctx.sharedFactories.set(name, generated);
      }
    };
  }
  return plan;
}

/**
 * An entry left as it was (marked) still connects the module's server, which another entry moved into the shared
 * factory: it now connects a fresh server from that factory, as each v1 connection should have.
 */
export function connectLeftoversToSharedFactories(ctx: EntryContext): void {
  const { j, root } = ctx;
  for (const [name, factory] of ctx.sharedFactories) {
    root
      .find(j.CallExpression, {
        callee: { type: 'MemberExpression', object: { type: 'Identifier', name }, property: { name: 'connect' } }
      })
      .filter((p: ASTPath<any>) => {
        const scope = p.scope?.lookup(name);
        if (scope && scope.path.node.type !== 'Program') return false;
        return !j(p)
          .closest(j.FunctionDeclaration, { id: { name: factory } })
          .size();
      })
      .forEach((p: ASTPath<any>) => {
        p.node.callee.object = j.callExpression(j.identifier(factory), []);
        ctx.changed = true;
      });
  }
}
