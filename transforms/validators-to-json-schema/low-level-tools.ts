/**
 * The shape of a low-level tool server, read from its AST: the `tools/list` and `tools/call` handlers
 * (`setRequestHandler('tools/list', …)`, or the v1 `ListToolsRequestSchema` / `CallToolRequestSchema` forms), the
 * expression `tools/list` answers with, the input schema literal of each tool it lists, and, inside `tools/call`,
 * the branch of the `switch (name)` / `if (name === '…')` that serves each tool.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { functionsByName, handlerFunction, isFunction, moduleConstants, propertyKey, uncast } from '../kit/ast.js';
import { objectLiteral } from './json-schema-2020.js';

type Node = any;

export interface LowLevelTools {
  list: ASTPath<any>;
  call: ASTPath<any>;
  /** The `tools/call` handler function. */
  callHandler: Node;
  /** Later `tools/call` handlers of the file (one registered again in `main()` replaces the first): each checks too. */
  laterCallHandlers: Node[];
  /** What `tools/list` answers `tools` with, when it answers one expression. */
  toolsExpression?: Node;
}

export interface ToolBranch {
  tool: string;
  /** The statements that serve the tool (a case's statements, or the block of an `if`). */
  statements: Node[];
  /** A function the branch delegates to (delegated-branches.ts): the name its arguments have there. */
  args?: Set<string>;
  /** …and the type its parameter declares, by name. */
  typed?: Map<string, string>;
}

const METHODS: Record<string, string> = { ListToolsRequestSchema: 'tools/list', CallToolRequestSchema: 'tools/call' };

export function lowLevelTools(j: JSCodeshift, root: Collection<any>): LowLevelTools | undefined {
  const named = functionsByName(j, root);
  const found: Record<string, { path: ASTPath<any>; fn: Node }> = {};
  const later: Node[] = [];
  let lists = 0;
  root.find(j.CallExpression, { callee: { property: { name: 'setRequestHandler' } } }).forEach((p: ASTPath<any>) => {
    const [method, handler] = p.node.arguments;
    const name = method?.type === 'Identifier' ? METHODS[method.name] : method?.value;
    // `withTelemetry(async request => …)`: the function a wrapper is given is the handler that runs.
    const wrapped = handler?.type === 'CallExpression' ? handler.arguments.filter((a: Node) => isFunction(a)) : [];
    const fn = handlerFunction(handler, named) ?? (wrapped.length === 1 ? wrapped[0] : undefined);
    if (name === 'tools/list') lists++;
    if ((name === 'tools/list' || name === 'tools/call') && fn && !found[name]) found[name] = { path: p, fn };
    else if (name === 'tools/call' && fn && fn !== found[name]?.fn) later.push(fn);
  });
  const list = found['tools/list'];
  const call = found['tools/call'];
  if (!list || !call) return undefined;
  return {
    list: list.path,
    call: call.path,
    callHandler: call.fn,
    // Two lists may be two servers with tools of their own: a later handler may not serve the first one's.
    laterCallHandlers: lists === 1 ? later : [],
    toolsExpression: listedTools(j, list.fn)
  };
}

/** `async () => ({ tools: X })` or a body whose only return is `{ tools: X }`: X. */
function listedTools(j: JSCodeshift, fn: Node): Node | undefined {
  let result: Node;
  if (fn.body.type !== 'BlockStatement') result = fn.body;
  else {
    const returns = fn.body.body.filter((s: Node) => s.type === 'ReturnStatement');
    if (returns.length !== 1) return undefined;
    result = returns[0].argument;
  }
  const obj = objectLiteral(result);
  const prop = obj?.properties.find(
    (p: Node) => propertyKey(p) === 'tools' || (p.shorthand && p.key?.name === 'tools')
  );
  return localListInit(j, fn, prop?.value) ?? prop?.value;
}

/**
 * `const tools = [ … ]; return { tools };` in the handler: the list is what the const is built from, when the
 * handler names it nowhere else (nothing pushes to it or filters it first).
 */
