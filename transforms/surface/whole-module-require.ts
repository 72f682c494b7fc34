/**
 * tsc's CommonJS output binds each module whole and reads its members off it: `const mcp_js_1 = require('…/mcp.js')`,
 * `new mcp_js_1.McpServer(…)`, `(0, stdio_js_1.X)(…)`. Every later rewrite knows the SDK's classes by name, so such a
 * require is destructured (`const { McpServer } = require('@modelcontextprotocol/server')`, one statement per v2
 * package) and each read becomes the bare name — when every use of the binding is such a read, it sits at the top
 * level, and no name clashes with another binding of the file. A spec schema handed to a registration
 * (`setRequestHandler(types_js_1.ListToolsRequestSchema, …)`) is left to request-handlers, which writes the method.
 */
import type { ASTPath } from 'jscodeshift';
import { isValueReference, statementRemoval } from '../kit/ast.js';
import { METHODS, routeSymbol } from './routing.js';
import { sdkModulePath } from './specifiers.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

/** The calls that register a handler by schema in v1 (by method string in v2). */
export const REGISTRATIONS = new Set(['setRequestHandler', 'setNotificationHandler']);
/** Names already destructured from another require of the file: a second binding of one would not parse. */
const destructured = new WeakMap<SurfaceContext, Set<string>>();

/** True when the require was destructured here (its edits are made); false leaves it to the whole-module path. */
export function destructureWholeRequire(ctx: SurfaceContext, p: ASTPath<any>, modulePath: string): boolean {
  const { j, root } = ctx;
  const bound = interopWrapper(p) ?? p;
  const declarator = bound.parent?.node;
  const declaration = bound.parent?.parent;
  if (
    declarator?.type !== 'VariableDeclarator' ||
    declarator.init !== bound.node ||
    declarator.id.type !== 'Identifier'
  )
    return false;
  if (declaration?.node.declarations?.length !== 1 || declaration.parent?.node.type !== 'Program') return false;
  const ns = declarator.id.name;
  const reads: Node[] = [];
  let whole = false;
  let schemas = 0;
  root.find(j.Identifier, { name: ns }).forEach((r: ASTPath<any>) => {
    if (r.node === declarator.id || !isValueReference(r)) return;
    const member = r.parent.node;
    if (member.type !== 'MemberExpression' || member.object !== r.node || member.computed) whole = true;
    else if (registeredSchema(r.parent)) schemas++;
    else reads.push(member);
  });
  if (whole || reads.length + schemas === 0) return false;
  // Read only for schemas that become method strings: nothing is left to require.
  if (reads.length === 0) {
    ctx.edits.push(statementRemoval(ctx.src, declaration.node));
    return true;
  }
  const byTarget = new Map<string, Set<string>>();
  const v2Names = new Map<string, string>();
  const taken = destructured.get(ctx) ?? new Set<string>();
  for (const name of new Set(reads.map(m => m.property.name as string))) {
    const route = routeSymbol(name, modulePath, ctx.side);
    if (!route.target || taken.has(route.v2Name) || declaredElsewhere(ctx, route.v2Name)) return false;
    v2Names.set(name, route.v2Name);
    byTarget.set(route.target, (byTarget.get(route.target) ?? new Set()).add(route.v2Name));
  }
  const q = ctx.quote;
  const { kind, start, end } = declaration.node;
  const semi = ctx.src.slice(start, end).trimEnd().endsWith(';') ? ';' : '';
  const statements = [...byTarget].map(
    ([t, names]) => `${kind} { ${[...names].join(', ')} } = require(${q}${t}${q})${semi}`
  );
  ctx.edits.push({ start, end, text: statements.join('\n') });
  for (const name of v2Names.values()) taken.add(name);
  destructured.set(ctx, taken);
  for (const m of reads) ctx.edits.push({ start: m.start, end: m.end, text: v2Names.get(m.property.name)! });
  return true;
}

/**
 * Bundlers and tsc's esModuleInterop bind a whole module through a helper: `__toESM(require('…'))` (esbuild),
 * `require_chunk.__toESM(require('…'))` (rolldown, tsdown), `__importStar(require('…'))` (tsc),
 * `_interopRequireWildcard(require('…'))` (babel). Members read off the result are the module's own, so such a
 * binding is destructured like a bare require (the helper goes with it). The helper's call around `require`, if any.
 */
function interopWrapper(p: ASTPath<any>): ASTPath<any> | undefined {
  const call = p.parent?.node;
  if (call?.type !== 'CallExpression' || call.arguments[0] !== p.node) return undefined;
  return INTEROP_HELPERS.test(interopName(call.callee)) ? p.parent : undefined;
}

const INTEROP_HELPERS = /^(?:__toESM|__importStar|_interopRequireWildcard)$/;

/** `const ns = require('…')`, bare or through an interop helper: the required specifier. */
function requiredSpecifier(init: Node): string | undefined {
  let call = init;
  if (call?.type === 'CallExpression' && INTEROP_HELPERS.test(interopName(call.callee)) && call.arguments.length >= 1)
    call = call.arguments[0];
  const arg = call?.type === 'CallExpression' && call.callee.name === 'require' ? call.arguments[0] : undefined;
  return typeof arg?.value === 'string' ? arg.value : undefined;
}

function interopName(callee: Node): string {
  return (callee?.type === 'Identifier' ? callee.name : callee?.property?.name) ?? '';
}

/** `setRequestHandler(ns.ListToolsRequestSchema, …)`: request-handlers writes the method string in its place. */
function registeredSchema(member: ASTPath<any>): boolean {
  const call = member.parent?.node;
  return (
    call?.type === 'CallExpression' &&
    call.arguments[0] === member.node &&
    REGISTRATIONS.has(call.callee?.property?.name) &&
    !!METHODS[member.node.property.name]?.typed
  );
}

/**
 * `types_js_1.ListToolsRequestSchema` handed to a registration, read off a whole-module v1 require: the spec method v2
 * registers it by, when it has one.
 */
export function methodOfRequiredSchema(ctx: SurfaceContext, schema: Node): string | undefined {
  if (schema?.type !== 'MemberExpression' || schema.computed || schema.object.type !== 'Identifier') return undefined;
  const known = METHODS[schema.property?.name];
  if (!known?.typed) return undefined;
  const { j, root } = ctx;
  const required = root
    .find(j.VariableDeclarator, { id: { type: 'Identifier', name: schema.object.name } })
    .some((d: ASTPath<any>) => {
      const specifier = requiredSpecifier(d.node.init);
      return specifier !== undefined && sdkModulePath(specifier, ctx.options) !== undefined;
    });
  return required ? known.method : undefined;
}

/** Is `name` used in the file other than as a property (a binding the destructured name would clash with)? */
function declaredElsewhere(ctx: SurfaceContext, name: string): boolean {
  const { j, root } = ctx;
  return root.find(j.Identifier, { name }).some((r: ASTPath<any>) => {
    const parent = r.parent.node;
    if (/MemberExpression$/.test(parent.type) && parent.property === r.node && !parent.computed) return false;
    return !(/Property$/.test(parent.type) && parent.key === r.node && !parent.computed && !parent.shorthand);
  });
}
