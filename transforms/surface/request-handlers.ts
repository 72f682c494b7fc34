/**
 * v2 registers request and notification handlers by method string: `setRequestHandler(CallToolRequestSchema, h)`
 * → `setRequestHandler('tools/call', h)` for every spec schema (the table read from the published schemas). What
 * has no v2 or 2026 equivalent is marked instead of silently converted: the experimental task methods (gone from
 * v2), `initialize` (gone from 2026-07-28), resource subscriptions (2026 clients listen with subscriptions/listen),
 * and a schema the file defines itself whose handler cannot take the params v2's custom-method form hands it
 * (custom-method-handlers.ts rewrites the rest).
 * `client.request(req, ResultSchema)` / `callTool(params, ResultSchema)` / `ctx.mcpReq.send(req, ResultSchema)`
 * lose the result schema for spec methods: v2 knows their result types.
 */
import type { ASTPath } from 'jscodeshift';
import { statementPathOf, statementRemoval } from '../kit/ast.js';
import { castHandlerResults } from './result-casts.js';
import { isMessageSchema, registerCustomMethod } from './custom-method-handlers.js';
import { removeSubscriptionBookkeeping } from './resource-subscriptions.js';
import { isSpecSchema, METHODS } from './routing.js';
import type { SurfaceContext } from './surface-context.js';
import { methodOfRequiredSchema, REGISTRATIONS } from './whole-module-require.js';

type Node = any;

export const RESULT_SCHEMA_CALLS = new Set(['request', 'callTool', 'send', 'sendRequest']);
const TOOLISH = new Set(['registerTool', 'tool', 'registerPrompt', 'prompt', 'registerResource', 'resource']);

/** What a 2025-only method's handler needs on 2026-07-28, once it is registered by string. */
const SUNSET: Record<string, { kind: 'TODO' | 'NOTE'; rule: string; message: string }> = {
  initialize: {
    kind: 'TODO',
    rule: 'initialize-handler',
    message:
      'initialize is gone from 2026-07-28 (every request carries its protocol envelope); move what this ' +
      'handler sets up into the server factory or read ctx.mcpReq.envelope per request'
  },
  'resources/subscribe': {
    kind: 'TODO',
    rule: 'resource-subscribe',
    message:
      'resources/subscribe is gone from 2026-07-28: clients listen with subscriptions/listen, which ' +
      'createMcpHandler serves; announce changes with notifications/resources/updated instead of tracking ' +
      'subscribers here'
  },
  'resources/unsubscribe': {
    kind: 'TODO',
    rule: 'resource-subscribe',
    message:
      'resources/unsubscribe is gone from 2026-07-28 (a subscriptions/listen stream ends when the client closes it); remove this handler'
  },
  ping: {
    kind: 'NOTE',
    rule: 'ping-handler',
    message: 'ping is gone from 2026-07-28 and the SDK still answers 2025 pings itself: this handler can go'
  }
};

export function rewriteRequestHandlers(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  const v1 = ctx.imported.size > 0;
  const removed = removeSubscriptionBookkeeping(ctx);
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const method = p.node.callee.property?.name;
    if (removed.has(p.node)) {
      // The handler went with the subscriber list it kept: its schema import goes when nothing else names it.
      if (p.node.arguments[0]?.type === 'Identifier') ctx.drop(p.node.arguments[0].name);
      return;
    }
    if (REGISTRATIONS.has(method)) registration(ctx, p);
    else if (RESULT_SCHEMA_CALLS.has(method)) resultSchemaArgument(ctx, p);
    else if (v1 && TOOLISH.has(method)) castHandlerResults(ctx, p, method);
  });
}

