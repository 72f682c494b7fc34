/**
 * A tool's work done in a module-level helper the handler delegates to
 * (`server.registerTool('x', cfg, (args) => createStepsTool(args, config, server))`), where the helper reads who the
 * client is (`trackUsage('x', server.server.getClientVersion())`). Outside a handler the accessor has no client on
 * 2026-07-28, so the helper is handed the handler's context: as the parameter it already has for it
 * (`(args, context) => createLcaSteps(args, context, config, server)`), or as a new last, optional one that every call
 * site passes. Optional, because an exported helper may have callers elsewhere: they pass nothing and the accessor
 * answers as before. A helper called only from such helpers (`handleError(…)` in each `executeX(args, server)` the
 * handlers call) is handed theirs the same way, two levels deep at most.
 */
import type { API, ASTPath } from 'jscodeshift';
import { isFunction, isValueReference, moduleLevelFunction, within } from '../kit/ast.js';
import { memberKey, methodReferences, ownMethodAround } from '../kit/own-methods.js';

type Node = any;
type J = API['jscodeshift'];

/** How the caller reads a handler's context parameter: its name, added when `add` and the handler had none. */
export type HandlerContextOf = (call: ASTPath<any>, add: boolean) => string | undefined;

export interface HelperContext {
  /** The helper's name for the context. */
  name: string;
  /** It was added: the read must tolerate its absence (`ctx?.mcpReq`) and, in TypeScript, declare its type. */
  added: boolean;
}

/** The names a handler's context parameter goes by. */
export const CONTEXT_PARAM = /^(ctx|extra|context)$/;

/** Context parameters this rewrite added: callers elsewhere may pass none, so they are read with `?.`. */
const threaded = new WeakSet<Node>();

/**
 * The context name the helper around `p` can read the request from, after threading it from its callers; undefined
 * (nothing changed) unless every call of the helper in this file sits in a registration handler that has or can be
 * given a context parameter, and the helper is never used as a value.
 */
export function helperContext(
  j: J,
  root: any,
  p: ASTPath<any>,
  handlerContextOf: HandlerContextOf,
  typed: boolean,
  probe = false
): HelperContext | undefined {
  // The innermost named function first (`const track = (name) => …` in the function registering the tools), then
  // the module-level one around it.
  const local = localFunction(j, p);
  if (local) {
    const threaded = threadInto(j, local, handlerContextOf, typed, probe);
    if (threaded) return threaded;
  }
  const helper = moduleLevelFunction(p);
  if (helper) return threadInto(j, { ...helper, references: root }, handlerContextOf, typed, probe);
  // A method only its class calls (`#createLoadContext(meta)` building each handler's context object).
  const method = ownMethodAround(j, p);
  return method
    ? threadInto(j, { ...method, references: root, method: true }, handlerContextOf, typed, probe)
    : undefined;
}

interface NamedFunction {
  fn: Node;
  name: string;
  /** Where its references are looked for: the module, or the block declaring it (a collection). */
  references: any;
  /** The scope that declares it, for a local one: a reference must resolve to it. */
  scope?: any;
  /** A class method, called as `this.name(…)`. */
  method?: boolean;
}

