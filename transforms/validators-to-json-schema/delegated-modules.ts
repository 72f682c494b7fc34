/**
 * A tool's branch that hands the arguments to a function another module exports (`case 'get_forecast': return
 * getForecast(args)`, with `getForecast` and the `forecastTool` the list advertises both imported from
 * ./tools/weather.js): the checks that function opens with are the tool's, and that module holds the tool's schema
 * literal too. Neither file can move them alone: the checks may only go from the function once the handler validates
 * the arguments against the schema, and only the handler's module knows which tool the function serves. So the run
 * plans each such pair (the handler's module `validate`s, the function's module `move`s the checks into the schema
 * literal beside it), and the engine drops a pair one side could not carry out. Only when the function and the tool
 * are exported by one module, nothing else in the run mentions the function and that module does not call it.
 */
import { packageScope } from '../kit/package-json.js';
import type { Collection, JSCodeshift } from 'jscodeshift';
import { jscodeshiftFor, type Agreement, type ModuleResolver, type ProjectFile } from '../kit/transform.js';
import { parseForEdits } from '../kit/parse.js';
import type { TextEdit } from '../kit/text-edits.js';
import { functionBranch, returnedCall } from './delegated-branches.js';
import { valueReferenceCount } from '../kit/ast.js';
import { exportedFunctions } from '../kit/module-functions.js';
import { listedToolLiterals, lowLevelTools, orEmpty, toolBranches, handlerBindings } from './low-level-tools.js';
import { errorImportsOnlyIn, moveBranchGuards, unreadDeclarations, type BranchReading } from './branch-guards.js';

type Node = any;

export interface DelegateValidate {
  role: 'validate';
}
export interface DelegateMove {
  role: 'move';
  /** The exported function serving the tool, and the position of its arguments parameter. */
  fn: string;
  index: number;
  /** The exported constant holding the tool's literal (`{ name, inputSchema: { … } }`). */
  tool: string;
}
export type DelegatePart = DelegateValidate | DelegateMove;

