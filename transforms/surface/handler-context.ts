/**
 * v1 handed every handler an `extra` object; v2 hands it `ctx`, with the members regrouped under `ctx.mcpReq` and
 * `ctx.http` (context-map.ts). Found in every shape real code has:
 * - the context parameter of registration callbacks (`registerTool`, `.tool()`, prompts, resources,
 *   `setRequestHandler`), wherever it sits in the parameter list;
 * - any parameter typed with v1's handler-context type (a helper's `extra: RequestHandlerExtra<…>`);
 * - parameters of helpers in the same file that a context is passed to (`return search(args, extra)`);
 * - object literals typed as the context (test mocks: `{ signal, sendNotification } as RequestHandlerExtra<…>`);
 * - variables typed or cast as the context (`const sdk = callContext as unknown as SdkExtra`).
 * Member reads are remapped (`extra.signal` → `ctx.mcpReq.signal`, `extra.authInfo` → `ctx.http?.authInfo`,
 * header bracket reads → `headers.get(…)`), destructuring is regrouped, and a parameter named `extra` becomes `ctx`.
 * Task members (gone from v2) get a TODO marker.
 */
import type { ASTPath } from 'jscodeshift';
import {
  isFunction,
  moduleConstants,
  propertyFunction,
  propertyKey,
  isValueReference,
  typeArgumentsOf
} from '../kit/ast.js';
import {
  ANY_COUNT,
  callbackContextsOf,
  contextCarriedBy,
  importedContextAliases,
  type CarriedContext
} from './context-carrying-types.js';
import { CONTEXT_MEMBERS, memberPath, REMOVED_MEMBERS } from './context-map.js';
import { contextIndex, LEGACY, MODERN } from './registration-shapes.js';
import { rewriteStructuralContextTypes, v2ContextType } from './structural-context-types.js';
import type { SurfaceContext } from './surface-context.js';
import { RUN_ARGUMENTLESS_TO_COMPLETION, RUN_TO_COMPLETION } from './task-tools.js';

type Node = any;

const REGISTRATIONS = new Set([...LEGACY, ...MODERN, 'setRequestHandler']);

