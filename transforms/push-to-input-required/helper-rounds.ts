/**
 * A helper that asks the client for the tools that call it (`pickProject(server, projects)` awaiting
 * `server.server.elicitInput(…)`). On 2026-07-28 only a tool can ask, by returning an input_required result, so the
 * helper returns that result where it awaited the answer, and every tool that calls it returns it on: the helper takes
 * the tool's context as a new last parameter (the answer comes back in ctx.mcpReq.inputResponses on the retry), and
 * each call site forwards what it gets (`if (isInputRequiredResult(project)) return project;`). A value rather than a
 * thrown signal, so no `catch` on the way can swallow it.
 *
 * Done only where the retry reaches the same question the same way: the code before the question (in the helper, and
 * in the tool before the call) is safe to run again, the tool asks nothing else (or only through other helpers the
 * plan has ask in rounds: helper-plan.ts), and every reference to the helper is such a call. A helper other modules
 * import is done only when the run's plan pairs it with all its callers (see helper-plan.ts).
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { enclosingFunction, encloses, moduleLevelFunction, statementPathOf } from '../kit/ast.js';
import type { ToolRegistration } from '../kit/tool-registrations.js';
import type { TextEdit } from '../kit/text-edits.js';
import { pureFunctionsAround, replaysCleanly, runsBefore } from './replay-safety.js';
import { someNode } from '../kit/raw-walk.js';
import { methodReferences, ownMethodAround } from '../kit/own-methods.js';

type Node = any;

export interface AskingHelper {
  fn: Node;
  name: string;
  exported: boolean;
  /** A method of the class, called as `this.name(…)`: its references are those member calls. */
  method?: boolean;
  /** Calls named as reads the helper makes before its question, again on the retry (replay-safety.ts). */
  reads: string[];
}

/** How the awaited value is taken: declared (`const x = await …`), assigned (`x = await …`) or dropped. */
export type AwaitForm = 'declare' | 'assign' | 'expression' | 'return' | 'condition';

/** The function asking at `call` when it is a helper that can hand its question back to its callers, or why not. */
export function askingHelper(j: JSCodeshift, call: ASTPath<any>, pushesInFile: ASTPath<any>[]): AskingHelper | string {
  const method = () => {
    const own = ownMethodAround(j, call);
    return own && { ...own, exported: false, method: true };
  };
  const helper = moduleLevelFunction(call) ?? method();
  if (!helper || enclosingFunction(call) !== helper.fn)
    return 'the request is in a nested function or a method other code may call, not a helper of its own the tools call';
  if (!helper.fn.async) return 'the helper is not an async function';
  if (pushesInFile.filter(p => encloses(helper.fn, p.node)).length > 1) return 'the helper makes several requests';
  if (helper.fn.params.some((p: Node) => p.type === 'RestElement'))
    return 'the helper takes a rest parameter, so the context cannot follow it';
  // The context goes after every parameter: a defaulted one (`p = 300`) takes a required one after it, an optional
  // one (`p?: T`) becomes `p: T | undefined` (optionalParameterEdits); either way the calls that leave it out pass
  // `undefined` for it, which is what the helper got before. Only a simple name can lose its `?`.
  if (helper.fn.params.some((p: Node) => p.optional && p.type !== 'Identifier'))
    return 'the helper has optional parameters, so the context cannot follow them';
  if (j(helper.fn).find(j.Identifier, { name: 'ctx' }).length > 0) return 'the helper already uses the name `ctx`';
  if (helper.fn.body.type !== 'BlockStatement') return 'the helper has an expression body';
  const form = awaitForm(call);
  if (!form || form === 'return' || form === 'condition')
    return 'the awaited result is used inside a larger expression';
  const before = runsBefore(statementPathOf(call), helper.fn.body);
  if (typeof before === 'string') return `the request in the helper ${before.replace(/^it /, '')}`;
  const reads: string[] = [];
  if (!replaysCleanly(before, { reads, pure: pureFunctionsAround(call) }))
    return 'code before the request in the helper does work that would run again on the retry';
  return { ...helper, reads };
}

/** `const x = await f()`, `x = await f()`, `await f()` or `return await f()` / `return f()`, as a statement. */
export function awaitForm(call: ASTPath<any>): AwaitForm | undefined {
  const parent = call.parent?.node;
  const awaited = parent?.type === 'AwaitExpression' ? parent : undefined;
  const value = awaited ?? call.node;
  const statement = statementPathOf(call).node;
  if (statement.type === 'ReturnStatement' && statement.argument === value) return 'return';
  if (!awaited) return undefined;
  if (
    statement.type === 'VariableDeclaration' &&
    statement.declarations.length === 1 &&
    statement.declarations[0].init === awaited &&
    statement.declarations[0].id.type === 'Identifier'
  )
    return 'declare';
  if (statement.type === 'IfStatement' && evaluatedFirst(call.parent, statement.test)) return 'condition';
  if (statement.type !== 'ExpressionStatement') return undefined;
  if (statement.expression === awaited) return 'expression';
  const e = statement.expression;
  return e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'Identifier' && e.right === awaited
    ? 'assign'
    : undefined;
}

