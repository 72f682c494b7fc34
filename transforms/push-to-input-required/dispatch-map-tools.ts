/**
 * The tools of a low-level server kept in a table of functions, one per tool name, that the `tools/call` handler
 * looks the called tool up in: `const handlers = { async forget_city(args) { … } }`, then
 * `return handlers[request.params.name](args)` (or through a local, `const handler = handlers[name]; … handler(args)`).
 * Each function is a tool of its own to this rewrite, its body the one a request is asked in. To ask, a function
 * needs the request's context: it takes it as a new second parameter, and the handler hands it over at the lookup (the
 * handler takes it too when it did not). The retry is the same call, so it comes back to the same function; done only
 * where what the handler runs before the lookup is safe to run again, and the table is used for nothing else.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { encloses, propertyFunction, propertyKey } from '../kit/ast.js';
import { addedContextParameter, type ToolRegistration } from '../kit/tool-registrations.js';
import type { TextEdit } from '../kit/text-edits.js';
import { pureFunctionsAround, replaysCleanly } from './replay-safety.js';
import { nameReads, toolsCallHandlers } from './low-level-tools.js';

type Node = any;

/** Where the handler looks the tool up and calls it: what makes the context reach the tool's function. */
export interface DispatchSite {
  /** The `tools/call` handler. */
  handler: Node;
  /** The call of the looked-up function (`handler(args)`, `handlers[name](args)`). */
  call: Node;
}

export function dispatchMapTools(
  j: JSCodeshift,
  root: any,
  src: string
): { tools: ToolRegistration[]; sites: Map<ToolRegistration, DispatchSite> } {
  const tools: ToolRegistration[] = [];
  const sites = new Map<ToolRegistration, DispatchSite>();
  const tables = moduleTables(root);
  if (tables.size === 0) return { tools, sites };
  for (const { path: p, handler, request, ctx } of toolsCallHandlers(j, root)) {
    const statements: Node[] = handler.body.body;
    const isName = nameReads(statements, request.name);
    const found = lookup(j, handler, statements, tables, isName);
    if (!found) continue;
    const { table, call, statement } = found;
    // The table is read only by this lookup (and `name in table` tests): a function of it is this tool's alone.
    const uses = j(root.get().node.program)
      .find(j.Identifier, { name: table.name })
      .filter((i: ASTPath<any>) => i.node !== table.id && !isKeyOrMember(i));
    if (uses.size() !== found.reads) continue;
    const index = statements.indexOf(statement);
    if (!replaysCleanly({ statements: statements.slice(0, index), tests: [] }, { pure: pureFunctionsAround(p) }))
      continue;
    for (const property of table.object.properties) {
      const fn = propertyFunction(property);
      const name = propertyKey(property);
      if (!fn || typeof name !== 'string' || fn.body?.type !== 'BlockStatement') continue;
      const first = fn.params[0];
      const tool: ToolRegistration = {
        path: p,
        name,
        server: src.slice(p.node.callee.object.start, p.node.callee.object.end),
        callback: fn,
        // `handler(args, extra)`, the function taking it: the context reaches it already.
        ctxName: passesContext(call, ctx) && fn.params[1]?.type === 'Identifier' ? fn.params[1].name : undefined,
        body: fn.body,
        args: first?.type === 'Identifier' ? first.name : first ? undefined : '{}',
        lowLevel: true
      };
      tools.push(tool);
      sites.set(tool, { handler, call });
    }
  }
  return { tools, sites };
}

/**
 * What the handler must do for the tool's function to get the context: take it (a second parameter), and pass it at
 * the lookup's call, second, where the function now takes it. Undefined when the call already passes more.
 */
