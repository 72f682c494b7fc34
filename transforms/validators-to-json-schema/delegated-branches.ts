/**
 * A tool's branch that only hands the arguments to a function of the module (`case 'get_forecast': return
 * getForecast(args)`) is served by that function: the checks it opens with are the tool's checks. The branch is read
 * as the function's body, with the parameter that receives the arguments as their name, so the checks move into the
 * tool's schema as a branch's own do. Only for a function nothing else calls (its checks would still guard the other
 * callers) and the module does not export; the function's own parameter type decides what TypeScript narrows, as a
 * cast does in a branch.
 */
import type { JSCodeshift, Collection } from 'jscodeshift';
import { orEmpty, type ToolBranch } from './low-level-tools.js';
import { declaredFunctions, exportedFunctions } from '../kit/module-functions.js';
import { uncast, valueReferenceCount } from '../kit/ast.js';

type Node = any;

/** The branch as the function it delegates to, or the branch itself. */
export function delegatedBranch(
  j: JSCodeshift,
  root: Collection<any>,
  branch: ToolBranch,
  isArguments: (n: Node) => boolean
): ToolBranch {
  const call = returnedCall(branch.statements);
  if (!call || call.callee.type !== 'Identifier') return branch;
  const at = call.arguments.findIndex((a: Node) => isArguments(orEmpty(a)));
  if (at < 0 || call.arguments.some((a: Node, i: number) => i !== at && isArguments(orEmpty(a)))) return branch;
  const program = root.get().node.program;
  // One the module exports may have callers elsewhere (delegated-modules.ts plans those).
  if (exportedFunctions(program).has(call.callee.name)) return branch;
  const fn = declaredFunctions(program.body).get(call.callee.name);
  const param = fn?.params[at];
  if (param?.type !== 'Identifier' || fn.body?.type !== 'BlockStatement') return branch;
  if (valueReferenceCount(j, root, call.callee.name) !== 1) return branch;
  return functionBranch(branch.tool, fn, param);
}

/**
 * A function serving `tool` read as its branch: its statements, `param` (an identifier) standing for the arguments,
 * typed as the parameter declares (`args: any` → 'any'; `args: ForecastArgs` → 'ForecastArgs', what a cast in a
 * branch would say).
 */
export function functionBranch(tool: string, fn: Node, param: Node): Required<ToolBranch> {
  const t = param.typeAnnotation?.typeAnnotation;
  const type =
    t?.type === 'TSAnyKeyword'
      ? 'any'
      : t?.type === 'TSTypeReference' && t.typeName.type === 'Identifier'
        ? (t.typeName.name as string)
        : undefined;
  return {
    tool,
    statements: fn.body.body,
    args: new Set([param.name]),
    typed: new Map(type ? [[param.name, type]] : [])
  };
}

/** `return f(…)`, `return await f(…)`, `return f(…) as T` as the branch's one statement: the call. */
export function returnedCall(statements: Node[]): Node | undefined {
  if (statements.length !== 1 || statements[0].type !== 'ReturnStatement') return undefined;
  let e = statements[0].argument;
  while (e && /^(?:AwaitExpression|TSAsExpression|TSSatisfiesExpression|ParenthesizedExpression)$/.test(e.type))
    e = e.type === 'AwaitExpression' ? e.argument : e.expression;
  return e?.type === 'CallExpression' ? e : undefined;
}

/**
 * `const handler = handlers[request.params.name]; … return handler(args)` (or `return handlers[name](args)`), where
 * `handlers` is a module constant object literal of functions keyed by tool name that only this lookup reads: each
 * function is that tool's branch, its parameter receiving the arguments standing for them.
 */
export function mapDispatchBranches(
  j: JSCodeshift,
  root: Collection<any>,
  handler: Node,
  isName: (n: Node) => boolean,
  isArguments: (n: Node) => boolean
): ToolBranch[] {
  const body: Node[] = handler.body?.type === 'BlockStatement' ? handler.body.body : [];
  const lookups = new Map<string, Node>();
  // `handlers[name]`, `handlers[name as keyof typeof handlers]`: the map.
  const lookupOf = (e: Node): Node | undefined =>
    /MemberExpression$/.test(e?.type) && e.computed && isName(uncast(e.property)) && e.object.type === 'Identifier'
      ? e.object
      : undefined;
  for (const s of body)
    if (s.type === 'VariableDeclaration')
      for (const d of s.declarations)
        if (d.id.type === 'Identifier' && lookupOf(d.init)) lookups.set(d.id.name, d.init);
  const last = body.at(-1);
  const call = last ? returnedCall([last]) : undefined;
  if (!call) return [];
  const map =
    lookupOf(call.callee) ?? (call.callee.type === 'Identifier' ? lookupOf(lookups.get(call.callee.name)) : undefined);
  const at = call.arguments.findIndex((a: Node) => isArguments(orEmpty(a)));
  if (!map || at < 0) return [];
  const program = root.get().node.program;
  const literal = moduleObject(program, map.name);
  if (!literal || valueReferenceCount(j, root, map.name) !== 1) return [];
  const out: ToolBranch[] = [];
  for (const p of literal.properties as Node[]) {
    const key =
      p.key?.type === 'Identifier' && !p.computed
        ? p.key.name
        : typeof p.key?.value === 'string'
          ? p.key.value
          : undefined;
    const fn = p.type === 'ObjectMethod' ? p : /Function/.test(p.value?.type ?? '') ? p.value : undefined;
    const param = fn?.params[at];
    if (!key || param?.type !== 'Identifier' || fn.body?.type !== 'BlockStatement') continue;
    out.push(functionBranch(key, fn, param));
  }
  return out;
}

/** `const name = { … }` at the module's top (maybe exported, maybe typed): the object literal. */
function moduleObject(program: Node, name: string): Node | undefined {
  for (const s of program.body as Node[]) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type !== 'VariableDeclaration') continue;
    for (const v of d.declarations) {
      const init = uncast(v.init);
      if (v.id.type === 'Identifier' && v.id.name === name && init?.type === 'ObjectExpression') return init;
    }
  }
  return undefined;
}
