/**
 * `new Proxy(server, { get(target, prop) { if (prop === 'tool') return function (...args) { … } } })`: middleware
 * that intercepts the removed registration method (a check before every tool call, say). The registrations become
 * `registerTool(name, config, callback)`, which such a trap does not see, so the middleware would stop running without
 * a word. A trap that takes the arguments apart as `const [name, …, handler] = args` and hands the ones between on
 * untouched to the method it saved (`const originalTool = server.tool`) is moved onto `registerTool`: it tests for
 * that name, takes `[name, config, handler]` and hands `config` on in their place. Any other trap is marked.
 */
import type { ASTPath } from 'jscodeshift';
import { isStringLiteral, isValueReference, propertyKey, referencesOf, uncast } from '../kit/ast.js';
import { LEGACY, registerOf } from './registration-shapes.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;
type Reads = (name: string) => ASTPath<any>[];

/** Rewrites or marks the traps; returns the saved method reads (`server.tool`) the rewritten traps now read. */
export function proxyTraps(ctx: SurfaceContext, receiverName: (n: Node) => string): Set<Node> {
  const { j, root } = ctx;
  const retargeted = new Set<Node>();
  root.find(j.NewExpression, { callee: { type: 'Identifier', name: 'Proxy' } }).forEach((p: ASTPath<any>) => {
    const [target, handler] = p.node.arguments;
    // A proxy over a server (`new Proxy(server, …)`, `this.mcpServer`), not over any object with a `tool` key.
    if (handler?.type !== 'ObjectExpression' || !/server|^mcp/i.test(receiverName(target))) return;
    const trap = handler.properties.find((prop: Node) => propertyKey(prop) === 'get');
    if (!trap) return;
    j(trap)
      .find(j.Node)
      .filter((t: ASTPath<any>) => legacyNameTested(t.node) !== undefined)
      .forEach((t: ASTPath<any>) => {
        const kind = legacyNameTested(t.node)!;
        const saved = retargetTrap(ctx, t, kind);
        if (saved) {
          retargeted.add(saved);
          return;
        }
        ctx.mark(
          t,
          'TODO',
          'legacy-registration',
          `this trap intercepts the ${kind} method, which v2's McpServer no longer has; the registrations now call ` +
            `${registerOf(kind)}(name, config, callback), which it lets through: trap '${registerOf(kind)}' instead`
        );
      });
  });
  return retargeted;
}

/** `prop === 'tool'` (either side, `==` too) or `case 'tool':`: the removed method name it tests for. */
function legacyNameTested(n: Node): string | undefined {
  const literal = (x: Node) => (isStringLiteral(x) && LEGACY.has(x.value) ? (x.value as string) : undefined);
  if (n.type === 'BinaryExpression' && /^[!=]==?$/.test(n.operator)) return literal(n.left) ?? literal(n.right);
  if (n.type === 'SwitchCase') return literal(n.test);
  return undefined;
}

/**
 * The edits moving one trap onto the registration method, when it has the shape above: the saved read they make it
 * read (`server.tool`, now `server.registerTool`), or undefined (nothing edited).
 */
