/**
 * What may run again. A tool that asks the client returns an input_required result and is called again with the
 * answer, running from the top: everything before the question runs twice (or once per round). Only code whose second
 * run leaves nothing behind qualifies: declarations of effect-free values, early exits on effect-free tests, log lines,
 * and statements that only fill the function's own locals. Where the caller collects them (`reads`), calls named as
 * reads (`await api.getProjects()`: the list a question offers is usually fetched first) qualify too: a read run
 * again costs a round trip, not a second effect. Only the name says it reads, so the caller tells the user which
 * calls it took on trust.
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction, isLogCall } from '../kit/ast.js';
import { isSpanEvent } from '../kit/tool-registrations.js';

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

/**
 * A read by its name: a reading verb leading (`getProjects`, `list_teams`, `fetchUser`), no word after it that writes.
 * Not `query`: `pool.query(sql)` runs whatever statement it is given, writes included.
 */
const READ_VERB = /^(get|list|fetch|read|find|search|load|lookup|describe|count|retrieve|is|has)(?=[A-Z_0-9]|$)/;
/** Words that make a read a write too (`getOrCreateBoard`, `fetchAndLock`, `getNextId`): verbs, not the nouns they share a spelling with. */
// prettier-ignore
const WRITING_WORDS = new Set([
  'or', 'and', 'create', 'update', 'delete', 'remove', 'insert', 'upsert', 'save', 'write', 'send', 'ensure', 'register',
  'reset', 'clear', 'lock', 'claim', 'reserve', 'consume', 'pop', 'next', 'increment', 'generate', 'refresh', 'init',
  'modify', 'acquire', 'allocate', 'enqueue', 'dequeue'
]);

/** The words of an identifier, lower-cased: `getOrCreate_board` → get, or, create, board. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter(Boolean)
    .map(w => w.toLowerCase());
}

/** The name a read call (isReadCall) is made by: `api.getProjects`, `this.listTeams`, `getTeams`. */
function calleeText(n: Node): string {
  const callee = n.callee;
  if (callee.type === 'Identifier') return callee.name;
  const owner =
    callee.object.type === 'Identifier'
      ? `${callee.object.name}.`
      : callee.object.type === 'ThisExpression'
        ? 'this.'
        : '';
  return `${owner}${callee.property.name}`;
}

/**
 * A call its name says only reads: `coreApi.getProjects(…)`, `listTeams(org)`, `connectionProvider()`, or `fetch(url)`
 * with no options (a GET). The name is all there is to go on, so a word in it that writes (`getOrCreate`,
 * `fetchAndLock`, `getNext`) keeps it out.
 */
function isReadCall(n: Node): boolean {
  if (!(n.type === 'CallExpression' || n.type === 'OptionalCallExpression')) return false;
  const name = n.callee.type === 'Identifier' ? n.callee.name : methodCalled(n);
  if (!name) return false;
  if (name === 'fetch') return n.callee.type === 'Identifier' && n.arguments.length === 1;
  const words = wordsOf(name);
  if (words.some(w => WRITING_WORDS.has(w))) return false;
  // `connectionProvider()`, `tokenProvider()`: a function handed in to provide a value (a client, a token) on demand.
  return READ_VERB.test(name) || (words.length > 1 && words.at(-1) === 'provider');
}

/** The method a call invokes by name (`x.trim()`, `x?.filter(…)`), or undefined for any other node. */
function methodCalled(n: Node): string | undefined {
  if (!(n.type === 'CallExpression' || n.type === 'OptionalCallExpression')) return undefined;
  if (!/MemberExpression$/.test(n.callee.type) || n.callee.computed) return undefined;
  return n.callee.property?.name ?? '';
}

/**
 * Global functions and static methods that compute the same value from the same arguments (so not `Math.random`: a
 * question built from it would differ on the retry that answers it).
 */
const PURE_FUNCTIONS =
  /^(String|Number|Boolean|parseInt|parseFloat|isNaN|isFinite|encodeURIComponent|decodeURIComponent)$/;
const PURE_STATICS =
  /^(JSON\.(stringify|parse)|Math\.(?!random$)\w+|Object\.(keys|values|entries)|Array\.isArray|Number\.(isInteger|isFinite|isNaN))$/;