function registration(ctx: SurfaceContext, p: ASTPath<any>): void {
  const [schema] = p.node.arguments;
  // `types_js_1.ListToolsRequestSchema`: compiled CommonJS reads the schema off the whole-module require.
  const required = methodOfRequiredSchema(ctx, schema);
  if (required) return registerByMethod(ctx, p, schema, required);
  if (schema?.type !== 'Identifier') {
    if (registerCustomMethod(ctx, p)) return;
    if (isMessageSchema(schema)) return markCustomMethod(ctx, p, 'this schema');
    if (schema?.type === 'MemberExpression' && /Schema$/.test(schema.property?.name ?? '')) {
      ctx.mark(
        p,
        'TODO',
        'handler-schema',
        'v2 registers handlers by method string: replace this schema with its method (see the v2 migration guide)'
      );
    }
    return;
  }
  // A spec schema, imported from v1 (maybe aliased) or already from the v2 schema package (a second run).
  const v1Name = ctx.imported.get(schema.name) ?? (Object.hasOwn(METHODS, schema.name) ? schema.name : undefined);
  const known = v1Name ? METHODS[v1Name] : undefined;
  if (!known) {
    if (!v1Name && methodOfUnionMember(ctx, p, schema)) return;
    if (!v1Name && registerCustomMethod(ctx, p)) return;
    if (v1Name || /(Request|Notification)Schema$/.test(schema.name)) markCustomMethod(ctx, p, schema.name);
    return;
  }
  if (!known.typed) {
    ctx.mark(
      p,
      'TODO',
      'task-handler',
      `${known.method} belongs to the experimental tasks API, which v2 removed (SEP-2663): answer within the tool call instead`
    );
    return;
  }
  ctx.drop(schema.name);
  if (known.method === 'initialize' && removeStaticInitialize(ctx, p)) return;
  registerByMethod(ctx, p, schema, known.method);
}

/**
 * `for (const schema of ServerNotificationSchema.options) client.setNotificationHandler(schema, …)`: a proxy
 * registering every method of a spec union. Each member's method is its literal (`schema.shape.method.value`), the
 * string v2 registers by; the handler's argument keeps the member's type.
 */
function methodOfUnionMember(ctx: SurfaceContext, p: ASTPath<any>, schema: Node): boolean {
  const loop = loopOver(p, schema.name);
  const union = loop?.right;
  if (union?.type !== 'MemberExpression' || union.computed || union.property?.name !== 'options') return false;
  const source = union.object;
  if (
    source?.type !== 'Identifier' ||
    !ctx.imported.has(source.name) ||
    !/(?:Request|Notification)Schema$/.test(source.name)
  )
    return false;
  ctx.edits.push({ start: schema.start, end: schema.end, text: `${schema.name}.shape.method.value` });
  return true;
}

/** The `for (const <name> of …)` loop `p` sits in whose variable is `name`, if any. */
function loopOver(p: ASTPath<any>, name: string): Node | undefined {
  for (let cur = p.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (n.type !== 'ForOfStatement') continue;
    const d = n.left?.type === 'VariableDeclaration' ? n.left.declarations[0] : undefined;
    if (d?.id.type === 'Identifier' && d.id.name === name) return n;
  }
  return undefined;
}

function markCustomMethod(ctx: SurfaceContext, p: ASTPath<any>, schema: string): void {
  ctx.mark(
    p,
    'TODO',
    'custom-method',
    `${schema} is not a spec method v2 can register by string: use ` +
      "setRequestHandler('<method>', { params, result }, (params, ctx) => …), whose handler receives the params"
  );
}

/** The schema becomes its method string; the handler's results are cast where needed; a 2025-only method is marked. */
function registerByMethod(ctx: SurfaceContext, p: ASTPath<any>, schema: Node, method: string): void {
  ctx.edits.push({ start: schema.start, end: schema.end, text: `${ctx.quote}${method}${ctx.quote}` });
  castHandlerResults(ctx, p, method);
  const sunset = SUNSET[method];
  if (sunset) ctx.mark(p, sunset.kind, sunset.rule, sunset.message);
}

/**
 * A hand-written `initialize` handler that only answers a fixed version, capabilities and name
 * (`async () => ({ protocolVersion: '2024-11-05', capabilities: { tools: {} }, serverInfo: { name, version } })`):
 * the SDK answers initialize (2025 clients) and server/discover (2026) itself, from the server's own info and
 * capabilities, with the version the client asked for. It goes, with a NOTE on the server's construction giving
 * what it answered. An answer with more (instructions, extra server fields, code) keeps its TODO.
 */
function removeStaticInitialize(ctx: SurfaceContext, p: ASTPath<any>): boolean {
  const answer = fixedAnswer(p.node.arguments[1]);
  if (!answer) return false;
  const construction = constructionOf(ctx, p.node.callee.object);
  if (!construction) return false;
  const text = (n: Node | undefined) => (n ? ctx.src.slice(n.start, n.end).replace(/\s+/g, ' ') : 'nothing');
  ctx.edits.push(statementRemoval(ctx.src, statementPathOf(p).node));
  ctx.mark(
    construction,
    'NOTE',
    'initialize-handler',
    `a hand-written initialize handler answered ${text(answer.get('serverInfo'))} with capabilities ` +
      `${text(answer.get('capabilities'))} and protocolVersion ${text(answer.get('protocolVersion'))}; it is gone: ` +
      "the SDK answers initialize and server/discover from this server's own info and capabilities, with the version " +
      'the client asks for. Check that they say the same'
  );
  return true;
}

