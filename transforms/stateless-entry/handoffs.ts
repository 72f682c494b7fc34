/**
 * This file's side of the handoffs planned over the run (handoff-plan.ts), done before the entries are rewritten:
 * - a serving helper's server parameter becomes a factory parameter (`server: Server` → `createServer: () => Server`)
 *   and each `server.connect(transport)` connects `createServer()`: a fresh server per connection, which the HTTP
 *   and SSE entry rewrites then serve through createMcpHandler;
 * - a caller hands a factory instead of its one instance: `startHttp(server)` → `startHttp(() => createServer())`,
 *   the module's server moved into a generated factory that the module's other entries (stdio) serve too.
 * Each side reports the handoffs it honoured; the engine re-runs both files without a handoff one of them could not.
 */
import type { ASTPath } from 'jscodeshift';
import { removeStatement, uniqueName } from '../kit/ast.js';
import { shutdownStatementOf } from '../kit/server-factory.js';
import type { EntryContext } from './entry-context.js';
import { entryFactory } from './entry-factory.js';
import type { HandoffCall, HandoffPart, HandoffServe } from './handoff-plan.js';

type Node = any;

export interface PlannedHandoff {
  key: string;
  part: HandoffPart;
}

export function applyHandoffs(ctx: EntryContext, planned: PlannedHandoff[], honour: (key: string) => void): void {
  // Every helper this file hands its server to serves it per request: none of those calls blocks the factory.
  const handed = new Map<Node, number>();
  for (const { part } of planned)
    if (part.role === 'hand') for (const call of helperCalls(ctx, part)) handed.set(call.node, part.index);
  const servedBy = (use: ASTPath<any>) => {
    const index = handed.get(use.parent?.node);
    return index !== undefined && use.parent.node.arguments[index] === use.node;
  };
  for (const { key, part } of planned) {
    const done = part.role === 'serve' ? takeFactory(ctx, part) : handFactory(ctx, part, servedBy);
    if (done) honour(key);
  }
}

function helperCalls(ctx: EntryContext, part: HandoffCall): ASTPath<any>[] {
  const { j, root } = ctx;
  return root
    .find(j.CallExpression, { callee: { type: 'Identifier', name: part.local } })
    .filter((p: ASTPath<any>) => !!p.node.arguments[part.index])
    .paths();
}

/** The helper's parameter at `index` becomes a factory; its `connect` calls connect a fresh server each. */
function takeFactory(ctx: EntryContext, part: HandoffServe): boolean {
  const { j, root } = ctx;
  const fn = helperFunction(ctx, part.fn);
  const param = fn?.params[part.index];
  if (!fn || param?.type !== 'Identifier') return false;
  const old = param.name;
  const name = uniqueName(j, root, 'createServer');
  const uses = j(fn.body)
    .find(j.MemberExpression, { object: { type: 'Identifier', name: old }, property: { name: 'connect' } })
    .paths();
  if (uses.length === 0) return false;
  for (const use of uses) use.node.object = j.callExpression(j.identifier(name), []);
  const annotation = param.typeAnnotation?.typeAnnotation;
  const factory: Node = j.identifier(name);
  if (annotation) {
    const type = j.tsFunctionType([]);
    type.typeAnnotation = j.tsTypeAnnotation(annotation);
    factory.typeAnnotation = j.tsTypeAnnotation(type);
  }
  fn.params[part.index] = factory;
  ctx.changed = true;
  return true;
}

function helperFunction(ctx: EntryContext, name: string): Node | undefined {
  const { j } = ctx;
  for (const s of ctx.program.body) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type === 'FunctionDeclaration' && d.id?.name === name) return d;
    if (d?.type === 'VariableDeclaration')
      for (const v of d.declarations)
        if (v.id.type === 'Identifier' && v.id.name === name && j.Function.check(v.init)) return v.init;
  }
  return undefined;
}

/** Every call of the helper hands it a factory; all or none (a half-done file would break the other half). */
function handFactory(ctx: EntryContext, part: HandoffCall, servedBy: (use: ASTPath<any>) => boolean): boolean {
  const { j, root } = ctx;
  const calls = helperCalls(ctx, part);
  if (calls.length === 0) return false;
  const factories: Node[] = [];
  for (const call of calls) {
    const arg = call.node.arguments[part.index];
    if (arg.type === 'CallExpression' || arg.type === 'NewExpression') {
      if (!simpleArguments(arg)) return false;
      factories.push(arg);
      continue;
    }
    const shared = new Map(ctx.sharedFactories);
    const plan = entryFactory(ctx, call, arg, ctx.program, { servedBy });
    if ('unsafe' in plan) return false;
    // The one server's close at process shutdown has no server left to close: each now lives for one request
    // (HTTP) or one connection (stdio, ended by the exit itself). A close anywhere else keeps the file as it was.
    const shutdownCloses = plan.closeCalls.map(c => shutdownStatementOf(j, root, c));
    if (shutdownCloses.some(s => !s)) {
      // The factory was offered to the module's other entries; it is not made after all.
      ctx.sharedFactories = shared;
      return false;
    }
    plan.apply();
    for (const s of shutdownCloses) removeStatement(j, s!);
    if (plan.generated) ctx.generated.push(plan.generated);
    factories.push(plan.call);
  }
  calls.forEach((call, i) => (call.node.arguments[part.index] = j.arrowFunctionExpression([], factories[i])));
  ctx.changed = true;
  return true;
}

/** Arguments a factory arrow can evaluate again on each request without running anything new. */
function simpleArguments(call: Node): boolean {
  return (call.arguments ?? []).every(
    (a: Node) =>
      a.type === 'Identifier' ||
      /Literal$/.test(a.type) ||
      (a.type === 'MemberExpression' && !a.computed && a.object.type === 'Identifier') ||
      (a.type === 'ObjectExpression' &&
        a.properties.every((p: Node) => p.type === 'ObjectProperty' && /Literal$|^Identifier$/.test(p.value.type)))
  );
}