/**
 * `if (!(await confirm(…)))`, `if ((await pick(…)) === 'x')`: the awaited call is the first thing its `if` test
 * evaluates, so it can be awaited in a statement of its own just before the `if` with nothing reordered.
 */
function evaluatedFirst(awaited: ASTPath<any>, test: Node): boolean {
  for (let cur = awaited; cur.node !== test; cur = cur.parent) {
    const parent = cur.parent?.node;
    if (!parent) return false;
    const first =
      (parent.type === 'UnaryExpression' && parent.operator === '!') ||
      parent.type === 'ParenthesizedExpression' ||
      (/^(?:Binary|Logical)Expression$/.test(parent.type) && parent.left === cur.node);
    if (!first) return false;
  }
  return true;
}

export interface ForwardingCall {
  call: ASTPath<any>;
  tool: ToolRegistration;
  form: AwaitForm;
  /** Calls named as reads the tool makes before it, again on the retry (replay-safety.ts). */
  reads: string[];
  /** The answer goes into a typed variable, so it is held and checked before it is taken. */
  held: boolean;
  /** Defaulted or optional parameters the call leaves out: each gets `undefined` before the context. */
  omitted: number;
}

/** A helper's parameters, and how many of them a call must pass: those before its first default or optional one. */
export function arityOf(fn: Node): { all: number; required: number } {
  const first = fn.params.findIndex((p: Node) => p.type === 'AssignmentPattern' || p.optional);
  return { all: fn.params.length, required: first < 0 ? fn.params.length : first };
}

/**
 * `p?: T` → `p: T | undefined` (and a bare `p?` → `p`), so the context can follow it: every call of the helper passes
 * all its parameters once forwarded, `undefined` where it left one out.
 */
export function optionalParameterEdits(src: string, fn: Node): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const p of fn.params as Node[]) {
    if (!p.optional || p.type !== 'Identifier') continue;
    const mark = src.indexOf('?', p.start + p.name.length);
    if (mark < 0 || mark >= p.end) continue;
    edits.push({ start: mark, end: mark + 1, text: '' });
    const type = p.typeAnnotation?.typeAnnotation;
    if (!type) continue;
    // `() => void | undefined` would read as a function returning either: such a type goes in parentheses.
    const bare =
      /^TS(?:TypeReference|\w+Keyword|ArrayType|LiteralType|TypeLiteral|TupleType|UnionType|IndexedAccessType|TypeQuery)$/;
    if (bare.test(type.type)) edits.push({ start: type.end, end: type.end, text: ' | undefined' });
    else
      edits.push(
        { start: type.start, end: type.start, text: '(' },
        { start: type.end, end: type.end, text: ') | undefined' }
      );
  }
  return edits;
}

/**
 * The calls of the asking helper `name` (every reference to it in the file), each in a tool that can forward what it
 * returns; or why they cannot. `asksOwn(tool)` says whether the tool asks something itself.
 */
export function forwardingCalls(
  j: JSCodeshift,
  root: any,
  name: string,
  arity: { all: number; required: number },
  tools: ToolRegistration[],
  asksOwn: (tool: ToolRegistration) => boolean,
  typed: boolean,
  method = false,
  peers: ReadonlySet<string> = new Set()
): ForwardingCall[] | string {
  // A method's references are `this.confirm`, and any other object's `.confirm(…)` call, which may be this method
  // called on an instance: then not every call is known to be a tool's. A data read (`answer.content.confirm`) is not.
  const references = method
    ? methodReferences(j, root, name)
    : root.find(j.Identifier, { name }).filter(isReference).paths();
  const out: ForwardingCall[] = [];
  for (const r of references) {
    if (method && r.node.object.type !== 'ThisExpression') return `\`.${name}\` is also named on another object`;
    const call = r.parent;
    if (call?.node.type !== 'CallExpression' || call.node.callee !== r.node)
      return `\`${name}\` is also used as a value, not only called`;
    const passed = call.node.arguments.length;
    if (
      passed > arity.all ||
      passed < arity.required ||
      call.node.arguments.some((a: Node) => a.type === 'SpreadElement')
    )
      return `a call of \`${name}\` does not pass every parameter, so the context cannot be added after them`;
    const fn = enclosingFunction(call);
    const tool = tools.find(t => t.callback === fn);
    if (!tool) return `\`${name}\` is called outside a tool handler, where there is no request to ask in`;
    if (out.some(o => o.tool === tool && !exclusive(o.call, call, tool.callback)) || asksOwn(tool))
      return 'a tool calling it asks the client something else too (several rounds: ask them in the tool by hand)';
    const form = awaitForm(call);
    if (!form) return `a call of \`${name}\` uses the answer inside a larger expression`;
    if (tool.callback.body.type !== 'BlockStatement') return `a tool calls \`${name}\` from an expression body`;
    const before = runsBefore(statementPathOf(call), tool.callback.body);
    if (typeof before === 'string') return `a call of \`${name}\` ${before.replace(/^it /, '')}`;
    const reads: string[] = [];
    // Another helper asking in the same rounds before this one answers from the sealed state on the retry.
    const answered = new Set<Node>(
      peers.size
        ? j(tool.callback.body)
            .find(j.CallExpression, { callee: { type: 'Identifier' } })
            .filter((c: ASTPath<any>) => peers.has(c.node.callee.name) && c.node !== call.node)
            .paths()
            .map((c: ASTPath<any>) => statementPathOf(c).node)
        : []
    );
    if (!replaysCleanly(before, { reads, answered, pure: pureFunctionsAround(call) }))
      return `a tool does work before calling \`${name}\` that would run again on the retry`;
    // `const x: T = await helper()` / `x = await helper()` with `let x: T` (any assignment, in TypeScript: the type is
    // declared elsewhere): T does not admit the question, so the answer is held in a variable of its own first.
    const held = typed && (form === 'assign' || !!statementPathOf(call).node.declarations?.[0]?.id.typeAnnotation);
    out.push({ call, tool, form, reads, held, omitted: arity.all - passed });
  }
  return out;
}

