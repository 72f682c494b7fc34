/**
 * Low-level tool servers (`setRequestHandler('tools/list' | 'tools/call')`) keep their switch and gain validation:
 * the low-level `Server` does not check `tools/call` arguments, so the handler first runs them through one compiled
 * validator per tool, built at module scope from the very objects `tools/list` answers with (an inline list is
 * hoisted into a `TOOLS` constant so both read the same objects). Then the hand-written checks at the top of each
 * tool's branch that the schema can say exactly (transforms/lib/hand-checks.ts) move into that tool's schema and
 * go; the rest stay, and those that throw InvalidParams return an `isError` result instead (SEP-1303).
 *
 * Skipped, with a TODO on `tools/call`: a `tools/list` answer that is not a list of module-level tools (a call, a
 * filter, names local to a function), a handler that is not an async function with a `request` parameter.
 */
import { isCommonJs } from '../kit/commonjs.js';
import type { Collection, JSCodeshift } from 'jscodeshift';
import { dominantQuote, indentUnit, isTypeScript } from '../kit/source-style.js';
import { leadingStart, moduleScopeNames, readsOnly, statementIn, uniqueName, valueReferenceCount } from '../kit/ast.js';
import type { TransformOptions } from '../kit/transform.js';
import { importLineEdit, serverTypeImport } from '../kit/import-edits.js';

import {
  isRequestParam,
  listedToolLiterals,
  lowLevelTools,
  orEmpty,
  toolBranches,
  handlerBindings,
  type HandlerBindings
} from './low-level-tools.js';
import { argumentFailureReturns, argumentFailureThrows, parseCallRewrites } from './argument-failures.js';
import { delegatedBranch, mapDispatchBranches } from './delegated-branches.js';
import {
  errorImportsOnlyIn,
  guardNotes,
  moveBranchGuards,
  unreadDeclarations,
  type BranchReading
} from './branch-guards.js';
import { castType, listConstants, typeGuards } from './argument-guards/file-facts.js';
import { type GuardMarker, registeredToolEdits } from './argument-guards/registered-tools.js';
import { markerEdit } from '../kit/markers.js';
import { useSupportModule } from '../kit/support-module.js';
import { applyEdits, dedent, lineIndent, lineStartOf, type TextEdit } from '../kit/text-edits.js';
import { parseForEdits } from '../kit/parse.js';
import {
  TOOL_ARGUMENTS_MODULE_NAME,
  TOOL_ARGUMENTS_MODULE_SOURCE,
  toolArgumentsModuleJs
} from './mcp-tool-arguments.source.js';

type Node = any;