export function dispatchEdits(src: string, site: DispatchSite): { edits: TextEdit[]; name: string } | undefined {
  const { handler, call } = site;
  const args: Node[] = call.arguments;
  if (args.length >= 2) return undefined;
  const given = handler.params[1]?.name as string | undefined;
  // (toolsCallHandlers took only handlers whose second parameter, if any, is a plain name.)
  const added = given ? { edits: [] as TextEdit[], name: given } : addedContextParameter(src, handler, true);
  if (typeof added === 'string') return undefined;
  const { edits, name } = added;
  const close = src.lastIndexOf(')', call.end - 1);
  edits.push({ start: close, end: close, text: args.length === 0 ? `undefined, ${name}` : `, ${name}` });
  return { edits, name };
}

function passesContext(call: Node, ctx: Node): boolean {
  const second = call.arguments[1];
  return !!ctx && second?.type === 'Identifier' && second.name === ctx.name;
}

interface Table {
  name: string;
  id: Node;
  object: Node;
}

/** Module-level `const x = { … }` objects with at least one function in them. */
function moduleTables(root: any): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const s of root.get().node.program.body as Node[]) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type !== 'VariableDeclaration' || d.kind !== 'const') continue;
    for (const x of d.declarations) {
      const object =
        x.init?.type === 'TSAsExpression' || x.init?.type === 'TSSatisfiesExpression' ? x.init.expression : x.init;
      if (x.id.type !== 'Identifier' || object?.type !== 'ObjectExpression') continue;
      if (!object.properties.some((p: Node) => propertyFunction(p))) continue;
      tables.set(x.id.name, { name: x.id.name, id: x.id, object });
    }
  }
  return tables;
}

/**
 * `table[name](…)` as a statement's call, or `const h = table[name]` with `h(…)` called later among the handler's
 * statements (a `!h` test between them allowed): the table, the call, and the top-level statement holding it.
 */
function lookup(
  j: JSCodeshift,
  handler: Node,
  statements: Node[],
  tables: Map<string, Table>,
  isName: (n: Node) => boolean
): { table: Table; call: Node; statement: Node; reads: number } | undefined {
  // (`handlers[name as keyof typeof handlers]`: the name as TypeScript is told to read it.)
  const key = (n: Node) => (n?.type === 'TSAsExpression' ? n.expression : n);
  const looksUp = (n: Node): Table | undefined =>
    n?.type === 'MemberExpression' && n.computed && n.object.type === 'Identifier' && isName(key(n.property))
      ? tables.get(n.object.name)
      : undefined;
  const holding = (n: Node) => statements.find(s => encloses(s, n));
  const calls = j(handler.body).find(j.CallExpression).nodes();
  const direct = calls.filter((c: Node) => looksUp(c.callee));
  if (direct.length === 1 && calls.every((c: Node) => c === direct[0] || !looksUp(c.callee))) {
    const table = looksUp(direct[0].callee)!;
    return { table, call: direct[0], statement: holding(direct[0]), reads: readsOf(j, handler, table.name) };
  }
  for (const s of statements) {
    if (s.type !== 'VariableDeclaration' || s.declarations.length !== 1) continue;
    const [d] = s.declarations;
    const table = looksUp(d.init);
    if (!table || d.id.type !== 'Identifier') continue;
    const local = d.id.name;
    const called = calls.filter((c: Node) => c.callee.type === 'Identifier' && c.callee.name === local);
    if (called.length !== 1) return undefined;
    return { table, call: called[0], statement: holding(called[0]), reads: readsOf(j, handler, table.name) };
  }
  return undefined;
}

/** References to the table inside the handler: the lookup, and tests of a name's presence. */
function readsOf(j: JSCodeshift, handler: Node, name: string): number {
  return j(handler.body)
    .find(j.Identifier, { name })
    .filter((i: ASTPath<any>) => !isKeyOrMember(i))
    .size();
}

function isKeyOrMember(i: ASTPath<any>): boolean {
  const parent = i.parent?.node;
  return (
    (/MemberExpression$/.test(parent?.type) && parent.property === i.node && !parent.computed) ||
    (/^(ObjectProperty|Property)$/.test(parent?.type) && parent.key === i.node && !parent.computed)
  );
}
