/**
 * An HTTP+SSE endpoint whose server is built from values of its stream route (`getNewServer({ ...options,
 * userAccessToken: req.auth?.token })`, the caller's key from a header): no factory outside the request can build it.
 * The stream route becomes the Streamable HTTP route at `/mcp` (every method), keeping its own statements (the auth
 * reads the server is built from, a log line); the transport, its session table and close hook go, and the MCP handler
 * is created per request right before the call that serves it, as the HTTP entry does for a server built from the
 * request. The message routes go with the table. Where the dropped session code did work of its own, nothing moves.
 */
import type { ASTPath } from 'jscodeshift';
import { isAwaiterGenerator, mentions, within } from '../kit/ast.js';
import type { FactoryPlan } from '../kit/server-factory.js';
import type { EntryContext } from './entry-context.js';
import { localHandlerNames, placeLocalHandlers, servedThrough } from './handler-placement.js';
import type { Route } from './sse-message-route.js';
import {
  keepOwnCloseWork,
  rewriteStatements,
  sessionWorkMessage,
  teardownWorkMessage,
  userWorkIn
} from './session-statements.js';

type Node = any;

export interface PerRequestEndpoint {
  sse: Route;
  /** The stream route's function as the code runs it: for tsc's ES2015 output, the generator `__awaiter` runs. */
  fn: ASTPath<any>;
  connect: ASTPath<any>;
  plan: FactoryPlan;
  /** The session tables the endpoint keeps transports in. */
  maps: string[];
  /** The route's handler reads a body a JSON parser already drained. */
  parsesJson: boolean;
  sseClass: string;
}

/**
 * The new route's statement; else, with nothing changed, why the session code cannot go (a string) or undefined when
 * the endpoint is not of this shape.
 */
export function servePerRequest(ctx: EntryContext, endpoint: PerRequestEndpoint): Node | string | undefined {
  const { j } = ctx;
  const { sse, fn, connect, plan, maps, parsesJson, sseClass } = endpoint;
  const body = fn.node.body;
  const [req, res] = sse.handler.params ?? [];
  if (body?.type !== 'BlockStatement' || req?.type !== 'Identifier' || res?.type !== 'Identifier') return undefined;
  if (plan.closeCalls.some(c => !within(c, fn))) return undefined;
  const transports = j(body)
    .find(j.VariableDeclarator, { id: { type: 'Identifier' }, init: { type: 'NewExpression' } })
    .filter((d: ASTPath<any>) => ctx.sdkName(d.node.init.callee?.name) === sseClass)
    .nodes()
    .map((d: Node) => d.id.name as string);
  // `const connectionId = transport.sessionId`: the connection's id, kept only to file and log the connection.
  const ids = j(body)
    .find(j.VariableDeclarator, { id: { type: 'Identifier' }, init: { type: 'MemberExpression' } })
    .filter((d: ASTPath<any>) => {
      const init = d.node.init;
      return (
        init.object?.type === 'Identifier' &&
        transports.includes(init.object.name) &&
        init.property?.name === 'sessionId'
      );
    })
    .nodes()
    .map((d: Node) => d.id.name as string);
  const plumbing = new Set<string>([...transports, ...ids, ...maps, sseClass]);
  const names = localHandlerNames(ctx, true, false);
  // Fresh names: the parameters carry their type annotations (`req: TenantRequest`).
  const [request, response] = [j.identifier(req.name), j.identifier(res.name)];
  const call = j.callExpression(
    j.identifier(names.node!),
    parsesJson ? [request, response, j.memberExpression(request, j.identifier('body'))] : [request, response]
  );
  const placed = j.expressionStatement(
    isAwaiterGenerator(fn) ? j.yieldExpression(call) : fn.node.async ? j.awaitExpression(call) : call
  );
  const dry = { placed: false, dropped: [] as Node[] };
  rewriteStatements(ctx, body.body, plumbing, connect.node, placed, dry, connect.node);
  // The server's own teardown (`server.close()` beside the transport's) goes with the connection it ended.
  const server = connect.node.callee.object;
  const ended = new Set([...plumbing, ...(server.type === 'Identifier' ? [server.name] : [])]);
  if (!dry.placed) return undefined;
  const { work: lost, ended: teardown } = userWorkIn(ctx, dry.dropped, ended, connect.node, { fn: fn.node });
  if (lost.length) return sessionWorkMessage(lost);
  plan.apply();
  if (plan.generated) ctx.generated.push(plan.generated);
  keepOwnCloseWork(ctx, body.body, res.name, ended);
  const state = { placed: false };
  body.body = rewriteStatements(ctx, body.body, plumbing, connect.node, placed, state, connect.node);
  // Anything left reading the transport (a nested callback the filter does not enter) would name a variable gone.
  if (!state.placed || mentions(j, body, new Set(transports))) throw new Error('sse-per-request: transport left');
  placeLocalHandlers(ctx, fn, placed, plan, names);
  servedThrough(ctx, plan, names);
  sse.call.callee.property = j.identifier('all');
  sse.call.arguments[0] = j.stringLiteral('/mcp');
  // `transport.onclose = () => { …; connections.closed() }`: gone with the connection, said so.
  if (teardown.length) ctx.note(sse.statement.node, 'session-teardown', teardownWorkMessage(teardown));
  return sse.statement.node;
}