function isPureCall(n: Node): boolean {
  // `String(answer.content?.title)`, `JSON.stringify(args)`: the same value from the same arguments on every round.
  if ((n.type === 'CallExpression' || n.type === 'OptionalCallExpression') && n.callee.type === 'Identifier')
    return PURE_FUNCTIONS.test(n.callee.name);
  const method = methodCalled(n);
  if (method === undefined) return false;
  if (n.callee.object.type === 'Identifier' && PURE_STATICS.test(`${n.callee.object.name}.${method}`)) return true;
  // `/\.md$/i.test(path)`: a regular expression literal without the g or y flag keeps no state between calls.
  const object = n.callee.object;
  const flags: string | undefined = object.type === 'RegExpLiteral' ? object.flags : object.regex?.flags;
  if (flags !== undefined && method === 'test') return !/[gy]/.test(flags);
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

/**
 * How a caller lets more run again: `reads` collects the calls named as reads it accepts (see effectFree), and
 * `answered` holds the requests of the same handler, which the sealed state answers on every later round wherever
 * they sit (so a branch that asked an earlier question runs again to the same end).
 */
export interface Replay {
  reads?: string[];
  answered?: ReadonlySet<Node>;
  /** Functions of the module that only compute a value from their arguments (pureModuleFunctions). */
  pure?: ReadonlySet<string>;
}

export function replayable(statement: Node, locals: Locals, how: Replay = {}): boolean {
  const { reads, pure } = how;
  if (how.answered?.has(statement)) return true;
  // An early exit (`if (!caps?.sampling) return fallback(…)`) runs its branch only on calls that never reach the
  // request: only its test runs on both rounds.
  if (statement.type === 'IfStatement' && !statement.alternate && exits(statement.consequent))
    return effectFree(statement.test, reads, pure);
  // `console.error('Adding todo', title)`: a log line written again on the retry (a new request) harms nothing; so
  // does a span event the logging rewrite made of one (`await mcpLog('info', …)`).
  const logged = statement.type === 'ExpressionStatement' ? unawaited(statement.expression) : undefined;
  if (logged && (isLogCall(logged) || isSpanEvent(logged)))
    return logged.arguments.every((x: Node) => effectFree(x, reads, pure));
  if (statement.type === 'VariableDeclaration') return effectFree(statement, reads, pure);
  return fillsLocals(statement, locals, how);
}

/**
 * `switch (kind) { case 'contact': message = '…'; schema = {…}; break; default: throw new Error(…) }`: branches that
 * only assign the handler's own locals from effect-free values, or throw, run again on the retry to the same end.
 */
function fillsLocals(s: Node, locals: Locals, how: Replay): boolean {
  const { reads, pure } = how;
  const all = (list: Node[]) => list.every(x => fillsLocals(x, locals, how));
  switch (s.type) {
    // A block's statements each as the function's own would be: early exits and log lines too.
    case 'BlockStatement':
      return s.body.every((x: Node) => replayable(x, locals, how));
    case 'IfStatement':
      return (
        effectFree(s.test, reads, pure) &&
        fillsLocals(s.consequent, locals, how) &&
        (!s.alternate || fillsLocals(s.alternate, locals, how))
      );
    case 'SwitchStatement':
      return (
        effectFree(s.discriminant, reads, pure) &&
        s.cases.every((c: Node) => (!c.test || effectFree(c.test, reads, pure)) && all(c.consequent))
      );
    // `for (const field of missing) properties[field.key] = { … }`: a loop over an effect-free value filling locals.
    case 'ForOfStatement':
      return (
        s.left.type === 'VariableDeclaration' &&
        s.left.declarations.every((d: Node) => d.id.type === 'Identifier') &&
        effectFree(s.right, reads, pure) &&
        fillsLocals(s.body, locals, how)
      );
    case 'BreakStatement':
      return !s.label;
    case 'ThrowStatement':
      return effectFree(s.argument, reads, pure);
    case 'ExpressionStatement': {
      const e = s.expression;
      // `options.push({ … })` onto an array the function made itself.
      if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression' && !e.callee.computed)
        return (
          e.callee.object.type === 'Identifier' &&
          locals.fresh.has(e.callee.object.name) &&
          /^(push|unshift)$/.test(e.callee.property.name) &&
          e.arguments.every((x: Node) => effectFree(x, reads, pure))
        );
      if (e.type !== 'AssignmentExpression' || !effectFree(e.right, reads, pure)) return false;
      if (e.left.type === 'Identifier') return locals.all.has(e.left.name);
      // A member of a literal the function made itself (`properties[key] = …`).
      return (
        e.left.type === 'MemberExpression' &&
        e.left.object.type === 'Identifier' &&
        locals.fresh.has(e.left.object.name) &&
        (!e.left.computed || effectFree(e.left.property, reads, pure))
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

/**
 * Does evaluating `node` leave nothing behind? With `reads`, calls named as reads count as leaving nothing too (awaited
 * or not), and their names are added to it.
 */
export function effectFree(node: Node, reads?: string[], pure?: ReadonlySet<string>): boolean {
  let clean = true;
  const visit = (n: Node) => {
    if (!clean || !n || typeof n.type !== 'string') return;
    // `ensureMdExtension(path)`: a function of the module that only returns a value computed from its arguments.
    if (pure && n.type === 'CallExpression' && n.callee.type === 'Identifier' && pure.has(n.callee.name)) {
      n.arguments.forEach(visit);
      return;
    }
    if (isPureCall(n)) {
      visit(n.callee.object);
      n.arguments.forEach(visit);
      return;
    }
    if (reads && n.type === 'AwaitExpression' && isReadCall(n.argument)) {
      visit(n.argument);
      return;
    }
    if (reads && isReadCall(n)) {
      visit(n.callee.type === 'Identifier' ? undefined : n.callee.object);
      n.arguments.forEach(visit);
      // Named in the order they run: the receiver's and the arguments' reads first.
      const name = calleeText(n);
      if (!reads.includes(name)) reads.push(name);
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
    // A function made here is a value: what it does runs where it is called, and each call is judged there. Called
    // where it is made (`(() => { … })()`), its body runs now, unread.
    if (/CallExpression$/.test(n.type) && isFunction(n.callee)) {
      clean = false;
      return;
    }
    if (isFunction(n)) return;
    if (EFFECTS.has(n.type)) {
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

/** Does everything `runsBefore` found run again to the same end? `how` as replayable takes it. */
export function replaysCleanly(before: { statements: Node[]; tests: Node[] }, how: Replay = {}): boolean {
  const locals = localsOf(before.statements);
  return (
    before.tests.every(t => effectFree(t, how.reads, how.pure)) &&
    before.statements.every(s => replayable(s, locals, how))
  );
}

function unawaited(e: Node): Node {
  return e?.type === 'AwaitExpression' ? e.argument : e;
}

/**
 * The module's functions that only compute a value from their arguments: a function declaration or a `const` arrow at
 * the top level (exported or not, not async), whose body is one effect-free returned expression. Calling one again on
 * the retry gives the same value and leaves nothing behind.
 */
function pureModuleFunctions(program: Node): Set<string> {
  const pure = new Set<string>();
  const returned = (fn: Node): Node | undefined => {
    if (fn.async || fn.generator) return undefined;
    if (fn.body.type !== 'BlockStatement') return fn.body;
    const [only, ...rest] = fn.body.body;
    return !rest.length && only?.type === 'ReturnStatement' ? only.argument : undefined;
  };
  const consider = (name: string | undefined, fn: Node) => {
    const value = fn && isFunction(fn) ? returned(fn) : undefined;
    if (name && value && effectFree(value)) pure.add(name);
  };
  for (const top of program?.body ?? []) {
    const s = /^Export(Named|Default)Declaration$/.test(top.type) ? top.declaration : top;
    if (s?.type === 'FunctionDeclaration') consider(s.id?.name, s);
    else if (s?.type === 'VariableDeclaration' && s.kind === 'const')
      for (const d of s.declarations) if (d.id.type === 'Identifier') consider(d.id.name, d.init);
  }
  return pure;
}

const pureByProgram = new WeakMap<Node, Set<string>>();

/** pureModuleFunctions of the module `p` is in (or of the file `p` is), read once per module. */
export function pureFunctionsAround(p: ASTPath<any>): Set<string> {
  let cur: ASTPath<any> | null = p;
  while (cur && cur.node.type !== 'Program' && cur.node.type !== 'File') cur = cur.parent;
  const program = cur?.node.type === 'File' ? cur.node.program : cur?.node;
  if (!program) return new Set();
  let pure = pureByProgram.get(program);
  if (!pure) pureByProgram.set(program, (pure = pureModuleFunctions(program)));
  return pure;
}
