/**
 * Project types that hand a callback v1's handler context: `type Handler = (args: A, extra: RequestHandlerExtra<…>)
 * => …`, or an object type whose members are such callbacks (`{ name: string; tool: (client, args, extra:
 * RequestHandlerExtra<…>) => … }`, also per branch of a conditional type, as generated MCP servers declare their
 * tools). A function or object literal declared with such a type (`export const tool$x: ToolDefinition<A> = { tool:
 * async (client, args, ctx) => … ctx.signal … }`) gets its context parameter by position, read from the type's
 * declaration in this file or in the relative module it is imported from.
 */
import type { ASTPath } from 'jscodeshift';
import { readProjectModule } from '../kit/project-modules.js';
import { parseFresh } from '../kit/parse.js';
import { visit } from '../kit/raw-walk.js';
import { functionsByName, isFunction } from '../kit/ast.js';
import { contextIndex, LEGACY, MODERN } from './registration-shapes.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

/** Where the context sits in a callback of this many parameters: for the type itself, and per member. */
export interface CarriedContext {
  direct: Map<number, number>;
  members: Map<string, Map<number, number>>;
}

/** The names a module may give the context type: v1's, and v2's once that module is migrated. */
const CONTEXT_NAMES = new Set(['RequestHandlerExtra', 'ServerContext']);
const NAMES_CONTEXT = new RegExp(String.raw`\b(?:${[...CONTEXT_NAMES].join('|')})\b`);
/** The context positions of the project type `name` as this file knows it, if it carries one. */
export function contextCarriedBy(ctx: SurfaceContext, name: string): CarriedContext | undefined {
  return readHereOrImported(ctx, name, 'type', NAMES_CONTEXT, (root, declared, names) => {
    const declaration = indexOf(ctx.j, root).declarations.get(declared);
    return declaration ? carried(declaration, names) : undefined;
  });
}

/**
 * A function of the project that takes callbacks it hands v1's context (`defineTool(mcp, name, description, shape,
 * run)` with `run: (args, extra: RequestHandlerExtra<…>) => …`): where each callback argument takes the context, by
 * the argument's index, then the callback's parameter count. Read from its declaration here or in the relative module
 * it is imported from.
 */
export function callbackContextsOf(ctx: SurfaceContext, name: string): Map<number, Map<number, number>> | undefined {
  const readable = new RegExp(`${NAMES_CONTEXT.source}|${REGISTERS_TEXT.source}`);
  return readHereOrImported(ctx, name, 'function', readable, (root, declared, names) => {
    const fn = indexOf(ctx.j, root).functions.get(declared);
    return fn ? callbackPositions(fn, names) : undefined;
  });
}

/** Per module read, per kind of lookup and exported name: what `read` found there (read once per run). */
const remote = new Map<string, Map<string, unknown>>();

/**
 * `read` over the declaration of `name` in this file, else in the relative module it is imported from (when that
 * module's text passes `readable`), with the names each gives the context type.
 */
function readHereOrImported<T>(
  ctx: SurfaceContext,
  name: string,
  kind: string,
  readable: RegExp,
  read: (root: SurfaceContext['root'], declared: string, contextNames: Set<string>) => T | undefined
): T | undefined {
  const { j, root } = ctx;
  const local = read(root, name, new Set([...ctx.contextTypes, ...indexOf(j, root).contextNames]));
  if (local !== undefined) return local;
  const { source = '', spec } = indexOf(j, root).imports.get(name) ?? {};
  if (!source.startsWith('.') || spec?.type !== 'ImportSpecifier') return undefined;
  const module = readProjectModule(ctx.file, source);
  if (!module || !readable.test(module.text)) return undefined;
  const exported: string = spec.imported.name ?? spec.imported.value;
  const key = `${kind}:${exported}`;
  const known = remote.get(module.path) ?? new Map<string, unknown>();
  remote.set(module.path, known);
  if (!known.has(key)) {
    let found: T | undefined;
    try {
      const other = parseFresh(j, module.path, module.text);
      found = read(other, exported, indexOf(j, other).contextNames);
    } catch {
      found = undefined; // a module that does not parse carries nothing we can read
    }
    known.set(key, found);
  }
  return known.get(key) as T | undefined;
}