export function validateToolCalls(
  j: JSCodeshift,
  src: string,
  filePath: string,
  options: TransformOptions,
  id: string
): string | undefined {
  const root = parseForEdits(j, filePath, src);
  const program = root.get().node.program;
  const found = lowLevelTools(j, root);
  const ts = isTypeScript(filePath);
  // A check that reads only the arguments but stays is validation the schema does not say: a NOTE says so.
  const mark = guardNotes(src, options, id);
  // McpServer tools: their schema is enforced already; exact checks move into it.
  const registered = registeredToolEdits(j, root, src, ts, mark);
  if (!found) return registered.length ? applyEdits(src, registered) : undefined;
  const { callHandler: handler } = found;
  const q = dominantQuote(src);
  const edits: TextEdit[] = [...registered];
  const request = handler.params[0]?.type === 'Identifier' ? handler.params[0].name : undefined;
  const bindings = request ? handlerBindings(j, handler, request) : undefined;
  // Without a validator the checks stay, but argument errors still answer isError. The server then works as the v1
  // low-level one did (which never checked arguments against the schema either): an advisory NOTE, not a TODO.
  const todo = (message: string) => {
    const e = markerEdit(
      src,
      statementIn(program, found.call)?.node ?? found.call.node,
      'NOTE',
      `${id}/tool-arguments`,
      message,
      options
    );
    if (e) edits.push(e);
    edits.push(...argumentFailureReturns(j, src, handler, [], q), ...errorImportRemovals(j, root, src, handler, []));
    if (request) edits.push(...parseRewrites(j, root, src, found, request, q, bindings!));
    const out = edits.length ? applyEdits(src, edits) : undefined;
    return out === src ? undefined : out;
  };

  const already = root.find(j.CallExpression, { callee: { name: 'toolArgumentsValidator' } }).size() > 0;
  if (!already && (!request || !handler.async))
    return todo(
      'tools/call arguments are not checked against the advertised inputSchema; build ' +
        'toolArgumentsValidator(<the tools that tools/list answers>) from ./mcp-tool-arguments.js at module scope ' +
        'and return its result first'
    );
  const expr = found.toolsExpression;
  const tops = [statementIn(program, found.list), statementIn(program, found.call)].map(p => p?.node).filter(Boolean);
  // After the declarations of what the list reads (a factory moved above them keeps its handlers' reads, which run
  // later; a module-level validator built from the list would read it in its dead zone).
  const before = Math.min(...tops.map(leadingStart));
  const declared = declaredBy(j, program, expr);
  // Declared below the handlers: the validator goes on the line after that declaration, a blank line apart.
  const below = declared > before;
  const at = below ? src.indexOf('\n', declared) + 1 || src.length : before;
  // `this.defaultMax` in a list a class method declares means nothing at module scope.
  const moduleLevel =
    !!expr && readsOnly(j, expr, moduleScopeNames(root, at)) && j(expr).find(j.ThisExpression).size() === 0;
  // A list built when asked (`Object.entries(TOOLS).map(…)`, `registry.list()`) from module-level values: the
  // validator asks for it on each call, as tools/list does.
  const built = !!expr && moduleLevel && !listedToolLiterals(program, expr) && buildsListWithoutWaiting(j, expr);
  if (!already && (!expr || !moduleLevel || (!listedToolLiterals(program, expr) && !built)))
    return todo(
      'tools/call arguments are not checked against the advertised inputSchema: tools/list does not answer ' +
        'a list of module-level tools; build toolArgumentsValidator(<that list>) from ' +
        './mcp-tool-arguments.js at module scope and return its result first'
    );
  // Checks first: their schema edits may fall inside a tool list that moves below.
  const checks = request
    ? [
        ...handGuards(j, root, src, found, request, q, ts, mark, bindings!),
        ...parseRewrites(j, root, src, found, request, q, bindings!)
      ]
    : [];
  if (already) return applyEdits(src, [...edits, ...checks]);

  let tools = dedent(src.slice(expr.start, expr.end), lineIndent(src, expr.start));
  let declarations = '';
  // The list's text moves to a module-level declaration read in its place: the check edits inside it move with it.
  const hoist = (replacement: string) => {
    const inside = checks.filter(e => e.start >= expr.start && e.end <= expr.end);
    edits.push(...checks.filter(e => !inside.includes(e)), { start: expr.start, end: expr.end, text: replacement });
    const moved = applyEdits(
      src.slice(expr.start, expr.end),
      inside.map(e => ({ ...e, start: e.start - expr.start, end: e.end - expr.start }))
    );
    return dedent(moved, lineIndent(src, expr.start));
  };
  if (built && expr.type === 'Identifier') {
    // A list another module keeps (`import { tools }`, maybe filled later): read when asked, as tools/list does.
    edits.push(...checks);
    tools = `() => ${tools}`;
  } else if (built) {
    // One function both read: tools/list answers what it builds, the validator checks against the same.
    const name = uniqueName(j, root, 'listTools');
    declarations = `const ${name} = () => ${hoist(`${name}()`)};\n\n`;
    tools = name;
  } else if (expr.type === 'ArrayExpression' && expr.elements.some((e: Node) => e.type === 'ObjectExpression')) {
    // One list for both handlers: the objects advertised are the objects validated.
    const name = uniqueName(j, root, 'TOOLS');
    declarations = `const ${name}${ts ? ': Tool[]' : ''} = ${hoist(name)};\n\n`;
    if (ts) edits.push(...serverTypeImport(j, root, 'Tool', q));
    tools = name;
  } else edits.push(...checks);
  const check = uniqueName(j, root, 'checkToolArguments');
  const validator = `${declarations}const ${check} = toolArgumentsValidator(${tools});`;
  edits.push({ start: at, end: at, text: below ? `\n${validator}\n` : `${validator}\n\n` });
  const invalid = uniqueName(j, root, 'invalidArguments');
  const checkFirst = (fn: Node, call: Node, param: string) => {
    const checkLines = (indent: string) =>
      `const ${invalid} = await ${check}(${param}.params.name, ${param}.params.arguments);\n${indent}if (${invalid}) return ${invalid};`;
    if (fn.body.type !== 'BlockStatement') {
      // `async request => handle(…)`: the arrow gets a body that checks first, then returns what it returned.
      const arrow = src.lastIndexOf('=>', fn.body.start) + 2;
      const opened = (src.slice(arrow, fn.body.start).match(/\(/g) ?? []).length;
      const parens = new RegExp(`^(\\s*\\)){${opened}}`).exec(src.slice(fn.body.end))?.[0].length ?? 0;
      // The call's own `)` on the next line closes up to the new brace: `});`.
      const closing = parens + (/^\s*(?=\))/.exec(src.slice(fn.body.end + parens))?.[0].length ?? 0);
      const base = lineIndent(src, call.start);
      const inner = `${base}${indentUnit(src)}`;
      // Its continuation lines move with it: from under the line it started on to under the new `return`.
      const expression = dedent(src.slice(fn.body.start, fn.body.end), lineIndent(src, fn.body.start))
        .split('\n')
        .map((line, i) => (i === 0 || line === '' ? line : `${inner}${line}`))
        .join('\n');
      edits.push({
        start: arrow,
        end: fn.body.end + closing,
        text: ` {\n${inner}${checkLines(inner)}\n${inner}return ${expression};\n${base}}`
      });
    } else {
      const first = fn.body.body[0];
      const indent = first ? lineIndent(src, first.start) : `${lineIndent(src, fn.start)}  `;
      const firstLine = first && lineStartOf(src, leadingStart(first));
      edits.push(
        first
          ? { start: firstLine, end: firstLine, text: `${indent}${checkLines(indent)}\n` }
          : { start: fn.body.start + 1, end: fn.body.start + 1, text: `\n${indent}${checkLines(indent)}\n` }
      );
    }
  };
  checkFirst(handler, found.call.node, request!);
  // A handler registered again (the one that serves, in the end) checks too; one without a request name cannot.
  for (const later of found.laterCallHandlers)
    if (later.async && later.params[0]?.type === 'Identifier') checkFirst(later, later, later.params[0].name);
  const rel = ts
    ? useSupportModule(filePath, options, TOOL_ARGUMENTS_MODULE_NAME, TOOL_ARGUMENTS_MODULE_SOURCE)
    : useSupportModule(filePath, options, TOOL_ARGUMENTS_MODULE_NAME, toolArgumentsModuleJs(isCommonJs(root)), 'js');
  edits.push(importLineEdit(j, root, `import { toolArgumentsValidator } from ${q}${rel}${q};`));
  const out = edits.length ? applyEdits(src, edits) : undefined;
  return out === src ? undefined : out;
}

