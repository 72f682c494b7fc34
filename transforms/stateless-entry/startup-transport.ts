/**
 * One stateless Streamable HTTP transport made at start-up and shared by every request:
 * `const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }); await server.connect(transport);
 * app.post('/mcp', (req, res) => transport.handleRequest(req, res, req.body))`. The transport and its connect go; each
 * route's `transport.handleRequest(…)` becomes the module's `mcpNodeHandler(…)` over the server factory. (A transport
 * made inside the request handler is http-entry.ts's; this one is read from routes registered beside it.)
 */
import type { ASTPath } from 'jscodeshift';
import {
  enclosingFunctionPath,
  isUndefinedValue,
  propertyKey,
  referencesOf,
  removeStatement,
  statementPathOf
} from '../kit/ast.js';
import { SESSION_COMMENT, type EntryContext } from './entry-context.js';
import { entryFactory } from './entry-factory.js';
import { answersInJson, handlerNames, serveRoutesThrough, type RoutedPaths } from './handler-placement.js';
import { auditPerRequestState } from './per-request-audit.js';
import { declaredBy } from './bindings.js';

type Node = any;

/** Options a stateless transport may carry that createMcpHandler reproduces (JSON answers) or that mean nothing now. */
const KEPT_OPTIONS = /^(?:sessionIdGenerator|enableJsonResponse)$/;

interface StartupTransport {
  declaration: ASTPath<any>;
  connect: ASTPath<any>;
  handles: ASTPath<any>[];
  /** `transportInstance = transport`: a nullable holder (closed at shutdown if set) that is simply never set now. */
  aliases: ASTPath<any>[];
  json: boolean;
}

/**
 * Rewrites the transport `created` builds when it has this shape; true when it did, or marked why it could not.
 * False leaves it to the per-request rewrite.
 */
export function rewriteStartupTransport(ctx: EntryContext, created: ASTPath<any>, out: RoutedPaths): boolean {
  const found = startupTransport(ctx, created);
  if (!found) return false;
  const { j } = ctx;
  const server = found.connect.node.callee.object;
  const plan = entryFactory(ctx, found.connect, server, ctx.program);
  const connectStatement = statementPathOf(found.connect);
  if ('unsafe' in plan || plan.local) {
    const why = 'unsafe' in plan ? plan.unsafe : 'the server is built from values of the function serving it';
    ctx.unsafe(
      connectStatement.node,
      'http-factory',
      `${why}; pass a factory that builds a fresh server to createMcpHandler and serve every route through it`
    );
    return true;
  }
  const names = handlerNames(ctx, plan, true, found.json);
  for (const handle of found.handles) handle.node.callee = j.identifier(names.node!);
  // Their comments (`// Connect server to transport`) describe what goes.
  for (const alias of found.aliases) removeStatement(j, alias, SESSION_COMMENT);
  removeStatement(j, connectStatement, SESSION_COMMENT);
  removeStatement(j, found.declaration, SESSION_COMMENT);
  plan.apply();
  if (plan.generated) ctx.generated.push(plan.generated);
  auditPerRequestState(ctx, plan.fn, 'http');
  serveRoutesThrough(ctx, plan, names, found.handles, out);
  ctx.maybeUnused.add(created.node.callee.name);
  ctx.changed = true;
  return true;
}

function startupTransport(ctx: EntryContext, created: ASTPath<any>): StartupTransport | undefined {
  const { j, root } = ctx;
  const declarator = created.parent;
  if (declarator?.node.type !== 'VariableDeclarator' || declarator.node.init !== created.node) return undefined;
  if (declarator.node.id.type !== 'Identifier') return undefined;
  const declaration = declarator.parent;
  const block = declaration.parent?.node;
  if (declaration.node.declarations.length !== 1 || !Array.isArray(block?.body)) return undefined;
  const options = created.node.arguments[0];
  if (created.node.arguments.length !== 1 || options?.type !== 'ObjectExpression') return undefined;
  const stateless = options.properties.some(
    (p: Node) => propertyKey(p) === 'sessionIdGenerator' && isUndefinedValue(p.value)
  );
  if (!stateless || !options.properties.every((p: Node) => KEPT_OPTIONS.test(propertyKey(p) ?? ''))) return undefined;
  const name = declarator.node.id.name;
  const scope = declarator.scope?.lookup(name);
  const found: StartupTransport = { declaration, connect: undefined as any, handles: [], aliases: [], json: false };
  found.json = answersInJson(options.properties);
  // Only this declaration's uses: another block's `transport` (a stdio branch beside this one) is another variable.
  const uses = referencesOf(j, root, name, scope).filter(
    (p: ASTPath<any>) => p.parent.node !== declarator.node && declaredBy(j, p, name, declarator.node)
  );
  const connects: ASTPath<any>[] = [];
  for (const use of uses) {
    const parent = use.parent.node;
    const call = use.parent.parent;
    if (parent.type === 'CallExpression' && isConnect(parent, use.node) && ownStatementIn(block, use.parent)) {
      connects.push(use.parent);
    } else if (
      parent.type === 'MemberExpression' &&
      parent.object === use.node &&
      parent.property?.name === 'handleRequest' &&
      call?.node.type === 'CallExpression' &&
      call.node.callee === parent &&
      nestedBelow(call, block)
    ) {
      found.handles.push(call);
    } else if (parent.type === 'AssignmentExpression' && parent.right === use.node && nullableHolder(ctx, use.parent)) {
      const statement = use.parent.parent;
      if (statement?.node.type !== 'ExpressionStatement' || statement.parent?.node !== block) return undefined;
      found.aliases.push(statement);
    } else return undefined;
  }
  if (connects.length !== 1 || found.handles.length === 0) return undefined;
  found.connect = connects[0]!;
  return found;
}

/** `server.connect(transport)`, the transport its only argument. */
function isConnect(call: Node, transport: Node): boolean {
  return (
    call.callee?.type === 'MemberExpression' &&
    call.callee.property?.name === 'connect' &&
    call.arguments.length === 1 &&
    call.arguments[0] === transport
  );
}

/** `await server.connect(transport);` as a statement of `block` itself. */
function ownStatementIn(block: Node, call: ASTPath<any>): boolean {
  const wrapped = call.parent?.node.type === 'AwaitExpression' ? call.parent : call;
  return wrapped.parent?.node.type === 'ExpressionStatement' && wrapped.parent.parent?.node === block;
}

/** In a function (a route's callback) inside `block`: the request is that function's, not the start-up code's. */
function nestedBelow(p: ASTPath<any>, block: Node): boolean {
  const fn = enclosingFunctionPath(p);
  if (!fn) return false;
  for (let cur: ASTPath<any> | null = fn; cur; cur = cur.parent) if (cur.node === block) return true;
  return false;
}

/** `holder = transport` where `holder` is declared with no value or null (so whatever reads it checks it first). */
function nullableHolder(ctx: EntryContext, assignment: ASTPath<any>): boolean {
  const { j } = ctx;
  const left = assignment.node.left;
  if (left.type !== 'Identifier' || assignment.node.operator !== '=') return false;
  const scope = assignment.scope?.lookup(left.name);
  if (!scope) return false;
  const declarators = j(scope.path)
    .find(j.VariableDeclarator, { id: { type: 'Identifier', name: left.name } })
    .filter((d: ASTPath<any>) => d.scope?.lookup(left.name) === scope)
    .nodes();
  const init = declarators[0]?.init;
  return declarators.length === 1 && (!init || init.type === 'NullLiteral');
}