/** Any parameter count: a callback the function calls with the context, its type unwritten. */
export const ANY_COUNT = -1;

/**
 * For each parameter typed as a callback that takes the context, or called with a registration's context inside the
 * function (`mcp.tool(name, description, shape, async (args, extra) => run(args, extra))`, plain JavaScript): its
 * index, and where the callback takes it.
 */
function callbackPositions(fn: Node, contextNames: Set<string>): Map<number, Map<number, number>> | undefined {
  const out = new Map<number, Map<number, number>>();
  const byName = new Map<string, number>();
  (fn.params ?? []).forEach((param: Node, i: number) => {
    const target = param.type === 'AssignmentPattern' ? param.left : param;
    const t = target.typeAnnotation?.typeAnnotation;
    if (t?.type !== 'TSFunctionType') {
      if (target.type === 'Identifier') byName.set(target.name, i);
      return;
    }
    const positions = new Map<number, number>();
    record(positions, t, contextNames);
    if (positions.size) out.set(i, positions);
  });
  if (byName.size)
    visit(fn.body, node => {
      if (node.type !== 'CallExpression' || node.callee?.type !== 'MemberExpression') return;
      const kind = node.callee.property?.name;
      if (!REGISTERS.has(kind)) return;
      const callback = node.arguments[node.arguments.length - 1];
      if (!isFunction(callback)) return;
      let index = contextIndex(kind, node.arguments);
      if (index < 0 && callback.params.length >= 2) index = callback.params.length - 1;
      const context = callback.params[index];
      if (context?.type !== 'Identifier') return;
      visit(callback.body, call => {
        if (call.type !== 'CallExpression' || call.callee?.type !== 'Identifier' || !byName.has(call.callee.name))
          return;
        const at = call.arguments.findIndex((a: Node) => a.type === 'Identifier' && a.name === context.name);
        if (at >= 0) out.set(byName.get(call.callee.name)!, new Map([[ANY_COUNT, at]]));
      });
    });
  return out.size ? out : undefined;
}

const REGISTERS = new Set([...LEGACY, ...MODERN]);
const REGISTERS_TEXT = new RegExp(String.raw`\.(?:${[...REGISTERS].join('|')})\s*\(`);

interface ModuleIndex {
  /** Type aliases, interfaces and classes by name (an alias first, then an interface, then a class). */
  declarations: Map<string, Node>;
  functions: Map<string, Node>;
  contextNames: Set<string>;
  /** Each imported local name: its module specifier and import specifier (the first import binding it). */
  imports: Map<string, { source: string; spec: Node }>;
}

/**
 * What the lookups read of a parsed module, gathered once per parse: each lookup used to walk the whole tree again,
 * which a 2 MB bundle with thousands of classes and calls turned into seconds per lookup.
 */
const indexes = new WeakMap<object, ModuleIndex>();

function indexOf(j: SurfaceContext['j'], root: SurfaceContext['root']): ModuleIndex {
  const known = indexes.get(root);
  if (known) return known;
  const declarations = new Map<string, Node>();
  for (const type of [j.TSTypeAliasDeclaration, j.TSInterfaceDeclaration, j.ClassDeclaration] as any[])
    root.find(type).forEach((p: ASTPath<any>) => {
      const name = p.node.id?.name;
      if (name && !declarations.has(name)) declarations.set(name, p.node);
    });
  const imports = new Map<string, { source: string; spec: Node }>();
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    for (const spec of p.node.specifiers ?? []) {
      const local = spec.local?.name;
      if (local && !imports.has(local)) imports.set(local, { source: String(p.node.source.value ?? ''), spec });
    }
  });
  const index = { declarations, functions: functionsByName(j, root), contextNames: contextLocals(j, root), imports };
  indexes.set(root, index);
  return index;
}

/**
 * Local names a module gives the context type: through its imports, and its own aliases of them (`export type Extra =
 * RequestHandlerExtra<ServerRequest, ServerNotification>`, the name its callback types then use).
 */