function localListInit(j: JSCodeshift, fn: Node, value: Node): Node | undefined {
  if (value?.type !== 'Identifier' || fn.body.type !== 'BlockStatement') return undefined;
  const declaration = fn.body.body.find(
    (s: Node) =>
      s.type === 'VariableDeclaration' &&
      s.kind === 'const' &&
      s.declarations.length === 1 &&
      s.declarations[0].id.type === 'Identifier' &&
      s.declarations[0].id.name === value.name
  );
  const init = declaration?.declarations[0].init;
  if (init?.type !== 'ArrayExpression') return undefined;
  const mentions = j(fn.body).find(j.Identifier, { name: value.name }).size();
  // The declaration's name, and the shorthand `{ tools }` (key and value are one node) or `tools: tools`.
  return mentions <= 3 ? init : undefined;
}

/**
 * The tool object literals an expression lists: `[A, B, { … }]`, an array constant, `Object.values(TOOLS)` of an
 * object constant; each with its name and its input schema literal (inline or a module constant). Undefined when
 * any element cannot be read.
 */
export function listedToolLiterals(
  program: Node,
  expr: Node
): { name: string; tool: Node; schema?: Node; schemaName?: string }[] | undefined {
  const consts = moduleConstants(program);
  const resolve = (n: Node): Node => (n?.type === 'Identifier' && consts.has(n.name) ? consts.get(n.name) : n);
  let list = uncast(resolve(expr));
  if (list?.type === 'CallExpression' && calleeIs(list.callee, 'Object', 'values') && list.arguments.length === 1) {
    const obj = objectLiteral(resolve(list.arguments[0]));
    list = obj ? { type: 'ArrayExpression', elements: obj.properties.map((p: Node) => p.value) } : undefined;
  }
  if (list?.type !== 'ArrayExpression') return undefined;
  const out: { name: string; tool: Node; schema?: Node; schemaName?: string }[] = [];
  for (const element of list.elements) {
    const tool = objectLiteral(resolve(element));
    const name = tool?.properties.find((p: Node) => propertyKey(p) === 'name')?.value;
    if (!tool || typeof name?.value !== 'string') return undefined;
    const schemaValue = tool.properties.find((p: Node) => propertyKey(p) === 'inputSchema')?.value;
    out.push({
      name: name.value,
      tool,
      schema: objectLiteral(resolve(schemaValue)),
      schemaName: schemaValue?.type === 'Identifier' ? schemaValue.name : undefined
    });
  }
  return out;
}

function calleeIs(c: Node, object: string, property: string): boolean {
  return c?.type === 'MemberExpression' && c.object?.name === object && c.property?.name === property;
}

/** Is `node` `<request>.params.<key>` (optional chaining and casts allowed)? */
export function isRequestParam(node: Node, request: string, key: string): boolean {
  const n = uncast(node);
  if (!n || !/MemberExpression$/.test(n.type) || n.computed || n.property.name !== key) return false;
  const params = uncast(n.object);
  return (
    /MemberExpression$/.test(params?.type) &&
    !params.computed &&
    params.property.name === 'params' &&
    params.object?.type === 'Identifier' &&
    params.object.name === request
  );
}

/**
 * The names the handler binds to the tool name and the arguments: `const { name, arguments: args } =
 * request.params`, `const args = request.params.arguments as Foo`, `const name = request.params.name`.
 */
export function requestAliases(statements: Node[], request: string): { names: Set<string>; args: Set<string> } {
  const names = new Set<string>();
  const args = new Set<string>();
  for (const s of statements) {
    if (s.type !== 'VariableDeclaration' || s.kind !== 'const') continue;
    for (const d of s.declarations) {
      const init = uncast(d.init);
      if (
        d.id.type === 'ObjectPattern' &&
        init &&
        /MemberExpression$/.test(init.type) &&
        !init.computed &&
        init.property.name === 'params' &&
        init.object?.name === request
      ) {
        for (const p of d.id.properties) {
          const key = propertyKey(p);
          // `arguments: input = {}` reads the same as without the default (an absent object checks as {}).
          const target =
            p.value?.type === 'AssignmentPattern' &&
            p.value.right.type === 'ObjectExpression' &&
            p.value.right.properties.length === 0
              ? p.value.left
              : p.value;
          const local = target?.type === 'Identifier' ? target.name : undefined;
          if (key === 'name' && local) names.add(local);
          if (key === 'arguments' && local) args.add(local);
        }
      }
      if (d.id.type === 'Identifier' && isRequestParam(orEmpty(init), request, 'arguments')) args.add(d.id.name);
      if (d.id.type === 'Identifier' && isRequestParam(init, request, 'name')) names.add(d.id.name);
    }
  }
  return { names, args };
}