const CALL_HANDLER = /tools\/call|CallToolRequestSchema/;
const RELATIVE_IMPORT = /\bfrom\s*['"]\./;

export function planDelegatedChecks(
  migrated: ProjectFile[],
  others: () => ProjectFile[],
  resolve: ModuleResolver
): Agreement[] {
  const agreements: Agreement[] = [];
  const scope = packageScope();
  // The function's module may use no MCP at all (a tool module): the engine rewrites it for its part.
  let byPath: Map<string, ProjectFile> | undefined;
  let all: ProjectFile[] | undefined;
  // Each tool module is parsed once, however many branches delegate to it.
  const modules = new Map<ProjectFile, Collection<any> | undefined>();
  for (const a of migrated) {
    if (!CALL_HANDLER.test(a.text) || !RELATIVE_IMPORT.test(a.text)) continue;
    const j = jscodeshiftFor(a.file);
    const root = parsed(j, a);
    const found = root && lowLevelTools(j, root);
    const handler = found?.callHandler;
    const request = handler?.params[0]?.type === 'Identifier' ? handler.params[0].name : undefined;
    if (!found || !request) continue;
    const { isName, isArguments } = handlerBindings(j, handler, request);
    const imports = relativeImports(root.get().node.program);
    const listed: Node[] = found.toolsExpression?.type === 'ArrayExpression' ? found.toolsExpression.elements : [];
    for (const branch of toolBranches(j, handler, isName)) {
      const call = returnedCall(branch.statements);
      const fn = call?.callee.type === 'Identifier' ? imports.get(call.callee.name) : undefined;
      const index = call ? call.arguments.findIndex((x: Node) => isArguments(orEmpty(x))) : -1;
      if (!fn || index < 0) continue;
      all ??= [...migrated, ...others()];
      byPath ??= new Map(all.map(f => [f.file, f]));
      const b = resolve(a.file, fn.source)
        .map(c => byPath!.get(c))
        .find(Boolean);
      if (!b) continue;
      const tools = listed
        .map(e => (e?.type === 'Identifier' ? imports.get(e.name) : undefined))
        .filter(i => i?.source === fn.source)
        .map(i => i!.imported);
      const tool = servedBy(b, modules, tools, fn.imported, index, branch.tool);
      if (!tool) continue;
      // Any other caller would lose the checks: one of the packages that can reach the function's module (another
      // package of a monorepo run with a tool or function of the same name cannot call it).
      if (all.some(f => f !== a && f !== b && f.text.includes(fn.imported) && scope.reaches(b.file, f.file))) continue;
      const move: DelegateMove = { role: 'move', fn: fn.imported, index, tool };
      agreements.push({ key: `${b.file}#${fn.imported}`, parts: { [a.file]: { role: 'validate' }, [b.file]: move } });
    }
  }
  return agreements;
}

/**
 * The function module's side: each planned function's checks move into the schema literal of its tool. The keys
 * carried out, and the edits.
 */
export function delegatedMoves(
  reading: BranchReading,
  root: Collection<any>,
  parts: { key: string; part: DelegateMove }[]
): { edits: TextEdit[]; done: string[] } {
  const { j, src, program } = reading;
  const edits: TextEdit[] = [];
  const removed: Node[] = [];
  const done: string[] = [];
  const functions = exportedFunctions(program);
  for (const { key, part } of parts) {
    const fn = functions.get(part.fn);
    const param = fn?.params[part.index];
    const tool = listedToolLiterals(program, { type: 'ArrayExpression', elements: [j.identifier(part.tool)] })?.[0];
    if (param?.type !== 'Identifier' || fn.body?.type !== 'BlockStatement' || !tool?.schema) continue;
    // The schema literal another tool or code of this module reads would change for it too.
    if (valueReferenceCount(j, root, part.tool) > 0 || valueReferenceCount(j, root, part.fn) > 0) continue;
    if (tool.schemaName && valueReferenceCount(j, root, tool.schemaName) > 1) continue;
    const branch = functionBranch(tool.name, fn, param);
    const move = moveBranchGuards(reading, tool.schema, branch.statements, branch);
    if (!move) continue;
    edits.push(...move.edits);
    removed.push(...move.removed);
    done.push(key);
  }
  const unread = unreadDeclarations(j, root, src, removed, [...reading.guards.keys(), ...reading.constants.keys()]);
  edits.push(...unread.edits, ...errorImportsOnlyIn(j, root, src, [...removed, ...unread.removed]));
  return { edits, done };
}

function parsed(j: JSCodeshift, f: ProjectFile): Collection<any> | undefined {
  try {
    return parseForEdits(j, f.file, f.text);
  } catch {
    return undefined;
  }
}

/** Named imports from relative modules: local name → the module and the name it exports. */
function relativeImports(program: Node): Map<string, { source: string; imported: string }> {
  const out = new Map<string, { source: string; imported: string }>();
  for (const s of program.body as Node[]) {
    if (s.type !== 'ImportDeclaration' || s.importKind === 'type' || !String(s.source.value).startsWith('.')) continue;
    for (const spec of s.specifiers ?? [])
      if (spec.type === 'ImportSpecifier' && spec.importKind !== 'type')
        out.set(spec.local.name, { source: s.source.value, imported: spec.imported.name ?? spec.imported.value });
  }
  return out;
}

/** Of `tools` (constants module `b` exports), the one whose literal names `toolName`, when `fn` there can serve it. */
function servedBy(
  b: ProjectFile,
  modules: Map<ProjectFile, Collection<any> | undefined>,
  tools: string[],
  fn: string,
  index: number,
  toolName: string
): string | undefined {
  const j = jscodeshiftFor(b.file);
  if (!modules.has(b)) modules.set(b, parsed(j, b));
  const root = modules.get(b);
  if (!root) return undefined;
  const program = root.get().node.program;
  const f = exportedFunctions(program).get(fn);
  if (f?.params[index]?.type !== 'Identifier' || f.body?.type !== 'BlockStatement') return undefined;
  const constants = exportedConstants(program);
  return tools.find(t => {
    if (!constants.has(t)) return false;
    const literal = listedToolLiterals(program, { type: 'ArrayExpression', elements: [j.identifier(t)] })?.[0];
    return literal?.name === toolName && !!literal.schema;
  });
}

/** The names of the constants the module exports (`export const x = …`, `export { x }`). */
function exportedConstants(program: Node): Set<string> {
  const out = new Set<string>();
  for (const s of program.body as Node[]) {
    if (s.type !== 'ExportNamedDeclaration' || s.source) continue;
    for (const v of s.declaration?.declarations ?? []) if (v.id.type === 'Identifier') out.add(v.id.name);
    for (const spec of s.specifiers ?? []) if (spec.local?.name) out.add(spec.local.name);
  }
  return out;
}
