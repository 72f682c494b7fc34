/**
 * v1 typed a handler's result loosely (any `Result` passed), so results built elsewhere type-check there: a tools
 * list kept in a constant (`inputSchema: { type: 'object' }` widens to `type: string`), a helper that returns
 * `{ content: [{ type: 'text', text }] }` with no return type, a map of handler functions. v2 types each method's
 * result exactly, and those widened literals no longer fit. Where a handler returns such a value, the value is cast
 * to the method's v2 result type (`as ListToolsResult`, or `as CallToolResult | Promise<CallToolResult>` when it may
 * be a promise): the shapes are the same at run time, and the cast keeps v1's contract without a broken build.
 * Results written out in place (literals TypeScript checks against the type directly) are left alone. A list kept in
 * a constant of the file, written out as object literals (`const TOOLS = [{ … }, { … }]`), is typed at its declaration
 * instead (`const TOOLS: Tool[]`): a cast cannot bridge the union TypeScript infers for unlike literals (properties
 * one tool lacks become `?: undefined`, which no JSON value admits), while each literal checked on its own fits.
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction, propertyKey, propertyNamed } from '../kit/ast.js';
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

/** The list a result carries, and the type of one of its entries. */
const LIST_ENTRIES: Record<string, [key: string, entry: string]> = {
  'tools/list': ['tools', 'Tool'],
  'prompts/list': ['prompts', 'Prompt'],
  'resources/list': ['resources', 'Resource'],
  'resources/templates/list': ['resourceTemplates', 'ResourceTemplate']
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
  let written: string | undefined; // the result type as this file can name it, imported on first use
  for (const expr of returnedExpressions(handler)) {
    if (!builtElsewhere(typeListAtDeclaration(ctx, expr, method))) continue;
    const named = (written ??= ctx.sdkType(sidePackage(ctx.side), type));
    const maybePromise = !/^(ObjectExpression|ArrayExpression|AwaitExpression)$/.test(expr.type);
    const bridge = listFromCall(ctx, handler, expr, method) ? 'unknown as ' : '';
    const target = `${bridge}${maybePromise ? `${named} | Promise<${named}>` : named}`;
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
}

const typedLists = new WeakSet<Node>();

/**
 * `{ tools: TOOLS }` where TOOLS is a module constant holding object literals: its declaration gets the entry type,
 * and the result without that list is what is left to judge for a cast.
 */
function typeListAtDeclaration(ctx: SurfaceContext, expr: Node, method: string): Node {
  const [key, entry] = LIST_ENTRIES[method] ?? [];
  if (!key || !entry || expr.type !== 'ObjectExpression') return expr;
  const list = propertyNamed(expr, key);
  if (list?.value?.type !== 'Identifier') return expr;
  const found = ctx.root.find(ctx.j.VariableDeclarator, { id: { type: 'Identifier', name: list.value.name } }).paths();
  if (found.length !== 1) return expr;
  const declarator: Node = found[0]!.node;
  // `const TOOLS = [ … ] as const` is a readonly tuple, which v2's mutable list type takes neither as it is nor
  // through a cast: the result hands out a copy (and is judged for a cast as before).
  if (isConstAssertion(declarator.init)) {
    const copy = `[...${list.value.name}]`;
    const at = list.shorthand ? list : list.value;
    ctx.edits.push({ start: at.start, end: at.end, text: list.shorthand ? `${key}: ${copy}` : copy });
    return expr;
  }
  const withoutList = { ...expr, properties: expr.properties.filter((p: Node) => p !== list) };
  // Declared with the entry type already (`const TOOLS: Tool[] = …`): it fits as it is.
  if (declaredAs(ctx, declarator, entry)) return withoutList;
  if (!literalListConstant(found[0]!)) return expr;
  if (!typedLists.has(declarator)) {
    typedLists.add(declarator);
    const named = ctx.sdkType(sidePackage(ctx.side), entry);
    ctx.edits.push({ start: declarator.id.end, end: declarator.id.end, text: `: ${named}[]` });
  }
  return withoutList;
}

/**
 * `{ tools: buildTools(config) }`, or `const result = { tools: dynamicTools }; return result` with `dynamicTools =
 * generateTools()`: a list a function builds has the type TypeScript inferred for that function's literals, a union
 * whose `?: undefined` members no cast to the result type can bridge (TS2352), so the cast goes through `unknown`, as
 * v1's loose `Result` did in effect.
 */
function listFromCall(ctx: SurfaceContext, handler: Node, expr: Node, method: string): boolean {
  const [key] = LIST_ENTRIES[method] ?? [];
  if (!key) return false;
  const value = initOf(ctx, handler, expr) ?? expr;
  if (value?.type !== 'ObjectExpression') return false;
  const list = propertyNamed(value, key);
  const entries = list?.value ? (initOf(ctx, handler, list.value) ?? list.value) : undefined;
  const built = entries?.type === 'AwaitExpression' ? entries.argument : entries;
  return built?.type === 'CallExpression';
}

/** What an identifier was declared with, in the handler or the file (the one declaration of that name). */
function initOf(ctx: SurfaceContext, handler: Node, n: Node): Node | undefined {
  if (n?.type !== 'Identifier') return undefined;
  const { j } = ctx;
  const named = { id: { type: 'Identifier', name: n.name } } as const;
  const local = j(handler.body).find(j.VariableDeclarator, named).nodes();
  const found = local.length ? local : ctx.root.find(j.VariableDeclarator, named).nodes();
  return found.length === 1 ? found[0].init : undefined;
}

/** `[ … ] as const` (or `[ … ] as const satisfies …`) */
function isConstAssertion(n: Node): boolean {
  if (n?.type === 'TSSatisfiesExpression') return isConstAssertion(n.expression);
  return (
    n?.type === 'TSAsExpression' &&
    n.typeAnnotation?.type === 'TSTypeReference' &&
    n.typeAnnotation.typeName?.type === 'Identifier' &&
    n.typeAnnotation.typeName.name === 'const'
  );
}

/** Is the declarator typed `Entry[]` (or `Array<Entry>`)? */
function declaredAs(ctx: SurfaceContext, declarator: Node, entry: string): boolean {
  const annotation = declarator.id.typeAnnotation?.typeAnnotation;
  if (!annotation) return false;
  const text = ctx.src.slice(annotation.start, annotation.end).replace(/\s+/g, '');
  return text === `${entry}[]` || text === `Array<${entry}>`;
}

/** Is the declarator a module-level `const` of an array of object literals, with no type of its own? */
function literalListConstant(declarator: ASTPath<any>): boolean {
  const declaration = declarator.parent;
  const holder = declaration?.parent?.node;
  if (declaration?.node.kind !== 'const') return false;
  if (holder?.type !== 'Program' && holder?.type !== 'ExportNamedDeclaration') return false;
  const { id, init } = declarator.node;
  if (id.typeAnnotation || init?.type !== 'ArrayExpression') return false;
  return init.elements.every((e: Node) => e?.type === 'ObjectExpression');
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

/**
 * Object literals of different shapes in one array (`[{ …teamId }, { …projectId }]`): TypeScript infers one union for
 * them, a property one lacks `?: undefined` on the other, which no JSON value admits; written in place, they still fail
 * v2's result type, while a cast to it checks each against the type.
 */
function unlikeLiterals(elements: Node[]): boolean {
  const shapes = new Set(elements.filter((e: Node) => e?.type === 'ObjectExpression').map(shapeOf));
  return shapes.size > 1;
}

function shapeOf(n: Node): string {
  if (n?.type === 'ObjectExpression')
    return `{${n.properties
      .map((p: Node) => `${propertyKey(p) ?? '…'}:${shapeOf(p.value)}`)
      .sort()
      .join(',')}}`;
  if (n?.type === 'ArrayExpression') return `[${[...new Set(n.elements.map(shapeOf))].sort().join('|')}]`;
  return '';
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
      // `{ uri, text: c.text, blob: c.blob }`: v2 has text contents or blob contents, never both (v1 took any).
      if (['text', 'blob'].every(k => n.properties.some((p: Node) => propertyKey(p) === k))) return true;
      return n.properties.some(
        (p: Node) => !/Property$/.test(p.type) || p.computed || builtElsewhere(p.value, propertyKey(p))
      );
    case 'ArrayExpression':
      return (
        unlikeLiterals(n.elements) ||
        n.elements.some((e: Node) => !e || e.type === 'SpreadElement' || builtElsewhere(e, key))
      );
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
      return false;
    case 'BinaryExpression':
      return key === undefined || !SCALAR_KEYS.has(key);
    default:
      return key === undefined || !SCALAR_KEYS.has(key);
  }
}
