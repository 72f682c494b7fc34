/**
 * A project's class serving the server it holds over whatever transport its caller hands it:
 * `async connect(transport: Transport) { await this.server.connect(transport) }`. `server.connect` keeps that server
 * on 2025 for good; `serveStdio(() => this.server, { transport })` serves the same transport on 2026-07-28 and still
 * answers a 2025 opening (serveStdio's default `legacy: 'serve'`), pinning the held instance to the connection.
 *
 * Only for a transport typed as the SDK's `Transport` interface (or untyped): a message stream, which is what
 * serveStdio's bring-your-own transport is for. A parameter typed as an HTTP transport class is left to `check`.
 */
import type { ASTPath } from 'jscodeshift';
import type { EntryContext } from './entry-context.js';
import { chainedHandlers, HANDLERS } from './transport-handlers.js';

type Node = any;

const SERVER_CLASSES = new Set(['Server', 'McpServer']);

export function rewriteConnectWrappers(ctx: EntryContext): void {
  const { j, root } = ctx;
  root
    .find(j.CallExpression, {
      callee: {
        type: 'MemberExpression',
        property: { name: 'connect' },
        object: { type: 'MemberExpression', object: { type: 'ThisExpression' } }
      }
    })
    .forEach((p: ASTPath<any>) => rewriteOne(ctx, p));
}

function rewriteOne(ctx: EntryContext, connect: ASTPath<any>): void {
  const { j } = ctx;
  const [arg] = connect.node.arguments;
  const field = connect.node.callee.object.property;
  if (connect.node.arguments.length !== 1 || arg.type !== 'Identifier' || field?.type !== 'Identifier') return;
  const method: ASTPath<any> | undefined = j(connect).closest(j.Function).paths()[0];
  const param = method?.node.params.find((x: Node) => x.type === 'Identifier' && x.name === arg.name);
  if (!param || !messageStreamType(param)) return;
  const classBody = j(method).closest(j.ClassBody).paths()[0];
  if (!classBody || !holdsServer(ctx, classBody.node, field.name)) return;
  const statement = connect.parent?.node.type === 'AwaitExpression' ? connect.parent.parent : connect.parent;
  if (statement?.node.type !== 'ExpressionStatement') return;
  const served = j.callExpression(j.identifier('serveStdio'), [
    j.arrowFunctionExpression([], j.memberExpression(j.thisExpression(), j.identifier(field.name))),
    j.objectExpression([
      j.objectProperty.from({ key: j.identifier('transport'), value: arg, shorthand: arg.name === 'transport' })
    ])
  ]);
  const replacement = j.expressionStatement(served);
  replacement.comments = statement.node.comments;
  // The caller may have given the transport handlers of its own (a session map's onclose), which connect kept.
  const around = chainedHandlers(ctx, arg.name, [...HANDLERS]);
  j(statement).replaceWith([...around.before, replacement, ...around.after]);
  ctx.need('@modelcontextprotocol/server/stdio', 'serveStdio');
  ctx.changed = true;
  ctx.note(
    replacement,
    'served-transport',
    `this.${field.name} is served over the transport handed in with serveStdio (2026-07-28, and 2025 openings as before) ` +
      `instead of connected to it; a test that asserts this.${field.name}.connect was called now asserts on serveStdio`
  );
}

/** Untyped, or typed as the SDK's `Transport` interface. */
function messageStreamType(param: Node): boolean {
  const type = param.typeAnnotation?.typeAnnotation;
  if (!type) return true;
  return type.type === 'TSTypeReference' && type.typeName?.type === 'Identifier' && type.typeName.name === 'Transport';
}

/** The class declares the field as a server (`server: Server`) or assigns it one (`this.server = new McpServer(…)`). */
function holdsServer(ctx: EntryContext, classBody: Node, field: string): boolean {
  const { j } = ctx;
  const typed = classBody.body.some((m: Node) => {
    if (!/^(?:ClassProperty|PropertyDefinition)$/.test(m.type) || m.key?.name !== field) return false;
    const type = m.typeAnnotation?.typeAnnotation;
    const typeName = type?.type === 'TSTypeReference' ? type.typeName?.name : undefined;
    return (
      SERVER_CLASSES.has(typeName) || (m.value?.type === 'NewExpression' && SERVER_CLASSES.has(m.value.callee?.name))
    );
  });
  if (typed) return true;
  return (
    j(classBody)
      .find(j.AssignmentExpression, {
        left: { type: 'MemberExpression', object: { type: 'ThisExpression' }, property: { name: field } },
        right: { type: 'NewExpression' }
      })
      .filter((p: ASTPath<any>) => SERVER_CLASSES.has(p.node.right.callee?.name))
      .size() > 0
  );
}