const FIXED_KEYS = new Set(['protocolVersion', 'capabilities', 'serverInfo']);
const SERVER_INFO_KEYS = new Set(['name', 'version', 'title']);

/** The properties of the fixed object literal a handler answers with, by key; undefined for anything else. */
function fixedAnswer(handler: Node): Map<string, Node> | undefined {
  if (!handler || !/Function/.test(handler.type)) return undefined;
  let body = handler.body;
  if (body?.type === 'BlockStatement')
    body = body.body.length === 1 && body.body[0].type === 'ReturnStatement' ? body.body[0].argument : undefined;
  while (body?.type === 'TSAsExpression' || body?.type === 'ParenthesizedExpression') body = body.expression;
  if (body?.type !== 'ObjectExpression') return undefined;
  const out = new Map<string, Node>();
  for (const prop of body.properties as Node[]) {
    const key = /Property$/.test(prop.type) && !prop.computed ? (prop.key.name ?? prop.key.value) : undefined;
    if (!key || !FIXED_KEYS.has(key) || !literalData(prop.value)) return undefined;
    if (
      key === 'serverInfo' &&
      prop.value.properties.some((i: Node) => !SERVER_INFO_KEYS.has(i.key?.name ?? i.key?.value))
    )
      return undefined;
    out.set(key, prop.value);
  }
  return out.has('serverInfo') ? out : undefined;
}

/** Strings, numbers, booleans and object / array literals of them: data, no code. */
function literalData(n: Node): boolean {
  if (/^(StringLiteral|NumericLiteral|BooleanLiteral|Literal)$/.test(n?.type)) return true;
  if (n?.type === 'TemplateLiteral') return n.expressions.length === 0;
  if (n?.type === 'ArrayExpression') return n.elements.every(literalData);
  if (n?.type === 'ObjectExpression')
    return n.properties.every((q: Node) => /Property$/.test(q.type) && !q.computed && literalData(q.value));
  return false;
}

/** Where the server a registration is made on is constructed (`server = new Server(…)`, `this.server = new …`). */
function constructionOf(ctx: SurfaceContext, target: Node): Node | undefined {
  const { j, root } = ctx;
  const key = ctx.src.slice(target.start, target.end);
  const built = (n: Node) => n?.type === 'NewExpression' && /^(?:Mcp)?Server$/.test(n.callee?.name ?? '');
  const found = [
    ...root
      .find(j.VariableDeclarator)
      .filter((d: ASTPath<any>) => built(d.node.init) && d.node.id.name === key)
      .nodes(),
    ...root
      .find(j.AssignmentExpression)
      .filter((a: ASTPath<any>) => built(a.node.right) && ctx.src.slice(a.node.left.start, a.node.left.end) === key)
      .nodes()
  ];
  return found.length === 1 ? found[0] : undefined;
}

function resultSchemaArgument(ctx: SurfaceContext, p: ASTPath<any>): void {
  const [request, schema] = p.node.arguments as Node[];
  if (!request || schema?.type !== 'Identifier') return;
  // `callTool(params, undefined, { timeout })`: v1's schema slot left empty to reach the options; v2 has no slot.
  if (schema.name === 'undefined' && p.node.callee.property.name === 'callTool') {
    ctx.edits.push({ start: request.end, end: schema.end, text: '' });
    return;
  }
  const v1Name = ctx.imported.get(schema.name);
  if (!v1Name || !/Result(?:WithTools)?Schema$/.test(v1Name) || !isSpecSchema(v1Name.replace(/^Compatibility/, '')))
    return;
  const method = p.node.callee.property.name;
  // request/send carry a method: only spec methods have a result v2 knows.
  if (method !== 'callTool') {
    const m =
      request.type === 'ObjectExpression'
        ? request.properties.find((x: Node) => (x.key?.name ?? x.key?.value) === 'method')
        : undefined;
    const literal = m?.value?.value;
    if (typeof literal !== 'string' || !Object.values(METHODS).some(x => x.method === literal)) return;
  }
  ctx.edits.push({ start: request.end, end: schema.end, text: '' });
  ctx.drop(schema.name);
}