export function rewriteHandlerContext(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  const params = new Map<Node, Node>(); // param node → its function
  const add = (fn: Node, index: number) => {
    const param = fn?.params?.[index];
    if (param && !params.has(param)) params.set(param, fn);
  };
  const constants = moduleConstants(root.get().node.program);
  for (const name of importedContextAliases(ctx)) ctx.contextTypes.add(name);
  rewriteStructuralContextTypes(ctx);
  // Parameters whose written type is the handler's own idea of a context (`extra: { signal?: AbortSignal }`): it
  // becomes v2's context type, as the reads in the body do.
  const literallyTyped = new Set<Node>();
  const names = new NameIndex(ctx);
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const kind = p.node.callee.property?.name;
    if (!REGISTRATIONS.has(kind)) return;
    const args = p.node.arguments;
    const last = args[args.length - 1];
    // `server.registerTool('read', READ_TOOL, handler)`: a handler this file keeps in a variable is the callback.
    const named = last?.type === 'Identifier' ? namedCallback(names, p, last.name) : undefined;
    const callback = named ? named.fn : last;
    const index = contextIndex(kind, [...args.slice(0, -1), callback], constants);
    if (index < 0) return;
    if (named && !named.only) {
      sharedHandler(ctx, named, index, last.name);
      return;
    }
    add(callback, index);
    if (callback.params[index]?.typeAnnotation?.typeAnnotation?.type === 'TSTypeLiteral')
      literallyTyped.add(callback.params[index]);
  });
  if (ctx.contextTypes.size) {
    root.find(j.Function).forEach((p: ASTPath<any>) => {
      p.node.params.forEach((param: Node, i: number) => {
        if (typedAsContext(ctx, param)) add(p.node, i);
      });
    });
  }
  if (ctx.contextTypes.size) {
    root.find(j.VariableDeclarator).forEach((p: ASTPath<any>) => {
      const d = p.node;
      if (d.id.type !== 'Identifier' || !(typedAsContext(ctx, d.id) || castToContext(ctx, d.init))) return;
      const fn = j(p).closest(j.Function).nodes()[0];
      if (fn?.body?.type === 'BlockStatement' && !params.has(d.id)) params.set(d.id, fn);
    });
  }
  // A task tool's handlers (task-tools.ts) get the v2 context with the task store on it.
  const taskHandlers = new Set<Node>();
  root.find(j.CallExpression, { callee: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    const name = p.node.callee.name;
    if (name !== RUN_TO_COMPLETION && name !== RUN_ARGUMENTLESS_TO_COMPLETION) return;
    for (const x of p.node.arguments[0]?.properties ?? []) {
      const fn = propertyFunction(x);
      if (!fn) continue;
      taskHandlers.add(fn);
      add(fn, name === RUN_TO_COMPLETION ? 1 : 0);
    }
  });
  // Callbacks declared with a project type that hands them the context (context-carrying-types.ts).
  const carriedBy = new Map<string, CarriedContext | undefined>();
  root.find(j.VariableDeclarator).forEach((p: ASTPath<any>) => {
    const name = typeNameOf(p.node.id.typeAnnotation);
    const init = p.node.init;
    if (!name || !init || ctx.contextTypes.has(name)) return;
    // The callbacks first: a declaration without one needs its type read from nowhere.
    const callbacks: [Node, (c: CarriedContext) => Map<number, number> | undefined][] = isFunction(init)
      ? [[init, c => c.direct]]
      : init.type === 'ObjectExpression'
        ? init.properties
            .filter((x: Node) => propertyFunction(x))
            .map((x: Node) => [propertyFunction(x), (c: CarriedContext) => c.members.get(propertyKey(x) ?? '')])
        : [];
    if (!callbacks.length) return;
    if (!carriedBy.has(name)) carriedBy.set(name, contextCarriedBy(ctx, name));
    const carried = carriedBy.get(name);
    if (!carried) return;
    for (const [fn, positions] of callbacks) {
      const index = positions(carried)?.get(fn.params.length);
      if (index !== undefined) add(fn, index);
    }
  });
  // A subclass overriding a base class's method that takes the context (`class EchoTool extends BaseTool { execute(
  // input, extra) }`, BaseTool declaring `execute(input, extra: RequestHandlerExtra<…>)` here or in its module).
  root.find(j.ClassDeclaration).forEach((p: ASTPath<any>) => {
    const base = p.node.superClass;
    if (base?.type !== 'Identifier') return;
    if (!carriedBy.has(base.name)) carriedBy.set(base.name, contextCarriedBy(ctx, base.name));
    const carried = carriedBy.get(base.name);
    if (!carried) return;
    for (const m of p.node.body.body) {
      const key = m.key?.name ?? m.key?.value;
      if (m.type !== 'ClassMethod' || m.computed || typeof key !== 'string') continue;
      const index = carried.members.get(key)?.get(m.params.length);
      if (index !== undefined) add(m, index);
    }
  });
  // Callbacks handed to a project function that hands them the context (`defineTool(mcp, 'now', …, async (args,
  // extra) => …)`, its `run` parameter typed to take RequestHandlerExtra).
  const callbacksOf = new Map<string, Map<number, Map<number, number>> | undefined>();
  root.find(j.CallExpression, { callee: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    const name = p.node.callee.name;
    if (!p.node.arguments.some(isFunction)) return;
    if (!callbacksOf.has(name)) callbacksOf.set(name, callbackContextsOf(ctx, name));
    const positions = callbacksOf.get(name);
    if (!positions) return;
    p.node.arguments.forEach((arg: Node, i: number) => {
      if (!isFunction(arg)) return;
      const forwarded = positions.get(i)?.get(ANY_COUNT);
      const index = positions.get(i)?.get(arg.params.length) ?? forwarded;
      if (index !== undefined && index < arg.params.length) add(arg, index);
    });
  });
  helpersReceivingContext(ctx, params, add);
  for (const [param, fn] of params) rewriteParam(ctx, param, fn, taskHandlers.has(fn));
  for (const param of literallyTyped) {
    const annotation = param.typeAnnotation.typeAnnotation;
    ctx.edits.push({
      start: annotation.start,
      end: annotation.end,
      text: v2ContextType(ctx)
    });
  }
  if (ctx.contextTypes.size) rewriteContextMocks(ctx);
}

