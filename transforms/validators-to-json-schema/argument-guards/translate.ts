/**
 * Reads the condition of a hand-written argument check (`if (COND) throw …`) as JSON Schema 2020-12 keywords, or
 * says why it cannot. The translation is exact or nothing: every keyword rejects exactly the argument objects the
 * condition rejects, given that the tool's advertised schema (now enforced before the handler runs) holds.
 *
 *   typeof x !== 'string'          → required + type          Number.isInteger(x) / Array.isArray(x) → type
 *   !x, x === undefined, !('x' in a) → required (+ what falsy excludes for x's type)
 *   x < 1 || x > 50                → minimum / maximum (exclusive forms for <= / >=); number type must be known
 *   x.length < 1, x.length > 200   → minLength / maxLength (arrays: minItems / maxItems); type must be known
 *   !['a', 'b'].includes(x)        → enum (one value: const); x !== 'a' → const
 *   !/^[a-z]+$/.test(x)            → pattern (no flags but u); string type must be known
 *   x !== undefined && (…)         → the keywords without `required` (they apply only when x is present)
 *   !isFooArgs(args)               → the type guard's return expression, read the same way
 *
 * `a || b` is read left to right: once `typeof x !== 'string'` is false, `x.length < 1` knows x is a string, as the
 * original short-circuit did. Anything else (calls, other fields inside a presence test, `&&` across fields,
 * regex flags) is not a translation; the check stays where it is.
 */
import { crossFieldRule, keysRule } from './cross-field.js';
import type { FieldRule, GuardContext, Json, Translation } from './types.js';
import {
  calleeText,
  describe,
  falsyExclusion,
  fieldAndOther,
  fieldOf,
  hasKey,
  isArgsNode,
  isString,
  isUndefined,
  literalList,
  literalValue,
  numberValue,
  propertyName,
  unwrap
} from './syntax.js';

type Node = any;
interface Facts {
  present: Set<string>;
  types: Map<string, string>;
}

class Untranslatable extends Error {}
const fail = (reason: string): never => {
  throw new Untranslatable(reason);
};

export function translateGuard(condition: Node, ctx: GuardContext): Translation {
  const fields = new Map<string, FieldRule>();
  let rejectsMissing = false;
  let narrows = false;
  const rootRules: Record<string, Json>[] = [];
  const add = (field: string, required: boolean, keywords: Record<string, Json>) => {
    const rule = fields.get(field) ?? { required: false, keywords: {} };
    rule.required ||= required;
    for (const [k, v] of Object.entries(keywords)) {
      if (k in rule.keywords && JSON.stringify(rule.keywords[k]) !== JSON.stringify(v)) {
        if (k === 'type' && [rule.keywords[k], v].includes('integer') && [rule.keywords[k], v].includes('number'))
          rule.keywords[k] = 'integer';
        else fail(`${field} would need two ${k} values`);
      } else rule.keywords[k] = v;
    }
    fields.set(field, rule);
  };
  const facts: Facts = { present: new Set(), types: new Map() };
  try {
    const atoms = rejects(condition, false, ctx, facts, ctx.argsNames);
    for (const a of atoms) {
      narrows ||= !!a.narrows;
      if (a.rootRule) rootRules.push(a.rootRule);
      else if (a.root) rejectsMissing = true;
      else add(a.field!, a.required, a.keywords);
    }
  } catch (e) {
    if (e instanceof Untranslatable) return { reason: e.message };
    throw e;
  }
  return { fields, rootRules, rejectsMissing, narrows };
}

interface Atom {
  field?: string;
  /** A fact about the arguments object itself (an object, not null): the schema's root `type: 'object'` says it. */
  root?: boolean;
  required: boolean;
  keywords: Record<string, Json>;
  narrows?: boolean;
  /** Keywords for the schema root (a test joining two fields). */
  rootRule?: Record<string, Json>;
}

