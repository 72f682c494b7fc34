/**
 * What may run again. A tool that asks the client returns an input_required result and is called again with the
 * answer, running from the top: everything before the question runs twice (or once per round). Only code whose second
 * run leaves nothing behind qualifies: declarations of effect-free values, early exits on effect-free tests, log lines,
 * and statements that only fill the function's own locals.
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction, isLogCall } from '../kit/ast.js';

type Node = any;

const EFFECTS = new Set([
  'CallExpression',
  'NewExpression',
  'AwaitExpression',
  'AssignmentExpression',
  'UpdateExpression',
  'YieldExpression',
  'OptionalCallExpression',
  'TaggedTemplateExpression',
  'DeleteExpression'
]);

/** Calls that only read: the client-identity accessors and common side-effect-free string/collection reads. */
const PURE_METHODS = new RegExp(
  `^(${[
    'getClientCapabilities',
    'getClientVersion',
    'getNegotiatedProtocolVersion',
    'has',
    'includes',
    'startsWith',
    'endsWith',
    'slice',
    'trim',
    'toLowerCase',
    'toUpperCase',
    'toString',
    'indexOf'
  ].join('|')})$`
);

/** Array reads whose callback runs in place: with an effect-free expression as its body, the call has no effect. */
const READING_CALLBACK_METHODS = /^(filter|map|some|every|find|findIndex|flatMap)$/;

/** The method a call invokes by name (`x.trim()`, `x?.filter(…)`), or undefined for any other node. */
function methodCalled(n: Node): string | undefined {
  if (!(n.type === 'CallExpression' || n.type === 'OptionalCallExpression')) return undefined;
  if (!/MemberExpression$/.test(n.callee.type) || n.callee.computed) return undefined;
  return n.callee.property?.name ?? '';
}

function isPureCall(n: Node): boolean {
  const method = methodCalled(n);
  if (method === undefined) return false;
  // `ArgsSchema.parse(args)`: validating the arguments again on the retry gives the same answer.
  const schema = n.callee.object.type === 'Identifier' && /Schema$/.test(n.callee.object.name);
  return PURE_METHODS.test(method) || (schema && /^(parse|safeParse)$/.test(method));
}

function readsWithCallback(n: Node): boolean {
  const callback = n.arguments?.[0];
  return (
    READING_CALLBACK_METHODS.test(methodCalled(n) ?? '') &&
    callback?.type === 'ArrowFunctionExpression' &&
    callback.body.type !== 'BlockStatement'
  );
}

/**
 * The function's own locals, by what they may be given again: `all` (any declared name, which a statement may assign)
 * and `fresh` (those declared with an object or array literal, whose members a statement may fill: no one else holds
 * them).
 */
export interface Locals {
  all: Set<string>;
  fresh: Set<string>;
}

/** The locals the declarations among `statements` introduce. */
export function localsOf(statements: Node[]): Locals {
  const locals: Locals = { all: new Set(), fresh: new Set() };
  for (const s of statements) {
    if (s.type !== 'VariableDeclaration') continue;
    for (const d of s.declarations) {
      if (d.id.type !== 'Identifier') continue;
      locals.all.add(d.id.name);
      if (d.init?.type === 'ObjectExpression' || d.init?.type === 'ArrayExpression') locals.fresh.add(d.id.name);
    }
  }
  return locals;
}

export function replayable(statement: Node, locals: Locals): boolean {
  // An early exit (`if (!caps?.sampling) return fallback(…)`) runs its branch only on calls that never reach the
  // request: only its test runs on both rounds.
  if (statement.type === 'IfStatement' && !statement.alternate && exits(statement.consequent))
    return effectFree(statement.test);
  // `console.error('Adding todo', title)`: a log line written again on the retry (a new request) harms nothing.
  if (statement.type === 'ExpressionStatement' && isLogCall(statement.expression))
    return statement.expression.arguments.every(effectFree);
  if (statement.type === 'VariableDeclaration') return effectFree(statement);
  return fillsLocals(statement, locals);
}

/**
 * `switch (kind) { case 'contact': message = '…'; schema = {…}; break; default: throw new Error(…) }`: branches that
 * only assign the handler's own locals from effect-free values, or throw, run again on the retry to the same end.
 */
