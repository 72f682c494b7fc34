/**
 * An HTTP+SSE endpoint whose message route does work of its own (reads path parameters, forwards a body it rewrote:
 * `/:apiKey/messages` putting the key into `_meta`) moves as that route. Its handler stays, minus the session lookup,
 * and now hands every request to the MCP handler with the body it built, at the same path with `mcp` for its last
 * segment (`/:apiKey/mcp`). The GET route only opened the stream; it goes, unless it did more than that (a key
 * check, a log line), in which case nothing moves.
 */
import type { ASTPath } from 'jscodeshift';
import { mentions } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { rewriteStatements } from './session-statements.js';

type Node = any;

/** A route registration: `app.get('/sse', …, handler)`. */
export interface Route {
  statement: ASTPath<any>;
  call: Node;
  path: string;
  /** The parameter the path comes from, when a caller picks it (`app.get(endpoint, …)`, `endpoint = '/sse'`). */
  parameter?: string;
  handler: Node;
}

export interface MessageRouteMove {
  path: string;
  /** The route forwards a body it built, not the request's. */
  rewritesBody: boolean;
  /** Rewrites the route in place once the handler names are known; returns the new route statement. */
  apply(nodeHandler: string): Node;
}

/** The move, or why the endpoint cannot move this way. */
export function messageRouteMove(
  ctx: EntryContext,
  getHandler: Node,
  post: Route,
  maps: string[],
  taken: Set<string>
): MessageRouteMove | string {
  const { j } = ctx;
  const handler = post.handler;
  if (!/Function/.test(handler.type) || handler.body?.type !== 'BlockStatement')
    return `the message route \`${post.path}\` is not an inline function`;
  const leftover = streamWork(ctx, getHandler, maps);
  if (leftover) return `the stream route does more than open the stream (\`${leftover}\`)`;
  const path = post.path.replace(/[^/]*$/, 'mcp');
  if (path === post.path || taken.has(path)) return `\`${path}\` is already a route`;
  const handles = j(handler.body)
    .find(j.CallExpression, { callee: { property: { name: 'handlePostMessage' } } })
    .paths();
  // Forwarded by the handler itself, not by a callback inside it: the handler call takes that statement's place.
  // (The search starts at the handler's body, so any function above the call is one nested in the handler.)
  if (handles.length !== 1 || j(handles[0]!).closest(j.Function).size() > 0)
    return `the message route \`${post.path}\` does not forward exactly one message itself`;
  const handle = handles[0]!.node;
  const plumbing = sessionPlumbing(ctx, handler, maps);
  const forwarded: Node = handle.arguments[2];
  return {
    path,
    rewritesBody: !!forwarded && !(forwarded.type === 'MemberExpression' && forwarded.property?.name === 'body'),
    apply(nodeHandler) {
      const [req, res, body] = handle.arguments;
      const call = j.callExpression(j.identifier(nodeHandler), body ? [req, res, body] : [req, res]);
      const replacement = j.expressionStatement(handler.async ? j.awaitExpression(call) : call);
      const state = { placed: false };
      handler.body.body = rewriteStatements(ctx, handler.body.body, plumbing, handle, replacement, state, {});
      post.call.callee.property = j.identifier('all');
      post.call.arguments[0] = j.stringLiteral(path);
      return post.statement.node;
    }
  };
}

/**
 * The names the message route's session lookup uses: the maps, the session id read from the query, and every local
 * computed from them (`const key = \`${apiKey}-${sessionId}\``, `const transport = transports[key]`).
 */
function sessionPlumbing(ctx: EntryContext, handler: Node, maps: string[]): Set<string> {
  const { j } = ctx;
  const plumbing = new Set<string>(maps);
  const declarators: Node[] = j(handler.body)
    .find(j.VariableDeclarator, { id: { type: 'Identifier' } })
    .nodes();
  for (let grew = true; grew;) {
    grew = false;
    for (const d of declarators) {
      if (plumbing.has(d.id.name) || !d.init) continue;
      if (mentions(j, d.init, plumbing) || /\bsessionId\b/.test(j(d.init).toSource())) {
        plumbing.add(d.id.name);
        grew = true;
      }
    }
  }
  return plumbing;
}

/**
 * The first statement of the stream route that is not stream plumbing (creating and storing the transport,
 * connecting it, cleaning up on close, writing stream headers, and locals only those read), as source; undefined
 * when there is none.
 */
function streamWork(ctx: EntryContext, getHandler: Node, maps: string[]): string | undefined {
  const { j } = ctx;
  const statements: Node[] = [];
  const flatten = (list: Node[]) => {
    for (const s of list) {
      if (s.type === 'TryStatement') flatten(s.block.body);
      else statements.push(s);
    }
  };
  flatten(getHandler.body?.body ?? []);
  const transports = new Set<string>(maps);
  j(getHandler)
    .find(j.VariableDeclarator, { init: { type: 'NewExpression', callee: { name: 'SSEServerTransport' } } })
    .forEach((p: ASTPath<any>) => p.node.id.type === 'Identifier' && transports.add(p.node.id.name));
  const response = getHandler.params?.[1]?.name;
  const isStream = (s: Node) =>
    mentions(j, s, transports) ||
    (s.type === 'ExpressionStatement' && isResponseWrite(s.expression, response)) ||
    j(s)
      .find(j.CallExpression, { callee: { property: { name: 'connect' } } })
      .size() > 0;
  const plumbing = new Set(statements.filter(isStream));
  // Locals read only by plumbing are plumbing (`const apiKey = req.params.apiKey` feeding the endpoint URL).
  for (let grew = true; grew;) {
    grew = false;
    for (const s of statements) {
      if (plumbing.has(s) || s.type !== 'VariableDeclaration') continue;
      const names = new Set<string>(s.declarations.map((d: Node) => d.id?.name).filter(Boolean));
      const readers = statements.filter(o => o !== s && mentions(j, o, names));
      if (readers.length > 0 && readers.every(o => plumbing.has(o))) {
        plumbing.add(s);
        grew = true;
      }
    }
  }
  // Name the work itself (the key check), not the local it reads.
  const rest =
    statements.find(s => !plumbing.has(s) && s.type !== 'VariableDeclaration') ??
    statements.find(s => !plumbing.has(s));
  return rest ? j(rest).toSource().split('\n')[0] : undefined;
}

/** `res.writeHead(…)`, `res.setHeader(…)`, `res.flushHeaders()`, `res.write(…)` on the stream's response. */
function isResponseWrite(expr: Node, response: string | undefined): boolean {
  const callee = expr?.type === 'CallExpression' ? expr.callee : undefined;
  if (callee?.type !== 'MemberExpression' || !response) return false;
  let target = callee.object;
  while (target.type === 'MemberExpression') target = target.object;
  return (
    target.type === 'Identifier' &&
    target.name === response &&
    /^(writeHead|setHeader|flushHeaders|write)$/.test(callee.property?.name)
  );
}