/** The atoms that together reject exactly when `e` (negated: when `!e`) is true; facts grow left to right. */
function rejects(node: Node, negated: boolean, ctx: GuardContext, facts: Facts, argsNames: Set<string>): Atom[] {
  const e = unwrap(node);
  if (e.type === 'UnaryExpression' && e.operator === '!') return rejects(e.argument, !negated, ctx, facts, argsNames);
  if (
    e.type === 'LogicalExpression' &&
    (e.operator === '||') !== negated &&
    (e.operator === '||' || e.operator === '&&')
  ) {
    // a || b (or !(a && b)): rejects when either does; the right side runs only when the left was false.
    const left = rejects(e.left, negated, ctx, facts, argsNames);
    learn(facts, left);
    return [...left, ...rejects(e.right, negated, ctx, facts, argsNames)];
  }
  if (e.type === 'LogicalExpression' && (e.operator === '&&' || e.operator === '||')) {
    try {
      return presenceGuarded(e, negated, ctx, facts, argsNames);
    } catch (err) {
      if (!(err instanceof Untranslatable)) throw err;
      const typeOf = (f: string) => facts.types.get(f) ?? ctx.declaredType(f);
      const rule = crossFieldRule(e.left, e.right, negated, ctx, typeOf, argsNames);
      if (typeof rule === 'string') return fail(`${err.message}; ${rule}`);
      // Neither side narrows anything TypeScript keeps after the check.
      return [{ root: true, required: false, keywords: {}, rootRule: rule, narrows: false }];
    }
  }
  if (e.type === 'CallExpression' && e.callee.type === 'Identifier' && ctx.guards.has(e.callee.name)) {
    const guard = ctx.guards.get(e.callee.name)!;
    const at = e.arguments.findIndex((a: Node) => isArgsNode(a, ctx, argsNames));
    if (at < 0 || e.arguments.length !== 1 || !guard.params[at])
      fail(`${e.callee.name} is not called with the arguments object`);
    return rejects(guard.body, negated, ctx, facts, new Set([...argsNames, guard.params[at]!])).map(a => ({
      ...a,
      narrows: true
    }));
  }
  return [atom(e, negated, ctx, facts, argsNames)];
}

/** Tests TypeScript narrows on: typeof, Array.isArray, `in`, truthiness, comparisons with a literal or undefined. */
function narrowing(e: Node): boolean {
  if (lengthIsZero(e)) return false;
  if (
    e.type === 'BinaryExpression' &&
    /MemberExpression$/.test(unwrap(e.left)?.type ?? '') &&
    propertyName(unwrap(e.left)) === 'length'
  )
    return false;
  if (e.type === 'BinaryExpression')
    return e.left.type === 'UnaryExpression' || ['===', '==', '!==', '!=', 'in'].includes(e.operator);
  if (e.type === 'CallExpression') return calleeText(e.callee) === 'Array.isArray';
  return !/^(CallExpression|BinaryExpression)$/.test(e.type);
}

/** `x !== undefined && (checks on x)`: the checks, applying only when x is present (JSON Schema's own rule). */
function presenceGuarded(e: Node, negated: boolean, ctx: GuardContext, facts: Facts, argsNames: Set<string>): Atom[] {
  // Rejecting on (a && b) means: a present-test on x, then b about x alone; negated, !(a || b) is !a && !b.
  const [test, rest] = [e.left, e.right];
  let field = presenceTest(test, negated, ctx, argsNames);
  // An array or object is truthy exactly when present (the enforced type rules out null).
  const bare = fieldOf(test, ctx, argsNames);
  if (!field && bare && !negated && ['array', 'object'].includes(facts.types.get(bare) ?? ctx.declaredType(bare) ?? ''))
    field = bare;
  if (!field) return fail('a condition joins two tests that are not "x is present, then checks on x"');
  const inner: Facts = { present: new Set([...facts.present, field]), types: new Map(facts.types) };
  const atoms = rejects(rest, negated, ctx, inner, argsNames);
  if (atoms.some(a => a.field !== field)) fail('checks under a presence test read another field');
  return atoms.map(a => ({ ...a, required: false }));
}