interface NamedCallback {
  fn: Node;
  /** Its declaration's path (marked when it cannot be rewritten). */
  declaration: ASTPath<any>;
  /** Not exported and used nowhere but as registration callbacks: its parameters are the context's alone. */
  only: boolean;
}

/**
 * The file's identifiers by name and its `export { … }` names, each read in one walk the first time they are asked
 * for: a generated server registers a thousand named handlers, and a walk per handler would be quadratic.
 */
class NameIndex {
  private byName?: Map<string, ASTPath<any>[]>;
  private exportedNames?: Set<string>;
  constructor(private readonly ctx: SurfaceContext) {}

  /** Value references to `name` that resolve to `scope`. */
  references(name: string, scope: any): ASTPath<any>[] {
    if (!this.byName) {
      this.byName = new Map();
      const { j, root } = this.ctx;
      root.find(j.Identifier).forEach((p: ASTPath<any>) => {
        const list = this.byName!.get(p.node.name);
        if (list) list.push(p);
        else this.byName!.set(p.node.name, [p]);
      });
    }
    return (this.byName.get(name) ?? []).filter(p => isValueReference(p) && p.scope?.lookup(name) === scope);
  }

  exported(name: string): boolean {
    if (!this.exportedNames) {
      const { j, root } = this.ctx;
      this.exportedNames = new Set(
        root
          .find(j.ExportSpecifier)
          .nodes()
          .map((n: Node) => n.local?.name)
      );
    }
    return this.exportedNames.has(name);
  }
}

/** The function a registration hands over by name when this file declares it (`const handler = (args, extra) => …`). */
function namedCallback(names: NameIndex, call: ASTPath<any>, name: string): NamedCallback | undefined {
  const scope = call.scope?.lookup(name);
  const ids: ASTPath<any>[] = scope?.getBindings()[name] ?? [];
  if (ids.length !== 1) return undefined;
  const holder = ids[0]!.parent;
  const fn =
    holder?.node.type === 'FunctionDeclaration'
      ? holder.node
      : holder?.node.type === 'VariableDeclarator' &&
          holder.parent?.node.kind === 'const' &&
          isFunction(holder.node.init)
        ? holder.node.init
        : undefined;
  const declaration = holder?.node.type === 'FunctionDeclaration' ? holder : holder?.parent;
  if (!fn || !declaration) return undefined;
  const asCallback = (p: ASTPath<any>) => {
    const use = p.parent.node;
    return (
      use.type === 'CallExpression' &&
      use.arguments[use.arguments.length - 1] === p.node &&
      REGISTRATIONS.has(use.callee.property?.name)
    );
  };
  const uses = names.references(name, scope).filter(p => p.node !== ids[0]!.node);
  const exported = declaration.parent?.node.type === 'ExportNamedDeclaration' || names.exported(name);
  return { fn, declaration, only: !exported && uses.every(asCallback) };
}

/**
 * A registration callback other code also calls (or may: it is exported) keeps its parameters, which those callers
 * fill in their own way; the reads of v1 context members it makes are marked, since the SDK's context has moved them.
 */
function sharedHandler(ctx: SurfaceContext, named: NamedCallback, index: number, name: string): void {
  const { j } = ctx;
  const param = named.fn.params[index];
  const isMoved = (key: unknown): key is string =>
    typeof key === 'string' && (Object.hasOwn(CONTEXT_MEMBERS, key) || Object.hasOwn(REMOVED_MEMBERS, key));
  const moved = new Set<string>();
  if (param?.type === 'ObjectPattern') {
    // `(args, { signal }) => …`
    for (const x of param.properties) if (isMoved(propertyKey(x))) moved.add(propertyKey(x)!);
  } else if (param?.type === 'Identifier') {
    j(named.fn.body)
      .find(j.MemberExpression, { object: { type: 'Identifier', name: param.name } })
      .forEach((p: ASTPath<any>) => {
        const key = p.node.computed ? undefined : p.node.property?.name;
        if (isMoved(key)) moved.add(key);
      });
  }
  if (!moved.size) return;
  const paramName = param.type === 'Identifier' ? `\`${param.name}\`` : 'context parameter';
  const reads = [...moved].map(k =>
    Object.hasOwn(CONTEXT_MEMBERS, k) ? `${k} → ctx.${memberPath(CONTEXT_MEMBERS[k]!)}` : `${k} (gone)`
  );
  ctx.mark(
    named.declaration,
    'TODO',
    'shared-handler',
    `\`${name}\` is a registration callback that other code also calls (or may: it is exported), so its ${paramName} ` +
      `was left as it was: the SDK hands it v2's context, where ${reads.join(', ')}; rewrite the reads and the ` +
      'other callers together'
  );
}