function threadInto(
  j: J,
  helper: NamedFunction,
  handlerContextOf: HandlerContextOf,
  typed: boolean,
  probe: boolean
): HelperContext | undefined {
  const { fn, name } = helper;
  if (fn.params.some((x: Node) => x.type !== 'Identifier' && x.type !== 'AssignmentPattern')) return undefined;
  const references: ASTPath<any>[] = helper.method
    ? methodReferences(j, helper.references, name)
    : helper.references
        .find(j.Identifier, { name })
        .filter(
          (r: ASTPath<any>) =>
            isValueReference(r) &&
            r.node !== fn.id &&
            r.parent.node.id !== r.node &&
            (!helper.scope || r.scope?.lookup(name) === helper.scope)
        )
        .paths();
  const calls = references.map((r: ASTPath<any>) => r.parent).filter((c: ASTPath<any>) => isCallOf(c, name));
  if (calls.length === 0 || calls.length !== references.length) return undefined;
  const inHelper = (c: ASTPath<any>) => within(c, { node: fn } as ASTPath<any>);
  if (calls.some((c: ASTPath<any>) => inHelper(c) || c.node.arguments.some((a: Node) => a.type === 'SpreadElement')))
    return undefined;
  const existing = fn.params.findIndex((x: Node) => x.type === 'Identifier' && CONTEXT_PARAM.test(x.name));
  if (existing >= 0) {
    // Every caller hands its own handler's context in that position.
    const passes = (c: ASTPath<any>) => {
      const arg = c.node.arguments[existing];
      return arg?.type === 'Identifier' && handlerContextOf(c, false) === arg.name;
    };
    const param = fn.params[existing];
    // `context: unknown` has no `mcpReq` to read; `any`, an SDK context type or none at all do.
    const annotation = param.typeAnnotation?.typeAnnotation;
    const readable =
      !annotation ||
      annotation.type === 'TSAnyKeyword' ||
      (annotation.type === 'TSTypeReference' && /Context|Extra/.test(annotation.typeName?.name ?? ''));
    if (!readable) return undefined;
    return calls.every(passes) ? { name: param.name, added: threaded.has(param) } : undefined;
  }
  const arity = fn.params.length;
  const taken = new Set(
    j(fn)
      .find(j.Identifier)
      .nodes()
      .map((x: Node) => x.name)
  );
  if (taken.has('ctx')) return undefined;
  if (!calls.every((c: ASTPath<any>) => c.node.arguments.length === arity && handlerContextOf(c, false) !== undefined))
    return undefined;
  // Asked on behalf of a helper it calls: what it would be handed, with nothing changed yet.
  if (probe) return { name: 'ctx', added: true };
  for (const c of calls) c.node.arguments.push(j.identifier(handlerContextOf(c, true)!));
  const param: Node = j.identifier('ctx');
  if (typed) {
    param.optional = true;
    param.typeAnnotation = j.tsTypeAnnotation(j.tsTypeReference(j.identifier('ServerContext')));
  }
  fn.params.push(param);
  threaded.add(param);
  return { name: 'ctx', added: true };
}

/** The innermost function around `p` when it is a `const` or function declared in a function's block. */
function localFunction(j: J, p: ASTPath<any>): NamedFunction | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    if (!isFunction(cur.node)) continue;
    const declaration = cur.node.type === 'FunctionDeclaration' ? cur : cur.parent?.parent;
    const declarator = cur.node.type === 'FunctionDeclaration' ? cur : cur.parent;
    const name =
      cur.node.type === 'FunctionDeclaration'
        ? cur.node.id?.name
        : declarator?.node.type === 'VariableDeclarator' &&
            declarator.node.init === cur.node &&
            declarator.node.id.type === 'Identifier' &&
            declaration?.node.type === 'VariableDeclaration' &&
            declaration.node.kind === 'const'
          ? declarator.node.id.name
          : undefined;
    const block = declaration?.parent;
    if (!name || block?.node.type !== 'BlockStatement') return undefined;
    const scope = declarator.scope?.lookup(name);
    return scope ? { fn: cur.node, name, references: j(block), scope } : undefined;
  }
  return undefined;
}

/** `name(…)`, or `this.name(…)` / `this.#name(…)` for a method. */
function isCallOf(c: ASTPath<any>, name: string): boolean {
  if (c?.node.type !== 'CallExpression') return false;
  const callee = c.node.callee;
  if (callee.type === 'Identifier') return callee.name === name;
  return (
    callee.type === 'MemberExpression' && callee.object.type === 'ThisExpression' && memberKey(callee.property) === name
  );
}
