/**
 * Whether a factory local is state that outlives one call: something a closure changes later (a reassignment, a
 * mutating method, a property write) or something handed away where the code cannot follow it. A `Set` built from
 * static data and only read by handlers (`allowed.has(name)`) is not state: a fresh copy per request is the same
 * value, so marking it would send the user after nothing.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { insideFunctionBelow, isValueReference } from './ast.js';

type Node = any;

/** Methods that only read a Map, Set, array or string. Any other method call counts as a change. */
const READING_METHODS = new Set([
  'has',
  'get',
  'includes',
  'indexOf',
  'lastIndexOf',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
  'every',
  'map',
  'filter',
  'flatMap',
  'flat',
  'reduce',
  'reduceRight',
  'forEach',
  'slice',
  'concat',
  'join',
  'keys',
  'values',
  'entries',
  'at',
  'toString',
  'toJSON',
  'toSorted',
  'toReversed',
  'toSpliced',
  'with'
]);

/** Callees that copy or read their argument without keeping it. */
const READING_CALLEES = /^(Array\.from|Object\.(keys|values|entries|fromEntries)|JSON\.stringify|new (Set|Map|Array))$/;

/**
 * True when a reference to `name` below `scope` (other than in `declaration`) changes the value from inside a
 * function, or lets it escape anywhere (an escaped value may be changed by code this file does not show).
 */
export function changedAcrossCalls(
  j: JSCodeshift,
  scope: Node[],
  declaration: Node,
  name: string,
  notCounted: (p: ASTPath<any>) => boolean = () => false
): boolean {
  const init = declaration.declarations?.find((d: Node) => d.id?.name === name)?.init;
  const primitive = holdsOnlyPrimitives(init);
  // `let level = 'info'`: a string, number or boolean changes only by assigning the variable; handing it to a call
  // (`levels.indexOf(level)`) reads it.
  const scalar = isScalar(init);
  return scope.some(
    (s: Node) =>
      s !== declaration &&
      j(s)
        .find(j.Identifier, { name })
        .some((p: ASTPath<any>) => {
          if (!isValueReference(p) || notCounted(p)) return false;
          if (scalar) return rebinds(p) && insideFunctionBelow(p, s);
          const use = useOf(p, primitive);
          if (use === 'escape') return true;
          return use === 'change' && insideFunctionBelow(p, s);
        })
  );
}

type Use = 'read' | 'change' | 'escape';

/** Methods whose result is an element of the container: what is done with it is done to the container. */
const ELEMENT_METHODS = new Set(['get', 'find', 'findLast', 'at']);

/** What the code does with the value at `p` (a reference, or a member or element read from one). */
function useOf(p: ASTPath<any>, primitive = false): Use {
  const parent = p.parent?.node;
  if (!parent) return 'escape';
  switch (parent.type) {
    case 'AssignmentExpression':
      return parent.left === p.node ? 'change' : 'escape';
    case 'UpdateExpression':
      return 'change';
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return parent.object === p.node ? memberUse(p.parent, primitive) : 'read';
    case 'CallExpression':
    case 'OptionalCallExpression':
    case 'NewExpression':
      if (parent.callee === p.node) return 'read';
      return READING_CALLEES.test(calleeText(parent)) ? 'read' : 'escape';
    case 'UnaryExpression':
      return parent.operator === 'delete' ? 'change' : 'read';
    case 'SpreadElement':
    case 'BinaryExpression':
    case 'TemplateLiteral':
    case 'IfStatement':
    case 'WhileStatement':
    case 'SwitchStatement':
    case 'ExpressionStatement':
      return 'read';
    case 'LogicalExpression':
    case 'ConditionalExpression':
      return parent.test === p.node || (parent.left === p.node && parent.operator === '&&') ? 'read' : 'escape';
    case 'ForOfStatement':
    case 'ForInStatement':
      return parent.right === p.node ? 'read' : 'change';
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'TSSatisfiesExpression':
    case 'ParenthesizedExpression':
      return useOf(p.parent, primitive);
    default:
      return 'escape';
  }
}

/** `x.m(…)`, `x.k = v`, `x[k]++`, `delete x.k`, `x.a.b.push(…)`, `x.get(k).push(…)`: what is done through the member. */
function memberUse(member: ASTPath<any>, primitive: boolean): Use {
  const parent = member.parent?.node;
  if (
    (parent?.type === 'CallExpression' || parent?.type === 'OptionalCallExpression') &&
    parent.callee === member.node
  ) {
    const method = member.node.computed ? undefined : member.node.property?.name;
    if (!method || !READING_METHODS.has(method)) return 'change';
    return ELEMENT_METHODS.has(method) && !primitive ? useOf(member.parent) : 'read';
  }
  if (
    (parent?.type === 'AssignmentExpression' && parent.left === member.node) ||
    parent?.type === 'UpdateExpression' ||
    (parent?.type === 'UnaryExpression' && parent.operator === 'delete')
  )
    return 'change';
  // What a read yields is a copy when it is a primitive: a lookup table's value, `.length`, `.size`.
  if (primitive || (!member.node.computed && /^(length|size)$/.test(member.node.property?.name ?? ''))) return 'read';
  return useOf(member);
}

/** `{ find: 'search' }`, `['a', 'b']`: a literal whose members are strings, numbers, booleans or null. */
function isScalar(init: Node): boolean {
  return (
    /^(?:StringLiteral|NumericLiteral|BooleanLiteral)$/.test(init?.type ?? '') ||
    (init?.type === 'Literal' && init.value !== null && typeof init.value !== 'object') ||
    (init?.type === 'TemplateLiteral' && init.expressions.length === 0)
  );
}

/** `x = …`, `x += …`, `x++`, `for (x of …)`: the variable itself gets another value. */
function rebinds(p: ASTPath<any>): boolean {
  const parent = p.parent?.node;
  if (parent?.type === 'AssignmentExpression' || /^For(?:Of|In)Statement$/.test(parent?.type ?? ''))
    return parent.left === p.node;
  return parent?.type === 'UpdateExpression';
}

function holdsOnlyPrimitives(init: Node): boolean {
  const items =
    init?.type === 'ObjectExpression'
      ? init.properties.map((p: Node) => (p.type === 'ObjectProperty' || p.type === 'Property' ? p.value : p))
      : init?.type === 'ArrayExpression'
        ? init.elements
        : undefined;
  if (!items) return false;
  return items.every(
    (v: Node) =>
      /^(StringLiteral|NumericLiteral|BooleanLiteral|NullLiteral)$/.test(v?.type ?? '') ||
      (v?.type === 'Literal' && typeof v.value !== 'object') ||
      (v?.type === 'TemplateLiteral' && v.expressions.length === 0)
  );
}

function calleeText(call: Node): string {
  const callee = call.callee;
  const prefix = call.type === 'NewExpression' ? 'new ' : '';
  if (callee?.type === 'Identifier') return prefix + callee.name;
  if (callee?.type === 'MemberExpression' && callee.object?.type === 'Identifier' && !callee.computed)
    return `${prefix}${callee.object.name}.${callee.property?.name}`;
  return '';
}
