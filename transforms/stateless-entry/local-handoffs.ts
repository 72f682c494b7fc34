/**
 * A serving helper of the same module: `function setupSSE(app, server) { registerTools(server); app.get('/sse', … =>
 * server.connect(transport)) }`, called as `setupSSE(app, server)` by the function that built the server. As across
 * modules (handoff-plan.ts), the helper takes a factory and its caller hands one, so each connection gets a fresh
 * server the entry rewrites can serve; here both sides are in view, so no plan over the run is needed. Only for a
 * helper the module does not export (another module may call it with an instance) and whose every reference is a
 * plain call handing a server; all or nothing per helper.
 */
import type { ASTPath } from 'jscodeshift';
import { isValueReference } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { handFactory, moduleFunctions, takeFactory } from './handoffs.js';
import { TRANSPORT_CLASS } from './plan-ast.js';

type Node = any;

export function applyLocalHandoffs(ctx: EntryContext): void {
  const { j, root } = ctx;
  const exported = exportedNames(ctx);
  for (const { name, fn } of moduleFunctions(ctx)) {
    if (exported.has(name)) continue;
    if (
      !j(fn.body)
        .find(j.NewExpression)
        .some((p: ASTPath<any>) => TRANSPORT_CLASS.test(p.node.callee?.name ?? ''))
    )
      continue;
    (fn.params as Node[]).forEach((param, index) => {
      if (param.type !== 'Identifier') return;
      const serve = { role: 'serve' as const, fn: name, index };
      if (!takeFactory(ctx, serve, true)) return;
      const references = root
        .find(j.Identifier, { name })
        .filter((p: ASTPath<any>) => isValueReference(p) && p.parent.node !== fn && p.node !== fn.id);
      const calls = references.filter(
        (p: ASTPath<any>) =>
          p.parent.node.type === 'CallExpression' &&
          p.parent.node.callee === p.node &&
          /^(?:Identifier|CallExpression|NewExpression)$/.test(p.parent.node.arguments[index]?.type ?? '') &&
          !j(fn)
            .find(j.CallExpression)
            .some((c: ASTPath<any>) => c.node === p.parent.node)
      );
      if (calls.size() === 0 || calls.size() !== references.size()) return;
      const handed = new Set(calls.paths().map((p: ASTPath<any>) => p.parent.node));
      const servedBy = (use: ASTPath<any>) =>
        handed.has(use.parent?.node) && use.parent.node.arguments[index] === use.node;
      if (handFactory(ctx, { role: 'hand', local: name, index }, servedBy)) takeFactory(ctx, serve);
    });
  }
}

export function exportedNames(ctx: EntryContext): Set<string> {
  const names = new Set<string>();
  for (const s of ctx.program.body as Node[]) {
    if (s.type === 'ExportDefaultDeclaration') {
      if (s.declaration?.id?.name) names.add(s.declaration.id.name);
      if (s.declaration?.type === 'Identifier') names.add(s.declaration.name);
    }
    if (s.type !== 'ExportNamedDeclaration') continue;
    for (const spec of s.specifiers ?? []) if (spec.local?.name) names.add(spec.local.name);
    const d = s.declaration;
    if (d?.id?.name) names.add(d.id.name);
    if (d?.type === 'VariableDeclaration') for (const v of d.declarations) if (v.id.name) names.add(v.id.name);
  }
  // `module.exports = { setupSSE }` / `exports.setupSSE = …`
  ctx.root
    .find(ctx.j.MemberExpression, { object: { name: 'module' }, property: { name: 'exports' } })
    .forEach((p: ASTPath<any>) =>
      ctx
        .j(p.parent)
        .find(ctx.j.Identifier)
        .forEach((q: ASTPath<any>) => void names.add(q.node.name))
    );
  ctx.root
    .find(ctx.j.MemberExpression, { object: { name: 'exports' } })
    .forEach((p: ASTPath<any>) => void (p.node.property?.name && names.add(p.node.property.name)));
  // `exports.start = startHttp`, `module.exports.Host = McpHost`: exported under another name.
  ctx.root
    .find(ctx.j.AssignmentExpression)
    .filter((p: ASTPath<any>) => /\b(?:module\.)?exports\b/.test(ctx.j(p.node.left).toSource()))
    .forEach((p: ASTPath<any>) => {
      if (p.node.right.type === 'Identifier') names.add(p.node.right.name);
      ctx
        .j(p.get('right'))
        .find(ctx.j.Identifier)
        .forEach((q: ASTPath<any>) => void names.add(q.node.name));
    });
  return names;
}