/** The field `e` tests for presence (`x !== undefined`, `x != null`, `'x' in args`), read with the given polarity. */
function presenceTest(node: Node, negated: boolean, ctx: GuardContext, argsNames: Set<string>): string | undefined {
  const e = unwrap(node);
  if (e.type === 'UnaryExpression' && e.operator === '!') return presenceTest(e.argument, !negated, ctx, argsNames);
  if (e.type === 'BinaryExpression' && e.operator === 'in' && isString(e.left) && isArgsNode(e.right, ctx, argsNames))
    return negated ? undefined : e.left.value;
  if (
    e.type === 'BinaryExpression' &&
    ['!==', '!='].includes(e.operator) !== negated &&
    ['!==', '!=', '===', '=='].includes(e.operator)
  ) {
    const [f, other] = fieldAndOther(e, ctx, argsNames);
    if (f && isUndefined(other)) return f;
  }
  return undefined;
}

function learn(facts: Facts, atoms: Atom[]): void {
  for (const a of atoms) {
    if (!a.field) continue;
    if (a.required) facts.present.add(a.field);
    const t = a.keywords.type;
    if (typeof t === 'string') facts.types.set(a.field, t);
  }
}

const TYPEOF: Record<string, string> = { string: 'string', number: 'number', boolean: 'boolean' };
const IS_TYPE: Record<string, string> = {
  'Array.isArray': 'array',
  'Number.isInteger': 'integer',
  'Number.isSafeInteger': 'integer',
  'Number.isFinite': 'number'
};
const COMPARE: Record<string, [string, string]> = {
  '<': ['minimum', 'exclusiveMaximum'],
  '<=': ['exclusiveMinimum', 'maximum'],
  '>': ['maximum', 'exclusiveMinimum'],
  '>=': ['exclusiveMaximum', 'minimum']
};
const FLIP: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
const LENGTH: Record<string, Record<string, string>> = {
  string: { minimum: 'minLength', maximum: 'maxLength' },
  array: { minimum: 'minItems', maximum: 'maxItems' }
};

/** One test on one field; `negated` means the check rejects when the test is false. */
function atom(e: Node, negated: boolean, ctx: GuardContext, facts: Facts, argsNames: Set<string>): Atom {
  return { ...atomKeywords(e, negated, ctx, facts, argsNames), narrows: narrowing(e) };
}

