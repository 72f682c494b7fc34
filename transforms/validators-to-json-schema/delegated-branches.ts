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
  if (referencesTo(j, root, call.callee.name) !== 1) return branch;
  const type = parameterType(param);
  return {
    tool: branch.tool,
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

/** References to `name` in the module besides its declaration and an `export { name }`. */
export function referencesTo(j: JSCodeshift, root: Collection<any>, name: string): number {
  return root
    .find(j.Identifier, { name })
    .filter((p: any) => {
      const parent = p.parent.node;
      if (/^(?:FunctionDeclaration|VariableDeclarator)$/.test(parent.type) && parent.id === p.node) return false;
      if (parent.type === 'ExportSpecifier') return false;
      if (/MemberExpression$/.test(parent.type) && parent.property === p.node && !parent.computed) return false;
      return !(/^(?:ObjectProperty|Property)$/.test(parent.type) && parent.key === p.node && !parent.shorthand);
    })
    .size();
}

/** `args: any` → 'any'; `args: ForecastArgs` → 'ForecastArgs' (what a cast in a branch would say). */
export function parameterType(param: Node): string | undefined {
  const t = param.typeAnnotation?.typeAnnotation;
  if (t?.type === 'TSAnyKeyword') return 'any';
  return t?.type === 'TSTypeReference' && t.typeName.type === 'Identifier' ? t.typeName.name : undefined;
}