function typeNameOf(annotation: Node): string | undefined {
  const t = annotation?.typeAnnotation ?? annotation;
  if (t?.type !== 'TSTypeReference' || t.typeName?.type !== 'Identifier') return undefined;
  // `Pick<RequestHandlerExtra<…>, 'signal' | 'sendNotification'>`: a part of the context is still read as one.
  const picked = t.typeName.name === 'Pick' ? typeArgumentsOf(t)[0] : undefined;
  return picked ? typeNameOf(picked) : t.typeName.name;
}

function typedAsContext(ctx: SurfaceContext, param: Node): boolean {
  const target = param.type === 'AssignmentPattern' ? param.left : param;
  const name = typeNameOf(target.typeAnnotation);
  return !!name && ctx.contextTypes.has(name);
}

/** `x as SdkExtra`, `x as unknown as RequestHandlerExtra<…>`: the value is declared to be a context. */
function castToContext(ctx: SurfaceContext, init: Node): boolean {
  if (init?.type !== 'TSAsExpression') return false;
  const name = typeNameOf(init.typeAnnotation);
  return !!name && ctx.contextTypes.has(name);
}

/** Parameters of same-file functions that receive a context: `helper(args, extra)` makes `helper`'s 2nd one. */
function helpersReceivingContext(
  ctx: SurfaceContext,
  params: Map<Node, Node>,
  add: (fn: Node, i: number) => void
): void {
  const { j, root } = ctx;
  const byName = new Map<string, Node>();
  root.find(j.FunctionDeclaration).forEach((p: ASTPath<any>) => p.node.id && byName.set(p.node.id.name, p.node));
  root.find(j.VariableDeclarator).forEach((p: ASTPath<any>) => {
    if (p.node.id.type === 'Identifier' && isFunction(p.node.init)) byName.set(p.node.id.name, p.node.init);
  });
  if (byName.size === 0) return;
  for (let round = 0; round < 4; round++) {
    const before = params.size;
    for (const [param, fn] of [...params]) {
      if (param.type !== 'Identifier') continue;
      j(fn.body)
        .find(j.CallExpression, { callee: { type: 'Identifier' } })
        .forEach((c: ASTPath<any>) => {
          const helper = byName.get(c.node.callee.name);
          if (!helper || helper === fn) return;
          c.node.arguments.forEach((a: Node, i: number) => {
            const annotation = helper.params[i]?.typeAnnotation?.typeAnnotation;
            const untyped = !annotation || annotation.type === 'TSAnyKeyword';
            if (a.type === 'Identifier' && a.name === param.name && untyped) add(helper, i);
          });
        });
    }
    if (params.size === before) break;
  }
}