/** An expression a function can return as it is: no `await` or `yield` of the handler's, no `this`. */
function buildsListWithoutWaiting(j: JSCodeshift, expr: Node): boolean {
  return (
    j(expr).find(j.AwaitExpression).size() === 0 &&
    j(expr).find(j.YieldExpression).size() === 0 &&
    j(expr).find(j.ThisExpression).size() === 0
  );
}

/** Where the module-level statements declaring the names `expr` reads end, or 0. */
function declaredBy(j: JSCodeshift, program: Node, expr: Node): number {
  if (!expr) return 0;
  // `find` searches below the node: a bare `TOOLS` is its own read.
  const read = new Set<string>(
    j(expr)
      .find(j.Identifier)
      .nodes()
      .map((n: Node) => n.name)
  );
  if (expr.type === 'Identifier') read.add(expr.name);
  let end = 0;
  for (const s of program.body as Node[]) {
    const decl = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (decl?.type === 'VariableDeclaration' && decl.declarations.some((d: Node) => read.has(d.id?.name)))
      end = Math.max(end, s.end);
  }
  return end;
}

/** Error classes only removed checks and rewritten throws used: their imports go. */
function errorImportRemovals(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  handler: Node,
  removed: Node[]
): TextEdit[] {
  return errorImportsOnlyIn(j, root, src, [
    ...removed,
    ...argumentFailureThrows(j, handler, removed).map(f => f.statement)
  ]);
}

