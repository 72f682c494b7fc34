/**
 * This file's side of a method handoff (method-handoff-plan.ts): each planned class's method, and every method of the
 * class it hands its server on to, takes a factory (`server: Server` → `createServer: () => Server`), its connects
 * connect `createServer()` (a fresh server per connection, which the HTTP, SSE and stdio entry rewrites then serve),
 * and an interface declaring the method declares the factory. The callers' side is handoffs.ts' `handFactory`.
 */
import type { ASTPath } from 'jscodeshift';
import { factoryName, SIGNATURE_FACTORY_NAME, typeAsFactory } from './factory-parameter.js';
import type { EntryContext } from './entry-context.js';
import {
  methodsOf,
  parameterUses,
  servedParameters,
  type HandoffDeclareMethod,
  type HandoffServeMethod
} from './method-handoff-plan.js';
import { isNonReference, takesParameter } from './plan-ast.js';
import { visit } from '../kit/raw-walk.js';

type Node = any;

export function takeMethodFactories(ctx: EntryContext, part: HandoffServeMethod): boolean {
  const { j, root } = ctx;
  const name = factoryName(j, root);
  for (const className of part.classes) {
    const cls: Node = [
      ...root.find(j.ClassDeclaration, { id: { name: className } }).nodes(),
      ...root.find(j.ClassExpression, { id: { name: className } }).nodes()
    ][0];
    if (!cls) return false;
    const unreferenced = new Set(part.unreferenced?.[className] ?? []);
    for (const m of cls.body.body as Node[])
      if (m.type === 'ClassMethod' && unreferenced.has(m.key?.name)) ctx.unreferencedMethods.add(m);
    const served = servedParameters(cls.body);
    const methods = methodsOf(cls.body);
    // The chain from the planned method: the parameters it hands its server on to, and theirs.
    const chain = new Set<string>();
    const follow = (key: string) => {
      if (chain.has(key) || !served.has(key)) return;
      chain.add(key);
      const [method, index] = key.split('#');
      const m = methods.get(method!)!;
      // The same hand-ons the plan judged the parameter by.
      for (const next of parameterUses(m.body, m.params[Number(index)].name)?.handsOn ?? []) follow(next);
    };
    follow(`${part.method}#${part.index}`);
    if (!chain.has(`${part.method}#${part.index}`)) return false;
    for (const key of chain) {
      const [method, index] = key.split('#');
      takeFactoryParameter(ctx, methods.get(method!)!, Number(index), name);
    }
  }
  // The entry rewrites look names up through scopes read before this edit.
  root.find(j.Function).forEach((p: ASTPath<any>) => p.scope?.scan(true));
  ctx.changed = true;
  return true;
}

/** The parameter becomes the factory: retyped `() => T`, its connects connect `factory()`, its hand-ons pass it. */
function takeFactoryParameter(ctx: EntryContext, method: Node, index: number, factory: string): void {
  const { j } = ctx;
  const param = method.params[index];
  const old = param.name;
  visit(
    method.body,
    (n, parent, key) => {
      if (takesParameter(n, old)) return false;
      if (n.type !== 'Identifier' || n.name !== old || !parent || isNonReference(parent, key)) return;
      if (parent.type === 'MemberExpression' && key === 'object')
        parent.object = j.callExpression(j.identifier(factory), []);
      else n.name = factory;
    },
    { skipTypes: true }
  );
  param.name = factory;
  typeAsFactory(ctx.j, param);
}

export function declareMethodFactory(ctx: EntryContext, part: HandoffDeclareMethod): boolean {
  const { j, root } = ctx;
  let done = false;
  root
    .find(j.TSInterfaceDeclaration)
    .filter((p: ASTPath<any>) => part.interfaces.includes(p.node.id?.name))
    .forEach((p: ASTPath<any>) => {
      for (const m of p.node.body.body as Node[]) {
        if (m.type !== 'TSMethodSignature' || m.key?.name !== part.method) continue;
        const param = m.parameters?.[part.index];
        if (param?.type !== 'Identifier') continue;
        param.name = SIGNATURE_FACTORY_NAME;
        typeAsFactory(ctx.j, param);
        done = true;
      }
    });
  if (done) ctx.changed = true;
  return done;
}
