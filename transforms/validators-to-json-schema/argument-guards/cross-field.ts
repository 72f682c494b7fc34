/**
 * Checks that join two fields, read as root-level JSON Schema keywords. Each side is a test on one field that has
 * an exact schema of its own (present, absent, equal to a literal, truthy); the check rejects when both hold:
 *
 *   if (a.x !== undefined && a.y !== undefined)   → not: { required: ['x', 'y'] }           (not both)
 *   if (a.x === undefined && a.y === undefined)   → anyOf: [{ required: ['x'] }, { required: ['y'] }]   (one of)
 *   if (a.x !== undefined && a.y === undefined)   → dependentRequired: { x: ['y'] }        (x needs y)
 *   if (a.kind === 'gift' && !a.note)             → if: { kind is 'gift' }, then: { note is truthy }
 *
 * Truthiness is exact for JSON: a value is falsy when it is null, false, 0 or ''. Anything else is not a translation.
 *
 * Checks on the keys themselves are root keywords too: `Object.keys(args).some(k => !LIST.includes(k))` →
 * `propertyNames: { enum: LIST }`, `Object.keys(args).length > n` → `maxProperties: n`.
 */
import {
  calleeText,
  falsyExclusion,
  fieldAndOther,
  fieldOf,
  hasKey,
  isArgsNode,
  isUndefined,
  literalList,
  literalValue,
  numberValue,
  propertyName,
  unwrap
} from './syntax.js';
import type { GuardContext, Json } from './types.js';

type Node = any;

interface Predicate {
  field: string;
  kind: 'present' | 'absent' | 'other';
  /** The schema (over the arguments object) that matches exactly when the test is true. */
  schema: Json;
}

/** The root keywords rejecting exactly when `left && right` holds (each read negated when `negated`), or a reason. */
export function crossFieldRule(
  left: Node,
  right: Node,
  negated: boolean,
  ctx: GuardContext,
  typeOf: (f: string) => string | undefined,
  argsNames: Set<string>
): Record<string, Json> | string {
  const p = predicate(left, negated, ctx, typeOf, argsNames);
  const q = predicate(right, negated, ctx, typeOf, argsNames);
  if (!p || !q)
    return 'a test joining two fields, one of which is not "present", "absent", "equal to a literal" or "truthy"';
  if (p.field === q.field) return 'two tests on one field joined with &&';
  if (p.kind === 'present' && q.kind === 'present') return { not: { required: [p.field, q.field] } };
  if (p.kind === 'absent' && q.kind === 'absent') return { anyOf: [{ required: [p.field] }, { required: [q.field] }] };
  if (p.kind === 'present' && q.kind === 'absent') return { dependentRequired: { [p.field]: [q.field] } };
  if (p.kind === 'absent' && q.kind === 'present') return { dependentRequired: { [q.field]: [p.field] } };
  return { if: p.schema, then: negate(q).schema };
}

function predicate(
  node: Node,
  negated: boolean,
  ctx: GuardContext,
  typeOf: (f: string) => string | undefined,
  argsNames: Set<string>
): Predicate | undefined {
  const e = unwrap(node);
  if (e.type === 'UnaryExpression' && e.operator === '!')
    return predicate(e.argument, !negated, ctx, typeOf, argsNames);
  const positive = ((): Predicate | undefined => {
    const has = hasKey(e, ctx, argsNames);
    if (has) return present(has);
    const bare = fieldOf(e, ctx, argsNames);
    if (bare) {
      const exclusion = falsyExclusion(typeOf(bare));
      return Object.keys(exclusion).length
        ? { field: bare, kind: 'other', schema: { required: [bare], properties: { [bare]: exclusion } } }
        : present(bare);
    }
    if (e.type !== 'BinaryExpression' || !['===', '!==', '==', '!='].includes(e.operator)) return undefined;
    const [field, other] = fieldAndOther(e, ctx, argsNames);
    if (!field) return undefined;
    const equal = e.operator.startsWith('=');
    if (isUndefined(other)) {
      // `x !== undefined` is presence; loosely, `x != null` also excludes null (a declared type already does).
      const loose = e.operator.length === 2 && !typeOf(field);
      const some: Predicate = loose
        ? { field, kind: 'other', schema: { required: [field], properties: { [field]: { not: { type: 'null' } } } } }
        : present(field);
      return equal ? negate(some) : some;
    }
    const value = literalValue(other);
    if (value === undefined || value === null || e.operator.length !== 3) return undefined;
    const is: Predicate = {
      field,
      kind: 'other',
      schema: { required: [field], properties: { [field]: { const: value } } }
    };
    return equal ? is : negate(is);
  })();
  return positive && negated ? negate(positive) : positive;
}

function present(field: string): Predicate {
  return { field, kind: 'present', schema: { required: [field] } };
}

function negate(p: Predicate): Predicate {
  if (p.kind === 'present') return { field: p.field, kind: 'absent', schema: { not: { required: [p.field] } } };
  if (p.kind === 'absent') return present(p.field);
  const s = p.schema as Record<string, Json>;
  return { field: p.field, kind: 'other', schema: Object.keys(s).length === 1 && 'not' in s ? s.not! : { not: s } };
}

/** Checks on `Object.keys(args)`: every key in a list of literals, or a cap on how many there are. */
export function keysRule(
  e: Node,
  negated: boolean,
  ctx: GuardContext,
  argsNames: Set<string>
): Record<string, Json> | undefined {
  const isKeys = (n: Node) => {
    const u = unwrap(n);
    return (
      u?.type === 'CallExpression' &&
      calleeText(u.callee) === 'Object.keys' &&
      u.arguments.length === 1 &&
      isArgsNode(u.arguments[0], ctx, argsNames)
    );
  };
  // Object.keys(args).some(k => !LIST.includes(k)) rejects; !Object.keys(args).every(k => LIST.includes(k)) too.
  if (
    e.type === 'CallExpression' &&
    e.callee.type === 'MemberExpression' &&
    isKeys(e.callee.object) &&
    e.arguments.length === 1
  ) {
    const method = propertyName(e.callee);
    const fn = e.arguments[0];
    const param = fn?.params?.[0]?.name;
    let body =
      fn?.body?.type === 'BlockStatement'
        ? fn.body.body.length === 1 && fn.body.body[0].type === 'ReturnStatement'
          ? fn.body.body[0].argument
          : undefined
        : fn?.body;
    if (!param || !body) return undefined;
    let inList = true;
    body = unwrap(body);
    if (body.type === 'UnaryExpression' && body.operator === '!') {
      inList = false;
      body = unwrap(body.argument);
    }
    const includes =
      body.type === 'CallExpression' &&
      body.callee.type === 'MemberExpression' &&
      propertyName(body.callee) === 'includes' &&
      unwrap(body.arguments[0])?.name === param;
    const list = includes ? literalList(body.callee.object, ctx) : undefined;
    if (!list || !list.every(v => typeof v === 'string')) return undefined;
    // Rejecting when some key is outside the list, or (negated) when not every key is inside it.
    if ((method === 'some' && !inList && !negated) || (method === 'every' && inList && negated))
      return { propertyNames: { enum: list } };
    return undefined;
  }
  // Object.keys(args).length > n
  if (e.type === 'BinaryExpression' && !negated && e.operator === '>') {
    const left = unwrap(e.left);
    const n = numberValue(e.right);
    if (
      /MemberExpression$/.test(left?.type ?? '') &&
      propertyName(left) === 'length' &&
      isKeys(left.object) &&
      n !== undefined &&
      Number.isInteger(n) &&
      n >= 0
    )
      return { maxProperties: n };
  }
  return undefined;
}