function retargetTrap(ctx: SurfaceContext, test: ASTPath<any>, kind: string): Node | undefined {
  const { j } = ctx;
  const literal = [test.node.left, test.node.right, test.node.test].find(x => isStringLiteral(x) && x.value === kind);
  const branch =
    test.parent?.node.type === 'IfStatement' && test.parent.node.test === test.node ? test.parent : undefined;
  if (!literal || !branch || test.node.operator?.startsWith('!')) return undefined;
  const returned = onlyReturn(branch.node.consequent);
  const fn = returned && /^(?:FunctionExpression|ArrowFunctionExpression)$/.test(returned.type) ? returned : undefined;
  const last = fn?.params.at(-1);
  const rest = last?.type === 'RestElement' ? last.argument : undefined;
  if (rest?.type !== 'Identifier' || fn.body.type !== 'BlockStatement') return undefined;
  const fnPath = j(branch)
    .find(j.Function)
    .filter((f: ASTPath<any>) => f.node === fn)
    .paths()[0] as ASTPath<any>;
  // Reads of the function's own variable of that name (an inner callback's `args` parameter is another).
  const reads: Reads = name =>
    j(fnPath)
      .find(j.Identifier, { name })
      .filter(
        (u: ASTPath<any>) =>
          isValueReference(u) &&
          !/^(?:RestElement|ArrayPattern)$/.test(u.parent.node.type) &&
          u.scope?.lookup(name)?.path?.node === fn
      )
      .paths();
  const quote = ctx.src[literal.start];
  const registration = registerOf(kind);
  const retest = { start: literal.start, end: literal.end, text: `${quote}${registration}${quote}` };
  // `(name, ...rest) => { const handler = rest.pop(); … method(name, ...rest, wrapped) }`: the callback is the last
  // argument whatever the method, so only the name it tests for changes (and the method it saved, if it saved one).
  const agnostic = callbackLastOnly(ctx, fn, reads(rest.name), kind);
  if (agnostic) {
    const saved = agnostic.saved ? savedRead(ctx, agnostic.saved, kind) : undefined;
    if (agnostic.saved && !saved) return undefined;
    ctx.edits.push(retest);
    if (saved) ctx.edits.push({ start: saved.property.start, end: saved.property.end, text: registration });
    return saved ?? literal;
  }
  // A TypeScript `this` parameter declares a type, not an argument.
  if (fn.params.filter((x: Node) => !(x.type === 'Identifier' && x.name === 'this')).length !== 1) return undefined;
  // `const [name, description, schema, annotations, handler] = args`, the only use of `args`.
  const [split, ...others] = j(fn.body)
    .find(j.VariableDeclarator, { id: { type: 'ArrayPattern' }, init: { type: 'Identifier', name: rest.name } })
    .paths();
  const names: Node[] = (split?.node.id as Node)?.elements ?? [];
  if (!split || others.length || names.length < 3 || names.some(n => n?.type !== 'Identifier')) return undefined;
  if (reads(rest.name).length !== 1) return undefined;
  const between: Node[] = names.slice(1, -1);
  // Those between the name and the handler go, as they came, into one call of the saved method.
  const call = passThroughCall(ctx, fn.body, names, between, reads);
  if (!call) return undefined;
  const saved = savedRead(ctx, call.callee, kind);
  if (!saved) return undefined;
  const config = ['config', 'options', 'definition'].find(n => j(fn).find(j.Identifier, { name: n }).size() === 0);
  if (!config) return undefined;
  ctx.edits.push(
    retest,
    { start: between[0].start, end: between[between.length - 1].end, text: config },
    { start: call.passed[0].start, end: call.passed[call.passed.length - 1].end, text: config },
    { start: saved.property.start, end: saved.property.end, text: registration }
  );
  return saved;
}

/**
 * The trap's function reads its rest arguments only as a whole or for their last one (`rest.pop()`, `...rest`,
 * `rest.slice(0, -1)`, `rest.at(-1)`, `rest[rest.length - 1]`), and calls the method through the trapped name
 * (`Reflect.get(target, prop)`, `target[prop]`) or a saved method (`originalTool(…)`, `originalTool.call(…)`): the
 * saved method's name, if that.
 */
function callbackLastOnly(
  ctx: SurfaceContext,
  fn: Node,
  restReads: ASTPath<any>[],
  kind: string
): { saved?: Node } | undefined {
  const { j } = ctx;
  const rest = fn.params.at(-1).argument.name;
  const lastOnly = restReads.every((u: ASTPath<any>) => {
    const parent = u.parent.node;
    if (parent.type === 'SpreadElement') return true;
    if (parent.type !== 'MemberExpression' || parent.object !== u.node) return false;
    const member = parent.computed ? undefined : parent.property?.name;
    const call = u.parent.parent?.node;
    const args = call?.type === 'CallExpression' && call.callee === parent ? call.arguments : undefined;
    if (member === 'pop') return args?.length === 0;
    if (member === 'at') return args?.length === 1 && isMinusOne(args[0]);
    if (member === 'slice') return args?.length === 2 && args[0].value === 0 && isMinusOne(args[1]);
    // `rest.length` only as the index of its last element, read below.
    if (member === 'length') {
      const minus = u.parent.parent?.node;
      const element = u.parent.parent?.parent?.node;
      return (
        minus?.type === 'BinaryExpression' &&
        element?.computed &&
        element.property === minus &&
        element.object.name === rest
      );
    }
    // `rest[rest.length - 1]`
    const index = parent.computed ? parent.property : undefined;
    return (
      index?.type === 'BinaryExpression' &&
      index.operator === '-' &&
      index.right.value === 1 &&
      index.left.type === 'MemberExpression' &&
      index.left.object.name === rest &&
      index.left.property?.name === 'length'
    );
  });
  if (!lastOnly) return undefined;
  // The method it calls: one read through the trapped name, or one it saved before.
  const throughName = j(fn.body)
    .find(j.CallExpression, {
      callee: { type: 'MemberExpression', object: { name: 'Reflect' }, property: { name: 'get' } }
    })
    .size();
  if (throughName) return {};
  const saved = j(fn.body)
    .find(j.CallExpression)
    .nodes()
    .map((c: Node) =>
      c.callee.type === 'MemberExpression' && /^(?:call|apply)$/.test(c.callee.property?.name)
        ? c.callee.object
        : c.callee
    )
    .find((callee: Node) => callee.type === 'Identifier' && savedRead(ctx, callee, kind) !== undefined);
  return saved ? { saved } : undefined;
}

