/**
 * The factory an entry serves, shared by every entry of one module: a server built once at module scope and
 * connected by a stdio entry and an SSE or HTTP entry alike becomes one generated `createServer()`, which each
 * entry then serves (the first entry generates it; the others reuse it instead of finding its declaration gone).
 */
import type { ASTPath } from 'jscodeshift';
import { resolveFactory, type FactoryOptions, type FactoryOutcome } from '../kit/server-factory.js';
import type { EntryContext } from './entry-context.js';
import { notAServer } from './server-evidence.js';
import { fieldMethodBuildsServer } from './project-classes.js';

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
  const sharedCall = name !== undefined && !moduleLevel ? sharedCallAt(ctx, connect, name) : undefined;
  if (sharedCall) {
    // Its own branch's `server.close()` calls now close what serves this entry.
    const closeCalls = callsOn(ctx, sharedCall.block, name, 'close')
      .filter((p: ASTPath<any>) => connectOwning(ctx, p, name!) === connect.node)
      .paths();
    return { call: sharedCall.call, block: sharedCall.block, apply: () => {}, closeCalls };
  }
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
  if (wrapper) return { unsafe: wrapper.reason, notServer: true, className: wrapper.className };
  const plan = resolveFactory(j, root, connect, serverExpr, hoistTo, {
    ...options,
    otherEntries: true,
    factoryMembers: ctx.factoryMembers,
    fieldMethodBuilds: call => fieldMethodBuildsServer(ctx, connect, call)
  });
  // Shared once it exists, not before: an entry may resolve a factory and then serve the instance instead (a stdio
  // entry whose server is closed where its handle is not in scope), or give up; the others must not serve a factory
  // never generated. A module's server, or a filled `let` (plan.shared).
  // A module's server built by a call of nothing (`const server = buildServer()`, the builder imported): that call is
  // the factory, whose declaration the first entry removes.
  const factoryName = plan && !('unsafe' in plan) ? (plan.generated ?? bareCallee(plan.call)) : undefined;
  if (name && factoryName && !('unsafe' in plan) && (plan.shared || (!plan.hoisted && plan.block === ctx.program))) {
    const generated = factoryName;
    const apply = plan.apply;
    plan.apply = () => {
      apply();
      ctx.sharedFactories.set(name, generated);
    };
  }
  // A function's own server: once this entry removed its declaration, the function's other entries serve the same call.
  const declaredIn = name !== undefined && !moduleLevel ? connect.scope?.lookup(name)?.path.node : undefined;
  if (declaredIn && !('unsafe' in plan) && !plan.local && plan.call?.type === 'CallExpression' && !plan.shared) {
    const { call } = plan;
    // The other entries' handlers go where the variable was declared: whatever the call reads is in scope there.
    const declaration = j(declaredIn)
      .find(j.VariableDeclarator, { id: { type: 'Identifier', name } })
      .filter((p: ASTPath<any>) => p.scope?.lookup(name!)?.path.node === declaredIn)
      .paths()[0]?.parent;
    const holder = declaration?.parent?.node;
    const block = holder && /^(?:BlockStatement|Program)$/.test(holder.type) ? holder : plan.block;
    return {
      ...plan,
      apply: () => {
        plan.apply();
        const byName = ctx.sharedCalls.get(declaredIn) ?? new Map();
        byName.set(name!, { call, block });
        ctx.sharedCalls.set(declaredIn, byName);
      }
    };
  }
  return plan;
}

/** `buildServer()`: the name of a function called with no arguments. */
export function bareCallee(call: any): string | undefined {
  return call?.type === 'CallExpression' && call.callee.type === 'Identifier' && !call.arguments.length
    ? call.callee.name
    : undefined;
}

/**
 * The one `name.connect(…)` call of the innermost block around `at` that has any (`if (stdio) { …; server.close() }
 * else { …; server.connect(http); …; server.close() }`): the entry a close, or another use, belongs to.
 */
export function connectOwning(ctx: EntryContext, at: ASTPath<any>, name: string): any {
  for (let cur: ASTPath<any> | null = at.parent; cur; cur = cur.parent) {
    if (!/^(?:BlockStatement|Program|SwitchCase)$/.test(cur.node.type)) continue;
    const connects = callsOn(ctx, cur.node, name, 'connect').nodes();
    if (connects.length) return connects.length === 1 ? connects[0] : undefined;
  }
  return undefined;
}

/** `name.method(…)` calls under `node`. */
function callsOn(ctx: EntryContext, node: any, name: string, method: string) {
  const { j } = ctx;
  return j(node).find(j.CallExpression, {
    callee: { type: 'MemberExpression', object: { type: 'Identifier', name }, property: { name: method } }
  });
}

/** The call another entry of an enclosing function made `name`'s factory of, if one did. */
function sharedCallAt(ctx: EntryContext, at: ASTPath<any>, name: string): { call: any; block: any } | undefined {
  for (let cur: ASTPath<any> | null = at.parent; cur; cur = cur.parent) {
    const found = ctx.sharedCalls.get(cur.node)?.get(name);
    if (found) return namesSharedServer(at, name, cur.node) ? found : undefined;
  }
  return undefined;
}

/** `name` at `at` is the variable `fn` declared (now gone), not one a function in between declares for itself. */
function namesSharedServer(at: ASTPath<any>, name: string, fn: any): boolean {
  const bound = at.scope?.lookup(name)?.path.node;
  return !bound || bound === fn;
}

/**
 * An entry left as it was (marked) still connects the module's server, which another entry moved into the shared
 * factory: it now connects a fresh server from that factory, as each v1 connection should have.
 */
export function connectLeftoversToSharedFactories(ctx: EntryContext): void {
  const { j } = ctx;
  for (const [name, factory] of ctx.sharedFactories) {
    callsOn(ctx, ctx.program, name, 'connect')
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
  // The same inside a function whose server an entry turned into a shared call.
  for (const [fn, byName] of ctx.sharedCalls)
    for (const [name, { call }] of byName)
      callsOn(ctx, fn, name, 'connect')
        .filter((p: ASTPath<any>) => namesSharedServer(p, name, fn))
        .forEach((p: ASTPath<any>) => {
          // The same node as the entry that made it serves: printed from its original text in both places.
          p.node.callee.object = call;
          ctx.changed = true;
        });
}