function fillsLocals(s: Node, locals: Locals): boolean {
  const all = (list: Node[]) => list.every(x => fillsLocals(x, locals));
  switch (s.type) {
    case 'BlockStatement':
      return all(s.body);
    case 'IfStatement':
      return (
        effectFree(s.test) && fillsLocals(s.consequent, locals) && (!s.alternate || fillsLocals(s.alternate, locals))
      );
    case 'SwitchStatement':
      return (
        effectFree(s.discriminant) && s.cases.every((c: Node) => (!c.test || effectFree(c.test)) && all(c.consequent))
      );
    // `for (const field of missing) properties[field.key] = { … }`: a loop over an effect-free value filling locals.
    case 'ForOfStatement':
      return (
        s.left.type === 'VariableDeclaration' &&
        s.left.declarations.every((d: Node) => d.id.type === 'Identifier') &&
        effectFree(s.right) &&
        fillsLocals(s.body, locals)
      );
    case 'BreakStatement':
      return !s.label;
    case 'ThrowStatement':
      return effectFree(s.argument);
    case 'ExpressionStatement': {
      const e = s.expression;
      // `options.push({ … })` onto an array the function made itself.
      if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression' && !e.callee.computed)
        return (
          e.callee.object.type === 'Identifier' &&
          locals.fresh.has(e.callee.object.name) &&
          /^(push|unshift)$/.test(e.callee.property.name) &&
          e.arguments.every(effectFree)
        );
      if (e.type !== 'AssignmentExpression' || !effectFree(e.right)) return false;
      if (e.left.type === 'Identifier') return locals.all.has(e.left.name);
      // A member of a literal the function made itself (`properties[key] = …`).
      return (
        e.left.type === 'MemberExpression' &&
        e.left.object.type === 'Identifier' &&
        locals.fresh.has(e.left.object.name) &&
        (!e.left.computed || effectFree(e.left.property))
      );
    }
    default:
      return false;
  }
}

function exits(s: Node): boolean {
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  return s.type === 'BlockStatement' && s.body.length > 0 && exits(s.body[s.body.length - 1]);
}

export function effectFree(node: Node): boolean {
  let clean = true;
  const visit = (n: Node) => {
    if (!clean || !n || typeof n.type !== 'string') return;
    if (isPureCall(n)) {
      visit(n.callee.object);
      n.arguments.forEach(visit);
      return;
    }
    // `fields.filter(f => !provided[f.key])`: the callback's body is what runs.
    if (readsWithCallback(n)) {
      visit(n.callee.object);
      visit(n.arguments[0].body);
      n.arguments.slice(1).forEach(visit);
      return;
    }
    // `new Error(…)`, thrown on both rounds alike.
    if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && /Error$/.test(n.callee.name)) {
      n.arguments.forEach(visit);
      return;
    }
    if (EFFECTS.has(n.type) || isFunction(n)) {
      clean = false;
      return;
    }
    for (const key of Object.keys(n)) {
      if (
        key === 'loc' ||
        key === 'comments' ||
        key === 'leadingComments' ||
        key === 'trailingComments' ||
        key === 'tokens'
      )
        continue;
      const v = n[key];
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object' && typeof v.type === 'string') visit(v);
    }
  };
  visit(node);
  return clean;
}

/**
 * What runs before `statement` on every round, from the top of `body`: the statements before it in each block around
 * it and the tests of the `if`s it sits in. A string says why the rounds cannot be laid out there: a loop, a switch, a
 * nested function, a `catch` or a `finally` between the statement and the body.
 */
export function runsBefore(statement: ASTPath<any>, body: Node): { statements: Node[]; tests: Node[] } | string {
  const statements: Node[] = [];
  const tests: Node[] = [];
  for (let cur = statement; cur.node !== body;) {
    const parent = cur.parent;
    const n = parent?.node;
    if (!n) return 'it is not in the function body';
    if (n.type === 'BlockStatement') statements.unshift(...n.body.slice(0, n.body.indexOf(cur.node)));
    else if (n.type === 'IfStatement') {
      if (cur.node === n.test) return 'it is in a condition';
      tests.push(n.test);
    } else if (n.type === 'TryStatement') {
      if (n.finalizer) return 'it is in a try block with a finally, which would run on every round';
      if (cur.node !== n.block) return 'it is in a catch block';
    } else return 'it is nested inside a loop, switch or callback';
    cur = parent;
  }
  return { statements, tests };
}

/** Does everything `runsBefore` found run again to the same end? */
export function replaysCleanly(before: { statements: Node[]; tests: Node[] }): boolean {
  const locals = localsOf(before.statements);
  return before.tests.every(effectFree) && before.statements.every(s => replayable(s, locals));
}