/** `x ?? {}` / `x || {}` read as x: an absent arguments object and an empty one reject and accept alike. */
export function orEmpty(n: Node): Node {
  const e = uncast(n);
  if (
    e?.type === 'LogicalExpression' &&
    (e.operator === '??' || e.operator === '||') &&
    e.right.type === 'ObjectExpression' &&
    e.right.properties.length === 0
  )
    return uncast(e.left);
  return e;
}

/**
 * Each tool's branch in the `tools/call` handler: `case 'x': …` (not one another case falls into), `if (name === 'x')`,
 * or what follows `if (name !== 'x') throw …`.
 */
export function toolBranches(j: JSCodeshift, handler: Node, isName: (n: Node) => boolean): ToolBranch[] {
  const out: ToolBranch[] = [];
  const own = (p: ASTPath<any>) => ownStatement(p, handler);
  j(handler.body)
    .find(j.SwitchStatement)
    .filter(own)
    .forEach((p: ASTPath<any>) => {
      if (!isName(p.node.discriminant)) return;
      p.node.cases.forEach((c: Node, i: number) => {
        const fellInto = i > 0 && p.node.cases[i - 1].consequent.length === 0;
        if (typeof c.test?.value !== 'string' || fellInto || c.consequent.length === 0) return;
        const statements =
          c.consequent.length === 1 && c.consequent[0].type === 'BlockStatement' ? c.consequent[0].body : c.consequent;
        out.push({ tool: c.test.value, statements });
      });
    });
  j(handler.body)
    .find(j.IfStatement)
    .filter(own)
    .forEach((p: ASTPath<any>) => {
      const t = uncast(p.node.test);
      if (t.type !== 'BinaryExpression' || t.operator !== '===' || p.node.consequent.type !== 'BlockStatement') return;
      const [n, v] = isName(t.left) ? [t.left, t.right] : [t.right, t.left];
      if (isName(n) && typeof v?.value === 'string') out.push({ tool: v.value, statements: p.node.consequent.body });
    });
  // `if (name !== 'x') throw …` at the top of a handler serving one tool: what follows serves 'x'.
  const body: Node[] = handler.body?.type === 'BlockStatement' ? handler.body.body : [];
  body.forEach((s: Node, i: number) => {
    const t = s.type === 'IfStatement' && !s.alternate ? uncast(s.test) : undefined;
    if (t?.type !== 'BinaryExpression' || (t.operator !== '!==' && t.operator !== '!=')) return;
    const [n, v] = isName(t.left) ? [t.left, t.right] : [t.right, t.left];
    if (isName(n) && typeof v?.value === 'string' && ends(s.consequent))
      out.push({ tool: v.value, statements: body.slice(i + 1) });
  });
  return out;
}

/** A `throw` or `return`, alone or ending a block. */
function ends(s: Node): boolean {
  const last = s.type === 'BlockStatement' ? s.body.at(-1) : s;
  return last?.type === 'ThrowStatement' || last?.type === 'ReturnStatement';
}

/** Is `p` (found from inside `fn`'s body) code of `fn` itself rather than of a function nested in it? */
export function ownStatement(p: ASTPath<any>, fn: Node): boolean {
  for (let cur = p.parent; cur; cur = cur.parent) if (isFunction(cur.node)) return cur.node === fn;
  return true;
}

export interface HandlerBindings {
  /** The handler's own variable declarations (not those of functions nested in it). */
  declarations: Node[];
  aliases: { names: Set<string>; args: Set<string> };
  /** Is the node the tool's name (`request.params.name` or a name bound to it)? */
  isName: (n: Node) => boolean;
  /** Is the node the arguments object (`request.params.arguments` or a name bound to it)? */
  isArguments: (n: Node) => boolean;
}

/** What the `tools/call` handler binds to the tool name and the arguments, and how to tell them. */
export function handlerBindings(j: JSCodeshift, handler: Node, request: string): HandlerBindings {
  const declarations = j(handler.body)
    .find(j.VariableDeclaration)
    .filter((p: ASTPath<any>) => ownStatement(p, handler))
    .nodes();
  const aliases = requestAliases(declarations, request);
  return {
    declarations,
    aliases,
    isName: n => isRequestParam(n, request, 'name') || (n?.type === 'Identifier' && aliases.names.has(n.name)),
    isArguments: n => isRequestParam(n, request, 'arguments') || (n?.type === 'Identifier' && aliases.args.has(n.name))
  };
}
