/**
 * A function (or a table of empty session tables) of the module only the removed session plumbing used (`function isInitializeRequest(body)`, a local
 * copy of the SDK's check the session route branched on) has no caller once that code goes: it goes too, as the
 * imports only the plumbing used do. Functions the user had left uncalled before the run are theirs; an exported one
 * may have callers elsewhere, and one that builds or sets up a server is the user's server code, kept. Repeated until
 * nothing changes (a helper only the removed function called goes next).
 */
import type { ASTPath } from 'jscodeshift';
import { encloses, isEmptyCollection, removeStatement } from '../kit/ast.js';
import { visit } from '../kit/raw-walk.js';
import { isNonReference } from './plan-ast.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

/** The comments that go with what goes: its doc comment, and lines about transports or sessions. */
const ITS_COMMENTS = /^\*|transport|session/i;

const BUILDS_A_SERVER =
  /\bnew\s+(?:McpServer|Server)\b|\.(?:registerTool|registerPrompt|registerResource|setRequestHandler)\s*\(/;

/** The module's own functions called from somewhere now: declaration statement → name. */
export function moduleFunctionsInUse(ctx: EntryContext): Map<Node, string> {
  const inUse = new Map<Node, string>();
  const own = ownFunctions(ctx);
  if (own.length === 0) return inUse;
  const refs = valueReferences(ctx.program);
  for (const { statement, name } of own) if (usedOutside(refs, name, statement.node)) inUse.set(statement.node, name);
  return inUse;
}

export function removeOrphanedFunctions(ctx: EntryContext, before: Map<Node, string>): void {
  const { j } = ctx;
  for (let again = before.size > 0; again;) {
    again = false;
    const refs = valueReferences(ctx.program);
    for (const { statement, name } of ownFunctions(ctx)) {
      if (before.get(statement.node) !== name || usedOutside(refs, name, statement.node)) continue;
      // A function building a server is the user's server code, not plumbing: theirs to reuse or delete.
      if (BUILDS_A_SERVER.test(j(statement).toSource())) continue;
      removeStatement(j, statement, ITS_COMMENTS);
      ctx.changed = again = true;
    }
  }
}

/**
 * Every identifier of the program that names a variable, by name, as the node, in types too (a function a type still
 * reads, `ReturnType<typeof build>`, is in use): one walk for all the module's functions (asking each name of the
 * whole tree again made big bundles several seconds slower).
 */
function valueReferences(program: Node): Map<string, Node[]> {
  const refs = new Map<string, Node[]>();
  visit(program, (n, parent, key) => {
    if (n.type !== 'Identifier' || !parent || isNonReference(parent, key)) return;
    if (key === 'id' && /Declarat|Function|Class/.test(parent.type)) return;
    const list = refs.get(n.name);
    if (list) list.push(n);
    else refs.set(n.name, [n]);
  });
  return refs;
}

/** A reference to `name` outside `declaration` (one a rewrite made has no position: it is outside). */
function usedOutside(refs: Map<string, Node[]>, name: string, declaration: Node): boolean {
  return (refs.get(name) ?? []).some(n => !encloses(declaration, n));
}

/**
 * Empty tables, or an object of them: `{ streamable: {} as Record<string, T>, sse: {} as Record<string, S> }`, the
 * README's table of sessions by transport, which nothing fills once the routes went.
 */
function tables(init: Node): boolean {
  const value = init?.type === 'TSAsExpression' ? init.expression : init;
  if (isEmptyCollection(value, ['Map', 'Set'])) return true;
  return (
    value?.type === 'ObjectExpression' &&
    value.properties.length > 0 &&
    value.properties.every((p: Node) => p.type === 'ObjectProperty' && !p.computed && tables(p.value))
  );
}

/**
 * `function f(…) {…}`, `const f = (…) => …` and `const tables = { … }` of empty tables at the top of the module, not
 * exported.
 */
function ownFunctions(ctx: EntryContext): { statement: ASTPath<any>; name: string }[] {
  // The program's path without a search of the tree: the root is the file.
  const file = ctx.root.paths()[0];
  const program = file?.node.type === 'File' ? file.get('program') : file;
  const out: { statement: ASTPath<any>; name: string }[] = [];
  (ctx.program.body as Node[]).forEach((n, i) => {
    let name: string | undefined;
    if (n.type === 'FunctionDeclaration' && n.id) name = n.id.name;
    else if (n.type === 'VariableDeclaration' && n.declarations.length === 1) {
      const d = n.declarations[0];
      if (d.id.type === 'Identifier' && (/^(?:Arrow)?FunctionExpression$/.test(d.init?.type ?? '') || tables(d.init)))
        name = d.id.name;
    }
    if (name && program) out.push({ statement: program.get('body', i), name });
  });
  return out;
}
