/**
 * List changes a handler announces on a server served per request (`server.sendResourceListChanged()` in the
 * `add_note` tool of the factory `createMcpHandler(() => buildServer())` serves). On 2026-07-28 a change reaches a
 * client only on its `subscriptions/listen` stream, which the handler serves: the request's own server has no
 * channel to send it on. So the call becomes the handler's publication (`mcpHandler.notify.resourcesChanged()`,
 * `notify.resourceUpdated(uri)` for `server.server.sendResourceUpdated({ uri })`).
 *
 * Only where the file serves that factory over HTTP alone and does not export it: serveStdio routes a server's own
 * announcements to its client, so a factory stdio serves too, here or in another module, keeps them (and `check`
 * warns).
 */
import type { ASTPath } from 'jscodeshift';
import { enclosingFunctionPath, functionsByName, isFunction, propertyKey } from '../kit/ast.js';
import { isSdkServerConstruction } from '../kit/imports.js';
import type { EntryContext } from './entry-context.js';
import { exportedNames } from './local-handoffs.js';

type Node = any;

const PUBLICATIONS: Record<string, string> = {
  sendToolListChanged: 'toolsChanged',
  sendPromptListChanged: 'promptsChanged',
  sendResourceListChanged: 'resourcesChanged',
  sendResourceUpdated: 'resourceUpdated'
};

export function publishThroughHandler(ctx: EntryContext): void {
  const { j, root } = ctx;
  if (root.find(j.CallExpression, { callee: { name: 'serveStdio' } }).size()) return;
  const handlers = new Map<string, string>(); // factory name → handler name
  root.find(j.VariableDeclarator, { init: { callee: { name: 'createMcpHandler' } } }).forEach((p: ASTPath<any>) => {
    if (p.node.id.type !== 'Identifier' || p.parent?.parent?.node.type !== 'Program') return;
    const factory = factoryName(p.node.init.arguments[0]);
    if (factory && !handlers.has(factory)) handlers.set(factory, p.node.id.name);
  });
  if (!handlers.size) return;
  const functions = functionsByName(j, root);
  // A factory other modules may serve too (over stdio, where the server's own announcements reach its client) keeps
  // them.
  const exported = exportedNames(ctx);
  for (const [factory, handler] of handlers) {
    if (exported.has(factory)) continue;
    const fn = functions.get(factory);
    const server = fn && builtServer(ctx, fn);
    if (!server) continue;
    let updates = false;
    j(fn.body)
      .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
      .forEach((p: ASTPath<any>) => {
        const method = p.node.callee.property?.name;
        if (!Object.hasOwn(PUBLICATIONS, method ?? '') || !announcedBy(p.node.callee.object, server)) return;
        // Announced from a handler the server runs, not while the factory builds it (no request, nothing changed):
        // these paths start at the factory's body, so any function above one is nested in the factory.
        if (!enclosingFunctionPath(p)) return;
        const args = publicationArguments(method, p.node.arguments);
        if (!args) return;
        p.replace(
          j.callExpression(
            j.memberExpression(
              j.memberExpression(j.identifier(handler), j.identifier('notify')),
              j.identifier(PUBLICATIONS[method]!)
            ),
            args
          )
        );
        ctx.changed = true;
        if (method === 'sendResourceUpdated') updates = true;
      });
    if (updates) declareSubscribe(ctx, fn, server);
  }
}

/**
 * A 2026-07-28 client hears `resources/updated` only for a URI it listens for, and the handler honours such a
 * subscription only from a server declaring `resources.subscribe` (v1 sent updates to its session without it): the
 * factory declares it, right after building the server, unless it already does.
 */
function declareSubscribe(ctx: EntryContext, fn: Node, server: string): void {
  const { j } = ctx;
  if (j(fn).find(j.Identifier, { name: 'subscribe' }).size()) return;
  const statements: Node[] = fn.body.body;
  const at = statements.findIndex(
    (s: Node) => s.type === 'VariableDeclaration' && s.declarations.some((d: Node) => d.id.name === server)
  );
  if (at < 0) return;
  const built = statements[at].declarations.find((d: Node) => d.id.name === server).init;
  // McpServer registers capabilities on the low-level server it wraps.
  const target =
    built.callee.name === 'McpServer'
      ? j.memberExpression(j.identifier(server), j.identifier('server'))
      : j.identifier(server);
  const declaration = j.expressionStatement(
    j.callExpression(j.memberExpression(target, j.identifier('registerCapabilities')), [
      j.objectExpression([
        j.objectProperty(
          j.identifier('resources'),
          j.objectExpression([j.objectProperty(j.identifier('subscribe'), j.booleanLiteral(true))])
        )
      ])
    ])
  );
  (declaration as Node).comments = [
    j.commentLine(
      ' a 2026-07-28 client hears resources/updated only for a URI it listens for, from a server that',
      true
    ),
    j.commentLine(' declares subscribe (the update a tool publishes through the handler below)', true)
  ];
  statements.splice(at + 1, 0, declaration);
}

/** `() => buildServer()`, `buildServer`: the factory function's name. */
function factoryName(arg: Node): string | undefined {
  if (arg?.type === 'Identifier') return arg.name;
  if (!isFunction(arg) || arg.params.length) return undefined;
  const body = arg.body.type === 'BlockStatement' ? singleReturn(arg.body) : arg.body;
  return body?.type === 'CallExpression' && body.callee.type === 'Identifier' && !body.arguments.length
    ? body.callee.name
    : undefined;
}

function singleReturn(block: Node): Node | undefined {
  const [only] = block.body;
  return block.body.length === 1 && only.type === 'ReturnStatement' ? only.argument : undefined;
}

/** The name the factory binds the server it builds and returns to (`const server = new McpServer(…)`). */
function builtServer(ctx: EntryContext, fn: Node): string | undefined {
  const { j, root } = ctx;
  const names = new Set<string>();
  j(fn.body)
    .find(j.VariableDeclarator, { init: { type: 'NewExpression' } })
    .forEach((p: ASTPath<any>) => {
      if (p.node.id.type === 'Identifier' && isSdkServerConstruction(j, root, p.node.init)) names.add(p.node.id.name);
    });
  const returned = (fn.body.body ?? []).find((s: Node) => s.type === 'ReturnStatement')?.argument;
  return returned?.type === 'Identifier' && names.has(returned.name) ? returned.name : undefined;
}

/** `server.sendX()` or, for McpServer, `server.server.sendX()`. */
function announcedBy(receiver: Node, server: string): boolean {
  if (receiver.type === 'Identifier') return receiver.name === server;
  return (
    receiver.type === 'MemberExpression' &&
    receiver.object.type === 'Identifier' &&
    receiver.object.name === server &&
    receiver.property?.name === 'server'
  );
}

/** The handler's arguments: none for a list, the URI for `sendResourceUpdated({ uri })` (else not rewritten). */
function publicationArguments(method: string, args: Node[]): Node[] | undefined {
  if (method !== 'sendResourceUpdated') return args.length ? undefined : [];
  const [params] = args;
  if (args.length !== 1 || params?.type !== 'ObjectExpression' || params.properties.length !== 1) return undefined;
  const [uri] = params.properties;
  if (propertyKey(uri) !== 'uri' || uri.type === 'SpreadElement') return undefined;
  return [uri.shorthand ? uri.key : uri.value];
}
