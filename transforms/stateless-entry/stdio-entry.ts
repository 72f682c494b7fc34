/**
 * stdio: `await server.connect(new StdioServerTransport())` (or via a `transport` variable) becomes
 * `serveStdio(() => createServer())`, which answers `server/discover` and serves 2026-07-28 (and 2025 openings).
 */
import type { ASTPath } from 'jscodeshift';
import { enclosingStatement, isValueReference, removeStatement, statementIn, uniqueName } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { auditPerRequestState } from './per-request-audit.js';
import { resolveFactory } from '../kit/server-factory.js';

const STDIO_CLASS = 'StdioServerTransport';

export function rewriteStdioEntries(ctx: EntryContext): void {
  const { j, root } = ctx;
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'connect' } } })
    .filter(
      (p: ASTPath<any>) => p.node.arguments.length === 1 && stdioTransportOf(ctx, p, p.node.arguments[0]) !== undefined
    )
    .forEach((p: ASTPath<any>) => rewriteOne(ctx, p));
}

/** The `new StdioServerTransport(…)` expression behind a connect argument, if it is one. */
function stdioTransportOf(
  ctx: EntryContext,
  at: ASTPath<any>,
  arg: any
): { newExpr: any; variable?: string } | undefined {
  const { j } = ctx;
  if (arg.type === 'NewExpression' && arg.callee.name === STDIO_CLASS) return { newExpr: arg };
  if (arg.type !== 'Identifier') return undefined;
  const scope = at.scope.lookup(arg.name);
  if (!scope) return undefined;
  const decl = j(scope.path)
    .find(j.VariableDeclarator, { id: { name: arg.name } })
    .filter((d: ASTPath<any>) => d.node.init?.type === 'NewExpression' && d.node.init.callee.name === STDIO_CLASS);
  return decl.size() ? { newExpr: decl.get().node.init, variable: arg.name } : undefined;
}

function rewriteOne(ctx: EntryContext, connect: ASTPath<any>): void {
  const { j, root } = ctx;
  const statement = enclosingStatement(connect);
  if (!statement) return;
  const expr = statement.node.type === 'ExpressionStatement' ? statement.node.expression : undefined;
  const bare = expr && (expr === connect.node || (expr.type === 'AwaitExpression' && expr.argument === connect.node));
  if (!bare) {
    ctx.unsafe(
      statement.node,
      'stdio-connect',
      'the result of server.connect() is used here; replace the connect with serveStdio(() => buildServer()) by hand'
    );
    return;
  }
  const transport = stdioTransportOf(ctx, connect, connect.node.arguments[0])!;
  const plan = resolveFactory(j, root, connect, connect.node.callee.object, ctx.program);
  if ('unsafe' in plan) {
    ctx.unsafe(
      statement.node,
      'stdio-factory',
      `${plan.unsafe}; serve it with serveStdio(() => buildServer()) where buildServer() returns a fresh server`
    );
    return;
  }
  const block = statement.parent.node;
  const closeOutside = plan.closeCalls.some(c => !statementIn(block, c));
  if (closeOutside) {
    ctx.unsafe(
      statement.node,
      'stdio-close',
      'server.close() is called where the serveStdio handle is not in scope; keep the handle returned by serveStdio and close that instead'
    );
    return;
  }
  const options: any[] = [];
  const transportUses = transport.variable ? usesOfName(ctx, connect, transport.variable) : 0;
  if (transport.variable && transportUses > 2) {
    options.push(
      j.objectProperty.from({
        key: j.identifier('transport'),
        value: j.identifier(transport.variable),
        shorthand: true
      })
    );
  } else if (transport.newExpr.arguments.length > 0) {
    options.push(j.objectProperty(j.identifier('transport'), transport.newExpr));
  }
  const serve = j.callExpression(j.identifier('serveStdio'), [
    j.arrowFunctionExpression([], plan.call),
    ...(options.length ? [j.objectExpression(options)] : [])
  ]);
  let replacement: any = j.expressionStatement(serve);
  if (plan.closeCalls.length) {
    const handle = uniqueName(j, root, 'stdioHandle');
    replacement = j.variableDeclaration('const', [j.variableDeclarator(j.identifier(handle), serve)]);
    for (const c of plan.closeCalls) c.node.callee.object = j.identifier(handle);
  }
  replacement.comments = statement.node.comments;
  auditPerRequestState(ctx, plan.fn, 'stdio');
  plan.apply();
  if (plan.generated) ctx.generated.push(plan.generated);
  j(statement).replaceWith(replacement);
  if (transport.variable && transportUses <= 2) {
    root.find(j.VariableDeclarator, { id: { name: transport.variable } }).forEach((d: ASTPath<any>) => {
      const decl = d.parent;
      if (decl.node.declarations.length === 1) removeStatement(j, decl);
    });
  }
  ctx.need('@modelcontextprotocol/server/stdio', 'serveStdio');
  ctx.maybeUnused.add(STDIO_CLASS);
  ctx.changed = true;
}

function usesOfName(ctx: EntryContext, at: ASTPath<any>, name: string): number {
  const scope = at.scope.lookup(name);
  return ctx.root
    .find(ctx.j.Identifier, { name })
    .filter((p: ASTPath<any>) => isValueReference(p) && p.scope?.lookup(name) === scope)
    .size();
}