function contextLocals(j: SurfaceContext['j'], root: SurfaceContext['root']): Set<string> {
  const names = new Set<string>();
  root.find(j.ImportSpecifier).forEach((p: ASTPath<any>) => {
    const imported = p.node.imported.name ?? p.node.imported.value;
    if (CONTEXT_NAMES.has(imported)) names.add(p.node.local?.name ?? imported);
  });
  root.find(j.TSTypeAliasDeclaration).forEach((p: ASTPath<any>) => {
    const t = p.node.typeAnnotation;
    if (t?.type === 'TSTypeReference' && t.typeName?.type === 'Identifier' && names.has(t.typeName.name))
      names.add(p.node.id.name);
  });
  return names;
}

const aliases = new Map<string, Set<string>>();

/**
 * Names this file imports from its own modules that are the context type there (`import type { Extra } from
 * './types.js'`, where types.ts aliases RequestHandlerExtra): a tool module declaring its handler's `extra: Extra`
 * imports nothing from the SDK, and its reads of the context are remapped like any other.
 */
export function importedContextAliases(ctx: SurfaceContext): string[] {
  const { j, root } = ctx;
  const found: string[] = [];
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    const source = String(p.node.source.value ?? '');
    if (!source.startsWith('.')) return;
    const module = readProjectModule(ctx.file, source);
    if (!module || !NAMES_CONTEXT.test(module.text)) return;
    if (!aliases.has(module.path)) {
      let names = new Set<string>();
      try {
        names = contextLocals(j, parseFresh(j, module.path, module.text));
      } catch {
        // a module that does not parse declares nothing we can read
      }
      aliases.set(module.path, names);
    }
    const names = aliases.get(module.path)!;
    for (const spec of p.node.specifiers ?? []) {
      const imported = spec.type === 'ImportSpecifier' ? (spec.imported.name ?? spec.imported.value) : undefined;
      if (imported && names.has(imported) && !CONTEXT_NAMES.has(imported)) found.push(spec.local?.name ?? imported);
    }
  });
  return found;
}

function carried(declaration: Node, contextNames: Set<string>): CarriedContext | undefined {
  const out: CarriedContext = { direct: new Map(), members: new Map() };
  // A base class's methods (`protected abstract execute(input, extra: RequestHandlerExtra<…>)`): a subclass's
  // override of one takes the context where the base method declares it, typed or not (`extra: any`).
  if (declaration.type === 'ClassDeclaration') {
    for (const m of declaration.body.body) {
      const key = m.key?.name ?? m.key?.value;
      if (m.computed || typeof key !== 'string' || !/^(ClassMethod|TSDeclareMethod)$/.test(m.type)) continue;
      const positions = out.members.get(key) ?? new Map<number, number>();
      record(positions, m, contextNames);
      if (positions.size) out.members.set(key, positions);
    }
    return out.members.size ? out : undefined;
  }
  const body = declaration.type === 'TSInterfaceDeclaration' ? declaration.body : declaration.typeAnnotation;
  if (body?.type === 'TSFunctionType') record(out.direct, body, contextNames);
  visit(body, node => {
    if (node.type !== 'TSPropertySignature' && node.type !== 'TSMethodSignature') return;
    const key = node.key?.name ?? node.key?.value;
    const fn = node.type === 'TSMethodSignature' ? node : node.typeAnnotation?.typeAnnotation;
    if (typeof key !== 'string' || !fn || (fn !== node && fn.type !== 'TSFunctionType')) return;
    const positions = out.members.get(key) ?? new Map<number, number>();
    record(positions, fn, contextNames);
    if (positions.size) out.members.set(key, positions);
  });
  return out.direct.size || out.members.size ? out : undefined;
}

/** Records where a function type takes the context, keyed by its parameter count. */
function record(positions: Map<number, number>, fn: Node, contextNames: Set<string>): void {
  const params: Node[] = fn.parameters ?? fn.params ?? [];
  const index = params.findIndex(p => {
    const t = p.typeAnnotation?.typeAnnotation;
    return t?.type === 'TSTypeReference' && t.typeName?.type === 'Identifier' && contextNames.has(t.typeName.name);
  });
  if (index >= 0) positions.set(params.length, index);
}