function rewriteParam(ctx: SurfaceContext, param: Node, fn: Node, taskHandler = false): void {
  const { j } = ctx;
  if (param.type === 'ObjectPattern') {
    regroup(ctx, param, true);
    return;
  }
  const target = param.type === 'AssignmentPattern' ? param.left : param;
  if (target.type !== 'Identifier') return;
  const name = target.name;
  const body = fn.body;
  // `extra` → `ctx`, unless the function already has a `ctx` in sight.
  const rename = name === 'extra' && !j(fn).find(j.Identifier, { name: 'ctx' }).size();
  const newName = rename ? 'ctx' : name;
  if (rename) ctx.edits.push({ start: target.start, end: target.start + name.length, text: 'ctx' });
  j(body)
    .find(j.Identifier, { name })
    .forEach((p: ASTPath<any>) => {
      if (shadowed(p, fn, name)) return;
      const parent = p.parent.node;
      if (p.node === target) return; // a variable's own declaration (renamed above)
      const isObject = /MemberExpression$/.test(parent.type) && parent.object === p.node;
      // `extra!.sendNotification(…)` (an optional context parameter asserted present): the member is one level up.
      const asserted = parent.type === 'TSNonNullExpression' ? p.parent.parent?.node : undefined;
      if (isObject && !parent.computed) {
        member(ctx, p, parent, taskHandler);
      } else if (/MemberExpression$/.test(asserted?.type) && asserted.object === parent && !asserted.computed) {
        member(ctx, p.parent, asserted, taskHandler);
      } else if (parent.type === 'VariableDeclarator' && parent.init === p.node && parent.id.type === 'ObjectPattern') {
        regroup(ctx, parent.id, true);
      } else if (parent.type === 'TSQualifiedName' && parent.left === p.node && typeQueryMember(ctx, p, newName)) {
        return;
      }
      const isKey =
        (parent.type === 'ObjectProperty' || parent.type === 'Property') && parent.key === p.node && !parent.computed;
      const isProp = /MemberExpression$/.test(parent.type) && parent.property === p.node && !parent.computed;
      if (!rename || isKey || isProp) return;
      if ((parent.type === 'ObjectProperty' || parent.type === 'Property') && parent.shorthand) {
        ctx.edits.push({ start: p.node.start, end: p.node.end, text: `${name}: ${newName}` });
      } else ctx.edits.push({ start: p.node.start, end: p.node.end, text: newName });
    });
}

/**
 * `typeof extra.sendRequest` (a type query, `Parameters<typeof extra.sendRequest>[0]`): the member moves as in code.
 * A type query cannot step through an optional member (`typeof ctx.http.authInfo` is an error while `http` may be
 * missing), so one under `http` reads `NonNullable<typeof ctx.http>['authInfo']`. True when that edit also renamed
 * the context.
 */
function typeQueryMember(ctx: SurfaceContext, p: ASTPath<any>, newName: string): boolean {
  const qualified = p.parent.node;
  const mapped = CONTEXT_MEMBERS[qualified.right?.name];
  if (!mapped) return false;
  const [head, ...rest] = mapped.path;
  if (!mapped.optionalHead) {
    ctx.edits.push({ start: qualified.right.start, end: qualified.right.end, text: memberPath(mapped) });
    return false;
  }
  const query = p.parent.parent?.node;
  if (query?.type !== 'TSTypeQuery' || query.exprName !== qualified) return false;
  const keys = rest.map(k => `['${k}']`).join('');
  ctx.edits.push({ start: query.start, end: query.end, text: `NonNullable<typeof ${newName}.${head}>${keys}` });
  return true;
}

/** Is this occurrence bound by a nested function's own parameter or declaration of the same name? */
export function shadowed(p: ASTPath<any>, fn: Node, name: string): boolean {
  for (let cur = p.parent; cur && cur.node !== fn; cur = cur.parent) {
    const n = cur.node;
    if (isFunction(n) && n.params.some((x: Node) => x.type === 'Identifier' && x.name === name)) return true;
  }
  return false;
}

/** `<ctx>.<member>…`: the member moves under mcpReq / http; header bracket reads become `.get()`. */
function member(ctx: SurfaceContext, p: ASTPath<any>, access: Node, taskHandler: boolean): void {
  const prop = access.property?.name;
  if (!prop) return;
  if (Object.hasOwn(REMOVED_MEMBERS, prop)) {
    if (taskHandler) return; // runTaskToCompletion puts the task members on the context
    ctx.mark(p, 'TODO', 'removed-context-member', `ctx.${prop}: ${REMOVED_MEMBERS[prop]}`);
    return;
  }
  const mapped = CONTEXT_MEMBERS[prop];
  if (!mapped) return;
  ctx.edits.push({ start: access.property.start, end: access.property.end, text: memberPath(mapped) });
  if (prop !== 'requestInfo') return;
  // requestInfo.headers was a plain record; v2's http.req is a web Request whose headers are a Headers object.
  const headers = p.parent.parent?.node;
  if (!/MemberExpression$/.test(headers?.type) || headers.computed || headers.property?.name !== 'headers') return;
  const read = p.parent.parent.parent?.node;
  if (!/MemberExpression$/.test(read?.type) || read.object !== headers) {
    // Handed on whole (to a helper, a variable, a spread), a Headers object answers every `h[name]` with undefined.
    if (!assigned(p.parent.parent)) wholeHeaders(ctx, headers);
    return;
  }
  const key = read.computed
    ? ctx.src.slice(read.property.start, read.property.end)
    : `${ctx.quote}${read.property.name}${ctx.quote}`;
  const optional = read.optional ? '?.' : '.';
  ctx.edits.push({ start: headers.end, end: read.end, text: `${optional}get(${key})` });
}

