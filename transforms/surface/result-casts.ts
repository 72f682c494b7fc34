/**
 * v1 typed a handler's result loosely (any `Result` passed), so results built elsewhere type-check there: a tools
 * list kept in a constant (`inputSchema: { type: 'object' }` widens to `type: string`), a helper that returns
 * `{ content: [{ type: 'text', text }] }` with no return type, a map of handler functions. v2 types each method's
 * result exactly, and those widened literals no longer fit. Where a handler returns such a value, the value is cast
 * to the method's v2 result type (`as ListToolsResult`, or `as CallToolResult | Promise<CallToolResult>` when it may
 * be a promise): the shapes are the same at run time, and the cast keeps v1's contract without a broken build.
 * Results written out in place (literals TypeScript checks against the type directly) are left alone.
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction, propertyKey } from '../kit/ast.js';
import { sidePackage } from './routing.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

const RESULT_TYPES: Record<string, string> = {
  'tools/list': 'ListToolsResult',
  'tools/call': 'CallToolResult',
  'prompts/list': 'ListPromptsResult',
  'prompts/get': 'GetPromptResult',
  'resources/list': 'ListResourcesResult',
  'resources/templates/list': 'ListResourceTemplatesResult',
  'resources/read': 'ReadResourceResult',
  'completion/complete': 'CompleteResult'
};

const REGISTRATION_RESULTS: Record<string, string> = {
  registerTool: 'CallToolResult',
  tool: 'CallToolResult',
  registerPrompt: 'GetPromptResult',
  prompt: 'GetPromptResult',
  registerResource: 'ReadResourceResult',
  resource: 'ReadResourceResult'
};

/** Keys whose values are plain strings, numbers or booleans in every MCP result: any expression fits them. */
const SCALAR_KEYS = new Set([
  'text',
  'uri',
  'name',
  'title',
  'description',
  'mimeType',
  'data',
  'blob',
  'nextCursor',
  'isError',
  'total',
  'hasMore'
]);

/** The handler of a registration (by method string or registration name) and the result type it must return. */
export function castHandlerResults(ctx: SurfaceContext, call: ASTPath<any>, method: string): void {
  if (!/\.[cm]?tsx?$/.test(ctx.file)) return;
  const type = RESULT_TYPES[method] ?? REGISTRATION_RESULTS[method];
  const handler = call.node.arguments[call.node.arguments.length - 1];
  if (!type || !isFunction(handler) || handler.returnType) return;
  let cast = false;
  for (const expr of returnedExpressions(handler)) {
    if (!builtElsewhere(expr)) continue;
    cast = true;
    const maybePromise = !/^(ObjectExpression|ArrayExpression|AwaitExpression)$/.test(expr.type);
    const target = maybePromise ? `${type} | Promise<${type}>` : type;
    const bare =
      /^(Identifier|MemberExpression|CallExpression|ObjectExpression|ArrayExpression|AwaitExpression|NewExpression)$/.test(
        expr.type
      );
    const parenthesized = expr.extra?.parenthesized;
    const start = parenthesized ? ctx.src.lastIndexOf('(', expr.start) : expr.start;
    const end = parenthesized ? ctx.src.indexOf(')', expr.end) + 1 : expr.end;
    if (bare || parenthesized) ctx.edits.push({ start: end, end, text: ` as ${target}` });
    else ctx.edits.push({ start, end: start, text: '(' }, { start: end, end, text: `) as ${target}` });
  }
  if (cast) ctx.need(sidePackage(ctx.side), `type ${type}`);
}

/** What the function returns: its expression body, or the argument of each `return` not inside a nested function. */
function returnedExpressions(fn: Node): Node[] {
  if (fn.body.type !== 'BlockStatement') return [fn.body];
  const found: Node[] = [];
  const walk = (n: Node): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type !== 'string' || (n !== fn.body && isFunction(n))) return;
    if (n.type === 'ReturnStatement' && n.argument) found.push(n.argument);
    for (const key of Object.keys(n))
      if (key !== 'loc' && key !== 'extra' && key !== 'leadingComments' && key !== 'trailingComments') walk(n[key]);
  };
  walk(fn.body);
  return found;
}

/** Does the value carry parts typed away from here (a variable, a call), where v2's exact result type may not fit? */
function builtElsewhere(n: Node, key?: string): boolean {
  if (!n) return false;
  switch (n.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'Literal':
    case 'TemplateLiteral':
      return false;
    case 'ObjectExpression':
      return n.properties.some(
        (p: Node) => !/Property$/.test(p.type) || p.computed || builtElsewhere(p.value, propertyKey(p))
      );
    case 'ArrayExpression':
      return n.elements.some((e: Node) => !e || e.type === 'SpreadElement' || builtElsewhere(e, key));
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
      return false;
    case 'BinaryExpression':
      return key === undefined || !SCALAR_KEYS.has(key);
    default:
      return key === undefined || !SCALAR_KEYS.has(key);
  }
}