function atomKeywords(e: Node, negated: boolean, ctx: GuardContext, facts: Facts, argsNames: Set<string>): Atom {
  const typeOf = (f: string) => facts.types.get(f) ?? ctx.declaredType(f);
  const present = (f: string) => facts.present.has(f) || ctx.declaredRequired(f);

  // The arguments object itself: `typeof args === 'object'`, `args !== null`, `args`.
  if (isArgsNode(e, ctx, argsNames) && negated) return { root: true, required: false, keywords: {} };
  // Its keys: `Object.keys(args).some(k => !ALLOWED.includes(k))` → propertyNames, `.length > n` → maxProperties.
  const keys = keysRule(e, negated, ctx, argsNames);
  if (keys) return { root: true, required: false, keywords: {}, rootRule: keys };
  if (
    e.type === 'BinaryExpression' &&
    e.left.type === 'UnaryExpression' &&
    e.left.operator === 'typeof' &&
    isArgsNode(e.left.argument, ctx, argsNames) &&
    isString(e.right, 'object')
  ) {
    if (['===', '=='].includes(e.operator) === negated) return { root: true, required: false, keywords: {} };
  }
  if (
    e.type === 'BinaryExpression' &&
    ['===', '==', '!==', '!='].includes(e.operator) &&
    (isArgsNode(e.left, ctx, argsNames) || isArgsNode(e.right, ctx, argsNames))
  ) {
    const other = isArgsNode(e.left, ctx, argsNames) ? e.right : e.left;
    if (isUndefined(unwrap(other)) && ['===', '=='].includes(e.operator) !== negated)
      return { root: true, required: false, keywords: {} };
    fail('the arguments object is compared in a way the schema cannot say');
  }

  // typeof x === 'string'
  if (
    e.type === 'BinaryExpression' &&
    e.left.type === 'UnaryExpression' &&
    e.left.operator === 'typeof' &&
    isString(e.right)
  ) {
    const field = fieldOf(e.left.argument, ctx, argsNames);
    const eq = ['===', '=='].includes(e.operator);
    if (field && ['===', '==', '!==', '!='].includes(e.operator)) {
      const rejectsWhenEqual = eq !== negated;
      if (e.right.value === 'undefined')
        return rejectsWhenEqual
          ? { field, required: true, keywords: {} }
          : fail(`a check that rejects ${field} when present`);
      const type = TYPEOF[e.right.value];
      if (type && !rejectsWhenEqual) return { field, required: true, keywords: { type } };
      return fail(`typeof ${field} is tested in a way the schema cannot say`);
    }
  }
  // Array.isArray(x), Number.isInteger(x), Number.isFinite(x)
  if (e.type === 'CallExpression' && e.arguments.length === 1 && IS_TYPE[calleeText(e.callee)]) {
    const field = fieldOf(e.arguments[0], ctx, argsNames);
    if (field && negated) return { field, required: true, keywords: { type: IS_TYPE[calleeText(e.callee)]! } };
  }
  // 'x' in args, Object.hasOwn(args, 'x'), args.hasOwnProperty('x')
  const has = hasKey(e, ctx, argsNames);
  if (has && negated) return { field: has, required: true, keywords: {} };
  // x (truthiness)
  const bare = fieldOf(e, ctx, argsNames);
  if (bare && negated) return { field: bare, required: true, keywords: falsyExclusion(typeOf(bare)) };
  // x === undefined / x == null / x === 'lit'
  if (e.type === 'BinaryExpression' && ['===', '==', '!==', '!='].includes(e.operator)) {
    const [field, other] = fieldAndOther(e, ctx, argsNames);
    const rejectsWhenEqual = ['===', '=='].includes(e.operator) !== negated;
    if (field && isUndefined(other) && rejectsWhenEqual) {
      const loose = e.operator.length === 2;
      return { field, required: true, keywords: loose && !typeOf(field) ? { not: { type: 'null' } } : {} };
    }
    const value = field ? literalValue(other) : undefined;
    if (field && value !== undefined && value !== null && e.operator.length === 3) {
      return rejectsWhenEqual
        ? { field, required: false, keywords: { not: { const: value } } }
        : { field, required: true, keywords: { const: value } };
    }
  }
  // [..].includes(x), LIST.includes(x)
  if (
    e.type === 'CallExpression' &&
    e.callee.type === 'MemberExpression' &&
    propertyName(e.callee) === 'includes' &&
    e.arguments.length === 1
  ) {
    const field = fieldOf(e.arguments[0], ctx, argsNames);
    const values = literalList(e.callee.object, ctx);
    if (field && values && values.length > 0) {
      if (!negated)
        return {
          field,
          required: false,
          keywords: { not: values.length === 1 ? { const: values[0]! } : { enum: values } }
        };
      return { field, required: true, keywords: values.length === 1 ? { const: values[0]! } : { enum: values } };
    }
  }
  // /re/.test(x)
  if (
    e.type === 'CallExpression' &&
    e.callee.type === 'MemberExpression' &&
    propertyName(e.callee) === 'test' &&
    e.arguments.length === 1
  ) {
    const re = unwrap(e.callee.object);
    const field = fieldOf(e.arguments[0], ctx, argsNames);
    if (field && (re.type === 'RegExpLiteral' || re.regex) && negated) {
      const { pattern, flags } = re.regex ?? re;
      if (flags.replace('u', '') !== '') fail(`/${pattern}/${flags} has flags a JSON Schema pattern cannot carry`);
      if (typeOf(field) !== 'string')
        fail(`${field} is not known to be a string, and RegExp.test converts anything to one`);
      try {
        new RegExp(pattern, 'u');
      } catch {
        fail(`/${pattern}/ is not valid as a Unicode pattern, which is how JSON Schema validators compile it`);
      }
      // Absent, the original tests the string "undefined".
      return { field, required: !present(field) && !new RegExp(pattern).test('undefined'), keywords: { pattern } };
    }
  }
  // x.length === 0 and !x.length say x.length < 1 (a length is a whole number, never below zero).
  const emptyTest = lengthIsZero(e);
  if (emptyTest)
    return atomKeywords(
      { type: 'BinaryExpression', operator: '<', left: emptyTest, right: { type: 'NumericLiteral', value: 1 } },
      negated,
      ctx,
      facts,
      argsNames
    );
  // x.length !== 6: both bounds at once.
  if (e.type === 'BinaryExpression' && e.operator === '!==' && !negated) {
    const [len, n] =
      /MemberExpression$/.test(unwrap(e.left)?.type ?? '') && propertyName(unwrap(e.left)) === 'length'
        ? [unwrap(e.left), e.right]
        : [undefined, undefined];
    if (len && numberValue(n) !== undefined) {
      const below = atomKeywords(
        { type: 'BinaryExpression', operator: '<', left: len, right: n },
        false,
        ctx,
        facts,
        argsNames
      );
      const above = atomKeywords(
        { type: 'BinaryExpression', operator: '>', left: len, right: n },
        false,
        ctx,
        facts,
        argsNames
      );
      return { ...below, keywords: { ...below.keywords, ...above.keywords } };
    }
  }
  // x < 1, x.length > 200
  if (e.type === 'BinaryExpression' && COMPARE[e.operator]) {
    let op = e.operator;
    let [subject, bound] = [unwrap(e.left), unwrap(e.right)];
    if (numberValue(subject) !== undefined) [subject, bound, op] = [bound, subject, FLIP[op]!];
    const n = numberValue(bound);
    const lengthOf =
      subject.type.endsWith('MemberExpression') && propertyName(subject) === 'length'
        ? fieldOf(subject.object, ctx, argsNames)
        : undefined;
    const field = lengthOf ?? fieldOf(subject, ctx, argsNames);
    if (field && n !== undefined) {
      const [whenTrue, whenFalse] = COMPARE[op]!;
      const type = typeOf(field);
      const keyword = negated ? whenFalse : whenTrue;
      const optionalChain = lengthOf && subject.optional;
      if (lengthOf) {
        const names = LENGTH[type ?? ''];
        if (!names) fail(`${field}.length is read, but ${field} is not known to be a string or an array`);
        if (!present(field) && !optionalChain && !negated)
          fail(`${field}.length is read while ${field} may be absent (the original throws there)`);
        if (!Number.isInteger(n)) fail('a length bound that is not an integer');
        // Lengths are integers: a strict bound is the inclusive one next to it.
        const inclusive =
          keyword === 'exclusiveMinimum'
            ? ['minimum', n + 1]
            : keyword === 'exclusiveMaximum'
              ? ['maximum', n - 1]
              : [keyword, n];
        if ((inclusive[1] as number) < 0) fail('a length bound below zero');
        return { field, required: negated, keywords: { [names[inclusive[0] as string]!]: inclusive[1] as number } };
      }
      if (type !== 'number' && type !== 'integer')
        fail(`${field} is compared with a number but is not known to be one (< and > convert their operands)`);
      return { field, required: negated, keywords: { [keyword]: n } };
    }
  }
  return fail(`${describe(e)} is not a check the schema can say`);
}

/** The `x.length` of `x.length === 0` / `0 === x.length`, or of a bare `x.length` (as in `!x.length`, read negated). */
function lengthIsZero(e: Node): Node | undefined {
  const isLength = (n: Node) => /MemberExpression$/.test(unwrap(n)?.type ?? '') && propertyName(unwrap(n)) === 'length';
  if (e.type === 'BinaryExpression' && e.operator === '===') {
    if (isLength(e.left) && numberValue(e.right) === 0) return unwrap(e.left);
    if (isLength(e.right) && numberValue(e.left) === 0) return unwrap(e.right);
  }
  return undefined;
}
