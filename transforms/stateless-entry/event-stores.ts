/**
 * An event store replays a session's SSE stream to a client reconnecting with Last-Event-ID; 2026-07-28 removed
 * resumability with sessions. Once this file's routes serve through createMcpHandler, a module-level store nothing
 * reads any more goes: `const eventStore = new InMemoryEventStore()` (the transport options that took it went with the
 * transport), then a class of the module implementing EventStore that nothing builds now, with the imports only they
 * used. A store still handed to something (exported, passed on, another transport's option) is the user's and stays
 * for `check` to mark.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isValueReference, removeDeclarator, removeStatement } from '../kit/ast.js';
import { noteNamesIn, type EntryContext } from './entry-context.js';

type Node = any;

/** Comments that describe the store (`// Create event store for resumability`): they go with it. */
const STORE_COMMENT = /event store|eventstore|resumab|replay|last-event-id/i;
/** What v1's EventStore interface asks of a class: a JavaScript build has no `implements` left to read. */
const STORE_METHODS = ['storeEvent', 'replayEventsAfter'];

/** Text every store declaration holds (a store class's name or interface, or the method only a store has). */
const MAY_HOLD_STORE = /EventStore|replayEventsAfter/;

/**
 * The module-level stores and store classes something reads: read before the rewrite, only these may go after. A
 * file whose text names no store is not walked.
 */
export function eventStoresInUse(ctx: EntryContext, source: string): Set<string> {
  const { j, root } = ctx;
  const names = new Set<string>();
  if (!MAY_HOLD_STORE.test(source)) return names;
  for (const p of storeDeclarations(ctx)) {
    const id = p.node.id;
    if (usesOf(j, root, id.name, id) > 0) names.add(id.name);
  }
  return names;
}

/**
 * Removes the stores of `inUse` (read before the rewrite) that nothing reads now. A store the user had left unused
 * is theirs.
 */
export function removeUnusedEventStores(ctx: EntryContext, inUse: Set<string>): void {
  const { j, root } = ctx;
  if (!inUse.size) return;
  // Variables first: a class goes once the variable building it has.
  const declarations = storeDeclarations(ctx).sort((a, b) => rank(a) - rank(b));
  for (const p of declarations) {
    const id = p.node.id;
    if (!inUse.has(id.name) || usesOf(j, root, id.name, id) > 0) continue;
    const statement = p.node.type === 'VariableDeclarator' ? p.parent : p;
    if (statement.parent?.node.type === 'ExportNamedDeclaration') continue;
    noteNamesIn(ctx, p.node);
    if (statement !== p && statement.node.declarations.length > 1) removeDeclarator(j, p);
    else removeStatement(j, statement, STORE_COMMENT);
    ctx.changed = true;
  }
}

const rank = (p: ASTPath<any>) => (p.node.type === 'VariableDeclarator' ? 0 : 1);

/** `const x = new SomeEventStore()` and the event store classes of the module, at its top level. */
function storeDeclarations(ctx: EntryContext): ASTPath<any>[] {
  const { j, root } = ctx;
  const classes = topLevel(j, root, j.ClassDeclaration).filter(p => p.node.id && isEventStoreClass(p.node));
  const names = new Set(classes.map(p => p.node.id.name as string));
  const builtStore = (init: Node) =>
    init?.type === 'NewExpression' &&
    init.callee?.type === 'Identifier' &&
    (/EventStore$/.test(init.callee.name) || names.has(init.callee.name));
  const variables = topLevel(j, root, j.VariableDeclarator).filter(
    d => d.node.id.type === 'Identifier' && builtStore(d.node.init)
  );
  return [...variables, ...classes];
}

/** Declarations of the module itself, or exported from it (`export class …`), not of a function in it. */
function topLevel(j: JSCodeshift, root: any, type: any): ASTPath<any>[] {
  return root
    .find(type)
    .filter((p: ASTPath<any>) => {
      const statement = type === j.VariableDeclarator ? p.parent : p;
      const holder = statement.parent?.node;
      return holder?.type === 'Program' || holder?.type === 'ExportNamedDeclaration';
    })
    .paths();
}

/** `class X implements EventStore`, or a class answering what the interface asks. */
function isEventStoreClass(node: Node): boolean {
  const implemented = (node.implements ?? []).some(
    (i: Node) => (i.expression?.name ?? i.id?.name ?? i.expression?.right?.name) === 'EventStore'
  );
  if (implemented) return true;
  const methods = new Set(
    (node.body?.body ?? [])
      .filter((m: Node) => m.type === 'ClassMethod' || m.type === 'MethodDefinition')
      .map((m: Node) => m.key?.name)
  );
  return STORE_METHODS.every(m => methods.has(m));
}

/** References to `name` as a value or a type, other than its own declaration (`own`) and import lines. */
function usesOf(j: JSCodeshift, root: any, name: string, own: Node): number {
  return root
    .find(j.Identifier, { name })
    .filter((p: ASTPath<any>) => {
      if (p.node === own || j(p).closest(j.ImportDeclaration).size()) return false;
      return isValueReference(p) || p.parent.node.type === 'TSTypeReference';
    })
    .size();
}
