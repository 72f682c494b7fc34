/**
 * CORS header lists: a browser client's preflight must allow the 2026 request headers (`MCP-Protocol-Version`,
 * `Mcp-Method`, `Mcp-Name`), and there is no session or event id left to expose or accept. Rewritten in place in
 * `cors({ allowedHeaders, exposedHeaders })` options (arrays or comma strings) and in hand-set
 * `Access-Control-Allow-Headers` / `Access-Control-Expose-Headers` values. A list not written out (cors reflects the
 * request's headers by default) is left alone: it already allows them.
 */
import type { ASTPath } from 'jscodeshift';
import { isStringLiteral, isUndefinedValue, propertyKey, removeStatement } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

const GONE = new Set(['mcp-session-id', 'last-event-id']);
const REQUEST_HEADERS = ['MCP-Protocol-Version', 'Mcp-Method', 'Mcp-Name'];
// `cors` (Express, Fastify) names them allowed/exposedHeaders; Hono's and Koa's cors middleware allow/exposeHeaders.
const KIND_OF_KEY: Record<string, 'allow' | 'expose'> = {
  allowedHeaders: 'allow',
  exposedHeaders: 'expose',
  allowHeaders: 'allow',
  exposeHeaders: 'expose'
};
const KIND_OF_HEADER: Record<string, 'allow' | 'expose'> = {
  'access-control-allow-headers': 'allow',
  'access-control-expose-headers': 'expose'
};

export function rewriteCorsHeaders(ctx: EntryContext): void {
  const { j, root } = ctx;
  // A file that still serves sessions (its entry was left as it was, with a marker) still needs its clients to read
  // and send the session id: its lists change when its entry does.
  if (stillServesSessions(ctx)) return;
  // A file serving MCP over HTTP through createMcpHandler: its allow lists are the MCP endpoint's too, so one naming
  // no MCP header (`'Content-Type'` alone) would make a browser client's preflight fail on the 2026 request headers.
  const served =
    root.find(j.CallExpression, { callee: { type: 'Identifier', name: 'createMcpHandler' } }).size() > 0
      ? routePaths(ctx)
      : undefined;
  // A list scoped to a path (`app.use('/assets', cors(…))`) is the MCP endpoint's only when that path is a route
  // serving all methods (what the rewritten MCP route is); an unscoped one covers it.
  const servesMcp = (p: ASTPath<any>) => {
    if (!served) return false;
    const scope = scopePath(p);
    return scope === undefined || served.has(scope);
  };
  // Options (`cors({ allowedHeaders })`) and header maps (`res.writeHead(204, { 'Access-Control-Allow-Headers': … })`).
  root.find(j.ObjectProperty).forEach((p: ASTPath<any>) => {
    const key = propertyKey(p.node) ?? '';
    const kind = KIND_OF_KEY[key] ?? headerKind(key);
    if (!kind || !rewriteList(ctx, p.node.value, kind, servesMcp(p))) return;
    ctx.changed = true;
    // A header map's entry left with nothing to list goes (an option keeps its empty list: it says what it holds).
    if (!Object.hasOwn(KIND_OF_KEY, key) && isStringLiteral(p.node.value) && p.node.value.value === '') p.prune();
  });
  // `headers['access-control-allow-headers'] = opts.allowHeaders ?? 'Content-Type, mcp-session-id'`: the default.
  root
    .find(j.AssignmentExpression, { left: { type: 'MemberExpression', computed: true } })
    .forEach((p: ASTPath<any>) => {
      const header = p.node.left.property;
      if (!isStringLiteral(header)) return;
      const kind = headerKind(String(header.value));
      let value = p.node.right;
      while (value?.type === 'LogicalExpression') value = value.right;
      if (kind && rewriteList(ctx, value, kind, servesMcp(p))) ctx.changed = true;
    });
  // `const ALLOWED_HEADERS = 'Content-Type, Mcp-Session-Id'`, `const exposeHeaders = [...]`: a list kept in a constant.
  root.find(j.VariableDeclarator, { id: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    const kind = kindOfName(p.node.id.name);
    if (!kind || !rewriteList(ctx, p.node.init, kind, servesMcp(p))) return;
    ctx.changed = true;
    // A list left empty still says what it holds, or TypeScript reads `[]` as any[].
    if (
      p.node.init.type === 'ArrayExpression' &&
      !p.node.init.elements.length &&
      /\.[cm]?tsx?$/.test(ctx.file) &&
      !p.node.id.typeAnnotation
    )
      p.node.init = j.tsAsExpression(p.node.init, j.tsArrayType(j.tsStringKeyword()));
  });
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const value = p.node.arguments[1];
    const kind = corsHeaderKind(p.node);
    if (!kind || !value || !rewriteList(ctx, value, kind, servesMcp(p))) return;
    ctx.changed = true;
    // A header left with nothing to list goes, when setting it is a statement of its own.
    if (isStringLiteral(value) && value.value === '' && p.parent.node.type === 'ExpressionStatement')
      removeStatement(j, p.parent);
  });
}