/** `S.parse(args)` in the handler: a failed parse answers isError instead of a JSON-RPC error. */
function parseRewrites(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  found: NonNullable<ReturnType<typeof lowLevelTools>>,
  request: string,
  q: string,
  bindings: HandlerBindings
): TextEdit[] {
  const { args } = bindings.aliases;
  const isArgs = (n: Node) =>
    isRequestParam(orEmpty(n), request, 'arguments') ||
    (orEmpty(n)?.type === 'Identifier' && args.has(orEmpty(n).name));
  const base = uniqueName(j, root, 'parsedArguments');
  return parseCallRewrites(j, src, found.callHandler, isArgs, i => (i === 0 ? base : `${base}${i + 1}`), q);
}

/** The checks each tool's branch opens with, moved into its schema where exact; the rest answer with isError. */
function handGuards(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  found: NonNullable<ReturnType<typeof lowLevelTools>>,
  request: string,
  q: string,
  ts: boolean,
  mark: GuardMarker,
  bindings: HandlerBindings
): TextEdit[] {
  const program = root.get().node.program;
  const expr = found.toolsExpression;
  // A list mixing the module's own tools with imported ones: the own ones are read one by one.
  const tools: NonNullable<ReturnType<typeof listedToolLiterals>> = !expr
    ? []
    : (listedToolLiterals(program, expr) ??
      (expr.type === 'ArrayExpression'
        ? expr.elements.flatMap(
            (e: Node) => listedToolLiterals(program, { type: 'ArrayExpression', elements: [e] }) ?? []
          )
        : []));
  const { declarations, aliases, isName, isArguments } = bindings;
  const typedHere = new Map<string, string>(
    declarations.flatMap((d: Node) =>
      d.declarations
        .filter((x: Node) => x.id.type === 'Identifier' && castType(x.init))
        .map((x: Node) => [x.id.name, castType(x.init)!] as [string, string])
    )
  );
  const guards = typeGuards(program);
  const constants = listConstants(program);
  const schemaUses = countBy(tools.map(t => t.schema).filter(Boolean));
  const edits: TextEdit[] = [];
  const removed: Node[] = [];

  const reading: BranchReading = { j, src, program, q, ts, mark, guards, constants, request };
  const branches = [
    ...toolBranches(j, found.callHandler, isName).map(b => delegatedBranch(j, root, b, isArguments)),
    ...mapDispatchBranches(j, root, found.callHandler, isName, isArguments)
  ];
  for (const branch of branches) {
    const tool = tools.find(t => t.name === branch.tool);
    const schema = tool?.schema;
    // A schema object shared by two tools, or read elsewhere, would change for them too.
    if (
      !schema ||
      schemaUses.get(schema) !== 1 ||
      (tool!.schemaName && valueReferenceCount(j, root, tool!.schemaName) > 1)
    )
      continue;
    const move = moveBranchGuards(reading, schema, branch.statements, {
      args: new Set(branch.args ?? aliases.args),
      typed: new Map(branch.typed ?? typedHere)
    });
    if (!move) continue;
    edits.push(...move.edits);
    removed.push(...move.removed);
  }
  edits.push(...argumentFailureReturns(j, src, found.callHandler, removed, q));
  // A guard or constant list only removed checks read goes too; then the imports nothing reads any more.
  const unread = unreadDeclarations(j, root, src, removed, [...guards.keys(), ...constants.keys()]);
  edits.push(...unread.edits);
  removed.push(...unread.removed);
  edits.push(...errorImportRemovals(j, root, src, found.callHandler, removed));
  return edits;
}

function countBy<T>(items: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}