/** The headers as the plain record v1 gave: `Object.fromEntries(<headers> ?? [])`, an empty record off HTTP. */
function wholeHeaders(ctx: SurfaceContext, headers: Node): void {
  ctx.edits.push({ start: headers.start, end: headers.start, text: 'Object.fromEntries(' });
  ctx.edits.push({ start: headers.end, end: headers.end, text: ' ?? [])' });
}

/** Is the expression at this path written to (`extra.requestInfo.headers = …`, `…headers++`)? */
function assigned(p: ASTPath<any>): boolean {
  const parent = p.parent?.node;
  return (
    (parent?.type === 'AssignmentExpression' && parent.left === p.node) ||
    (parent?.type === 'UpdateExpression' && parent.argument === p.node)
  );
}

/**
 * `{ signal, sendNotification: notify, authInfo }` (a pattern over the context, or a mock literal) regrouped as
 * `{ mcpReq: { signal, notify }, http: { authInfo } }`; in a pattern `http` gets `= {}` since it may be absent.
 */
function regroup(ctx: SurfaceContext, obj: Node, pattern: boolean): void {
  const groups = new Map<string, string[]>();
  const kept: string[] = [];
  let touched = false;
  for (const prop of obj.properties as Node[]) {
    const key = prop.computed ? undefined : (prop.key?.name ?? prop.key?.value);
    const mapped = key !== undefined ? CONTEXT_MEMBERS[key] : undefined;
    if (!mapped || prop.type === 'RestElement' || prop.type === 'SpreadElement') {
      kept.push(ctx.src.slice(prop.start, prop.end));
      continue;
    }
    if (Object.hasOwn(REMOVED_MEMBERS, key!))
      ctx.mark(obj, 'TODO', 'removed-context-member', `ctx.${key}: ${REMOVED_MEMBERS[key!]}`);
    touched = true;
    const [head, leaf] = mapped.path as [string, string];
    const value = prop.shorthand ? undefined : ctx.src.slice(prop.value.start, prop.value.end);
    const item = value === undefined ? (leaf === key ? leaf : `${leaf}: ${key}`) : `${leaf}: ${value}`;
    groups.set(head, [...(groups.get(head) ?? []), item]);
  }
  if (!touched) return;
  const parts = [...kept];
  for (const [head, items] of groups) {
    const optional =
      pattern &&
      CONTEXT_MEMBERS[Object.keys(CONTEXT_MEMBERS).find(k => CONTEXT_MEMBERS[k]!.path[0] === head)!]!.optionalHead;
    parts.push(`${head}: { ${items.join(', ')} }${optional ? ' = {}' : ''}`);
  }
  const typeAnnotation =
    pattern && obj.typeAnnotation ? ctx.src.slice(obj.typeAnnotation.start, obj.typeAnnotation.end) : '';
  ctx.edits.push({ start: obj.start, end: obj.end, text: `{ ${parts.join(', ')} }${typeAnnotation}` });
}

/** Object literals standing in for a v1 context (`{ … } as RequestHandlerExtra<…>`, `const extra: … = { … }`). */
function rewriteContextMocks(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  const isContextType = (t: Node) => {
    const name = typeNameOf(t);
    return !!name && ctx.contextTypes.has(name);
  };
  root.find(j.ObjectExpression).forEach((p: ASTPath<any>) => {
    let cur: ASTPath<any> = p;
    // `{…} as unknown as X`, `{…} satisfies X`, `const x: X = {…}`
    while (/^TS(As|Satisfies)Expression$/.test(cur.parent?.node.type) || cur.parent?.node.type === 'TSTypeAssertion') {
      if (isContextType(cur.parent.node.typeAnnotation)) return regroup(ctx, p.node, false);
      cur = cur.parent;
    }
    const decl = cur.parent?.node;
    if (decl?.type === 'VariableDeclarator' && decl.init === cur.node && isContextType(decl.id.typeAnnotation))
      regroup(ctx, p.node, false);
  });
}