/**
 * Do two calls never run in the same call of the tool? So when they sit in the branches of `if (action === 'list')`
 * and `if (action === 'create')`: one argument of the tool, which it never assigns, tested against two strings.
 */
function exclusive(a: ASTPath<any>, b: ASTPath<any>, callback: Node): boolean {
  const tested = (p: ASTPath<any>): Map<string, unknown> => {
    const out = new Map<string, unknown>();
    for (let cur: ASTPath<any> | null = p; cur && cur.node !== callback; cur = cur.parent) {
      const parent = cur.parent?.node;
      const test = parent?.type === 'IfStatement' && parent.consequent === cur.node ? parent.test : undefined;
      if (test?.type !== 'BinaryExpression' || !/^===?$/.test(test.operator)) continue;
      const [id, literal] = test.left.type === 'Identifier' ? [test.left, test.right] : [test.right, test.left];
      if (id.type === 'Identifier' && /Literal$/.test(literal.type) && typeof literal.value === 'string')
        out.set(id.name, literal.value);
    }
    return out;
  };
  const params = new Set<string>();
  for (const param of callback.params as Node[]) {
    if (param.type === 'Identifier') params.add(param.name);
    if (param.type === 'ObjectPattern')
      for (const prop of param.properties as Node[]) if (prop.value?.type === 'Identifier') params.add(prop.value.name);
  }
  const assigned = (name: string) =>
    someNode(
      callback.body,
      (n: Node) =>
        (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === name) ||
        (n.type === 'UpdateExpression' && n.argument.type === 'Identifier' && n.argument.name === name)
    );
  const inB = tested(b);
  for (const [name, value] of tested(a))
    if (params.has(name) && inB.has(name) && inB.get(name) !== value && !assigned(name)) return true;
  return false;
}

/** A reference to a binding: not a property name, an object key or a declaration's own name. */
function isReference(r: ASTPath<any>): boolean {
  const parent = r.parent?.node;
  if (!parent) return true;
  if (/MemberExpression$/.test(parent.type) && parent.property === r.node && !parent.computed) return false;
  if (/^(Object)?Property$/.test(parent.type) && parent.key === r.node && !parent.computed && !parent.shorthand)
    return false;
  if (/^(ImportSpecifier|ImportDefaultSpecifier|ImportNamespaceSpecifier)$/.test(parent.type)) return false;
  if (/^(VariableDeclarator|FunctionDeclaration)$/.test(parent.type) && parent.id === r.node) return false;
  return true;
}

/** `f(a, b)` → `f(a, b, ctx)`; `f()` → `f(ctx)`. */
export function argumentAppend(src: string, call: Node, text: string): TextEdit {
  const last = call.arguments[call.arguments.length - 1];
  if (last) return { start: last.end, end: last.end, text: `, ${text}` };
  const open = src.indexOf('(', (call.typeParameters ?? call.typeArguments ?? call.callee).end) + 1;
  return { start: open, end: open, text };
}

/** A new last parameter: after the last one (its type annotation included), or alone in empty parentheses. */
export function parameterAppend(src: string, fn: Node, text: string): TextEdit {
  const last = fn.params[fn.params.length - 1];
  if (last) {
    const end = Math.max(last.end, last.typeAnnotation?.end ?? 0);
    return { start: end, end, text: `, ${text}` };
  }
  const open = src.indexOf('(', (fn.typeParameters ?? fn.id ?? { end: fn.start }).end) + 1;
  return { start: open, end: open, text };
}