function isMinusOne(n: Node): boolean {
  return n?.type === 'UnaryExpression' && n.operator === '-' && n.argument?.value === 1;
}

/** The one statement of a branch, when it is `return <value>` (braced or not). */
function onlyReturn(branch: Node): Node | undefined {
  const statements = branch?.type === 'BlockStatement' ? branch.body : [branch];
  return statements.length === 1 && statements[0]?.type === 'ReturnStatement' ? statements[0].argument : undefined;
}

/**
 * The call handing the split arguments on: `saved.call(this, name, a, b, c, wrapped)` or `saved(name, a, b, c,
 * wrapped)`, where the ones between name and handler appear in order, once, and nowhere else in the trap.
 */
function passThroughCall(
  ctx: SurfaceContext,
  body: Node,
  names: Node[],
  between: Node[],
  reads: Reads
): { callee: Node; passed: Node[] } | undefined {
  const { j } = ctx;
  const wanted = between.map(n => n.name as string);
  let found: { callee: Node; passed: Node[] } | undefined;
  let calls = 0;
  j(body)
    .find(j.CallExpression)
    .forEach((p: ASTPath<any>) => {
      const c = p.node;
      const viaCall = c.callee.type === 'MemberExpression' && c.callee.property?.name === 'call';
      const callee = uncast(viaCall ? c.callee.object : c.callee);
      const args: Node[] = viaCall ? c.arguments.slice(1) : c.arguments;
      const at = args.findIndex(a => a.type === 'Identifier' && a.name === wanted[0]);
      if (at < 0) return;
      calls++;
      const passed = args.slice(at, at + wanted.length);
      const inOrder =
        passed.length === wanted.length && passed.every((a, i) => a.type === 'Identifier' && a.name === wanted[i]);
      const rest = args.length === at + wanted.length + 1 && at === 1 && args[0].type === 'Identifier';
      if (inOrder && rest && args[0].name === names[0].name) found = { callee, passed };
    });
  if (calls !== 1 || !found) return undefined;
  // Read nowhere but in that call (and their own declaration).
  for (const n of wanted) if (reads(n).length !== 1) return undefined;
  return found;
}

/** `originalTool`, declared `const originalTool = server.tool` (maybe `.bind(server)`) and read once: that `server.tool`. */
function savedRead(ctx: SurfaceContext, callee: Node, kind: string): Node | undefined {
  const { j, root } = ctx;
  if (callee?.type !== 'Identifier') return undefined;
  const declarators = root.find(j.VariableDeclarator, { id: { type: 'Identifier', name: callee.name } }).paths();
  if (declarators.length !== 1) return undefined;
  const declarator = declarators[0]!;
  let init = uncast(declarator.node.init);
  if (
    init?.type === 'CallExpression' &&
    init.callee.type === 'MemberExpression' &&
    init.callee.property?.name === 'bind'
  )
    init = init.callee.object;
  if (init?.type !== 'MemberExpression' || init.computed || init.property?.name !== kind) return undefined;
  const uses = referencesOf(j, root, callee.name, declarator.scope?.lookup(callee.name)).filter(
    u => u.node !== declarator.node.id
  );
  return uses.length === 1 && uses[0]!.node === callee ? init : undefined;
}