/** The path literals of `x.all('/mcp', …)` routes. */
function routePaths(ctx: EntryContext): Set<string> {
  const { j, root } = ctx;
  const paths = new Set<string>();
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'all' } } })
    .forEach((p: ASTPath<any>) => {
      const [path] = p.node.arguments;
      if (isStringLiteral(path)) paths.add(String(path.value));
    });
  return paths;
}

/** The path literal a middleware holding `p` is registered under (`app.use('/assets', …)`), if any. */
function scopePath(p: ASTPath<any>): string | undefined {
  for (let cur: ASTPath<any> | null = p; cur?.parent; cur = cur.parent) {
    const parent = cur.parent.node;
    if (parent.type !== 'CallExpression' || parent.callee === cur.node) continue;
    const [first] = parent.arguments;
    if (first !== cur.node && isStringLiteral(first) && String(first.value).startsWith('/')) return String(first.value);
  }
  return undefined;
}

/** A variable named for an allowed or exposed header list (`ALLOWED_HEADERS`, `corsExposeHeaders`). */
function kindOfName(name: string): 'allow' | 'expose' | undefined {
  if (/allow(?:ed)?[_-]?headers/i.test(name)) return 'allow';
  if (/expose(?:d)?[_-]?headers/i.test(name)) return 'expose';
  return undefined;
}

/** `res.setHeader('Access-Control-Allow-Headers', '…, mcp-session-id')`: a CORS list this file rewrites, not plumbing. */
export function setsCorsHeader(s: Node): boolean {
  return s?.type === 'ExpressionStatement' && corsHeaderKind(s.expression) !== undefined;
}

/** `res.setHeader('Access-Control-Allow-Headers', …)` and its spellings (`header`, `set`, `append`): which list. */
function corsHeaderKind(call: Node): 'allow' | 'expose' | undefined {
  if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return undefined;
  const [name] = call.arguments;
  if (!/^(setHeader|header|set|append)$/.test(call.callee.property?.name ?? '') || !isStringLiteral(name))
    return undefined;
  return headerKind(String(name.value));
}

/** Session plumbing left in the file: a session id generator, a session hook, or a read of the header. */
function stillServesSessions(ctx: EntryContext): boolean {
  const { j, root } = ctx;
  const generates = root.find(j.ObjectProperty).some((p: ASTPath<any>) => {
    const key = propertyKey(p.node);
    if (key === 'onsessioninitialized') return true;
    return key === 'sessionIdGenerator' && !isUndefinedValue(p.node.value);
  });
  if (generates) return true;
  const header = (n: Node) => isStringLiteral(n) && String(n.value).toLowerCase() === 'mcp-session-id';
  const indexed = root.find(j.MemberExpression).some((p: ASTPath<any>) => p.node.computed && header(p.node.property));
  return (
    indexed ||
    root
      .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
      .some((p: ASTPath<any>) => /^(get|header)$/.test(p.node.callee.property?.name) && header(p.node.arguments[0]))
  );
}

/**
 * Only lists that mention an MCP header are the MCP endpoint's: an app's other CORS lists are not ours to touch. In a
 * file serving MCP, an allow list that lets a JSON body through (`Content-Type`) is taken as its endpoint's too: it
 * gains the 2026 request headers (allowing more request headers changes nothing for the app's other routes).
 */
function rewriteList(ctx: EntryContext, list: Node, kind: 'allow' | 'expose', servesMcp: boolean): boolean {
  const { j } = ctx;
  if (list?.type === 'ArrayExpression') {
    if (!list.elements.every((e: Node) => isStringLiteral(e))) return false;
    const names: string[] = list.elements.map((e: Node) => e.value);
    const next = rewriteNames(names, kind, servesMcp);
    if (!next) return false;
    list.elements = next.map(n => j.stringLiteral(n));
    return true;
  }
  if (isStringLiteral(list)) {
    const names = String(list.value)
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
    const next = rewriteNames(names, kind, servesMcp);
    if (!next) return false;
    list.value = next.join(', ');
    if (list.extra) list.extra = { ...list.extra, raw: JSON.stringify(list.value), rawValue: list.value };
    return true;
  }
  return false;
}

function rewriteNames(names: string[], kind: 'allow' | 'expose', servesMcp: boolean): string[] | undefined {
  const lower = names.map(n => n.toLowerCase());
  const mcpList = lower.some(n => n.startsWith('mcp-') || GONE.has(n));
  const endpointList = servesMcp && kind === 'allow' && lower.includes('content-type') && !lower.includes('*');
  if (!mcpList && !endpointList) return undefined;
  const kept = names.filter(n => !GONE.has(n.toLowerCase()));
  const added = kind === 'allow' ? REQUEST_HEADERS.filter(h => !lower.includes(h.toLowerCase())) : [];
  if (kept.length === names.length && added.length === 0) return undefined;
  return [...kept, ...added];
}

/** Which CORS list a header of that name (any case) carries, if it carries one. */
function headerKind(name: string): 'allow' | 'expose' | undefined {
  const header = name.toLowerCase();
  return Object.hasOwn(KIND_OF_HEADER, header) ? KIND_OF_HEADER[header] : undefined;
}
