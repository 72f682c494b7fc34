/**
 * The tools of a low-level server, answered in one `tools/call` handler, one branch each: `switch
 * (request.params.name) { case 'book_room': { … } }`, or `if (name === 'book_room') { … } else if …`. Each branch is a
 * tool of its own to this rewrite, its block the body a request is asked in: the retry is the same call, with the same
 * name, so it comes back through the same branch, and the answer is read where the request was. Only where what runs
 * before the branch (the handler's statements above the switch, the test that picks the branch) is safe to run again.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isFunction } from '../kit/ast.js';
import type { ToolRegistration } from '../kit/tool-registrations.js';
import { pureFunctionsAround, replaysCleanly } from './replay-safety.js';

type Node = any;

/** A low-level `tools/call` handler with a block body and plain `(request, ctx?)` parameters. */
export interface ToolsCallHandler {
  /** The `setRequestHandler(…)` call. */
  path: ASTPath<any>;
  handler: Node;
  request: Node;
  ctx?: Node;
}

export function toolsCallHandlers(j: JSCodeshift, root: any): ToolsCallHandler[] {
  const found: ToolsCallHandler[] = [];
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'setRequestHandler' } } })
    .forEach((p: ASTPath<any>) => {
      const [method, handler] = p.node.arguments;
      const callsTools =
        (/Literal$/.test(method?.type) && method.value === 'tools/call') || method?.name === 'CallToolRequestSchema';
      if (!callsTools || !isFunction(handler) || handler.body?.type !== 'BlockStatement') return;
      const [request, ctx] = handler.params;
      if (request?.type !== 'Identifier' || (ctx && ctx.type !== 'Identifier')) return;
      found.push({ path: p, handler, request, ctx });
    });
  return found;
}

export function lowLevelToolCases(j: JSCodeshift, root: any, src: string): ToolRegistration[] {
  const found: ToolRegistration[] = [];
  for (const { path: p, handler, request, ctx } of toolsCallHandlers(j, root)) {
    const isName = nameReads(handler.body.body, request.name);
    const lists: { statements: Node[]; prelude: Node[] }[] = [{ statements: handler.body.body, prelude: [] }];
    for (const [i, s] of handler.body.body.entries())
      if (s.type === 'TryStatement' && !s.finalizer)
        lists.push({ statements: s.block.body, prelude: handler.body.body.slice(0, i) });
    for (const { statements, prelude } of lists)
      for (const [i, s] of statements.entries()) {
        const branches = s.type === 'SwitchStatement' ? switchCases(s, isName) : ifChain(s, isName);
        if (!branches.length) continue;
        const before = { statements: [...prelude, ...statements.slice(0, i)], tests: [branchTest(s)] };
        if (!replaysCleanly(before, { pure: pureFunctionsAround(p) })) continue;
        for (const { name, body } of branches)
          found.push({
            path: p,
            name,
            server: src.slice(p.node.callee.object.start, p.node.callee.object.end),
            callback: handler,
            ctxName: ctx?.name,
            body,
            args: `${request.name}.params.arguments`,
            lowLevel: true
          });
      }
  }
  return found;
}

/** Does the expression read the called tool's name: `request.params.name`, or a local taken from it? */
export function nameReads(statements: Node[], request: string): (n: Node) => boolean {
  const direct = (n: Node) =>
    n?.type === 'MemberExpression' &&
    !n.computed &&
    n.property?.name === 'name' &&
    n.object.type === 'MemberExpression' &&
    !n.object.computed &&
    n.object.property?.name === 'params' &&
    n.object.object.type === 'Identifier' &&
    n.object.object.name === request;
  const locals = new Set<string>();
  for (const s of statements) {
    if (s.type !== 'VariableDeclaration' || s.kind !== 'const') continue;
    for (const d of s.declarations) {
      // `const name = request.params.name`, `const { name, arguments: args } = request.params`.
      if (d.id.type === 'Identifier' && direct(d.init)) locals.add(d.id.name);
      const params =
        d.init?.type === 'MemberExpression' && d.init.property?.name === 'params' && d.init.object?.name === request;
      if (d.id.type === 'ObjectPattern' && params)
        for (const prop of d.id.properties)
          if ((prop.key?.name ?? prop.key?.value) === 'name' && prop.value?.type === 'Identifier')
            locals.add(prop.value.name);
    }
  }
  return n => direct(n) || (n?.type === 'Identifier' && locals.has(n.name));
}

/** `case 'x': { … }` (a block, then nothing or a `break`): the tool names and their blocks. */
function switchCases(s: Node, isName: (n: Node) => boolean): { name: string; body: Node }[] {
  if (!isName(s.discriminant)) return [];
  return s.cases.flatMap((c: Node, i: number) => {
    const [block, ...rest] = c.consequent;
    const name = stringValue(c.test);
    if (name === undefined || block?.type !== 'BlockStatement') return [];
    // `case 'a': case 'b': { … }`: the block answers two tools, and a sealed state names one.
    if (i > 0 && s.cases[i - 1].consequent.length === 0) return [];
    return rest.every((r: Node) => r.type === 'BreakStatement') ? [{ name, body: block }] : [];
  });
}

/** `if (name === 'x') { … } else if (name === 'y') { … }`: the tool names and their blocks. */
function ifChain(s: Node, isName: (n: Node) => boolean): { name: string; body: Node }[] {
  const found: { name: string; body: Node }[] = [];
  for (let cur = s; cur?.type === 'IfStatement'; cur = cur.alternate) {
    const t = cur.test;
    if (t.type !== 'BinaryExpression' || !/^===?$/.test(t.operator)) break;
    const name = isName(t.left) ? stringValue(t.right) : isName(t.right) ? stringValue(t.left) : undefined;
    if (name === undefined || cur.consequent.type !== 'BlockStatement') break;
    found.push({ name, body: cur.consequent });
  }
  return found;
}

/** What picks the branch, run again on every round. */
function branchTest(s: Node): Node {
  return s.type === 'SwitchStatement' ? s.discriminant : s.test;
}

/**
 * The tool a branch answers: `'deploy'`, or a constant naming it (`ToolName.DEPLOY`, as the official servers wrote
 * theirs), whose text labels the tool's sealed state (only ever compared with itself).
 */
function stringValue(n: Node): string | undefined {
  if (/Literal$/.test(n?.type) && typeof n.value === 'string') return n.value;
  const constant =
    n?.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && n.property.type === 'Identifier';
  return constant ? `${n.object.name}.${n.property.name}` : undefined;
}
