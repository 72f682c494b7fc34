/**
 * A handler for a method of the project's own, registered v1's way with a schema of the whole message:
 * `setNotificationHandler(z.object({ method: z.literal('x/progress'), params: P }), n => … n.params.done …)`. v2
 * registers it by method string with a params schema, and hands the handler the parsed params first:
 * `setNotificationHandler('x/progress', { params: P }, (params, n) => … params.done …)`. A schema const of the file
 * (`const ProgressSchema = z.object({ … })`) stays, and its params are picked from it (`ProgressSchema.shape.params`).
 * A request handler's second argument is the context, not the request, so it is only rewritten when the request is
 * read for nothing but its params; anything else keeps the `custom-method` TODO.
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction, isValueReference, propertyNamed } from '../kit/ast.js';
import { shadowed } from './handler-context.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

/** Rewrites the registration `p`, whose first argument is a custom schema; false when it cannot. */
export function registerCustomMethod(ctx: SurfaceContext, p: ASTPath<any>): boolean {
  const [schema, handler] = p.node.arguments;
  const custom = customSchema(ctx, schema);
  if (!custom || !handler || !isFunction(handler) || handler.params.length < 1) return false;
  const first = handler.params[0];
  if (first.type !== 'Identifier' || handler.body?.type === undefined) return false;
  const notification = p.node.callee.property?.name === 'setNotificationHandler';
  const reads = paramsReads(ctx, handler, first.name);
  if (!reads) return false;
  if (!notification && reads.others > 0) return false;
  const local = freeName(ctx, p.get('arguments', 1), 'params');
  const q = ctx.quote;
  ctx.edits.push({
    start: schema.start,
    end: schema.end,
    text: `${q}${custom.method}${q}, { params: ${custom.params} }`
  });
  // A notification read beyond its params stays the handler's second parameter (a request's is the context).
  const bare = !ctx.src.slice(handler.start, first.start).includes('(');
  const firstText = notification && reads.others > 0 ? `${local}, ${first.name}` : local;
  ctx.edits.push({ start: first.start, end: first.end, text: bare ? `(${firstText})` : firstText });
  for (const read of reads.params) ctx.edits.push({ start: read.start, end: read.end, text: local });
  return true;
}

/** Is `node` a whole-message schema (`z.object({ method: z.literal('m'), params: P })`) written in place? */
export function isMessageSchema(node: Node): boolean {
  return messageSchema(node) !== undefined;
}

/** `base`, or `base2`…: a name neither the handler reads nor a scope around it declares. */
function freeName(ctx: SurfaceContext, handler: ASTPath<any>, base: string): string {
  const { j } = ctx;
  const taken = (name: string) =>
    !!handler.scope?.lookup(name) ||
    j(handler)
      .find(j.Identifier, { name })
      .some((x: ASTPath<any>) => isValueReference(x));
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
}

/** `z.object({ method: z.literal('m'), params: P })`, in place or as a const of this file. */
function customSchema(ctx: SurfaceContext, schema: Node): { method: string; params: string } | undefined {
  const inline = messageSchema(schema);
  if (inline) return { method: inline.method, params: ctx.src.slice(inline.params.start, inline.params.end) };
  if (schema?.type !== 'Identifier') return undefined;
  const { j, root } = ctx;
  const declared = root
    .find(j.VariableDeclarator, { id: { type: 'Identifier', name: schema.name } })
    .filter((d: ASTPath<any>) => d.parent.node.kind === 'const');
  if (declared.size() !== 1) return undefined;
  const found = messageSchema(declared.get().node.init);
  return found ? { method: found.method, params: `${schema.name}.shape.params` } : undefined;
}

function messageSchema(node: Node): { method: string; params: Node } | undefined {
  if (node?.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return undefined;
  if (node.callee.property?.name !== 'object' || node.arguments[0]?.type !== 'ObjectExpression') return undefined;
  const method = propertyNamed(node.arguments[0], 'method')?.value;
  const params = propertyNamed(node.arguments[0], 'params')?.value;
  const literal = method?.type === 'CallExpression' && method.callee.property?.name === 'literal';
  const value = literal ? method.arguments[0] : undefined;
  if (!params || (value?.type !== 'StringLiteral' && value?.type !== 'Literal') || typeof value.value !== 'string')
    return undefined;
  return { method: value.value, params };
}

/** The handler's `message.params` reads (they become the params argument) and how many other reads it has. */
function paramsReads(ctx: SurfaceContext, fn: Node, name: string): { params: Node[]; others: number } | undefined {
  const { j } = ctx;
  const params: Node[] = [];
  let others = 0;
  let rebound = false;
  j(fn.body)
    .find(j.Identifier, { name })
    .forEach((p: ASTPath<any>) => {
      if (!isValueReference(p)) return;
      if (shadowed(p, fn, name)) rebound = true;
      const member = p.parent.node;
      const read =
        /MemberExpression$/.test(member.type) && member.object === p.node && !member.computed
          ? member.property?.name
          : undefined;
      if (read === 'params') params.push(member);
      else others++;
    });
  return rebound ? undefined : { params, others };
}
