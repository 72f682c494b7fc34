/**
 * v1's `server/zod-compat` and `server/zod-json-schema-compat` runtime helpers (`normalizeObjectSchema`,
 * `toJsonSchemaCompat`, `safeParseAsync`, `getParseErrorMessage`, …), which libraries and servers that list or validate
 * tool schemas themselves import. v2 has neither module, so such an import, re-export or require is pointed at the
 * support module written beside the file (mcp-zod-compat.ts: the same names, for zod 4) when every name it takes is
 * one the module has; otherwise it is left to the removed-symbol marker. A type-only import of the compat types is
 * not brought here: zod-compat-types.ts aliases those over zod itself, with no module to write.
 */
import type { ASTPath } from 'jscodeshift';
import { isCommonJs } from '../kit/commonjs.js';
import { isTypeScript } from '../kit/source-style.js';
import { useSupportModule } from '../kit/support-module.js';
import { ZOD_COMPAT_MODULE_NAME, ZOD_COMPAT_MODULE_SOURCE, zodCompatModuleJs } from './mcp-zod-compat.source.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

const COMPAT_MODULES = new Set(['server/zod-compat', 'server/zod-json-schema-compat']);
const INTEROP = /^(?:__importStar|_interopRequireWildcard)$/;

/** What the support module exports (its functions and types), read off its text. */
const PROVIDED = new Set([...ZOD_COMPAT_MODULE_SOURCE.matchAll(/^export (?:type|function) (\w+)/gm)].map(m => m[1]!));

/**
 * The support module's specifier for a declaration of `modulePath` taking `names` (undefined: not a compat module,
 * or a name the module lacks). Writes the module on first use.
 */
export function zodCompatSupport(ctx: SurfaceContext, modulePath: string, names: string[]): string | undefined {
  if (!COMPAT_MODULES.has(modulePath) || names.length === 0 || !names.every(n => PROVIDED.has(n))) return undefined;
  if (isTypeScript(ctx.file))
    return useSupportModule(ctx.file, ctx.options, ZOD_COMPAT_MODULE_NAME, ZOD_COMPAT_MODULE_SOURCE);
  return useSupportModule(ctx.file, ctx.options, ZOD_COMPAT_MODULE_NAME, zodCompatModuleJs(isCommonJs(ctx.root)), 'js');
}

/** Replaces the string literal `source` with the specifier. */
export function pointAt(ctx: SurfaceContext, source: Node, specifier: string): void {
  ctx.edits.push({ start: source.start, end: source.end, text: `${ctx.quote}${specifier}${ctx.quote}` });
}

/**
 * The names read off a whole-module binding (`compat.normalizeObjectSchema(…)`, `zod_compat_js_1.safeParse`):
 * undefined when the binding is used any other way (handed on whole, spread), which the module may not match.
 */
export function namesReadOff(ctx: SurfaceContext, local: string, declaration: Node): string[] | undefined {
  const { j, root } = ctx;
  const names = new Set<string>();
  let whole = false;
  root.find(j.Identifier, { name: local }).forEach((p: ASTPath<any>) => {
    const node = p.node;
    if (declaration.start <= node.start && node.end <= declaration.end) return;
    const parent = p.parent?.node;
    if (parent?.type === 'MemberExpression' && parent.object === node && !parent.computed) {
      names.add(parent.property.name);
      return;
    }
    // A property key or a member named like the binding is not a use of it.
    if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
    if ((parent?.type === 'ObjectProperty' || parent?.type === 'Property') && parent.key === node && !parent.shorthand)
      return;
    if (parent?.type === 'TSQualifiedName' && parent.left === node) {
      names.add(parent.right.name);
      return;
    }
    whole = true;
  });
  return whole ? undefined : [...names];
}

/**
 * `require('…/zod-compat.js')` / `await import(…)`, destructured or bound whole, pointed at the support module when
 * everything it takes is there; true when done.
 */
export function requireZodCompat(ctx: SurfaceContext, p: ASTPath<any>, modulePath: string): boolean {
  if (!COMPAT_MODULES.has(modulePath)) return false;
  let bound: ASTPath<any> = p;
  // `await import(…)`, and tsc's interop wrapper around a require: `__importStar(require(…))`.
  if (bound.parent?.node.type === 'AwaitExpression') bound = bound.parent;
  else if (INTEROP.test(bound.parent?.node.callee?.name ?? '')) bound = bound.parent;
  const declarator = bound.parent?.node;
  if (declarator?.type !== 'VariableDeclarator' || declarator.init !== bound.node) return false;
  let names: string[] | undefined;
  if (declarator.id.type === 'Identifier') names = namesReadOff(ctx, declarator.id.name, declarator);
  else if (declarator.id.type === 'ObjectPattern') {
    const keys = (declarator.id.properties as Node[]).map(prop =>
      prop.type === 'RestElement' || prop.computed ? undefined : (prop.key?.name ?? prop.key?.value)
    );
    if (keys.every(k => typeof k === 'string')) names = keys as string[];
  }
  const specifier = names && zodCompatSupport(ctx, modulePath, names);
  if (!specifier) return false;
  pointAt(ctx, p.node.arguments[0], specifier);
  return true;
}

/** An import or re-export of a compat module, pointed at the support module when it has every name; true when done. */
export function importZodCompat(ctx: SurfaceContext, declaration: Node, modulePath: string): boolean {
  if (!COMPAT_MODULES.has(modulePath)) return false;
  const specs: Node[] = declaration.specifiers ?? [];
  const namespace = specs.find(s => s.type === 'ImportNamespaceSpecifier');
  let names: string[] | undefined;
  if (namespace) names = specs.length === 1 ? namesReadOff(ctx, namespace.local.name, declaration) : undefined;
  else if (specs.every(s => s.type === 'ImportSpecifier' || s.type === 'ExportSpecifier'))
    names = specs.map(s => (s.type === 'ImportSpecifier' ? s.imported : s.local)).map(n => n.name ?? n.value);
  const specifier = names && zodCompatSupport(ctx, modulePath, names);
  if (!specifier) return false;
  pointAt(ctx, declaration.source, specifier);
  return true;
}
