/**
 * The syntax hand-written argument checks are made of, read off the AST: which node is the arguments object, which
 * field a member expression reads, literals, callee names. Shared by hand-checks.ts and cross-field-checks.ts.
 */
import type { GuardContext, Json } from './types.js';
import { isStringLiteral, propertyKey } from '../../kit/ast.js';
import { visit as walkRaw } from '../../kit/raw-walk.js';

type Node = any;

export function unwrap(n: Node): Node {
  while (
    n &&
    /^(ParenthesizedExpression|TSAsExpression|TSNonNullExpression|TSTypeAssertion|TSSatisfiesExpression)$/.test(n.type)
  )
    n = n.expression;
  return n;
}

/** What `!x` rejects besides absence, given x's type: the falsy JSON values of that type. */
export function falsyExclusion(type: string | undefined): Record<string, Json> {
  if (type === 'string') return { minLength: 1 };
  if (type === 'number' || type === 'integer') return { not: { const: 0 } };
  if (type === 'boolean') return { const: true };
  if (type === 'object' || type === 'array') return {};
  return { not: { enum: [null, false, 0, ''] } };
}

export function isArgsNode(node: Node, ctx: GuardContext, argsNames: Set<string>): boolean {
  const n = unwrap(node);
  return (n?.type === 'Identifier' && argsNames.has(n.name)) || ctx.isArgs(n);
}

/** The field a node reads: `args.x`, `args?.x`, `args['x']`, `(args as T).x`, or a destructured local. */
export function fieldOf(node: Node, ctx: GuardContext, argsNames: Set<string> = ctx.argsNames): string | undefined {
  const n = unwrap(node);
  if (n?.type === 'Identifier' && ctx.locals.has(n.name)) return ctx.locals.get(n.name);
  if (!n || !/MemberExpression$/.test(n.type) || !isArgsNode(n.object, ctx, argsNames)) return undefined;
  return n.computed ? (isString(n.property) ? n.property.value : undefined) : n.property.name;
}

export function hasKey(e: Node, ctx: GuardContext, argsNames: Set<string>): string | undefined {
  if (e.type === 'BinaryExpression' && e.operator === 'in' && isString(e.left) && isArgsNode(e.right, ctx, argsNames))
    return e.left.value;
  if (
    e.type === 'CallExpression' &&
    e.arguments.length === 2 &&
    calleeText(e.callee) === 'Object.hasOwn' &&
    isArgsNode(e.arguments[0], ctx, argsNames) &&
    isString(e.arguments[1])
  )
    return e.arguments[1].value;
  if (
    e.type === 'CallExpression' &&
    e.arguments.length === 1 &&
    e.callee.type === 'MemberExpression' &&
    propertyName(e.callee) === 'hasOwnProperty' &&
    isArgsNode(e.callee.object, ctx, argsNames) &&
    isString(e.arguments[0])
  )
    return e.arguments[0].value;
  return undefined;
}

export function fieldAndOther(e: Node, ctx: GuardContext, argsNames: Set<string>): [string | undefined, Node] {
  const left = fieldOf(e.left, ctx, argsNames);
  return left ? [left, unwrap(e.right)] : [fieldOf(e.right, ctx, argsNames), unwrap(e.left)];
}

export function isUndefined(n: Node): boolean {
  return (
    (n?.type === 'Identifier' && n.name === 'undefined') ||
    n?.type === 'NullLiteral' ||
    (n?.type === 'Literal' && n.value === null) ||
    (n?.type === 'UnaryExpression' && n.operator === 'void')
  );
}

/** The kit's string-literal test, under the name this folder's checks read it by. */
export const isString = isStringLiteral;

export function numberValue(node: Node): number | undefined {
  const n = unwrap(node);
  if (n?.type === 'NumericLiteral' || (n?.type === 'Literal' && typeof n.value === 'number')) return n.value;
  if (n?.type === 'UnaryExpression' && n.operator === '-') {
    const v = numberValue(n.argument);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

/** A JSON literal (string, number, boolean, null), else undefined. */
export function literalValue(node: Node): Json | undefined {
  const n = unwrap(node);
  if (isString(n)) return n.value;
  if (n?.type === 'BooleanLiteral' || (n?.type === 'Literal' && typeof n.value === 'boolean')) return n.value;
  if (n?.type === 'NullLiteral' || (n?.type === 'Literal' && n.value === null && !n.regex)) return null;
  return numberValue(n);
}

export function literalList(node: Node, ctx: GuardContext): Json[] | undefined {
  const n = unwrap(node);
  if (n?.type === 'Identifier') return ctx.constants.get(n.name);
  if (n?.type !== 'ArrayExpression') return undefined;
  const values = n.elements.map(literalValue);
  return values.every((v: Json | undefined) => v !== undefined) ? (values as Json[]) : undefined;
}

export function constantList(init: Node): Json[] | undefined {
  const n = unwrap(init);
  if (n?.type !== 'ArrayExpression') return undefined;
  const values = n.elements.map(literalValue);
  return values.length && values.every((v: Json | undefined) => v !== undefined) ? (values as Json[]) : undefined;
}

export function propertyName(member: Node): string | undefined {
  return member.computed ? (isString(member.property) ? member.property.value : undefined) : member.property?.name;
}

export function calleeText(c: Node): string {
  if (c?.type === 'Identifier') return c.name;
  if (c?.type === 'MemberExpression' && !c.computed && c.object.type === 'Identifier')
    return `${c.object.name}.${c.property.name}`;
  return '';
}

export function describe(e: Node): string {
  if (e.type === 'CallExpression') return `${calleeText(e.callee) || 'a call'}(…)`;
  if (e.type === 'BinaryExpression' || e.type === 'LogicalExpression') return `a comparison with ${e.operator}`;
  return e.type;
}

/** `if (COND) throw …` or `if (COND) return { …, isError: true }` (braces optional, no else): a check statement. */
export function isGuardStatement(s: Node): boolean {
  if (s.type !== 'IfStatement' || s.alternate) return false;
  const body =
    s.consequent.type === 'BlockStatement' && s.consequent.body.length === 1 ? s.consequent.body[0] : s.consequent;
  if (body.type === 'ThrowStatement') return true;
  return (
    body.type === 'ReturnStatement' &&
    body.argument?.type === 'ObjectExpression' &&
    body.argument.properties.some((p: Node) => propertyKey(p) === 'isError' && p.value.value === true)
  );
}

/** Calls `visit` on every node under `node` (itself included) with its parent; returning false skips its children. */
export function walkNodes(node: Node, visit: (n: Node, parent: Node | undefined) => boolean | void): void {
  walkRaw(node, (n, parent) => visit(n, parent), { skipTypes: true });
}
